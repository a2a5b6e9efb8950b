import { z } from 'zod';
import type { WatchedVendor } from '../config.js';
import { eventTimeSchema } from '../core/contracts.js';
import type { Suspect } from '../core/detect/suspect.js';
import type { BlindSpan } from '../core/correlate/types.js';
import type { VendorIncident, VendorStatus } from '../core/model.js';
import { readMinuteCounts } from './error-buckets.js';
import type { Keys } from './keys.js';
import { createSuspectStore } from './suspects.js';
import { createVendorStore, type PollHealth, type VendorStore } from './vendors.js';
import type { RedisClient } from './redis.js';

/*
 * What the API, the CLI and the console show about suspected vendor issues and one vendor: gathered
 * here once so the three agree.
 */

/** What the readers need: RedisClient, its keys and the watched vendors (a vendor store is made when absent). */
export interface VendorDetailDeps {
  redis: RedisClient;
  keys: Keys;
  config: { vendors: readonly WatchedVendor[] };
  store?: VendorStore;
}

/** A time in a query string: ISO-8601 or epoch milliseconds (all digits). */
const queryTime = z.preprocess(
  (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
  eventTimeSchema,
);
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const dayMs = 86_400_000;
/** Suspects, incident history and lag statistics look this far back unless `from` says otherwise. */
export const defaultPeriodMs = 30 * dayMs;
/** "Recent" closed suspects in a listing without `from`. */
export const recentSuspectsMs = 7 * dayMs;

/** `GET /v1/suspects` and `upcause suspects`: which suspected vendor issues to list. */
export const suspectQuerySchema = z
  .strictObject({
    /** true: only those still open. */
    open: flag.optional(),
    /** Suspects whose first spiking minute is at or after this (default: open ones plus the last 7 days). */
    from: queryTime.optional(),
    to: queryTime.optional(),
    vendor: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) > Date.parse(q.from), {
    message: '"to" must be after "from"',
    path: ['to'],
  });
export type SuspectQuery = z.output<typeof suspectQuerySchema>;

/** `GET /v1/vendors/:id`: the period of the history and how much of it. */
export const vendorDetailQuerySchema = z
  .strictObject({
    /** Start of the incident history, suspects and lag statistics (default: 30 days before `to`). */
    from: queryTime.optional(),
    /** End of the period (default now); our error rate covers the 24 hours before it. */
    to: queryTime.optional(),
    /** Incidents of the history returned, newest first. */
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    /** The error-rate series: one point per hour (default) or per minute. */
    step: z.enum(['hour', 'minute']).default('hour'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) > Date.parse(q.from), {
    message: '"to" must be after "from"',
    path: ['to'],
  });
export type VendorDetailQuery = z.output<typeof vendorDetailQuerySchema>;

/** A suspected vendor issue as shown: the stored row plus whether it is open and how long it lasted. */
export interface SuspectView extends Suspect {
  open: boolean;
  /** From `since` to its close, or to now while open. */
  durationMinutes: number;
  /** While the vendor has posted nothing: minutes since `since` (a lag still growing); else null. */
  unacknowledgedMinutes: number | null;
}

/** How late vendors acknowledged what our errors showed, over a set of suspects. */
export interface AckLagStats {
  /** Suspects the vendor later posted an incident for. */
  acknowledged: number;
  /** Suspects the vendor never posted about (yet). */
  unacknowledged: number;
  medianMinutes: number | null;
  worstMinutes: number | null;
}

export interface SuspectList {
  suspects: SuspectView[];
  ackLag: AckLagStats;
}

/** Median and worst acknowledgment lag of the suspects the vendor posted about. */
export function ackLagStats(suspects: readonly Suspect[]): AckLagStats {
  const lags = suspects
    .map((s) => s.ackLagMinutes)
    .filter((lag): lag is number => lag !== null)
    .sort((a, b) => a - b);
  const mid = lags.length >> 1;
  const median = lags.length === 0 ? null : lags.length % 2 ? lags[mid]! : (lags[mid - 1]! + lags[mid]!) / 2;
  return {
    acknowledged: lags.length,
    unacknowledged: suspects.length - lags.length,
    medianMinutes: median,
    worstMinutes: lags.length ? lags[lags.length - 1]! : null,
  };
}

function viewOf(s: Suspect, now: number): SuspectView {
  const since = Date.parse(s.since);
  const end = s.closedAt ? Date.parse(s.closedAt) : now;
  return {
    ...s,
    open: s.closedAt === null,
    durationMinutes: Math.max(0, Math.round((end - since) / 60_000)),
    unacknowledgedMinutes:
      s.vendorPostedAt === null && s.closedAt === null
        ? Math.max(0, Math.round((now - since) / 60_000))
        : null,
  };
}

/** Open and recent suspected vendor issues, newest first, with their acknowledgment lag. */
export async function listSuspects(
  deps: Pick<VendorDetailDeps, 'redis' | 'keys'>,
  query: SuspectQuery,
  now = new Date(),
): Promise<SuspectList> {
  const suspects = createSuspectStore(deps.redis, deps.keys);
  const nowMs = now.getTime();
  const to = query.to ? Date.parse(query.to) : nowMs;
  let rows: Suspect[];
  if (query.open) {
    rows = await suspects.listOpen();
  } else if (query.from) {
    rows = await suspects.listBySince(Date.parse(query.from), to);
  } else {
    // Open ones (however old) and the recent ones.
    const [open, recent] = await Promise.all([
      suspects.listOpen(),
      suspects.listBySince(Math.min(to, nowMs) - recentSuspectsMs, to),
    ]);
    rows = [...new Map([...open, ...recent].map((s) => [s.id, s])).values()];
  }
  const from = query.from ? Date.parse(query.from) : -Infinity;
  const chosen = rows.filter((s) => {
    const since = Date.parse(s.since);
    return (query.vendor === undefined || s.vendor === query.vendor) && since >= from && since <= to;
  });
  chosen.sort((a, b) => Date.parse(b.since) - Date.parse(a.since) || a.id.localeCompare(b.id));
  return { suspects: chosen.slice(0, query.limit).map((s) => viewOf(s, nowMs)), ackLag: ackLagStats(chosen) };
}

/** Whether upcause can read the vendor's page now, and since when it cannot. */
export interface PollView extends PollHealth {
  /** The page is unreadable now: what the vendor says is not known. */
  blind: boolean;
  blindReason: string | null;
  /** Unreadable spans overlapping the period, oldest first (the open one last, `until` null). */
  blindSpans: BlindSpan[];
}

/** One step of our error rate on the vendor. */
export interface ErrorRatePoint {
  /** Start of the step, ISO-8601. */
  at: string;
  /** Failed calls to the vendor, client errors (4xx: our request was wrong) left out. */
  errors: number;
  /** Calls made to the vendor, where producers report call volume; null when none were reported. */
  calls: number | null;
}

export interface VendorErrorRate {
  from: string;
  to: string;
  step: 'hour' | 'minute';
  points: ErrorRatePoint[];
  totalErrors: number;
  /** Client errors (4xx), counted apart: they say our request was wrong, not that the vendor failed. */
  clientErrors: number;
  /** Null when no producer reported call volume on this vendor in the window. */
  totalCalls: number | null;
  /** totalErrors / totalCalls, when calls are known. */
  errorRatio: number | null;
  /** The services whose calls to the vendor failed, most errors first. */
  services: Array<{ service: string; errors: number }>;
}

/** Everything shown about one watched vendor. */
export interface VendorDetail {
  id: string;
  name: string;
  provider: string;
  url: string;
  components: string[];
  /** The last status read; `unknown` while the page cannot be read. */
  status: VendorStatus;
  poll: PollView;
  period: { from: string; to: string };
  openIncidents: VendorIncident[];
  /** Incidents started in the period, newest first, at most `limit`. */
  incidents: VendorIncident[];
  /** Incidents started in the period in all (more than `incidents` holds when the limit cut). */
  incidentsInPeriod: number;
  /** Suspected issues of this vendor started in the period, newest first, plus any still open. */
  suspects: SuspectView[];
  ackLag: AckLagStats;
  errorRate: VendorErrorRate;
}

/** Our error rate on `vendor` over [fromMinute, toMinute], in hour or minute steps. */
async function readVendorErrorRate(
  deps: Pick<VendorDetailDeps, 'redis' | 'keys'>,
  vendor: string,
  fromMinute: number,
  toMinute: number,
  step: 'hour' | 'minute',
): Promise<VendorErrorRate> {
  const size = step === 'hour' ? 60 : 1;
  const first = Math.floor(fromMinute / size) * size;
  const steps = Math.floor((toMinute - first) / size) + 1;
  const points: ErrorRatePoint[] = Array.from({ length: steps }, (_, i) => ({
    at: new Date((first + i * size) * 60_000).toISOString(),
    errors: 0,
    calls: null,
  }));
  let clientErrors = 0;
  const services = new Map<string, number>();
  for (const bucket of await readMinuteCounts(deps.redis, deps.keys, fromMinute, toMinute)) {
    const point = points[Math.floor((bucket.minute - first) / size)];
    if (!point) continue;
    for (const { series, count } of bucket.counts) {
      if (series.vendor !== vendor) continue;
      if (series.errorClass === 'client') {
        clientErrors += count;
        continue;
      }
      point.errors += count;
      services.set(series.service, (services.get(series.service) ?? 0) + count);
    }
    for (const c of bucket.calls) if (c.vendor === vendor) point.calls = (point.calls ?? 0) + c.calls;
  }
  const totalErrors = points.reduce((sum, p) => sum + p.errors, 0);
  const withCalls = points.filter((p) => p.calls !== null);
  const totalCalls = withCalls.length ? withCalls.reduce((sum, p) => sum + (p.calls ?? 0), 0) : null;
  return {
    from: new Date(fromMinute * 60_000).toISOString(),
    to: new Date((toMinute + 1) * 60_000).toISOString(),
    step,
    points,
    totalErrors,
    clientErrors,
    totalCalls,
    errorRatio: totalCalls ? totalErrors / totalCalls : null,
    services: [...services]
      .map(([service, errors]) => ({ service, errors }))
      .sort((a, b) => b.errors - a.errors || a.service.localeCompare(b.service)),
  };
}

/** Status, poll health, incident history, suspects, acknowledgment lag and our error rate; null for a vendor not watched. */
export async function loadVendorDetail(
  deps: VendorDetailDeps,
  id: string,
  now = new Date(),
  query: Partial<VendorDetailQuery> = {},
): Promise<VendorDetail | null> {
  const vendor = deps.config.vendors.find((v) => v.id === id);
  if (!vendor) return null;
  const store = deps.store ?? createVendorStore(deps.redis, deps.keys);
  const to = query.to ? Date.parse(query.to) : now.getTime();
  const from = query.from ? Date.parse(query.from) : to - defaultPeriodMs;
  const limit = query.limit ?? 50;
  const toMinute = Math.ceil(to / 60_000) - 1;
  const [view, incidents, blindSpans, suspects, errorRate] = await Promise.all([
    store.view(id),
    store.listIncidents(id),
    store.listBlindSpans(id, from, to),
    listSuspects(
      deps,
      { vendor: id, from: new Date(from).toISOString(), to: new Date(to).toISOString(), limit: 1000 },
      now,
    ),
    readVendorErrorRate(deps, id, toMinute - 24 * 60 + 1, toMinute, query.step ?? 'hour'),
  ]);
  // Open suspects that started before the period still matter now.
  const open = (await listSuspects(deps, { open: true, vendor: id, limit: 1000 }, now)).suspects;
  const byId = new Map([...suspects.suspects, ...open].map((s) => [s.id, s]));
  const allSuspects = [...byId.values()].sort((a, b) => Date.parse(b.since) - Date.parse(a.since));
  const inPeriod = incidents.filter((i) => {
    const started = Date.parse(i.startedAt);
    return started >= from && started <= to;
  });
  const openSpan = blindSpans.find((s) => s.until === null);
  return {
    id: vendor.id,
    name: vendor.name,
    provider: vendor.provider,
    url: vendor.url,
    components: vendor.components,
    status: view.status,
    poll: {
      ...view.health,
      blind: view.health.blindSince !== null || view.health.state !== 'ok',
      blindReason: openSpan?.reason ?? (view.health.state === 'ok' ? null : view.health.lastErrorMessage),
      blindSpans,
    },
    period: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    openIncidents: view.openIncidents,
    incidents: inPeriod.slice(0, limit),
    incidentsInPeriod: inPeriod.length,
    suspects: allSuspects,
    ackLag: ackLagStats(allSuspects),
    errorRate,
  };
}

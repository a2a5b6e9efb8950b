import type { Redis } from 'ioredis';
import { z } from 'zod';
import { BLIND_LOOKBACK_MS, blindSpansKnownAt } from '../core/correlate/blind-spans.js';
import { createChangeStore } from './changes.js';
import type { ChangeEvent, InternalIncident } from '../core/contracts.js';
import { createIncidentStore } from './incidents.js';
import { minuteOf } from '../core/series.js';
import type { VendorIncident } from '../core/model.js';
import type { Keys } from './keys.js';
import { extractRegions } from '../core/regions/extract.js';
import { createSuspectStore, readMinuteCounts } from './suspects.js';
import type { Suspect } from '../core/detect/suspect.js';
import { createVendorStore } from './vendors.js';
import { RULES, vendorKey } from '../core/correlate/signals.js';
import type {
  BlindSpan,
  CallCount,
  CorrelationInput,
  MinuteCount,
  ServiceSpec,
  SuspectedIssue,
} from '../core/correlate/types.js';

/*
 * What the scorer may know about one of our incidents at `now`, read from Redis. The selection
 * (which vendors, which of their incidents, which minutes) and the knowledge cut are pure functions
 * below, so the live worker, `upcause backtest` and the benchmark select the same way.
 */

const HOUR = 3_600_000;

/** How far around our incident the loader looks. */
export const INPUT_WINDOWS = {
  /** Vendor incidents and suspects starting this long before ours: vendors backdate and start early. */
  vendorLookbackMs: 6 * HOUR,
  /** Our changes this long before the start; the scorer picks the ones that compete. */
  changeLookbackMs: 6 * HOUR,
  /** Blind spans of candidate vendors' pages still open this long before the start. */
  blindLookbackMs: BLIND_LOOKBACK_MS,
  /** Error minutes before the start: the scorer's lead (30) and baseline (60), with slack. */
  errorLookbackMinutes: 120,
  /** Error minutes read at most: an incident open for weeks is judged on its last week. */
  maxErrorMinutes: 7 * 24 * 60,
} as const;

/** The config the loader needs: service specs and the watched vendors' ids and names. */
export interface InputConfig {
  services: readonly ServiceSpec[];
  vendors: readonly { id: string; name: string }[];
}

// ─── knowledge cut (pure) ────────────────────────────────────────────────────────────────────

const ms = (iso: string) => Date.parse(iso);
const terminal = new Set(['resolved', 'completed', 'postmortem']);

/** Our incident as known at `now`: still open until its resolution time has come. */
export function incidentKnownAt(incident: InternalIncident, now: number): InternalIncident {
  return incident.resolvedAt !== null && ms(incident.resolvedAt) > now
    ? { ...incident, resolvedAt: null }
    : incident;
}

/**
 * A stored vendor incident as a poll at `now` would have read it, or null before its first post:
 * later updates, a later resolution, and regions read only from later updates are not yet known.
 */
export function vendorIncidentKnownAt(v: VendorIncident, now: number): VendorIncident | null {
  if (ms(v.postedAt) > now) return null;
  if (ms(v.updatedAt) <= now && (v.resolvedAt === null || ms(v.resolvedAt) <= now)) return v;
  const updates = v.updates.filter((u) => ms(u.at) <= now);
  const last = updates.at(-1);
  const resolved = v.resolvedAt !== null && ms(v.resolvedAt) <= now;
  // Regions read from update bodies (the vendor named none elsewhere) count only from known updates.
  const fromUpdates =
    (v.regionEvidence ?? []).length > 0 && (v.regionEvidence ?? []).every((e) => e.from === 'update');
  const knownText = updates.map((u) => u.body).join('\n');
  const regionEvidence = fromUpdates
    ? (v.regionEvidence ?? []).filter((e) =>
        extractRegions(knownText).some((m) => m.id === e.id && !m.negated),
      )
    : v.regionEvidence;
  return {
    ...v,
    updates,
    updatedAt: last && ms(last.at) > ms(v.postedAt) ? last.at : v.postedAt,
    resolvedAt: resolved ? v.resolvedAt : null,
    status: resolved ? v.status : last && !terminal.has(last.status) ? last.status : 'investigating',
    ...(fromUpdates ? { regions: v.regions.filter((id) => regionEvidence?.some((e) => e.id === id)) } : {}),
    ...(regionEvidence ? { regionEvidence } : {}),
  };
}

/** A stored suspect as known at `now` (null before it was detected), in the scorer's shape. */
export function suspectKnownAt(s: Suspect, now: number): SuspectedIssue | null {
  if (ms(s.detectedAt) > now) return null;
  const linked = s.vendorIncidentId !== null && s.vendorPostedAt !== null && ms(s.vendorPostedAt) <= now;
  return {
    id: s.id,
    vendor: s.vendor,
    region: s.region,
    since: s.since,
    detectedAt: s.detectedAt,
    closedAt: s.closedAt !== null && ms(s.closedAt) <= now ? s.closedAt : null,
    services: s.services,
    ratePerMin: s.ratePerMin,
    baselinePerMin: s.baselinePerMin,
    ...(linked ? { vendorIncidentId: s.vendorIncidentId!, vendorPostedAt: s.vendorPostedAt! } : {}),
    ...(linked && s.ackLagMinutes !== null ? { ackLagMinutes: s.ackLagMinutes } : {}),
  };
}

/** The input as known at `now`: nothing published, detected, changed or counted after it. */
export function cutInput(input: CorrelationInput, now: Date): CorrelationInput {
  const t = now.getTime();
  const nowMinute = minuteOf(t);
  return {
    ...input,
    now,
    incident: incidentKnownAt(input.incident, t),
    vendorIncidents: input.vendorIncidents.flatMap((v) => vendorIncidentKnownAt(v, t) ?? []),
    errors: input.errors.filter((e) => e.minute <= nowMinute),
    changes: input.changes.filter((c) => ms(c.at) <= t),
    ...(input.calls ? { calls: input.calls.filter((c) => c.minute <= nowMinute) } : {}),
    ...(input.blind ? { blind: blindSpansKnownAt(input.blind, t) } : {}),
  };
}

// ─── vendor incident index (pure) ───────────────────────────────────────────────────────────

/** Incidents longer than this (or never resolved) are kept aside, so the time search stays narrow. */
const LONG_MS = 24 * HOUR;

interface VendorShelf {
  /** Short incidents sorted by start, with their starts alongside for the binary search. */
  starts: number[];
  short: VendorIncident[];
  long: VendorIncident[];
}

/** Vendor incidents by vendor and time: a window query costs a binary search plus what it returns. */
export interface VendorIncidentIndex {
  /** Incidents of `vendor` whose [start, end] overlaps [fromMs, toMs] (an unresolved one never ends). */
  select(vendor: string, fromMs: number, toMs: number): VendorIncident[];
  readonly size: number;
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const endOf = (v: VendorIncident) => (v.resolvedAt === null ? Infinity : ms(v.resolvedAt));

/** Indexes vendor incidents by vendor key, then start time; a later copy of an id replaces an earlier one. */
export function indexVendorIncidents(incidents: Iterable<VendorIncident>): VendorIncidentIndex {
  const byId = new Map<string, VendorIncident>();
  for (const v of incidents) byId.set(`${vendorKey(v.vendor)}\u0000${v.id}`, v);
  const shelves = new Map<string, VendorShelf>();
  for (const v of byId.values()) {
    const key = vendorKey(v.vendor);
    let shelf = shelves.get(key);
    if (!shelf) shelves.set(key, (shelf = { starts: [], short: [], long: [] }));
    if (endOf(v) - ms(v.startedAt) > LONG_MS) shelf.long.push(v);
    else shelf.short.push(v);
  }
  for (const shelf of shelves.values()) {
    shelf.short.sort((a, b) => ms(a.startedAt) - ms(b.startedAt));
    shelf.starts = shelf.short.map((v) => ms(v.startedAt));
  }
  return {
    size: byId.size,
    select(vendor, fromMs, toMs) {
      const shelf = shelves.get(vendorKey(vendor));
      if (!shelf) return [];
      const out: VendorIncident[] = [];
      // A short incident overlapping the window started at most LONG_MS before it.
      for (let i = lowerBound(shelf.starts, fromMs - LONG_MS); i < shelf.short.length; i++) {
        if (shelf.starts[i]! > toMs) break;
        const v = shelf.short[i]!;
        if (endOf(v) >= fromMs) out.push(v);
      }
      for (const v of shelf.long) if (ms(v.startedAt) <= toMs && endOf(v) >= fromMs) out.push(v);
      return out;
    },
  };
}

// ─── selection (pure) ────────────────────────────────────────────────────────────────────────

// Built once per config (not per evaluation): lookups stay constant-time however many vendors there are.
const idMaps = new WeakMap<InputConfig['vendors'], Map<string, string>>();
function vendorIds(vendors: InputConfig['vendors']): Map<string, string> {
  let ids = idMaps.get(vendors);
  if (!ids) {
    ids = new Map();
    for (const v of vendors) ids.set(vendorKey(v.id), v.id);
    for (const v of vendors) if (!ids.has(vendorKey(v.name))) ids.set(vendorKey(v.name), v.id);
    idMaps.set(vendors, ids);
  }
  return ids;
}

/**
 * The vendors to consider for an incident: its service's dependencies, then vendors its own errors
 * name from the scorer's lead before the start on. Error names are mapped to configured vendor ids
 * (by id or display name, without case), so "Twilio" in an error finds the incidents of `twilio`.
 */
export function candidateVendors(
  incident: InternalIncident,
  spec: ServiceSpec | undefined,
  errors: readonly MinuteCount[],
  vendors: InputConfig['vendors'],
): string[] {
  const ids = vendorIds(vendors);
  const out = new Set<string>();
  const add = (name: string) => {
    const key = vendorKey(name);
    if (key) out.add(ids.get(key) ?? name.trim());
  };
  for (const d of spec?.dependsOn ?? []) add(d.vendor);
  const from = minuteOf(incident.startedAt) - RULES.leadMinutes;
  for (const e of errors) if (e.series.service === incident.service && e.minute >= from) add(e.series.vendor);
  return [...out];
}

/** What the loader read, before selection and the knowledge cut. */
export interface InputSources {
  incident: InternalIncident;
  config: InputConfig;
  /** Error minutes of every series from the lookback before the start on. */
  errors: readonly MinuteCount[];
  vendorIncidents: VendorIncidentIndex;
  suspects: readonly Suspect[];
  changes: readonly ChangeEvent[];
  /** Call volume of every (service, vendor, region) in the same minutes as `errors`, where reported. */
  calls?: readonly CallCount[];
  /** Blind spans of the candidate vendors' pages, as stored. */
  blind?: readonly BlindSpan[];
}

/**
 * Assembles the scorer's input at `now` from what was read: candidate vendors, their incidents in
 * [start − 6 h, now], their suspects, the errors of our service and of those vendors, our service's
 * changes in [start − 6 h, now]; then the knowledge cut. Pure.
 */
export function selectInput(src: InputSources, now: Date): CorrelationInput {
  const t = now.getTime();
  const incident = incidentKnownAt(src.incident, t);
  const start = ms(incident.startedAt);
  const spec = src.config.services.find((s) => s.name === incident.service);
  const vendors = candidateVendors(incident, spec, src.errors, src.config.vendors);
  const keys = new Set(vendors.map(vendorKey));
  const from = start - INPUT_WINDOWS.vendorLookbackMs;
  const input: CorrelationInput = {
    now,
    incident,
    ...(spec ? { service: spec } : {}),
    services: [...src.config.services],
    vendorIncidents: vendors.flatMap((v) => src.vendorIncidents.select(v, from, t)),
    suspects: src.suspects
      .filter(
        (s) =>
          keys.has(vendorKey(s.vendor)) &&
          ms(s.since) <= t &&
          (s.closedAt === null || ms(s.closedAt) >= from),
      )
      .flatMap((s) => suspectKnownAt(s, t) ?? []),
    errors: src.errors.filter(
      (e) => e.series.service === incident.service || keys.has(vendorKey(e.series.vendor)),
    ),
    changes: src.changes.filter(
      (c) => c.service === incident.service && ms(c.at) >= start - INPUT_WINDOWS.changeLookbackMs,
    ),
    // Call volume is selected as the errors are: our service's, and the candidate vendors'.
    ...(src.calls
      ? {
          calls: src.calls.filter((c) => c.service === incident.service || keys.has(vendorKey(c.vendor))),
        }
      : {}),
    ...(src.blind
      ? {
          blind: blindSpansKnownAt(
            src.blind.filter((s) => keys.has(vendorKey(s.vendor))),
            t,
            start - INPUT_WINDOWS.blindLookbackMs,
          ),
        }
      : {}),
  };
  return cutInput(input, now);
}

/** The error minutes to read for an incident at `now`: lookback before the start to its end (or now). */
export function errorMinutes(incident: InternalIncident, now: number): { from: number; to: number } {
  const known = incidentKnownAt(incident, now);
  const end = known.resolvedAt === null ? now : Math.min(now, ms(known.resolvedAt));
  const to = minuteOf(Math.max(end, ms(incident.startedAt)));
  const from = Math.max(
    minuteOf(incident.startedAt) - INPUT_WINDOWS.errorLookbackMinutes,
    to - INPUT_WINDOWS.maxErrorMinutes,
  );
  return { from, to };
}

// ─── Redis ───────────────────────────────────────────────────────────────────────────────────

/** Where vendor incidents come from: the vendor store, or a cache of it (see createVendorIncidentCache). */
export interface VendorIncidentSource {
  /** Incidents of the vendor overlapping [fromMs, toMs]. */
  select(vendor: string, fromMs: number, toMs: number): Promise<VendorIncident[]>;
}

export interface LoadInputDeps {
  redis: Redis;
  keys: Keys;
  config: InputConfig;
  /** Defaults to reading the vendor store on every call. */
  vendorIncidents?: VendorIncidentSource;
}

/** Reads every incident of a vendor from the store each time: simple, and right for one-off reads. */
export function storeVendorIncidents(redis: Redis, keys: Keys): VendorIncidentSource {
  const store = createVendorStore(redis, keys);
  return {
    async select(vendor, fromMs, toMs) {
      return indexVendorIncidents(await store.listIncidents(vendor)).select(vendor, fromMs, toMs);
    },
  };
}

/**
 * Keeps each vendor's incidents indexed in memory and drops them all when keys.vendorChanges grows:
 * every store write appends there, so its newest entry id is a version of the whole vendor side. One
 * XREVRANGE per call instead of reading and validating a vendor's whole history per evaluation.
 */
export function createVendorIncidentCache(redis: Redis, keys: Keys): VendorIncidentSource {
  const store = createVendorStore(redis, keys);
  let version: string | null = null;
  const indexes = new Map<string, Promise<VendorIncidentIndex>>();
  return {
    async select(vendor, fromMs, toMs) {
      const tip = await redis.xrevrange(keys.vendorChanges, '+', '-', 'COUNT', 1);
      const current = tip[0]?.[0] ?? '';
      if (current !== version) {
        indexes.clear();
        version = current;
      }
      const key = vendorKey(vendor);
      let index = indexes.get(key);
      if (!index) {
        index = store.listIncidents(vendor).then(indexVendorIncidents);
        indexes.set(key, index);
        index.catch(() => indexes.delete(key));
      }
      return (await index).select(vendor, fromMs, toMs);
    },
  };
}

const incidentIdSchema = z
  .string({ error: 'incident id must be a string' })
  .min(1, 'incident id must not be empty')
  .max(512, 'incident id is longer than 512 characters');
const nowSchema = z.date({ error: 'now must be a Date' }).refine((d) => Number.isFinite(d.getTime()), {
  message: 'now must be a valid Date',
});

/** A load request that does not validate; the message names the bad argument. */
export class LoadInputError extends Error {
  override readonly name = 'LoadInputError';
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new LoadInputError(`${what}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, {
    cause: parsed.error,
  });
}

/** Reads the sources of one incident from Redis as they stand, for selectInput at `now` or earlier. */
export async function loadInputSources(
  deps: LoadInputDeps,
  incident: InternalIncident,
  now: Date,
): Promise<InputSources> {
  const { redis, keys, config } = deps;
  const t = now.getTime();
  const start = ms(incident.startedAt);
  const { from, to } = errorMinutes(incident, t);
  const suspectStore = createSuspectStore(redis, keys);
  const spec = config.services.find((s) => s.name === incident.service);
  const [buckets, suspectsBySince, openSuspects, changes] = await Promise.all([
    readMinuteCounts(redis, keys, from, to),
    suspectStore.listBySince(start - INPUT_WINDOWS.vendorLookbackMs, t),
    suspectStore.listOpen(),
    createChangeStore(redis, keys).list({
      from: new Date(start - INPUT_WINDOWS.changeLookbackMs).toISOString(),
      to: now.toISOString(),
      service: incident.service,
    }),
  ]);
  const errors = buckets.flatMap((b) =>
    b.counts.map((c) => ({ minute: b.minute, series: c.series, count: c.count })),
  );
  const calls = buckets.flatMap((b) => b.calls.map((c): CallCount => ({ minute: b.minute, ...c })));
  const vendors = candidateVendors(incident, spec, errors, config.vendors);
  const source = deps.vendorIncidents ?? storeVendorIncidents(redis, keys);
  const vendorStore = createVendorStore(redis, keys);
  const [lists, blind] = await Promise.all([
    Promise.all(vendors.map((v) => source.select(v, start - INPUT_WINDOWS.vendorLookbackMs, t))),
    Promise.all(vendors.map((v) => vendorStore.listBlindSpans(v, start - INPUT_WINDOWS.blindLookbackMs, t))),
  ]);
  const suspects = new Map<string, Suspect>();
  for (const s of [...suspectsBySince, ...openSuspects]) suspects.set(s.id, s);
  return {
    incident,
    config,
    errors,
    vendorIncidents: indexVendorIncidents(lists.flat()),
    suspects: [...suspects.values()],
    changes,
    calls,
    blind: blind.flat(),
  };
}

/**
 * Everything the scorer may know about our incident `incidentId` at `now`, from Redis; null when no
 * such incident is stored. Throws LoadInputError on a bad id or time; Redis errors propagate.
 */
export async function loadCorrelationInput(
  deps: LoadInputDeps,
  incidentId: string,
  now: Date,
): Promise<CorrelationInput | null> {
  const id = check(incidentIdSchema, incidentId, 'loadCorrelationInput');
  const at = check(nowSchema, now, 'loadCorrelationInput');
  const incident = await createIncidentStore(deps.redis, deps.keys).get(id);
  if (!incident) return null;
  return selectInput(await loadInputSources(deps, incident, at), at);
}

import { RULES, vendorKey } from '../correlate/signal-shared.js';
import { errorWindow, type ErrorWindow } from '../correlate/signal-error-stats.js';
import type { ServiceSpec } from '../correlate/types.js';
import { resolveRegionLabel } from '../regions/extract.js';
import { parseProseTime } from '../time/prose-time.js';
import { CheckQueryError, checkQuerySchema, type CheckQuery } from './types.js';

/*
 * Reading what an agent asks: the time as they paste it, the region as free text, the vendor by id or
 * display name, the service as configured. Pure: the reader of Redis passes `now` and the config in.
 */

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

/** Around `at`, the check reads our errors from this long before to this long after (capped at now). */
export const CHECK_WINDOW = {
  /** Our alerts and customers' reports come 3–15 min after onset: the same lead the scorer uses. */
  beforeMinutes: RULES.leadMinutes,
  afterMinutes: 15,
  /** `at` may be this far past now (clock skew, "21:00" typed at 20:59) before it is refused. */
  futureSlackMinutes: 5,
} as const;

/** The question as understood. */
export interface ResolvedCheckQuery {
  /** Epoch ms. */
  at: number;
  /** Configured vendor id, or the name as asked when only our errors know it; null for every vendor. */
  vendor: string | null;
  region: string | null;
  /** Canonical region ids the region text resolves to. */
  regions: string[];
  service: string | null;
  customer: string | null;
}

/** What resolving a query needs to know: `now`, the watched vendors and our services. */
export interface CheckQueryContext {
  now: number;
  vendors: readonly { id: string; name: string }[];
  services: readonly Pick<ServiceSpec, 'name'>[];
}

const hasYear = /\b(19|20)\d\d\b/;
const explicitZoneIso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * `at` as agents paste it: epoch ms (digits), ISO-8601 with an offset, or prose with a zone name
 * ("2024-04-04 21:00 CEST", "Apr 4 9:05pm PT"); a time written without a zone is UTC. A clock time
 * written without a date is the latest such time not after now.
 */
export function parseCheckTime(text: string, now: number): number {
  const trimmed = text.trim();
  let ms: number | null;
  if (/^\d{10,13}$/.test(trimmed)) {
    ms = Number(trimmed);
    if (trimmed.length <= 10) ms *= 1000;
  } else if (explicitZoneIso.test(trimmed)) {
    ms = Date.parse(trimmed);
  } else {
    const read = parseProseTime(trimmed, { reference: new Date(now) });
    ms = read === null ? null : Date.parse(read);
    // "21:00 CEST" asked at 08:00 UTC means last night, not tonight.
    if (ms !== null && ms > now + CHECK_WINDOW.futureSlackMinutes * MINUTE && !hasYear.test(trimmed))
      ms -= DAY;
  }
  if (ms === null || !Number.isFinite(ms) || ms < Date.UTC(2000, 0, 1)) {
    throw new CheckQueryError(
      'at',
      `at: cannot read "${clip(trimmed)}" as a time; use ISO-8601 ("2024-04-04T19:00:00Z"), epoch ms, or a date and time with a zone ("2024-04-04 21:00 CEST")`,
    );
  }
  if (ms > now + CHECK_WINDOW.futureSlackMinutes * MINUTE) {
    throw new CheckQueryError(
      'at',
      `at: "${clip(trimmed)}" reads as ${new Date(ms).toISOString()}, which is in the future; ask about a time up to now`,
    );
  }
  return Math.min(ms, now);
}

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 59)}…` : s);

/** Validates and resolves a query; throws CheckQueryError naming the field. Unknown vendors are checked later (see unknownVendorError). */
export function resolveCheckQuery(raw: unknown, ctx: CheckQueryContext): ResolvedCheckQuery {
  const parsed = checkQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path[0];
    const field = (
      typeof key === 'string' && key in checkQuerySchema.shape ? key : 'vendor'
    ) as keyof CheckQuery;
    const message =
      issue?.code === 'unrecognized_keys'
        ? `unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')}: expected vendor, region, at, service, customer`
        : `${String(key ?? field)}: ${issue?.message ?? 'invalid'}`;
    throw new CheckQueryError(field, message);
  }
  const q = parsed.data;
  const at = q.at === undefined ? ctx.now : parseCheckTime(q.at, ctx.now);
  let regions: string[] = [];
  if (q.region !== undefined) {
    regions = resolveRegionLabel(q.region);
    if (regions.length === 0)
      throw new CheckQueryError(
        'region',
        `region: "${clip(q.region)}" is not a region we know; write it as a team or vendor would ("eu", "Europe", "us-east-1", "Frankfurt")`,
      );
  }
  let service: string | null = null;
  if (q.service !== undefined) {
    const found = ctx.services.find((s) => s.name.toLowerCase() === q.service!.toLowerCase());
    if (!found) {
      const known = ctx.services.map((s) => s.name);
      throw new CheckQueryError(
        'service',
        `service: "${clip(q.service)}" is not one of ours (${known.length > 0 ? `configured: ${known.slice(0, 20).join(', ')}` : 'no services are configured'})`,
      );
    }
    service = found.name;
  }
  let vendor: string | null = null;
  if (q.vendor !== undefined) {
    const key = vendorKey(q.vendor);
    vendor =
      ctx.vendors.find((v) => vendorKey(v.id) === key)?.id ??
      ctx.vendors.find((v) => vendorKey(v.name) === key)?.id ??
      q.vendor;
  }
  return { at, vendor, region: q.region ?? null, regions, service, customer: q.customer ?? null };
}

/** A vendor neither watched nor named by any of our errors around `at`. */
export function unknownVendorError(vendor: string, watched: readonly { id: string }[]): CheckQueryError {
  const ids = watched.map((v) => v.id);
  return new CheckQueryError(
    'vendor',
    `vendor: "${clip(vendor)}" is neither watched (${ids.length > 0 ? `watched: ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''}` : 'no vendors are watched'}) nor named by any of our errors around that time`,
  );
}

/** Whether `vendor` is one of the watched ones. */
export function isWatched(vendor: string, watched: readonly { id: string }[]): boolean {
  return watched.some((v) => v.id === vendor);
}

/** The minutes the check reads: the scorer's window around `at` (lead before, a little after, never past now). */
export function checkWindow(at: number, now: number): ErrorWindow {
  return errorWindow(at, Math.min(now, at + CHECK_WINDOW.afterMinutes * MINUTE));
}

/** Everything to read from the buckets: the baseline hour and the window, as epoch minutes. */
export function checkMinutes(at: number, now: number): { from: number; to: number } {
  const w = checkWindow(at, now);
  return { from: w.baselineFrom, to: w.to };
}

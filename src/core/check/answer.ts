import { INPUT_WINDOWS, vendorIdOf } from '../correlate/select-input.js';
import {
  errorWindow,
  indexErrors,
  ourRegions,
  vendorKey,
  type ErrorIndex,
  type ErrorWindow,
} from '../correlate/signals.js';
import type { BlindSpan, CallCount, MinuteCount, ServiceSpec } from '../correlate/types.js';
import type { Suspect } from '../detect/suspect.js';
import type { VendorIncident } from '../model.js';
import { regionOverlap } from '../regions/overlap.js';
import { earlyIncidentStart, judgeVendor, type CustomerFailureRow, type PageState } from './judge.js';
import { checkWindow, isWatched, unknownVendorError, type ResolvedCheckQuery } from './query.js';
import { answerSummary } from './sentences.js';
import { vendorVerdicts, type CheckAnswer, type VendorCheck } from './types.js';

/*
 * The whole support check, pure: which vendors to judge, our errors read once, each vendor judged
 * (judge.ts), ranked, and the one sentence on top. The store reads the data (src/store/check.ts).
 */

/** The watched vendors and our services, as the check needs them. */
export interface CheckConfig {
  vendors: readonly { id: string; name: string }[];
  services: readonly ServiceSpec[];
  /** A page not read successfully for this long is stale (the store derives it from the poll interval). */
  staleAfterMs: number;
}

/** What the store read for one check. */
export interface CheckData {
  /** Error minutes of every series over checkMinutes(). */
  errors: readonly MinuteCount[];
  calls: readonly CallCount[];
  /** Per vendor id: its stored incidents around `at`. */
  incidents: ReadonlyMap<string, readonly VendorIncident[]>;
  suspects: readonly Suspect[];
  blind: ReadonlyMap<string, readonly BlindSpan[]>;
  pages: ReadonlyMap<string, PageState | null>;
  customerFailures: readonly CustomerFailureRow[] | null;
  /** The first minute read into `errors` (default: the window's baseline); see extendedMinutes. */
  readFrom?: number;
}

const MINUTE = 60_000;
/** An incident running longer than this before `at` is judged on the last 6 hours (as the scorer reads vendors). */
const MAX_LOOKBACK_MS = INPUT_WINDOWS.vendorLookbackMs;

/**
 * The first minute to read when a vendor incident covering `at` began before the check's window (its
 * baseline is the hour before it); null when the window's own minutes suffice.
 */
export function extendedMinutes(
  query: ResolvedCheckQuery,
  incidents: Iterable<readonly VendorIncident[]>,
  now: number,
): number | null {
  const window = checkWindow(query.at, now);
  let earliest: number | null = null;
  for (const list of incidents) {
    const start = earlyIncidentStart(list, query.at, now, window);
    if (start !== null && (earliest === null || start < earliest)) earliest = start;
  }
  if (earliest === null) return null;
  const w = errorWindow(Math.max(earliest, query.at - MAX_LOOKBACK_MS), window.to * MINUTE);
  return w.baselineFrom < window.baselineFrom ? w.baselineFrom : null;
}

/** Errors and calls with vendor names mapped to watched ids, and only those in the asked region (or naming none). */
export function normalizeErrors(
  config: CheckConfig,
  query: ResolvedCheckQuery,
  errors: readonly MinuteCount[],
  calls: readonly CallCount[],
): { errors: MinuteCount[]; calls: CallCount[] } {
  const idOf = vendorIdOf(config.vendors);
  const ids = query.regions;
  const regionCache = new Map<string, boolean>();
  const keep = (label: string): boolean => {
    if (ids.length === 0 || !label) return true;
    let ok = regionCache.get(label);
    if (ok === undefined) {
      const ours = ourRegions([label]).map((r) => r.id);
      ok = ours.length === 0 || regionOverlap(ours, [...ids]).relation !== 'disjoint';
      regionCache.set(label, ok);
    }
    return ok;
  };
  return {
    // Copies only where something changes: most errors already name vendors by their ids.
    errors: (ids.length === 0 ? errors : errors.filter((e) => keep(e.series.region))).map((e) => {
      const id = e.series.vendor ? idOf(e.series.vendor) : '';
      return id === e.series.vendor ? e : { ...e, series: { ...e.series, vendor: id } };
    }),
    calls: (ids.length === 0 ? calls : calls.filter((c) => keep(c.region))).map((c) => {
      const id = idOf(c.vendor);
      return id === c.vendor ? c : { ...c, vendor: id };
    }),
  };
}

/**
 * The vendors to judge: the one asked about; else those the service depends on plus those its errors
 * name around `at`; else every watched vendor plus any our errors name. Ids where watched.
 */
export function vendorsToCheck(
  config: CheckConfig,
  query: ResolvedCheckQuery,
  errors: readonly MinuteCount[],
  calls: readonly CallCount[],
  window: ErrorWindow,
): string[] {
  const idOf = vendorIdOf(config.vendors);
  if (query.vendor !== null) return [query.vendor];
  const out = new Set<string>();
  const spec = query.service ? config.services.find((s) => s.name === query.service) : undefined;
  if (spec) for (const d of spec.dependsOn) out.add(idOf(d.vendor));
  else if (query.service === null) for (const v of config.vendors) out.add(v.id);
  const { from, to } = window;
  for (const e of errors) {
    if (!e.series.vendor || e.minute < from || e.minute > to) continue;
    if (query.service !== null && e.series.service !== query.service) continue;
    out.add(idOf(e.series.vendor));
  }
  for (const c of calls) {
    if (c.minute < from || c.minute > to || (query.service !== null && c.service !== query.service)) continue;
    out.add(idOf(c.vendor));
  }
  return [...out];
}

const order = (v: VendorCheck): number => vendorVerdicts.indexOf(v.verdict);

/** Answers the check from what was read at `now`. Throws CheckQueryError for a vendor nobody knows. */
export function checkAnswer(
  config: CheckConfig,
  query: ResolvedCheckQuery,
  data: CheckData,
  now: number,
): CheckAnswer {
  const window = checkWindow(query.at, now);
  const { errors, calls } = normalizeErrors(config, query, data.errors, data.calls);
  const index = indexErrors(errors, window, calls);
  const vendors = vendorsToCheck(config, query, errors, calls, window);
  if (query.vendor !== null && !isWatched(query.vendor, config.vendors)) {
    const key = vendorKey(query.vendor);
    const named = [...index.byService.values()].some((t) => (t.get(key)?.entries.length ?? 0) > 0);
    if (!named) throw unknownVendorError(query.vendor, config.vendors);
  }
  const since = new Map<number, ErrorIndex | null>();
  const indexSince = (startMs: number): ErrorIndex | null => {
    const start = Math.max(startMs, query.at - MAX_LOOKBACK_MS);
    if (!since.has(start)) {
      const w = errorWindow(start, window.to * MINUTE);
      // Only when the minutes before the incident were read (see extendedMinutes).
      since.set(
        start,
        w.baselineFrom >= (data.readFrom ?? window.baselineFrom) ? indexErrors(errors, w, calls) : null,
      );
    }
    return since.get(start) ?? null;
  };
  const ctx = { now, query, index, specs: config.services, staleAfterMs: config.staleAfterMs, indexSince };
  const names = new Map(config.vendors.map((v) => [v.id, v.name]));
  const checks = vendors.map((vendor) =>
    judgeVendor(ctx, {
      vendor,
      name: names.get(vendor) ?? vendor,
      watched: names.has(vendor),
      incidents: data.incidents.get(vendor) ?? [],
      suspects: data.suspects.filter((s) => vendorKey(s.vendor) === vendorKey(vendor)),
      blind: data.blind.get(vendor) ?? [],
      page: data.pages.get(vendor) ?? null,
      customer:
        query.customer !== null ? { id: query.customer, failures: data.customerFailures ?? [] } : null,
    }),
  );
  checks.sort(
    (a, b) =>
      order(a) - order(b) ||
      b.score - a.score ||
      b.ourErrors.ratePerMin - a.ourErrors.ratePerMin ||
      a.vendor.localeCompare(b.vendor),
  );
  const top = checks[0];
  const verdict = top?.verdict ?? 'vendor-clear';
  const reads = checks
    .map((c) => c.freshness.lastReadAt)
    .filter((x): x is string => x !== null)
    .sort();
  const services = [...new Set(checks.flatMap((c) => c.ourErrors.services))].sort();
  const blamed = checks.filter((c) => c.verdict === 'vendor-incident' || c.verdict === 'vendor-suspected');
  const shown = blamed.length > 0 ? blamed : checks.slice(0, 1);
  return {
    verdict,
    summary: answerSummary(checks, { service: query.service, at: query.at, now }),
    query: {
      at: new Date(query.at).toISOString(),
      vendor: query.vendor,
      region: query.region,
      regions: query.regions,
      service: query.service,
      customer: query.customer,
    },
    vendors: checks,
    evidence: shown.flatMap((c) => c.evidence.map((e) => (checks.length > 1 ? `${c.name}: ${e}` : e))),
    ourErrors: {
      ratePerMin: round(checks.reduce((sum, c) => sum + c.ourErrors.ratePerMin, 0)),
      baselinePerMin: round(checks.reduce((sum, c) => sum + c.ourErrors.baselinePerMin, 0)),
      services,
    },
    freshness: {
      oldestReadAt: reads[0] ?? null,
      staleVendors: checks.filter((c) => c.freshness.stale).map((c) => c.vendor),
    },
  };
}

const round = (x: number): number => Math.round(x * 100) / 100;

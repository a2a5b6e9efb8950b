import { matchComponents } from '../components.js';
import type { ChangeEvent, ErrorClass } from '../contracts.js';
import { minuteOf } from '../ingest/series.js';
import { findTimes } from '../prose-time.js';
import type { Impact, VendorIncident } from '../model.js';
import { resolveRegionLabel } from '../regions/extract.js';
import { regionOverlap } from '../regions/overlap.js';
import type { RegionOverlap } from '../regions/types.js';
import {
  changeName,
  count,
  duration,
  list,
  percent,
  quote,
  rate,
  ratio,
  regionName,
  relative,
  utc,
  utcRange,
} from './evidence.js';
import type { MinuteCount, SuspectedIssue } from './types.js';

/*
 * The facts a candidate is scored on. Each signal is a value in -1 … +1 (towards the vendor when
 * positive, away from it when negative, 0 when it says nothing) with the sentence a person reads,
 * and optionally a hard veto. How much each one weighs is decided in score.ts, not here.
 */

/** Time windows and error thresholds the signals read; minutes unless named otherwise. */
export const RULES = {
  /** Errors this long before our incident's start belong to it: our alerts fire 3–15 min after onset. */
  leadMinutes: 30,
  /** Baseline: this long, ending where the lead begins, so the start of an outage does not inflate it. */
  baselineMinutes: 60,
  /** A quiet baseline is read as this rate, so 2 errors against 0 is not an "infinite" spike. */
  baselineFloorPerMin: 0.5,
  /** A spike: at least this many vendor-pointing errors at this multiple of the baseline. */
  spikeRatio: 3,
  spikeMinErrors: 10,
  /** A rise: weaker than a spike, still not baseline. */
  riseRatio: 1.5,
  riseMinErrors: 5,
  /** Client errors (4xx, bad credentials) outweigh the vendor-pointing ones from this many on. */
  clientMinErrors: 5,
  /** Vendors post 10–60 min after onset and their start is often the post: a start this late still aligns. */
  postLagMinutes: 60,
  /** A vendor incident starting later than this after our onset cannot explain it. */
  tooLateMinutes: 120,
  /** A vendor incident started up to this long before our onset is aligned with it. */
  alignedBeforeMinutes: 30,
  /** Slack on window edges (resolved just before our onset, maintenance ending a little late). */
  edgeMinutes: 15,
  /** A change of the failing service in [onset - 60, onset + 5] competes with the vendor. */
  changeBeforeMinutes: 60,
  changeAfterMinutes: 5,
  /** Vendors whose errors start within this many minutes of each other fail "at once". */
  commonModeSpreadMinutes: 5,
  /** Of the errors failing at once, this share as timeouts/resets/DNS means our network, not theirs. */
  commonModeNetworkShare: 0.6,
} as const;

export type SignalName =
  'time' | 'region' | 'component' | 'impact' | 'errors' | 'peers' | 'internal' | 'commonMode';

/** One fact about a candidate. */
export interface Signal {
  name: SignalName;
  /** -1 (away from the vendor) … +1 (towards it); 0 says nothing either way. */
  value: number;
  evidence: string;
  /** True when this fact alone rules the candidate out. */
  veto?: boolean;
}

/** Error classes that say the vendor failed; client errors say the caller did, unknown says nothing. */
export const VENDOR_POINTING: ReadonlySet<ErrorClass> = new Set([
  'server',
  'timeout',
  'network',
  'rate-limit',
]);

const MINUTE = 60_000;

/** Vendor ids are compared without case: "100ms" in errors, "100MS" in a config. */
export function vendorKey(vendor: string): string {
  return vendor.trim().toLowerCase();
}

// ─── our errors ────────────────────────────────────────────────────────────────────────────────

/** The minutes errors are read in (epoch minutes, inclusive). */
export interface ErrorWindow {
  from: number;
  to: number;
  baselineFrom: number;
}

/** Our incident's error window (its start less the lead, to its end) and the baseline before it. */
export function errorWindow(incidentStartMs: number, endMs: number): ErrorWindow {
  const from = minuteOf(incidentStartMs) - RULES.leadMinutes;
  return { from, to: Math.max(from, minuteOf(endMs)), baselineFrom: from - RULES.baselineMinutes };
}

interface Entry {
  minute: number;
  errorClass: ErrorClass;
  code: string;
  region: string;
  count: number;
}

interface Tally {
  /** Minute counts inside the window. */
  entries: Entry[];
  basePointing: number;
  baseUnknown: number;
  baseAll: number;
}

/** Our errors grouped by service and vendor: window minutes kept, baseline summed. */
export interface ErrorIndex {
  window: ErrorWindow;
  /** service → vendor key ('' when the caller did not know) → tally. */
  byService: Map<string, Map<string, Tally>>;
  /** service → window minute → every error of that service, whatever the vendor or class. */
  totals: Map<string, Map<number, number>>;
}

function bump<K>(map: Map<K, number>, key: K, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** One pass over the minute counts; the rest of the scoring reads the index. */
export function indexErrors(errors: readonly MinuteCount[], window: ErrorWindow): ErrorIndex {
  const byService = new Map<string, Map<string, Tally>>();
  const totals = new Map<string, Map<number, number>>();
  for (const { minute, series, count: n } of errors) {
    if (minute < window.baselineFrom || minute > window.to || n <= 0) continue;
    let vendors = byService.get(series.service);
    if (!vendors) byService.set(series.service, (vendors = new Map()));
    const key = vendorKey(series.vendor);
    let tally = vendors.get(key);
    if (!tally) vendors.set(key, (tally = { entries: [], basePointing: 0, baseUnknown: 0, baseAll: 0 }));
    if (minute < window.from) {
      tally.baseAll += n;
      if (VENDOR_POINTING.has(series.errorClass)) tally.basePointing += n;
      else if (series.errorClass === 'unknown') tally.baseUnknown += n;
      continue;
    }
    let perMinute = totals.get(series.service);
    if (!perMinute) totals.set(series.service, (perMinute = new Map()));
    bump(perMinute, minute, n);
    tally.entries.push({
      minute,
      errorClass: series.errorClass,
      code: series.code,
      region: series.region,
      count: n,
    });
  }
  return { window, byService, totals };
}

/** How a per-minute series in the window compares with its baseline. */
export interface Level {
  level: 'spike' | 'rise' | 'baseline' | 'none';
  /** First minute counted: the first spiking one when there is one, else the first with errors. */
  since: number | null;
  /** Errors from `since` on. */
  count: number;
  /** Over the minutes from `since` to the last error (at least 5, so a fresh burst is not a rate). */
  ratePerMin: number;
  baselinePerMin: number;
  ratio: number;
  peak: { minute: number; count: number } | null;
  /** First minute at or above max(3, spikeRatio × baseline) that the next two minutes sustain. */
  firstSpike: number | null;
}

/**
 * Counts from the first spiking minute, so the quiet part of the lead does not dilute an outage's rate;
 * without one, over every minute with errors.
 */
export function levelOf(
  perMinute: ReadonlyMap<number, number>,
  baselineCount: number,
  w: ErrorWindow,
): Level {
  const baselinePerMin = baselineCount / RULES.baselineMinutes;
  const minutes = [...perMinute].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const threshold = Math.max(3, RULES.spikeRatio * baselinePerMin);
  // An onset holds: the minute and the two after it carry 3 × the threshold, so a lone burst of
  // background noise 20 min early does not become "our first error". At the window's end the minutes
  // after are not there yet: the mass must already be there.
  const counts = new Map(minutes);
  const holds = (m: number): boolean => {
    let sum = 0;
    for (let k = m; k <= Math.min(m + 2, w.to); k++) sum += counts.get(k) ?? 0;
    return sum >= 3 * threshold;
  };
  const firstSpike = minutes.find(([m, n]) => n >= threshold && holds(m))?.[0] ?? null;
  const since = firstSpike ?? minutes[0]?.[0] ?? null;
  let total = 0;
  let last = -Infinity;
  let peak: Level['peak'] = null;
  for (const [minute, n] of minutes) {
    if (since === null || minute < since) continue;
    total += n;
    last = minute;
    if (!peak || n > peak.count) peak = { minute, count: n };
  }
  if (since === null || total === 0) {
    const level = baselineCount > 0 ? 'baseline' : 'none';
    return { level, since: null, count: 0, ratePerMin: 0, baselinePerMin, ratio: 0, peak: null, firstSpike };
  }
  const span = Math.max(last - since + 1, Math.min(5, w.to - w.from + 1));
  const ratePerMin = total / span;
  const r = ratePerMin / Math.max(baselinePerMin, RULES.baselineFloorPerMin);
  const level =
    total >= RULES.spikeMinErrors && r >= RULES.spikeRatio
      ? 'spike'
      : total >= RULES.riseMinErrors && r >= RULES.riseRatio
        ? 'rise'
        : 'baseline';
  return { level, since, count: total, ratePerMin, baselinePerMin, ratio: r, peak, firstSpike };
}

/** What our errors say about one vendor, seen from the failing service. */
export interface VendorErrorStats {
  vendor: string;
  service: string;
  window: ErrorWindow;
  /** The service tags its errors with vendors at all, so silence on this one means its calls are fine. */
  instrumented: boolean;
  pointing: Level;
  unknown: Level;
  /** Vendor-pointing classes counted from `pointing.since`; client and unknown over the whole window. */
  byClass: Record<ErrorClass, number>;
  /** Codes as the errors wrote them ("INVALID_CREDENTIALS", "HTTP_401"), most frequent first. */
  clientCodes: string[];
  unknownCodes: string[];
  /** Region labels as the errors wrote them, most errors first. */
  regions: string[];
  /** Vendor-pointing errors on this vendor / every error of the service, from `pointing.since` on. */
  share: number;
  /** Services of ours whose vendor-pointing errors on this vendor spike, the failing one first. */
  servicesHit: string[];
  /** The service's errors that name no vendor (its own code path), every class. */
  own: { level: Level; codes: string[] };
  /** Other services of ours calling this vendor in the same regions whose calls stay at baseline. */
  quietPeers: { service: string; ratePerMin: number; baselinePerMin: number }[];
}

const byCount = (map: ReadonlyMap<string, number>): string[] =>
  [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);

function perMinuteOf(entries: readonly Entry[], keep: (e: Entry) => boolean): Map<number, number> {
  const out = new Map<number, number>();
  for (const e of entries) if (keep(e)) bump(out, e.minute, e.count);
  return out;
}

const isPointing = (e: Entry): boolean => VENDOR_POINTING.has(e.errorClass);

// Every candidate vendor asks for every service's level on it; a tally's level is computed once.
const pointingLevels = new WeakMap<Tally, Level>();

function pointingLevel(tally: Tally, w: ErrorWindow): Level {
  let level = pointingLevels.get(tally);
  if (!level) {
    level = levelOf(perMinuteOf(tally.entries, isPointing), tally.basePointing, w);
    pointingLevels.set(tally, level);
  }
  return level;
}

export function vendorErrorStats(index: ErrorIndex, service: string, vendor: string): VendorErrorStats {
  const key = vendorKey(vendor);
  const vendors = index.byService.get(service);
  const tally = vendors?.get(key) ?? { entries: [], basePointing: 0, baseUnknown: 0, baseAll: 0 };
  const own = vendors?.get('');
  const w = index.window;
  const pointing = pointingLevel(tally, w);
  const since = pointing.since ?? w.from;
  const byClass: Record<ErrorClass, number> = {
    server: 0,
    timeout: 0,
    network: 0,
    'rate-limit': 0,
    client: 0,
    unknown: 0,
  };
  const clientCodes = new Map<string, number>();
  const unknownCodes = new Map<string, number>();
  const regions = new Map<string, number>();
  for (const e of tally.entries) {
    if (isPointing(e) && e.minute < since) continue;
    byClass[e.errorClass] += e.count;
    if (e.code && e.errorClass === 'client') bump(clientCodes, e.code, e.count);
    if (e.code && e.errorClass === 'unknown') bump(unknownCodes, e.code, e.count);
    if (e.region) bump(regions, e.region, e.count);
  }
  const servicesHit: string[] = [];
  const quietPeers: VendorErrorStats['quietPeers'] = [];
  const ourIds = ourRegions([...regions.keys()]).map((r) => r.id);
  for (const [name, tallies] of index.byService) {
    const t = tallies.get(key);
    if (!t) continue;
    const level = pointingLevel(t, w);
    if (level.level === 'spike') servicesHit.push(name);
    else if (
      name !== service &&
      (level.level === 'baseline' || (level.level === 'none' && t.entries.length > 0))
    ) {
      // A peer elsewhere says nothing about this region: only peers not disjoint from ours count.
      const peerIds = ourRegions([...new Set(t.entries.map((e) => e.region).filter(Boolean))]).map(
        (r) => r.id,
      );
      if (regionOverlap(peerIds, ourIds).relation !== 'disjoint')
        quietPeers.push({
          service: name,
          ratePerMin: level.ratePerMin,
          baselinePerMin: level.baselinePerMin,
        });
    }
  }
  quietPeers.sort((a, b) => a.service.localeCompare(b.service));
  servicesHit.sort((a, b) => (a === service ? -1 : b === service ? 1 : a.localeCompare(b)));
  let serviceTotal = 0;
  for (const [minute, n] of index.totals.get(service) ?? []) if (minute >= since) serviceTotal += n;
  return {
    vendor,
    service,
    window: w,
    instrumented: [...(vendors?.keys() ?? [])].some((k) => k !== ''),
    pointing,
    unknown: levelOf(
      perMinuteOf(tally.entries, (e) => e.errorClass === 'unknown'),
      tally.baseUnknown,
      w,
    ),
    byClass,
    clientCodes: byCount(clientCodes),
    unknownCodes: byCount(unknownCodes),
    regions: byCount(regions),
    share: serviceTotal > 0 ? Math.min(1, pointing.count / serviceTotal) : 0,
    servicesHit,
    quietPeers,
    own: {
      level: levelOf(
        perMinuteOf(own?.entries ?? [], () => true),
        own?.baseAll ?? 0,
        w,
      ),
      codes: byCount(
        (own?.entries ?? []).reduce(
          (m, e) => (e.code ? (bump(m, e.code, e.count), m) : m),
          new Map<string, number>(),
        ),
      ),
    },
  };
}

/** Client errors (4xx, bad credentials) at least as many as the vendor-pointing ones: the caller is wrong. */
export function clientDominated(stats: VendorErrorStats): boolean {
  return stats.byClass.client >= RULES.clientMinErrors && stats.byClass.client >= stats.pointing.count;
}

const CLASS_WORDS: Record<ErrorClass, string> = {
  server: '5xx',
  timeout: 'timeouts',
  network: 'network errors',
  'rate-limit': 'rate limits',
  client: 'client errors',
  unknown: 'unclassified',
};

function classBreakdown(stats: VendorErrorStats): string {
  const parts = (['server', 'timeout', 'network', 'rate-limit'] as const)
    .filter((c) => stats.byClass[c] > 0)
    .map((c) => `${stats.byClass[c]} ${CLASS_WORDS[c]}`);
  return parts.join(', ');
}

function windowText(w: ErrorWindow): string {
  return utcRange(w.from * MINUTE, w.to * MINUTE);
}

/** Our errors on the vendor: a spike of vendor-pointing errors confirms it; baseline or 4xx clears it. */
export function errorsSignal(stats: VendorErrorStats): Signal {
  const { service, vendor, pointing } = stats;
  const path = `${service}→${vendor}`;
  const where = stats.regions.length > 0 ? ` in ${list(stats.regions)}` : '';
  if (clientDominated(stats)) {
    const codes = stats.clientCodes.length > 0 ? ` (${list(stats.clientCodes)})` : '';
    const also = pointing.count > 0 ? `; only ${pointing.count} point at ${vendor}` : '';
    return {
      name: 'errors',
      value: -1,
      evidence: `${count(stats.byClass.client, 'client error')} from ${path}${where}${codes} in ${windowText(stats.window)} say the caller is wrong, not ${vendor}${also}`,
    };
  }
  if ((pointing.level === 'spike' || pointing.level === 'rise') && pointing.since !== null) {
    const spike = pointing.level === 'spike';
    const peak = pointing.peak
      ? `, peak ${pointing.peak.count}/min at ${utc(pointing.peak.minute * MINUTE)}`
      : '';
    const parts = [
      `${count(pointing.count, 'error')} from ${path}${where} since ${utc(pointing.since * MINUTE)} (${classBreakdown(stats)}) vs a baseline of ${rate(pointing.baselinePerMin)}: ${rate(pointing.ratePerMin)}, ${ratio(pointing.ratio)}${peak}${spike ? '' : ' — a rise, not a clear spike'}`,
    ];
    if (stats.share > 0) parts.push(`${percent(stats.share)} of ${service}'s errors name ${vendor}`);
    if (stats.servicesHit.length > 1)
      parts.push(`${stats.servicesHit.length} of our services hit (${list(stats.servicesHit)})`);
    const value = spike
      ? Math.min(1, 0.6 + (stats.share >= 0.5 ? 0.2 : 0) + (stats.servicesHit.length > 1 ? 0.2 : 0))
      : 0.25;
    return { name: 'errors', value, evidence: parts.join('; ') };
  }
  if (stats.unknown.level === 'spike') {
    const codes = stats.unknownCodes.length > 0 ? ` (${list(stats.unknownCodes)})` : '';
    return {
      name: 'errors',
      value: 0.3,
      evidence: `${count(stats.unknown.count, 'unclassified error')} from ${path}${where}${codes} vs a baseline of ${rate(stats.unknown.baselinePerMin)} (${ratio(stats.unknown.ratio)}); their codes do not say whose fault it is`,
    };
  }
  if (pointing.level === 'baseline') {
    return {
      name: 'errors',
      value: -0.9,
      evidence: `our calls to ${vendor} are at baseline (${rate(pointing.baselinePerMin)} before, ${rate(pointing.ratePerMin)} in ${windowText(stats.window)}, ${count(pointing.count, 'error')} from ${service})`,
    };
  }
  if (stats.instrumented) {
    return {
      name: 'errors',
      value: -0.6,
      evidence: `no error of ${service} names ${vendor} in ${windowText(stats.window)} while it reports errors on other vendors: our calls to ${vendor} are at baseline (0/min)`,
    };
  }
  return {
    name: 'errors',
    value: 0,
    evidence: `no error event of ${service} names a vendor, so our errors neither confirm nor clear ${vendor}`,
  };
}

// ─── time ──────────────────────────────────────────────────────────────────────────────────────

/** Our side of the timeline, in epoch ms. */
export interface OurTimes {
  /** Our incident's start. */
  start: number;
  /** Our first spiking minute of vendor-pointing errors on this vendor, when there is one. */
  firstError: number | null;
  /** Our incident's end: its resolution, else now. */
  end: number;
  resolved: boolean;
}

export type VendorTimes = Pick<
  VendorIncident,
  'vendor' | 'title' | 'kind' | 'startedAt' | 'postedAt' | 'resolvedAt' | 'scheduledFor' | 'scheduledUntil'
> &
  Partial<Pick<VendorIncident, 'id' | 'updatedAt' | 'updates'>>;

/** The impact window a vendor writes in its updates' prose ("June 12 23:32 PT - June 13 00:07 PT"). */
export interface StatedWindow {
  /** Earliest time written. */
  from: number;
  /** Latest end of a written range, when there is one. */
  to: number | null;
  ranges: { from: number; to: number }[];
}

// Reading prose is the costliest step, and replay scores the same vendor incident on every tick:
// remember the answer per incident version (a pure function's memo, bounded).
const statedCache = new Map<string, StatedWindow | null>();
const STATED_CACHE_MAX = 5_000;
const STATED_LOOKBACK_MS = 3 * 24 * 60 * MINUTE;

/**
 * Times the vendor wrote in its updates, read as its own account of the impact: only past times
 * (a "next update at 14:30" is not impact), no older than 3 days before the update, with a zone
 * written or carried in the text (a bare "10:00" on a page of unknown zone proves nothing).
 */
export function statedWindow(
  v: Pick<VendorIncident, 'updates'> & Partial<Pick<VendorIncident, 'vendor' | 'id' | 'updatedAt'>>,
): StatedWindow | null {
  const key =
    v.id !== undefined
      ? `${v.vendor ?? ''}\u0000${v.id}\u0000${v.updatedAt ?? ''}\u0000${v.updates.length}`
      : null;
  if (key !== null && statedCache.has(key)) return statedCache.get(key) ?? null;
  let from = Infinity;
  let to: number | null = null;
  const ranges: StatedWindow['ranges'] = [];
  for (const u of v.updates) {
    const posted = Date.parse(u.at);
    for (const m of findTimes(u.body, { reference: new Date(posted) })) {
      if (m.precision !== 'minute' || (m.zoneFrom !== 'text' && m.zoneFrom !== 'carried')) continue;
      const at = Date.parse(m.at);
      if (at > posted + MINUTE || at < posted - STATED_LOOKBACK_MS) continue;
      from = Math.min(from, at);
      if (m.end) {
        const end = Math.min(Date.parse(m.end), posted);
        ranges.push({ from: at, to: end });
        to = Math.max(to ?? end, end);
      }
    }
  }
  const window = Number.isFinite(from) ? { from, to, ranges } : null;
  if (key !== null) {
    if (statedCache.size >= STATED_CACHE_MAX) statedCache.clear();
    statedCache.set(key, window);
  }
  return window;
}

const onsetOf = (ours: OurTimes): number => Math.min(ours.start, ours.firstError ?? Infinity);

/** Our onset in words: our first error on the vendor when it came first, else our incident's start. */
function onsetText(ours: OurTimes, vendor: string): string {
  return ours.firstError !== null && ours.firstError < ours.start
    ? `our first error on ${vendor} (${utc(ours.firstError, ours.start)})`
    : `our incident began (${utc(ours.start)})`;
}

/** "posted 20:58 UTC, 11 min after our first error on 100ms (20:47 UTC)". */
function postedText(vendor: string, postedMs: number, ours: OurTimes): string {
  const anchor = ours.firstError ?? ours.start;
  const what =
    ours.firstError !== null
      ? `our first error on ${vendor} (${utc(anchor, ours.start)})`
      : `our incident began (${utc(anchor, ours.start)})`;
  return `posted ${utc(postedMs, ours.start)}, ${relative((postedMs - anchor) / MINUTE, what)}`;
}

/**
 * Onset alignment: a vendor incident from 30 min before our onset to 60 min after it (status-page lag)
 * aligns; later fades to a veto at 120 min; one resolved before we began is vetoed; one open for
 * hours before we began still overlaps but says less. Maintenance counts when its window covers our
 * onset (± 15 min).
 */
export function timeSignal(v: VendorTimes, ours: OurTimes): Signal {
  const onset = onsetOf(ours);
  // Vendors backdate in prose: a start or window written in an update counts as much as the fields.
  const stated = v.kind === 'incident' && v.updates ? statedWindow({ ...v, updates: v.updates }) : null;
  const start = Math.min(Date.parse(v.startedAt), stated?.from ?? Infinity);
  const posted = Date.parse(v.postedAt);
  const resolved = v.resolvedAt ? Date.parse(v.resolvedAt) : null;
  const end = resolved !== null && stated?.to != null ? Math.min(resolved, stated.to) : resolved;
  const statedText =
    stated && stated.ranges.length > 0
      ? `, stating impact ${list(stated.ranges.map((r) => utcRange(r.from, r.to, ours.start)))}`
      : stated && stated.from < Date.parse(v.startedAt)
        ? `, stating a start at ${utc(stated.from, ours.start)}`
        : '';
  const head = `${v.vendor} ${quote(v.title)}${statedText}`;
  const edge = RULES.edgeMinutes * MINUTE;
  if (v.kind === 'maintenance') {
    const from = Date.parse(v.scheduledFor ?? v.startedAt);
    const until = v.scheduledUntil ? Date.parse(v.scheduledUntil) : (end ?? Infinity);
    const span = utcRange(from, Number.isFinite(until) ? until : null, ours.start);
    if (onset < from - edge || onset > until + edge) {
      return {
        name: 'time',
        value: -1,
        veto: true,
        evidence: `${head} is a maintenance window ${span} that does not cover our onset: ${onsetText(ours, v.vendor)}`,
      };
    }
    return {
      name: 'time',
      value: 1,
      evidence: `${head} is a maintenance window ${span} covering our onset (${utc(onset, ours.start)}); ${postedText(v.vendor, posted, ours)}`,
    };
  }
  const lead = (start - onset) / MINUTE;
  if (end !== null && end < onset - edge) {
    return {
      name: 'time',
      value: -1,
      veto: true,
      evidence: `${head} ${end === resolved ? 'was resolved at' : 'says its impact ended at'} ${utc(end, ours.start)}, ${duration((onset - end) / MINUTE)} before ${onsetText(ours, v.vendor)}`,
    };
  }
  if (ours.resolved && start > ours.end + RULES.postLagMinutes * MINUTE) {
    return {
      name: 'time',
      value: -1,
      veto: true,
      evidence: `${head} started ${utc(start, ours.start)}, ${duration((start - ours.end) / MINUTE)} after our incident was resolved (${utc(ours.end, ours.start)})`,
    };
  }
  if (lead > RULES.tooLateMinutes) {
    return {
      name: 'time',
      value: -1,
      veto: true,
      evidence: `${head} started ${utc(start, ours.start)}, ${duration(lead)} after ${onsetText(ours, v.vendor)}: too late to explain our onset`,
    };
  }
  const until = resolved !== null ? `, resolved ${utc(resolved, ours.start)}` : ', still open';
  if (lead > RULES.postLagMinutes) {
    const span = RULES.tooLateMinutes - RULES.postLagMinutes;
    return {
      name: 'time',
      value: 1 - (2 * (lead - RULES.postLagMinutes)) / span,
      evidence: `${head} started ${utc(start, ours.start)}, ${duration(lead)} after ${onsetText(ours, v.vendor)}, later than vendors usually post${until}`,
    };
  }
  if (lead >= -RULES.alignedBeforeMinutes) {
    const started = Math.abs(posted - start) >= MINUTE ? `started ${utc(start, ours.start)}, ` : '';
    return {
      name: 'time',
      value: 1,
      evidence: `${head} ${started}${postedText(v.vendor, posted, ours)}${until}`,
    };
  }
  const value = lead >= -120 ? 0.8 : lead >= -360 ? 0.5 : 0.2;
  return {
    name: 'time',
    value,
    evidence: `${head} had been open since ${utc(start, ours.start)}, ${duration(-lead)} before ${onsetText(ours, v.vendor)}${until}`,
  };
}

/** A suspected issue's start against our onset: it must begin with our trouble, not an hour later. */
export function suspectTimeSignal(s: SuspectedIssue, ours: OurTimes): Signal {
  const onset = onsetOf(ours);
  const since = Date.parse(s.since);
  const closed = s.closedAt ? Date.parse(s.closedAt) : null;
  const lead = (since - onset) / MINUTE;
  const where = s.region ? ` in ${regionName(s.region)}` : '';
  const posted = s.vendorPostedAt
    ? `${s.vendor} posted at ${utc(Date.parse(s.vendorPostedAt), ours.start)}`
    : `${s.vendor} has posted nothing`;
  const head = `suspected ${s.vendor} issue${where} from our own errors since ${utc(since, ours.start)} (detected ${utc(Date.parse(s.detectedAt), ours.start)}, ${rate(s.ratePerMin)} vs a baseline of ${rate(s.baselinePerMin)})`;
  if (closed !== null && closed < onset - RULES.edgeMinutes * MINUTE) {
    return {
      name: 'time',
      value: -1,
      veto: true,
      evidence: `${head} ended at ${utc(closed, ours.start)}, ${duration((onset - closed) / MINUTE)} before ${onsetText(ours, s.vendor)}`,
    };
  }
  if (lead > RULES.postLagMinutes) {
    return {
      name: 'time',
      value: -1,
      veto: true,
      evidence: `${head} began ${duration(lead)} after ${onsetText(ours, s.vendor)}: too late to explain our onset`,
    };
  }
  const value =
    lead > RULES.edgeMinutes
      ? 1 - (2 * (lead - RULES.edgeMinutes)) / (RULES.postLagMinutes - RULES.edgeMinutes)
      : lead >= -RULES.alignedBeforeMinutes
        ? 1
        : lead >= -120
          ? 0.8
          : lead >= -360
            ? 0.5
            : 0.2;
  return {
    name: 'time',
    value,
    evidence: `${head}, ${relative(lead, onsetText(ours, s.vendor))}; ${posted}`,
  };
}

// ─── region, component, impact ─────────────────────────────────────────────────────────────────

/** One of our regions: the canonical id and the label the team wrote. */
export interface OurRegion {
  id: string;
  label: string;
}

const labelCache = new Map<string, string[]>();

/** Resolves team labels ("eu-west-1", "eu") to canonical ids, keeping the label for sentences. */
export function ourRegions(labels: readonly string[]): OurRegion[] {
  const out: OurRegion[] = [];
  for (const label of labels) {
    let ids = labelCache.get(label);
    if (!ids) labelCache.set(label, (ids = resolveRegionLabel(label)));
    for (const id of ids) if (!out.some((r) => r.id === id)) out.push({ id, label });
  }
  return out;
}

const RELATION_SYMBOL = { exact: '=', contains: '⊃', within: '⊂' } as const;

/** The region part of a candidate's evidence, with the overlap it was computed from. */
export interface RegionSignal extends Signal {
  overlap: RegionOverlap;
}

/**
 * Region overlap: a match counts its taxonomy score; a vendor naming no region is slightly against
 * (never read as global); disjoint regions push hard away and veto when the vendor's regions are
 * confident (read from anything but a passing mention in an update's prose).
 */
export function regionSignal(
  vendor: string,
  vendorRegions: readonly string[],
  ours: readonly OurRegion[],
  regionEvidence?: VendorIncident['regionEvidence'],
): RegionSignal {
  const overlap = regionOverlap(
    [...vendorRegions],
    ours.map((r) => r.id),
  );
  const vendorName = (id: string | null): string => {
    if (id === null) return '?';
    return regionEvidence?.find((e) => e.id === id)?.raw ?? regionName(id);
  };
  const ourLabel = (id: string | null): string => ours.find((r) => r.id === id)?.label ?? '?';
  const oursText = list(
    ours.map((r) => r.label).filter((l, i, all) => all.indexOf(l) === i),
    4,
  );
  if (ours.length === 0) {
    return {
      name: 'region',
      value: 0,
      overlap,
      evidence: `we have no region for this incident or service, so regions neither confirm nor clear ${vendor}`,
    };
  }
  if (overlap.relation === 'unknown') {
    return {
      name: 'region',
      value: -0.2,
      overlap,
      evidence: `${vendor} names no region, so it is not confirmed for ${oursText} (not read as global)`,
    };
  }
  if (overlap.relation === 'disjoint') {
    const theirs = list(
      vendorRegions.map((r) => vendorName(ourRegions([r])[0]?.id ?? r)),
      4,
    );
    const confident = !regionEvidence?.length || regionEvidence.some((e) => e.from !== 'update');
    return {
      name: 'region',
      value: -1,
      overlap,
      ...(confident ? { veto: true } : {}),
      evidence: `regions differ: ${vendor} names ${theirs}, we are in ${oursText}${confident ? '' : ' (the vendor only mentions its region in passing)'}`,
    };
  }
  const theirName = vendorName(overlap.vendorRegion);
  const ourName = ourLabel(overlap.ourRegion);
  const match =
    overlap.relation === 'exact' && theirName.toLowerCase() === ourName.toLowerCase()
      ? ourName
      : `${theirName} ${RELATION_SYMBOL[overlap.relation]} ${ourName}`;
  return { name: 'region', value: overlap.score, overlap, evidence: `regions match (${match})` };
}

/**
 * Components: a vendor incident on a component we declared confirms it; one naming only components we
 * do not use is vetoed; no components on either side says nothing.
 */
export function componentSignal(
  vendor: string,
  vendorComponents: readonly string[],
  wanted: readonly string[],
): Signal {
  if (vendorComponents.length === 0) {
    return { name: 'component', value: 0, evidence: `${vendor} names no component` };
  }
  if (wanted.length === 0) {
    return {
      name: 'component',
      value: 0,
      evidence: `we declared no ${vendor} components, so ${list(vendorComponents.map((c) => quote(c, 40)))} neither confirms nor clears it`,
    };
  }
  const matches = matchComponents(vendorComponents, wanted);
  if (matches.length === 0) {
    return {
      name: 'component',
      value: -1,
      veto: true,
      evidence: `not a component we use: ${vendor} names ${list(vendorComponents.map((c) => quote(c, 40)))}, we use ${list(wanted.map((c) => quote(c, 40)))}`,
    };
  }
  const direct = matches.some((m) => m.how !== 'group');
  return {
    name: 'component',
    value: direct ? 1 : 0.6,
    evidence: `components match: ${list(matches.map((m) => `${quote(m.name, 40)} (our ${quote(m.pattern, 40)})`))}`,
  };
}

const IMPACT_VALUE: Record<Impact, number> = { critical: 1, major: 0.7, minor: 0.3, none: -0.4, unknown: 0 };

/** The vendor's own rating: critical/major > minor > unknown > none ("nothing affected" is weak). */
export function impactSignal(vendor: string, impact: Impact, kind: VendorIncident['kind']): Signal {
  if (kind === 'maintenance') {
    return { name: 'impact', value: 0.2, evidence: `${vendor} announced it as scheduled maintenance` };
  }
  const evidence =
    impact === 'unknown'
      ? `${vendor}'s page gives no impact rating`
      : impact === 'none'
        ? `${vendor} rates its impact 'none'`
        : `${vendor} rates it ${impact} impact`;
  return { name: 'impact', value: IMPACT_VALUE[impact], evidence };
}

// ─── competing internal explanations ──────────────────────────────────────────────────────────

/** Changes of the failing service from 60 min before its incident to 5 min after, latest first. */
export function recentChanges(
  changes: readonly ChangeEvent[],
  service: string,
  startMs: number,
): ChangeEvent[] {
  return changes
    .filter((c) => {
      const at = Date.parse(c.at);
      return (
        c.service === service &&
        at >= startMs - RULES.changeBeforeMinutes * MINUTE &&
        at <= startMs + RULES.changeAfterMinutes * MINUTE
      );
    })
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** "deploy v812 of webinar-room at 23:55 UTC, 5 min before our incident began". */
export function changeSentence(change: ChangeEvent, startMs: number): string {
  const at = Date.parse(change.at);
  return `${changeName(change)} at ${utc(at, startMs)}, ${relative((at - startMs) / MINUTE, 'our incident began')}`;
}

/**
 * A change of ours just before onset competes with the vendor. It wins (veto) unless our calls to the
 * vendor fail with vendor-pointing errors; when they do, the change only weakens the vendor a little,
 * since a deploy and a real vendor outage can coincide.
 */
export function internalSignal(
  changes: readonly ChangeEvent[],
  stats: VendorErrorStats,
  startMs: number,
): Signal | null {
  const change = changes[0];
  if (!change) return null;
  const head =
    changeSentence(change, startMs) + (changes.length > 1 ? ` (and ${changes.length - 1} more)` : '');
  const v = stats.vendor;
  if (clientDominated(stats)) {
    return {
      name: 'internal',
      value: -1,
      veto: true,
      evidence: `${head}, and our calls to ${v} fail with client errors (${stats.byClass.client}${stats.clientCodes.length ? `, ${list(stats.clientCodes)}` : ''}): our change, not ${v}`,
    };
  }
  if (stats.pointing.level === 'spike') {
    return {
      name: 'internal',
      value: -0.3,
      evidence: `${head}, but our calls to ${v} fail with ${classBreakdown(stats)}, which point at ${v}`,
    };
  }
  if (stats.unknown.level === 'spike') {
    return {
      name: 'internal',
      value: -0.6,
      evidence: `${head}; our unclassified errors on ${v} could be either`,
    };
  }
  const calls =
    stats.pointing.level === 'none' && !stats.instrumented
      ? `no error of ours points at ${v}`
      : `our calls to ${v} stay at baseline (${rate(stats.pointing.baselinePerMin)})`;
  return {
    name: 'internal',
    value: -1,
    veto: true,
    evidence: `${head}, and ${calls}: the change is the better explanation`,
  };
}

/**
 * The failing service's own errors (naming no vendor) spike while its calls to the vendor stay at
 * baseline: the trouble is in our code path. Only for a service that tags vendors at all; otherwise
 * untagged errors could be anyone's.
 */
export function ownErrorsSignal(stats: VendorErrorStats): Signal | null {
  const { own, pointing, vendor, service } = stats;
  if (!stats.instrumented || own.level.level !== 'spike' || own.level.since === null) return null;
  if (pointing.level === 'spike' || pointing.level === 'rise' || stats.unknown.level === 'spike') return null;
  const codes = own.codes.length > 0 ? ` (${list(own.codes)})` : '';
  return {
    name: 'internal',
    value: -0.7,
    evidence: `${service}'s own errors, naming no vendor${codes}, rose to ${rate(own.level.ratePerMin)} from a baseline of ${rate(own.level.baselinePerMin)} since ${utc(own.level.since * MINUTE)} while its calls to ${vendor} stayed at ${rate(pointing.ratePerMin)}: the trouble is in our own code path`,
  };
}

/**
 * Our calls to the vendor fail from the failing service only, while other services of ours calling it
 * in the same region stay at baseline: the failure is particular to that service. Weighs double right
 * after a change of that service (a deploy shipping a bad query times out on a healthy database).
 */
export function peersSignal(stats: VendorErrorStats, changed: boolean): Signal | null {
  if (stats.pointing.level !== 'spike' || stats.quietPeers.length === 0) return null;
  const peers = stats.quietPeers.map(
    (p) => `${p.service} (${rate(p.ratePerMin)} vs ${rate(p.baselinePerMin)} before)`,
  );
  return {
    name: 'peers',
    value: changed ? -1 : -0.5,
    evidence: `calls to ${stats.vendor} from ${list(peers)} stay at baseline in the same minutes: the failure is particular to ${stats.service}${changed ? ', right after its own change' : ''}`,
  };
}

/** Calls to several vendors failing in the same minutes. */
export interface CommonMode {
  service: string;
  vendors: string[];
  fromMinute: number;
  toMinute: number;
  /** Timeouts and network errors among those vendor-pointing errors. */
  networkShare: number;
}

/**
 * When the failing service's calls to every vendor it uses (at least 2), or to 3 or more vendors, start
 * failing within 5 min of each other, the common factor is us. Returns null otherwise.
 */
export function commonModeOf(
  index: ErrorIndex,
  service: string,
  declared: readonly string[],
): CommonMode | null {
  const vendors = index.byService.get(service);
  if (!vendors) return null;
  const failing: { vendor: string; first: number; network: number; total: number }[] = [];
  for (const [key, tally] of vendors) {
    if (key === '') continue;
    const level = pointingLevel(tally, index.window);
    if (level.level !== 'spike' || level.firstSpike === null) continue;
    let network = 0;
    for (const e of tally.entries) {
      if (e.minute >= level.firstSpike && (e.errorClass === 'timeout' || e.errorClass === 'network'))
        network += e.count;
    }
    failing.push({ vendor: key, first: level.firstSpike, network, total: level.count });
  }
  const declaredKeys = new Set(declared.map(vendorKey));
  const everyDeclared =
    declaredKeys.size >= 2 && [...declaredKeys].every((d) => failing.some((f) => f.vendor === d));
  if (failing.length < 2 || (failing.length < 3 && !everyDeclared)) return null;
  const firsts = failing.map((f) => f.first);
  const fromMinute = Math.min(...firsts);
  const toMinute = Math.max(...firsts);
  if (toMinute - fromMinute > RULES.commonModeSpreadMinutes) return null;
  const total = failing.reduce((s, f) => s + f.total, 0);
  return {
    service,
    vendors: failing.map((f) => f.vendor).sort(),
    fromMinute,
    toMinute,
    networkShare: total > 0 ? failing.reduce((s, f) => s + f.network, 0) / total : 0,
  };
}

/**
 * Every vendor failing at once points at us. Mostly timeouts, resets and DNS failures (we could not
 * reach them): veto. Mostly 5xx (they answered, badly): a strong push away, which two real vendor
 * incidents can still outweigh.
 */
export function commonModeSignal(cm: CommonMode): Signal {
  const network = cm.networkShare >= RULES.commonModeNetworkShare;
  const when = utcRange(cm.fromMinute * MINUTE, cm.toMinute * MINUTE);
  return {
    name: 'commonMode',
    value: -1,
    ...(network ? { veto: true } : {}),
    evidence: `calls from ${cm.service} to ${cm.vendors.length} vendors (${list(cm.vendors, 4)}) started failing within ${duration(cm.toMinute - cm.fromMinute)} of each other (${when}), ${percent(cm.networkShare)} timeouts and network errors: the common factor is ${network ? 'us (network, DNS, egress)' : 'likely us'}`,
  };
}

/** Our error evidence for a suspected issue: input errors first, else the detector's own numbers. */
export function suspectErrorsSignal(s: SuspectedIssue, stats: VendorErrorStats): Signal {
  // The detector read the same errors; when the input carries none on this vendor, trust its numbers.
  if (stats.pointing.level !== 'none' || stats.unknown.level !== 'none' || clientDominated(stats))
    return errorsSignal(stats);
  const r = s.ratePerMin / Math.max(s.baselinePerMin, RULES.baselineFloorPerMin);
  const value = r >= RULES.spikeRatio ? 0.6 + (s.services.length > 1 ? 0.2 : 0) : 0.2;
  return {
    name: 'errors',
    value,
    evidence: `the detector saw ${rate(s.ratePerMin)} errors on ${s.vendor} vs a baseline of ${rate(s.baselinePerMin)} (${ratio(r)}) from ${list(s.services)}`,
  };
}

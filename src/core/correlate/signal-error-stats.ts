import type { ErrorClass } from '../contracts.js';
import { minuteOf } from '../series.js';
import { regionOverlap } from '../regions/overlap.js';
import { ourRegions } from './signal-scope.js';
import { RULES, VENDOR_POINTING, vendorKey } from './signal-shared.js';
import type { CallCount, MinuteCount } from './types.js';

// Our errors, indexed once and read per candidate vendor: window, levels against baseline, stats.

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

/** Calls one service made to one vendor: per window minute, and summed over the baseline. */
interface CallTally {
  perMinute: Map<number, number>;
  base: number;
  /** Baseline minutes that reported calls: producers that began reporting lately have fewer. */
  baseMinutes: Set<number>;
  /** Region labels the calls were reported from. */
  regions: Set<string>;
}

/** Our errors grouped by service and vendor: window minutes kept, baseline summed. */
export interface ErrorIndex {
  window: ErrorWindow;
  /** service → vendor key ('' when the caller did not know) → tally. */
  byService: Map<string, Map<string, Tally>>;
  /** service → window minute → every error of that service, whatever the vendor or class. */
  totals: Map<string, Map<number, number>>;
  /** service → vendor key → call volume, where producers report it. */
  calls: Map<string, Map<string, CallTally>>;
}

function bump<K>(map: Map<K, number>, key: K, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** One pass over the minute counts (and call counts); the rest of the scoring reads the index. */
export function indexErrors(
  errors: readonly MinuteCount[],
  window: ErrorWindow,
  callCounts: readonly CallCount[] = [],
): ErrorIndex {
  const byService = new Map<string, Map<string, Tally>>();
  const totals = new Map<string, Map<number, number>>();
  const calls = new Map<string, Map<string, CallTally>>();
  for (const c of callCounts) {
    if (c.minute < window.baselineFrom || c.minute > window.to || c.calls <= 0) continue;
    let vendors = calls.get(c.service);
    if (!vendors) calls.set(c.service, (vendors = new Map()));
    const key = vendorKey(c.vendor);
    let tally = vendors.get(key);
    if (!tally)
      vendors.set(
        key,
        (tally = { perMinute: new Map(), base: 0, baseMinutes: new Set(), regions: new Set() }),
      );
    if (c.region) tally.regions.add(c.region);
    if (c.minute < window.from) {
      tally.base += c.calls;
      tally.baseMinutes.add(c.minute);
    } else bump(tally.perMinute, c.minute, c.calls);
  }
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
  return { window, byService, totals, calls };
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
  /** Minutes from `firstSpike` on at or above that threshold: how long the spike has held. */
  spikeMinutes: number;
  /**
   * The minute the rise was over: after its last high minute (a quarter of the peak, and twice the
   * rise ratio over the baseline) the window holds at least `ENDED_QUIET_MINUTES` quiet ones. Null
   * while it goes on, or with no rise.
   */
  endedAt?: number | null;
}

/** Quiet minutes after the last high one before a rise counts as over. */
const ENDED_QUIET_MINUTES = 3;

function endOf(
  minutes: ReadonlyArray<readonly [number, number]>,
  since: number,
  peak: number,
  baselinePerMin: number,
  w: ErrorWindow,
): number | null {
  const high = Math.max(RISE_ONSET_FACTOR * Math.max(baselinePerMin, RULES.baselineFloorPerMin), peak / 4);
  let lastHigh: number | null = null;
  for (const [m, n] of minutes) if (m >= since && n >= high) lastHigh = m;
  return lastHigh !== null && lastHigh + ENDED_QUIET_MINUTES <= w.to ? lastHigh + 1 : null;
}

/** Minutes a rise must fill, and how far above the baseline, to be where the count starts. */
const RISE_ONSET_MINUTES = 5;
const RISE_ONSET_FACTOR = 2 * RULES.riseRatio;

/**
 * Where a rise too modest to spike begins: the first minute that, with the four after it, carries
 * twice the rise ratio over the baseline (floored) and at least `riseMinErrors`, holding its share. Counting from there keeps the
 * quiet half hour of the lead from diluting ten minutes of 2.5 errors a minute into "baseline".
 */
function riseOnset(
  minutes: ReadonlyArray<readonly [number, number]>,
  counts: ReadonlyMap<number, number>,
  baselinePerMin: number,
  w: ErrorWindow,
): number | null {
  const need = Math.max(
    RULES.riseMinErrors,
    RISE_ONSET_FACTOR * Math.max(baselinePerMin, RULES.baselineFloorPerMin) * RISE_ONSET_MINUTES,
  );
  for (const [m, n] of minutes) {
    if (m + RISE_ONSET_MINUTES - 1 > w.to) break;
    // The onset minute carries its share itself: a background error just before is not the start.
    if (n < need / RISE_ONSET_MINUTES) continue;
    let sum = 0;
    for (let k = m; k < m + RISE_ONSET_MINUTES; k++) sum += counts.get(k) ?? 0;
    if (sum >= need) return m;
  }
  return null;
}

/**
 * Counts from the first spiking minute, so the quiet part of the lead does not dilute an outage's rate;
 * without one, from where a sustained rise begins; without that, over every minute with errors.
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
  const since = firstSpike ?? riseOnset(minutes, counts, baselinePerMin, w) ?? minutes[0]?.[0] ?? null;
  let total = 0;
  let last = -Infinity;
  let peak: Level['peak'] = null;
  for (const [minute, n] of minutes) {
    if (since === null || minute < since) continue;
    total += n;
    last = minute;
    if (!peak || n > peak.count) peak = { minute, count: n };
  }
  let spikeMinutes = 0;
  if (firstSpike !== null)
    for (const [m, n] of minutes) if (m >= firstSpike && n >= threshold) spikeMinutes++;
  if (since === null || total === 0) {
    const level = baselineCount > 0 ? 'baseline' : 'none';
    return {
      level,
      since: null,
      count: 0,
      ratePerMin: 0,
      baselinePerMin,
      ratio: 0,
      peak: null,
      firstSpike,
      spikeMinutes,
    };
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
  const endedAt = level === 'baseline' ? null : endOf(minutes, since, peak?.count ?? 0, baselinePerMin, w);
  return {
    level,
    since,
    count: total,
    ratePerMin,
    baselinePerMin,
    ratio: r,
    peak,
    firstSpike,
    spikeMinutes,
    endedAt,
  };
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
  /** The same labels with their error counts (vendor-pointing ones from `pointing.since`; all classes). */
  regionCounts: Array<[label: string, count: number]>;
  /** Vendor-pointing errors on this vendor / every error of the service, from `pointing.since` on. */
  share: number;
  /** Services of ours whose vendor-pointing errors on this vendor spike, the failing one first. */
  servicesHit: string[];
  /** The service's errors that name no vendor (its own code path), every class. */
  own: { level: Level; codes: string[] };
  /**
   * Other services of ours calling this vendor in the same regions whose calls stay at baseline;
   * `callsPerMin` where the peer reports its call volume in the window (measured, not only quiet).
   */
  quietPeers: { service: string; ratePerMin: number; baselinePerMin: number; callsPerMin?: number }[];
  /**
   * How we know the service calls this vendor at all, so that "at baseline" is a fact: call volume,
   * errors tagged with the vendor in the window or its baseline, or nothing (then silence is neutral).
   */
  measured: 'calls' | 'tagged' | null;
  /** Call volume and failure ratio, where the producer reports calls. */
  calls: CallStats | null;
  /**
   * The service's untagged errors that could be a vendor's (5xx, timeouts, resets, unclassified; not
   * 4xx): a CDN in front answering 503 shows up here, logged as our own HTTP_503.
   */
  untagged: UntaggedStats;
}

/** Calls to the vendor from the failing service, in the window (from the spike on) and before it. */
export interface CallStats {
  total: number;
  failed: number;
  ratio: number;
  baseTotal: number;
  baseFailed: number;
  baseRatio: number;
  /** Calls that did not fail, per minute that reported calls: from the spike on, and over the baseline. */
  okPerMin: number;
  baseOkPerMin: number;
}

export interface UntaggedStats {
  level: Level;
  /** Share of those errors in vendor-pointing classes (the rest unclassified). */
  pointingShare: number;
  codes: string[];
  /** Client errors (4xx) among the service's untagged errors in the window. */
  client: number;
  /** Other services of ours whose untagged errors spike within a few minutes of this one's. */
  alsoSpiking: string[];
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

export function pointingLevel(tally: Tally, w: ErrorWindow): Level {
  let level = pointingLevels.get(tally);
  if (!level) {
    level = levelOf(perMinuteOf(tally.entries, isPointing), tally.basePointing, w);
    pointingLevels.set(tally, level);
  }
  return level;
}

const isUntaggedCandidate = (e: Entry): boolean => e.errorClass !== 'client';

// A tally's errors of every class but client against their baseline: the calls failing at all (for
// the '' tally, the service's untagged errors read as one series).
const failingLevels = new WeakMap<Tally, Level>();

export function failingLevel(tally: Tally, w: ErrorWindow): Level {
  let level = failingLevels.get(tally);
  if (!level) {
    level = levelOf(
      perMinuteOf(tally.entries, isUntaggedCandidate),
      tally.basePointing + tally.baseUnknown,
      w,
    );
    failingLevels.set(tally, level);
  }
  return level;
}

/**
 * A service's untagged errors (every class but client) against their baseline; null when it reported
 * none at all in the window or its baseline, so nothing is known of it.
 */
export function untaggedLevelOf(index: ErrorIndex, service: string): Level | null {
  const own = index.byService.get(service)?.get('');
  if (!own || (own.entries.length === 0 && own.baseAll === 0)) return null;
  return failingLevel(own, index.window);
}

/** Minutes apart that two services' untagged spikes may start and still count as one event. */
const TOGETHER_MINUTES = 10;

// The same for every candidate vendor of a service: computed once per index and service.
const untaggedByIndex = new WeakMap<ErrorIndex, Map<string, UntaggedStats>>();

function untaggedStats(index: ErrorIndex, service: string): UntaggedStats {
  let byService = untaggedByIndex.get(index);
  if (!byService) untaggedByIndex.set(index, (byService = new Map()));
  let stats = byService.get(service);
  if (!stats) byService.set(service, (stats = computeUntaggedStats(index, service)));
  return stats;
}

function computeUntaggedStats(index: ErrorIndex, service: string): UntaggedStats {
  const own = index.byService.get(service)?.get('');
  const empty = { entries: [], basePointing: 0, baseUnknown: 0, baseAll: 0 };
  const level = failingLevel(own ?? empty, index.window);
  const since = level.since ?? index.window.from;
  let pointing = 0;
  let all = 0;
  let client = 0;
  const codes = new Map<string, number>();
  for (const e of own?.entries ?? []) {
    if (e.errorClass === 'client') {
      client += e.count;
      continue;
    }
    if (e.minute < since) continue;
    all += e.count;
    if (isPointing(e)) pointing += e.count;
    if (e.code) bump(codes, e.code, e.count);
  }
  const alsoSpiking: string[] = [];
  if (level.level === 'spike' && level.firstSpike !== null) {
    for (const [name, tallies] of index.byService) {
      const t = tallies.get('');
      if (name === service || !t) continue;
      const other = failingLevel(t, index.window);
      if (
        other.level === 'spike' &&
        other.firstSpike !== null &&
        Math.abs(other.firstSpike - level.firstSpike) <= TOGETHER_MINUTES
      )
        alsoSpiking.push(name);
    }
    alsoSpiking.sort();
  }
  return { level, pointingShare: all > 0 ? pointing / all : 0, codes: byCount(codes), client, alsoSpiking };
}

/** Calls per minute that reported any, over the window; 0 with no report. */
function callsPerMinute(tally: CallTally | undefined): number {
  if (!tally || tally.perMinute.size === 0) return 0;
  let total = 0;
  for (const n of tally.perMinute.values()) total += n;
  return total / tally.perMinute.size;
}

function callStats(
  index: ErrorIndex,
  service: string,
  key: string,
  since: number,
  failed: number,
  baseFailed: number,
): CallStats | null {
  const tally = index.calls.get(service)?.get(key);
  if (!tally) return null;
  let total = 0;
  let minutes = 0;
  for (const [minute, n] of tally.perMinute)
    if (minute >= since) {
      total += n;
      minutes++;
    }
  if (total === 0 && tally.base === 0) return null;
  return {
    total,
    failed,
    ratio: total > 0 ? Math.min(1, failed / total) : 0,
    baseTotal: tally.base,
    baseFailed,
    baseRatio: tally.base > 0 ? Math.min(1, baseFailed / tally.base) : 0,
    okPerMin: minutes > 0 ? Math.max(0, total - failed) / minutes : 0,
    baseOkPerMin:
      tally.baseMinutes.size > 0 ? Math.max(0, tally.base - baseFailed) / tally.baseMinutes.size : 0,
  };
}

/**
 * A tally read as a peer: its level and its regions' ids. Every vendor's statistics read every other
 * service's tally on it, so a check about many vendors would read each one many times; a tally belongs
 * to one index and is read against that index's window only, so the reading is kept per tally.
 */
const peerReadings = new WeakMap<Tally, { pointing: Level; level: Level; peerIds: () => string[] }>();

function peerReading(t: Tally, w: ErrorWindow): { pointing: Level; level: Level; peerIds: () => string[] } {
  let hit = peerReadings.get(t);
  if (!hit) {
    // Failing in any class but client: a peer whose unclassified errors (SQLSTATE 2002) spike is hit too.
    const pointingNow = pointingLevel(t, w);
    let ids: string[] | null = null;
    hit = {
      pointing: pointingNow,
      level: pointingNow.level === 'spike' ? pointingNow : failingLevel(t, w),
      peerIds: () =>
        (ids ??= ourRegions([...new Set(t.entries.map((e) => e.region).filter(Boolean))]).map((r) => r.id)),
    };
    peerReadings.set(t, hit);
  }
  return hit;
}

export function vendorErrorStats(index: ErrorIndex, service: string, vendor: string): VendorErrorStats {
  const key = vendorKey(vendor);
  const vendors = index.byService.get(service);
  const tally = vendors?.get(key) ?? { entries: [], basePointing: 0, baseUnknown: 0, baseAll: 0 };
  const own = vendors?.get('');
  const w = index.window;
  const pointing = vendors?.get(key) ? peerReading(tally, w).pointing : pointingLevel(tally, w);
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
    const { level, peerIds } = peerReading(t, w);
    if (level.level === 'spike') servicesHit.push(name);
    else if (
      name !== service &&
      (level.level === 'baseline' || (level.level === 'none' && (t.entries.length > 0 || t.baseAll > 0)))
    ) {
      // A peer elsewhere says nothing about this region: only peers not disjoint from ours count.
      if (regionOverlap(peerIds(), ourIds).relation !== 'disjoint') {
        const perMin = callsPerMinute(index.calls.get(name)?.get(key));
        quietPeers.push({
          service: name,
          ratePerMin: level.ratePerMin,
          baselinePerMin: level.baselinePerMin,
          ...(perMin > 0 ? { callsPerMin: perMin } : {}),
        });
      }
    }
  }
  // A peer that reports its calls to the vendor and no error on it at all is the calmest of all.
  for (const [name, vendorsCalled] of index.calls) {
    const c = vendorsCalled.get(key);
    if (!c || name === service || c.perMinute.size === 0 || index.byService.get(name)?.get(key)) continue;
    const ids = ourRegions([...c.regions]).map((r) => r.id);
    if (regionOverlap(ids, ourIds).relation === 'disjoint') continue;
    const perMin = callsPerMinute(c);
    quietPeers.push({ service: name, ratePerMin: 0, baselinePerMin: 0, callsPerMin: perMin });
  }
  quietPeers.sort((a, b) => a.service.localeCompare(b.service));
  servicesHit.sort((a, b) => (a === service ? -1 : b === service ? 1 : a.localeCompare(b)));
  let serviceTotal = 0;
  for (const [minute, n] of index.totals.get(service) ?? []) if (minute >= since) serviceTotal += n;
  const calls = callStats(index, service, key, since, pointing.count, tally.basePointing);
  const tagged = tally.entries.length > 0 || tally.baseAll > 0;
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
    regionCounts: byCount(regions).map((label): [string, number] => [label, regions.get(label) ?? 0]),
    share: serviceTotal > 0 ? Math.min(1, pointing.count / serviceTotal) : 0,
    servicesHit,
    quietPeers,
    measured: calls !== null && calls.total + calls.baseTotal > 0 ? 'calls' : tagged ? 'tagged' : null,
    calls,
    untagged: untaggedStats(index, service),
    own: ownStats(index, service, own),
  };
}

// Errors of a service naming no vendor: the same for every vendor asked about, so read once per index.
const ownByIndex = new WeakMap<ErrorIndex, Map<string, VendorErrorStats['own']>>();

function ownStats(index: ErrorIndex, service: string, own: Tally | undefined): VendorErrorStats['own'] {
  let byService = ownByIndex.get(index);
  if (!byService) ownByIndex.set(index, (byService = new Map()));
  let stats = byService.get(service);
  if (!stats) {
    stats = {
      level: levelOf(
        perMinuteOf(own?.entries ?? [], () => true),
        own?.baseAll ?? 0,
        index.window,
      ),
      codes: byCount(
        (own?.entries ?? []).reduce(
          (m, e) => (e.code ? (bump(m, e.code, e.count), m) : m),
          new Map<string, number>(),
        ),
      ),
    };
    byService.set(service, stats);
  }
  return stats;
}

/**
 * Our calls to the vendor are known to be fine: we know the service calls it (call volume or tagged
 * errors) and nothing vendor-pointing rises. Silence from a service that never tags the vendor is not this.
 */
export function callsHealthy(stats: VendorErrorStats): boolean {
  if (stats.measured === null) return false;
  if (stats.unknown.level === 'spike') return false;
  if (stats.pointing.level !== 'spike' && stats.pointing.level !== 'rise') return true;
  // More failed calls, but no larger share of them: the count rose with our traffic, not the vendor's failures.
  return stats.calls !== null && stats.calls.total > 0 && !ratioElevated(stats.calls);
}

/** The failure ratio is clearly above its baseline (at least 3× and 1 point up). */
export function ratioElevated(c: CallStats): boolean {
  return c.total > 0 && c.ratio >= Math.max(3 * c.baseRatio, c.baseRatio + 0.01);
}

/**
 * Call volume shows our calls to the vendor succeed: a measured fact, strong enough to say that errors
 * naming no vendor are not that vendor's. A trickle of tagged errors at baseline only shows that the
 * paths we tag are fine; a product of the vendor's in front of us (a CDN) is not one of them.
 */
export function callsMeasuredHealthy(stats: VendorErrorStats): boolean {
  return stats.measured === 'calls' && callsHealthy(stats);
}

/**
 * The caller is wrong: client errors (4xx, bad credentials) at least as many as the vendor-pointing
 * ones, or rate limits answering a surge of our own traffic (`selfLimited`).
 */
export function clientDominated(stats: VendorErrorStats): boolean {
  return (
    (stats.byClass.client >= RULES.clientMinErrors && stats.byClass.client >= stats.pointing.count) ||
    selfLimited(stats)
  );
}

/**
 * Most of our failed calls are rate limits while the calls that succeed came at several times their
 * baseline rate: the vendor is holding us to its limits against a surge we made (a retry storm, a
 * backfill), not failing. A vendor in trouble that answers 429 does not let through more of our calls
 * than before; retries of its failures add failed calls, not successful ones.
 */
export function selfLimited(stats: VendorErrorStats): boolean {
  const c = stats.calls;
  const failing =
    stats.byClass.server + stats.byClass.timeout + stats.byClass.network + stats.byClass['rate-limit'];
  return (
    c !== null &&
    c.baseOkPerMin > 0 &&
    stats.byClass['rate-limit'] >= RULES.clientMinErrors &&
    stats.byClass['rate-limit'] * 2 >= failing &&
    c.okPerMin >= RULES.trafficSurgeRatio * c.baseOkPerMin
  );
}

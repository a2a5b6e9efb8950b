import { z } from 'zod';
import {
  baselineAt,
  indexCells,
  rateVsBaseline,
  regionChain,
  regionDepth,
  sameChain,
  spikeThreshold,
  sumCells,
  type Baseline,
  type Cell,
  type CellIndex,
  type MinuteCounts,
  type SpikeBar,
} from './baseline.js';
import { instantSchema, type VendorIncident } from '../model.js';
import { regionOverlap } from '../regions/overlap.js';
import type { RegionId } from '../regions/types.js';

/** A vendor outage inferred from our own errors, before (or without) the vendor saying so. */
export const suspectSchema = z.object({
  /** Deterministic from vendor, region and since, so a re-run of the same minute writes the same row. */
  id: z.string().min(1),
  vendor: z.string().min(1),
  /** Canonical region: the most specific one shared by the spiking series. */
  region: z.string().min(1),
  /** Start of the first spiking minute. */
  since: instantSchema,
  services: z.array(z.string()),
  /** Which bar opened it: several of our services at once, or one service past the higher bar. */
  rule: z.enum(['multi-service', 'single-service']),
  /** Weighted vendor-pointing errors in the last minute judged. */
  ratePerMin: z.number(),
  /** Median per minute over the baseline window before `since`; frozen while the suspect is open. */
  baselinePerMin: z.number(),
  ratio: z.number(),
  peakPerMin: z.number(),
  detectedAt: instantSchema,
  updatedAt: instantSchema,
  /** Start of the last minute above the calm level. */
  lastSpikeAt: instantSchema,
  /** Start of the first calm minute of the streak that closed it. */
  closedAt: instantSchema.nullable(),
  vendorIncidentId: z.string().nullable(),
  /** When the vendor first posted the linked incident. */
  vendorPostedAt: instantSchema.nullable(),
  /** vendorPostedAt − since in minutes: how late the vendor acknowledged what our errors showed. */
  ackLagMinutes: z.number().nullable(),
  /** How the vendor incident's regions relate to ours; 'unknown' when the vendor named none. */
  regionMatch: z.enum(['exact', 'contains', 'within', 'nearby', 'disjoint', 'unknown']).nullable(),
});
export type Suspect = z.infer<typeof suspectSchema>;

/**
 * Every threshold of the detector. Rates are weighted errors per minute (see classWeights: client
 * errors count 0, unclassified ones half). A bar is passed when the rate reaches all of factor ×
 * median, median + above, median + madK robust sigmas and minRate (see spikeThreshold).
 */
export interface SuspectThresholds {
  /** Minutes a rolling baseline covers: those right before the minute judged. */
  baselineMinutes: number;
  /** How far back the start of a spike is searched; with baselineMinutes it sets how much is read. */
  maxRunMinutes: number;
  /** When one service's calls to one vendor from one region count as elevated. */
  signal: SpikeBar;
  /** The vendor bar when two or more of our services are elevated at once, held `minutes` in a row. */
  multi: SpikeBar & { minutes: number };
  /** The higher bar when one service alone is elevated: its own bug is the competing explanation. */
  single: SpikeBar & { minutes: number };
  /**
   * A low-volume service (a few calls a minute) never passes the single bar: one service alone is also
   * suspected when, over the last `minutes`, it averaged at least `minRate` errors a minute and
   * `factor` times its mean of the hour before (and `minRate` above it), each half of the window at
   * half that at least, with errors in at least `activeMinutes` of those minutes (a sustained rise,
   * not a burst), while the window stays under the single bar's `minRate` (above it, that bar decides)
   * and no other vendor's errors rose in the same window, from that service or in that region (then
   * the common factor is us).
   */
  sustained?: { minutes: number; minRate: number; factor: number; activeMinutes: number };
  /** An open suspect closes after `minutes` in a row at or below max(factor × baseline, baseline + above). */
  calm: { factor: number; above: number; minutes: number };
  /**
   * The common factor is us: when at least `fraction` of the vendors with errors in a region pass
   * `bar` in the same minute (and there are at least `minVendors`), nothing is suspected there; the
   * same for one service's calls to all its vendors (at least `minVendorsPerService`).
   */
  commonCause: { bar: SpikeBar; fraction: number; minVendors: number; minVendorsPerService: number };
  /** A vendor incident links when it starts within this many minutes of the suspect's window. */
  linkWindowMinutes: number;
  /**
   * One service alone is no vendor outage when that service changed (deploy, config, flag) up to this
   * many minutes before its errors began: its own change is the nearer explanation.
   */
  changeGuardMinutes: number;
}

export const defaultSuspectThresholds: Readonly<SuspectThresholds> = Object.freeze({
  baselineMinutes: 60,
  maxRunMinutes: 30,
  signal: { factor: 3, above: 5, minRate: 5, madK: 4 },
  multi: { factor: 4, above: 10, minRate: 10, madK: 4, minutes: 2 },
  single: { factor: 10, above: 5, minRate: 5, madK: 6, minutes: 5 },
  sustained: { minutes: 10, minRate: 2, factor: 10, activeMinutes: 7 },
  calm: { factor: 1.5, above: 3, minutes: 5 },
  commonCause: {
    bar: { factor: 2, above: 3, minRate: 3, madK: 3 },
    fraction: 0.8,
    minVendors: 3,
    minVendorsPerService: 2,
  },
  linkWindowMinutes: 60,
  changeGuardMinutes: 30,
});

/** Minutes of buckets evaluateSuspects needs, ending with the last complete minute. */
export function lookbackMinutes(t: SuspectThresholds = defaultSuspectThresholds): number {
  return t.baselineMinutes + t.maxRunMinutes + 1;
}

/** Calls to (almost) every vendor spiked together in a region: our network, DNS or egress. */
export interface InternalWideNote {
  minute: string;
  region: RegionId;
  vendors: string[];
}

export interface SuspectEvaluation {
  /** The minute judged (epoch ms / 60000): the last complete one before `now`. */
  minute: number;
  opened: Suspect[];
  updated: Suspect[];
  closed: Suspect[];
  internalWide: InternalWideNote[];
  /** Single-service spikes not suspected because that service changed just before: (vendor, region, service, change time). */
  heldForChange: Array<{ vendor: string; region: RegionId; service: string; changeAt: string }>;
}

const iso = (minute: number) => new Date(minute * 60_000).toISOString();
/** Successful calls at this multiple of their baseline, failing mostly with 429s: our own surge (see ownSurge). */
const ownSurgeRatio = 2;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Memoized per-minute signals over one evaluation's cells. */
function createSignals(index: CellIndex, th: SuspectThresholds) {
  const length = index.to - index.from + 1;
  const vendorCells = new Map<string, Cell[]>();
  // Only cells that name a vendor: errors with none cannot point at one.
  const serviceCells = new Map<string, Cell[]>();
  const regionKeys = new Set<RegionId>();
  for (const cell of index.cells) {
    if (!cell.vendor) continue;
    for (const [map, key] of [
      [vendorCells, cell.vendor],
      [serviceCells, cell.service],
    ] as const) {
      const list = map.get(key);
      if (list) list.push(cell);
      else map.set(key, [cell]);
    }
    for (const r of regionChain(cell.region)) regionKeys.add(r);
  }
  const aggregates = new Map<string, Float64Array>();
  const baselines = new WeakMap<Float64Array, Map<number, Baseline>>();
  const serviceWideMemo = new Map<string, boolean>();
  const serviceSeries = new Map<string, Array<[string, Float64Array]>>();
  const internalWideMemo = new Map<string, string[] | null>();

  const base = (values: Float64Array, i: number): Baseline => {
    let byIndex = baselines.get(values);
    if (!byIndex) baselines.set(values, (byIndex = new Map()));
    let b = byIndex.get(i);
    if (!b) byIndex.set(i, (b = baselineAt(values, i, th.baselineMinutes)));
    return b;
  };
  const passes = (values: Float64Array, i: number, bar: SpikeBar) =>
    values[i]! >= spikeThreshold(base(values, i), bar);
  const active = (values: Float64Array, i: number) => values[i]! > 0 || base(values, i).median > 0;

  /** Errors against `vendor` from every cell inside `region`. */
  function aggregate(vendor: string, region: RegionId): Float64Array {
    const key = JSON.stringify([vendor, region]);
    let values = aggregates.get(key);
    if (!values) {
      const cells = (vendorCells.get(vendor) ?? []).filter((c) => regionChain(c.region).includes(region));
      aggregates.set(key, (values = sumCells(cells, length)));
    }
    return values;
  }

  /** The vendors spiking when at least `fraction` of the busy ones do: the common factor is the caller. */
  function commonFactor(
    series: Array<[string, Float64Array]>,
    i: number,
    minVendors: number,
  ): string[] | null {
    const busy = series.filter(([, v]) => active(v, i));
    const hot = busy.filter(([, v]) => passes(v, i, th.commonCause.bar)).map(([name]) => name);
    return busy.length >= minVendors && hot.length >= th.commonCause.fraction * busy.length ? hot : null;
  }

  /** One service's calls to all its vendors spiking together: the service, not the vendors. */
  function serviceWide(i: number, service: string): boolean {
    const key = `${i}|${service}`;
    let wide = serviceWideMemo.get(key);
    if (wide === undefined) {
      let series = serviceSeries.get(service);
      if (!series) {
        const perVendor = new Map<string, Cell[]>();
        for (const c of serviceCells.get(service) ?? []) {
          const list = perVendor.get(c.vendor);
          if (list) list.push(c);
          else perVendor.set(c.vendor, [c]);
        }
        series = [...perVendor].map(([v, cells]): [string, Float64Array] => [v, sumCells(cells, length)]);
        serviceSeries.set(service, series);
      }
      wide = commonFactor(series, i, th.commonCause.minVendorsPerService) !== null;
      serviceWideMemo.set(key, wide);
    }
    return wide;
  }

  /** The vendors spiking together in `region` at minute i, or null when it is not internal-wide. */
  function internalWide(i: number, region: RegionId): string[] | null {
    const key = `${i}|${region}`;
    let hot = internalWideMemo.get(key);
    if (hot === undefined) {
      const series = [...vendorCells.keys()]
        .map((v): [string, Float64Array] => [v, aggregate(v, region)])
        .filter(([, values]) => values.some((x) => x > 0));
      hot = commonFactor(series, i, th.commonCause.minVendors);
      internalWideMemo.set(key, hot);
    }
    return hot;
  }

  /** A spike in `region` at minute i is ours when that region, or one inside or around it, is internal-wide. */
  const suppressed = (i: number, region: RegionId) =>
    [...regionKeys].some((w) => sameChain(w, region) && internalWide(i, w) !== null);

  const succeeded = new WeakMap<Cell, Float64Array>();
  /**
   * Mostly rate limits at minute i while the calls that succeeded ran at `ownSurgeRatio` times their
   * baseline or more: the vendor is holding this caller to its limits against a surge of its own (a
   * retry storm, a backfill, a broadcast). A vendor in trouble that answers 429 lets fewer of our
   * calls through, not more. Only where the producer reports call volume.
   */
  function ownSurge(c: Cell, i: number): boolean {
    if (!c.calls || c.limited[i]! * 2 < c.values[i]!) return false;
    let ok = succeeded.get(c);
    if (!ok) {
      const calls = c.calls;
      ok = calls.map((n, j) => Math.max(0, n - c.values[j]!));
      succeeded.set(c, ok);
    }
    const median = base(ok, i).median;
    return median > 0 && ok[i]! >= ownSurgeRatio * median;
  }

  /** Services whose own calls to `vendor` inside `region` are elevated at minute i (and not service-wide or their own surge). */
  function elevatedServices(vendor: string, region: RegionId, i: number): Set<string> {
    const out = new Set<string>();
    for (const c of vendorCells.get(vendor) ?? []) {
      if (out.has(c.service) || !regionChain(c.region).includes(region)) continue;
      if (passes(c.values, i, th.signal) && !serviceWide(i, c.service) && !ownSurge(c, i)) out.add(c.service);
    }
    return out;
  }

  /** Mean of `values` over [from, to], and over the `baselineMinutes` before `from`. */
  function windowMeans(values: Float64Array, from: number, to: number) {
    let sum = 0;
    for (let j = from; j <= to; j++) sum += values[j]!;
    const start = Math.max(0, from - th.baselineMinutes);
    let before = 0;
    for (let j = start; j < from; j++) before += values[j]!;
    return { mean: sum / (to - from + 1), baseMean: from - start > 0 ? before / (from - start) : 0 };
  }

  /** Errors of `values` over [from, to] at least twice the hour before and 1/min above it: risen, if weakly. */
  function roseToo(values: Float64Array, from: number, to: number): boolean {
    const { mean, baseMean } = windowMeans(values, from, to);
    return mean >= Math.max(2 * baseMean, baseMean + 1);
  }

  /** Services whose calls to `vendor` inside `region` have risen and held at a low rate (th.sustained) up to minute i. */
  const sustainedMemo = new Map<string, Set<string>>();
  function sustainedServices(vendor: string, region: RegionId, i: number): Set<string> {
    // Asked once per seed cell and per open suspect's recent minutes: judged once per (vendor, region, minute).
    const key = `${i}|${region}|${vendor}`;
    let out = sustainedMemo.get(key);
    if (!out) sustainedMemo.set(key, (out = sustainedAt(vendor, region, i)));
    return out;
  }

  function sustainedAt(vendor: string, region: RegionId, i: number): Set<string> {
    const out = new Set<string>();
    const bar = th.sustained;
    if (!bar || i - bar.minutes + 1 < 0 || suppressed(i, region)) return out;
    const first = i - bar.minutes + 1;
    const half = Math.floor(bar.minutes / 2);
    for (const c of vendorCells.get(vendor) ?? []) {
      if (out.has(c.service) || !regionChain(c.region).includes(region)) continue;
      let active = 0;
      for (let j = first; j <= i; j++) if (c.values[j]! > 0) active++;
      const whole = windowMeans(c.values, first, i);
      const need = Math.max(bar.minRate, bar.factor * whole.baseMean, whole.baseMean + bar.minRate);
      const early = windowMeans(c.values, first, first + half - 1).mean;
      const late = windowMeans(c.values, first + half, i).mean;
      // At the rate over the window, and each half at half of it at least: held, not a burst at one end.
      if (
        active < bar.activeMinutes ||
        whole.mean < need ||
        whole.mean >= th.single.minRate ||
        Math.min(early, late) < need / 2
      )
        continue;
      // The common factor is us: the same service failing toward another vendor, or another vendor's
      // errors rising in the same region, in the same window.
      const elsewhere = [...vendorCells].some(
        ([other, cells]) =>
          other !== vendor &&
          cells.some(
            (o) =>
              (o.service === c.service || regionChain(o.region).includes(region)) &&
              roseToo(o.values, first, i),
          ),
      );
      if (!elsewhere && !serviceWide(i, c.service) && !ownSurge(c, i)) out.add(c.service);
    }
    return out;
  }

  return {
    length,
    vendorCells,
    regionKeys,
    base,
    passes,
    aggregate,
    internalWide,
    suppressed,
    elevatedServices,
    sustainedServices,
  };
}
type Signals = ReturnType<typeof createSignals>;

interface Candidate {
  vendor: string;
  region: RegionId;
  rule: Suspect['rule'];
  ratio: number;
}

/** Whether (vendor, region) opens at minute t, and by which rule. */
function qualify(s: Signals, th: SuspectThresholds, vendor: string, region: RegionId, t: number) {
  const agg = s.aggregate(vendor, region);
  const hot = (i: number, bar: SpikeBar, minServices: number) =>
    i >= 0 &&
    s.elevatedServices(vendor, region, i).size >= minServices &&
    s.passes(agg, i, bar) &&
    !s.suppressed(i, region);
  const run = (ok: (i: number) => boolean, need: number) => {
    let n = 0;
    while (n < need && ok(t - n)) n++;
    return n;
  };
  if (run((i) => hot(i, th.multi, 2), th.multi.minutes) >= th.multi.minutes) return 'multi-service' as const;
  const single = (i: number) => hot(i, th.multi, 2) || hot(i, th.single, 1);
  if (run(single, th.single.minutes) >= th.single.minutes) return 'single-service' as const;
  if (s.sustainedServices(vendor, region, t).size > 0) return 'single-service' as const;
  return null;
}

function openSuspect(
  s: Signals,
  th: SuspectThresholds,
  c: Candidate,
  t: number,
  from: number,
  now: Date,
): Suspect {
  const agg = s.aggregate(c.vendor, c.region);
  // The run's start: back while the vendor stays past the multi bar with at least one service elevated.
  let start = t;
  while (
    start - 1 >= 0 &&
    t - (start - 1) < th.maxRunMinutes &&
    s.elevatedServices(c.vendor, c.region, start - 1).size >= 1 &&
    s.passes(agg, start - 1, th.multi) &&
    !s.suppressed(start - 1, c.region)
  )
    start--;
  // A sustained low-rate rise passed no bar minute by minute: it began at its window's first error.
  const sustained = s.elevatedServices(c.vendor, c.region, t).size === 0;
  if (sustained && th.sustained) {
    start = Math.max(0, t - th.sustained.minutes + 1);
    while (start < t && agg[start]! === 0) start++;
  }
  const services = new Set<string>(sustained ? s.sustainedServices(c.vendor, c.region, t) : []);
  let peak = 0;
  for (let i = start; i <= t; i++) {
    for (const name of s.elevatedServices(c.vendor, c.region, i)) services.add(name);
    peak = Math.max(peak, agg[i]!);
  }
  const baselinePerMin = round2(baselineAt(agg, start, th.baselineMinutes).median);
  const since = iso(from + start);
  const ratePerMin = round2(agg[t]!);
  const at = now.toISOString();
  return {
    id: suspectId(c.vendor, c.region, since),
    vendor: c.vendor,
    region: c.region,
    since,
    services: [...services].sort(),
    rule: c.rule,
    ratePerMin,
    baselinePerMin,
    ratio: rateVsBaseline(ratePerMin, baselinePerMin),
    peakPerMin: round2(peak),
    detectedAt: at,
    updatedAt: at,
    lastSpikeAt: iso(from + t),
    closedAt: null,
    vendorIncidentId: null,
    vendorPostedAt: null,
    ackLagMinutes: null,
    regionMatch: null,
  };
}

/** A suspect's id: readable, and safe as a Redis key part, URL segment or BullMQ job id. */
export function suspectId(vendor: string, region: RegionId, since: string): string {
  const stamp = since.slice(0, 16).replace(/[-:T]/g, '');
  return `sus-${vendor}-${stamp}-${region.replace(/[^A-Za-z0-9]+/g, '-')}`.replace(/[^A-Za-z0-9_-]/g, '-');
}

/** Open suspects: close after enough calm minutes against their frozen baseline, else refresh. */
function followOpen(s: Signals, th: SuspectThresholds, open: Suspect, t: number, from: number, now: Date) {
  const agg = s.aggregate(open.vendor, open.region);
  const calmLevel = Math.max(open.baselinePerMin * th.calm.factor, open.baselinePerMin + th.calm.above);
  const lo = Math.max(0, Math.floor(Date.parse(open.since) / 60_000) - from);
  let lastHot = -1;
  for (let i = t; i >= lo; i--)
    if (agg[i]! > calmLevel) {
      lastHot = i;
      break;
    }
  // A sustained low-rate rise (th.sustained) still holding is not calm either, minute by minute.
  for (let i = t; i > lastHot && i >= Math.max(lo, t - th.calm.minutes); i--)
    if (s.sustainedServices(open.vendor, open.region, i).size > 0) {
      lastHot = i;
      break;
    }
  // No hot minute left in what we read (a worker down for longer than the lookback): calm since at
  // least the first minute we can see.
  const firstCalm = lastHot < 0 ? lo : lastHot + 1;
  const ratePerMin = round2(agg[t]!);
  if (t - firstCalm + 1 >= th.calm.minutes) {
    return {
      kind: 'closed' as const,
      suspect: {
        ...open,
        ratePerMin,
        ratio: rateVsBaseline(ratePerMin, open.baselinePerMin),
        closedAt: iso(from + firstCalm),
        updatedAt: now.toISOString(),
      },
    };
  }
  const services = [
    ...new Set([...open.services, ...s.elevatedServices(open.vendor, open.region, t)]),
  ].sort();
  const next: Suspect = {
    ...open,
    services,
    rule: services.length >= 2 ? 'multi-service' : open.rule,
    ratePerMin,
    ratio: rateVsBaseline(ratePerMin, open.baselinePerMin),
    peakPerMin: Math.max(open.peakPerMin, ratePerMin),
    lastSpikeAt: lastHot >= 0 ? iso(from + lastHot) : open.lastSpikeAt,
  };
  const changed = JSON.stringify(next) !== JSON.stringify(open);
  return {
    kind: changed ? ('updated' as const) : ('same' as const),
    suspect: { ...next, updatedAt: changed ? now.toISOString() : open.updatedAt },
  };
}

/**
 * Judges the last complete minute before `now`: opens suspects where errors against a vendor spike
 * beyond baseline (two services at once: the multi bar for `multi.minutes`; one service: the higher
 * single bar for `single.minutes`), refreshes open ones, and closes those back at baseline. Nothing is
 * suspected where calls to most vendors spike together (reported in `internalWide`) or where one
 * service's calls to all its vendors do.
 */
export function evaluateSuspects(input: {
  now: Date;
  minutes: readonly MinuteCounts[];
  open: readonly Suspect[];
  config?: SuspectThresholds;
  /** Our changes (deploys, config, flags) around the window: any order. */
  changes?: readonly { service: string; at: string }[];
}): SuspectEvaluation {
  const th = input.config ?? defaultSuspectThresholds;
  const minute = Math.floor(input.now.getTime() / 60_000) - 1;
  const from = minute - lookbackMinutes(th) + 1;
  const s = createSignals(indexCells(input.minutes, from, minute), th);
  const t = minute - from;
  const result: SuspectEvaluation = {
    minute,
    opened: [],
    updated: [],
    closed: [],
    internalWide: [],
    heldForChange: [],
  };
  const guardMs = (th.changeGuardMinutes ?? defaultSuspectThresholds.changeGuardMinutes) * 60_000;
  /** The latest change of `service` from guardMs before `sinceMs` to 2 min after it (clocks differ), if any. */
  const changeBefore = (service: string, sinceMs: number): string | null => {
    let latest: string | null = null;
    for (const c of input.changes ?? []) {
      const at = Date.parse(c.at);
      if (c.service !== service || at < sinceMs - guardMs || at > sinceMs + 120_000) continue;
      if (latest === null || at > Date.parse(latest)) latest = c.at;
    }
    return latest;
  };

  const stillOpen: Suspect[] = [];
  for (const open of input.open) {
    const outcome = followOpen(s, th, open, t, from, input.now);
    if (outcome.kind === 'closed') result.closed.push(outcome.suspect);
    else {
      stillOpen.push(outcome.suspect);
      if (outcome.kind === 'updated') result.updated.push(outcome.suspect);
    }
  }

  for (const vendor of s.vendorCells.keys()) {
    const seeds = (s.vendorCells.get(vendor) ?? []).filter(
      (c) =>
        s.elevatedServices(vendor, c.region, t).has(c.service) ||
        s.sustainedServices(vendor, c.region, t).has(c.service),
    );
    const regions = new Set(seeds.flatMap((c) => regionChain(c.region)));
    const candidates: Candidate[] = [];
    for (const region of regions) {
      if (stillOpen.some((o) => o.vendor === vendor && sameChain(o.region, region))) continue;
      const rule = qualify(s, th, vendor, region, t);
      if (!rule) continue;
      const agg = s.aggregate(vendor, region);
      candidates.push({ vendor, region, rule, ratio: rateVsBaseline(agg[t]!, s.base(agg, t)) });
    }
    // Several of our services beat one; then the most specific region; then the stronger spike.
    candidates.sort(
      (a, b) =>
        (a.rule === b.rule ? 0 : a.rule === 'multi-service' ? -1 : 1) ||
        regionDepth(b.region) - regionDepth(a.region) ||
        b.ratio - a.ratio,
    );
    for (const c of candidates) {
      if ([...stillOpen, ...result.opened].some((o) => o.vendor === vendor && sameChain(o.region, c.region)))
        continue;
      const suspect = openSuspect(s, th, c, t, from, input.now);
      const service = suspect.services.length === 1 ? suspect.services[0]! : null;
      const changeAt = service !== null ? changeBefore(service, Date.parse(suspect.since)) : null;
      if (c.rule === 'single-service' && service !== null && changeAt !== null) {
        result.heldForChange.push({ vendor, region: c.region, service, changeAt });
        continue;
      }
      result.opened.push(suspect);
    }
  }

  for (const region of s.regionKeys) {
    const vendors = s.internalWide(t, region);
    if (!vendors) continue;
    // Report the broadest region only: "Europe is internal-wide" says the rest.
    if (
      regionChain(region)
        .slice(1)
        .some((up) => s.regionKeys.has(up) && s.internalWide(t, up) !== null)
    )
      continue;
    result.internalWide.push({ minute: iso(minute), region, vendors: vendors.sort() });
  }
  return result;
}

/** Why a vendor incident was or was not linked to a suspect. */
export interface LinkDecision {
  linked: boolean;
  suspect: Suspect;
  reason: string;
}

/**
 * Links a vendor incident to a suspect when it is the same vendor, its regions do not exclude ours
 * (a vendor that names no region still links, as regionMatch 'unknown'), and it starts within the
 * suspect's window ± `windowMinutes`. Of several, the earliest post wins: the lag is to the vendor's
 * first word. Scheduled maintenance does not link: it was announced, not acknowledged.
 */
export function linkIncident(suspect: Suspect, incident: VendorIncident, windowMinutes = 60): LinkDecision {
  const no = (reason: string): LinkDecision => ({ linked: false, suspect, reason });
  if (incident.vendor !== suspect.vendor)
    return no(`incident is for ${incident.vendor}, not ${suspect.vendor}`);
  if (incident.kind === 'maintenance') return no('scheduled maintenance is not an acknowledgment');
  const start = Date.parse(incident.startedAt);
  const from = Date.parse(suspect.since) - windowMinutes * 60_000;
  const to = suspect.closedAt === null ? Infinity : Date.parse(suspect.closedAt) + windowMinutes * 60_000;
  if (start < from || start > to)
    return no(
      `incident starts at ${incident.startedAt}, outside the suspect's window ± ${windowMinutes} min`,
    );
  const overlap = regionOverlap(incident.regions, [suspect.region]);
  if (overlap.relation === 'disjoint')
    return no(`incident regions ${incident.regions.join(', ')} do not overlap ${suspect.region}`);
  if (suspect.vendorIncidentId === incident.id && suspect.vendorPostedAt === incident.postedAt)
    return { linked: true, suspect, reason: 'already linked' };
  if (
    suspect.vendorIncidentId !== null &&
    suspect.vendorIncidentId !== incident.id &&
    suspect.vendorPostedAt !== null &&
    Date.parse(suspect.vendorPostedAt) <= Date.parse(incident.postedAt)
  )
    return no(`already linked to ${suspect.vendorIncidentId}, posted earlier`);
  const lag = (Date.parse(incident.postedAt) - Date.parse(suspect.since)) / 60_000;
  return {
    linked: true,
    reason:
      overlap.relation === 'unknown'
        ? 'linked; the vendor named no region'
        : `linked; region ${overlap.relation}`,
    suspect: {
      ...suspect,
      vendorIncidentId: incident.id,
      vendorPostedAt: incident.postedAt,
      ackLagMinutes: Math.round(lag * 10) / 10,
      regionMatch: overlap.relation,
    },
  };
}

import type { Rng } from './rng.js';
import { isoZ } from './stactus.js';

// Our side's error events, as a producer aggregating per minute would send them: each series draws a
// Poisson count for every minute around a piecewise-linear rate (baseline, spike, recovery), then
// sends one event per code per minute around the onset and coarser windows (with `count`) where
// nothing happens, so a file stays small. Series that report call volume send one event every minute.

export const MINUTE = 60_000;

/** One kind of failure a series reports: the caller's code and/or the vendor's HTTP status. */
export interface Code {
  code?: string;
  status?: number;
  weight?: number;
}

/** A point of the rate path (errors per minute) at an instant. */
export interface Knot {
  at: number;
  rate: number;
}

export interface SeriesSpec {
  service: string;
  /** Absent for untagged errors (the caller could not tell which dependency failed). */
  vendor?: string;
  region?: string;
  endpoint?: string;
  customer?: string;
  /** Codes while the rate is raised. */
  codes: Code[];
  /** Codes at baseline; `codes` when absent. */
  quietCodes?: Code[];
  /** Errors per minute outside the knots. */
  baseline: number;
  from: number;
  until: number;
  /** The rate path; the baseline holds before the first knot and after the last. */
  knots: Knot[];
  /** Per-minute call volume to `vendor` (failures included), reported from `from` on. */
  calls?: { perMin: number; from: number; knots?: Knot[] };
}

export interface ErrorEventOut {
  at: string;
  service: string;
  vendor?: string;
  region?: string;
  code?: string;
  status?: number;
  count?: number;
  calls?: number;
  customer?: string;
  endpoint?: string;
}

const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;

export function rateAt(knots: readonly Knot[], baseline: number, t: number): number {
  if (knots.length === 0 || t < knots[0]!.at || t >= knots.at(-1)!.at) return baseline;
  for (let i = 1; i < knots.length; i++) {
    const a = knots[i - 1]!;
    const b = knots[i]!;
    if (t < b.at) return b.at === a.at ? b.rate : a.rate + ((b.rate - a.rate) * (t - a.at)) / (b.at - a.at);
  }
  return baseline;
}

/** A spike: ramp to `peak`, hold (drifting to `peak * holdEnd`), decay back to `after` (the baseline). */
export function spike(o: {
  onset: number;
  baseline: number;
  peak: number;
  holdMinutes: number;
  rampMinutes?: number;
  decayMinutes?: number;
  holdEnd?: number;
  after?: number;
}): Knot[] {
  const ramp = (o.rampMinutes ?? 2) * MINUTE;
  const hold = o.holdMinutes * MINUTE;
  const decay = (o.decayMinutes ?? 6) * MINUTE;
  return [
    { at: o.onset, rate: o.baseline },
    { at: o.onset + ramp, rate: o.peak },
    { at: o.onset + ramp + hold, rate: o.peak * (o.holdEnd ?? 1) },
    { at: o.onset + ramp + hold + decay, rate: o.after ?? o.baseline },
  ];
}

interface Drawn {
  spec: SeriesSpec;
  minutes: number[];
  /** Per minute, per code index. */
  counts: number[][];
  raised: boolean[];
  seconds: number[];
  calls: (number | null)[];
  /** One code index per minute for series that report volume (their events carry a single code). */
  callCode: number[];
}

function splitCounts(rng: Rng, total: number, weights: number[]): number[] {
  const out = weights.map(() => 0);
  if (total <= 0) return out;
  if (total > 200) {
    const sum = weights.reduce((a, b) => a + b, 0);
    let left = total;
    weights.forEach((w, i) => {
      const share = i === weights.length - 1 ? left : Math.min(left, Math.round((total * w) / sum));
      out[i] = share;
      left -= share;
    });
    return out;
  }
  for (let k = 0; k < total; k++) out[rng.weighted(weights)]!++;
  return out;
}

/** Draws every minute of one series (independent of how it is later aggregated). */
function draw(spec: SeriesSpec, rng: Rng): Drawn {
  const minutes: number[] = [];
  for (let t = floorMinute(spec.from); t < spec.until; t += MINUTE) minutes.push(t);
  const quiet = spec.quietCodes ?? spec.codes;
  const all = [...spec.codes, ...quiet];
  const raisedLevel = 2 * spec.baseline + 0.5;
  const counts: number[][] = [];
  const raised: boolean[] = [];
  const seconds: number[] = [];
  const calls: (number | null)[] = [];
  const callCode: number[] = [];
  for (const t of minutes) {
    const lambda = rateAt(spec.knots, spec.baseline, t + MINUTE / 2);
    const up = lambda > raisedLevel;
    const n = rng.poisson(lambda);
    const weights = all.map((c, i) => (up === i < spec.codes.length ? (c.weight ?? 1) : 0));
    let split = splitCounts(rng, n, weights);
    let volume: number | null = null;
    if (spec.calls && t >= spec.calls.from) {
      const perMin = rateAt(spec.calls.knots ?? [], spec.calls.perMin, t + MINUTE / 2);
      volume = Math.max(n, rng.poisson(perMin));
      // A volume-reporting producer sends one event per minute: all of that minute's failures under one code.
      const one = rng.weighted(weights.some((w) => w > 0) ? weights : all.map(() => 1));
      split = all.map((_, i) => (i === one ? n : 0));
      callCode.push(one);
    } else callCode.push(-1);
    counts.push(split);
    raised.push(up);
    seconds.push(rng.int(0, 59));
    calls.push(volume);
  }
  return { spec, minutes, counts, raised, seconds, calls, callCode };
}

function eventOf(
  spec: SeriesSpec,
  at: number,
  code: Code | null,
  count: number | null,
  calls: number | null,
) {
  const e: ErrorEventOut = { at: isoZ(at), service: spec.service };
  if (spec.vendor) e.vendor = spec.vendor;
  if (spec.region) e.region = spec.region;
  if (code?.code) e.code = code.code;
  if (code?.status) e.status = code.status;
  if (count !== null) e.count = count;
  if (calls !== null) e.calls = calls;
  if (spec.customer) e.customer = spec.customer;
  if (spec.endpoint) e.endpoint = spec.endpoint;
  return e;
}

interface Plan {
  /** Minutes after the first knot sent one by one (from 10 minutes before it). */
  dense: number;
  /** Window while raised, outside the dense stretch. */
  raisedWindow: number;
  /** Window at baseline. */
  quietWindow: number;
}

function aggregate(d: Drawn, plan: Plan): ErrorEventOut[] {
  const { spec } = d;
  const all = [...spec.codes, ...(spec.quietCodes ?? spec.codes)];
  const first = spec.knots[0]?.at ?? Infinity;
  const denseFrom = first - 10 * MINUTE;
  const denseUntil = first + plan.dense * MINUTE;
  const out: ErrorEventOut[] = [];
  const windowOf = (i: number) => {
    const t = d.minutes[i]!;
    if (t >= denseFrom && t < denseUntil) return 1;
    return d.raised[i] ? plan.raisedWindow : plan.quietWindow;
  };
  let i = 0;
  while (i < d.minutes.length) {
    if (d.calls[i] !== null) {
      const n = d.counts[i]!.reduce((a, b) => a + b, 0);
      const at = d.minutes[i]! + d.seconds[i]! * 1000;
      out.push(
        n > 0
          ? eventOf(spec, at, all[d.callCode[i]!]!, n, d.calls[i]!)
          : eventOf(spec, at, null, null, d.calls[i]!),
      );
      i++;
      continue;
    }
    const size = windowOf(i);
    const start = i;
    const sums = all.map(() => 0);
    let firstNonZero = -1;
    while (i < d.minutes.length && i - start < size && windowOf(i) === size && d.calls[i] === null) {
      d.counts[i]!.forEach((c, k) => (sums[k]! += c));
      if (firstNonZero < 0 && d.counts[i]!.some((c) => c > 0)) firstNonZero = i;
      i++;
    }
    if (firstNonZero < 0) continue;
    const at = d.minutes[firstNonZero]! + d.seconds[firstNonZero]! * 1000;
    // Codes that are the same (quiet and raised lists may share one) are sent as one event.
    const merged = new Map<string, { code: Code; count: number }>();
    sums.forEach((count, k) => {
      if (count === 0) return;
      const code = all[k]!;
      const key = `${code.code ?? ''}|${code.status ?? ''}`;
      const m = merged.get(key);
      if (m) m.count += count;
      else merged.set(key, { code, count });
    });
    for (const { code, count } of merged.values()) out.push(eventOf(spec, at, code, count, null));
  }
  return out;
}

const plans: Plan[] = [
  { dense: 35, raisedWindow: 1, quietWindow: 10 },
  { dense: 30, raisedWindow: 2, quietWindow: 10 },
  { dense: 25, raisedWindow: 3, quietWindow: 12 },
  { dense: 20, raisedWindow: 4, quietWindow: 15 },
  { dense: 15, raisedWindow: 5, quietWindow: 15 },
  { dense: 12, raisedWindow: 6, quietWindow: 20 },
  { dense: 10, raisedWindow: 8, quietWindow: 20 },
  { dense: 8, raisedWindow: 10, quietWindow: 20 },
];

/**
 * Every series' events, sorted by time, in the finest plan that keeps the file under `budget` events.
 * Counts are drawn once per minute, so a coarser plan only regroups the same errors.
 */
export function synthesize(specs: readonly SeriesSpec[], rng: Rng, budget: number): ErrorEventOut[] {
  const drawn = specs.map((s) => draw(s, rng));
  for (const plan of plans) {
    const events = drawn.flatMap((d) => aggregate(d, plan));
    if (events.length <= budget || plan === plans.at(-1))
      return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.service.localeCompare(b.service));
  }
  return [];
}

/** Total errors per minute of one series over [from, until), for consistency checks. */
export function errorsBetween(
  events: readonly ErrorEventOut[],
  match: (e: ErrorEventOut) => boolean,
  from: number,
  until: number,
) {
  return events
    .filter((e) => match(e) && Date.parse(e.at) >= from && Date.parse(e.at) < until)
    .reduce((a, e) => a + (e.count ?? 0), 0);
}

import type { ErrorClass } from '../contracts.js';
import type { CallsCount, Series } from '../series.js';
import { resolveRegionLabel } from '../regions/extract.js';
import { ancestors } from '../regions/taxonomy.js';
import type { RegionId } from '../regions/types.js';

/** One minute bucket as stored in keys.errorBucket(minute): series → count. */
export interface MinuteCounts {
  /** Epoch ms / 60000. */
  minute: number;
  counts: ReadonlyArray<{ series: Series; count: number }>;
  /** Calls per (service, vendor, region) that minute, where producers report call volume. */
  calls?: ReadonlyArray<CallsCount>;
}

/**
 * How much one error of a class says "the vendor is failing". 5xx, timeouts, resets and 429s point at
 * the vendor; 4xx and bad credentials say the caller is wrong and count nothing. Unclassified codes
 * (a vendor's own "1026", "RTMP_START_FAILED" without a status) may well be the vendor's, but may be
 * ours too: they count half, so an unclassified spike needs twice the volume to raise a suspicion.
 */
export const classWeights: Readonly<Record<ErrorClass, number>> = Object.freeze({
  server: 1,
  timeout: 1,
  network: 1,
  'rate-limit': 1,
  client: 0,
  unknown: 0.5,
});

/** Robust statistics of per-minute rates over a window. */
export interface Baseline {
  median: number;
  /** Median absolute deviation from the median. */
  mad: number;
  mean: number;
  /** Minutes the window held. */
  minutes: number;
}

/** When a rate counts as a spike over a baseline: every condition must hold. */
export interface SpikeBar {
  /** At least this multiple of the median. */
  factor: number;
  /** At least this many errors per minute above the median. */
  above: number;
  /** At least this many errors per minute at all. */
  minRate: number;
  /** At least this many robust standard deviations (1.4826 × MAD) above the median. */
  madK: number;
}

const MAD_TO_SIGMA = 1.4826;

function medianOf(sorted: number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median, MAD and mean of a window of per-minute values (an empty window is all zeros). */
export function baselineOf(values: ArrayLike<number>): Baseline {
  const sorted = Array.from(values).sort((a, b) => a - b);
  const median = medianOf(sorted);
  const deviations = sorted.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  const mean = sorted.length ? sorted.reduce((s, v) => s + v, 0) / sorted.length : 0;
  return { median, mad: medianOf(deviations), mean, minutes: sorted.length };
}

/**
 * The baseline for minute `index` of a dense series: the `minutes` values right before it. The minute
 * judged is never part of its own baseline, and the median keeps a spike shorter than half the window
 * from raising the bar it is judged against.
 */
export function baselineAt(values: ArrayLike<number>, index: number, minutes: number): Baseline {
  const from = Math.max(0, index - minutes);
  const window: number[] = [];
  for (let i = from; i < index; i++) window.push(values[i] ?? 0);
  return baselineOf(window);
}

/** The rate a minute must reach to count as a spike over `baseline`. */
export function spikeThreshold(baseline: Baseline, bar: SpikeBar): number {
  return Math.max(
    bar.factor * baseline.median,
    baseline.median + bar.above,
    baseline.median + bar.madK * MAD_TO_SIGMA * baseline.mad,
    bar.minRate,
  );
}

/**
 * How many times the baseline a rate is. The baseline is floored (default 1/min) so a jump from a
 * silent series reads as "6× a quiet minute", not as infinity.
 */
export function rateVsBaseline(rate: number, baseline: Pick<Baseline, 'median'> | number, floor = 1): number {
  const base = typeof baseline === 'number' ? baseline : baseline.median;
  return Math.round((rate / Math.max(base, floor)) * 10) / 10;
}

const regionCache = new Map<string, RegionId>();

/**
 * The canonical region a caller's free-text region means ("eu-west-1" → aws:eu-west-1). A label that
 * names several regions reads as what they share; one we cannot read, or none, is 'global'.
 */
export function regionOfLabel(label: string): RegionId {
  let id = regionCache.get(label);
  if (id === undefined) {
    id = label.trim() ? commonRegion(resolveRegionLabel(label)) : 'global';
    regionCache.set(label, id);
  }
  return id;
}

const chainCache = new Map<RegionId, readonly RegionId[]>();

/** A region and everything containing it, most specific first, ending with 'global'. */
export function regionChain(id: RegionId): readonly RegionId[] {
  let chain = chainCache.get(id);
  if (!chain)
    chainCache.set(id, (chain = Object.freeze(id === 'global' ? ['global'] : [id, ...ancestors(id)])));
  return chain;
}

/** The most specific region containing every one of `ids` ('global' for none). */
export function commonRegion(ids: readonly RegionId[]): RegionId {
  const [first, ...rest] = ids;
  if (first === undefined) return 'global';
  const others = rest.map((id) => new Set(regionChain(id)));
  return regionChain(first).find((r) => others.every((chain) => chain.has(r))) ?? 'global';
}

/** True when one region contains the other (or they are the same): errors in one count in the other. */
export function sameChain(a: RegionId, b: RegionId): boolean {
  return regionChain(a).includes(b) || regionChain(b).includes(a);
}

/** How deep a region sits in the taxonomy: global 0, macro-region 1, …; more specific is deeper. */
export function regionDepth(id: RegionId): number {
  return regionChain(id).length - 1;
}

/** One service's vendor-pointing errors against one vendor from one region, per minute. */
export interface Cell {
  service: string;
  /** '' when the caller did not know the vendor. */
  vendor: string;
  region: RegionId;
  /** Weighted errors per minute; index 0 is `CellIndex.from`. */
  values: Float64Array;
  /** Of those, rate limits (429s) per minute. */
  limited: Float64Array;
  /** Calls per minute (failures included) where the producer reports volume; null where it never did. */
  calls: Float64Array | null;
}

/** Cells over a dense range of minutes [from, to]. */
export interface CellIndex {
  from: number;
  to: number;
  cells: Cell[];
}

/**
 * Folds minute buckets into cells: codes and classes of one (service, vendor, region) are summed with
 * their class weights, and region labels are canonicalized so "eu-west-1" and "aws:eu-west-1" meet.
 * Minutes absent from `minutes` had no errors.
 */
export function indexCells(minutes: readonly MinuteCounts[], from: number, to: number): CellIndex {
  const length = Math.max(0, to - from + 1);
  const cells: Cell[] = [];
  // Two lookups: the label as written (hot path, no canonicalizing), then the canonical cell.
  const byLabel = new Map<string, Map<string, Map<string, Cell>>>();
  const byRegion = new Map<string, Cell>();
  const cellOf = (service: string, vendor: string, label: string): Cell => {
    let labels = byLabel.get(service)?.get(vendor);
    if (!labels) {
      const vendors = byLabel.get(service) ?? new Map<string, Map<string, Cell>>();
      vendors.set(vendor, (labels = new Map()));
      byLabel.set(service, vendors);
    }
    let cell = labels.get(label);
    if (!cell) {
      const region = regionOfLabel(label);
      const regionKey = `${service}\u0000${vendor}\u0000${region}`;
      cell = byRegion.get(regionKey);
      if (!cell) {
        cell = {
          service,
          vendor,
          region,
          values: new Float64Array(length),
          limited: new Float64Array(length),
          calls: null,
        };
        byRegion.set(regionKey, cell);
      }
      labels.set(label, cell);
    }
    return cell;
  };
  for (const bucket of minutes) {
    const i = bucket.minute - from;
    if (i < 0 || i >= length) continue;
    for (const { series, count } of bucket.counts) {
      const weight = classWeights[series.errorClass] ?? 0;
      if (weight === 0 || !(count > 0)) continue;
      const cell = cellOf(series.service, series.vendor, series.region);
      cell.values[i] = cell.values[i]! + weight * count;
      if (series.errorClass === 'rate-limit') cell.limited[i] = cell.limited[i]! + count;
    }
    for (const c of bucket.calls ?? []) {
      if (!c.vendor || !(c.calls > 0)) continue;
      const cell = cellOf(c.service, c.vendor, c.region);
      cell.calls ??= new Float64Array(length);
      cell.calls[i] = cell.calls[i]! + c.calls;
    }
  }
  // Cells of call volume alone hold no error: only cells with errors are the detector's.
  for (const cell of byRegion.values()) if (cell.values.some((v) => v > 0)) cells.push(cell);
  return { from, to, cells };
}

/** The per-minute sum of some cells. */
export function sumCells(cells: readonly Cell[], length: number): Float64Array {
  const out = new Float64Array(length);
  for (const cell of cells) for (let i = 0; i < length; i++) out[i] = out[i]! + cell.values[i]!;
  return out;
}

/** A rolling baseline and the minute judged against it. */
export interface BaselineRow {
  baseline: Baseline;
  /** Weighted errors in the minute judged. */
  ratePerMin: number;
  ratio: number;
}

/**
 * Rolling baselines for the last complete minute before `now` (the minute being filled is left out):
 * per (vendor, region) for every region on the callers' region chains, so eu-west-1 and eu-central-1
 * both count toward macro:europe and everything toward global; and per service over all its vendors.
 * Errors with no vendor count for their service only.
 */
export function baselines(input: { minutes: readonly MinuteCounts[]; now: Date; baselineMinutes?: number }): {
  minute: number;
  vendorRegion: Array<BaselineRow & { vendor: string; region: RegionId }>;
  service: Array<BaselineRow & { service: string }>;
} {
  const n = input.baselineMinutes ?? 60;
  const minute = Math.floor(input.now.getTime() / 60_000) - 1;
  const index = indexCells(input.minutes, minute - n, minute);
  const length = n + 1;
  const row = (cells: Cell[]): BaselineRow => {
    const values = sumCells(cells, length);
    const baseline = baselineAt(values, n, n);
    const ratePerMin = values[n] ?? 0;
    return { baseline, ratePerMin, ratio: rateVsBaseline(ratePerMin, baseline) };
  };
  const vendorRegion = new Map<string, { vendor: string; region: RegionId; cells: Cell[] }>();
  const service = new Map<string, Cell[]>();
  for (const cell of index.cells) {
    const list = service.get(cell.service);
    if (list) list.push(cell);
    else service.set(cell.service, [cell]);
    if (!cell.vendor) continue;
    for (const region of regionChain(cell.region)) {
      const key = JSON.stringify([cell.vendor, region]);
      const group = vendorRegion.get(key) ?? { vendor: cell.vendor, region, cells: [] };
      group.cells.push(cell);
      vendorRegion.set(key, group);
    }
  }
  return {
    minute,
    vendorRegion: [...vendorRegion.values()].map((g) => ({
      vendor: g.vendor,
      region: g.region,
      ...row(g.cells),
    })),
    service: [...service.entries()].map(([name, cells]) => ({ service: name, ...row(cells) })),
  };
}

import type { Keys } from '../store/keys.js';
import { readMinuteCounts } from '../store/error-buckets.js';
import type { RedisClient } from '../store/redis.js';

/** Our errors per vendor over a window, as errors per minute in steps of `stepMinutes`, oldest first. */
export interface ErrorRates {
  fromMinute: number;
  stepMinutes: number;
  /** Per vendor id: one average rate per step. Vendors without errors have all zeros. */
  byVendor: Map<string, number[]>;
  /** Per vendor: the errors counted over the whole window. */
  totals: Map<string, number>;
}

/**
 * Reads the last `hours` of error buckets once for every vendor (one pipeline) and buckets them into
 * steps. Client errors (4xx, bad credentials) are left out: they say our request was wrong, not
 * that the vendor failed.
 */
export async function readErrorRates(
  redis: RedisClient,
  keys: Keys,
  vendors: readonly string[],
  now: number,
  options: { hours?: number; stepMinutes?: number } = {},
): Promise<ErrorRates> {
  const stepMinutes = options.stepMinutes ?? 15;
  const steps = Math.ceil(((options.hours ?? 24) * 60) / stepMinutes);
  const toMinute = Math.floor(now / 60_000);
  const fromMinute = toMinute - steps * stepMinutes + 1;
  const byVendor = new Map(vendors.map((v) => [v, new Array<number>(steps).fill(0)]));
  const totals = new Map(vendors.map((v) => [v, 0]));
  const buckets = await readMinuteCounts(redis, keys, fromMinute, toMinute);
  for (const bucket of buckets) {
    const step = Math.floor((bucket.minute - fromMinute) / stepMinutes);
    for (const { series, count } of bucket.counts) {
      if (series.errorClass === 'client') continue;
      const row = byVendor.get(series.vendor);
      if (!row || step < 0 || step >= steps) continue;
      row[step] = (row[step] ?? 0) + count;
      totals.set(series.vendor, (totals.get(series.vendor) ?? 0) + count);
    }
  }
  for (const row of byVendor.values()) row.forEach((sum, i) => (row[i] = sum / stepMinutes));
  return { fromMinute, stepMinutes, byVendor, totals };
}

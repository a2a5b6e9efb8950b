import type { Keys } from './keys.js';
import { readSummedHashes } from './partition-reads.js';
import type { RedisClient } from './redis.js';

/*
 * Reading the per-customer failure records the ingest script writes (see keys.customerFailures and
 * applyBatchLua): one hash per customer and hour, so ~45 minutes around a time are one or two reads.
 */

/** Failed requests of one customer in one minute on one (service, vendor, region). */
export interface CustomerFailure {
  /** Epoch ms / 60000. */
  minute: number;
  service: string;
  /** '' when the error named no vendor. */
  vendor: string;
  /** As the caller wrote it ('' when absent). */
  region: string;
  count: number;
}

/** A read spanning more minutes than this is refused: the check looks at tens of minutes, not days. */
export const maxCustomerReadMinutes = 7 * 24 * 60;

/** Thrown for a range the reader refuses; the message names the bad argument. */
export class CustomerFailureQueryError extends Error {
  override readonly name = 'CustomerFailureQueryError';
}

function checkRange(fromMinute: number, toMinute: number): void {
  if (!Number.isSafeInteger(fromMinute))
    throw new CustomerFailureQueryError('fromMinute: expected an integer');
  if (!Number.isSafeInteger(toMinute)) throw new CustomerFailureQueryError('toMinute: expected an integer');
  if (toMinute - fromMinute + 1 > maxCustomerReadMinutes)
    throw new CustomerFailureQueryError(`toMinute: a read spans at most ${maxCustomerReadMinutes} minutes`);
}

/** Reads a scope written as `["service","vendor","region"]`; null for anything else. */
function parseScope(scope: string): { service: string; vendor: string; region: string } | null {
  try {
    const parts: unknown = JSON.parse(scope);
    if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((p) => typeof p === 'string'))
      return null;
    const [service, vendor, region] = parts as [string, string, string];
    return { service, vendor, region };
  } catch {
    return null;
  }
}

/** The failures recorded for `customer` in minutes [fromMinute, toMinute]. */
export async function readCustomerFailures(
  redis: RedisClient,
  keys: Keys,
  customer: string,
  fromMinute: number,
  toMinute: number,
): Promise<CustomerFailure[]> {
  checkRange(fromMinute, toMinute);
  if (toMinute < fromMinute) return [];
  const hours: number[] = [];
  for (let h = Math.floor(fromMinute / 60); h <= Math.floor(toMinute / 60); h++) hours.push(h);
  // A customer's failures sit in the partition of each failing service: every partition is read.
  const hashes = await readSummedHashes(redis, keys.partitions, hours, (partition, hour) =>
    partition.customerFailures(hour, customer),
  );

  const out: CustomerFailure[] = [];
  hashes.forEach((hash, i) => {
    const base = (hours[i] as number) * 60;
    for (const [field, raw] of Object.entries(hash)) {
      const bar = field.indexOf('|');
      // Fields without a bar are the minute's totals (and recorded-customer marks).
      if (bar < 1) continue;
      const offset = Number(field.slice(0, bar));
      const minute = base + offset;
      const count = Number(raw);
      if (!Number.isInteger(offset) || minute < fromMinute || minute > toMinute) continue;
      if (!Number.isFinite(count) || count <= 0) continue;
      const scope = parseScope(field.slice(bar + 1));
      if (scope) out.push({ minute, ...scope, count });
    }
  });
  return out.sort(
    (a, b) =>
      a.minute - b.minute ||
      a.service.localeCompare(b.service) ||
      a.vendor.localeCompare(b.vendor) ||
      a.region.localeCompare(b.region),
  );
}

/** A minute whose per-customer records are incomplete: the cap was reached and later customers' failures were not kept. */
export interface CustomerRecordGap {
  /** Epoch ms / 60000. */
  minute: number;
  /** Customers recorded that minute (the cap). */
  recorded: number;
  /** Failures of further customers that were counted but not recorded per customer. */
  dropped: number;
}

/** Minutes in [fromMinute, toMinute] whose per-customer records are incomplete, oldest first. */
export async function readCustomerRecordGaps(
  redis: RedisClient,
  keys: Keys,
  fromMinute: number,
  toMinute: number,
): Promise<CustomerRecordGap[]> {
  checkRange(fromMinute, toMinute);
  const minutes: number[] = [];
  for (let m = fromMinute; m <= toMinute; m++) minutes.push(m);
  // Each partition keeps its own counters (and cap): summed over the partitions.
  const counters = await readSummedHashes(redis, keys.partitions, minutes, (partition, m) =>
    partition.customerFailuresMinute(m),
  );
  const gaps: CustomerRecordGap[] = [];
  counters.forEach((hash, i) => {
    const lost = Number(hash.dropped ?? 0);
    if (lost > 0)
      gaps.push({ minute: minutes[i] as number, recorded: Number(hash.customers ?? 0), dropped: lost });
  });
  return gaps;
}

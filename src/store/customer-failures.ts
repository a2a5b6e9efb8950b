import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

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

/** The failures recorded for `customer` in minutes [fromMinute, toMinute]. */
export async function readCustomerFailures(
  _redis: Redis,
  _keys: Keys,
  _customer: string,
  _fromMinute: number,
  _toMinute: number,
): Promise<CustomerFailure[]> {
  // Filled in by the per-customer failures work.
  return [];
}

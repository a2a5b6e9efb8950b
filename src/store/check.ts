import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { CheckAnswer, CheckQuery } from '../core/check/types.js';
import type { Keys } from './keys.js';

export interface CheckDeps {
  redis: Redis;
  keys: Keys;
  config: Config;
}

/** Answers the support check from Redis at `now` (the query's `at` defaults to it). */
export async function runCheck(
  _deps: CheckDeps,
  _query: CheckQuery,
  _now = new Date(),
): Promise<CheckAnswer> {
  // Filled in by the support-check work.
  throw new Error('the support check is not built yet');
}

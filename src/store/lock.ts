import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis.js';

// Deletes the lock only if we still hold it: a holder whose TTL ran out must not free the next one's.
const releaseScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Thrown when a lock stays held by someone else past the wait. */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
}

async function attempt(redis: RedisClient, key: string, ttlMs: number): Promise<string | null> {
  const token = randomUUID();
  return (await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK' ? token : null;
}

async function runHolding<T>(
  redis: RedisClient,
  key: string,
  token: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } finally {
    await redis.eval(releaseScript, 1, key, token);
  }
}

/**
 * Runs `work` holding a Redis lock (SET NX with a TTL), waiting up to `waitMs` for it; throws
 * LockTimeoutError naming `what` when it stays held.
 */
export async function withLock<T>(
  redis: RedisClient,
  key: string,
  options: { ttlMs: number; waitMs: number; retryMs: number; what: string },
  work: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + options.waitMs;
  let token = await attempt(redis, key, options.ttlMs);
  while (token === null) {
    if (Date.now() > deadline)
      throw new LockTimeoutError(`${options.what}: lock held for over ${options.waitMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, options.retryMs));
    token = await attempt(redis, key, options.ttlMs);
  }
  return runHolding(redis, key, token, work);
}

/** Runs `work` only if the lock is free right now; null when another holder has it. */
export async function tryWithLock<T>(
  redis: RedisClient,
  key: string,
  ttlMs: number,
  work: () => Promise<T>,
): Promise<{ value: T } | null> {
  const token = await attempt(redis, key, ttlMs);
  if (token === null) return null;
  return { value: await runHolding(redis, key, token, work) };
}

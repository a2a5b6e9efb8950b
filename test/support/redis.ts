import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createKeys, type Keys } from '../../src/store/keys.js';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestRedis {
  redis: Redis;
  prefix: string;
  keys: Keys;
  /** Deletes every key under this test's prefix and closes the connection. */
  cleanup(): Promise<void>;
}

/** A real Redis connection with a key prefix of its own, so test files never see each other's data. */
export async function createTestRedis(name: string): Promise<TestRedis> {
  const prefix = `t-${name}-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  await redis.ping();
  const keys = createKeys(prefix);
  return {
    redis,
    prefix,
    keys,
    async cleanup() {
      // `{prefix*`: the root tag's keys and those of any ingest partition (`{prefix:p1}…`) or sub-prefix.
      await deleteKeys(redis, `{${prefix}*`);
      await redis.quit();
    },
  };
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (found.length) await redis.del(...found);
  } while (cursor !== '0');
}

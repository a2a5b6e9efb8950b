import { createHash, randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import type { Keys } from '../src/redis.js';
import { jobCatalog, pollSchedulerId } from './jobs.js';

/** A stable per-vendor offset inside the interval, so vendors are not all polled in the same second. */
export function pollOffset(vendor: string, intervalMs: number): number {
  const hash = createHash('sha256').update(vendor).digest().readUInt32BE(0);
  return hash % intervalMs;
}

const releaseScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Makes the poll schedules match the config: one BullMQ job scheduler per vendor, stale ones removed.
 * Several scheduler processes may start at once; a short lock lets one of them write at a time,
 * since concurrent upserts of one scheduler can leave duplicate or missing next jobs.
 */
export async function syncPollSchedules(deps: {
  queue: Queue;
  redis: Redis;
  keys: Keys;
  config: Config;
  logger: Logger;
}): Promise<{ upserted: number; removed: number }> {
  const { queue, redis, keys, config, logger } = deps;
  const token = randomUUID();
  const deadline = Date.now() + 30_000;
  while ((await redis.set(keys.schedulerLock, token, 'PX', 30_000, 'NX')) !== 'OK') {
    if (Date.now() > deadline) throw new Error('scheduler lock held for over 30s by another process');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    const { poll } = jobCatalog;
    const wanted = new Set<string>();
    for (const vendor of config.vendors) {
      const id = pollSchedulerId(vendor.id);
      wanted.add(id);
      await queue.upsertJobScheduler(
        id,
        { every: config.poll.intervalMs, offset: pollOffset(vendor.id, config.poll.intervalMs) },
        { name: poll.name, data: { vendor: vendor.id }, opts: poll.options },
      );
    }
    let removed = 0;
    for (const scheduler of await queue.getJobSchedulers()) {
      if (scheduler.key.startsWith('poll-') && !wanted.has(scheduler.key)) {
        await queue.removeJobScheduler(scheduler.key);
        removed += 1;
      }
    }
    logger.info(
      { vendors: wanted.size, removed, intervalMs: config.poll.intervalMs },
      'poll schedules in place',
    );
    return { upserted: wanted.size, removed };
  } finally {
    await redis.eval(releaseScript, 1, keys.schedulerLock, token);
  }
}

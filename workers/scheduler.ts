import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import { withLock } from '../src/store/lock.js';
import type { Keys } from '../src/store/keys.js';
import { jobCatalog, pollSchedulerId } from './jobs.js';

/** A stable per-vendor offset inside the interval, so vendors are not all polled in the same second. */
export function pollOffset(vendor: string, intervalMs: number): number {
  const hash = createHash('sha256').update(vendor).digest().readUInt32BE(0);
  return hash % intervalMs;
}

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
  const lock = { ttlMs: 30_000, waitMs: 30_000, retryMs: 100, what: 'poll scheduler' };
  return withLock(redis, keys.schedulerLock, lock, async () => {
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
  });
}

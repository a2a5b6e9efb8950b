import type { Queue } from 'bullmq';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import { withLock } from '../src/store/lock.js';
import type { Keys } from '../src/store/keys.js';
import { jobCatalog, upsertSchedule } from './jobs.js';
import type { RedisClient } from '../src/store/redis.js';

/*
 * The scheduler role only puts job schedulers in place; workers run what they enqueue. Several
 * scheduler processes may start at once, and concurrent upserts of one scheduler can leave duplicate
 * or missing next jobs, so every upsert here runs under the scheduler lock, one writer at a time.
 */

const lock = { ttlMs: 30_000, waitMs: 30_000, retryMs: 100 };

/** Makes the poll schedules match the config: one BullMQ job scheduler per vendor, stale ones removed. */
export async function syncPollSchedules(deps: {
  queue: Queue;
  redis: RedisClient;
  keys: Keys;
  config: Config;
  logger: Logger;
}): Promise<{ upserted: number; removed: number }> {
  const { queue, redis, keys, config, logger } = deps;
  return withLock(redis, keys.schedulerLock, { ...lock, what: 'poll scheduler' }, async () => {
    const { poll } = jobCatalog;
    const wanted = new Set<string>();
    for (const vendor of config.vendors) {
      const schedule = poll.scheduleFor(vendor.id, config.poll.intervalMs);
      wanted.add(schedule.id);
      await upsertSchedule(queue, 'poll', schedule, { vendor: vendor.id });
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

/**
 * Puts the fixed schedules in place: the suspect evaluation, the annotator's tick and the alerts tick
 * every minute, and the retention trimmer every `trim.everyMs`.
 */
export async function syncMinuteSchedules(deps: {
  suspectQueue: Queue;
  annotateQueue: Queue;
  alertsQueue?: Queue;
  trim?: { queue: Queue; everyMs: number };
  redis: RedisClient;
  keys: Keys;
}): Promise<void> {
  const { suspect, annotateTick, alertsTick, trim } = jobCatalog;
  await withLock(deps.redis, deps.keys.schedulerLock, { ...lock, what: 'minute schedules' }, async () => {
    await upsertSchedule(deps.annotateQueue, 'annotateTick', annotateTick.schedule, {});
    await upsertSchedule(deps.suspectQueue, 'suspect', suspect.schedule, {});
    if (deps.alertsQueue) await upsertSchedule(deps.alertsQueue, 'alertsTick', alertsTick.schedule, {});
    if (deps.trim) await upsertSchedule(deps.trim.queue, 'trim', trim.scheduleFor(deps.trim.everyMs), {});
  });
}

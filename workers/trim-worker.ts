import type { Queue, Worker } from 'bullmq';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import type { Keys } from '../src/store/keys.js';
import { tryWithLock } from '../src/store/lock.js';
import { createTrimmer, type TrimReport } from '../src/store/retention.js';
import { createCatalogWorker } from './catalog-worker.js';
import { jobCatalog, upsertSchedule } from './jobs.js';
import type { RedisClient } from '../src/store/redis.js';

/*
 * The retention trimmer's worker: runs the `trim` job the scheduler role puts in place every
 * retention.trimEvery. A job of its own (not part of a minute tick) so its cadence follows the
 * config and a long pass never holds up the annotator or alert ticks. One pass at a time across
 * workers (a lock); the deletes are compare-and-delete, so even two passes at once are harmless.
 */

/** Puts the trim job's scheduler in place; callers hold the scheduler lock. */
export async function upsertTrimSchedule(queue: Queue, everyMs: number): Promise<void> {
  await upsertSchedule(queue, 'trim', jobCatalog.trim.scheduleFor(everyMs), {});
}

/** Whether a report deleted or kept anything worth a line in the log. */
function anything(report: TrimReport): boolean {
  const { complete, streamEntries, ...counts } = report;
  return !complete || Object.keys(streamEntries).length > 0 || Object.values(counts).some((n) => n > 0);
}

export function createTrimWorker(deps: {
  /** Worker connection (maxRetriesPerRequest null). */
  connection: RedisClient;
  /** Commands connection. */
  redis: RedisClient;
  keys: Keys;
  config: Pick<Config, 'retention' | 'vendors' | 'digest'>;
  logger: Logger;
  prefix: string;
  /** Wall clock; tests pass their own. */
  now?: () => number;
}): Worker {
  const { redis, keys, config } = deps;
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ worker: 'trim' });
  // A digest run record is what tells a starting scheduler its period is done: it is kept at least as
  // long as a catch-up could look for it, whatever retention.digestRuns says.
  const digestRunsMs = Math.max(
    config.retention.digestRunsMs,
    config.digest.catchUpMs + config.digest.days * 86_400_000,
  );
  const trimmer = createTrimmer(redis, keys, {
    policy: { ...config.retention, digestRunsMs },
    vendors: config.vendors.map((v) => v.id),
  });
  // Longer than any pass should take; a pass outliving it lets the next one in, which is still safe.
  const lockMs = Math.max(10 * 60_000, config.retention.trimEveryMs);
  return createCatalogWorker(
    jobCatalog.trim,
    async () => {
      const held = await tryWithLock(redis, keys.trimLock, lockMs, () => trimmer.run(now()));
      if (!held) {
        log.debug('another trimming pass is running; skipped');
        return { skipped: true };
      }
      const report = held.value;
      if (anything(report)) log.info(report, 'retention: history older than its retention trimmed');
      else log.debug(report, 'retention: nothing to trim');
      return report;
    },
    { connection: deps.connection, prefix: deps.prefix, logger: log, concurrency: 1 },
  );
}

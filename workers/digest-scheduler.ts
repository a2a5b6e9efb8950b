import { hostname } from 'node:os';
import type { JobsOptions, Queue } from 'bullmq';
import cron, { type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Config } from '../src/config.js';
import { defaultDigestPeriod } from '../src/core/digest/period.js';
import type { DigestPeriod } from '../src/core/digest/types.js';
import { enqueueDigest, writeDigestFiles } from '../src/delivery/digest.js';
import type { Logger } from '../src/logger.js';
import { buildDigest } from '../src/store/digest.js';
import {
  digestRunDone,
  writeDigestRun,
  type DigestRun,
  type DigestTrigger,
} from '../src/store/digest-runs.js';
import type { Keys } from '../src/store/keys.js';
import { tryWithLock } from '../src/store/lock.js';
import type { RedisClient } from '../src/store/redis.js';

/*
 * The digest on schedule: node-cron fires in every scheduler process, and a Redis lock per period
 * plus the period's done record make exactly one of them produce it. Order of a run: build, write
 * the files, hand to the sinks, then write the done record; a run that stops midway is redone by the
 * next fire or the next start's catch-up, and the deliveries' job ids keep them once per sink.
 */

/** Longest a run holds the period's lock; a run that outlives it may be redone (deliveries still dedupe). */
const lockTtlMs = 15 * 60_000;

export interface DigestSchedulerDeps {
  /** Commands connection. */
  redis: RedisClient;
  keys: Keys;
  config: Config;
  logger: Logger;
  /** The `deliver` queue digests are handed to. */
  deliverQueue: Queue;
  /** Wall clock; tests pass a fixed one. When set, fires read it instead of the cron's fire time. */
  now?: () => number;
  /** Who runs it, in the run record (default `hostname:pid`). */
  by?: string;
  /** Overrides of the deliver jobs' options. */
  jobOptions?: Partial<JobsOptions>;
  /** Called after each scheduled or catch-up run with what it did. */
  onRun?: (result: DigestRunResult) => void;
}

/** What one run attempt did for a period. */
export type DigestRunResult = { period: DigestPeriod; trigger: DigestTrigger } & (
  | { outcome: 'done'; record: DigestRun }
  /** A done record was already there. */
  | { outcome: 'already-done' }
  /** Another scheduler holds the period's lock. */
  | { outcome: 'busy' }
  | { outcome: 'failed'; error: string }
);

const defaultBy = () => `${hostname()}:${process.pid}`;

/**
 * Produces the digest of `period` unless it is done: under the period's lock, reads the run record,
 * builds, writes the files, hands the digest to the sinks and records the run. Throws when the build
 * or the hand-over fails (no record is written, so the period stays to do).
 */
export async function runScheduledDigest(
  deps: DigestSchedulerDeps,
  period: DigestPeriod,
  trigger: DigestTrigger,
): Promise<DigestRunResult> {
  const { redis, keys, config } = deps;
  const now = deps.now ?? Date.now;
  const by = deps.by ?? defaultBy();
  const log = deps.logger.child({ period: period.id, trigger, by });
  const held = await tryWithLock(redis, keys.digestLock(period.id), lockTtlMs, async () => {
    if (await digestRunDone(redis, keys, period.id)) {
      log.debug('digest already done for this period');
      return { period, trigger, outcome: 'already-done' } as const;
    }
    const startedAt = new Date(now()).toISOString();
    const digest = await buildDigest({ redis, keys, config }, period, new Date(startedAt));
    const files = config.digest.directory
      ? await writeDigestFiles(config.digest.directory, digest, config.digest.formats, log)
      : [];
    const deliveries = await enqueueDigest(
      {
        queue: deps.deliverQueue,
        sinks: config.sinks,
        logger: log,
        ...(deps.jobOptions ? { jobOptions: deps.jobOptions } : {}),
      },
      digest,
    );
    const record: DigestRun = {
      period,
      state: 'done',
      trigger,
      startedAt,
      finishedAt: new Date(now()).toISOString(),
      by,
      vendors: digest.vendors.map((v) => v.id),
      quiet: digest.quiet.length,
      files,
      deliveries,
    };
    await writeDigestRun(redis, keys, record);
    log.info(
      {
        vendors: record.vendors,
        files: files.map((f) => (f.error ? `${f.path} (failed)` : f.path)),
        sinks: deliveries.map((d) => d.sink),
      },
      'digest done',
    );
    return { period, trigger, outcome: 'done', record } as const;
  });
  if (held) return held.value;
  log.debug('another scheduler is producing this period');
  return { period, trigger, outcome: 'busy' };
}

/**
 * The most recent time ≤ `now`, and no older than `windowMs`, that the schedule matches: scanned back
 * minute by minute, at the seconds the expression names. Null when there is none in the window.
 */
export function lastScheduledTime(
  schedule: { match(at: Date): boolean; seconds: readonly number[] },
  now: number,
  windowMs: number,
): number | null {
  const oldest = now - windowMs;
  const seconds = [...schedule.seconds].sort((a, b) => b - a);
  for (let minute = Math.floor(now / 60_000) * 60_000; minute + 59_999 >= oldest; minute -= 60_000) {
    for (const second of seconds) {
      const at = minute + second * 1000;
      if (at <= now && at >= oldest && schedule.match(new Date(at))) return at;
    }
  }
  return null;
}

/** node-cron's own messages (missed fires, task errors) into our log. */
function cronLogger(logger: Logger): CronLogger {
  return {
    info: (message) => logger.info(message),
    warn: (message) => logger.warn(message),
    error: (message, err) => logger.error({ err: err ?? message }, 'digest schedule error'),
    debug: (message) => logger.debug(typeof message === 'string' ? message : { err: message }),
  };
}

export interface DigestScheduler {
  /** The start's catch-up run: its result, or null when nothing was due (or the schedule is off). */
  caughtUp: Promise<DigestRunResult | null>;
  /** Stops the schedule and waits for a run in progress. */
  close(): Promise<void>;
}

/** Starts the digest's cron schedule (and a catch-up run); `close` stops it. */
export async function startDigestScheduler(deps: DigestSchedulerDeps): Promise<DigestScheduler> {
  const { config } = deps;
  const { schedule, timeZone, days, catchUpMs } = config.digest;
  const logger = deps.logger.child({ component: 'digest-scheduler' });
  if (!config.digest.enabled) {
    logger.info('digest schedule is off (digest.enabled: false)');
    return { caughtUp: Promise.resolve(null), close: async () => {} };
  }
  const runs = new Set<Promise<unknown>>();

  // Never throws: a failed run is logged and left without a record, to be redone.
  async function run(period: DigestPeriod, trigger: DigestTrigger): Promise<DigestRunResult> {
    let result: DigestRunResult;
    try {
      result = await runScheduledDigest({ ...deps, logger }, period, trigger);
    } catch (error) {
      const message = (error as Error).message;
      logger.error({ period: period.id, trigger, err: message }, 'digest run failed; the period stays to do');
      result = { period, trigger, outcome: 'failed', error: message };
    }
    deps.onRun?.(result);
    return result;
  }
  function track<T>(work: Promise<T>): Promise<T> {
    runs.add(work);
    void work.finally(() => runs.delete(work));
    return work;
  }

  const task: ScheduledTask = cron.schedule(
    schedule,
    (context) => {
      const at = deps.now ? new Date(deps.now()) : context.date;
      return track(run(defaultDigestPeriod(at, days, timeZone), 'schedule'));
    },
    {
      timezone: timeZone,
      name: `upcause-digest-${deps.keys.root}`,
      noOverlap: true,
      logger: cronLogger(logger),
    },
  );
  logger.info({ schedule, timeZone, next: task.getNextRun()?.toISOString() ?? null }, 'digest scheduled');

  async function catchUp(): Promise<DigestRunResult | null> {
    const now = (deps.now ?? Date.now)();
    const last = lastScheduledTime(
      { match: (at) => task.match(at), seconds: cron.parse(schedule).second },
      now,
      catchUpMs,
    );
    if (last === null) {
      logger.info({ catchUpMs }, 'digest catch-up: no scheduled time within the catch-up window');
      return null;
    }
    const period = defaultDigestPeriod(new Date(last), days, timeZone);
    const result = await run(period, 'catch-up');
    logger.info(
      { period: period.id, scheduledAt: new Date(last).toISOString(), outcome: result.outcome },
      result.outcome === 'done'
        ? 'digest catch-up: produced a missed digest'
        : 'digest catch-up: nothing to do',
    );
    return result;
  }
  const caughtUp = track(
    catchUp().catch((error: unknown) => {
      logger.error({ err: (error as Error).message }, 'digest catch-up failed');
      return null;
    }),
  );

  return {
    caughtUp,
    async close() {
      await task.destroy();
      await Promise.allSettled([...runs]);
    },
  };
}

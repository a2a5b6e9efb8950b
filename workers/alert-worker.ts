import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import type { Keys } from '../src/store/keys.js';
import { createCatalogWorker } from './catalog-worker.js';
import { jobCatalog } from './jobs.js';
import type { SuspectRunSummary } from './suspect-worker.js';

export interface AlertDeps {
  /** Commands connection. */
  redis: Redis;
  keys: Keys;
  config: Config;
  logger: Logger;
  /** The `deliver` queue alerts are handed to. */
  deliverQueue: Queue;
}

/** Runs the alerts tick each minute: vendor pages unreadable, vendor incidents touching us. */
export function createAlertWorker(deps: AlertDeps & { connection: Redis; prefix: string }): Worker {
  return createCatalogWorker(jobCatalog.alertsTick, async () => ({}), {
    connection: deps.connection,
    prefix: deps.prefix,
    logger: deps.logger,
    concurrency: 1,
  });
}

/** The suspect worker's hook: `suspected` alerts for opened suspects, follow-ups for linked ones. */
export function suspectAlertHandler(_deps: AlertDeps): (summary: SuspectRunSummary) => Promise<void> {
  return async () => {};
}

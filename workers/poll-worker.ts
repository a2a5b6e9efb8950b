import { UnrecoverableError, type Worker } from 'bullmq';
import type { Config } from '../src/config.js';
import type { HttpClient } from '../src/http/client.js';
import type { Logger } from '../src/logger.js';
import type { Metrics } from '../src/metrics/metrics.js';
import type { VendorStore } from '../src/store/vendors.js';
import type { Provider } from '../providers/types.js';
import { createCatalogWorker } from './catalog-worker.js';
import { jobCatalog } from './jobs.js';
import type { ParsePool } from './parse-pool.js';
import { pollVendor } from './poll.js';
import type { RedisClient } from '../src/store/redis.js';

export interface PollWorkerDeps {
  config: Config;
  connection: RedisClient;
  http: HttpClient;
  store: VendorStore;
  providers: ReadonlyMap<string, Provider>;
  logger: Logger;
  prefix: string;
  /** Where providers parse; without one they parse on this thread. */
  parsePool?: ParsePool;
  /** Where each poll's outcome and latencies are counted. */
  metrics?: Metrics;
}

/** Runs poll jobs; many processes may run one each, BullMQ hands each job to exactly one. */
export function createPollWorker(deps: PollWorkerDeps): Worker {
  return createCatalogWorker(
    jobCatalog.poll,
    async (data, { job, attempt, log }) => {
      const vendor = deps.config.vendors.find((v) => v.id === data.vendor);
      if (!vendor)
        throw new UnrecoverableError(`poll job ${job.id}: vendor "${data.vendor}" is not configured`);
      // pollVendor's own lines name the vendor; the job and attempt come from here.
      const logger = deps.logger.child({ jobName: job.name, job: job.id, attempt });
      const outcome = await pollVendor(vendor, { ...deps, logger }, new Date()).catch((error: unknown) => {
        // Our side (Redis) failed after the page was read: the job is retried.
        deps.metrics?.recordPoll(vendor.id, { ok: false, kind: 'error' });
        throw error;
      });
      deps.metrics?.recordPoll(
        vendor.id,
        outcome.ok ? outcome : { ok: false, kind: outcome.error.kind, latencyMs: outcome.latencyMs },
      );
      // A 4xx or a page we cannot read will not fix itself within seconds (permanent); a timeout might.
      if (!outcome.ok) throw outcome.error;
      log.debug(
        {
          changes: outcome.changes.length,
          notModified: outcome.notModified,
          latencyMs: Math.round(outcome.latencyMs),
        },
        'polled',
      );
      for (const change of outcome.changes)
        log.info({ incident: change.id, change: change.change }, `vendor incident ${change.change}`);
      return { changes: outcome.changes.length, notModified: outcome.notModified };
    },
    {
      connection: deps.connection,
      prefix: deps.prefix,
      logger: deps.logger,
      concurrency: deps.config.poll.concurrency,
    },
  );
}

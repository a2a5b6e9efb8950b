import { Queue, QueueEvents } from 'bullmq';
import { providers } from '../../providers/registry.js';
import type { Config } from '../../src/config.js';
import { createHttpClient } from '../../src/http/client.js';
import { createLogger } from '../../src/logger.js';
import { createVendorStore, type VendorStore } from '../../src/store/vendors.js';
import { jobCatalog } from '../../workers/jobs.js';
import { createParsePool } from '../../workers/parse-pool.js';
import { createPollWorker } from '../../workers/poll-worker.js';
import type { TestRedis } from './redis.js';

export interface PollOutcome {
  vendor: string;
  ok: boolean;
  /** Why the job failed. */
  message?: string;
}

export interface RunningPollWorker {
  /** The vendor store the worker writes to. */
  store: VendorStore;
  /** Enqueues one poll job (a single attempt) and waits up to 15 s for it to finish. */
  poll(vendor: string): Promise<PollOutcome>;
  /** Closes the worker, then the queue's event stream, the queue, the parse pool and the HTTP client. */
  close(): Promise<void>;
}

/**
 * The real poll worker on BullMQ over `t`'s Redis, with its HTTP edge, parse pool and store set up from
 * `config.poll` (timeout, body size, private networks, parse deadline, confirmed changes) so it can read a
 * local vendor server.
 */
export async function startPollWorker(t: TestRedis, config: Config): Promise<RunningPollWorker> {
  const store = createVendorStore(t.redis, t.keys, { confirmPolls: config.poll.confirmPolls });
  const http = createHttpClient({
    timeoutMs: config.poll.timeoutMs,
    maxBodyBytes: config.poll.maxBodyBytes,
    userAgent: 'upcause-test',
    allowPrivateNetworks: config.poll.allowPrivateNetworks,
  });
  const parsePool = createParsePool({
    threads: config.poll.parseThreads,
    timeoutMs: config.poll.parseTimeoutMs,
  });
  const queue = new Queue(jobCatalog.poll.queue, { connection: t.redis.duplicate(), prefix: t.keys.bull });
  const events = new QueueEvents(jobCatalog.poll.queue, {
    connection: t.redis.duplicate(),
    prefix: t.keys.bull,
  });
  await events.waitUntilReady();
  const worker = createPollWorker({
    config,
    connection: t.redis.duplicate({ maxRetriesPerRequest: null }),
    http,
    parsePool,
    store,
    providers,
    logger: createLogger('silent'),
    prefix: t.keys.bull,
  });
  void worker.run();
  return {
    store,
    async poll(vendor) {
      const job = await queue.add(
        jobCatalog.poll.name,
        { vendor },
        { attempts: 1, removeOnComplete: true, removeOnFail: true },
      );
      try {
        await job.waitUntilFinished(events, 15_000);
        return { vendor, ok: true };
      } catch (error) {
        return { vendor, ok: false, message: (error as Error).message };
      }
    },
    async close() {
      await worker.close(true);
      await events.close();
      await queue.close();
      await parsePool.close();
      http.close();
    },
  };
}

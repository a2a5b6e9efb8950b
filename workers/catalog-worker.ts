import { UnrecoverableError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { z } from 'zod';
import { isPermanent } from '../src/core/errors.js';
import type { Logger } from '../src/logger.js';
import type { JobEntry } from './jobs.js';
import type { RedisClient } from '../src/store/redis.js';

/** What a handler gets besides the validated payload. */
export interface JobContext {
  job: Job;
  /** The worker's lock token (for moveToDelayed and the like). */
  token: string | undefined;
  /** Counts from 1. */
  attempt: number;
  /** Carries the job name and id, the attempt and, when the payload names one, the vendor. */
  log: Logger;
}

export type JobHandler<E extends JobEntry> = (
  data: z.infer<E['schema']>,
  ctx: JobContext,
) => Promise<unknown>;

/** One job name a worker runs, with its handler; see route(). */
export interface JobRoute {
  entry: JobEntry;
  handler: (data: unknown, ctx: JobContext) => Promise<unknown>;
}

/** Pairs a catalog entry with its handler, for a worker that runs several job names of one queue. */
export function route<E extends JobEntry>(entry: E, handler: JobHandler<E>): JobRoute {
  return { entry, handler: handler as JobRoute['handler'] };
}

export interface CatalogWorkerOptions {
  /** Worker connection (maxRetriesPerRequest null). */
  connection: RedisClient;
  /** BullMQ prefix (keys.bull). */
  prefix: string;
  logger: Logger;
  concurrency?: number;
  /** Further BullMQ settings (lock and stall timings, backoff strategies). */
  workerOptions?: Partial<Omit<WorkerOptions, 'connection' | 'prefix' | 'concurrency' | 'autorun'>>;
}

function vendorOf(data: unknown): string | undefined {
  const vendor = (data as { vendor?: unknown } | null)?.vendor;
  return typeof vendor === 'string' ? vendor : undefined;
}

/**
 * A BullMQ worker (autorun off) for catalog jobs. Every job's payload is validated against its entry's
 * schema first; a bad payload and any error carrying `permanent: true` fail the job without retry,
 * everything else is left to the entry's retry policy. With routes, a job goes to the route of its
 * name, and names no route claims go to the first.
 */
export function createCatalogWorker<E extends JobEntry>(
  entry: E,
  handler: JobHandler<E>,
  options: CatalogWorkerOptions,
): Worker;
export function createCatalogWorker(
  routes: readonly [JobRoute, ...JobRoute[]],
  options: CatalogWorkerOptions,
): Worker;
export function createCatalogWorker(
  ...args:
    | [JobEntry, JobRoute['handler'], CatalogWorkerOptions]
    | [readonly [JobRoute, ...JobRoute[]], CatalogWorkerOptions]
): Worker {
  const [routes, options] =
    args.length === 3 ? [[{ entry: args[0], handler: args[1] }] as const, args[2]] : [args[0], args[1]];
  const queue = routes[0].entry.queue;
  for (const r of routes)
    if (r.entry.queue !== queue) throw new Error(`job ${r.entry.name} is not on queue "${queue}"`);
  const worker = new Worker(
    queue,
    async (job: Job, token?: string) => {
      const { entry, handler } = routes.find((r) => r.entry.name === job.name) ?? routes[0];
      const parsed = entry.schema.safeParse(job.data);
      if (!parsed.success)
        throw new UnrecoverableError(
          `${queue} job ${job.name} ${job.id}: bad payload: ${parsed.error.message}`,
        );
      const attempt = job.attemptsMade + 1;
      const vendor = vendorOf(parsed.data);
      const log = options.logger.child({
        ...(vendor !== undefined ? { vendor } : {}),
        jobName: job.name,
        job: job.id,
        attempt,
      });
      try {
        return await handler(parsed.data, { job, token, attempt, log });
      } catch (error) {
        if (isPermanent(error) && !(error instanceof UnrecoverableError))
          throw new UnrecoverableError((error as Error).message);
        throw error;
      }
    },
    {
      ...options.workerOptions,
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 1,
      autorun: false,
    },
  );
  worker.on('error', (error) => options.logger.error({ err: error }, `${queue} worker error`));
  return worker;
}

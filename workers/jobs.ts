import { createHash } from 'node:crypto';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { z } from 'zod';
import { deliveryPayloadSchema } from '../src/delivery/sinks/types.js';

/** A repeating job: BullMQ job scheduler id, interval and offset inside it. */
export interface Schedule {
  id: string;
  every: number;
  offset: number;
}

/** One job of the catalog: its queue, name, payload schema, retry policy and, if it repeats, schedule. */
export interface JobEntry<S extends z.ZodType = z.ZodType> {
  readonly queue: string;
  readonly name: string;
  readonly schema: S;
  readonly options: JobsOptions;
  /** Set for a job that repeats on a fixed schedule. */
  readonly schedule?: Schedule;
  /** Set for a job whose schedules follow the config (one per vendor, say). */
  readonly scheduleFor?: (...args: never[]) => Schedule;
}

/** Scheduler id for a vendor's poll; no ":" (BullMQ reserves it). */
export const pollSchedulerId = (vendor: string) => `poll-${vendor}`;

/** A stable per-vendor offset inside the interval, so vendors are not all polled in the same second. */
export function pollOffset(vendor: string, intervalMs: number): number {
  const hash = createHash('sha256').update(vendor).digest().readUInt32BE(0);
  return hash % intervalMs;
}

/** Every BullMQ job upcause runs: its queue, payload schema, retry policy and schedule. */
export const jobCatalog = {
  poll: {
    queue: 'poll',
    name: 'poll',
    schema: z.strictObject({ vendor: z.string().regex(/^[a-z0-9][a-z0-9-]*$/) }),
    // The next scheduled poll is the real retry; one quick retry rides out a blip.
    options: {
      attempts: 2,
      backoff: { type: 'fixed', delay: 5_000 },
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 86_400, count: 5000 },
    },
    /** One scheduler per watched vendor, every poll interval, at the vendor's own offset in it. */
    scheduleFor: (vendor: string, intervalMs: number): Schedule => ({
      id: pollSchedulerId(vendor),
      every: intervalMs,
      offset: pollOffset(vendor, intervalMs),
    }),
  },
  suspect: {
    queue: 'suspect',
    name: 'evaluate',
    schema: z.strictObject({}),
    // No retries: the next minute's run re-reads the whole lookback, so it is the retry.
    options: {
      attempts: 1,
      removeOnComplete: { age: 3600, count: 100 },
      removeOnFail: { age: 86_400, count: 1000 },
    },
    // Every minute, 5 s past it so late events land in the bucket first.
    schedule: { id: 'suspect-evaluate', every: 60_000, offset: 5_000 },
  },
  annotate: {
    queue: 'annotate',
    name: 'evaluate',
    schema: z.strictObject({
      incidentId: z.string().min(1, 'incidentId must not be empty').max(512),
      reason: z.enum(['vendor-change', 'incident-change', 'tick', 'manual']),
    }),
    // A failed evaluation is retried soon: it may owe a delivery (see runAnnotation).
    options: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 86_400, count: 5000 },
    },
  },
  annotateTick: {
    queue: 'annotate',
    name: 'tick',
    schema: z.strictObject({}),
    // The next minute's tick is the retry.
    options: {
      attempts: 1,
      removeOnComplete: { age: 3600, count: 100 },
      removeOnFail: { age: 86_400, count: 1000 },
    },
    // Every minute, 10 s past it so the last minute's errors are in.
    schedule: { id: 'annotate-tick', every: 60_000, offset: 10_000 },
  },
  // Alert conditions judged every minute (vendor pages unreadable, vendor incidents touching us).
  alertsTick: {
    queue: 'alerts',
    name: 'tick',
    schema: z.strictObject({}),
    // The next minute's tick is the retry.
    options: {
      attempts: 1,
      removeOnComplete: { age: 3600, count: 100 },
      removeOnFail: { age: 86_400, count: 1000 },
    },
    // Every minute, 20 s past it (after the suspect evaluation and the annotator's tick).
    schedule: { id: 'alerts-tick', every: 60_000, offset: 20_000 },
  },
  // The retention trimmer (src/store/retention.ts): on a queue of its own, so a long pass never delays
  // the minute ticks, at the configured cadence (retention.trimEvery).
  trim: {
    queue: 'maintenance',
    name: 'trim',
    schema: z.strictObject({}),
    // The next run is the retry: every pass starts over from what is left.
    options: {
      attempts: 1,
      removeOnComplete: { age: 3600, count: 100 },
      removeOnFail: { age: 86_400, count: 1000 },
    },
    /** One scheduler; 30 s into the interval (or half of it) so it does not start with the minute ticks. */
    scheduleFor: (everyMs: number): Schedule => ({
      id: 'retention-trim',
      every: everyMs,
      offset: Math.min(30_000, Math.floor(everyMs / 2)),
    }),
  },
  // One job per (payload, sink); its job id is the delivery key (src/delivery/enqueue.ts).
  deliver: {
    queue: 'deliver',
    name: 'deliver',
    schema: z.strictObject({
      key: z.string().regex(/^dlv-[0-9a-f]{32}$/, 'key must be dlv-<32 hex digits>'),
      sink: z.string().min(1, 'sink must not be empty'),
      payload: deliveryPayloadSchema,
    }),
    // Exponential backoff with jitter (the worker's 'delivery' strategy: 2 s, 4 s, … capped at 10 min,
    // each drawn in [½, 1] of that, or the receiver's Retry-After): 8 attempts span about 4 minutes.
    options: {
      attempts: 8,
      backoff: { type: 'delivery', delay: 2_000 },
      removeOnComplete: { age: 7 * 86_400, count: 10_000 },
      removeOnFail: { age: 30 * 86_400, count: 10_000 },
    },
  },
} as const satisfies Record<string, JobEntry>;

export type JobName = keyof typeof jobCatalog;
/** The validated payload of a catalog job. */
export type JobPayload<N extends JobName> = z.infer<(typeof jobCatalog)[N]['schema']>;
export type PollJob = JobPayload<'poll'>;
export type DeliveryJob = JobPayload<'deliver'>;

/** A catalog job ready for Queue.add/addBulk: payload validated, catalog options under `options`. */
export function catalogJob<N extends JobName>(
  queue: Queue,
  name: N,
  payload: JobPayload<N>,
  options?: JobsOptions,
): { name: string; data: JobPayload<N>; opts: JobsOptions } {
  const job: JobEntry = jobCatalog[name];
  if (queue.name !== job.queue)
    throw new Error(`job ${name} belongs on queue "${job.queue}", not "${queue.name}"`);
  return {
    name: job.name,
    data: job.schema.parse(payload) as JobPayload<N>,
    opts: { ...job.options, ...options },
  };
}

/** Adds one catalog job to `queue`, its payload validated first; `options` override the catalog's. */
export async function enqueue<N extends JobName>(
  queue: Queue,
  name: N,
  payload: JobPayload<N>,
  options?: JobsOptions,
): Promise<Job> {
  const job = catalogJob(queue, name, payload, options);
  return queue.add(job.name, job.data, job.opts);
}

/** Puts a catalog job's scheduler in place (idempotent); callers hold the scheduler lock. */
export async function upsertSchedule<N extends JobName>(
  queue: Queue,
  name: N,
  schedule: Schedule,
  payload: JobPayload<N>,
): Promise<void> {
  const job = catalogJob(queue, name, payload);
  await queue.upsertJobScheduler(
    schedule.id,
    { every: schedule.every, offset: schedule.offset },
    { name: job.name, data: job.data, opts: job.opts },
  );
}

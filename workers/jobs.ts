import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { deliveryJobs } from '../src/delivery/enqueue.js';

/** Every BullMQ job upcause runs: its queue, payload schema and retry policy. */
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
    } satisfies JobsOptions,
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
    } satisfies JobsOptions,
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
    } satisfies JobsOptions,
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
    } satisfies JobsOptions,
  },
  // Defined beside the delivery key scheme it validates.
  deliver: deliveryJobs.deliver,
} as const;

export type PollJob = z.infer<typeof jobCatalog.poll.schema>;

/** Scheduler id for a vendor's poll; no ":" (BullMQ reserves it). */
export const pollSchedulerId = (vendor: string) => `poll-${vendor}`;

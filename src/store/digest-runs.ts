import { z } from 'zod';
import { digestFormatSchema, digestPeriodSchema } from '../core/digest/types.js';
import { instantSchema } from '../core/model.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/*
 * Run records of scheduled digests: one JSON record per period under `digestRun(period)`, written
 * only once the run is done, and the period in the `digestRuns` sorted set (score: when it finished).
 * A run that stopped midway leaves no record, so the next one redoes it.
 */

export const digestTriggerSchema = z.enum(['schedule', 'catch-up']);
export type DigestTrigger = z.infer<typeof digestTriggerSchema>;

/** One file a run wrote (or failed to write). */
export const digestFileSchema = z.strictObject({
  format: digestFormatSchema,
  path: z.string(),
  /** Why it was not written; null when it was. */
  error: z.string().nullable(),
});
export type DigestFile = z.infer<typeof digestFileSchema>;

export const digestRunSchema = z.strictObject({
  period: digestPeriodSchema,
  state: z.literal('done'),
  trigger: digestTriggerSchema,
  startedAt: instantSchema,
  finishedAt: instantSchema,
  /** The scheduler process that ran it: `hostname:pid` (or a name given to it). */
  by: z.string(),
  /** Vendors with something to report, highest risk first, and how many were quiet. */
  vendors: z.array(z.string()),
  quiet: z.number().int(),
  files: z.array(digestFileSchema),
  /** The sinks the digest was handed to, with their delivery keys. */
  deliveries: z.array(z.strictObject({ sink: z.string(), key: z.string() })),
});
export type DigestRun = z.infer<typeof digestRunSchema>;

/** The done record of a period, or null when no run finished it (or the record cannot be read). */
export async function readDigestRun(
  redis: RedisClient,
  keys: Keys,
  periodId: string,
): Promise<DigestRun | null> {
  const raw = await redis.get(keys.digestRun(periodId));
  return parseRun(raw);
}

/** Whether a run finished the period (any record counts: the record is written only when done). */
export async function digestRunDone(redis: RedisClient, keys: Keys, periodId: string): Promise<boolean> {
  return (await redis.exists(keys.digestRun(periodId))) === 1;
}

/** Stores a finished run and lists its period among the runs. */
export async function writeDigestRun(redis: RedisClient, keys: Keys, run: DigestRun): Promise<void> {
  const record = digestRunSchema.parse(run);
  await redis
    .multi()
    .set(keys.digestRun(record.period.id), JSON.stringify(record))
    .zadd(keys.digestRuns, Date.parse(record.finishedAt), record.period.id)
    .exec();
}

/** The most recent runs, newest first. */
export async function listDigestRuns(redis: RedisClient, keys: Keys, limit = 30): Promise<DigestRun[]> {
  const periods = await redis.zrevrange(keys.digestRuns, 0, limit - 1);
  if (periods.length === 0) return [];
  const raws = await redis.mget(...periods.map((p) => keys.digestRun(p)));
  return raws.map(parseRun).filter((run): run is DigestRun => run !== null);
}

function parseRun(raw: string | null): DigestRun | null {
  if (raw === null) return null;
  try {
    const parsed = digestRunSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

import type { Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/** ingest.partitions set below what the install already ran with: its streams and counts would be stranded. */
export class PartitionsLoweredError extends Error {
  override readonly name = 'PartitionsLoweredError';
}

/**
 * Records the install's ingest partitions: their count (which may only grow) and the list of their
 * error streams, in order, for producers that read it (`LRANGE {upcause}:ingest:streams 0 -1`, then
 * `streams[(crc16("<service>|<vendor>") % 16384) % streams.length]`, as keys.partitionOf chooses).
 * Returns the count the install ran with before.
 */
export async function recordPartitions(redis: RedisClient, keys: Keys): Promise<number> {
  const before = Number((await redis.get(keys.partitionCount)) ?? 1);
  const now = keys.partitions.length;
  if (Number.isFinite(before) && before > now) {
    throw new PartitionsLoweredError(
      `ingest.partitions is ${now}, but this install ran with ${before}: the streams and counts of ` +
        `partitions ${now}–${before - 1} would no longer be read. Set ingest.partitions to ${before} or more.`,
    );
  }
  await redis
    .multi()
    .set(keys.partitionCount, String(now))
    .del(keys.partitionStreams)
    .rpush(keys.partitionStreams, ...keys.partitions.map((p) => p.errors))
    .exec();
  return Number.isFinite(before) ? before : 1;
}

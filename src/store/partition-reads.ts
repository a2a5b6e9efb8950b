import { randomUUID } from 'node:crypto';
import type { Keys, PartitionKeys } from './keys.js';
import type { RedisClient } from './redis.js';

/*
 * Reads across ingest partitions. Each partition's keys share one hash tag, so one partition's reads
 * go in one pipeline; readers add the partitions up, so an event a producer sent to another partition
 * than its service's is still counted. With one partition each helper is the single read it was.
 */

/** Adds hash `from` into `into`, field by field (numeric values summed; others: the first kept). */
export function addHash(into: Record<string, string>, from: Record<string, string>): void {
  for (const [field, value] of Object.entries(from)) {
    const had = into[field];
    if (had === undefined) into[field] = value;
    else {
      const sum = Number(had) + Number(value);
      if (Number.isFinite(sum)) into[field] = String(sum);
    }
  }
}

/**
 * HGETALL of `keyOf(partition, item)` for every item, in every partition (one pipeline each, run
 * together), summed field by field: the hashes in the order of `items`.
 */
export async function readSummedHashes<T>(
  redis: RedisClient,
  partitions: readonly PartitionKeys[],
  items: readonly T[],
  keyOf: (partition: PartitionKeys, item: T) => string,
): Promise<Array<Record<string, string>>> {
  const perPartition = await Promise.all(
    partitions.map(async (partition) => {
      if (items.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const item of items) pipeline.hgetall(keyOf(partition, item));
      const replies = (await pipeline.exec()) ?? [];
      return items.map((item, i) => {
        const [error, hash] = replies[i] ?? [new Error('no reply'), null];
        if (error) throw new Error(`reading ${keyOf(partition, item)}: ${error.message}`, { cause: error });
        return (hash ?? {}) as Record<string, string>;
      });
    }),
  );
  const [first, ...rest] = perPartition;
  if (!first) return [];
  if (rest.length === 0) return first;
  return first.map((hash, i) => {
    const sum = { ...hash };
    for (const other of rest) addHash(sum, other[i] ?? {});
    return sum;
  });
}

/** HyperLogLog keys grouped by the partition (slot) they sit in, for one union. */
export type KeysByPartition = Map<PartitionKeys, Set<string>>;

/** Adds `key` (built from `partition`) to a union's groups. */
export function addToUnion(groups: KeysByPartition, partition: PartitionKeys, key: string): void {
  let set = groups.get(partition);
  if (!set) groups.set(partition, (set = new Set()));
  set.add(key);
}

/**
 * PFMERGE of HyperLogLogs from any partitions into `dest`, a key under the root tag. Partition 0's
 * share that tag and merge directly; another partition's are merged into a scratch key of their own
 * tag, copied as bytes (GET, then SET under the root tag) and merged from there: PFMERGE cannot reach
 * across slots. Scratch keys carry a one-minute TTL should this process die between steps.
 * Returns how many of the other partitions' keys existed (partition 0's are not looked up).
 */
export async function mergeUnionInto(
  redis: RedisClient,
  keys: Keys,
  dest: string,
  groups: KeysByPartition,
): Promise<number> {
  let found = 0;
  const token = randomUUID();
  const sources: string[] = [];
  const copies: string[] = [];
  for (const [partition, set] of groups) {
    if (set.size === 0) continue;
    if (partition.root === keys.root) {
      sources.push(...set);
      continue;
    }
    const present = await redis.exists(...set);
    if (present === 0) continue;
    found += present;
    const scratch = partition.scratch(token);
    await redis.pfmerge(scratch, ...set);
    const bytes = await redis.getBuffer(scratch);
    await redis.del(scratch);
    if (!bytes) continue;
    const copy = keys.partitions[0]!.scratch(`${token}:${partition.index}`);
    await redis.set(copy, bytes, 'PX', 60_000);
    copies.push(copy);
    sources.push(copy);
  }
  if (sources.length > 0) await redis.pfmerge(dest, ...sources);
  if (copies.length > 0) await redis.del(...copies);
  return found;
}

/** Distinct members across HyperLogLogs in any partitions (PFCOUNT of their union). */
export async function countUnion(redis: RedisClient, keys: Keys, groups: KeysByPartition): Promise<number> {
  const filled = [...groups].filter(([, set]) => set.size > 0);
  if (filled.length === 0) return 0;
  // One partition: one PFCOUNT over its keys (an array, not spread: the list may be long).
  if (filled.length === 1) return Number(await redis.call('PFCOUNT', [...filled[0]![1]]));
  const dest = keys.partitions[0]!.scratch(randomUUID());
  try {
    await mergeUnionInto(redis, keys, dest, groups);
    return await redis.pfcount(dest);
  } finally {
    await redis.del(dest);
  }
}

/** PFCOUNT of each key on its own: one pipeline per partition (chunks of `chunk`), run together. */
export async function countEach(
  redis: RedisClient,
  groups: KeysByPartition,
  chunk = 500,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await Promise.all(
    [...groups.values()].map(async (set) => {
      const all = [...set];
      for (let i = 0; i < all.length; i += chunk) {
        const part = all.slice(i, i + chunk);
        const pipeline = redis.pipeline();
        for (const key of part) pipeline.pfcount(key);
        const replies = (await pipeline.exec()) ?? [];
        part.forEach((key, j) => {
          const [error, value] = replies[j] ?? [new Error('no reply'), 0];
          if (error) throw new Error(`counting customers in ${key}: ${error.message}`, { cause: error });
          counts.set(key, Number(value));
        });
      }
    }),
  );
  return counts;
}

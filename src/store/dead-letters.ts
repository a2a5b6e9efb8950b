import type { Keys, PartitionKeys } from './keys.js';
import type { RedisClient } from './redis.js';

/**
 * The dead-letter streams (each ingest partition's `deadLetters`; partition 0's also takes the
 * annotator's notices): stream entries that kept failing to apply, set aside by the stream consumers
 * (workers/stream-consumer.ts). Each holds `reason`, `source-stream`, `source-id` and `tries` first,
 * then the entry's own fields as they were. Read together, newest first.
 */

/** One set-aside entry as read back. */
export interface DeadLetter {
  /** Its id in the dead-letter stream. */
  id: string;
  /** The dead-letter stream holding it (one per ingest partition). */
  stream: string;
  /** When it was set aside (from its id). */
  at: string;
  reason: string;
  sourceStream: string;
  sourceId: string;
  tries: number;
  /** The entry's own fields, as flat name/value pairs (names may repeat, as in the entry). */
  fields: Array<[string, string]>;
}

const meta = ['reason', 'source-stream', 'source-id', 'tries'] as const;

/** Reads one XRANGE row; null when it does not start with the four dead-letter fields. */
function toDeadLetter(stream: string, id: string, flat: string[]): DeadLetter | null {
  if (meta.some((name, i) => flat[2 * i] !== name)) return null;
  const fields: Array<[string, string]> = [];
  for (let i = 2 * meta.length; i + 1 < flat.length; i += 2) fields.push([flat[i]!, flat[i + 1]!]);
  return {
    id,
    stream,
    at: new Date(Number(id.split('-')[0])).toISOString(),
    reason: flat[1]!,
    sourceStream: flat[3]!,
    sourceId: flat[5]!,
    tries: Number(flat[7]),
    fields,
  };
}

/**
 * The streams a partition's dead letters may be retried into: those the stream consumers read in the
 * same slot (its error stream; for partition 0 also the annotator's notice streams).
 */
export function retryableStreams(keys: Keys, partition: PartitionKeys = keys.partitions[0]!): string[] {
  return partition.index === 0
    ? [partition.errors, keys.incidentChanges, keys.vendorChanges]
    : [partition.errors];
}

/** Stream ids compared in time order (ms, then sequence). */
function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/** Newest first across the partitions, at most `limit`, and how many the streams hold. */
export async function listDeadLetters(
  redis: RedisClient,
  keys: Keys,
  limit: number,
): Promise<{ total: number; entries: DeadLetter[] }> {
  const parts = await Promise.all(
    keys.partitions.map(async ({ deadLetters }) => {
      const [total, rows] = await Promise.all([
        redis.xlen(deadLetters),
        redis.xrevrange(deadLetters, '+', '-', 'COUNT', limit),
      ]);
      const entries = rows.flatMap(([id, flat]) => {
        const letter = toDeadLetter(deadLetters, id, flat);
        return letter ? [letter] : [];
      });
      return { total, entries };
    }),
  );
  const entries = parts
    .flatMap((part) => part.entries)
    .sort((a, b) => compareIds(b.id, a.id))
    .slice(0, limit);
  return { total: parts.reduce((sum, part) => sum + part.total, 0), entries };
}

/**
 * Re-adds one dead letter's own fields to its source stream and deletes it from the dead-letter
 * stream, in one script: it is never in both, nor lost. KEYS: dead-letter stream, source stream.
 * ARGV: id. Reply: the new entry's id, or false if the dead letter is gone or names another source.
 */
const retryLua = `
local rows = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
local flat = rows[1] and rows[1][2]
if not flat or flat[3] ~= 'source-stream' or flat[4] ~= KEYS[2] or #flat < 10 then return false end
local fields = {}
for i = 9, #flat do fields[#fields + 1] = flat[i] end
local id = redis.call('XADD', KEYS[2], '*', unpack(fields))
redis.call('XDEL', KEYS[1], ARGV[1])
return id
`;

export interface RetryOutcome {
  /** Dead-letter id → the new id in its source stream. */
  retried: Array<{ id: string; sourceStream: string; newId: string }>;
  /** Ids not retried, with why. */
  skipped: Array<{ id: string; why: string }>;
}

/** Puts the named dead letters (or all of them, oldest first) back on their source streams. */
export async function retryDeadLetters(
  redis: RedisClient,
  keys: Keys,
  ids: string[] | 'all',
): Promise<RetryOutcome> {
  const outcome: RetryOutcome = { retried: [], skipped: [] };
  const retryOne = async (partition: PartitionKeys, id: string, letter: DeadLetter | null): Promise<void> => {
    if (!letter) return void outcome.skipped.push({ id, why: 'no such dead letter' });
    if (!retryableStreams(keys, partition).includes(letter.sourceStream)) {
      return void outcome.skipped.push({
        id,
        why: `source stream ${letter.sourceStream} is not one we read`,
      });
    }
    if (letter.fields.length === 0) return void outcome.skipped.push({ id, why: 'it holds no fields' });
    const newId = (await redis.eval(retryLua, 2, partition.deadLetters, letter.sourceStream, id)) as
      string | null;
    if (newId === null) outcome.skipped.push({ id, why: 'no longer in the dead-letter stream' });
    else outcome.retried.push({ id, sourceStream: letter.sourceStream, newId });
  };
  if (ids !== 'all') {
    for (const id of ids) {
      if (!/^\d+(-\d+)?$/.test(id)) {
        outcome.skipped.push({ id, why: 'not a stream id' });
        continue;
      }
      // An id names the first partition's dead letter that has it (ids repeat across streams only by chance).
      let found: { partition: PartitionKeys; row: [string, string[]] } | null = null;
      for (const partition of keys.partitions) {
        const row = (await redis.xrange(partition.deadLetters, id, id))[0];
        if (row) {
          found = { partition, row };
          break;
        }
      }
      if (!found) await retryOne(keys.partitions[0]!, id, null);
      else await retryOne(found.partition, id, toDeadLetter(found.partition.deadLetters, ...found.row));
    }
    return outcome;
  }
  // Each partition oldest first, a page at a time; retried ones are deleted, skipped ones stepped over.
  for (const partition of keys.partitions) {
    let from = '-';
    for (;;) {
      const rows = await redis.xrange(partition.deadLetters, from, '+', 'COUNT', 100);
      if (rows.length === 0) break;
      for (const [id, flat] of rows)
        await retryOne(partition, id, toDeadLetter(partition.deadLetters, id, flat));
      from = `(${rows[rows.length - 1]![0]}`;
    }
  }
  return outcome;
}

/** Deletes every partition's dead-letter stream; returns how many entries they held. */
export async function purgeDeadLetters(redis: RedisClient, keys: Keys): Promise<number> {
  let purged = 0;
  for (const { deadLetters } of keys.partitions) {
    const replies = await redis.multi().xlen(deadLetters).del(deadLetters).exec();
    const [error, count] = replies?.[0] ?? [null, 0];
    if (error) throw error;
    purged += Number(count);
  }
  return purged;
}

import type { Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/**
 * The dead-letter stream (keys.deadLetters): stream entries that kept failing to apply, set aside by
 * the stream consumers (workers/stream-consumer.ts). Each holds `reason`, `source-stream`,
 * `source-id` and `tries` first, then the entry's own fields as they were.
 */

/** One set-aside entry as read back. */
export interface DeadLetter {
  /** Its id in the dead-letter stream. */
  id: string;
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
function toDeadLetter(id: string, flat: string[]): DeadLetter | null {
  if (meta.some((name, i) => flat[2 * i] !== name)) return null;
  const fields: Array<[string, string]> = [];
  for (let i = 2 * meta.length; i + 1 < flat.length; i += 2) fields.push([flat[i]!, flat[i + 1]!]);
  return {
    id,
    at: new Date(Number(id.split('-')[0])).toISOString(),
    reason: flat[1]!,
    sourceStream: flat[3]!,
    sourceId: flat[5]!,
    tries: Number(flat[7]),
    fields,
  };
}

/** The streams a dead letter may be retried into: those the stream consumers read. */
export function retryableStreams(keys: Keys): string[] {
  return [keys.errors, keys.incidentChanges, keys.vendorChanges];
}

/** Newest first, at most `limit`, and how many the stream holds. */
export async function listDeadLetters(
  redis: RedisClient,
  keys: Keys,
  limit: number,
): Promise<{ total: number; entries: DeadLetter[] }> {
  const [total, rows] = await Promise.all([
    redis.xlen(keys.deadLetters),
    redis.xrevrange(keys.deadLetters, '+', '-', 'COUNT', limit),
  ]);
  const entries = rows.flatMap(([id, flat]) => {
    const letter = toDeadLetter(id, flat);
    return letter ? [letter] : [];
  });
  return { total, entries };
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
  const allowed = new Set(retryableStreams(keys));
  const retryOne = async (id: string, letter: DeadLetter | null): Promise<void> => {
    if (!letter) return void outcome.skipped.push({ id, why: 'no such dead letter' });
    if (!allowed.has(letter.sourceStream)) {
      return void outcome.skipped.push({
        id,
        why: `source stream ${letter.sourceStream} is not one we read`,
      });
    }
    if (letter.fields.length === 0) return void outcome.skipped.push({ id, why: 'it holds no fields' });
    const newId = (await redis.eval(retryLua, 2, keys.deadLetters, letter.sourceStream, id)) as string | null;
    if (newId === null) outcome.skipped.push({ id, why: 'no longer in the dead-letter stream' });
    else outcome.retried.push({ id, sourceStream: letter.sourceStream, newId });
  };
  if (ids !== 'all') {
    for (const id of ids) {
      const rows = await redis.xrange(keys.deadLetters, id, id).catch(() => null);
      if (rows === null) {
        outcome.skipped.push({ id, why: 'not a stream id' });
        continue;
      }
      const row = rows[0];
      await retryOne(id, row ? toDeadLetter(row[0], row[1]) : null);
    }
    return outcome;
  }
  // Oldest first, a page at a time; retried ones are deleted, skipped ones are stepped over.
  let from = '-';
  for (;;) {
    const rows = await redis.xrange(keys.deadLetters, from, '+', 'COUNT', 100);
    if (rows.length === 0) return outcome;
    for (const [id, flat] of rows) await retryOne(id, toDeadLetter(id, flat));
    from = `(${rows[rows.length - 1]![0]}`;
  }
}

/** Deletes the dead-letter stream; returns how many entries it held. */
export async function purgeDeadLetters(redis: RedisClient, keys: Keys): Promise<number> {
  const replies = await redis.multi().xlen(keys.deadLetters).del(keys.deadLetters).exec();
  const [error, count] = replies?.[0] ?? [null, 0];
  if (error) throw error;
  return Number(count);
}

import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RedisClient } from '../store/redis.js';

/**
 * Idempotency-Key for `POST /v1/errors`: a retry of a request whose first attempt landed (the client
 * saw a timeout or a 503 with an unknown outcome) is answered with the first outcome instead of
 * counting its events again.
 *
 * The key is stored in the same Lua script as the XADDs, so Redis runs both or neither:
 * - Redis frozen (CLIENT PAUSE, a long fork, a slow disk): the API answers 503 "outcome unknown" at
 *   its deadline; the script runs when Redis resumes. A retry queued behind it, or sent after it,
 *   finds the key and adds nothing.
 * - The API process dies after sending the script: the same; Redis runs it or never received it.
 * - Redis dies before persisting the script: the entries and the key are lost together (scripts are
 *   written to the AOF and replicas as one unit); the retry stores the events once.
 * - A retry after `ingest.dedupeWindow` finds no key and counts again (as event `id`s do).
 * - The same key with a different body is refused (422): it is a client bug, not a retry.
 * - Redis out of memory refuses the script at its first XADD (a script that has written is let finish),
 *   so an error reply means nothing was stored, and the 503 says so.
 */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x20-\x7E]{1,200}$/, 'expected 1–200 printable ASCII characters');

/** What a key remembers: the body's digest (a reused key with another body is refused) and the answer. */
export const requestRecordSchema = z.object({
  body: z.string(),
  answer: z.record(z.string(), z.unknown()),
});
export type RequestRecord = z.infer<typeof requestRecordSchema>;

const appendOnceScript = `
local prior = redis.call('GET', KEYS[1])
if prior then return prior end
for i = 4, #ARGV do
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'events', ARGV[i])
end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[1])
return false
`;

/**
 * The digest naming an Idempotency-Key's records (`ingestRequest(digest)` in each partition), scoped by
 * the token that sent it (two producers never clash).
 */
export function requestDigest(tokenName: string, idempotencyKey: string): string {
  return createHash('sha256').update(`${tokenName}\0${idempotencyKey}`).digest('hex');
}

/** sha256 of a request body, as stored in a record. */
export function bodyDigest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/**
 * Appends `entries` to the stream and records `record` under `key` for `ttlMs`, atomically, unless
 * `key` already holds a record: then nothing is written and that record is returned.
 */
export async function appendOnce(
  redis: RedisClient,
  target: { key: string; stream: string },
  entries: ReadonlyArray<string | Buffer>,
  options: { maxLen: number; ttlMs: number; record: RequestRecord },
): Promise<RequestRecord | null> {
  const prior = (await redis.eval(
    appendOnceScript,
    2,
    target.key,
    target.stream,
    String(options.ttlMs),
    String(options.maxLen),
    JSON.stringify(options.record),
    ...entries,
  )) as string | null;
  return prior === null ? null : readRecord(prior);
}

/** The record under `key`, if any (a request with no event to store still answers as its first attempt). */
export async function readRequest(redis: RedisClient, key: string): Promise<RequestRecord | null> {
  const value = await redis.get(key);
  return value === null ? null : readRecord(value);
}

/** An unreadable record still means "already accepted": its body digest is empty, its answer unknown. */
function readRecord(value: string): RequestRecord {
  try {
    const parsed = requestRecordSchema.safeParse(JSON.parse(value));
    if (parsed.success) return parsed.data;
  } catch {
    // Falls through to the record that says only "accepted before".
  }
  return { body: '', answer: {} };
}

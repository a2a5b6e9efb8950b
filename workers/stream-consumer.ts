import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../src/logger.js';
import { isRedisFailure } from '../src/store/redis-errors.js';
import type { RedisClient } from '../src/store/redis.js';

/** One stream entry as read; `fields` is null for an entry deleted while pending. */
export interface RawEntry {
  id: string;
  fields: Buffer[] | null;
}

/** A consumer name unique per process; a restarted process takes a new one (dead ones are claimed from). */
export function consumerName(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** Reads `[[id, fields]…]` (an XREADGROUP stream's entries or XAUTOCLAIM's) defensively. */
function toEntries(items: unknown): RawEntry[] {
  if (!Array.isArray(items)) return [];
  const out: RawEntry[] = [];
  for (const item of items) {
    if (!Array.isArray(item) || item.length < 2) continue;
    const [id, fields] = item as [unknown, unknown];
    out.push({ id: String(id), fields: Array.isArray(fields) ? (fields as Buffer[]) : null });
  }
  return out;
}

/** An entry's flat field list as a record of strings (for notices written with string fields). */
export function fieldRecord(entry: RawEntry): Record<string, string> {
  const fields: Record<string, string> = {};
  const flat = entry.fields ?? [];
  for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = String(flat[i + 1]);
  return fields;
}

export function isRedisError(error: unknown, code: string): boolean {
  return error instanceof Error && error.message.startsWith(code);
}

/**
 * Sets aside an entry that keeps failing (see createStreamLoop). Atomic: the entry is either still
 * pending in the source group, or in the dead-letter stream and acknowledged, never both or neither.
 * The dead letter holds `reason`, `source-stream`, `source-id` and `tries` first, then the entry's
 * own fields as they were (so a field of the same name in the entry does not hide ours).
 * KEYS: source stream, dead-letter stream. ARGV: group, id, maxLen, reason, tries, field, value, ….
 * Reply: 1 set aside, 0 no longer pending (another consumer acknowledged it first).
 */
export const deadLetterLua = `
if #redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1) == 0 then return 0 end
local fields = {'reason', ARGV[4], 'source-stream', KEYS[1], 'source-id', ARGV[2], 'tries', ARGV[5]}
for i = 6, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(fields))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

/**
 * Deletes the group's consumers idle at least minIdle with nothing pending, except `self`; checked
 * and deleted in one script, so a consumer handed entries meanwhile is never deleted (which would
 * drop its pending entries). A live consumer marks itself seen often (see touch), so its idle time
 * stays small.
 * KEYS: stream. ARGV: group, minIdleMs, self. Reply: the deleted names.
 */
export const pruneConsumersLua = `
local removed = {}
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local f = {}
  for i = 1, #c, 2 do f[c[i]] = c[i + 1] end
  if f['name'] ~= ARGV[3] and tonumber(f['pending']) == 0 and tonumber(f['idle']) >= tonumber(ARGV[2]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], f['name'])
    removed[#removed + 1] = f['name']
  end
end
return removed
`;

/** Where and when entries that keep failing are set aside. */
export interface DeadLetterPolicy {
  /** The dead-letter stream (keys.deadLetters). */
  stream: string;
  /** Deliveries of one entry (XPENDING's count) that may fail before it is set aside. */
  maxTries: number;
  /** Approximate cap on the dead-letter stream (XADD MAXLEN ~). */
  maxLen: number;
}

/**
 * Errors that say nothing about the entry: Redis unreachable, out of memory, read-only, loading,
 * busy, or refusing us. Any entry would fail alike, so they never count towards an entry's tries.
 */
const notTheEntry =
  /^(OOM|READONLY|LOADING|BUSY|MASTERDOWN|NOREPLICAS|TRYAGAIN|CLUSTERDOWN|MISCONF|NOAUTH|WRONGPASS|NOPERM|NOGROUP)\b/;

function isEnvironmentFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (notTheEntry.test(e.message.replace(/^[^:]*script failed: /, ''))) return true;
    if (isRedisFailure(e) && e.name !== 'ReplyError') return true;
  }
  return false;
}

export interface StreamLoopOptions {
  /** A blocking connection of its own. */
  redis: RedisClient;
  stream: string;
  group: string;
  consumer: string;
  /** Where a newly created group starts: '0' for the whole stream, '$' for entries added from now on. */
  groupStart: '0' | '$';
  /** Entries per read or claim page. */
  count: number;
  /** How long a read waits for new entries; also the most close() waits for an idle read. */
  blockMs: number;
  /** Entries pending on another consumer longer than this are taken over. */
  claimAfterMs: number;
  /** How often to look for such entries. */
  claimEveryMs: number;
  /** XACK a batch once `handle` returns; off when `handle` acknowledges itself. */
  ackAfterHandle: boolean;
  logger: Logger;
  /** Logged, with the error, when a read or a batch fails. */
  failureMessage: string;
  /** Handles one non-empty batch; throwing leaves it pending, to be read again or claimed. */
  handle(entries: RawEntry[], how: { claimed: boolean }): Promise<void>;
  /** Entries XAUTOCLAIM found deleted (trimmed) while pending. */
  onTrimmed?(count: number): void;
  /**
   * Without it a failing batch stays pending and is retried whole forever. With it, a batch that
   * fails is retried entry by entry, and an entry that fails maxTries deliveries is set aside.
   */
  deadLetters?: DeadLetterPolicy;
  /** Called for each entry set aside. */
  onDeadLetter?(entry: RawEntry, tries: number, reason: string): void;
  /** Other consumers of the group idle this long with nothing pending are deleted (default: never). */
  pruneConsumersAfterMs?: number;
}

/**
 * Consumes a stream with a consumer group until close(): first what this consumer name was handed
 * before a restart, then new entries (XREADGROUP, blocking), taking over entries a dead consumer left
 * pending (XAUTOCLAIM) on the way. Failures are logged and retried with backoff; a deleted stream or
 * group is recreated.
 *
 * Dead letters (options.deadLetters): when `handle` throws, the batch is handled again entry by
 * entry, so the entries that can be applied are; one that still fails stays pending, and the claim
 * pass hands it out again after claimAfter. Tries are Redis's delivery count (XPENDING), so they
 * survive restarts: an entry failing on its maxTries-th delivery, or claimed after maxTries
 * deliveries that were never acknowledged (its consumers died or stalled on it each time, and the
 * entries handed out with it share that count), goes to the dead-letter stream and is acknowledged,
 * atomically. Failures of Redis itself (unreachable, out of memory, read-only…) are not the entry's
 * and count no tries: the batch stays pending and the loop backs off.
 *
 * Dead consumers (options.pruneConsumersAfterMs): each process takes a new consumer name, so on the
 * claim pass the group's consumers idle that long with nothing pending (what they held was claimed
 * first) are deleted.
 */
export function createStreamLoop(options: StreamLoopOptions) {
  const { redis, stream, group, consumer, count } = options;
  let stopping = false;
  let running: Promise<void> | null = null;
  let claimCursor = '0-0';
  /** When a pass of the loop last completed (a read answered, its batch handled); 0 before the first. */
  let lastPassAt = 0;

  async function ensureGroup(): Promise<void> {
    try {
      await redis.xgroup('CREATE', stream, group, options.groupStart, 'MKSTREAM');
    } catch (error) {
      if (!isRedisError(error, 'BUSYGROUP')) throw error;
    }
  }

  async function apply(entries: RawEntry[], claimed: boolean): Promise<void> {
    await options.handle(entries, { claimed });
    if (options.ackAfterHandle) await redis.xack(stream, group, ...entries.map((e) => e.id));
  }

  /** How many times each entry was handed out (XPENDING's delivery count; 0 once acknowledged). */
  async function deliveries(entries: RawEntry[]): Promise<Map<string, number>> {
    const pipeline = redis.pipeline();
    for (const { id } of entries) pipeline.xpending(stream, group, id, id, 1);
    const replies = (await pipeline.exec()) ?? [];
    const counts = new Map<string, number>();
    entries.forEach(({ id }, i) => {
      const [error, reply] = replies[i] ?? [null, null];
      if (error) throw error;
      const row = (reply as unknown[][] | null)?.[0];
      counts.set(id, row ? Number(row[3]) : 0);
    });
    return counts;
  }

  /** Moves one entry to the dead-letter stream and acknowledges it (one script). */
  async function deadLetter(policy: DeadLetterPolicy, entry: RawEntry, tries: number, reason: string) {
    const text = reason.length > 500 ? `${reason.slice(0, 499)}…` : reason;
    const moved = await redis.eval(
      deadLetterLua,
      2,
      stream,
      policy.stream,
      group,
      entry.id,
      String(policy.maxLen),
      text,
      String(tries),
      ...(entry.fields ?? []),
    );
    if (Number(moved) !== 1) return;
    options.logger.error(
      { entry: entry.id, tries, reason: text, deadLetters: policy.stream },
      'stream entry set aside in the dead-letter stream',
    );
    options.onDeadLetter?.(entry, tries, text);
  }

  /** An entry that failed on its own: set aside on its last try, else left pending for the claim pass. */
  async function failed(policy: DeadLetterPolicy, entry: RawEntry, error: unknown): Promise<void> {
    const tries = (await deliveries([entry])).get(entry.id) ?? 0;
    if (tries === 0) return; // Acknowledged meanwhile by another consumer.
    const reason = error instanceof Error ? error.message : String(error);
    if (tries >= policy.maxTries) return deadLetter(policy, entry, tries, reason);
    options.logger.warn(
      { entry: entry.id, tries, maxTries: policy.maxTries, err: error },
      'stream entry failed; left pending to be tried again',
    );
  }

  /** `redelivered`: handed out before (claimed, or this name's own pending entries after a restart). */
  async function handle(entries: RawEntry[], claimed: boolean, redelivered = claimed): Promise<void> {
    if (entries.length === 0) return;
    const policy = options.deadLetters;
    let batch = entries;
    if (policy && redelivered) {
      // Handed out maxTries times and never acknowledged: its consumers died or stalled on it.
      const counts = await deliveries(batch);
      const spent = batch.filter((e) => (counts.get(e.id) ?? 0) > policy.maxTries);
      for (const entry of spent) {
        const tries = (counts.get(entry.id) ?? 1) - 1;
        await deadLetter(policy, entry, tries, `handed out ${tries} times and never acknowledged`);
      }
      if (spent.length > 0) batch = batch.filter((e) => !spent.includes(e));
      if (batch.length === 0) return;
    }
    try {
      await apply(batch, claimed);
    } catch (error) {
      if (!policy || isEnvironmentFailure(error)) throw error;
      if (batch.length === 1) return failed(policy, batch[0]!, error);
      options.logger.warn(
        { entries: batch.length, err: error },
        'stream batch failed; handling its entries one by one',
      );
      for (const entry of batch) {
        try {
          await apply([entry], claimed);
        } catch (entryError) {
          if (isEnvironmentFailure(entryError)) throw entryError;
          await failed(policy, entry, entryError);
        }
      }
    }
  }

  /**
   * Marks this consumer as seen. Before Redis 7.2 XINFO's `idle` counts from the last entry handed
   * out, not from the last read, so a live consumer with nothing to read would look dead; a read of
   * its own pending entries past any id refreshes it, returns nothing and counts no delivery.
   */
  async function touch(): Promise<void> {
    await redis.xreadgroup('GROUP', group, consumer, 'COUNT', 1, 'STREAMS', stream, '9007199254740991-0');
  }

  /** Deletes the group's other consumers idle past pruneConsumersAfterMs with nothing pending. */
  async function pruneConsumers(minIdleMs: number): Promise<void> {
    const removed = (await redis.eval(pruneConsumersLua, 1, stream, group, minIdleMs, consumer)) as string[];
    if (removed.length > 0)
      options.logger.info({ consumers: removed }, 'deleted idle consumers with nothing pending');
  }

  async function read(from: string, block: boolean): Promise<RawEntry[]> {
    // Buffers: field values are checked for valid UTF-8 before they become text.
    const reply = block
      ? await redis.xreadgroupBuffer(
          'GROUP',
          group,
          consumer,
          'COUNT',
          count,
          'BLOCK',
          options.blockMs,
          'STREAMS',
          stream,
          from,
        )
      : await redis.xreadgroupBuffer('GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, from);
    return toEntries((reply as unknown as [unknown, unknown][] | null)?.[0]?.[1]);
  }

  /** Entries this consumer name was handed before a restart: read from the start of its own PEL. */
  async function drainOwnPending(): Promise<void> {
    let from = '0';
    while (!stopping) {
      const entries = await read(from, false);
      if (entries.length === 0) return;
      // Handed out before: their delivery counts are checked as a claimed batch's are.
      await handle(entries, false, true);
      from = entries[entries.length - 1]?.id ?? from;
    }
  }

  /** Takes over entries another consumer left pending longer than claimAfter (it died or stalled). */
  async function claimAbandoned(): Promise<void> {
    for (let page = 0; page < 10 && !stopping; page++) {
      const reply = (await redis.callBuffer('XAUTOCLAIM', [
        stream,
        group,
        consumer,
        options.claimAfterMs,
        claimCursor,
        'COUNT',
        count,
      ])) as [Buffer, unknown, unknown?];
      claimCursor = String(reply[0]);
      const trimmed = Array.isArray(reply[2]) ? reply[2].length : 0;
      if (trimmed > 0) options.onTrimmed?.(trimmed);
      await handle(toEntries(reply[1]), true);
      if (claimCursor === '0-0') return;
    }
  }

  async function loop(): Promise<void> {
    let nextClaimAt = 0;
    let nextPruneAt = 0;
    let nextTouchAt = 0;
    // Other processes prune after (their) pruneConsumersAfterMs: look live well within it.
    const touchEveryMs = Math.max(
      Math.min(options.claimEveryMs, (options.pruneConsumersAfterMs ?? Infinity) / 10),
      100,
    );
    let failures = 0;
    let started = false;
    while (!stopping) {
      try {
        if (!started) {
          await ensureGroup();
          await drainOwnPending();
          started = true;
        }
        if (Date.now() >= nextClaimAt) {
          await claimAbandoned();
          nextClaimAt = Date.now() + options.claimEveryMs;
        }
        // After the claim pass: a dead consumer's entries are claimed before its name can go.
        const pruneAfter = options.pruneConsumersAfterMs;
        if (pruneAfter !== undefined && Date.now() >= nextPruneAt) {
          await pruneConsumers(pruneAfter);
          nextPruneAt = Date.now() + Math.min(Math.max(pruneAfter / 4, 250), 300_000);
        }
        if (Date.now() >= nextTouchAt) {
          await touch();
          nextTouchAt = Date.now() + touchEveryMs;
        }
        await handle(await read('>', true), false);
        failures = 0;
        lastPassAt = Date.now();
      } catch (error) {
        if (stopping) return;
        // Someone deleted the stream or the group: recreate both and carry on.
        if (isRedisError(error, 'NOGROUP')) started = false;
        failures++;
        const delay = Math.min(100 * 2 ** Math.min(failures, 6), 5000);
        options.logger.error({ err: error, retryInMs: delay }, options.failureMessage);
        await sleep(delay);
      }
    }
  }

  return {
    /** Creates the group if it is missing (run() does too, retrying until Redis answers). */
    ensureGroup,
    /** Consumes until close(); resolves once the in-flight batch is handled. */
    run(): Promise<void> {
      running ??= loop();
      return running;
    },
    /** Epoch ms of the last completed pass (a blocked read returns at least every blockMs); 0 before one. */
    lastPassAt: () => lastPassAt,
    /** Stops reading; waits for the batch in hand (at most one blocked read, then its handling). */
    async close(): Promise<void> {
      stopping = true;
      await running;
    },
  };
}

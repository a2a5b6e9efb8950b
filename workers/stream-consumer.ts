import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/logger.js';

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

export interface StreamLoopOptions {
  /** A blocking connection of its own. */
  redis: Redis;
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
}

/**
 * Consumes a stream with a consumer group until close(): first what this consumer name was handed
 * before a restart, then new entries (XREADGROUP, blocking), taking over entries a dead consumer left
 * pending (XAUTOCLAIM) on the way. Failures are logged and retried with backoff; a deleted stream or
 * group is recreated.
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

  async function handle(entries: RawEntry[], claimed: boolean): Promise<void> {
    if (entries.length === 0) return;
    await options.handle(entries, { claimed });
    if (options.ackAfterHandle) await redis.xack(stream, group, ...entries.map((e) => e.id));
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
      await handle(entries, false);
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

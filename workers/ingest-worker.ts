import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import { defaultPlanOptions, type PlanOptions } from '../src/ingest/aggregate.js';
import { createBucketWriter, writeEntries, type EntrySource } from '../src/ingest/bucket-writer.js';
import { decodeEntry, type Rejection } from '../src/ingest/stream-fields.js';
import type { Logger } from '../src/logger.js';
import type { Keys } from '../src/store/keys.js';

/** The consumer group every ingest worker joins; Redis hands each entry to one of its consumers. */
export const ingestGroup = 'ingest';
/** How long a read waits for new entries; also the most close() waits for an idle read. */
const blockMs = 1000;
/** Rejections logged one by one per entry; the rest are summed in one line. */
const rejectionsLoggedPerEntry = 5;

export interface IngestWorkerDeps {
  /** A worker connection (maxRetriesPerRequest null): it blocks on reads and rides out outages. */
  redis: Redis;
  keys: Keys;
  config: Pick<Config, 'ingest'>;
  logger: Logger;
  /** Unique per process; a restarted process should take a new name (dead ones are claimed from). */
  consumer?: string;
}

export interface IngestStats {
  /** Stream entries acknowledged and counted by this worker. */
  entries: number;
  /** Valid events counted (producer-id duplicates excluded). */
  events: number;
  /** Events (or whole entries) that failed validation. */
  rejected: number;
  /** Read batches (XREADGROUP or XAUTOCLAIM replies) written. */
  batches: number;
  /** Events skipped because their producer id was seen within the dedupe window. */
  duplicates: number;
  /** Entries another consumer counted first after both were handed them. */
  conflicts: number;
  /** Entries taken over from consumers that left them pending. */
  claimed: number;
}

interface RawEntry {
  id: string;
  fields: Buffer[] | null;
}

/** Reads `[[key, [[id, fields]…]]]` (XREADGROUP) or `[[id, fields]…]` (XAUTOCLAIM) defensively. */
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

function isRedisError(error: unknown, code: string): boolean {
  return error instanceof Error && error.message.startsWith(code);
}

/**
 * Consumes the error stream with a consumer group and writes per-minute buckets. Delivery is
 * at-least-once (XREADGROUP, XAUTOCLAIM from dead consumers); counting is exactly-once because each
 * write acknowledges its entries in the same script that counts them (see bucket-writer).
 */
export function createIngestWorker(deps: IngestWorkerDeps) {
  const { redis, keys, logger } = deps;
  const settings = deps.config.ingest;
  const consumer = deps.consumer ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const log = logger.child({ worker: 'ingest', consumer });
  const writer = createBucketWriter(redis, {
    stream: keys.errors,
    group: ingestGroup,
    dedupeWindowMs: settings.dedupeWindowMs,
    exemplarsPerMinute: defaultPlanOptions.exemplarsPerMinute,
  });
  const planOptions: PlanOptions = { ...defaultPlanOptions, retentionMs: settings.retentionMs };
  // Claim often enough that a dead consumer's entries wait about claimAfter, not twice that.
  const claimEveryMs = Math.min(Math.max(settings.claimAfterMs / 2, 250), 30_000);
  const stats: IngestStats = {
    entries: 0,
    events: 0,
    rejected: 0,
    batches: 0,
    duplicates: 0,
    conflicts: 0,
    claimed: 0,
  };
  let stopping = false;
  let running: Promise<void> | null = null;
  let claimCursor = '0-0';

  async function ensureGroup(): Promise<void> {
    try {
      await redis.xgroup('CREATE', keys.errors, ingestGroup, '0', 'MKSTREAM');
    } catch (error) {
      if (!isRedisError(error, 'BUSYGROUP')) throw error;
    }
  }

  function logRejections(id: string, rejected: Rejection[]): void {
    stats.rejected += rejected.length;
    rejected
      .slice(0, rejectionsLoggedPerEntry)
      .forEach(({ index, reason }) => log.warn({ entry: id, index, reason }, 'rejected error event'));
    if (rejected.length > rejectionsLoggedPerEntry) {
      log.warn(
        { entry: id, more: rejected.length - rejectionsLoggedPerEntry },
        'rejected more error events in this entry',
      );
    }
  }

  async function processEntries(raw: RawEntry[]): Promise<void> {
    if (raw.length === 0) return;
    const window = { now: Date.now(), retentionMs: settings.retentionMs };
    const sources: EntrySource[] = raw.map(({ id, fields }) => {
      let decodedBefore = false;
      return {
        id,
        events() {
          const { events, rejected } = decodeEntry(fields, window);
          // Decoded again only when a conflict rebuilds a plan: report its rejections once.
          if (!decodedBefore) logRejections(id, rejected);
          decodedBefore = true;
          return events;
        },
      };
    });
    const outcome = await writeEntries(writer, sources, keys, planOptions);
    stats.entries += outcome.entries;
    stats.events += outcome.events;
    stats.duplicates += outcome.duplicates;
    stats.conflicts += outcome.conflicts;
    stats.batches++;
  }

  /** Entries this consumer name was handed before a restart: read from the start of its own PEL. */
  async function drainOwnPending(): Promise<void> {
    let from = '0';
    while (!stopping) {
      const reply = await redis.xreadgroupBuffer(
        'GROUP',
        ingestGroup,
        consumer,
        'COUNT',
        settings.batchSize,
        'STREAMS',
        keys.errors,
        from,
      );
      const entries = toEntries((reply as unknown as [unknown, unknown][] | null)?.[0]?.[1]);
      if (entries.length === 0) return;
      await processEntries(entries);
      from = entries[entries.length - 1]?.id ?? from;
    }
  }

  /** Takes over entries another consumer left pending longer than claimAfter (it died or stalled). */
  async function claimAbandoned(): Promise<void> {
    for (let page = 0; page < 10 && !stopping; page++) {
      // Buffers, as for reads: field values are checked for valid UTF-8 before they become text.
      const reply = (await redis.callBuffer('XAUTOCLAIM', [
        keys.errors,
        ingestGroup,
        consumer,
        settings.claimAfterMs,
        claimCursor,
        'COUNT',
        settings.batchSize,
      ])) as [Buffer, unknown, unknown?];
      claimCursor = String(reply[0]);
      const entries = toEntries(reply[1]);
      const trimmed = Array.isArray(reply[2]) ? reply[2].length : 0;
      if (trimmed > 0) {
        // MAXLEN trimmed them while pending: their events are gone. Raise the MAXLEN if this shows.
        log.error({ entries: trimmed }, 'pending error entries were trimmed from the stream before counting');
      }
      if (entries.length > 0) {
        stats.claimed += entries.length;
        log.info({ entries: entries.length }, 'claimed error entries left pending by another consumer');
        await processEntries(entries);
      }
      if (claimCursor === '0-0') return;
    }
  }

  async function readNew(): Promise<RawEntry[]> {
    const reply = await redis.xreadgroupBuffer(
      'GROUP',
      ingestGroup,
      consumer,
      'COUNT',
      settings.batchSize,
      'BLOCK',
      blockMs,
      'STREAMS',
      keys.errors,
      '>',
    );
    return toEntries((reply as unknown as [unknown, unknown][] | null)?.[0]?.[1]);
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
          nextClaimAt = Date.now() + claimEveryMs;
        }
        await processEntries(await readNew());
        failures = 0;
      } catch (error) {
        // Someone deleted the stream or the group: recreate both and carry on.
        if (isRedisError(error, 'NOGROUP')) started = false;
        failures++;
        const delay = Math.min(100 * 2 ** Math.min(failures, 6), 5000);
        log.error({ err: error, retryInMs: delay }, 'ingest read or write failed; entries stay pending');
        await sleep(delay);
      }
    }
  }

  return {
    consumer,
    /** Consumes until close(); resolves once the in-flight batch is written. */
    run(): Promise<void> {
      running ??= loop();
      return running;
    },
    /** Stops reading; waits for the in-flight batch (at most one blocked read of 1 s, then its write). */
    async close(): Promise<void> {
      stopping = true;
      await running;
    },
    stats(): IngestStats {
      return { ...stats };
    },
  };
}
export type IngestWorker = ReturnType<typeof createIngestWorker>;

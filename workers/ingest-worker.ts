import type { Config } from '../src/config.js';
import { defaultPlanOptions, type PlanOptions } from '../src/ingest/aggregate.js';
import { createBucketWriter, writeEntries, type EntrySource } from '../src/ingest/bucket-writer.js';
import { decodeEntry, type Rejection } from '../src/ingest/stream-fields.js';
import type { Logger } from '../src/logger.js';
import type { Keys, PartitionKeys } from '../src/store/keys.js';
import { catalogHostOwner } from '../src/catalog-hosts.js';
import { vendorOfUnnamed, vendorResolver, type NamedVendor } from '../src/core/vendor-names.js';
import { consumerName, createStreamLoop, type RawEntry } from './stream-consumer.js';
import { duplicateRedis, type RedisClient } from '../src/store/redis.js';

/** The consumer group every ingest worker joins; Redis hands each entry to one of its consumers. */
export const ingestGroup = 'ingest';
/** How long a read waits for new entries; also the most close() waits for an idle read. */
const blockMs = 1000;
/** Rejections logged one by one per entry; the rest are summed in one line. */
const rejectionsLoggedPerEntry = 5;

/** Dead-letter and consumer-pruning settings, defaulted as the config file defaults them when absent. */
type StreamSettings = 'maxTries' | 'deadLetterMaxLen' | 'pruneConsumersAfterMs';
/** `partitions` is read from `keys.partitions`, which createKeys builds from it. */
export type IngestSettings = Omit<Config['ingest'], StreamSettings | 'partitions'> &
  Partial<Pick<Config['ingest'], StreamSettings>>;

export interface IngestWorkerDeps {
  /** A worker connection (maxRetriesPerRequest null): it blocks on reads and rides out outages. */
  redis: RedisClient;
  keys: Keys;
  /** `vendors`: the watched vendors, so an event naming one by a host, SDK or variant is counted as it. */
  config: { ingest: IngestSettings; vendors?: readonly NamedVendor[] };
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
  /** Entries moved to the dead-letter stream after ingest.maxTries failed deliveries. */
  deadLettered: number;
}

/**
 * Consumes the error stream of every ingest partition with a consumer group and writes per-minute
 * buckets in that partition. Delivery is at-least-once (XREADGROUP, XAUTOCLAIM from dead consumers);
 * counting is exactly-once because each write acknowledges its entries in the same script that counts
 * them (see bucket-writer). Partitions after the first read on connections of their own, so one
 * partition's blocked read does not hold up another's.
 */
export function createIngestWorker(deps: IngestWorkerDeps) {
  const { redis, keys, logger } = deps;
  const settings = deps.config.ingest;
  const consumer = deps.consumer ?? consumerName();
  const log = logger.child({ worker: 'ingest', consumer });
  const planOptions: PlanOptions = {
    ...defaultPlanOptions,
    retentionMs: settings.retentionMs,
    customersPerMinute: settings.customersPerMinute,
  };
  const stats: IngestStats = {
    entries: 0,
    events: 0,
    rejected: 0,
    batches: 0,
    duplicates: 0,
    conflicts: 0,
    claimed: 0,
    deadLettered: 0,
  };

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

  // Producers write vendors as they know them ("Discord API", api.stripe.com): counted under our ids.
  const vendorOf = vendorResolver(deps.config.vendors ?? [], catalogHostOwner);
  // An event naming no vendor whose code or endpoint carries a watched vendor's host is that vendor's.
  const unnamed = vendorOfUnnamed(deps.config.vendors ?? [], catalogHostOwner);

  async function processEntries(
    writer: ReturnType<typeof createBucketWriter>,
    partition: PartitionKeys,
    raw: RawEntry[],
  ): Promise<void> {
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
          for (const valid of events) {
            const named = valid.event.vendor;
            const vendor = named === undefined ? (unnamed(valid.event) ?? undefined) : vendorOf(named);
            if (vendor !== named) valid.event = { ...valid.event, vendor };
          }
          return events;
        },
      };
    });
    const outcome = await writeEntries(writer, sources, partition, planOptions);
    stats.entries += outcome.entries;
    stats.events += outcome.events;
    stats.duplicates += outcome.duplicates;
    stats.conflicts += outcome.conflicts;
    stats.batches++;
  }

  function consumePartition(partition: PartitionKeys, redis: RedisClient) {
    const writer = createBucketWriter(redis, {
      stream: partition.errors,
      group: ingestGroup,
      dedupeWindowMs: settings.dedupeWindowMs,
      exemplarsPerMinute: defaultPlanOptions.exemplarsPerMinute,
    });
    return createStreamLoop({
      redis,
      stream: partition.errors,
      group: ingestGroup,
      consumer,
      groupStart: '0',
      count: settings.batchSize,
      blockMs,
      claimAfterMs: settings.claimAfterMs,
      // Claim often enough that a dead consumer's entries wait about claimAfter, not twice that.
      claimEveryMs: Math.min(Math.max(settings.claimAfterMs / 2, 250), 30_000),
      // The bucket writer acknowledges each batch in the script that counts it.
      ackAfterHandle: false,
      logger: log,
      failureMessage: 'ingest read or write failed; entries stay pending',
      // Entries that fail validation are rejected and acknowledged as they are read (stats.rejected):
      // retrying cannot change them. Dead letters are entries whose valid events cannot be WRITTEN.
      deadLetters: {
        stream: partition.deadLetters,
        maxTries: settings.maxTries ?? 5,
        maxLen: settings.deadLetterMaxLen ?? 10_000,
      },
      pruneConsumersAfterMs: settings.pruneConsumersAfterMs ?? 3_600_000,
      onDeadLetter() {
        stats.deadLettered++;
      },
      async handle(entries, { claimed }) {
        if (claimed) {
          stats.claimed += entries.length;
          log.info(
            { entries: entries.length, stream: partition.errors },
            'claimed error entries left pending by another consumer',
          );
        }
        await processEntries(writer, partition, entries);
      },
      onTrimmed(entries) {
        // MAXLEN trimmed them while pending: their events are gone. Raise the MAXLEN if this shows.
        log.error(
          { entries, stream: partition.errors },
          'pending error entries were trimmed from the stream before counting',
        );
      },
    });
  }

  const own = keys.partitions.slice(1).map(() => duplicateRedis(redis));
  const loops = keys.partitions.map((partition, i) =>
    consumePartition(partition, i === 0 ? redis : own[i - 1]!),
  );

  return {
    consumer,
    /** Consumes until close(); resolves once every partition's in-flight batch is written. */
    async run(): Promise<void> {
      await Promise.all(loops.map((loop) => loop.run()));
    },
    /** Stops reading; waits for the in-flight batches (at most one blocked read of 1 s, then its write). */
    async close(): Promise<void> {
      await Promise.all(loops.map((loop) => loop.close()));
      await Promise.all(own.map((connection) => connection.quit().catch(() => connection.disconnect())));
    },
    /** Epoch ms the stalest partition's loop last completed a read (about every second while healthy). */
    lastPassAt(): number {
      return Math.min(...loops.map((loop) => loop.lastPassAt()));
    },
    stats(): IngestStats {
      return { ...stats };
    },
  };
}
export type IngestWorker = ReturnType<typeof createIngestWorker>;

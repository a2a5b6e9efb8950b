import type { Queue } from 'bullmq';
import { Gauge, Registry } from 'prom-client';
import type { Keys } from '../store/keys.js';
import type { RedisClient } from '../store/redis.js';

/** The states a queue's depth is reported in. */
const queueStates = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'failed',
  'completed',
] as const;

/** What the scrape-time gauges read: Redis itself, the vendors, the streams and the queues. */
export interface ScrapeSources {
  redis: RedisClient;
  keys: Keys;
  /** Configured vendor ids (bounded by the config, so one series each). */
  vendors: readonly string[];
  /** Queues by name, opened on the API's connection. */
  queues: ReadonlyArray<Queue>;
  now?: () => number;
}

/** The streams read by consumer groups, by the short name used as the `stream` label (`errors`, `errors-1`, …). */
function streamsOf(keys: Keys): Array<[name: string, key: string]> {
  return [
    ...keys.partitions.map((p): [string, string] => [
      p.index === 0 ? 'errors' : `errors-${p.index}`,
      p.errors,
    ]),
    ['incident-changes', keys.incidentChanges],
    ['vendor-changes', keys.vendorChanges],
  ];
}

/** XINFO GROUPS' flat reply as records; an absent stream has no groups. */
async function groupsOf(redis: RedisClient, stream: string): Promise<Array<Record<string, unknown>>> {
  let reply: unknown;
  try {
    reply = await redis.call('XINFO', 'GROUPS', stream);
  } catch (error) {
    if (error instanceof Error && /no such key/i.test(error.message)) return [];
    throw error;
  }
  if (!Array.isArray(reply)) return [];
  return reply.filter(Array.isArray).map((flat: unknown[]) => {
    const group: Record<string, unknown> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) group[String(flat[i])] = flat[i + 1];
    return group;
  });
}

const numeric = (value: unknown): number | null => {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
};

/**
 * Reads, at scrape time, what only Redis knows: its round trip, each vendor's freshness, the streams'
 * consumer-group lag and pending entries, the dead letters, and the queues' depths and oldest waiting
 * job. Answers a registry of gauges to merge with the counters.
 */
export async function scrapeGauges(sources: ScrapeSources): Promise<Registry> {
  const { redis, keys } = sources;
  const now = sources.now ?? Date.now;
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });

  const up = gauge('upcause_redis_up', 'Whether Redis answered this scrape (1) or not (0).');
  const ping = gauge('upcause_redis_ping_seconds', 'Round trip of a PING to Redis, timed at this scrape.');
  try {
    const started = performance.now();
    await redis.ping();
    ping.set((performance.now() - started) / 1000);
    up.set(1);
  } catch {
    // Nothing else can be read either: the counters are still worth answering.
    up.set(0);
    return registry;
  }

  const freshness = gauge(
    'upcause_vendor_freshness_seconds',
    'Seconds since the last successful read of each vendor page (+Inf when never read).',
    ['vendor'],
  );
  const health = await Promise.all(
    sources.vendors.map((vendor) => redis.hget(keys.vendorHealth(vendor), 'lastSuccessAt')),
  );
  sources.vendors.forEach((vendor, index) => {
    const at = Date.parse(health[index] ?? '');
    freshness.set({ vendor }, Number.isNaN(at) ? Infinity : Math.max(0, (now() - at) / 1000));
  });

  const length = gauge('upcause_stream_length', 'Entries in each stream.', ['stream']);
  const lag = gauge(
    'upcause_stream_lag',
    'Entries of the stream not yet delivered to the consumer group (XINFO GROUPS lag).',
    ['stream', 'group'],
  );
  const pending = gauge(
    'upcause_stream_pending',
    'Entries delivered to the consumer group but not yet acknowledged (XINFO GROUPS pending).',
    ['stream', 'group'],
  );
  for (const [stream, key] of streamsOf(keys)) {
    const [len, groups] = await Promise.all([redis.xlen(key), groupsOf(redis, key)]);
    length.set({ stream }, len);
    for (const group of groups) {
      const labels = { stream, group: String(group.name) };
      const behind = numeric(group.lag);
      // Redis leaves lag unset when it cannot tell (entries deleted in the group's range).
      if (behind !== null) lag.set(labels, behind);
      pending.set(labels, numeric(group.pending) ?? 0);
    }
  }
  gauge(
    'upcause_dead_letter_entries',
    'Stream entries set aside after failing to apply too many times (XLEN of the dead-letter streams).',
  ).set(
    (await Promise.all(keys.partitions.map((p) => redis.xlen(p.deadLetters)))).reduce((a, b) => a + b, 0),
  );

  const depth = gauge('upcause_queue_jobs', 'Jobs in each BullMQ queue by state.', ['queue', 'state']);
  const oldest = gauge(
    'upcause_queue_oldest_waiting_seconds',
    'Age of the oldest job waiting in each queue since it was due (0 when none waits).',
    ['queue'],
  );
  for (const queue of sources.queues) {
    const [counts, [first]] = await Promise.all([
      queue.getJobCounts(...queueStates),
      queue.getJobs(['wait'], 0, 0, true),
    ]);
    for (const state of queueStates) depth.set({ queue: queue.name, state }, counts[state] ?? 0);
    const due = first ? first.timestamp + (first.delay ?? 0) : null;
    oldest.set({ queue: queue.name }, due === null ? 0 : Math.max(0, (now() - due) / 1000));
  }
  return registry;
}

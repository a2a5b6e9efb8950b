/**
 * What per-customer failure records cost in Redis memory: writes failures of `--customers` customers
 * over `--minutes` consecutive minutes through the real ingest write (stream entries, planner, the
 * exactly-once script), then sums MEMORY USAGE over the records. Two shapes: every customer failing
 * every minute (dense), and every customer failing in one minute of the hour only (sparse).
 *   npx tsx test/bench/customer-memory.ts [-- --customers 10000 --minutes 10]
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { defaultPlanOptions } from '../../src/ingest/aggregate.js';
import { createBucketWriter, writeEntries } from '../../src/ingest/bucket-writer.js';
import { decodeEntry } from '../../src/ingest/stream-fields.js';
import { createKeys, type Keys } from '../../src/store/keys.js';
import { ingestGroup } from '../../workers/ingest-worker.js';
import { deleteKeys } from '../support/redis.js';

const args = new Map(process.argv.slice(2).map((arg, i, all) => [arg, all[i + 1]] as const));
const customers = Number(args.get('--customers') ?? 10_000);
const minutes = Number(args.get('--minutes') ?? 10);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const retentionMs = 30 * 86_400_000;
const perEntry = 500;

async function sumMemory(redis: Redis, pattern: string): Promise<{ keys: number; bytes: number }> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of found) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    for (const [, value] of (await pipeline.exec()) ?? []) bytes += Number(value ?? 0);
    keys += found.length;
  } while (cursor !== '0');
  return { keys, bytes };
}

/** Writes `events` through the stream and the ingest script, as the ingest worker does. */
async function ingest(redis: Redis, keys: Keys, events: object[]): Promise<void> {
  await redis.xgroup('CREATE', keys.errors, ingestGroup, '0', 'MKSTREAM');
  for (let i = 0; i < events.length; i += perEntry)
    await redis.xadd(keys.errors, '*', 'events', JSON.stringify(events.slice(i, i + perEntry)));
  const writer = createBucketWriter(redis, {
    stream: keys.errors,
    group: ingestGroup,
    dedupeWindowMs: 60_000,
    exemplarsPerMinute: 10,
  });
  const window = { now: Date.now(), retentionMs };
  const options = { ...defaultPlanOptions, retentionMs, customersPerMinute: customers };
  for (;;) {
    type Read = [string, [string, string[]][]][] | null;
    const read = (await redis.xreadgroup(
      'GROUP',
      ingestGroup,
      'bench',
      'COUNT',
      200,
      'STREAMS',
      keys.errors,
      '>',
    )) as Read;
    const entries = read?.[0]?.[1] ?? [];
    if (entries.length === 0) break;
    const sources = entries.map(([id, fields]) => ({ id, events: () => decodeEntry(fields, window).events }));
    await writeEntries(writer, sources, keys, options);
  }
}

async function measure(redis: Redis, shape: 'dense' | 'sparse'): Promise<void> {
  const prefix = `bench-customers-${randomBytes(4).toString('hex')}`;
  const keys = createKeys(prefix);
  const firstMinute = Math.floor(Date.now() / 3_600_000) * 60 - 120; // two hours ago, at an hour's start
  const events: object[] = [];
  for (let m = 0; m < minutes; m++) {
    for (let c = 0; c < customers; c++) {
      // Sparse: each customer fails in one minute only, in an hour of its own.
      if (shape === 'sparse' && c % minutes !== m) continue;
      const minute = shape === 'sparse' ? firstMinute - 60 * m : firstMinute + m;
      events.push({
        at: new Date(minute * 60_000 + 1000).toISOString(),
        service: 'checkout',
        vendor: 'stripe',
        region: 'eu-west-1',
        status: 503,
        customer: `customer-${String(c).padStart(6, '0')}`,
      });
    }
  }
  try {
    await ingest(redis, keys, events);
    const records = await sumMemory(redis, `${keys.root}:cf:*`);
    const counters = await sumMemory(redis, `${keys.root}:cfm:*`);
    const customerMinutes = events.length;
    console.log(
      `${shape}: ${customerMinutes.toLocaleString('en-US')} customer-minutes in ${records.keys.toLocaleString('en-US')} hashes: ` +
        `${records.bytes.toLocaleString('en-US')} bytes = ${(records.bytes / customerMinutes).toFixed(1)} bytes per customer-minute; ` +
        `minute counters ${counters.keys} keys, ${counters.bytes.toLocaleString('en-US')} bytes`,
    );
  } finally {
    await deleteKeys(redis, `${keys.root}*`);
  }
}

const redis = new Redis(redisUrl);
try {
  const maxListpack = await redis.config('GET', 'hash-max-listpack-entries');
  console.log(
    `Redis hash-max-listpack-entries ${JSON.stringify(maxListpack)}; ${customers} customers × ${minutes} minutes`,
  );
  await measure(redis, 'dense');
  await measure(redis, 'sparse');
} finally {
  redis.disconnect();
}

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApi } from '../src/api/server.js';
import { createReporter } from '../src/client/index.js';
import { parseConfig } from '../src/config.js';
import { decodeEntry } from '../src/ingest/stream-fields.js';
import { createLogger } from '../src/logger.js';
import { readCustomerFailures } from '../src/store/customer-failures.js';
import { listDeadLetters, purgeDeadLetters } from '../src/store/dead-letters.js';
import { readBuckets, readMinuteCounts } from '../src/store/error-buckets.js';
import { createKeys, type Keys } from '../src/store/keys.js';
import { PartitionsLoweredError, recordPartitions } from '../src/store/partitions.js';
import { connectRedis } from '../src/store/redis.js';
import { crc16, keySlot, partitionTags, slotCount } from '../src/store/slots.js';
import { createVendorStore } from '../src/store/vendors.js';
import { createIngestWorker } from '../workers/ingest-worker.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

const token = 'partition-token-0123456789abcdef';
const minute = Math.floor(Date.now() / 60_000) - 5;
const at = new Date(minute * 60_000 + 10_000).toISOString();
/** Services whose events to 100ms go to partitions 0, 1 and 2 of three (CRC16 of "service|vendor"). */
const services = ['backstage', 'studio', 'webinar'] as const;
const ingest = {
  retentionMs: 30 * 86_400_000,
  streamMaxLen: 100_000,
  batchSize: 100,
  dedupeWindowMs: 3_600_000,
  claimAfterMs: 30_000,
  customersPerMinute: 100,
};

describe('hash slots and partition tags (pure)', () => {
  test('slots follow Redis Cluster: CRC16/XMODEM mod 16384, of the first non-empty {tag} only', () => {
    // The check value of CRC16/XMODEM, and slots the Redis Cluster documentation shows.
    expect(crc16('123456789')).toBe(0x31c3);
    expect(keySlot('somekey')).toBe(11058);
    expect(keySlot('foo{hash_tag}')).toBe(2515);
    expect(keySlot('bar{hash_tag}')).toBe(2515);
    // An empty tag does not count: the whole key is hashed.
    expect(keySlot('foo{}{bar}')).toBe(crc16('foo{}{bar}') % slotCount);
  });

  test('partition 0 keeps the root tag; the others land one per equal slot range, the same every time', () => {
    expect(partitionTags('upcause', 1)).toEqual(['upcause']);
    for (const count of [2, 3, 4, 8]) {
      const tags = partitionTags('upcause', count);
      expect(tags[0]).toBe('upcause');
      expect(partitionTags('upcause', count)).toEqual(tags);
      const ranges = tags.map((tag) => Math.floor(keySlot(`{${tag}}`) / (slotCount / count)));
      expect(new Set(ranges).size).toBe(count);
    }
    expect(() => partitionTags('upcause', 0)).toThrow(/partitions must be a whole number ≥ 1, got 0/);
  });

  test('one partition is the layout single-tag installs always had', () => {
    const keys = createKeys('upcause');
    expect(keys.errors).toBe('{upcause}:errors');
    expect(keys.errorBucket(7)).toBe('{upcause}:eb:7');
    expect(keys.partitions.map((p) => p.errors)).toEqual(['{upcause}:errors']);
    expect(keys.partitionOf('anything').index).toBe(0);
    const three = createKeys('upcause', { partitions: 3 });
    expect(three.errors).toBe('{upcause}:errors');
    expect(services.map((s) => three.partitionOf(s, '100ms').index)).toEqual([0, 1, 2]);
    // By service and vendor: one service's calls to several vendors spread too.
    expect(['100ms', 'stripe', 'twilio'].map((v) => three.partitionOf('studio', v).index)).toEqual([1, 2, 0]);
    expect(three.partitions[1]!.errorBucket(7)).toBe(`{${partitionTags('upcause', 3)[1]}}:eb:7`);
  });

  test('ingest.partitions is validated: a whole number from 1 to 64, also from UPCAUSE_INGEST_PARTITIONS', () => {
    expect(parseConfig({}, {}, 'test').ingest.partitions).toBe(1);
    expect(parseConfig({}, { UPCAUSE_INGEST_PARTITIONS: '3' }, 'test').ingest.partitions).toBe(3);
    expect(() => parseConfig({ ingest: { partitions: 0 } }, {}, 'test')).toThrow(/ingest\.partitions/);
    expect(() => parseConfig({ ingest: { partitions: 2.5 } }, {}, 'test')).toThrow(/ingest\.partitions/);
  });
});

describe('ingest partitions on one Redis (real Redis)', () => {
  let t: TestRedis;
  let one: Keys;
  let three: Keys;

  beforeAll(async () => {
    t = await createTestRedis('partitions');
    one = createKeys(t.prefix);
    three = createKeys(t.prefix, { partitions: 3 });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const event = (service: string, customer: string, extra: Record<string, unknown> = {}) => ({
    at,
    service,
    vendor: '100ms',
    region: 'eu-west-1',
    status: 502,
    customer,
    ...extra,
  });

  async function drain(keys: Keys, until: () => Promise<boolean>) {
    // A connection of its own: the worker's blocked reads would hold up the test's.
    const connection = t.redis.duplicate();
    const worker = createIngestWorker({
      redis: connection,
      keys,
      config: { ingest },
      logger: createLogger('silent'),
    });
    const running = worker.run();
    try {
      await waitUntil('the ingest worker to count the events', until, { intervalMs: 50 });
    } finally {
      await worker.close();
      await running;
      connection.disconnect();
    }
    return worker.stats();
  }

  test('an install that ran with one partition upgrades to three: old counts and unread entries stay counted', async () => {
    expect(await recordPartitions(t.redis, one)).toBe(1);
    // Before the upgrade: one event per service counted, and two more left unread in the old stream.
    await t.redis.xadd(one.errors, '*', 'events', JSON.stringify(services.map((s) => event(s, 'acme'))));
    await drain(one, async () => (await readBuckets(t.redis, one, range())).total === 3);
    await t.redis.xadd(
      one.errors,
      '*',
      'events',
      JSON.stringify([event('studio', 'beta'), event('webinar', 'beta')]),
    );

    // The upgrade: the count only grows, and producers can read the new stream list.
    expect(await recordPartitions(t.redis, three)).toBe(1);
    expect(await t.redis.lrange(three.partitionStreams, 0, -1)).toEqual(
      three.partitions.map((p) => p.errors),
    );
    await expect(recordPartitions(t.redis, one)).rejects.toThrow(PartitionsLoweredError);
    await expect(recordPartitions(t.redis, one)).rejects.toThrow(
      /ingest\.partitions is 1, but this install ran with 3.*partitions 1–2/,
    );

    // After: new events go to their services' partitions; the old stream's backlog is still read.
    for (const service of services) {
      await t.redis.xadd(
        three.partitionOf(service, '100ms').errors,
        '*',
        'events',
        JSON.stringify([event(service, 'gamma')]),
      );
    }
    await drain(three, async () => (await readBuckets(t.redis, three, range())).total === 8);
    const read = await readBuckets(t.redis, three, range());
    expect(read.series.map((s) => [s.service, s.count, s.customers])).toEqual([
      ['backstage', 2, 2],
      ['studio', 3, 3],
      ['webinar', 3, 3],
    ]);
    // acme, beta and gamma: the union counts each customer once across the partitions.
    expect(read.customers).toBe(3);
    // Each partition holds its own share: webinar's new event is in partition 2, its two old ones in 0
    // (beside backstage's, whose partition is 0).
    expect(await t.redis.hvals(three.partitions[2]!.errorBucket(minute))).toEqual(['1']);
    expect(await t.redis.hvals(three.partitions[0]!.errorBucket(minute))).toEqual(['2', '2', '2']);
    const counts = await readMinuteCounts(t.redis, three, minute, minute);
    expect(counts[0]?.counts.reduce((sum, c) => sum + c.count, 0)).toBe(8);
    // One customer's failures, summed over the partitions that hold them.
    const gamma = await readCustomerFailures(t.redis, three, 'gamma', minute, minute);
    expect(gamma.map((f) => [f.service, f.count])).toEqual([
      ['backstage', 1],
      ['studio', 1],
      ['webinar', 1],
    ]);
  });

  test('dead letters of every partition are listed together and purged together', async () => {
    await t.redis.xadd(
      three.partitions[0]!.deadLetters,
      '1000-0',
      'reason',
      'a',
      'source-stream',
      three.errors,
      'source-id',
      '1-0',
      'tries',
      '5',
      'events',
      '[]',
    );
    await t.redis.xadd(
      three.partitions[2]!.deadLetters,
      '2000-0',
      'reason',
      'b',
      'source-stream',
      three.partitions[2]!.errors,
      'source-id',
      '2-0',
      'tries',
      '5',
      'events',
      '[]',
    );
    const list = await listDeadLetters(t.redis, three, 10);
    expect(list.total).toBe(2);
    expect(list.entries.map((d) => [d.id, d.reason, d.stream])).toEqual([
      ['2000-0', 'b', three.partitions[2]!.deadLetters],
      ['1000-0', 'a', three.partitions[0]!.deadLetters],
    ]);
    expect(await purgeDeadLetters(t.redis, three)).toBe(2);
    expect((await listDeadLetters(t.redis, three, 10)).total).toBe(0);
  });

  function range() {
    return { from: minute * 60_000, to: (minute + 1) * 60_000 };
  }
});

describe('producers choose the partition by service (real Redis)', () => {
  let t: TestRedis;
  let keys: Keys;
  let api: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    t = await createTestRedis('partition-producers');
    keys = createKeys(t.prefix, { partitions: 3 });
    const config = parseConfig(
      {
        redis: { url: redisUrl, prefix: t.prefix },
        api: { port: 0, tokens: [{ name: 'producer', token, scopes: ['ingest'] }] },
        ingest: { partitions: 3 },
      },
      {},
      'test',
    );
    const redis = await connectRedis(redisUrl, 'producer', 'test-partitions');
    const app = createApi({
      config,
      store: createVendorStore(redis, keys),
      redis,
      logger: createLogger('silent'),
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    api = {
      url,
      async close() {
        await app.close();
        redis.disconnect();
      },
    };
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  /** Events stored in each partition's stream, by service. */
  async function stored(): Promise<Array<Record<string, number>>> {
    const window = { now: Date.now(), retentionMs: 86_400_000 };
    return Promise.all(
      keys.partitions.map(async (p) => {
        const byService: Record<string, number> = {};
        for (const [, fields] of await t.redis.xrange(p.errors, '-', '+')) {
          for (const { event } of decodeEntry(fields, window).events)
            byService[event.service] = (byService[event.service] ?? 0) + 1;
        }
        return byService;
      }),
    );
  }

  test('POST /v1/errors splits a batch by partition (service and vendor); an Idempotency-Key retry stores nothing twice', async () => {
    const body = [...services, ...services, 'backstage']
      .map((service, i) => JSON.stringify({ at, service, vendor: '100ms', status: 503, id: `e${i}` }))
      .join('\n');
    const send = () =>
      fetch(`${api.url}/v1/errors`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/x-ndjson',
          'idempotency-key': 'batch-1',
        },
        body,
      });
    const first = await send();
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ accepted: 7 });
    expect(await stored()).toEqual([{ backstage: 3 }, { studio: 2 }, { webinar: 2 }]);
    const again = await send();
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ accepted: 7, replayed: true });
    expect(await stored()).toEqual([{ backstage: 3 }, { studio: 2 }, { webinar: 2 }]);
  });

  test('the reporter in Redis mode sends each event to the partition of its service and vendor', async () => {
    for (const p of keys.partitions) await t.redis.del(p.errors);
    const reporters = services.map((service) =>
      createReporter({ redisUrl, prefix: t.prefix, partitions: 3 }, { service }),
    );
    for (const reporter of reporters) expect(reporter.report({ vendor: '100ms', status: 500 })).toBe(true);
    await Promise.all(reporters.map((reporter) => reporter.close()));
    expect(await stored()).toEqual([{ backstage: 1 }, { studio: 1 }, { webinar: 1 }]);
  });
});

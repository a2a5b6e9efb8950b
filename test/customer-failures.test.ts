import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig, type Config } from '../src/config.js';
import { customerScope } from '../src/core/series.js';
import { defaultPlanOptions } from '../src/ingest/aggregate.js';
import { createBucketWriter, writeEntries } from '../src/ingest/bucket-writer.js';
import { decodeEntry } from '../src/ingest/stream-fields.js';
import { createLogger } from '../src/logger.js';
import {
  CustomerFailureQueryError,
  readCustomerFailures,
  readCustomerRecordGaps,
} from '../src/store/customer-failures.js';
import type { Keys } from '../src/store/keys.js';
import { createIngestWorker, ingestGroup } from '../workers/ingest-worker.js';
import { ingestToken, sendJson, startTestApi, type TestApi } from './support/api.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

const retentionMs = 2 * 86_400_000;
// Whole hours ago, so the minutes below fall in known hours of the customer hashes.
const hourStart = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
const minuteA = hourStart / 60_000 + 58; // minute 58 of the hour
const minuteB = minuteA + 3; // minute 1 of the next hour
const at = (minute: number, second = 5) => new Date(minute * 60_000 + second * 1000).toISOString();

function configFor(t: TestRedis, customersPerMinute: number): Config {
  return parseConfig(
    {
      redis: { url: redisUrl, prefix: t.prefix },
      vendors: [],
      api: { port: 0, tokens: [{ name: 'producer', token: ingestToken, scopes: ['ingest'] }] },
      ingest: { retention: '2d', customersPerMinute, claimAfter: '1s' },
    },
    {},
    'test',
  );
}

describe('per-customer failures (real Redis, through POST /v1/errors and the ingest worker)', () => {
  let t: TestRedis;
  let keys: Keys;

  beforeAll(async () => {
    t = await createTestRedis('customer-failures');
    keys = t.keys;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  /** Posts `events` to the real API, then runs a real ingest worker until it has counted `entries`. */
  async function ingest(config: Config, events: unknown[], entries = 1): Promise<void> {
    const api: TestApi = await startTestApi(t, config, 'test-customer-failures');
    try {
      const res = await sendJson(`${api.url}/v1/errors`, 'POST', ingestToken, events);
      expect(res.status).toBe(202);
    } finally {
      await api.close();
    }
    const worker = createIngestWorker({ redis: t.redis, keys, config, logger: createLogger('silent') });
    const running = worker.run();
    try {
      await waitUntil('the worker to count the entries', () => worker.stats().entries >= entries);
    } finally {
      await worker.close();
      await running;
    }
  }

  test('failures are recorded per customer, minute and (service, vendor, region), with TTLs from the retention', async () => {
    const config = configFor(t, 2000);
    await ingest(config, [
      {
        at: at(minuteA),
        service: 'checkout',
        vendor: 'stripe',
        region: 'eu-west-1',
        status: 503,
        customer: 'acme',
      },
      {
        at: at(minuteA, 20),
        service: 'checkout',
        vendor: 'stripe',
        region: 'eu-west-1',
        count: 4,
        customer: 'acme',
      },
      { at: at(minuteA, 30), service: 'checkout', vendor: 'twilio', status: 500, customer: 'acme' },
      {
        at: at(minuteA),
        service: 'checkout',
        vendor: 'stripe',
        region: 'eu-west-1',
        status: 503,
        customer: 'beta',
      },
      // With a producer id: counted under its own SET NX, recorded all the same.
      { at: at(minuteB), service: 'search', vendor: 'algolia', status: 502, customer: 'acme', id: 'evt-1' },
      // No customer: nothing per customer.
      { at: at(minuteB), service: 'search', vendor: 'algolia', status: 502 },
    ]);

    expect(await readCustomerFailures(t.redis, keys, 'acme', minuteA - 10, minuteB + 10)).toEqual([
      { minute: minuteA, service: 'checkout', vendor: 'stripe', region: 'eu-west-1', count: 5 },
      { minute: minuteA, service: 'checkout', vendor: 'twilio', region: '', count: 1 },
      { minute: minuteB, service: 'search', vendor: 'algolia', region: '', count: 1 },
    ]);
    expect(await readCustomerFailures(t.redis, keys, 'beta', minuteA, minuteB)).toEqual([
      { minute: minuteA, service: 'checkout', vendor: 'stripe', region: 'eu-west-1', count: 1 },
    ]);
    // The range is inclusive and cuts inside an hour's hash.
    expect(await readCustomerFailures(t.redis, keys, 'acme', minuteB, minuteB)).toHaveLength(1);
    expect(await readCustomerFailures(t.redis, keys, 'acme', minuteA + 1, minuteB - 1)).toEqual([]);
    expect(await readCustomerFailures(t.redis, keys, 'nobody', minuteA, minuteB)).toEqual([]);

    // The layout: one hash per customer and hour, the minute's total beside the per-scope counts.
    const hourA = Math.floor(minuteA / 60);
    expect(await t.redis.hgetall(keys.customerFailures(hourA, 'acme'))).toEqual({
      '58': '6',
      [`58|${customerScope({ service: 'checkout', vendor: 'stripe', region: 'eu-west-1' })}`]: '5',
      [`58|${customerScope({ service: 'checkout', vendor: 'twilio', region: '' })}`]: '1',
    });
    expect(await t.redis.hget(keys.customerFailuresMinute(minuteA), 'customers')).toBe('2');
    expect(await t.redis.hget(keys.customerFailuresMinute(minuteB), 'customers')).toBe('1');

    // Kept for the retention: the hour's hash from the end of its hour, the minute's counters from the end of the minute.
    expect(await t.redis.pexpiretime(keys.customerFailures(hourA, 'acme'))).toBe(
      (hourA + 1) * 3_600_000 + retentionMs,
    );
    expect(await t.redis.pexpiretime(keys.customerFailures(hourA + 1, 'acme'))).toBe(
      (hourA + 2) * 3_600_000 + retentionMs,
    );
    expect(await t.redis.pexpiretime(keys.customerFailuresMinute(minuteA))).toBe(
      (minuteA + 1) * 60_000 + retentionMs,
    );
    expect(await readCustomerRecordGaps(t.redis, keys, minuteA, minuteB)).toEqual([]);
  });

  test('past customersPerMinute a minute records no new customer and counts its failures as dropped', async () => {
    const config = configFor(t, 2);
    const minute = minuteA - 20;
    const ev = (customer: string, extra: Record<string, unknown> = {}) => ({
      at: at(minute),
      service: 'api',
      vendor: 'auth0',
      status: 503,
      customer,
      ...extra,
    });
    await ingest(config, [
      ev('c1'),
      ev('c2', { count: 2 }),
      ev('c3', { count: 3 }),
      ev('c4', { id: 'evt-cap-1' }),
      // Already recorded this minute: still counted in full.
      ev('c1', { count: 6 }),
      // Another minute has its own cap.
      ev('c3', { at: at(minute + 1) }),
    ]);
    const read = async (customer: string) =>
      (await readCustomerFailures(t.redis, keys, customer, minute, minute + 1)).map((f) => [
        f.minute,
        f.count,
      ]);
    expect(await read('c1')).toEqual([[minute, 7]]);
    expect(await read('c2')).toEqual([[minute, 2]]);
    expect(await read('c3')).toEqual([[minute + 1, 1]]);
    expect(await read('c4')).toEqual([]);
    expect(await readCustomerRecordGaps(t.redis, keys, minute - 1, minute + 1)).toEqual([
      { minute, recorded: 2, dropped: 4 },
    ]);
    // The error buckets still count every failure: the cap bounds only the per-customer records.
    const bucket = await t.redis.hgetall(keys.errorBucket(minute));
    expect(Object.values(bucket).reduce((sum, n) => sum + Number(n), 0)).toBe(13);
  });

  test('customersPerMinute 0 records no customer and says every failure was dropped', async () => {
    const minute = minuteA - 40;
    await ingest(configFor(t, 0), [
      { at: at(minute), service: 'api', vendor: 'auth0', status: 503, customer: 'zed' },
    ]);
    expect(await readCustomerFailures(t.redis, keys, 'zed', minute, minute)).toEqual([]);
    expect(await readCustomerRecordGaps(t.redis, keys, minute, minute)).toEqual([
      { minute, recorded: 0, dropped: 1 },
    ]);
  });

  test('an entry handed to two consumers, and a producer id sent twice, are recorded once', async () => {
    const root = `${keys.root}:redeliver`;
    const local: Keys = { ...keys, errors: `${root}:errors` };
    const minute = minuteA - 30;
    await t.redis.xgroup('CREATE', local.errors, ingestGroup, '0', 'MKSTREAM');
    const events = [
      { at: at(minute), service: 'api', vendor: 'auth0', status: 503, customer: 'dup', count: 2 },
      { at: at(minute), service: 'api', vendor: 'auth0', status: 503, customer: 'dup', id: 'evt-dup' },
    ];
    await t.redis.xadd(local.errors, '*', 'events', JSON.stringify(events));
    await t.redis.xadd(local.errors, '*', 'events', JSON.stringify([events[1]])); // the id again
    type Read = [string, [string, string[]][]][];
    const read = (await t.redis.xreadgroup(
      'GROUP',
      ingestGroup,
      'A',
      'COUNT',
      10,
      'STREAMS',
      local.errors,
      '>',
    )) as Read;
    const entries = read[0]?.[1] ?? [];
    await waitUntil('the entries to be idle 10 ms', async () => {
      const [pending] = (await t.redis.xpending(local.errors, ingestGroup, '-', '+', 1)) as [
        string,
        string,
        number,
      ][];
      return (pending?.[2] ?? 0) >= 10;
    });
    const claimed = (await t.redis.xautoclaim(local.errors, ingestGroup, 'B', 10, '0-0', 'COUNT', 10)) as [
      string,
      [string, string[]][],
    ];
    const writer = createBucketWriter(t.redis, {
      stream: local.errors,
      group: ingestGroup,
      dedupeWindowMs: 60_000,
      exemplarsPerMinute: 10,
    });
    const window = { now: Date.now(), retentionMs };
    const asSources = (list: [string, string[]][]) =>
      list.map(([id, fields]) => ({ id, events: () => decodeEntry(fields, window).events }));
    const options = { ...defaultPlanOptions, retentionMs, customersPerMinute: 10 };
    const [a, b] = await Promise.all([
      writeEntries(writer, asSources(entries), local, options),
      writeEntries(writer, asSources(claimed[1]), local, options),
    ]);
    expect(a.entries + b.entries).toBe(2);
    expect(a.duplicates + b.duplicates).toBe(1);
    // Delivered once more: nothing recorded again.
    await writeEntries(writer, asSources(entries), local, options);
    expect(await readCustomerFailures(t.redis, keys, 'dup', minute, minute)).toEqual([
      { minute, service: 'api', vendor: 'auth0', region: '', count: 3 },
    ]);
    expect(await t.redis.hget(keys.customerFailuresMinute(minute), 'customers')).toBe('1');
  });

  test('readCustomerFailures() refuses a range that is not whole minutes or spans more than a week', async () => {
    await expect(readCustomerFailures(t.redis, keys, 'acme', 1.5, 10)).rejects.toThrow(
      CustomerFailureQueryError,
    );
    await expect(readCustomerFailures(t.redis, keys, 'acme', 0, 8 * 24 * 60)).rejects.toThrow(
      /toMinute: a read spans at most 10080 minutes/,
    );
  });
});

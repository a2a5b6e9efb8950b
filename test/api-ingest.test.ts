import net from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApi } from '../src/api/server.js';
import { checkEvent, collectEvents, encodeEntries, RawBatch } from '../src/api/errors-route.js';
import { parseConfig, type Config } from '../src/config.js';
import { readBuckets, readMinuteCounts } from '../src/store/error-buckets.js';
import { decodeEntry } from '../src/ingest/stream-fields.js';
import { createLogger } from '../src/logger.js';
import { connectRedis } from '../src/store/redis.js';
import { createVendorStore } from '../src/store/vendors.js';
import { createIngestWorker } from '../workers/ingest-worker.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

const ingestToken = 'ingest-token-0123456789abcdef';
const window = { now: Date.parse('2024-04-04T21:00:00Z'), retentionMs: 30 * 86_400_000 };

function configFor(prefix: string, redisAt = redisUrl): Config {
  return parseConfig(
    {
      redis: { url: redisAt, prefix },
      vendors: [],
      api: {
        port: 0,
        maxBodySize: '1MiB',
        tokens: [{ name: 'producer', token: ingestToken, scopes: ['ingest'] }],
      },
      ingest: { streamMaxLen: 10_000 },
    },
    {},
    'test',
  );
}

interface Api {
  url: string;
  redis: Redis;
  close(): Promise<void>;
}

/** The real API (createApi + the ingest route) on port 0, over a producer connection to `redisAt`. */
async function startApi(t: TestRedis, redisAt = redisUrl, redisDeadlineMs?: number): Promise<Api> {
  const config = configFor(t.prefix, redisAt);
  const redis = await connectRedis(redisAt, 'producer', 'test-ingest-api');
  const logger = createLogger('silent');
  const app = createApi({
    config,
    store: createVendorStore(redis, t.keys),
    redis,
    logger,
    ...(redisDeadlineMs ? { redisDeadlineMs } : {}),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    redis,
    async close() {
      await app.close();
      redis.disconnect();
    },
  };
}

function post(url: string, body: string, contentType = 'application/json') {
  return fetch(`${url}/v1/errors`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${ingestToken}` },
    body,
  });
}

const recent = () => new Date(Date.now() - 60_000).toISOString();
const event = (extra: Record<string, unknown> = {}) => ({
  at: recent(),
  service: 'backstage',
  vendor: '100ms',
  region: 'eu-west-1',
  status: 502,
  ...extra,
});

/** A TCP hop between the API and Redis that can be cut (refuse) or blackholed (swallow bytes). */
async function startRedisProxy() {
  const target = new URL(redisUrl);
  const sockets = new Set<net.Socket>();
  let blackholed = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d) => !blackholed && upstream.write(d));
    upstream.on('data', (d) => !blackholed && client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `redis://127.0.0.1:${port}`,
    blackhole: () => (blackholed = true),
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    async restore() {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('POST /v1/errors against real Redis', () => {
  let t: TestRedis;
  let api: Api;

  beforeAll(async () => {
    t = await createTestRedis('api-ingest');
    api = await startApi(t);
  });

  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  async function streamEntries(): Promise<Array<[string, string[]]>> {
    return (await t.redis.xrange(t.keys.errors, '-', '+')) as Array<[string, string[]]>;
  }

  /** What the ingest worker will count: every entry read back through its own decoder. */
  async function storedEvents() {
    const entries = await streamEntries();
    return entries.flatMap(([, fields]) => {
      const decoded = decodeEntry(fields, { now: Date.now(), retentionMs: 86_400_000 });
      expect(decoded.rejected).toEqual([]);
      return decoded.events.map((d) => d.event);
    });
  }

  test('one event object is accepted and lands as one stream entry with an `events` JSON array', async () => {
    await t.redis.del(t.keys.errors);
    const at = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const res = await post(api.url, JSON.stringify(event({ at })));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [], rejectedCount: 0 });
    const entries = await streamEntries();
    expect(entries).toHaveLength(1);
    const [, fields] = entries[0]!;
    expect(fields[0]).toBe('events');
    expect(JSON.parse(fields[1]!)).toEqual([
      {
        at: new Date(at).toISOString(),
        service: 'backstage',
        vendor: '100ms',
        region: 'eu-west-1',
        status: 502,
        count: 1,
      },
    ]);
  });

  test('a JSON array of 1,200 events becomes three entries of at most 500 that the ingest worker decodes whole', async () => {
    await t.redis.del(t.keys.errors);
    const events = Array.from({ length: 1200 }, (_, i) => event({ id: `e-${i}`, count: (i % 3) + 1 }));
    const res = await post(api.url, JSON.stringify(events));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 1200, rejectedCount: 0 });
    const entries = await streamEntries();
    expect(entries.map(([, f]) => (JSON.parse(f[1]!) as unknown[]).length)).toEqual([500, 500, 200]);
    // The consumer's own decoder reads back exactly what was accepted, in order.
    const decoded = await storedEvents();
    expect(decoded.map((e) => e.id)).toEqual(events.map((_, i) => `e-${i}`));
    expect(decoded.reduce((sum, e) => sum + e.count, 0)).toBe(2400);
  });

  test('NDJSON: good lines are stored, bad ones are rejected by line with the field named', async () => {
    await t.redis.del(t.keys.errors);
    const lines = [
      JSON.stringify(event({ id: 'ok-1' })),
      JSON.stringify({ service: 'backstage' }),
      '',
      JSON.stringify(event({ at: 'yesterday' })),
      '{"at": "2024-04-04T20:47:12Z", "service": ',
      JSON.stringify(event({ colour: 'red' })),
      JSON.stringify(event({ at: new Date(Date.now() + 3 * 3600_000).toISOString() })),
      JSON.stringify(event({ service: 'x'.repeat(1024 * 20) })),
      JSON.stringify(event({ status: '502' })),
      JSON.stringify(event({ id: 'ok-2' })),
      '',
    ].join('\n');
    const res = await post(api.url, lines, 'application/x-ndjson');
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      accepted: number;
      rejected: Array<{ index: number; reason: string }>;
    };
    expect(body.accepted).toBe(2);
    expect(body.rejected).toEqual([
      { index: 1, reason: 'events[1].at: is required' },
      { index: 3, reason: 'events[3].at: expected an ISO-8601 timestamp or epoch milliseconds' },
      { index: 4, reason: expect.stringMatching(/^events\[4\]: not valid JSON/) },
      { index: 5, reason: 'events[5]: Unrecognized key: "colour"' },
      { index: 6, reason: expect.stringMatching(/^events\[6\]\.at: .* minutes ahead of now/) },
      { index: 7, reason: 'events[7].service: service is longer than 512 characters' },
      { index: 8, reason: 'events[8].status: Invalid input: expected number, received string' },
    ]);
    expect((await storedEvents()).map((e) => e.id)).toEqual(['ok-1', 'ok-2']);
    // NDJSON is stored as the client's accepted lines, one entry: the rejected lines cut out.
    const entries = await streamEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]![1][1]!.split('\n')).toHaveLength(2);
  });

  test('NDJSON lines holding invalid UTF-8 are rejected while the valid lines are stored', async () => {
    await t.redis.del(t.keys.errors);
    const good = Buffer.from(`${JSON.stringify(event({ id: 'utf8-ok', customer: 'Zürich AG' }))}\n`);
    const bad = Buffer.concat([
      Buffer.from('{"at":"2024-04-04T20:47:12Z","service":"back'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}\n'),
    ]);
    const res = await fetch(`${api.url}/v1/errors`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ingestToken}` },
      body: Buffer.concat([good, bad]),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({
      accepted: 1,
      rejected: [{ index: 1, reason: 'events[1]: contains bytes that are not valid UTF-8' }],
    });
    expect(await storedEvents()).toEqual([expect.objectContaining({ customer: 'Zürich AG' })]);
  });

  test('call volume: volume reports and errors carrying calls are accepted as JSON and NDJSON and reach the buckets', async () => {
    await t.redis.del(t.keys.errors);
    const minute = Math.floor(Date.now() / 60_000) - 1;
    const at = new Date(minute * 60_000 + 5_000).toISOString();
    const sms = { at, service: 'sms', vendor: 'twilio', region: 'eu-west-1' };
    const json = await post(
      api.url,
      JSON.stringify([
        { ...sms, calls: 4000 },
        { ...sms, status: 503, count: 12, calls: 100 },
        { at, service: 'sms', calls: 5 },
      ]),
    );
    expect(json.status).toBe(202);
    expect(await json.json()).toEqual({
      accepted: 2,
      rejected: [
        {
          index: 2,
          reason: 'events[2].vendor: vendor is required when calls is given (the vendor those calls went to)',
        },
      ],
      rejectedCount: 1,
    });
    const ndjson = await post(
      api.url,
      [
        JSON.stringify({ ...sms, calls: 900, count: 0 }),
        JSON.stringify({ ...sms, code: 'HTTP_503', calls: 0, count: 0 }),
        JSON.stringify({ ...sms, calls: -2 }),
      ].join('\n'),
      'application/x-ndjson',
    );
    expect(await ndjson.json()).toEqual({
      accepted: 1,
      rejected: [
        {
          index: 1,
          reason:
            'events[1].count: count must be at least 1 (0 only in a volume report: calls without code or status)',
        },
        { index: 2, reason: 'events[2].calls: calls must be 0 or more' },
      ],
      rejectedCount: 2,
    });
    // What the worker will decode: the volume reports count no failures.
    expect((await storedEvents()).map((e) => [e.calls, e.count])).toEqual([
      [4000, 0],
      [100, 12],
      [900, 0],
    ]);

    const worker = createIngestWorker({
      redis: t.redis,
      keys: t.keys,
      config: configFor(t.prefix),
      logger: createLogger('silent'),
    });
    const running = worker.run();
    try {
      await waitUntil('the worker to handle both entries', () => worker.stats().entries >= 2);
    } finally {
      await worker.close();
    }
    await running;

    const read = await readBuckets(t.redis, t.keys, { from: minute * 60_000, to: (minute + 1) * 60_000 });
    expect(read.calls.map((c) => [c.service, c.vendor, c.region, c.calls])).toEqual([
      ['sms', 'twilio', 'eu-west-1', 5000],
    ]);
    expect(read.series.map((s) => [s.code, s.count])).toEqual([['HTTP_503', 12]]);
    const [bucket] = await readMinuteCounts(t.redis, t.keys, minute, minute);
    expect(bucket?.counts.map((c) => c.count)).toEqual([12]);
    expect(bucket?.calls.map((c) => c.calls)).toEqual([5000]);
  });

  test('a batch with no valid event is 400 and writes nothing', async () => {
    await t.redis.del(t.keys.errors);
    const res = await post(api.url, JSON.stringify([{ service: 'a' }, { at: recent() }]));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      accepted: 0,
      rejected: [
        { index: 0, reason: 'events[0].at: is required' },
        { index: 1, reason: 'events[1].service: is required' },
      ],
      rejectedCount: 2,
    });
    expect(await t.redis.exists(t.keys.errors)).toBe(0);
  });

  test('a body that is not JSON, or JSON that is not an event, is 400 with the reason', async () => {
    const notJson = await post(api.url, '{"at": ');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/^body is not valid JSON/);
    const scalar = await post(api.url, '42');
    expect(scalar.status).toBe(400);
    expect(await scalar.json()).toEqual({ error: 'expected a JSON event object or an array of events' });
  });

  test('a body over api.maxBodySize is refused with 413 and a message naming the limit', async () => {
    const big = JSON.stringify(Array.from({ length: 12_000 }, () => event()));
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const res = await post(api.url, big);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: 'request body is larger than the limit of 1048576 bytes (api.maxBodySize); send smaller batches',
    });
  });

  test('an unsupported content-type is 415 naming the accepted ones', async () => {
    const res = await post(api.url, 'at=now', 'text/plain');
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: string }).error).toMatch(/application\/x-ndjson/);
  });
});

describe('POST /v1/errors when Redis is unreachable', () => {
  let t: TestRedis;

  beforeAll(async () => {
    t = await createTestRedis('api-ingest-down');
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test('answers 503 at once while Redis refuses connections, and accepts again once it is back', async () => {
    const proxy = await startRedisProxy();
    const api = await startApi(t, proxy.url);
    try {
      expect((await post(api.url, JSON.stringify(event()))).status).toBe(202);
      await proxy.cut();
      const res = await post(api.url, JSON.stringify(event()));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      const { error } = (await res.json()) as { error: string };
      expect(error).toMatch(/nothing was stored, retry later/);
      // At once: the refusal itself answers, not the Redis deadline running out.
      expect(error).not.toMatch(/did not answer within/);
      await proxy.restore();
      const status = await waitUntil(
        'the API to accept again',
        async () => (await post(api.url, JSON.stringify(event()))).status,
        { until: (s) => s === 202, intervalMs: 100 },
      );
      expect(status).toBe(202);
    } finally {
      await api.close();
      await proxy.close();
    }
  });

  test('answers 503 within its deadline when Redis swallows commands without answering', async () => {
    const proxy = await startRedisProxy();
    const api = await startApi(t, proxy.url, 300);
    try {
      proxy.blackhole();
      const started = Date.now();
      const res = await post(api.url, JSON.stringify(event()));
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: string }).error).toMatch(/did not answer within 300 ms/);
      // Rate limiter (fails open after 500 ms) plus the 300 ms append deadline; a deadline test keeps a wide margin.
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await api.close();
      await proxy.close();
    }
  });
});

describe('collectEvents() and checkEvent(), the pure validation behind POST /v1/errors', () => {
  test('checkEvent() accepts an epoch-ms event and returns it normalized', () => {
    expect(checkEvent({ at: 1712263632000, service: 'a' }, 0, window)).toEqual({
      ok: true,
      event: { at: '2024-04-04T20:47:12.000Z', service: 'a', count: 1 },
    });
  });

  test('checkEvent() names the index and field: count 0 is too small outside a volume report', () => {
    expect(checkEvent({ at: 1712263632000, service: 'a', count: 0 }, 7, window)).toEqual({
      ok: false,
      reason:
        'events[7].count: count must be at least 1 (0 only in a volume report: calls without code or status)',
    });
  });

  test('checkEvent() accepts a volume report and gives it count 0', () => {
    expect(checkEvent({ at: 1712263632000, service: 'a', vendor: 'v', calls: 12 }, 0, window)).toEqual({
      ok: true,
      event: { at: '2024-04-04T20:47:12.000Z', service: 'a', vendor: 'v', calls: 12, count: 0 },
    });
  });

  test('checkEvent() rejects events older than retention with the window named', () => {
    const result = checkEvent({ at: '2023-01-01T00:00:00Z', service: 'a' }, 2, window);
    expect(result).toEqual({
      ok: false,
      reason: expect.stringMatching(/^events\[2\]\.at: .*older than the 30\.0-day retention/),
    });
  });

  test('collectEvents() numbers NDJSON rejections by line, skipping blank lines but counting them', () => {
    const text = `{"at":1712263632000,"service":"a"}\n\n\r\n{"service":"b"}\n`;
    const result = collectEvents(new RawBatch(Buffer.from(text), true), window);
    expect(result).toMatchObject({
      events: [{ at: '2024-04-04T20:47:12.000Z', service: 'a', count: 1 }],
      rejected: [{ index: 3, reason: 'events[3].at: is required' }],
    });
  });

  test('collectEvents() rejects a prototype-poisoning key as an unknown field', () => {
    const result = collectEvents(
      new RawBatch(Buffer.from('{"at":1712263632000,"service":"a","__proto__":{"x":1}}'), false),
      window,
    );
    expect(result).toMatchObject({
      events: [],
      rejected: [{ index: 0, reason: expect.stringMatching(/Unrecognized key: "__proto__"/) }],
    });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test('encodeEntries() stores runs of accepted NDJSON lines as slices of the body, cutting rejected lines out', () => {
    const lines = Array.from({ length: 7 }, (_, i) =>
      i === 3
        ? '{"service":"no-time"}'
        : JSON.stringify({ at: 1712263632000 + i, service: 'a', id: `n${i}` }),
    );
    const batch = collectEvents(new RawBatch(Buffer.from(lines.join('\n')), true), window);
    if ('error' in batch) throw new Error(batch.error);
    const entries = encodeEntries(batch, 2).map((e) => e.toString());
    // [0,1] adjacent; [2,4] straddle the rejected line 3 and are joined; [5,6] adjacent.
    expect(entries).toEqual([
      `${lines[0]}\n${lines[1]}`,
      `${lines[2]}\n${lines[4]}`,
      `${lines[5]}\n${lines[6]}`,
    ]);
  });

  test('encodeEntries() writes JSON bodies as JSON arrays of the checked events', () => {
    const batch = collectEvents(
      new RawBatch(Buffer.from('[{"at":1712263632000,"service":"a"}]'), false),
      window,
    );
    if ('error' in batch) throw new Error(batch.error);
    expect(encodeEntries(batch)).toEqual(['[{"at":"2024-04-04T20:47:12.000Z","service":"a","count":1}]']);
  });

  test('encodeEntries() re-encodes runs whose raw lines are padded past 1 MiB, so the worker never drops an entry', () => {
    const padded = `{"at":1712263632000,${' '.repeat(1024 * 1024)}"service":"a"}`;
    const batch = collectEvents(
      new RawBatch(Buffer.from(`${padded}\n{"at":1712263632001,"service":"b"}`), true),
      window,
    );
    if ('error' in batch) throw new Error(batch.error);
    expect(batch.events).toHaveLength(2);
    const [entry] = encodeEntries(batch);
    expect(typeof entry).toBe('string');
    expect((entry as string).length).toBeLessThan(200);
  });
});

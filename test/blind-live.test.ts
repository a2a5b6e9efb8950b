import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BLIND_RETENTION } from '../src/core/correlate/blind-spans.js';
import { parseConfig } from '../src/config.js';
import { loadCorrelationInput } from '../src/store/correlation-input.js';
import { type InputConfig } from '../src/core/correlate/select-input.js';
import type { BlindSpan } from '../src/core/correlate/types.js';
import { FetchError } from '../src/core/errors.js';
import { createIncidentStore } from '../src/store/incidents.js';
import { createVendorStore, type VendorStore } from '../src/store/vendors.js';
import { statuspagePayloads } from './support/payloads.js';
import { startPollWorker, type RunningPollWorker } from './support/poll-worker.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

const inputConfig: InputConfig = {
  services: [{ name: 'backstage', regions: ['eu-west-1'], dependsOn: [{ vendor: '100ms', components: [] }] }],
  vendors: [{ id: '100ms', name: '100ms' }],
};

describe('blind spans of a polled vendor page (real Redis, real HTTP server, BullMQ)', () => {
  let server: VendorServer;
  let t: TestRedis;
  let store: VendorStore;
  let worker: RunningPollWorker;
  let payloads: Awaited<ReturnType<typeof statuspagePayloads>>;
  let failing = false;

  beforeAll(async () => {
    payloads = await statuspagePayloads();
    server = await startVendorServer((req, res) => {
      if (failing) return res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      const body = req.url?.endsWith('/api/v2/summary.json')
        ? payloads.summary
        : req.url?.endsWith('/api/v2/incidents.json')
          ? payloads.incidents
          : null;
      if (!body) return res.writeHead(404).end();
      return res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    t = await createTestRedis('blind-live');
    const config = parseConfig(
      {
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: [{ id: '100ms', name: '100ms', provider: 'statuspage', url: server.baseUrl }],
        poll: { timeout: '2s', allowPrivateNetworks: true },
      },
      {},
      'test',
    );
    worker = await startPollWorker(t, config);
    store = worker.store;
  });

  afterAll(async () => {
    await worker?.close();
    await server?.close();
    await t?.cleanup();
  });

  /** One poll job through the worker; true when it succeeded. */
  const poll = async (): Promise<boolean> => (await worker.poll('100ms')).ok;

  const closedSpans = async (vendor: string): Promise<BlindSpan[]> =>
    (await t.redis.zrange(t.keys.vendorBlind(vendor), '0', '-1')).map((row) => JSON.parse(row) as BlindSpan);

  test('good, then 503s, then good: exactly one closed span saying HTTP 503, which the loader returns', async () => {
    expect(await poll()).toBe(true);
    expect((await store.readHealth('100ms')).blindSince).toBeNull();

    failing = true;
    const beforeFailing = Date.now();
    expect(await poll()).toBe(false);
    const firstFailure = (await store.readHealth('100ms')).blindSince;
    expect(firstFailure).not.toBeNull();
    expect(await poll()).toBe(false);
    const afterFailing = Date.now();
    // A later failure keeps the span's start at the first one.
    expect((await store.readHealth('100ms')).blindSince).toBe(firstFailure);
    expect(await store.listBlindSpans('100ms', beforeFailing - 60_000, Date.now())).toEqual([
      { vendor: '100ms', since: firstFailure, until: null, reason: 'HTTP 503' },
    ]);

    failing = false;
    expect(await poll()).toBe(true);
    const afterGood = Date.now();

    const spans = await closedSpans('100ms');
    expect(spans).toHaveLength(1);
    const [span] = spans;
    expect(span).toMatchObject({ vendor: '100ms', since: firstFailure, reason: 'HTTP 503' });
    expect(Date.parse(span!.since)).toBeGreaterThanOrEqual(beforeFailing);
    expect(Date.parse(span!.until!)).toBeGreaterThanOrEqual(afterFailing);
    expect(Date.parse(span!.until!)).toBeLessThanOrEqual(afterGood);
    const health = await store.readHealth('100ms');
    expect(health).toMatchObject({ state: 'ok', blindSince: null });
    // Nothing open any more: the store lists the closed span alone.
    expect(await store.listBlindSpans('100ms', beforeFailing - 60_000, Date.now())).toEqual(spans);

    // Our incident began while the page could not be read: the scorer's input says so.
    await createIncidentStore(t.redis, t.keys).upsert({
      id: 'INC-blind',
      service: 'backstage',
      title: 'Go Live fails',
      startedAt: new Date(beforeFailing).toISOString(),
      resolvedAt: null,
      regions: [],
      customers: [],
    });
    const deps = { redis: t.redis, keys: t.keys, config: inputConfig };
    const input = await loadCorrelationInput(deps, 'INC-blind', new Date());
    expect(input?.blind).toEqual(spans);
    // Asked about a time inside the span, the loader shows it still open.
    const during = await loadCorrelationInput(deps, 'INC-blind', new Date(Date.parse(span!.until!) - 1));
    expect(during?.blind).toEqual([{ ...span, until: null }]);
  });
});

describe('blind spans in the vendor store (real Redis)', () => {
  let t: TestRedis;
  let store: VendorStore;
  const at = (minutes: number) => new Date(Date.parse('2024-04-04T12:00:00Z') + minutes * 60_000);
  const meta = (minutes: number) => ({ now: at(minutes), latencyMs: 5 });

  beforeAll(async () => {
    t = await createTestRedis('blind-store');
    store = createVendorStore(t.redis, t.keys);
  });
  afterAll(() => t?.cleanup());

  test('a vendor never read well is blind from its first attempt, with the reason in words', async () => {
    await store.recordFailure(
      'never',
      new FetchError('timeout', 'GET x did not complete within 10000 ms'),
      meta(0),
    );
    await store.recordFailure(
      'never',
      new FetchError('http', 'GET x answered 500', { status: 500 }),
      meta(5),
    );
    expect(await store.listBlindSpans('never', at(-60).getTime(), at(10).getTime())).toEqual([
      { vendor: 'never', since: at(0).toISOString(), until: null, reason: 'timeout' },
    ]);
    // A 304 is a good read too.
    await store.recordNotModified('never', meta(7));
    expect(await store.listBlindSpans('never', at(-60).getTime(), at(10).getTime())).toEqual([
      { vendor: 'never', since: at(0).toISOString(), until: at(7).toISOString(), reason: 'timeout' },
    ]);
  });

  test('listBlindSpans returns the spans overlapping the window only', async () => {
    const parse = new FetchError('parse', 'expected JSON from x, got text/html (an error page?)');
    for (const [from, to] of [
      [0, 10],
      [100, 110],
      [200, 210],
    ] as const) {
      await store.recordFailure('w', parse, meta(from));
      await store.recordNotModified('w', meta(to));
    }
    await store.recordFailure('w', parse, meta(300));
    const spans = await store.listBlindSpans('w', at(105).getTime(), at(250).getTime());
    expect(spans.map((s) => [s.since, s.until])).toEqual([
      [at(100).toISOString(), at(110).toISOString()],
      [at(200).toISOString(), at(210).toISOString()],
    ]);
    expect(spans[0]!.reason).toBe('parse error: expected JSON from x, got text/html (an error page?)');
    expect(
      (await store.listBlindSpans('w', at(250).getTime(), at(400).getTime())).map((s) => s.until),
    ).toEqual([null]);
  });

  test(`the store keeps the newest ${BLIND_RETENTION.maxSpans} closed spans, none ended over 30 days ago`, async () => {
    const error = new FetchError('http', 'GET x answered 502', { status: 502 });
    const day = 24 * 60;
    // One span ended 40 days before the rest; then more spans than the cap.
    await store.recordFailure('r', error, meta(-40 * day));
    await store.recordNotModified('r', meta(-40 * day + 1));
    const count = BLIND_RETENTION.maxSpans + 5;
    for (let i = 0; i < count; i++) {
      await store.recordFailure('r', error, meta(i * 10));
      await store.recordNotModified('r', meta(i * 10 + 2));
    }
    const kept = await t.redis.zrange(t.keys.vendorBlind('r'), '0', '-1');
    expect(kept).toHaveLength(BLIND_RETENTION.maxSpans);
    const sinces = kept.map((row) => (JSON.parse(row) as BlindSpan).since);
    expect(sinces[0]).toBe(at(5 * 10).toISOString());
    expect(sinces.at(-1)).toBe(at((count - 1) * 10).toISOString());
  });
});

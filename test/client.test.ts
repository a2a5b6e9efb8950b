import { spawn } from 'node:child_process';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axios, { type AxiosError } from 'axios';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '../providers/catalog.js';
import { errorEventSchema } from '../src/core/contracts.js';
import { quickEvent } from '../src/client/reporter.js';
import {
  catalogHostRows,
  compileOverrides,
  createReporter,
  instrumentAxios,
  vendorApiHosts,
  vendorForHost,
  wrapFetch,
  type FetchLike,
  type Reporter,
  type ReporterOptions,
  type ReportEvent,
} from '../src/client/index.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let t: TestRedis;
const reporters: Reporter[] = [];

beforeAll(async () => {
  t = await createTestRedis('client');
});
afterAll(async () => {
  await Promise.all(reporters.map((r) => r.close()));
  await t.cleanup();
});
beforeEach(async () => {
  await t.redis.del(t.keys.errors);
});

/** A Redis-mode reporter on this file's prefix; process exit hooks off (vitest owns the process). */
function redisReporter(options: Partial<ReporterOptions> = {}, url = redisUrl): Reporter {
  const reporter = createReporter(
    { redisUrl: url, prefix: t.prefix },
    { service: 'checkout', region: 'eu-west-1', handleExit: false, ...options },
  );
  reporters.push(reporter);
  return reporter;
}

/** The stream's entries, each decoded from its `events` field. */
async function streamBatches(): Promise<Record<string, unknown>[][]> {
  const entries = await t.redis.xrange(t.keys.errors, '-', '+');
  return entries.map(([, fields]) => {
    expect(fields[0]).toBe('events');
    return JSON.parse(fields[1]!) as Record<string, unknown>[];
  });
}

const streamEvents = async () => (await streamBatches()).flat();

async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP proxy in front of Redis that can refuse connections or silently drop traffic (a blackhole:
 * no RST, so only a timeout notices) — the socket faults a reporter must ride out.
 */
async function createFaultyProxy() {
  const upstream = new URL(redisUrl);
  let mode: 'pass' | 'refuse' | 'blackhole' = 'pass';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const target = net.connect(Number(upstream.port || 6379), upstream.hostname);
    for (const socket of [client, target]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        target.destroy();
      });
    }
    client.on('data', (chunk) => mode === 'pass' && target.write(chunk));
    target.on('data', (chunk) => mode === 'pass' && client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    async set(next: typeof mode) {
      mode = next;
      if (next === 'refuse') {
        server.close();
        for (const socket of sockets) socket.destroy();
      } else if (!server.listening) {
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      }
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('vendor host map', () => {
  it('maps api.twilio.com to twilio', () => {
    expect(vendorForHost('api.twilio.com')).toEqual({ vendor: 'twilio' });
  });

  it('maps ec2.eu-west-1.amazonaws.com to aws in region eu-west-1', () => {
    expect(vendorForHost('ec2.eu-west-1.amazonaws.com')).toEqual({ vendor: 'aws', region: 'eu-west-1' });
    expect(vendorForHost('my-bucket.s3-us-west-2.amazonaws.com')).toEqual({
      vendor: 'aws',
      region: 'us-west-2',
    });
    expect(vendorForHost('s3.amazonaws.com')).toEqual({ vendor: 'aws' });
  });

  it('prefers the most specific pattern and reads GCP regions from regional hosts', () => {
    expect(vendorForHost('generativelanguage.googleapis.com')).toEqual({ vendor: 'google-ai-studio' });
    expect(vendorForHost('storage.googleapis.com')).toEqual({ vendor: 'gcp' });
    expect(vendorForHost('europe-west1-aiplatform.googleapis.com')).toEqual({
      vendor: 'gcp',
      region: 'europe-west1',
    });
    expect(vendorForHost('api.eu.intercom.io')).toEqual({ vendor: 'intercom-eu' });
    expect(vendorForHost('api.eu.mailgun.net')).toEqual({ vendor: 'mailgun', region: 'eu' });
  });

  it('derives vendor domains from catalog status pages and ignores case and a trailing dot', () => {
    expect(vendorForHost('api.100ms.live')).toEqual({ vendor: '100ms' });
    expect(vendorForHost('API.Stripe.com.')).toEqual({ vendor: 'stripe' });
    expect(vendorForHost('api.datadoghq.eu')).toEqual({ vendor: 'datadog-eu' });
    expect(vendorForHost('api.cloudflare.com')).toEqual({ vendor: 'cloudflare' });
  });

  it('maps status-platform hosts shared by many vendors, loopback and unknown hosts to no vendor', () => {
    for (const host of ['api.status.io', 'statuspal.eu', 'www.google.com', '127.0.0.1', 'example.internal'])
      expect(vendorForHost(host)).toBeUndefined();
  });

  it('names only catalog vendors in the API host table', () => {
    const unknown = vendorApiHosts.map((row) => row.vendor).filter((id) => !catalog.has(id));
    expect(unknown).toEqual([]);
  });

  it('drops a host two unrelated vendors claim but keeps the first entry of one vendor family', () => {
    const rows = catalogHostRows([
      { id: 'acme', page: 'https://status.acme.io', url: 'https://api.status.io' },
      { id: 'acme-eu', page: 'https://status.acme.io', url: 'https://status.acme.io' },
      { id: 'beta', page: 'https://shared.example.com', url: 'https://shared.example.com' },
      { id: 'gamma', page: 'https://shared.example.com', url: 'https://shared.example.com' },
    ]);
    const table = Object.fromEntries(rows.map((row) => [row.pattern, row.vendor]));
    expect(table).toEqual({ 'status.acme.io': 'acme', '*.acme.io': 'acme' });
  });

  it('lets caller overrides win, for exact hosts and *.domains', () => {
    const overrides = compileOverrides({
      '127.0.0.1': 'local-vendor',
      '*.twilio.com': { vendor: 'twilio-edge', region: 'ie1' },
    });
    expect(vendorForHost('127.0.0.1', overrides)).toEqual({ vendor: 'local-vendor' });
    expect(vendorForHost('api.twilio.com', overrides)).toEqual({ vendor: 'twilio-edge', region: 'ie1' });
    expect(vendorForHost('api.stripe.com', overrides)).toEqual({ vendor: 'stripe' });
  });
});

describe('reporter in Redis mode', () => {
  it('writes stream entries whose events field decodes to the reported events', async () => {
    const reporter = redisReporter();
    expect(
      reporter.report({
        at: '2024-04-04T20:47:12Z',
        vendor: '100ms',
        code: 'RTMP_START_FAILED',
        status: 502,
        customer: 'acme',
        endpoint: 'POST /recordings',
      }),
    ).toBe(true);
    reporter.report({
      at: Date.UTC(2024, 3, 4, 20, 48),
      service: 'backstage',
      region: 'us-east-1',
      code: 'ETIMEDOUT',
      count: 3,
    });
    await reporter.flush();

    expect(await streamBatches()).toEqual([
      [
        {
          at: '2024-04-04T20:47:12.000Z',
          service: 'checkout',
          region: 'eu-west-1',
          vendor: '100ms',
          code: 'RTMP_START_FAILED',
          status: 502,
          count: 1,
          customer: 'acme',
          endpoint: 'POST /recordings',
        },
        {
          at: '2024-04-04T20:48:00.000Z',
          service: 'backstage',
          region: 'us-east-1',
          code: 'ETIMEDOUT',
          count: 3,
        },
      ],
    ]);
    expect(reporter.stats()).toMatchObject({ reported: 2, sent: 2, batches: 1, queued: 0 });
  });

  it('sends each full batch at once, without waiting for the timer', async () => {
    const reporter = redisReporter({ maxBatch: 3, flushIntervalMs: 60_000 });
    for (let i = 0; i < 7; i++) reporter.report({ code: `E${i}` });
    await waitUntil('two stream entries', async () => (await t.redis.xlen(t.keys.errors)) >= 2);
    // Two full batches went out; the seventh event waits for the timer, not sent on its own.
    await waitUntil('two batches sent', () => reporter.stats(), { until: (st) => st.batches === 2 });
    expect(reporter.stats()).toMatchObject({ batches: 2, queued: 1 });
    expect((await streamBatches()).map((batch) => batch.length)).toEqual([3, 3]);

    await reporter.flush();
    const batches = await streamBatches();
    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 1]);
    expect(batches.flat().map((event) => event.code)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4', 'E5', 'E6']);
  });

  it('sends a partial batch once flushIntervalMs has passed', async () => {
    const reporter = redisReporter({ maxBatch: 1000, flushIntervalMs: 1000 });
    reporter.report({ code: 'A' });
    reporter.report({ code: 'B' });
    // Checked at once, well inside the interval: the partial batch is held, not sent per event.
    expect(await t.redis.xlen(t.keys.errors)).toBe(0);
    expect(reporter.stats()).toMatchObject({ queued: 2, batches: 0 });
    await waitUntil('the timer to send the batch', async () => (await t.redis.xlen(t.keys.errors)) === 1);
    expect((await streamEvents()).map((event) => event.code)).toEqual(['A', 'B']);
  });

  it('close() flushes what is queued; later reports are dropped and counted', async () => {
    const reporter = redisReporter({ flushIntervalMs: 60_000 });
    reporter.report({ code: 'LAST_WORDS' });
    await reporter.close();
    expect((await streamEvents()).map((event) => event.code)).toEqual(['LAST_WORDS']);
    expect(reporter.report({ code: 'TOO_LATE' })).toBe(false);
    expect(reporter.stats().dropped.closed).toBe(1);
    await reporter.close();
  });

  it('drops invalid events with a counted reason and never sends them', async () => {
    const reporter = redisReporter();
    const bad = [
      { status: 'five hundred' },
      { at: '1990-01-01T00:00:00Z' },
      { code: 'X', apiKey: 'secret' },
      { vendor: 'v'.repeat(600) },
    ] as unknown as ReportEvent[];
    for (const event of bad) expect(reporter.report(event)).toBe(false);
    reporter.report({ code: 'GOOD' });
    await reporter.flush();

    expect((await streamEvents()).map((event) => event.code)).toEqual(['GOOD']);
    const stats = reporter.stats();
    expect(stats.dropped.invalid).toBe(4);
    const reasons = Object.keys(stats.invalidReasons).join('\n');
    expect(reasons).toMatch(/^status: /m);
    expect(reasons).toMatch(/^at: expected a time between 2000 and 2100/m);
    expect(reasons).toMatch(/apiKey/);
    expect(reasons).toMatch(/^vendor: vendor is longer than 512/m);
  });

  it('drops the oldest events beyond maxQueue and counts them', async () => {
    const reporter = redisReporter({ maxQueue: 5, flushIntervalMs: 60_000 });
    for (let i = 0; i < 8; i++) reporter.report({ code: `E${i}` });
    await reporter.flush();
    expect((await streamEvents()).map((event) => event.code)).toEqual(['E3', 'E4', 'E5', 'E6', 'E7']);
    expect(reporter.stats().dropped.overflow).toBe(3);
  });

  it('never throws into the caller when Redis is unreachable: retries with backoff, then drops and counts', async () => {
    const port = await closedPort();
    const reporter = redisReporter({ maxAttempts: 3, retryBaseMs: 10 }, `redis://127.0.0.1:${port}`);
    expect(reporter.report({ code: 'A' })).toBe(true);
    expect(reporter.report({ code: 'B' })).toBe(true);
    await reporter.flush();
    expect(reporter.stats()).toMatchObject({
      sent: 0,
      failedAttempts: 3,
      retries: 2,
      queued: 0,
      dropped: { failed: 2, invalid: 0, overflow: 0, rejected: 0, closed: 0 },
    });
    expect(reporter.stats().lastError).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1/);
  });

  it('delivers events reported while Redis was unreachable once it is back', async () => {
    const proxy = await createFaultyProxy();
    try {
      const reporter = redisReporter({ maxAttempts: 50, retryBaseMs: 20, retryMaxMs: 100 }, proxy.url);
      reporter.report({ code: 'BEFORE' });
      await reporter.flush();
      await proxy.set('refuse');
      reporter.report({ code: 'DURING' });
      const flushed = reporter.flush();
      await waitUntil('a send to fail while Redis is refused', () => reporter.stats().failedAttempts > 0);
      await proxy.set('pass');
      await flushed;
      expect((await streamEvents()).map((event) => event.code)).toEqual(['BEFORE', 'DURING']);
      expect(reporter.stats()).toMatchObject({ sent: 2, dropped: { failed: 0 } });
      expect(reporter.stats().failedAttempts).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it('gives up on a connection that swallows commands (no RST) after sendTimeoutMs and reconnects', async () => {
    const proxy = await createFaultyProxy();
    try {
      const reporter = redisReporter(
        { sendTimeoutMs: 200, retryBaseMs: 20, retryMaxMs: 50, maxAttempts: 20 },
        proxy.url,
      );
      reporter.report({ code: 'BEFORE' });
      await reporter.flush();
      await proxy.set('blackhole');
      reporter.report({ code: 'DURING' });
      const flushed = reporter.flush();
      await waitUntil(
        'a send to time out on the swallowing connection',
        () => reporter.stats().failedAttempts > 0,
      );
      await proxy.set('pass');
      await flushed;
      expect((await streamEvents()).map((event) => event.code)).toEqual(['BEFORE', 'DURING']);
      expect(reporter.stats().lastError).toMatch(/took longer than 200 ms/);
    } finally {
      await proxy.close();
    }
  });

  it('trims the stream with MAXLEN ~', async () => {
    const reporter = redisReporter({ maxBatch: 1, streamMaxLen: 10 });
    for (let i = 0; i < 400; i++) reporter.report({ code: `E${i}` });
    await reporter.flush();
    expect(reporter.stats().batches).toBe(400);
    expect(await t.redis.xlen(t.keys.errors)).toBeLessThan(400);
  });

  it('gives every event a unique id when idempotencyKeys is on, keeping ids callers set', async () => {
    const reporter = redisReporter({ idempotencyKeys: true });
    for (let i = 0; i < 3; i++) reporter.report({ code: 'A' });
    reporter.report({ code: 'B', id: 'mine-1' });
    await reporter.flush();
    const ids = (await streamEvents()).map((event) => event.id);
    expect(new Set(ids).size).toBe(4);
    expect(ids[3]).toBe('mine-1');
  });

  it('validates on a fast path that accepts only what errorEventSchema accepts, with the same output', () => {
    const base = { at: '2024-04-04T20:47:12Z', service: 'checkout' };
    const inputs: Record<string, unknown>[] = [
      base,
      { ...base, at: '2024-04-04T22:47:12+02:00', vendor: 'aws', region: 'eu-west-1', code: 'ETIMEDOUT' },
      {
        ...base,
        at: Date.UTC(2024, 0, 1),
        status: 503,
        count: 7,
        customer: 'acme',
        endpoint: 'GET /x',
        id: 'e1',
      },
      { ...base, status: 100 },
      { ...base, status: 599, count: 1_000_000 },
      { ...base, at: Date.UTC(2100, 0, 1) },
      { ...base, region: undefined },
      { ...base, status: 600 },
      { ...base, status: 99 },
      { ...base, status: 502.5 },
      { ...base, status: '503' },
      { ...base, count: 0 },
      { ...base, count: 1_000_001 },
      { ...base, at: '2024-04-04' },
      { ...base, at: '2024-04-04Tgarbage' },
      { ...base, at: Date.UTC(1999, 11, 31) },
      { ...base, at: Number.NaN },
      { ...base, at: undefined },
      { ...base, service: '' },
      { ...base, service: 's'.repeat(513) },
      { ...base, vendor: 42 },
      { ...base, apiKey: 'x' },
      { ...base, vendor: 'twilio', calls: 40 },
      { ...base, vendor: 'twilio', calls: 40, status: 503, count: 3 },
      { ...base, vendor: 'twilio', calls: 0 },
      { ...base, vendor: 'twilio', calls: 40, count: 0 },
      { ...base, calls: 40 },
      { ...base, vendor: 'twilio', calls: -1 },
      { ...base, vendor: 'twilio', calls: 1.5 },
      { ...base, vendor: 'twilio', calls: 10_000_001 },
    ];
    let fast = 0;
    for (const input of inputs) {
      const quick = quickEvent(input);
      const parsed = errorEventSchema.safeParse(input);
      if (quick) {
        fast++;
        expect(parsed.success, JSON.stringify(input)).toBe(true);
        expect(quick).toEqual(parsed.data);
      } else {
        expect(parsed.success, JSON.stringify(input)).toBe(false);
      }
    }
    expect(fast).toBe(11);
  });

  it('rejects unusable options at creation with a message naming the option', () => {
    expect(() => createReporter({ redisUrl: 'http://x' }, { service: 's' })).toThrow(
      /redisUrl: expected a redis:\/\//,
    );
    expect(() => createReporter({ apiUrl: 'http://x' }, { service: 's', maxBatch: 0 })).toThrow(/maxBatch/);
    expect(() => createReporter({ apiUrl: 'http://x' }, { service: '' })).toThrow(/service/);
  });
});

describe('reporter in API mode', () => {
  let app: FastifyInstance;
  let apiUrl: string;
  const requests: {
    authorization?: string;
    contentType?: string;
    idempotencyKey?: string;
    lines: Record<string, unknown>[];
  }[] = [];
  let answer: (lines: number) => {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
  } = () => ({
    status: 200,
  });

  beforeAll(async () => {
    app = Fastify();
    app.addContentTypeParser('application/x-ndjson', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    app.post('/base/v1/errors', async (request, reply) => {
      const lines = String(request.body)
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      requests.push({
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        idempotencyKey: request.headers['idempotency-key'] as string | undefined,
        lines,
      });
      const { status, body, headers } = answer(lines.length);
      return reply
        .code(status)
        .headers(headers ?? {})
        .send(body ?? { accepted: lines.length, rejected: [] });
    });
    apiUrl = `${await app.listen({ port: 0, host: '127.0.0.1' })}/base`;
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    requests.length = 0;
    answer = () => ({ status: 200 });
  });

  function apiReporter(options: Partial<ReporterOptions> = {}): Reporter {
    const reporter = createReporter(
      { apiUrl, token: 'secret-token' },
      { service: 'checkout', handleExit: false, retryBaseMs: 10, ...options },
    );
    reporters.push(reporter);
    return reporter;
  }

  it('posts NDJSON batches to /v1/errors with the bearer token', async () => {
    const reporter = apiReporter({ maxBatch: 2 });
    for (const code of ['A', 'B', 'C'])
      reporter.report({ at: '2024-04-04T20:47:12Z', vendor: 'twilio', code });
    await reporter.flush();
    expect(requests.map((r) => r.lines.map((line) => line.code))).toEqual([['A', 'B'], ['C']]);
    expect(requests[0]).toMatchObject({
      authorization: 'Bearer secret-token',
      contentType: 'application/x-ndjson',
    });
    expect(requests[0]!.lines[0]).toEqual({
      at: '2024-04-04T20:47:12.000Z',
      service: 'checkout',
      vendor: 'twilio',
      code: 'A',
      count: 1,
    });
    expect(reporter.stats()).toMatchObject({ sent: 3, batches: 2 });
  });

  it('retries a 503 with backoff and delivers the batch once it is accepted', async () => {
    let calls = 0;
    answer = () => (++calls <= 2 ? { status: 503, body: { error: 'busy' } } : { status: 200 });
    const reporter = apiReporter();
    reporter.report({ code: 'A' });
    await reporter.flush();
    expect(requests).toHaveLength(3);
    // One logical request: its retries carry its Idempotency-Key, so one that landed counts once.
    const keys = new Set(requests.map((r) => r.idempotencyKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    reporter.report({ code: 'B' });
    await reporter.flush();
    expect(requests[3]!.idempotencyKey).not.toBe(requests[0]!.idempotencyKey);
    expect(reporter.stats()).toMatchObject({
      sent: 2,
      retries: 2,
      failedAttempts: 2,
      dropped: { failed: 0 },
    });
  });

  it('does not retry a 401: the batch counts as rejected', async () => {
    answer = () => ({ status: 401, body: { error: 'missing or invalid bearer token' } });
    const reporter = apiReporter();
    reporter.report({ code: 'A' });
    reporter.report({ code: 'B' });
    await reporter.flush();
    expect(requests).toHaveLength(1);
    expect(reporter.stats()).toMatchObject({ sent: 0, retries: 0, dropped: { rejected: 2 } });
    expect(reporter.stats().lastError).toMatch(/HTTP 401/);
    expect(reporter.stats().lastError).not.toMatch(/secret-token/);
  });

  it('halves a batch the server finds too large (413)', async () => {
    answer = (lines) => (lines > 2 ? { status: 413, body: { error: 'too large' } } : { status: 200 });
    const reporter = apiReporter({ maxBatch: 4 });
    for (const code of ['A', 'B', 'C', 'D']) reporter.report({ code });
    await reporter.flush();
    expect(requests.map((r) => r.lines.length)).toEqual([4, 2, 2]);
    expect(reporter.stats()).toMatchObject({ sent: 4, dropped: { rejected: 0 } });
  });

  it('counts the events the server rejects one by one', async () => {
    answer = () => ({ status: 200, body: { accepted: 1, rejected: [{ index: 1, reason: 'at: too old' }] } });
    const reporter = apiReporter();
    reporter.report({ code: 'A' });
    reporter.report({ code: 'B' });
    await reporter.flush();
    expect(reporter.stats()).toMatchObject({ sent: 1, dropped: { rejected: 1 } });
  });
});

describe('instrumentation of axios and fetch', () => {
  let server: http.Server;
  let base: string;
  let deadPort: number;
  const hanging = new Set<http.ServerResponse>();

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const match = /^\/status\/(\d{3})/.exec(request.url ?? '');
      if (match) {
        response.writeHead(Number(match[1]), { 'content-type': 'text/plain' });
        response.end(`answer ${match[1]}`);
        return;
      }
      // /slow never answers, so the caller's timeout fires.
      hanging.add(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    deadPort = await closedPort();
  });
  afterAll(async () => {
    for (const response of hanging) response.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const local = { '127.0.0.1': 'local-vendor' };
  /** The failures reported (volume reports left out), without their times, in a stable order. */
  const strip = (events: Record<string, unknown>[]) =>
    events
      .filter((event) => event.calls === undefined)
      .map(({ at, ...rest }) => {
        expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
        return rest;
      })
      .sort(byCode);
  const byCode = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    String(a.code).localeCompare(String(b.code));
  /** Calls counted per "vendor region" in the volume reports. */
  const callTotals = (events: Record<string, unknown>[]) => {
    const totals: Record<string, number> = {};
    for (const event of events) {
      if (event.calls === undefined) continue;
      expect(event.count).toBe(0);
      const key = `${String(event.vendor)} ${String(event.region)}`;
      totals[key] = (totals[key] ?? 0) + Number(event.calls);
    }
    return totals;
  };

  it('instrumentAxios reports 5xx, 429, refused connections and timeouts to a vendor host — not 404 or 200', async () => {
    const reporter = redisReporter();
    const client = axios.create({ timeout: 300 });
    // Registered first, so it sees the error before instrumentAxios does.
    const seen: unknown[] = [];
    client.interceptors.response.use(undefined, (error: unknown) => {
      seen.push(error);
      return Promise.reject(error);
    });
    instrumentAxios(client, reporter, {
      vendors: local,
      customer: (config) => config.headers.get('x-customer')?.toString(),
    });

    const failures: unknown[] = [];
    const call = (promise: Promise<unknown>) => promise.catch((error: unknown) => failures.push(error));
    await call(client.get(`${base}/status/503?api_key=hunter2`, { headers: { 'x-customer': 'acme' } }));
    await call(client.post(`${base}/status/429`, { a: 1 }));
    await call(client.get(`${base}/status/404`));
    const ok = await client.get<string>(`${base}/status/200`);
    await call(client.get(`http://127.0.0.1:${deadPort}/v1/rooms`));
    await call(client.get(`${base}/slow`));
    await reporter.flush();

    expect(ok.status).toBe(200);
    expect(ok.data).toBe('answer 200');
    // The app sees exactly the errors axios raised, untouched.
    expect(failures).toHaveLength(5);
    failures.forEach((error, index) => expect(error).toBe(seen[index]));
    expect((failures[0] as AxiosError).response?.status).toBe(503);
    expect((failures[3] as AxiosError).code).toBe('ECONNREFUSED');
    expect((failures[4] as AxiosError).code).toBe('ECONNABORTED');

    const base0 = { service: 'checkout', vendor: 'local-vendor', region: 'eu-west-1', count: 1 };
    expect(strip(await streamEvents())).toEqual(
      [
        { ...base0, code: 'ECONNREFUSED', endpoint: 'GET /v1/rooms' },
        { ...base0, code: 'ETIMEDOUT', endpoint: 'GET /slow' },
        { ...base0, code: 'HTTP_503', status: 503, endpoint: 'GET /status/503', customer: 'acme' },
        { ...base0, code: 'HTTP_429', status: 429, endpoint: 'POST /status/429' },
      ].sort(byCode),
    );
    // Every call the vendor answered or failed on counts, the 404 and the 200 included.
    expect(callTotals(await streamEvents())).toEqual({ 'local-vendor eu-west-1': 6 });
  });

  it('instrumentAxios reports 4xx only with reportClientErrors, and only for hosts that map to a vendor', async () => {
    const reporter = redisReporter();
    const withClientErrors = axios.create();
    instrumentAxios(withClientErrors, reporter, { vendors: local, reportClientErrors: true, region: 'eu' });
    const unmapped = axios.create();
    instrumentAxios(unmapped, reporter);
    // With validateStatus accepting everything, the answer comes back as a response, not an error.
    const permissive = axios.create({ validateStatus: () => true });
    instrumentAxios(permissive, reporter, {
      vendors: { '*.0.0.1': { vendor: 'local-vendor', region: 'lab' } },
    });

    await withClientErrors.get(`${base}/status/404`).catch(() => {});
    await unmapped.get(`${base}/status/503`).catch(() => {});
    const answered = await permissive.delete(`${base}/status/500`);
    await reporter.flush();

    expect(answered.status).toBe(500);
    expect(strip(await streamEvents())).toEqual(
      [
        {
          service: 'checkout',
          vendor: 'local-vendor',
          region: 'lab',
          code: 'HTTP_500',
          status: 500,
          count: 1,
          endpoint: 'DELETE /status/500',
        },
        {
          service: 'checkout',
          vendor: 'local-vendor',
          region: 'eu',
          code: 'HTTP_404',
          status: 404,
          count: 1,
          endpoint: 'GET /status/404',
        },
      ].sort(byCode),
    );
    // Calls to a host that maps to no vendor are not counted.
    expect(callTotals(await streamEvents())).toEqual({ 'local-vendor eu': 1, 'local-vendor lab': 1 });
  });

  it('wrapFetch reports the same failures, returns responses as they came and rethrows errors unchanged', async () => {
    const reporter = redisReporter();
    const thrown: unknown[] = [];
    const inner: FetchLike = async (input, init) => {
      try {
        return await fetch(input, init);
      } catch (error) {
        thrown.push(error);
        throw error;
      }
    };
    const wrapped = wrapFetch(inner, reporter, {
      vendors: local,
      customer: (call) => new Headers(call.init?.headers).get('x-customer') ?? undefined,
    });

    const statuses: number[] = [];
    for (const code of [503, 429, 404, 200]) {
      const response = await wrapped(`${base}/status/${code}?token=abc`, {
        method: code === 429 ? 'PUT' : 'GET',
        headers: { 'x-customer': 'acme' },
      });
      expect(await response.text()).toBe(`answer ${code}`);
      statuses.push(response.status);
    }
    expect(statuses).toEqual([503, 429, 404, 200]);

    const failures: unknown[] = [];
    await wrapped(new Request(`http://127.0.0.1:${deadPort}/v1/rooms`, { method: 'POST' })).catch(
      (e: unknown) => failures.push(e),
    );
    await wrapped(`${base}/slow`, { signal: AbortSignal.timeout(200) }).catch((e: unknown) =>
      failures.push(e),
    );
    const aborted = new AbortController();
    const callerAbort = wrapped(`${base}/slow`, { signal: aborted.signal }).catch((e: unknown) =>
      failures.push(e),
    );
    aborted.abort();
    await callerAbort;
    await reporter.flush();

    expect(failures).toHaveLength(3);
    failures.forEach((error, index) => expect(error).toBe(thrown[index]));
    expect((failures[0] as Error).message).toBe('fetch failed');
    expect((failures[1] as Error).name).toBe('TimeoutError');
    expect((failures[2] as Error).name).toBe('AbortError');

    const base0 = { service: 'checkout', vendor: 'local-vendor', region: 'eu-west-1', count: 1 };
    expect(strip(await streamEvents())).toEqual(
      [
        { ...base0, code: 'HTTP_503', status: 503, endpoint: 'GET /status/503', customer: 'acme' },
        { ...base0, code: 'ETIMEDOUT', endpoint: 'GET /slow' },
        { ...base0, code: 'ECONNREFUSED', endpoint: 'POST /v1/rooms' },
        { ...base0, code: 'HTTP_429', status: 429, endpoint: 'PUT /status/429', customer: 'acme' },
      ].sort(byCode),
    );
    // Four answers, a refused connection and a timeout: six calls. The caller's own abort is none.
    expect(callTotals(await streamEvents())).toEqual({ 'local-vendor eu-west-1': 6 });
  });

  it('N successful and M failed calls make one minute of N + M calls and M errors, sent with the batches', async () => {
    const minute = Math.floor(Date.now() / 60_000);
    const clock = () => minute * 60_000 + 30_000;
    const reporter = redisReporter({ now: clock, flushIntervalMs: 60_000 });
    const client = axios.create();
    instrumentAxios(client, reporter, { vendors: local, now: clock });
    const fetched = wrapFetch(fetch, reporter, { vendors: local, now: clock });
    const ok = 17;
    const failed = 5;
    for (let i = 0; i < ok; i++) await client.get(`${base}/status/200`);
    for (let i = 0; i < failed; i++) await fetched(`${base}/status/503`);
    // Nothing is sent per call: the counts wait in memory for the next flush.
    expect(await t.redis.xlen(t.keys.errors)).toBe(0);
    expect(reporter.stats().countedCalls).toBe(ok + failed);
    await reporter.flush();

    const batches = await streamBatches();
    expect(batches).toHaveLength(1);
    const events = batches.flat();
    expect(events.filter((e) => e.calls === undefined).map((e) => e.code)).toEqual(
      Array.from({ length: failed }, () => 'HTTP_503'),
    );
    expect(events.filter((e) => e.calls !== undefined)).toEqual([
      {
        at: new Date(minute * 60_000).toISOString(),
        service: 'checkout',
        vendor: 'local-vendor',
        region: 'eu-west-1',
        calls: ok + failed,
        count: 0,
      },
    ]);
    expect(reporter.stats()).toMatchObject({ sent: failed + 1, dropped: { invalid: 0 } });
  });

  it('countCalls: false, on the reporter or on one instrumentation, counts nothing', async () => {
    const off = redisReporter({ countCalls: false });
    const offClient = axios.create();
    instrumentAxios(offClient, off, { vendors: local });
    await offClient.get(`${base}/status/200`);
    const on = redisReporter();
    const quiet = wrapFetch(fetch, on, { vendors: local, countCalls: false });
    await quiet(`${base}/status/200`);
    await Promise.all([off.flush(), on.flush()]);
    expect(await t.redis.xlen(t.keys.errors)).toBe(0);
    expect(off.stats().countedCalls + on.stats().countedCalls).toBe(0);
  });

  it('with no errors to send, the timer sends a minute of counts once the minute is over', async () => {
    let clock = Math.floor(Date.now() / 60_000) * 60_000 + 1_000;
    // Every read of the clock, the timer's included, so the test can see the timer tick.
    let clockReads = 0;
    const reporter = redisReporter({ now: () => (clockReads++, clock), flushIntervalMs: 50 });
    for (let i = 0; i < 3; i++) reporter.countCall({ vendor: 'twilio' });
    const readsBefore = clockReads;
    await waitUntil('the timer to tick twice inside the minute', () => clockReads >= readsBefore + 2);
    expect(await t.redis.xlen(t.keys.errors)).toBe(0);
    clock += 60_000;
    reporter.countCall({ vendor: 'twilio' });
    await waitUntil('the minute of counts', async () => (await t.redis.xlen(t.keys.errors)) === 1);
    expect((await streamEvents()).map((e) => e.calls)).toEqual([3]);
    await reporter.flush();
    expect((await streamEvents()).map((e) => e.calls)).toEqual([3, 1]);
  });

  it('counts sent while Redis is unreachable are retried with the batch, not lost', async () => {
    const proxy = await createFaultyProxy();
    try {
      const reporter = redisReporter({ maxAttempts: 50, retryBaseMs: 20, retryMaxMs: 100 }, proxy.url);
      await proxy.set('refuse');
      for (let i = 0; i < 4; i++) reporter.countCall({ vendor: 'twilio', region: 'us1' });
      reporter.report({ vendor: 'twilio', region: 'us1', status: 503 });
      const flushed = reporter.flush();
      await waitUntil('a send to fail while Redis is refused', () => reporter.stats().failedAttempts > 0);
      await proxy.set('pass');
      await flushed;
      const events = await streamEvents();
      expect(events.map((e) => [e.calls, e.count])).toEqual([
        [undefined, 1],
        [4, 0],
      ]);
      expect(reporter.stats()).toMatchObject({ sent: 2, dropped: { failed: 0 } });
      expect(reporter.stats().failedAttempts).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });
});

describe('flushing at process exit', () => {
  /** Runs a small ESM program (with tsx) that builds a reporter on this file's prefix. */
  function runChild(body: string) {
    const program = `
      const { createReporter } = await import(${JSON.stringify(path.join(repoRoot, 'src/client/index.ts'))});
      const reporter = createReporter(
        { redisUrl: ${JSON.stringify(redisUrl)}, prefix: ${JSON.stringify(t.prefix)} },
        { service: 'child', flushIntervalMs: 60000 },
      );
      ${body}
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const ready = async () => waitUntil('the child to be ready', () => stdout.includes('ready'));
    return { child, exited, ready, output: () => ({ stdout, stderr }) };
  }

  it('flushes queued events when the app runs out of work (beforeExit), and the process still exits', async () => {
    const run = runChild(`for (const code of ['A', 'B', 'C']) reporter.report({ code });`);
    const { code } = await run.exited;
    expect(code, run.output().stderr).toBe(0);
    expect((await streamEvents()).map((event) => event.code)).toEqual(['A', 'B', 'C']);
  });

  it('on SIGTERM with no handler of the app: flushes, then dies of SIGTERM as Node would', async () => {
    const run = runChild(`
      reporter.report({ code: 'A' });
      reporter.report({ code: 'B' });
      setInterval(() => {}, 1000);
      console.log('ready');
    `);
    await run.ready();
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect((await streamEvents()).map((event) => event.code)).toEqual(['A', 'B']);
  });

  it("on SIGTERM with the app's own handler: flushes and leaves exiting to the app", async () => {
    const run = runChild(`
      process.on('SIGTERM', () => {
        console.log('app handler');
        setTimeout(() => process.exit(7), 1000);
      });
      reporter.report({ code: 'A' });
      setInterval(() => {}, 1000);
      console.log('ready');
    `);
    await run.ready();
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 7, signal: null });
    expect(run.output().stdout).toContain('app handler');
    expect((await streamEvents()).map((event) => event.code)).toEqual(['A']);
  });
});

import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApp, type RunningApp } from '../src/app.js';
import { parseConfig, type Config } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics/metrics.js';
import { renderMetrics } from '../src/metrics/route.js';
import { scrapeGauges } from '../src/metrics/scrape.js';
import { connectRedis } from '../src/store/redis.js';
import { statuspagePayloads } from './support/payloads.js';
import { matching, parseExposition, sampleValue, type Exposition } from './support/prom-text.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';
import { waitUntil } from './support/wait.js';

const ingestToken = 'ingest-token-0123456789abcdef';
const readToken = 'read-token-0123456789abcdefgh';
const metricsToken = 'metrics-token-0123456789abcdef';

async function scrape(apiUrl: string, token = metricsToken): Promise<Exposition> {
  const res = await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

/** Scrapes until `read` of the exposition holds, and answers that exposition. */
function scrapeUntil(apiUrl: string, what: string, done: (e: Exposition) => boolean): Promise<Exposition> {
  return waitUntil(what, () => scrape(apiUrl), { until: done, intervalMs: 200, timeoutMs: 30_000 });
}

const total = (e: Exposition, name: string, labels: Record<string, string>) =>
  matching(e, name, labels).reduce((sum, s) => sum + s.value, 0);

function post(apiUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${apiUrl}/v1/errors`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('/metrics of a running upcause', () => {
  let t: TestRedis;
  let pages: VendorServer;
  let sink: VendorServer;
  let config: Config;
  let app: RunningApp;
  let apiUrl: string;
  let secondApi: RunningApp | null = null;

  beforeAll(async () => {
    const payloads = await statuspagePayloads();
    pages = await startVendorServer((req, res) => {
      if (req.url === '/alpha/api/v2/summary.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.summary);
      if (req.url === '/alpha/api/v2/incidents.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.incidents);
      // beta's page is down.
      if (req.url?.startsWith('/beta/')) return res.writeHead(503).end('unavailable');
      res.writeHead(404).end();
    });
    // `gone` answers 410: its deliveries fail for good.
    sink = await startVendorServer((req, res) =>
      req.url === '/gone' ? res.writeHead(410).end('gone') : res.writeHead(200).end('ok'),
    );
    t = await createTestRedis('metrics');
    config = parseConfig(
      {
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: [
          { id: 'alpha', name: 'Alpha', provider: 'statuspage', url: `${pages.baseUrl}/alpha` },
          { id: 'beta', name: 'Beta', provider: 'statuspage', url: `${pages.baseUrl}/beta` },
        ],
        poll: { interval: '1s', timeout: '2s', allowPrivateNetworks: true },
        api: {
          port: 0,
          tokens: [
            { name: 'producer', token: ingestToken, scopes: ['ingest'] },
            { name: 'dashboard', token: readToken, scopes: ['read'] },
            { name: 'prometheus', token: metricsToken, scopes: ['metrics'] },
          ],
        },
        sinks: [
          {
            type: 'webhook',
            name: 'hook',
            url: `${sink.baseUrl}/hook`,
            secret: 'whsec_bWV0cmljcy10ZXN0LXNpZ25pbmcta2V5LTAxMjM0NQ==',
          },
          {
            type: 'webhook',
            name: 'gone',
            url: `${sink.baseUrl}/gone`,
            secret: 'whsec_bWV0cmljcy10ZXN0LXNpZ25pbmcta2V5LTAxMjM0NQ==',
          },
        ],
        metrics: { publishInterval: '1s' },
      },
      {},
      'test',
    );
    app = await startApp(config, new Set(['api', 'worker', 'scheduler']), createLogger('silent'));
    apiUrl = app.apiUrl!;
  });

  afterAll(async () => {
    await secondApi?.close(5000);
    await app?.close(5000);
    await pages?.close();
    await sink?.close();
    await t?.cleanup();
  });

  test('/metrics takes a token with the metrics scope: none is 401, a read token 403', async () => {
    expect((await fetch(`${apiUrl}/metrics`)).status).toBe(401);
    const read = await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${readToken}` } });
    expect(read.status).toBe(403);
    expect(((await read.json()) as { error: string }).error).toContain('"metrics" scope');
    await scrape(apiUrl);
  });

  test('polls are counted by vendor and outcome, with latency histograms, and freshness is read from vendor health', async () => {
    const e = await scrapeUntil(
      apiUrl,
      'a good poll of alpha and a failed one of beta',
      (x) =>
        total(x, 'upcause_polls_total', { vendor: 'alpha', outcome: 'ok' }) +
          total(x, 'upcause_polls_total', { vendor: 'alpha', outcome: 'not-modified' }) >
          0 && total(x, 'upcause_polls_total', { vendor: 'beta', outcome: 'http' }) > 0,
    );
    expect(e.types.get('upcause_polls_total')).toBe('counter');
    expect(e.types.get('upcause_poll_duration_seconds')).toBe('histogram');
    expect(sampleValue(e, 'upcause_poll_duration_seconds_count', { vendor: 'alpha' })).toBeGreaterThan(0);
    expect(sampleValue(e, 'upcause_parse_duration_seconds_count', { vendor: 'alpha' })).toBeGreaterThan(0);
    // A failed poll has a poll latency but no parse of a page.
    expect(sampleValue(e, 'upcause_poll_duration_seconds_count', { vendor: 'beta' })).toBeGreaterThan(0);
    expect(matching(e, 'upcause_parse_duration_seconds_count', { vendor: 'beta' })).toEqual([]);
    expect(matching(e, 'upcause_polls_total', { vendor: 'beta', outcome: 'ok' })).toEqual([]);

    const alpha = sampleValue(e, 'upcause_vendor_freshness_seconds', { vendor: 'alpha' });
    expect(Number.isFinite(alpha) && alpha >= 0).toBe(true);
    expect(sampleValue(e, 'upcause_vendor_freshness_seconds', { vendor: 'beta' })).toBe(Infinity);
  });

  test('ingest events are counted accepted, rejected and deduplicated, over HTTP and by the stream consumer', async () => {
    const at = new Date().toISOString();
    const event = (id: string) => ({ at, service: 'checkout', vendor: 'alpha', status: 502, id });
    expect((await post(apiUrl, event('evt-1'))).status).toBe(202);
    expect((await post(apiUrl, { at, vendor: 'alpha' })).status).toBe(400);
    const keyed = { 'idempotency-key': 'metrics-request-1' };
    expect((await post(apiUrl, event('evt-2'), keyed)).status).toBe(202);
    expect((await post(apiUrl, event('evt-2'), keyed)).status).toBe(200);
    // Accepted over HTTP, then counted once by the consumer: the producer id was seen.
    expect((await post(apiUrl, event('evt-1'))).status).toBe(202);
    // Written to the stream directly, unreadable.
    await t.redis.xadd(t.keys.errors, '*', 'at', 'not a time', 'service', 'checkout');

    const stream = (x: Exposition, outcome: string) =>
      sampleValue(x, 'upcause_ingest_events_total', { source: 'stream', outcome });
    const e = await scrapeUntil(
      apiUrl,
      'the consumer to count every entry',
      (x) => stream(x, 'accepted') + stream(x, 'deduplicated') + stream(x, 'rejected') >= 4,
    );
    const http = (outcome: string) =>
      sampleValue(e, 'upcause_ingest_events_total', { source: 'http', outcome });
    expect([http('accepted'), http('rejected'), http('deduplicated'), http('unavailable')]).toEqual([
      3, 1, 1, 0,
    ]);
    expect([stream(e, 'accepted'), stream(e, 'rejected'), stream(e, 'deduplicated')]).toEqual([2, 1, 1]);
    // Everything read was acknowledged.
    expect(sampleValue(e, 'upcause_stream_pending', { stream: 'errors', group: 'ingest' })).toBe(0);
    expect(sampleValue(e, 'upcause_stream_lag', { stream: 'errors', group: 'ingest' })).toBe(0);
    expect(sampleValue(e, 'upcause_stream_length', { stream: 'errors' })).toBe(4);
  });

  test('an incident is evaluated: correlation time, the annotation by verdict and its delivery to the sink', async () => {
    const res = await fetch(`${apiUrl}/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'INC-1',
        service: 'checkout',
        title: 'Checkout fails',
        startedAt: new Date().toISOString(),
        resolvedAt: null,
        regions: [],
        customers: [],
      }),
    });
    expect(res.status).toBe(201);
    const e = await scrapeUntil(
      apiUrl,
      'the annotation delivered',
      (x) =>
        total(x, 'upcause_deliveries_total', { sink: 'hook', outcome: 'delivered' }) > 0 &&
        total(x, 'upcause_deliveries_total', { sink: 'gone', outcome: 'dropped' }) > 0,
    );
    const verdicts = matching(e, 'upcause_annotations_total').filter((s) => s.value > 0);
    expect(verdicts.map((s) => s.labels.verdict)).toHaveLength(1);
    expect(['upstream', 'unclear', 'internal']).toContain(verdicts[0]!.labels.verdict);
    expect(sampleValue(e, 'upcause_correlation_duration_seconds_count')).toBeGreaterThan(0);
    expect(matching(e, 'upcause_deliveries_total', { sink: 'hook', outcome: 'dropped' })).toEqual([]);
    expect(matching(e, 'upcause_deliveries_total', { sink: 'gone', outcome: 'delivered' })).toEqual([]);
    expect(
      matching(e, 'upcause_stream_pending', { stream: 'incident-changes', group: 'annotator' }),
    ).toHaveLength(1);
  });

  test('scrape-time gauges: Redis round trip, queue depths, dead letters; Node process metrics carry process and role', async () => {
    let e = await scrapeUntil(
      apiUrl,
      'a poll job completed',
      (x) => sampleValue(x, 'upcause_queue_jobs', { queue: 'poll', state: 'completed' }) > 0,
    );
    expect(sampleValue(e, 'upcause_redis_up')).toBe(1);
    expect(sampleValue(e, 'upcause_redis_ping_seconds')).toBeGreaterThan(0);
    expect(sampleValue(e, 'upcause_dead_letter_entries')).toBe(0);
    for (const queue of ['poll', 'suspect', 'annotate', 'alerts', 'deliver']) {
      expect(matching(e, 'upcause_queue_jobs', { queue, state: 'waiting' })).toHaveLength(1);
      expect(sampleValue(e, 'upcause_queue_oldest_waiting_seconds', { queue })).toBeGreaterThanOrEqual(0);
    }
    expect(sampleValue(e, 'upcause_queue_jobs', { queue: 'poll', state: 'completed' })).toBeGreaterThan(0);
    const cpu = matching(e, 'process_cpu_user_seconds_total');
    expect(cpu).toHaveLength(1);
    expect(cpu[0]!.labels.role).toBe('api+scheduler+worker');
    expect(cpu[0]!.labels.process).toContain(`:${process.pid}:`);
    expect(sampleValue(e, 'upcause_metrics_processes')).toBe(1);

    await t.redis.xadd(t.keys.deadLetters, '*', 'reason', 'kept failing', 'source-id', '1-0', 'tries', '5');
    await t.redis.xadd(t.keys.deadLetters, '*', 'reason', 'kept failing', 'source-id', '2-0', 'tries', '5');
    e = await scrape(apiUrl);
    expect(sampleValue(e, 'upcause_dead_letter_entries')).toBe(2);
  });

  test('the Grafana dashboard queries only metrics /metrics serves, through a data-source variable', async () => {
    const dashboard = JSON.parse(readFileSync('docs/grafana-dashboard.json', 'utf8')) as {
      templating: { list: Array<{ name: string; type: string; query: unknown }> };
      panels: Array<{ type: string; datasource?: { uid: string }; targets?: Array<{ expr: string }> }>;
    };
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
    const queried = dashboard.panels.filter((p) => p.type !== 'row');
    expect(queried.every((p) => p.datasource?.uid === '${datasource}')).toBe(true);
    const names = new Set(
      queried.flatMap((p) =>
        (p.targets ?? []).flatMap((t) => t.expr.match(/\b(?:upcause|process|nodejs)_\w+/g) ?? []),
      ),
    );
    const e = await scrape(apiUrl);
    // A family is declared even before its first sample; histogram series end in _bucket, _sum, _count.
    const declared = (name: string) =>
      e.types.has(name) || e.types.get(name.replace(/_(bucket|sum|count)$/, '')) === 'histogram';
    expect([...names].filter((name) => !declared(name))).toEqual([]);
    // Every upcause family is on the dashboard.
    const families = [...e.types.keys()].filter((name) => name.startsWith('upcause_'));
    const shown = (family: string) =>
      [...names].some((name) => name === family || name.startsWith(`${family}_`));
    expect(families.filter((family) => !shown(family))).toEqual([]);
  });

  test('another API process answers the whole picture: the counters this process published', async () => {
    secondApi = await startApp(config, new Set(['api']), createLogger('silent'));
    const e = await scrapeUntil(
      apiUrl,
      'the second API published',
      (x) => sampleValue(x, 'upcause_metrics_processes') === 2,
    );
    expect(sampleValue(e, 'upcause_metrics_processes')).toBe(2);
    // What the first process counted since its last publication shows at the next one.
    const betaFailures = (x: Exposition) =>
      total(x, 'upcause_polls_total', { vendor: 'beta', outcome: 'http' });
    const httpAccepted = (x: Exposition) =>
      sampleValue(x, 'upcause_ingest_events_total', { source: 'http', outcome: 'accepted' });
    const mine = await scrapeUntil(apiUrl, 'a failed poll of beta', (x) => betaFailures(x) > 0);
    const other = await scrapeUntil(
      secondApi.apiUrl!,
      "the first process's counters",
      (x) => betaFailures(x) >= betaFailures(mine) && httpAccepted(x) === httpAccepted(mine),
    );
    expect(sampleValue(other, 'upcause_metrics_processes')).toBe(2);
    expect(betaFailures(other)).toBeGreaterThan(0);
    // Node's process metrics stay one series per process.
    const roles = matching(other, 'process_cpu_user_seconds_total')
      .map((s) => s.labels.role)
      .sort();
    expect(roles).toEqual(['api', 'api+scheduler+worker']);
    await secondApi.close(5000);
    secondApi = null;
    const after = await scrape(apiUrl);
    expect(sampleValue(after, 'upcause_metrics_processes')).toBe(1);
  });
});

describe('/metrics without Redis', () => {
  test("answers this process's own counters with upcause_redis_up 0", async () => {
    const t = await createTestRedis('metrics-down');
    const redis = await connectRedis(redisUrl, 'producer', 'metrics-down-test');
    try {
      const config = parseConfig({ redis: { url: redisUrl, prefix: t.prefix }, vendors: [] }, {}, 'test');
      const metrics = createMetrics({ process: 'here', roles: ['api'] });
      metrics.ingestEvents.inc({ source: 'http', outcome: 'accepted' }, 7);
      // The connection is gone: every command fails at once, as with Redis down.
      redis.disconnect();
      const { text } = await renderMetrics({
        config,
        redis,
        keys: t.keys,
        metrics,
        queues: [],
        logger: createLogger('silent'),
      });
      const e = parseExposition(text);
      expect(sampleValue(e, 'upcause_redis_up')).toBe(0);
      expect(sampleValue(e, 'upcause_ingest_events_total', { source: 'http', outcome: 'accepted' })).toBe(7);
      expect(sampleValue(e, 'upcause_metrics_processes')).toBe(1);
      expect(matching(e, 'upcause_queue_jobs')).toEqual([]);
    } finally {
      redis.disconnect();
      await t.cleanup();
    }
  });
});

describe('scrape-time gauges read from Redis', () => {
  let t: TestRedis;
  beforeAll(async () => {
    t = await createTestRedis('metrics-gauges');
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  test('consumer-group lag and pending per stream, and the oldest waiting job since it was due', async () => {
    for (let i = 0; i < 3; i++) await t.redis.xadd(t.keys.errors, '*', 'n', String(i));
    await t.redis.xgroup('CREATE', t.keys.errors, 'ingest', '0');
    await t.redis.xreadgroup('GROUP', 'ingest', 'c1', 'COUNT', 1, 'STREAMS', t.keys.errors, '>');
    const queue = new Queue('poll', { connection: t.redis, prefix: t.keys.bull });
    try {
      await queue.add('poll', { vendor: 'a' }, { timestamp: Date.now() - 120_000 });
      await queue.add('poll', { vendor: 'b' });
      const registry = await scrapeGauges({ redis: t.redis, keys: t.keys, vendors: ['a'], queues: [queue] });
      const e = parseExposition(await registry.metrics());
      expect(sampleValue(e, 'upcause_stream_lag', { stream: 'errors', group: 'ingest' })).toBe(2);
      expect(sampleValue(e, 'upcause_stream_pending', { stream: 'errors', group: 'ingest' })).toBe(1);
      expect(matching(e, 'upcause_stream_lag', { stream: 'incident-changes' })).toEqual([]);
      expect(sampleValue(e, 'upcause_queue_jobs', { queue: 'poll', state: 'waiting' })).toBe(2);
      expect(
        sampleValue(e, 'upcause_queue_oldest_waiting_seconds', { queue: 'poll' }),
      ).toBeGreaterThanOrEqual(120);
      expect(sampleValue(e, 'upcause_vendor_freshness_seconds', { vendor: 'a' })).toBe(Infinity);
    } finally {
      await queue.close();
    }
  });
});

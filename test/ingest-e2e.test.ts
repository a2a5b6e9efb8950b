import http from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApp, type RunningApp } from '../src/app.js';
import { createReporter, instrumentAxios, wrapFetch } from '../src/client/index.js';
import { parseConfig } from '../src/config.js';
import { loadCorrelationInput } from '../src/store/correlation-input.js';
import { correlate } from '../src/core/correlate/score.js';
import { createIncidentStore } from '../src/store/incidents.js';
import { readBuckets } from '../src/store/error-buckets.js';
import { createLogger } from '../src/logger.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

const token = 'ingest-token-0123456789abcdef';

/** Waits until the buckets hold at least `expected` events and returns the total. */
async function waitForTotal(t: TestRedis, from: number, expected: number, service?: string): Promise<number> {
  const read = async () =>
    (await readBuckets(t.redis, t.keys, { from, to: Date.now() + 60_000, ...(service ? { service } : {}) }))
      .total;
  return waitUntil(`${expected} events${service ? ` from ${service}` : ''}`, read, {
    until: (total) => total >= expected,
    intervalMs: 100,
  });
}

describe('all three ingest paths end to end through `upcause start`', () => {
  let t: TestRedis;
  let app: RunningApp;
  const from = Date.now() - 60_000;

  beforeAll(async () => {
    t = await createTestRedis('ingest-e2e');
    const config = parseConfig(
      {
        redis: { url: redisUrl, prefix: t.prefix },
        api: { port: 0, tokens: [{ name: 'producer', token, scopes: ['ingest'] }] },
        ingest: { claimAfter: '2s' },
      },
      {},
      'test',
    );
    app = await startApp(config, new Set(['api', 'worker']), createLogger('silent'));
  });
  afterAll(async () => {
    await app?.close(5000);
    await t?.cleanup();
  });

  test('a plain XADD of flat fields, as any language would write it, lands in the minute bucket', async () => {
    const at = new Date().toISOString();
    await t.redis.xadd(
      t.keys.errors,
      'MAXLEN',
      '~',
      1000,
      '*',
      'at',
      at,
      'service',
      'py-worker',
      'vendor',
      '100ms',
      'region',
      'eu-west-1',
      'status',
      '502',
      'count',
      '3',
    );
    expect(await waitForTotal(t, from, 3, 'py-worker')).toBe(3);
    const { series } = await readBuckets(t.redis, t.keys, {
      from,
      to: Date.now() + 60_000,
      service: 'py-worker',
    });
    expect(series[0]).toMatchObject({
      vendor: '100ms',
      region: 'eu-west-1',
      code: 'HTTP_502',
      errorClass: 'server',
      count: 3,
    });
  });

  test('POST /v1/errors with NDJSON is counted, and a bad line is rejected with its reason', async () => {
    const now = new Date().toISOString();
    const lines = [
      JSON.stringify({ at: now, service: 'http-svc', vendor: 'twilio', status: 503 }),
      JSON.stringify({ at: now, service: 'http-svc', vendor: 'twilio', code: 'ETIMEDOUT', count: 4 }),
      JSON.stringify({ at: 'yesterday', service: 'http-svc' }),
    ].join('\n');
    const res = await fetch(`${app.apiUrl}/v1/errors`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      body: lines,
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      accepted: number;
      rejected: Array<{ index: number; reason: string }>;
    };
    expect(body.accepted).toBe(2);
    expect(body.rejected).toEqual([{ index: 2, reason: expect.stringMatching(/at/) }]);
    expect(await waitForTotal(t, from, 5, 'http-svc')).toBe(5);
  });

  test('the Node client in Redis mode reaches the buckets', async () => {
    const reporter = createReporter(
      { redisUrl, prefix: t.prefix },
      { service: 'node-svc', region: 'us-east-1', handleExit: false },
    );
    for (let i = 0; i < 250; i++) reporter.report({ vendor: 'stripe', status: 500, customer: `c${i % 10}` });
    await reporter.close();
    expect(await waitForTotal(t, from, 250, 'node-svc')).toBe(250);
    const counts = await readBuckets(t.redis, t.keys, { from, to: Date.now() + 60_000, service: 'node-svc' });
    expect(counts.customers).toBe(10);
  });

  test('call volume end to end: client → stream and HTTP → buckets → correlation input → scorer', async () => {
    // A vendor stand-in on port 0: /ok answers 200, anything else 503.
    const vendor = http.createServer((request, response) => {
      response.writeHead(request.url === '/ok' ? 200 : 503).end();
    });
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
    const vendors = { '127.0.0.1': 'twilio' };
    const options = { service: 'sms-svc', region: 'eu-west-1', handleExit: false };
    const viaRedis = createReporter({ redisUrl, prefix: t.prefix }, options);
    const viaHttp = createReporter({ apiUrl: app.apiUrl as string, token }, options);
    try {
      const client = axios.create({ validateStatus: () => true });
      instrumentAxios(client, viaRedis, { vendors });
      const fetched = wrapFetch(fetch, viaHttp, { vendors });
      for (let i = 0; i < 40; i++) await client.get(`${base}/ok`);
      for (let i = 0; i < 6; i++) await client.get(`${base}/fail`);
      for (let i = 0; i < 30; i++) await fetched(`${base}/ok`);
      for (let i = 0; i < 4; i++) await fetched(`${base}/fail`);
      await Promise.all([viaRedis.close(), viaHttp.close()]);
      expect(viaRedis.stats()).toMatchObject({ countedCalls: 46, dropped: { invalid: 0, rejected: 0 } });
      expect(viaHttp.stats()).toMatchObject({ countedCalls: 34, dropped: { invalid: 0, rejected: 0 } });
    } finally {
      await new Promise<void>((resolve) => vendor.close(() => resolve()));
    }

    // Both paths land in the same buckets: 80 calls, 10 of them failed.
    const read = await waitUntil(
      '80 calls and 10 failures from sms-svc',
      () => readBuckets(t.redis, t.keys, { from, to: Date.now() + 60_000, service: 'sms-svc' }),
      { until: (r) => r.totalCalls >= 80 && r.total >= 10, intervalMs: 100 },
    );
    expect([read.totalCalls, read.total]).toEqual([80, 10]);
    expect(new Set(read.calls.map((c) => `${c.vendor} ${c.region}`))).toEqual(new Set(['twilio eu-west-1']));

    const now = new Date();
    await createIncidentStore(t.redis, t.keys).upsert({
      id: 'INC-CALLS',
      service: 'sms-svc',
      title: 'SMS sends failing',
      startedAt: new Date(now.getTime() - 60_000).toISOString(),
      resolvedAt: null,
      regions: ['eu-west-1'],
      customers: [],
    });
    const input = await loadCorrelationInput(
      {
        redis: t.redis,
        keys: t.keys,
        config: {
          services: [
            { name: 'sms-svc', regions: ['eu-west-1'], dependsOn: [{ vendor: 'twilio', components: [] }] },
          ],
          vendors: [{ id: 'twilio', name: 'Twilio' }],
        },
      },
      'INC-CALLS',
      now,
    );
    expect(input).not.toBeNull();
    const calls = input?.calls ?? [];
    expect(calls.every((c) => c.service === 'sms-svc' && c.vendor === 'twilio')).toBe(true);
    expect(calls.reduce((sum, c) => sum + c.calls, 0)).toBe(80);
    // Errors of the vendor from other services (an earlier test's http-svc) are selected too.
    const ours = input?.errors.filter((e) => e.series.service === 'sms-svc') ?? [];
    expect(ours.reduce((sum, e) => sum + e.count, 0)).toBe(10);

    const annotation = correlate(input!);
    const twilio = annotation.candidates.find((c) => c.vendor === 'twilio');
    expect(twilio, JSON.stringify(annotation)).toBeDefined();
    expect(twilio?.evidence.join('\n')).toMatch(/\bcalls\b/);
  });
});

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApp, type RunningApp } from '../src/app.js';
import { createReporter } from '../src/client/index.js';
import { parseConfig } from '../src/config.js';
import { readBuckets } from '../src/ingest/buckets.js';
import { createLogger } from '../src/logger.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';

const token = 'ingest-token-0123456789abcdef';

/** Polls until the buckets hold `expected` events, or gives up after a few seconds. */
async function waitForTotal(t: TestRedis, from: number, expected: number, service?: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  let total = 0;
  while (Date.now() < deadline) {
    total = (
      await readBuckets(t.redis, t.keys, { from, to: Date.now() + 60_000, ...(service ? { service } : {}) })
    ).total;
    if (total >= expected) return total;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return total;
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
});

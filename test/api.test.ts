import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApp, type RunningApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { statuspagePayloads } from './support/payloads.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';
import { waitUntil } from './support/wait.js';

const readToken = 'read-token-0123456789abcdef';
const ingestToken = 'ingest-token-0123456789abcdef';

interface VendorsBody {
  vendors: Array<{
    id: string;
    status: { indicator: string };
    health: { state: string; lastAttemptAt: string | null };
  }>;
}

describe('upcause start, all roles in one process', () => {
  let server: VendorServer;
  let t: TestRedis;
  let app: RunningApp;

  beforeAll(async () => {
    const payloads = await statuspagePayloads();
    server = await startVendorServer((req, res) => {
      if (req.url === '/up/api/v2/summary.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.summary);
      if (req.url === '/up/api/v2/incidents.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.incidents);
      if (req.url?.startsWith('/up/')) return res.writeHead(404).end();
      res.writeHead(503).end();
    });
    t = await createTestRedis('api');
    const config = parseConfig(
      {
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: [
          { id: 'up', name: 'Up', provider: 'statuspage', url: `${server.baseUrl}/up` },
          { id: 'down', name: 'Down', provider: 'statuspage', url: `${server.baseUrl}/down` },
        ],
        poll: { interval: '1s', timeout: '2s', allowPrivateNetworks: true },
        api: {
          port: 0,
          tokens: [
            { name: 'dashboard', token: readToken, scopes: ['read'] },
            { name: 'producer', token: ingestToken, scopes: ['ingest'] },
          ],
        },
      },
      {},
      'test',
    );
    app = await startApp(config, new Set(['api', 'worker', 'scheduler']), createLogger('silent'));
  });

  afterAll(async () => {
    await app?.close(5000);
    await server?.close();
    await t?.cleanup();
  });

  test('GET /healthz answers without a token', async () => {
    const res = await fetch(`${app.apiUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', redis: 'ok', vendors: 2 });
  });

  test('GET /v1/vendors needs a token with the read scope', async () => {
    expect((await fetch(`${app.apiUrl}/v1/vendors`)).status).toBe(401);
    const wrongScope = await fetch(`${app.apiUrl}/v1/vendors`, {
      headers: { authorization: `Bearer ${ingestToken}` },
    });
    expect(wrongScope.status).toBe(403);
    expect(await wrongScope.json()).toEqual({ error: 'token "producer" lacks the "read" scope' });
    const unknown = await fetch(`${app.apiUrl}/v1/vendors`, {
      headers: { authorization: `Bearer ${readToken}x` },
    });
    expect(unknown.status).toBe(401);
  });

  test('GET /v1/vendors shows the polled vendor healthy and the failing one unknown', async () => {
    const body = await waitUntil(
      'every vendor to have been polled',
      async () => {
        const res = await fetch(`${app.apiUrl}/v1/vendors`, {
          headers: { authorization: `Bearer ${readToken}` },
        });
        return (await res.json()) as VendorsBody;
      },
      { until: (b) => b.vendors.every((v) => Boolean(v.health.lastAttemptAt)), intervalMs: 200 },
    );
    const up = body?.vendors.find((v) => v.id === 'up');
    const down = body?.vendors.find((v) => v.id === 'down');
    expect(up?.health, JSON.stringify(body)).toMatchObject({ state: 'ok' });
    expect(up?.status.indicator).not.toBe('unknown');
    expect(down).toMatchObject({
      status: { indicator: 'unknown' },
      health: { state: 'unreachable', lastErrorKind: 'http' },
    });
  });
});

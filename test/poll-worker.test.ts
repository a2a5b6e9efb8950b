import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseIncidents, parseSummary } from '../providers/statuspage.js';
import { parseConfig } from '../src/config.js';
import type { VendorStore } from '../src/store/vendors.js';
import { statuspagePayloads } from './support/payloads.js';
import { startPollWorker, type RunningPollWorker } from './support/poll-worker.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

const modes = ['ok', 'etag', 'fail500', 'hang', 'badjson', 'html', 'huge'] as const;
type Mode = (typeof modes)[number];

describe('poll worker end to end (real Redis, real HTTP server, BullMQ)', () => {
  let server: VendorServer;
  let t: TestRedis;
  let store: VendorStore;
  let worker: RunningPollWorker;
  let payloads: Awaited<ReturnType<typeof statuspagePayloads>>;
  // Each vendor's behaviour; a test may switch a vendor to another mode.
  const behaviour = new Map<string, Mode>(modes.map((m) => [m, m]));
  // What the server saw, in order: `<vendor> <file>` on each request, `<vendor> closed` when a hung one is dropped.
  const seen: string[] = [];

  function serve(
    mode: Mode,
    file: 'summary' | 'incidents' | 'other',
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ) {
    const body = file === 'summary' ? payloads.summary : file === 'incidents' ? payloads.incidents : null;
    switch (mode) {
      case 'ok':
        if (!body) return res.writeHead(404).end();
        return res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      case 'etag': {
        if (!body) return res.writeHead(404).end();
        const etag = `"${file}-v1"`;
        if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
        return res.writeHead(200, { 'content-type': 'application/json', etag }).end(body);
      }
      case 'fail500':
        return res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream exploded');
      case 'hang':
        res.on('close', () => seen.push(`${String(req.url).split('/')[1]} closed`));
        return; // never answers
      case 'badjson':
        return res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"page": {"id": "x"}, "components": [');
      case 'html':
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><html><body><h1>502 Bad Gateway</h1><p>cloudfront</p></body></html>');
      case 'huge': {
        // 20 MB streamed in chunks, no content-length: the client must cut it off, not buffer it.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 20 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => {});
        return pump();
      }
    }
  }

  beforeAll(async () => {
    payloads = await statuspagePayloads();
    server = await startVendorServer((req, res) => {
      const [, vendor, ...rest] = (req.url ?? '').split('/');
      const path = `/${rest.join('/')}`;
      const file =
        path === '/api/v2/summary.json'
          ? 'summary'
          : path === '/api/v2/incidents.json'
            ? 'incidents'
            : 'other';
      seen.push(`${vendor} ${file}`);
      serve(behaviour.get(vendor ?? '') ?? 'fail500', file, req, res);
    });
    t = await createTestRedis('poll');
    const config = parseConfig(
      {
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: modes.map((m) => ({
          id: m.toLowerCase(),
          name: m,
          provider: 'statuspage',
          url: `${server.baseUrl}/${m}`,
        })),
        poll: { timeout: '1s', maxBodySize: '2MiB', allowPrivateNetworks: true, concurrency: 8 },
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

  /** Enqueues one poll per vendor and waits for each to finish; returns the outcomes. */
  async function pollAll(vendors: readonly string[]) {
    return { outcomes: await Promise.all(vendors.map((vendor) => worker.poll(vendor))) };
  }

  test('each page fault ends in the right incidents and health, and healthy vendors are not held up', async () => {
    seen.length = 0;
    const { outcomes } = await pollAll(modes);
    const expectedIncidents = new Set([
      ...parseSummary(payloads.summary, 'x', new Date()).incidents.map((i) => i.id),
      ...parseIncidents(payloads.incidents, 'x').map((i) => i.id),
    ]);
    expect(expectedIncidents.size).toBeGreaterThan(0);

    for (const vendor of ['ok', 'etag']) {
      const view = await store.view(vendor);
      expect(view.health.state, vendor).toBe('ok');
      expect(view.status.indicator, vendor).not.toBe('unknown');
      const stored = await store.listIncidents(vendor);
      expect(new Set(stored.map((i) => i.id)), vendor).toEqual(expectedIncidents);
    }
    const failures: Record<string, { state: string; kind: string }> = {
      fail500: { state: 'unreachable', kind: 'http' },
      hang: { state: 'unreachable', kind: 'timeout' },
      badjson: { state: 'parse_error', kind: 'parse' },
      html: { state: 'parse_error', kind: 'parse' },
      huge: { state: 'parse_error', kind: 'too-large' },
    };
    for (const [vendor, expected] of Object.entries(failures)) {
      const view = await store.view(vendor);
      expect({ state: view.health.state, kind: view.health.lastErrorKind }, vendor).toEqual(expected);
      expect(view.status.indicator, vendor).toBe('unknown');
      expect(view.health.consecutiveFailures, vendor).toBe(1);
      expect(await store.listIncidents(vendor), vendor).toEqual([]);
      expect(outcomes.find((o) => o.vendor === vendor)?.ok, vendor).toBe(false);
    }
    // Every other vendor, also those enqueued after the hung one, is polled while the hung one still holds its
    // connection: none waits out its timeout in line behind it.
    const hangClosed = seen.indexOf('hang closed');
    expect(hangClosed, seen.join(', ')).toBeGreaterThan(-1);
    for (const vendor of modes.filter((m) => m !== 'hang')) {
      const first = seen.findIndex((event) => event.startsWith(`${vendor} `));
      expect(first, `${vendor} in ${seen.join(', ')}`).toBeGreaterThan(-1);
      expect(first, `${vendor} in ${seen.join(', ')}`).toBeLessThan(hangClosed);
    }
  });

  test('an unchanged page costs a 304 and writes no incident changes', async () => {
    const before = server.requests.length;
    const changesBefore = await t.redis.xlen(t.keys.vendorChanges);
    await pollAll(['etag']);
    const summaryRequest = server.requests.slice(before).find((r) => r.path === '/etag/api/v2/summary.json');
    expect(summaryRequest?.headers['if-none-match']).toBe('"summary-v1"');
    // A 304 on the summary means nothing changed: the incident list is not fetched again.
    expect(server.requests.slice(before).some((r) => r.path === '/etag/api/v2/incidents.json')).toBe(false);
    expect(await t.redis.xlen(t.keys.vendorChanges)).toBe(changesBefore);
    expect((await store.view('etag')).health.state).toBe('ok');
  });

  test('a vendor that starts failing turns unknown but keeps what we stored', async () => {
    const storedBefore = (await store.listIncidents('ok')).length;
    behaviour.set('ok', 'fail500');
    try {
      await pollAll(['ok']);
    } finally {
      behaviour.set('ok', 'ok');
    }
    const view = await store.view('ok');
    expect(view.status.indicator).toBe('unknown');
    expect(view.health).toMatchObject({
      state: 'unreachable',
      lastErrorKind: 'http',
      consecutiveFailures: 1,
    });
    expect((await store.listIncidents('ok')).length).toBe(storedBefore);
    await pollAll(['ok']);
    expect((await store.view('ok')).status.indicator).not.toBe('unknown');
  });

  test('a job for a vendor that is not configured fails without retry', async () => {
    const { outcomes } = await pollAll(['not-configured']);
    expect(outcomes[0]).toMatchObject({ ok: false });
    expect(outcomes[0]?.message).toMatch(/not configured/);
  });
});

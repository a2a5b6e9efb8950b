import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig } from '../src/config.js';
import { runCli, spawnCli, stop } from './support/cli.js';
import { statuspagePayloads } from './support/payloads.js';
import { startPollWorker, type RunningPollWorker } from './support/poll-worker.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';
import { waitUntil } from './support/wait.js';

const levels = 100_000;
/**
 * A Statuspage HTML page nested 100k levels deep: the HTML tree builder takes minutes and hundreds of
 * megabytes on it, so only the parse deadline ends it.
 */
const hostilePage = `<!doctype html><html><head><title>Status</title></head><body>${'<div>'.repeat(levels)}x${'</div>'.repeat(levels)}</body></html>`;
const normalVendors = ['alpha', 'beta'];

describe('a hostile status page hurts no other vendor (real processes, real Redis, BullMQ)', () => {
  let server: VendorServer;
  let t: TestRedis;
  let payloads: Awaited<ReturnType<typeof statuspagePayloads>>;
  let configPath: string;
  const running: ChildProcess[] = [];
  const fileConfig = () => ({
    redis: { url: redisUrl, prefix: t.prefix },
    vendors: [
      { id: 'hostile', name: 'Hostile', provider: 'statuspage-html', url: `${server.baseUrl}/hostile` },
      ...normalVendors.map((id) => ({
        id,
        name: id,
        provider: 'statuspage',
        url: `${server.baseUrl}/${id}`,
      })),
    ],
    poll: { interval: '1s', timeout: '2s', parseTimeout: '2s', allowPrivateNetworks: true },
    api: { port: 0 },
    log: { level: 'info' },
  });

  beforeAll(async () => {
    payloads = await statuspagePayloads();
    server = await startVendorServer((req, res) => {
      const [, vendor, ...rest] = (req.url ?? '').split('/');
      const file = `/${rest.join('/')}`;
      if (vendor === 'hostile') return res.writeHead(200, { 'content-type': 'text/html' }).end(hostilePage);
      if (file === '/api/v2/summary.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.summary);
      if (file === '/api/v2/incidents.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.incidents);
      return res.writeHead(404).end();
    });
    t = await createTestRedis('hostile-page');
    configPath = path.join(mkdtempSync(path.join(tmpdir(), 'upcause-hostile-')), 'upcause.yaml');
    writeFileSync(configPath, stringify(fileConfig()));
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => stop(p)));
    await server?.close();
    await t?.cleanup();
  });

  test('the poll worker fails the hostile vendor with a parse error at its deadline and stores the others', async () => {
    let worker: RunningPollWorker | null = null;
    try {
      worker = await startPollWorker(t, parseConfig(fileConfig(), {}, 'test'));
      // startPollWorker waits at most 15 s per job: poll.timeout and the parse deadline with a wide margin.
      const outcomes = await Promise.all(['hostile', ...normalVendors].map((v) => worker!.poll(v)));
      expect(outcomes.map((o) => [o.vendor, o.ok])).toEqual([
        ['hostile', false],
        ['alpha', true],
        ['beta', true],
      ]);
      const hostile = await worker.store.view('hostile');
      expect(hostile.status.indicator).toBe('unknown');
      expect(hostile.health).toMatchObject({ state: 'parse_error', lastErrorKind: 'parse' });
      expect(hostile.health.lastErrorMessage).toMatch(/took longer than 2000 ms/);
      for (const vendor of normalVendors) {
        const view = await worker.store.view(vendor);
        expect(view.health.state, vendor).toBe('ok');
        expect((await worker.store.listIncidents(vendor)).length, vendor).toBeGreaterThan(0);
      }
    } finally {
      await worker?.close();
    }
  });

  test('upcause poll of the hostile vendor exits 1 naming the parse error', async () => {
    const run = await runCli(['--config', configPath, 'poll', 'hostile']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^upcause: parse error: vendor hostile: reading the page took longer than 2000 ms/,
    );
  });

  test('upcause start answers its API and honours SIGTERM while a hostile parse runs', async () => {
    const child = spawnCli(['--config', configPath, 'start', '--single-process'], { REDIS_URL: redisUrl });
    running.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const apiUrl = await waitUntil('the API to listen', () => /"url":"(http:[^"]+)"/.exec(output)?.[1]);
    const served = server.requests.filter((r) => r.path.startsWith('/hostile')).length;
    // Once the page is served its parse begins; the process goes on serving the API meanwhile.
    await waitUntil('the hostile page to be fetched', () => server.requests, {
      until: (requests) => requests.filter((r) => r.path.startsWith('/hostile')).length > served,
    });
    expect((await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(10_000) })).status).toBe(200);
    expect(await stop(child)).toBe(0);
  });
});

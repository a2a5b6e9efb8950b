import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { spawnCli, stop } from './support/cli.js';
import { statuspagePayloads } from './support/payloads.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

const vendors = ['alpha', 'beta', 'gamma'];
const intervalMs = 1000;

describe('two worker processes against one Redis', () => {
  let server: VendorServer;
  let t: TestRedis;
  let processes: ChildProcess[] = [];
  const polls = new Map<string, number[]>(vendors.map((v) => [v, []]));

  beforeAll(async () => {
    const payloads = await statuspagePayloads();
    server = await startVendorServer((req, res) => {
      const [, vendor, ...rest] = (req.url ?? '').split('/');
      const file = `/${rest.join('/')}`;
      if (file === '/api/v2/summary.json') {
        polls.get(vendor ?? '')?.push(Date.now());
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.summary);
      }
      if (file === '/api/v2/incidents.json') {
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.incidents);
      }
      res.writeHead(404).end();
    });
    t = await createTestRedis('two-workers');
    const dir = mkdtempSync(path.join(tmpdir(), 'upcause-two-'));
    const configPath = path.join(dir, 'upcause.yaml');
    writeFileSync(
      configPath,
      stringify({
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: vendors.map((id) => ({
          id,
          name: id,
          provider: 'statuspage',
          url: `${server.baseUrl}/${id}`,
        })),
        poll: { interval: `${intervalMs}ms`, timeout: '2s', allowPrivateNetworks: true },
        log: { level: 'warn' },
      }),
    );
    // Both processes run worker and scheduler roles, as two replicas of one deployment would.
    processes = [0, 1].map(() =>
      spawnCli(['--config', configPath, 'start', '--role', 'worker,scheduler'], { REDIS_URL: redisUrl }),
    );
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => stop(p)));
    await server?.close();
    await t?.cleanup();
  });

  test('each vendor is polled once per interval, not once per process', async () => {
    // Wait until both processes are up and every vendor has been polled, then watch a fixed window.
    const deadline = Date.now() + 20_000;
    while (vendors.some((v) => polls.get(v)!.length === 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const windowStart = Date.now();
    const windowMs = 6000;
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    for (const vendor of vendors) {
      const inWindow = polls.get(vendor)!.filter((at) => at >= windowStart && at < windowStart + windowMs);
      // One poll per interval: about 6 in 6 s; two processes polling independently would show about 12.
      expect(inWindow.length, vendor).toBeGreaterThanOrEqual(windowMs / intervalMs - 2);
      expect(inWindow.length, vendor).toBeLessThanOrEqual(windowMs / intervalMs + 1);
      const gaps = inWindow.slice(1).map((at, i) => at - inWindow[i]!);
      expect(Math.min(...gaps), `${vendor} gaps ${gaps.join(',')}`).toBeGreaterThan(intervalMs / 2);
    }
  });

  test('both processes shut down cleanly on SIGTERM', async () => {
    const codes = await Promise.all(processes.map((p) => stop(p)));
    expect(codes).toEqual([0, 0]);
  });
});

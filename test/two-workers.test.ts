import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { spawnCli, stop } from './support/cli.js';
import { statuspagePayloads } from './support/payloads.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';
import { waitUntil } from './support/wait.js';

const vendors = ['alpha', 'beta', 'gamma'];
const intervalMs = 1000;

describe('two worker processes against one Redis', () => {
  let server: VendorServer;
  let t: TestRedis;
  let processes: ChildProcess[] = [];
  // Summary requests per vendor, as the vendor server saw them.
  const polls = new Map<string, number>(vendors.map((v) => [v, 0]));

  beforeAll(async () => {
    const payloads = await statuspagePayloads();
    server = await startVendorServer((req, res) => {
      const [, vendor, ...rest] = (req.url ?? '').split('/');
      const file = `/${rest.join('/')}`;
      if (file === '/api/v2/summary.json') {
        if (polls.has(vendor ?? '')) polls.set(vendor!, polls.get(vendor!)! + 1);
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
    await waitUntil('every vendor to be polled four times', () => vendors.every((v) => polls.get(v)! >= 4), {
      timeoutMs: 30_000,
    });
    const queue = new Queue('poll', { connection: t.redis, prefix: t.keys.bull });
    try {
      // Both processes ran the scheduler role, yet the shared Redis holds one scheduler per vendor.
      const schedulers = (await queue.getJobSchedulers()).map((s) => s.key).sort();
      expect(schedulers).toEqual(vendors.map((v) => `poll-${v}`));
      const requestsBefore = new Map(vendors.map((v) => [v, polls.get(v)!]));
      const jobs = await queue.getJobs(['completed', 'failed', 'active']);
      for (const vendor of vendors) {
        const mine = jobs.filter((job) => (job.data as { vendor?: string }).vendor === vendor);
        // A scheduled job's id ends in its slot; one job per slot, slots a whole number of intervals apart.
        const slots = mine.map((job) => Number(String(job.id).split(':').at(-1))).sort((a, b) => a - b);
        expect(slots.every(Number.isFinite), `${vendor} ids ${mine.map((j) => j.id).join(',')}`).toBe(true);
        expect(new Set(slots).size, `${vendor} slots ${slots.join(',')}`).toBe(slots.length);
        for (const [i, slot] of slots.slice(1).entries()) {
          const gap = slot - slots[i]!;
          expect(gap > 0 && gap % intervalMs === 0, `${vendor} slots ${slots.join(',')}`).toBe(true);
        }
        // Every summary request belongs to one of those jobs: no process polls on its own.
        expect(requestsBefore.get(vendor), vendor).toBeLessThanOrEqual(mine.length);
        const done = mine.filter((job) => job.finishedOn !== undefined).length;
        expect(done, vendor).toBeLessThanOrEqual(polls.get(vendor)!);
      }
    } finally {
      await queue.close();
    }
  });

  test('both processes shut down cleanly on SIGTERM', async () => {
    const codes = await Promise.all(processes.map((p) => stop(p)));
    expect(codes).toEqual([0, 0]);
  });
});

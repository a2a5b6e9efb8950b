import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { spawnCli, stop } from './support/cli.js';
import { statuspagePayloads } from './support/payloads.js';
import { matching, parseExposition, sampleValue, type Exposition } from './support/prom-text.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';
import { waitUntil } from './support/wait.js';

const ingestToken = 'ingest-token-0123456789abcdef';
const metricsToken = 'metrics-token-0123456789abcdef';

describe('/metrics of the default start: the workers run in a supervised child', () => {
  let server: VendorServer;
  let t: TestRedis;
  let run: ChildProcess | null = null;
  let polls = 0;

  beforeAll(async () => {
    const payloads = await statuspagePayloads();
    server = await startVendorServer((req, res) => {
      if (req.url === '/alpha/api/v2/summary.json') {
        polls += 1;
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.summary);
      }
      if (req.url === '/alpha/api/v2/incidents.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.incidents);
      res.writeHead(404).end();
    });
    t = await createTestRedis('metrics-split');
  });

  afterAll(async () => {
    if (run) await stop(run);
    await server?.close();
    await t?.cleanup();
  });

  test("the worker child's counters reach the parent's /metrics, with each process's own Node metrics", async () => {
    const configPath = path.join(mkdtempSync(path.join(tmpdir(), 'upcause-metrics-')), 'upcause.yaml');
    writeFileSync(
      configPath,
      stringify({
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: [{ id: 'alpha', name: 'Alpha', provider: 'statuspage', url: `${server.baseUrl}/alpha` }],
        poll: { interval: '1s', timeout: '2s', allowPrivateNetworks: true },
        api: {
          port: 0,
          tokens: [
            { name: 'producer', token: ingestToken, scopes: ['ingest'] },
            { name: 'prometheus', token: metricsToken, scopes: ['metrics'] },
          ],
        },
        metrics: { publishInterval: '1s' },
        log: { level: 'info' },
      }),
    );
    const child = spawnCli(['--config', configPath, 'start'], { REDIS_URL: redisUrl });
    run = child;
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const apiUrl = await waitUntil('the API to listen', () => /"url":"(http:[^"]+)"/.exec(out)?.[1]);
    await waitUntil('the child to poll alpha', () => polls, { until: (n) => n > 0 });

    const at = new Date().toISOString();
    const posted = await fetch(`${apiUrl}/v1/errors`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        { at, service: 'checkout', vendor: 'alpha', status: 502 },
        { at, service: 'checkout', vendor: 'alpha', status: 503 },
      ]),
    });
    expect(posted.status).toBe(202);

    const scrape = async (): Promise<Exposition> => {
      const res = await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      return parseExposition(await res.text());
    };
    const count = (e: Exposition, name: string, labels: Record<string, string>) =>
      matching(e, name, labels).reduce((sum, s) => sum + s.value, 0);
    const e = await waitUntil('the child to publish its poll and stream counters', scrape, {
      until: (x) =>
        count(x, 'upcause_polls_total', { vendor: 'alpha' }) > 0 &&
        count(x, 'upcause_ingest_events_total', { source: 'stream', outcome: 'accepted' }) === 2,
      intervalMs: 250,
      timeoutMs: 30_000,
    });
    // Polls and the stream consumer run only in the child; the HTTP ingest only in the parent.
    expect(sampleValue(e, 'upcause_ingest_events_total', { source: 'http', outcome: 'accepted' })).toBe(2);
    expect(sampleValue(e, 'upcause_poll_duration_seconds_count', { vendor: 'alpha' })).toBeGreaterThan(0);
    expect(sampleValue(e, 'upcause_metrics_processes')).toBe(2);
    const roles = matching(e, 'process_cpu_user_seconds_total').map((s) => s.labels.role);
    expect(roles.sort()).toEqual(['api+scheduler', 'worker']);
    const processes = new Set(matching(e, 'process_cpu_user_seconds_total').map((s) => s.labels.process));
    expect(processes.size).toBe(2);

    expect(await stop(child)).toBe(0);
    run = null;
    // Both processes took their snapshots with them.
    expect(await t.redis.zcard(t.keys.metricsProcesses)).toBe(0);
  });
});

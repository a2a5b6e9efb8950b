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
import { waitUntil } from './support/wait.js';

interface LogLine {
  msg?: string;
  pid?: number;
  url?: string;
  roles?: string[];
  childRoles?: string[];
}

/** A started `upcause start` and the JSON log lines it (and its worker child) printed so far. */
function startUpcause(args: string[]): { process: ChildProcess; logs: LogLine[]; stderr: () => string } {
  const child = spawnCli(args, { REDIS_URL: redisUrl });
  const logs: LogLine[] = [];
  let pending = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { process: child, logs, stderr: () => stderr };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const started = (logs: LogLine[]) =>
  logs.filter((l) => l.msg === 'worker process started').map((l) => l.pid!);

describe('upcause start runs the workers in a supervised child process', () => {
  let server: VendorServer;
  let t: TestRedis;
  let configPath: string;
  let polls = 0;
  const running: ChildProcess[] = [];

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
    t = await createTestRedis('start-split');
    configPath = path.join(mkdtempSync(path.join(tmpdir(), 'upcause-split-')), 'upcause.yaml');
    writeFileSync(
      configPath,
      stringify({
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: [{ id: 'alpha', name: 'Alpha', provider: 'statuspage', url: `${server.baseUrl}/alpha` }],
        poll: { interval: '1s', timeout: '2s', allowPrivateNetworks: true },
        api: { port: 0 },
        log: { level: 'info' },
      }),
    );
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => stop(p)));
    await server?.close();
    await t?.cleanup();
  });

  test('a killed worker child is restarted and polls again; SIGTERM stops parent and child', async () => {
    const run = startUpcause(['--config', configPath, 'start']);
    running.push(run.process);
    const [first] = await waitUntil('the worker child to start', () => started(run.logs), {
      until: (pids) => pids.length === 1,
    });
    expect(first).not.toBe(run.process.pid);
    const boot = run.logs.find((l) => l.msg === 'starting upcause');
    expect(boot?.roles).toEqual(['api', 'scheduler']);
    expect(boot?.childRoles).toEqual(['worker']);
    const apiUrl = (await waitUntil('the API to listen', () => run.logs.find((l) => l.url)?.url))!;
    await waitUntil('the child to poll alpha', () => polls, { until: (n) => n > 0 });

    process.kill(first!, 'SIGKILL');
    const pids = await waitUntil('a new worker child', () => started(run.logs), {
      until: (list) => list.length === 2,
    });
    const second = pids[1]!;
    expect(second).not.toBe(first);
    expect(run.logs.some((l) => l.msg === 'worker process exited; restarting')).toBe(true);
    const before = polls;
    await waitUntil('the restarted child to poll alpha', () => polls, { until: (n) => n > before });
    expect((await fetch(`${apiUrl}/healthz`)).status).toBe(200);

    expect(await stop(run.process)).toBe(0);
    expect(alive(second)).toBe(false);
    expect(run.stderr()).toBe('');
  });

  test('--single-process runs every role in one process', async () => {
    const run = startUpcause(['--config', configPath, 'start', '--single-process']);
    running.push(run.process);
    const boot = (await waitUntil('the start log', () =>
      run.logs.find((l) => l.msg === 'starting upcause'),
    ))!;
    expect(boot.roles).toEqual(['api', 'worker', 'scheduler']);
    expect(boot.childRoles).toBeUndefined();
    const before = polls;
    await waitUntil('alpha polled', () => polls, { until: (n) => n > before });
    expect(started(run.logs)).toEqual([]);
    expect(await stop(run.process)).toBe(0);
  });
});

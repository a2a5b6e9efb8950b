import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { createApi } from '../src/api/server.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { connectRedis } from '../src/store/redis.js';
import { createVendorStore } from '../src/store/vendors.js';
import net from 'node:net';
import { runCli, runCliProcess, spawnCli, stop } from './support/cli.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

interface LogLine {
  msg?: string;
  level?: number;
  url?: string;
}

const token = 'env-token-0123456789abcdef';

/** A started `upcause` and the JSON log lines it printed so far. */
function startUpcause(args: string[], env: Record<string, string>) {
  const child = spawnCli(args, { REDIS_URL: redisUrl, PORT: '0', ...env });
  const logs: LogLine[] = [];
  let pending = '';
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
  return { process: child, logs };
}

/** The port of the `API listening on …` line, reached over loopback. */
async function apiOf(logs: LogLine[]): Promise<{ logged: string; url: string }> {
  const logged = (await waitUntil(
    'the API to listen',
    () => logs.find((l) => l.msg?.startsWith('API listening on'))?.url,
  ))!;
  return { logged, url: `http://127.0.0.1:${new URL(logged).port}` };
}

describe('upcause start on a reachable address (real processes, real Redis)', () => {
  let t: TestRedis;
  let dir: string;
  const running: ChildProcess[] = [];
  const configFile = (name: string, doc: Record<string, unknown>) => {
    const file = path.join(dir, name);
    writeFileSync(file, stringify({ redis: { url: redisUrl, prefix: t.prefix }, vendors: [], ...doc }));
    return file;
  };

  beforeAll(async () => {
    t = await createTestRedis('readyz');
    dir = mkdtempSync(path.join(tmpdir(), 'upcause-readyz-'));
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => stop(p)));
    await t?.cleanup();
  });

  test('refuses to serve without tokens on 0.0.0.0, naming the way out', async () => {
    const file = configFile('open.yaml', {});
    const run = await runCliProcess(['--config', file, 'start', '--role', 'api'], {
      REDIS_URL: redisUrl,
      PORT: '0',
      UPCAUSE_API_HOST: '0.0.0.0',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /api\.host is 0\.0\.0\.0, which other machines can reach, and api\.tokens is empty/,
    );
    expect(run.stderr).toMatch(/UPCAUSE_API_TOKEN/);
    expect(run.stderr).toMatch(/api\.allowUnauthenticated: true/);
  });

  test('with api.allowUnauthenticated it serves, logs the real address and warns', async () => {
    const file = configFile('allowed.yaml', { api: { allowUnauthenticated: true } });
    const run = startUpcause(['--config', file, 'start', '--role', 'api'], { UPCAUSE_API_HOST: '0.0.0.0' });
    running.push(run.process);
    const api = await apiOf(run.logs);
    expect(api.logged).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    await waitUntil('the open-API warning', () =>
      run.logs.some((l) => l.msg?.startsWith('API open without tokens') && l.level === 40),
    );
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: 'ok' } });
    expect(await stop(run.process)).toBe(0);
  });

  test('every role in one process: /readyz checks Redis, the worker loop and the job schedulers; the env token guards /v1', async () => {
    const file = configFile('all.yaml', {});
    const run = startUpcause(['--config', file, 'start', '--single-process'], {
      UPCAUSE_API_HOST: '0.0.0.0',
      UPCAUSE_API_TOKEN: token,
    });
    running.push(run.process);
    const api = await apiOf(run.logs);
    const answer = await waitUntil(
      'the process to be ready',
      async () => {
        const res = await fetch(`${api.url}/readyz`);
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      },
      { until: (r) => r.status === 200, intervalMs: 100 },
    );
    expect(answer.body).toEqual({
      status: 'ready',
      checks: { redis: 'ok', worker: 'ok', scheduler: 'ok' },
    });
    const event = JSON.stringify({ at: new Date().toISOString(), service: 'backstage', code: 'X' });
    const post = (headers: Record<string, string>) =>
      fetch(`${api.url}/v1/errors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: event,
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: `Bearer ${token}` })).status).toBe(202);
    expect(await stop(run.process)).toBe(0);
  });

  test('the default start (workers in a supervised child): /readyz also checks the child runs', async () => {
    const file = configFile('split.yaml', {});
    const run = startUpcause(['--config', file, 'start'], {});
    running.push(run.process);
    const api = await apiOf(run.logs);
    expect(api.logged).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await waitUntil(
      'the process and its worker child to be ready',
      async () => {
        const res = await fetch(`${api.url}/readyz`);
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      },
      { until: (r) => r.status === 200, intervalMs: 100 },
    );
    expect(answer.body).toEqual({ status: 'ready', checks: { redis: 'ok', scheduler: 'ok', worker: 'ok' } });
    // Stopped once the child is fully up, so its own signal handling is in place.
    await waitUntil('the child to run its workers', () =>
      run.logs.some((l) => l.msg === 'poll worker running'),
    );
    expect(await stop(run.process)).toBe(0);
  });

  test('a config path that is a directory, or a secret from an unset variable, stops the start with the reason', async () => {
    const asDir = await runCliProcess(['--config', dir, 'start', '--role', 'api'], { REDIS_URL: redisUrl });
    expect(asDir.code).toBe(2);
    expect(asDir.stderr).toContain(`config path ${dir} is a directory, not a file`);
    const file = configFile('unset.yaml', {
      api: { tokens: [{ name: 'p', token: '${UPCAUSE_TEST_UNSET_TOKEN}', scopes: ['ingest'] }] },
    });
    const unset = await runCliProcess(['--config', file, 'start', '--role', 'api'], { REDIS_URL: redisUrl });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain(
      'api.tokens[0].token: the environment variable UPCAUSE_TEST_UNSET_TOKEN is not set',
    );
  });
});

describe('Redis trouble in CLI output', () => {
  test('a CLI command against a Redis that refuses says so in our words, naming redis.url', async () => {
    // A port that was just free: nothing listens there.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const run = await runCli(['vendors'], { REDIS_URL: `redis://127.0.0.1:${port}`, UPCAUSE_CONFIG: '' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `upcause: Redis at 127.0.0.1:${port} refused the connection (is it running?); redis.url is redis://127.0.0.1:${port}\n`,
    );
  });
});

describe('GET /readyz (in process)', () => {
  let t: TestRedis;

  beforeAll(async () => {
    t = await createTestRedis('readyz-inproc');
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test('answers 503 naming what is not ready: a probe that fails, then Redis in our words', async () => {
    const config = parseConfig({ redis: { url: redisUrl, prefix: t.prefix }, vendors: [] }, {}, 'test');
    const redis = await connectRedis(redisUrl, 'producer', 'test-readyz');
    let stuck = false;
    const app = createApi({
      config,
      store: createVendorStore(redis, t.keys),
      redis,
      logger: createLogger('silent'),
      readiness: [{ name: 'worker', check: () => (stuck ? 'the error-stream loop is stuck' : null) }],
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      stuck = true;
      const res = await fetch(`${url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: 'not ready',
        notReady: { worker: 'the error-stream loop is stuck' },
        checks: { redis: 'ok', worker: 'the error-stream loop is stuck' },
      });
      redis.disconnect();
      const down = (await (await fetch(`${url}/readyz`)).json()) as { notReady: Record<string, string> };
      expect(down.notReady.redis).toMatch(
        /^Redis at 127\.0\.0\.1:6379 (is not answering|dropped the connection)/,
      );
      const incidents = await fetch(`${url}/v1/incidents`);
      expect(incidents.status).toBe(503);
      const { error } = (await incidents.json()) as { error: string };
      expect(error).toMatch(/^Redis (is not answering|dropped the connection).*; retry later$/);
      const health = (await (await fetch(`${url}/healthz`)).json()) as { error: string };
      expect(health.error).toMatch(/^Redis at 127\.0\.0\.1:6379 /);
      expect(health.error).not.toMatch(/enableOfflineQueue|Stream isn't writeable/);
    } finally {
      await app.close();
      redis.disconnect();
    }
  });
});

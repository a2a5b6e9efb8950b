import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { parseIncidents } from '../providers/statuspage.js';
import { runCli, runCliProcess } from './support/cli.js';
import { statuspagePayloads } from './support/payloads.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

describe('upcause CLI', () => {
  let server: VendorServer;
  let t: TestRedis;
  let payloads: Awaited<ReturnType<typeof statuspagePayloads>>;
  let configPath: string;

  beforeAll(async () => {
    payloads = await statuspagePayloads();
    server = await startVendorServer((req, res) => {
      if (req.url === '/api/v2/summary.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.summary);
      if (req.url === '/api/v2/incidents.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.incidents);
      res.writeHead(404).end();
    });
    t = await createTestRedis('cli');
    const dir = mkdtempSync(path.join(tmpdir(), 'upcause-cli-'));
    configPath = path.join(dir, 'upcause.yaml');
    writeFileSync(
      configPath,
      stringify({
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: [{ id: 'localpage', name: 'Local page', provider: 'statuspage', url: server.baseUrl }],
        poll: { allowPrivateNetworks: true },
      }),
    );
  });

  afterAll(async () => {
    await server?.close();
    await t?.cleanup();
  });

  // Most tests run the program in-process; these two run the real binary: its output and exit codes.
  test('poll prints the normalized incidents of a local page as JSON', async () => {
    const run = await runCliProcess(['--config', configPath, 'poll', 'localpage', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as {
      incidents: Array<{ id: string; startedAt: string }>;
      status: { indicator: string };
    };
    const expected = parseIncidents(payloads.incidents, 'localpage').map((i) => i.id);
    expect(printed.incidents.map((i) => i.id)).toEqual(expect.arrayContaining(expected));
    expect(printed.incidents.every((i) => i.startedAt.endsWith('Z'))).toBe(true);
  });

  test('poll prints a readable table by default', async () => {
    const run = await runCli(['--config', configPath, 'poll', 'localpage', '--limit', '5']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Local page \(http:\/\/127\.0\.0\.1:\d+\) — /);
    expect(run.stdout).toMatch(/STARTED \(UTC\)\s+STATUS\s+IMPACT\s+ID\s+TITLE/);
    const first = parseIncidents(payloads.incidents, 'localpage')[0]!;
    expect(run.stdout).toContain(first.id);
  });

  test('poll of a page that cannot be read exits 1 naming the error kind', async () => {
    const run = await runCli(['--config', configPath, 'poll', 'other', '--url', `${server.baseUrl}/missing`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/upcause: http error: .*404/);
  });

  test('poll refuses a private address unless the config allows it', async () => {
    const before = server.requests.length;
    const run = await runCli(['poll', 'x', '--url', server.baseUrl], { UPCAUSE_CONFIG: '' });
    expect(run.stderr).toMatch(/upcause: blocked error/);
    expect(run.code).toBe(1);
    // Refused before connecting: the server never saw the request.
    expect(server.requests.length).toBe(before);
  });

  test('vendors shows health from Redis, unknown before the first poll', async () => {
    const run = await runCli(['--config', configPath, 'vendors']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/VENDOR\s+STATUS\s+HEALTH/);
    expect(run.stdout).toMatch(/localpage\s+unknown\s+unreachable\s+never/);
  });

  test('partitions lists each error stream with its slot, and names the stream of a service and vendor', async () => {
    const env = { UPCAUSE_INGEST_PARTITIONS: '3' };
    const listed = await runCli(['--config', configPath, 'partitions', '--json'], env);
    expect(listed.code).toBe(0);
    const { partitions } = JSON.parse(listed.stdout) as {
      partitions: Array<{ partition: number; stream: string; slot: number }>;
    };
    expect(partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    expect(partitions[0]).toMatchObject({ stream: `{${t.prefix}}:errors` });
    // One slot per partition, in three different thirds of the slot space.
    expect(new Set(partitions.map((p) => Math.floor(p.slot / (16384 / 3)))).size).toBe(3);
    const one = await runCli(
      ['--config', configPath, 'partitions', '--service', 'studio', '--vendor', '100ms'],
      env,
    );
    expect(partitions.map((p) => p.stream)).toContain(one.stdout.trim());
    const table = await runCli(['--config', configPath, 'partitions']);
    expect(table.stdout).toMatch(/PARTITION\s+STREAM\s+SLOT\n0\s+\{t-cli-[0-9a-f]+\}:errors\s+\d+\n$/);
    const bad = await runCli(['--config', configPath, 'partitions', '--vendor', '100ms']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--vendor needs --service/);
  });

  test('a bad config exits 2 with the key and what was expected', async () => {
    const bad = path.join(path.dirname(configPath), 'bad.yaml');
    writeFileSync(bad, 'poll:\n  timeout: forever\n');
    const run = await runCliProcess(['--config', bad, 'vendors']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/poll\.timeout: expected a duration/);
  });

  test('an unknown role is refused before anything starts', async () => {
    const run = await runCli(['--config', configPath, 'start', '--role', 'api,cook']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/"cook" is not a role/);
  });

  test('detect recognizes a Statuspage page and prints a ready vendor entry', async () => {
    const run = await runCli(['--config', configPath, 'detect', server.baseUrl]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/looks like statuspage \(95% — certain\)/);
    expect(run.stdout).toMatch(/provider: statuspage/);
    expect(run.stdout).toContain(`url: ${server.baseUrl}`);
  });

  test('detect says so when nothing answers like a status page', async () => {
    const empty = await startVendorServer((_req, res) => res.writeHead(404).end());
    try {
      const run = await runCli(['--config', configPath, 'detect', empty.baseUrl]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/No known status-page platform answered/);
    } finally {
      await empty.close();
    }
  });

  test('catalog --search filters the vendor list', async () => {
    const run = await runCli(['catalog', '--search', 'twil']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/twilio\s+Twilio\s+statuspage\s+https:\/\/status\.twilio\.com/);
    expect(run.stdout).not.toMatch(/github/);
  });
});

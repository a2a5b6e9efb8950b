import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { createProgram } from '../src/cli/program.js';
import { packageVersion } from '../src/cli/version.js';
import type { Suspect } from '../src/core/detect/suspect.js';
import { createSuspectStore } from '../src/store/suspects.js';
import type { SuspectList } from '../src/store/vendor-detail.js';
import { runCli, runCliProcess } from './support/cli.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

function suspect(extra: Partial<Suspect> & Pick<Suspect, 'id' | 'vendor' | 'since'>): Suspect {
  return {
    region: 'eu',
    services: ['checkout', 'search'],
    rule: 'multi-service',
    ratePerMin: 42,
    baselinePerMin: 1.5,
    ratio: 28,
    peakPerMin: 60,
    detectedAt: extra.since,
    updatedAt: extra.since,
    lastSpikeAt: extra.since,
    closedAt: null,
    vendorIncidentId: null,
    vendorPostedAt: null,
    ackLagMinutes: null,
    regionMatch: null,
    ...extra,
  };
}

describe('upcause suspects, --json everywhere and --version', () => {
  let t: TestRedis;
  let configPath: string;
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    t = await createTestRedis('cli-suspects');
    const dir = mkdtempSync(path.join(tmpdir(), 'upcause-cli-suspects-'));
    configPath = path.join(dir, 'upcause.yaml');
    writeFileSync(
      configPath,
      stringify({
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: [],
        sinks: [
          {
            type: 'webhook',
            name: 'bot',
            url: 'https://bot.example/upcause',
            secret: 'whsec_YS1zZWNyZXQtb2YtMjQtb3ItbW9yZS1ieXRlcyE=',
          },
        ],
      }),
    );
    await createSuspectStore(t.redis, t.keys).save(
      {
        opened: [
          suspect({
            id: 'stripe-eu',
            vendor: 'stripe',
            since: iso(hour - 3_600_000),
            vendorIncidentId: 'inc-1',
            vendorPostedAt: iso(hour - 3_600_000 + 25 * 60_000),
            ackLagMinutes: 25,
          }),
          suspect({
            id: 'twilio-us',
            vendor: 'twilio',
            region: 'us',
            services: ['sms'],
            since: iso(hour - 600_000),
          }),
        ],
        updated: [],
        closed: [
          suspect({
            id: 'stripe-eu-before',
            vendor: 'stripe',
            since: iso(hour - 2 * 86_400_000),
            closedAt: iso(hour - 2 * 86_400_000 + 40 * 60_000),
            ratePerMin: 8,
            baselinePerMin: 2,
            ratio: 4,
          }),
        ],
      },
      new Date(),
    );
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test('suspects prints a table with vendor, region, since, services, rate vs baseline and vendor posted/ack lag', async () => {
    const run = await runCli(['--config', configPath, 'suspects']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^VENDOR +REGION +SINCE \(UTC\) +STATE +SERVICES +RATE VS BASELINE +VENDOR POSTED +ACK LAG$/,
    );
    // Newest first.
    expect(lines[1]).toMatch(
      /^twilio +us +\S+ \S+ +open \d+m +sms +42\/min vs 1\.5\/min \(28×\) +not yet +>\d+m$/,
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^stripe +eu +${iso(hour - 3_600_000)
          .replace('T', ' ')
          .slice(0, 16)} +open .*checkout, search +42/min vs 1\\.5/min \\(28×\\) +${iso(
          hour - 3_600_000 + 25 * 60_000,
        )
          .replace('T', ' ')
          .slice(0, 16)} +25m$`,
      ),
    );
    expect(lines[3]).toMatch(/^stripe +eu .* closed after 40m .* 8\.0\/min vs 2\.0\/min \(4\.0×\) +never *$/);
    expect(lines.at(-1)).toBe(
      'vendor acknowledgment lag: median 25m, worst 25m over 1 acknowledged; 2 without a post',
    );
  });

  test('suspects --open --vendor narrows the list; --json prints the same data as the API', async () => {
    const run = await runCli(['--config', configPath, 'suspects', '--open', '--vendor', 'stripe', '--json']);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as SuspectList;
    expect(list.suspects.map((s) => [s.id, s.open, s.ackLagMinutes])).toEqual([['stripe-eu', true, 25]]);
    expect(list.ackLag).toEqual({ acknowledged: 1, unacknowledged: 0, medianMinutes: 25, worstMinutes: 25 });

    const none = await runCli(['--config', configPath, 'suspects', '--vendor', 'nobody']);
    expect(none.stdout).toBe('no suspected vendor issues\n');
  });

  test('suspects refuses a bad option, naming it, with exit code 2', async () => {
    const run = await runCli(['--config', configPath, 'suspects', '--limit', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --limit: /);
    const from = await runCli(['--config', configPath, 'suspects', '--from', 'yesterday']);
    expect(from.code).toBe(2);
    expect(from.stderr).toMatch(/--from: /);
  });

  test('catalog --json prints the catalog entries, filtered by --search', async () => {
    const run = await runCli(['catalog', '--json', '--search', 'twil']);
    expect(run.code).toBe(0);
    const { vendors } = JSON.parse(run.stdout) as {
      vendors: Array<{ id: string; name: string; provider: string; url: string }>;
    };
    expect(vendors.some((v) => v.id === 'twilio' && v.provider.length > 0)).toBe(true);
    expect(
      vendors.filter((v) => ![v.id, v.name, v.url].some((f) => f.toLowerCase().includes('twil'))),
    ).toEqual([]);
    const all = JSON.parse((await runCli(['catalog', '--json'])).stdout) as { vendors: unknown[] };
    expect(all.vendors.length).toBeGreaterThan(vendors.length);
  });

  test('sinks status --json and sinks enable --json print the sink states', async () => {
    const status = await runCli(['--config', configPath, 'sinks', 'status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual({
      sinks: [{ name: 'bot', type: 'webhook', enabled: true, disabled: null }],
    });
    const enable = await runCli(['--config', configPath, 'sinks', 'enable', 'bot', '--json']);
    expect(enable.code).toBe(0);
    expect(JSON.parse(enable.stdout)).toEqual({ sink: 'bot', wasDisabled: false, retried: 0 });
  });

  test('every command but start takes --json', () => {
    const leaves = (command: Command, prefix: string): Array<[string, Command]> =>
      command.commands.length === 0
        ? [[prefix, command]]
        : command.commands.flatMap((c) => leaves(c, `${prefix} ${c.name()}`.trim()));
    const program = createProgram({ env: {}, writeOut: () => {}, writeErr: () => {} });
    const commands = leaves(program, '').filter(([name]) => name !== 'start');
    const names = commands.map(([name]) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        'poll',
        'vendors',
        'detect',
        'catalog',
        'sinks status',
        'sinks enable',
        'replay',
        'backtest',
        'suspects',
      ]),
    );
    expect(
      commands.filter(([, c]) => !c.options.some((o) => o.long === '--json')).map(([name]) => name),
    ).toEqual([]);
  });

  test('--version prints the package version, from source and from where the build puts the module', async () => {
    const run = await runCli(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const binary = await runCliProcess(['--version']);
    expect(binary).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    // The build places this module in dist/src/cli: one level deeper, same package.json.
    expect(packageVersion(path.join(repoRoot, 'dist/src/cli'))).toBe(version);
    expect(() => packageVersion(tmpdir())).toThrow(/no upcause package.json/);
  });
});

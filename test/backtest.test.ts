import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { createChangeStore } from '../src/store/changes.js';
import { errorEventSchema } from '../src/core/contracts.js';
import {
  eventsFromBuckets,
  formatBacktest,
  runBacktest,
  type BacktestConfig,
  type BacktestReport,
} from '../src/cli/backtest-command.js';
import { createIncidentStore } from '../src/store/incidents.js';
import { minuteOf, seriesField, seriesOf, type Series } from '../src/core/series.js';
import { createLogger } from '../src/logger.js';
import { vendorIncidentAt } from '../src/replay/knowledge.js';
import { replayScenario } from '../src/replay/run.js';
import { parseScenarioText, type Scenario } from '../src/replay/scenario.js';
import { createVendorStore } from '../src/store/vendors.js';
import { runAnnotation } from '../workers/annotator-worker.js';
import { runCli } from './support/cli.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function scenario(name: string): Promise<Scenario> {
  const file = path.join(repoRoot, 'test/scenarios', name);
  return parseScenarioText(await readFile(file, 'utf8'), file).scenario;
}

/** Writes a scenario into Redis the way the live roles would have: buckets, incidents, changes, polls. */
async function store(t: TestRedis, s: Scenario) {
  const pipeline = t.redis.pipeline();
  for (const e of s.errors)
    pipeline.hincrby(t.keys.errorBucket(minuteOf(e.at)), seriesField(seriesOf(e)), e.count);
  await pipeline.exec();
  for (const incident of s.incidents) await createIncidentStore(t.redis, t.keys).upsert(incident);
  await createChangeStore(t.redis, t.keys).add(s.changes);
  const vendors = createVendorStore(t.redis, t.keys);
  for (const v of s.vendorIncidents) {
    const polled = vendorIncidentAt(v, 'statuspage', new Date('2100-01-01T00:00:00Z'))!;
    await vendors.applyPoll(
      v.vendor,
      { status: null, incidents: [polled] },
      { now: new Date(polled.updatedAt), latencyMs: 1 },
    );
  }
}

const swapcard = 'seed-swapcard-100ms-eu.json';
const demio = 'seed-demio-join-links.json';

describe('upcause backtest over stored data (real Redis)', () => {
  let t: TestRedis;
  let config: BacktestConfig;
  const scenarios: Scenario[] = [];
  const range = { from: new Date('2024-04-01T00:00:00Z'), to: new Date('2024-09-01T00:00:00Z') };

  beforeAll(async () => {
    t = await createTestRedis('backtest');
    scenarios.push(await scenario(swapcard), await scenario(demio));
    for (const s of scenarios) await store(t, s);
    config = {
      services: scenarios.flatMap((s) => s.services),
      vendors: scenarios.flatMap((s) =>
        s.vendors.map((v) => ({ id: v.id, name: v.name ?? v.id, provider: v.provider })),
      ),
    };
  });
  afterAll(() => t.cleanup());

  let report: BacktestReport;
  test('replaying stored data reaches the same verdict as replaying the scenario file, within a minute', async () => {
    report = await runBacktest({ redis: t.redis, keys: t.keys, config }, range);
    expect(report.incidents.map((r) => r.id)).toEqual(['INC-4211', 'INC-5120']);
    for (const s of scenarios) {
      const expected = replayScenario(s).incidents[0]!;
      const row = report.incidents.find((r) => r.id === expected.id)!;
      expect(row.replay).toMatchObject({ verdict: expected.verdict });
      if ('error' in row.replay) throw new Error(row.replay.error);
      // The buckets keep minutes, not seconds: a minute's errors count once it is over.
      expect(
        Math.abs(Date.parse(row.replay.annotatedAt) - Date.parse(expected.annotatedAt)),
      ).toBeLessThanOrEqual(60_000);
    }
  });

  test('hindsight blames 100ms for Swapcard and clears the vendors for Demio', () => {
    const [inc4211, inc5120] = report.incidents;
    expect(inc4211!.hindsight).toMatchObject({
      verdict: 'upstream',
      top: { vendor: '100ms', vendorIncidentId: 'ww76zjqsj6j9' },
    });
    expect(inc5120!.hindsight).toMatchObject({ verdict: 'internal' });
    if ('error' in inc4211!.replay) throw new Error(inc4211!.replay.error);
    // 100ms posted at 20:36, 5 min after our incident opened.
    expect(inc4211!.replay).toMatchObject({ verdict: 'upstream', minutesToAnnotation: 5 });
  });

  test('the live column shows what the annotator stored', async () => {
    await runAnnotation(
      { redis: t.redis, keys: t.keys, config, logger: createLogger('silent') },
      'INC-4211',
      new Date('2024-04-04T21:00:00Z'),
    );
    const again = await runBacktest({ redis: t.redis, keys: t.keys, config }, range);
    expect(again.incidents[0]!.live).toEqual({
      verdict: 'upstream',
      annotatedAt: '2024-04-04T21:00:00.000Z',
      version: 1,
    });
    expect(again.incidents[1]!.live).toBeNull();
  });

  test('a range with no incidents says so', async () => {
    const empty = await runBacktest(
      { redis: t.redis, keys: t.keys, config },
      { from: new Date('2023-01-01T00:00:00Z'), to: new Date('2023-02-01T00:00:00Z') },
    );
    expect(formatBacktest(empty)).toBe(
      'No incidents of ours started between 2023-01-01T00:00:00.000Z and 2023-02-01T00:00:00.000Z.',
    );
  });

  describe('the command', () => {
    let configPath: string;
    beforeAll(() => {
      const dir = mkdtempSync(path.join(tmpdir(), 'upcause-backtest-'));
      configPath = path.join(dir, 'upcause.yaml');
      writeFileSync(
        configPath,
        stringify({
          redis: { url: redisUrl, prefix: t.prefix },
          vendors: config.vendors.map((v) => ({
            id: v.id,
            name: v.name,
            provider: 'statuspage',
            url: `https://status.${v.id}.example`,
          })),
          services: config.services,
        }),
      );
    });

    async function run(...args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
      const run = await runCli(['--config', configPath, 'backtest', ...args]);
      // As the lines printed, and no exit code on success.
      return {
        out: run.stdout.replace(/\n$/, ''),
        err: run.stderr.replace(/\n$/, ''),
        code: run.code === 0 ? undefined : (run.code ?? undefined),
      };
    }

    test('prints the table of stored incidents', async () => {
      const { out, code } = await run('--from', '2024-04-01T00:00:00Z', '--to', '2024-09-01T00:00:00Z');
      expect(code).toBeUndefined();
      const lines = out.split('\n');
      const header = lines.find((l) => l.startsWith('INCIDENT'))!;
      expect(header.split(/\s{2,}/)).toEqual([
        'INCIDENT',
        'SERVICE',
        'STARTED (UTC)',
        'HINDSIGHT',
        'REPLAY',
        'TOP CANDIDATE',
        'CONF',
        'ANNOTATED AT',
        'MIN',
        'LIVE',
      ]);
      expect(lines.find((l) => l.startsWith('INC-4211'))).toMatch(
        /^INC-4211\s+backstage\s+2024-04-04 20:31\s+upstream\s+upstream\s+100ms\/ww76zjqsj6j9\s+0\.\d\d\s+2024-04-04 20:36\s+5\s+upstream v1$/,
      );
      expect(lines.find((l) => l.startsWith('INC-5120'))).toMatch(
        /^INC-5120\s+webinar-room\s+2024-08-20 00:20\s+internal\s+internal\s/,
      );
      expect(out).toContain('Replay reached the hindsight verdict for 2 of 2.');
    });

    test('--json prints the report', async () => {
      const { out } = await run('--from', '2024-04-01T00:00:00Z', '--to', '2024-09-01T00:00:00Z', '--json');
      const parsed = JSON.parse(out) as BacktestReport;
      expect(parsed.incidents.map((r) => [r.id, 'verdict' in r.replay ? r.replay.verdict : 'error'])).toEqual(
        [
          ['INC-4211', 'upstream'],
          ['INC-5120', 'internal'],
        ],
      );
    });

    test('refuses a range that ends before it starts, naming the option', async () => {
      const { err, code } = await run('--from', '2024-09-01T00:00:00Z', '--to', '2024-04-01T00:00:00Z');
      expect(code).toBe(2);
      expect(err).toBe('upcause backtest: --to: --to must be after --from');
      const bad = await run('--from', 'yesterday', '--to', '2024-04-01T00:00:00Z');
      expect(bad.err).toBe('upcause backtest: --from: expected an ISO-8601 timestamp or epoch milliseconds');
    });
  });
});

describe('eventsFromBuckets()', () => {
  test('every error class comes back as the same series when the replay re-aggregates it', () => {
    const cases: Series[] = [
      { service: 'api', vendor: 'stripe', region: 'us-east-1', code: 'HTTP_503', errorClass: 'server' },
      { service: 'api', vendor: 'stripe', region: '', code: 'RTMP_START_FAILED', errorClass: 'server' },
      { service: 'api', vendor: 'stripe', region: '', code: 'ETIMEDOUT', errorClass: 'timeout' },
      { service: 'api', vendor: 'stripe', region: '', code: 'HTTP_408', errorClass: 'timeout' },
      { service: 'api', vendor: 'stripe', region: '', code: 'ECONNRESET', errorClass: 'network' },
      { service: 'api', vendor: 'stripe', region: '', code: 'HTTP_429', errorClass: 'rate-limit' },
      { service: 'api', vendor: '', region: '', code: 'INVALID_CREDENTIALS', errorClass: 'client' },
      { service: 'api', vendor: 'tokbox', region: 'sjc', code: '1026', errorClass: 'unknown' },
      { service: 'api', vendor: '', region: '', code: '', errorClass: 'unknown' },
    ];
    const events = eventsFromBuckets([
      { minute: 28_000_000, counts: cases.map((series) => ({ series, count: 3 })) },
    ]);
    const back = events.map((e) => errorEventSchema.parse(e));
    expect(back.map(seriesOf)).toEqual(cases);
    // Minute 28,000,000 is 10:40 UTC on 2023-03-28: its errors are stamped at its last millisecond.
    expect(back.every((e) => e.at === '2023-03-28T10:40:59.999Z' && e.count === 3)).toBe(true);
  });

  test('a count above the event maximum is split, not lost', () => {
    const series: Series = {
      service: 'api',
      vendor: 'x',
      region: '',
      code: 'HTTP_500',
      errorClass: 'server',
    };
    const events = eventsFromBuckets([{ minute: 1, counts: [{ series, count: 2_500_000 }] }]);
    expect(events.map((e) => e.count)).toEqual([1_000_000, 1_000_000, 500_000]);
  });
});

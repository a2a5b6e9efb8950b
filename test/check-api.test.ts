import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseIncidents, parseSummary } from '../providers/statuspage.js';
import type { CheckAnswer, VendorCheck } from '../src/core/check/types.js';
import { vendorIncidentKnownAt } from '../src/core/correlate/known-at.js';
import { FetchError } from '../src/core/errors.js';
import type { VendorIncident } from '../src/core/model.js';
import { withRegions } from '../src/core/regions/incident-regions.js';
import { callsField, minuteOf, seriesField, type Series } from '../src/core/series.js';
import { createLogger } from '../src/logger.js';
import { createVendorStore } from '../src/store/vendors.js';
import { createIngestWorker } from '../workers/ingest-worker.js';
import { apiConfig, ingestToken, readToken, sendJson, startTestApi, type TestApi } from './support/api.js';
import { runCli } from './support/cli.js';
import { hasSharedFixtures, readOwn, readShared } from './support/fixtures.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

/*
 * The support check end to end: vendor incidents parsed from recorded Statuspage payloads and stored
 * through the vendor store, our errors written in the ingest's bucket layout (or through POST
 * /v1/errors and the real ingest worker), then GET /v1/check and `upcause check` on real Redis.
 *
 * Each scenario sits at its own hour, so no two share an error minute. Recorded incidents are moved in
 * time (every instant by the same amount) to land around their scenario: the ingest keeps 30 days.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Scenario k at base + 4k hours: each reads and writes [at − 2 h, at + 15 min], so none overlap. */
const base = Math.floor((Date.now() - 60 * HOUR) / MINUTE) * MINUTE;
const scenario = (k: number) => base + 4 * k * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

const services = [
  { name: 'deploys', regions: ['us-east-1'], dependsOn: [{ vendor: 'github', components: ['Actions'] }] },
  { name: 'web', regions: ['us-east-1'], dependsOn: [{ vendor: 'github' }, { vendor: 'cloudflare' }] },
  { name: 'sms', regions: ['eu-west-1'], dependsOn: [{ vendor: 'twilio' }] },
  { name: 'billing', regions: ['eu-west-1'], dependsOn: [{ vendor: 'stripe' }] },
  { name: 'checkout', regions: ['eu-west-1'], dependsOn: [{ vendor: 'stripe' }] },
];
const vendors = ['github', 'twilio', 'stripe', 'cloudflare'];

/** Every instant of a vendor incident moved by `delta` ms. */
function shift(v: VendorIncident, delta: number): VendorIncident {
  const move = (s: string) => iso(Date.parse(s) + delta);
  return {
    ...v,
    startedAt: move(v.startedAt),
    postedAt: move(v.postedAt),
    updatedAt: move(v.updatedAt),
    resolvedAt: v.resolvedAt === null ? null : move(v.resolvedAt),
    ...(v.scheduledFor ? { scheduledFor: move(v.scheduledFor) } : {}),
    ...(v.scheduledUntil ? { scheduledUntil: move(v.scheduledUntil) } : {}),
    updates: v.updates.map((u) => ({ ...u, at: move(u.at) })),
  };
}

/** The recorded incident `id`, moved so that it starts `lead` minutes before `at`, with its own id per scenario. */
function around(all: VendorIncident[], id: string, at: number, lead = 20): VendorIncident {
  const v = all.find((i) => i.id === id);
  if (!v) throw new Error(`no incident ${id} in the fixture`);
  return { ...shift(v, at - lead * MINUTE - Date.parse(v.startedAt)), id: `${id}-${at}` };
}

const series = (over: Partial<Series> & Pick<Series, 'service'>): Series => ({
  vendor: '',
  region: 'eu-west-1',
  code: 'HTTP_503',
  errorClass: 'server',
  ...over,
});

describe('GET /v1/check and upcause check on real Redis', () => {
  let t: TestRedis;
  let api: TestApi;
  let configPath: string;
  let github: VendorIncident[];
  let twilio: VendorIncident[];

  /** Writes `perMin` errors of `s` per minute over [from, to) minutes, as the ingest stores them. */
  async function errors(s: Series, from: number, to: number, perMin: number, calls = 0) {
    const pipeline = t.redis.pipeline();
    for (let m = minuteOf(from); m < minuteOf(to); m++) {
      if (perMin > 0) pipeline.hincrby(t.keys.errorBucket(m), seriesField(s), perMin);
      if (calls > 0)
        pipeline.hincrby(
          t.keys.errorBucket(m),
          callsField({ service: s.service, vendor: s.vendor, region: s.region }),
          calls,
        );
    }
    await pipeline.exec();
  }

  /** One poll of `vendor` that read `incidents` (health ok, read just now). */
  async function poll(vendor: string, incidents: VendorIncident[]) {
    await createVendorStore(t.redis, t.keys).applyPoll(
      vendor,
      { status: null, incidents },
      { now: new Date(), latencyMs: 5 },
    );
  }

  async function check(
    query: Record<string, string>,
  ): Promise<{ status: number; body: CheckAnswer & { error?: string; field?: string } }> {
    const res = await sendJson(`${api.url}/v1/check?${new URLSearchParams(query)}`, 'GET', readToken);
    return {
      status: res.status,
      body: (await res.json()) as CheckAnswer & { error?: string; field?: string },
    };
  }

  const only = (answer: CheckAnswer, vendor: string): VendorCheck => {
    const found = answer.vendors.find((v) => v.vendor === vendor);
    if (!found) throw new Error(`${vendor} not in ${answer.vendors.map((v) => v.vendor).join(', ')}`);
    return found;
  };

  beforeAll(async () => {
    t = await createTestRedis('check-api');
    const config = apiConfig(t, { vendors, services });
    api = await startTestApi(t, config, 'test-check-api');
    const dir = mkdtempSync(path.join(tmpdir(), 'upcause-check-'));
    configPath = path.join(dir, 'upcause.yaml');
    writeFileSync(
      configPath,
      JSON.stringify({ redis: { url: redisUrl, prefix: t.prefix }, vendors, services }),
    );
    github = withRegions(
      {
        status: null,
        incidents: parseIncidents(
          await readOwn('check/githubstatus_incidents_2026-07-31_excerpt.json'),
          'github',
        ),
      },
      'statuspage',
    ).incidents;
    const summary = parseSummary(
      await readOwn('check/twilio_summary_2020-06-16_excerpt.json'),
      'twilio',
      new Date('2020-06-16T21:00:00Z'),
    );
    twilio = withRegions({ status: summary.status, incidents: summary.incidents }, 'statuspage').incidents;
    // Every watched page read fine just now, with nothing open.
    for (const v of vendors) await poll(v, []);
  });

  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  test('vendor-incident: GitHub posts a major Actions incident and our deploys→github 502s spike with it', async () => {
    const at = scenario(0);
    await poll('github', [around(github, '75g5xmzptjqb', at)]);
    const s = series({ service: 'deploys', vendor: 'github', region: 'us-east-1', code: 'HTTP_502' });
    await errors(s, at - 120 * MINUTE, at - 25 * MINUTE, 1);
    await errors(s, at - 18 * MINUTE, at + 10 * MINUTE, 40);
    const { status, body } = await check({ vendor: 'github', service: 'deploys', at: iso(at) });
    expect(status).toBe(200);
    expect(body.verdict).toBe('vendor-incident');
    const gh = only(body, 'github');
    expect(gh.verdict).toBe('vendor-incident');
    expect(gh.incidents.map((i) => i.id)).toEqual([`75g5xmzptjqb-${at}`]);
    expect(gh.incidents[0]?.impact).toBe('major');
    expect(gh.ourErrors.ratePerMin).toBeGreaterThanOrEqual(30);
    expect(gh.ourErrors.services).toEqual(['deploys']);
    expect(body.summary).toMatch(
      /^GitHub has reported a major outage \('Incident with Actions'\) .* and our failed calls to it rose from 1\/min to 40\/min — this is very likely GitHub's problem\.$/,
    );
    expect(gh.evidence.join('\n')).toMatch(/components match: 'Actions'/);
    expect(gh.freshness.stale).toBe(false);
    expect(body.query).toMatchObject({ at: iso(at), vendor: 'github', service: 'deploys', region: null });
  });

  test('vendor-incident from errors naming no vendor: web 503s rise as GitHub posts a critical incident', async () => {
    const at = scenario(1);
    await poll('github', [around(github, 'pz7g535gbs6p', at, 5)]);
    // web tags none of its errors: a CDN or API in front answering 503 shows up as our own HTTP_503.
    const s = series({ service: 'web', region: 'us-east-1', code: 'HTTP_503' });
    await errors(s, at - 120 * MINUTE, at - 10 * MINUTE, 1);
    await errors(s, at - 5 * MINUTE, at + 10 * MINUTE, 60);
    const { body } = await check({ service: 'web', at: iso(at) });
    expect(body.vendors.map((v) => [v.vendor, v.verdict])).toEqual([
      ['github', 'vendor-incident'],
      ['cloudflare', 'vendor-unknown'],
    ]);
    expect(only(body, 'github').evidence.join('\n')).toMatch(/name no vendor .* can be GitHub's/);
    expect(only(body, 'cloudflare').summary).toMatch(/we have no record of calls to Cloudflare from web/);
    expect(body.summary).toMatch(/GitHub has reported a critical outage .* our errors rose as it began/);
  });

  test('vendor-suspected: Stripe has posted nothing and billing→stripe 503s spike', async () => {
    const at = scenario(2);
    await poll('stripe', []);
    const s = series({ service: 'billing', vendor: 'stripe', code: 'HTTP_503' });
    await errors(s, at - 120 * MINUTE, at - 20 * MINUTE, 1);
    await errors(s, at - 12 * MINUTE, at + 10 * MINUTE, 50);
    const { body } = await check({ vendor: 'stripe', at: iso(at), region: 'eu' });
    expect(body.verdict).toBe('vendor-suspected');
    expect(body.summary).toMatch(
      /^Stripe has posted nothing yet, but our failed calls to it rose from 1\/min to 50\/min in eu since .* — Stripe is the likely cause/,
    );
    expect(only(body, 'stripe').incidents).toEqual([]);
    expect(body.query.regions).toContain('macro:europe');
  });

  test('one service failing while another calls the same vendor fine is not the vendor: clear, naming the service', async () => {
    const at = scenario(3);
    const billing = series({
      service: 'billing',
      vendor: 'stripe',
      code: 'ETIMEDOUT',
      errorClass: 'timeout',
    });
    const checkout = series({ service: 'checkout', vendor: 'stripe', code: 'HTTP_500' });
    await errors(billing, at - 120 * MINUTE, at - 20 * MINUTE, 1);
    await errors(billing, at - 12 * MINUTE, at + 10 * MINUTE, 50);
    await errors(checkout, at - 120 * MINUTE, at + 16 * MINUTE, 1, 400);
    const { body } = await check({ vendor: 'stripe', at: iso(at) });
    expect(body.verdict).toBe('vendor-clear');
    expect(body.summary).toMatch(
      /only billing's calls to it fail while checkout call it fine — look at billing, not Stripe/,
    );
  });

  test('vendor-degraded-no-impact: Twilio reports a US-only incident, our sms calls in Europe are at baseline', async () => {
    const at = scenario(4);
    await poll('twilio', [around(twilio, 'r0f0vdz8vrgm', at, 30)]);
    const s = series({ service: 'sms', vendor: 'twilio', code: 'HTTP_500' });
    await errors(s, at - 120 * MINUTE, at + 16 * MINUTE, 1, 300);
    const { body } = await check({ vendor: 'twilio', region: 'Europe', at: iso(at) });
    expect(body.verdict).toBe('vendor-degraded-no-impact');
    const tw = only(body, 'twilio');
    expect(tw.ourErrors.callsPerMin).toBe(300);
    expect(tw.ourErrors.failureRatio).toBeCloseTo(1 / 300, 4);
    expect(tw.evidence.join('\n')).toMatch(/regions differ: Twilio names US, we are in Europe/);
    expect(body.summary).toMatch(
      /^Twilio reports a minor incident \('SMS Delivery Delays from Subset of Twilio Short Codes to US Sprint'\) that does not cover Europe, but our calls to it are at their usual error level \(1\/min, 0\.3% of calls\) — it is not affecting us in Europe; look elsewhere\.$/,
    );
  });

  test('an incident rated impact none is not a vendor incident, even with our errors spiking: suspected', async () => {
    const at = scenario(5);
    await poll('github', [around(github, '594m87r8sw13', at, 10)]);
    const s = series({ service: 'deploys', vendor: 'github', region: 'us-east-1', code: 'HTTP_502' });
    await errors(s, at - 120 * MINUTE, at - 20 * MINUTE, 1);
    await errors(s, at - 10 * MINUTE, at + 10 * MINUTE, 30);
    const { body } = await check({ vendor: 'github', service: 'deploys', at: iso(at) });
    expect(body.verdict).toBe('vendor-suspected');
    expect(only(body, 'github').evidence.join('\n')).toMatch(/rates its incident's impact 'none'/);
  });

  test('vendor-clear: Stripe reports nothing and our billing calls are at baseline', async () => {
    const at = scenario(6);
    await poll('stripe', []);
    await errors(
      series({ service: 'billing', vendor: 'stripe', code: 'HTTP_500' }),
      at - 120 * MINUTE,
      at + 16 * MINUTE,
      1,
    );
    const { body } = await check({ vendor: 'stripe', service: 'billing', at: iso(at) });
    expect(body.verdict).toBe('vendor-clear');
    expect(body.summary).toBe(
      'Stripe reports no incident and our calls to it are at their usual error level (1/min) — look elsewhere.',
    );
  });

  test('vendor-clear when our errors on the vendor say the caller is wrong (401s after a key rotation)', async () => {
    const at = scenario(7);
    const s = series({ service: 'billing', vendor: 'stripe', code: 'INVALID_API_KEY', errorClass: 'client' });
    await errors(s, at - 10 * MINUTE, at + 10 * MINUTE, 40);
    const { body } = await check({ vendor: 'stripe', service: 'billing', at: iso(at) });
    expect(body.verdict).toBe('vendor-clear');
    expect(body.summary).toMatch(
      /our errors on it are client errors \(INVALID_API_KEY\), which say our request was wrong, not Stripe/,
    );
  });

  test("vendor-unknown: we cannot read Cloudflare's page, so its silence does not clear it", async () => {
    const at = scenario(8);
    await errors(
      series({ service: 'web', vendor: 'cloudflare', region: 'us-east-1', code: 'HTTP_500' }),
      at - 120 * MINUTE,
      at + 16 * MINUTE,
      1,
    );
    const store = createVendorStore(t.redis, t.keys);
    await store.recordFailure('cloudflare', new FetchError('http', 'status 503', { status: 503 }), {
      now: new Date(),
      latencyMs: 30,
    });
    try {
      const { body } = await check({ vendor: 'cloudflare', at: iso(at) });
      expect(body.verdict).toBe('vendor-unknown');
      const cf = only(body, 'cloudflare');
      expect(cf.freshness).toMatchObject({ stale: true, blindReason: 'HTTP 503' });
      expect(body.freshness.staleVendors).toEqual(['cloudflare']);
      expect(body.summary).toMatch(
        /^We do not know whether Cloudflare is at fault: we cannot read Cloudflare's status page since \d\d:\d\d UTC \(HTTP 503\); our calls to it are at their usual error level/,
      );
    } finally {
      await poll('cloudflare', []);
    }
  });

  test('vendor-unknown: no record of calls from the service means no baseline to be at', async () => {
    const at = scenario(9);
    const { body } = await check({ vendor: 'twilio', service: 'sms', at: iso(at) });
    expect(body.verdict).toBe('vendor-unknown');
    expect(body.summary).toBe(
      'Twilio reports no incident, but we have no record of calls to Twilio from sms, so we cannot tell whether it affects us.',
    );
  });

  test('without a vendor: every vendor the service depends on, ranked; without a service: every watched vendor', async () => {
    const at = scenario(10);
    await poll('github', [around(github, '75g5xmzptjqb', at)]);
    await errors(
      series({ service: 'web', vendor: 'github', region: 'us-east-1', code: 'HTTP_502' }),
      at - 120 * MINUTE,
      at - 25 * MINUTE,
      1,
    );
    await errors(
      series({ service: 'web', vendor: 'github', region: 'us-east-1', code: 'HTTP_502' }),
      at - 15 * MINUTE,
      at + 10 * MINUTE,
      30,
    );
    await errors(
      series({ service: 'web', vendor: 'cloudflare', region: 'us-east-1', code: 'HTTP_500' }),
      at - 120 * MINUTE,
      at + 16 * MINUTE,
      1,
      1000,
    );
    const byService = (await check({ service: 'web', at: iso(at) })).body;
    expect(byService.vendors.map((v) => [v.vendor, v.verdict])).toEqual([
      ['github', 'vendor-incident'],
      ['cloudflare', 'vendor-clear'],
    ]);
    expect(byService.verdict).toBe('vendor-incident');
    const all = (await check({ at: iso(at) })).body;
    expect(all.vendors.map((v) => v.vendor).sort()).toEqual([...vendors].sort());
    expect(all.vendors[0]?.vendor).toBe('github');
    expect(all.vendors.at(-1)?.verdict).toBe('vendor-clear');
    expect(all.ourErrors.services).toEqual(['web']);
  });

  test('vendor-incident for an outage running for hours: our errors are judged against the hour before it began', async () => {
    const at = scenario(12);
    // The incident as GitHub's page showed it 20 min in, still open, moved to have begun 3 h before `at`.
    const recorded = github.find((i) => i.id === '75g5xmzptjqb')!;
    const open = vendorIncidentKnownAt(recorded, Date.parse(recorded.startedAt) + 20 * MINUTE)!;
    expect(open.resolvedAt).toBeNull();
    await poll('github', [around([open], '75g5xmzptjqb', at, 180)]);
    const s = series({ service: 'deploys', vendor: 'github', region: 'us-east-1', code: 'HTTP_502' });
    await errors(s, at - 300 * MINUTE, at - 182 * MINUTE, 1);
    await errors(s, at - 182 * MINUTE, at + 16 * MINUTE, 25);
    const { body } = await check({ vendor: 'github', service: 'deploys', at: iso(at) });
    expect(body.verdict).toBe('vendor-incident');
    expect(body.summary).toMatch(
      /our failed calls to it rose from 1\/min to 25\/min — this is very likely GitHub's problem/,
    );
  });

  test('a zoned time as agents paste it ("… CEST", "… CET") is the same question as its UTC instant', async () => {
    const at = scenario(0);
    // Central European time as the agent's clock shows it that day: CEST in summer, CET in winter.
    const offset = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Europe/Berlin',
      timeZoneName: 'shortOffset',
    })
      .formatToParts(new Date(at))
      .find((p) => p.type === 'timeZoneName')?.value;
    const hours = offset === 'GMT+2' ? 2 : 1;
    const wall = new Date(at + hours * HOUR).toISOString().slice(0, 16).replace('T', ' ');
    const zoned = await check({
      vendor: 'github',
      service: 'deploys',
      at: `${wall} ${hours === 2 ? 'CEST' : 'CET'}`,
    });
    expect(zoned.status).toBe(200);
    expect(zoned.body.query.at).toBe(iso(at));
    expect(zoned.body.verdict).toBe('vendor-incident');
    const epoch = await check({ vendor: 'github', service: 'deploys', at: String(at) });
    expect(epoch.body.query.at).toBe(iso(at));
  });

  test('bad input is a 400 naming the field', async () => {
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [
        { vendor: 'nosuchvendor' },
        'vendor',
        /vendor: "nosuchvendor" is neither watched \(watched: github, twilio, stripe, cloudflare\)/,
      ],
      [
        { service: 'nosuch' },
        'service',
        /service: "nosuch" is not one of ours \(configured: deploys, web, sms, billing, checkout\)/,
      ],
      [{ at: 'banana' }, 'at', /at: cannot read "banana" as a time/],
      [{ at: iso(Date.now() + 2 * HOUR) }, 'at', /is in the future/],
      [{ region: 'Narnia' }, 'region', /region: "Narnia" is not a region we know/],
      [{ vendor: '' }, 'vendor', /vendor: vendor must not be empty/],
      [{ colour: 'red' }, 'vendor', /unknown parameter "colour"/],
    ];
    for (const [query, field, message] of cases) {
      const { status, body } = await check(query);
      expect([query, status]).toEqual([query, 400]);
      expect(body.error).toMatch(message);
      if (!('colour' in query)) expect(body.field).toBe(field);
    }
  });

  test('needs a token with read scope', async () => {
    const none = await fetch(`${api.url}/v1/check`);
    expect(none.status).toBe(401);
    const ingest = await sendJson(`${api.url}/v1/check`, 'GET', ingestToken);
    expect(ingest.status).toBe(403);
  });

  test('upcause check prints the same verdict as the API: summary first, then the table and evidence; --json is the answer', async () => {
    const at = scenario(0);
    const api0 = (await check({ vendor: 'github', service: 'deploys', at: iso(at) })).body;
    const text = await runCli([
      '--config',
      configPath,
      'check',
      'github',
      '--service',
      'deploys',
      '--at',
      iso(at),
    ]);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe(api0.summary);
    expect(text.stdout).toMatch(/VENDOR\s+VERDICT\s+OUR ERRORS/);
    expect(text.stdout).toMatch(/GitHub\s+vendor-incident\s+40\/min \(1\/min before\)/);
    expect(text.stdout).toMatch(/Evidence:\n/);
    const json = await runCli([
      '--config',
      configPath,
      'check',
      'github',
      '--service',
      'deploys',
      '--at',
      iso(at),
      '--json',
    ]);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as CheckAnswer;
    expect(parsed.verdict).toBe(api0.verdict);
    expect(parsed.summary).toBe(api0.summary);
    expect(parsed.vendors.map((v) => [v.vendor, v.verdict, v.ourErrors])).toEqual(
      api0.vendors.map((v) => [v.vendor, v.verdict, v.ourErrors]),
    );
    const suspected = await runCli([
      '--config',
      configPath,
      'check',
      'stripe',
      '--region',
      'eu',
      '--at',
      iso(scenario(2)),
    ]);
    expect(suspected.stdout.split('\n')[0]).toBe(
      (await check({ vendor: 'stripe', region: 'eu', at: iso(scenario(2)) })).body.summary,
    );
  });

  test('upcause check with bad input prints the same message as the API and exits 2', async () => {
    const run = await runCli(['--config', configPath, 'check', 'nosuchvendor']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^upcause: vendor: "nosuchvendor" is neither watched/);
    const zoned = await runCli(['--config', configPath, 'check', '--at', 'not a time']);
    expect(zoned.code).toBe(2);
    expect(zoned.stderr).toMatch(/at: cannot read "not a time"/);
  });

  test('with a customer: whether their requests failed on the vendor around then (sent through POST /v1/errors)', async () => {
    // Recent minutes: the ingest keeps events for the retention only.
    const at = Math.floor((Date.now() - 5 * MINUTE) / MINUTE) * MINUTE;
    await poll('twilio', [around(twilio, '4dtnnnnxnhn9', at, 30)]);
    const events = [];
    for (let k = 1; k <= 12; k++) {
      events.push({
        at: iso(at - k * MINUTE),
        service: 'sms',
        vendor: 'twilio',
        region: 'eu-west-1',
        status: 503,
        count: 20,
        customer: k % 2 ? 'acme' : 'globex',
      });
    }
    for (let k = 40; k <= 100; k += 5)
      events.push({
        at: iso(at - k * MINUTE),
        service: 'sms',
        vendor: 'twilio',
        region: 'eu-west-1',
        status: 503,
        count: 1,
      });
    const res = await sendJson(`${api.url}/v1/errors`, 'POST', ingestToken, events);
    expect(res.status).toBe(202);
    const worker = createIngestWorker({
      redis: t.redis,
      keys: t.keys,
      config: apiConfig(t),
      logger: createLogger('silent'),
    });
    const running = worker.run();
    try {
      await waitUntil('the worker to count the batch', () => worker.stats().events >= events.length);
    } finally {
      await worker.close();
    }
    await running;
    const acme = (await check({ vendor: 'twilio', customer: 'acme', at: iso(at) })).body;
    expect(acme.verdict).toBe('vendor-suspected');
    expect(only(acme, 'twilio').customer).toMatchObject({ id: 'acme', failures: 120 });
    expect(acme.summary).toMatch(/and acme's requests to it failed 120 times around then/);
    expect(only(acme, 'twilio').ourErrors.customers).toBe(2);
    const initech = (await check({ vendor: 'twilio', customer: 'initech', at: iso(at) })).body;
    expect(only(initech, 'twilio').customer).toMatchObject({ id: 'initech', failures: 0, firstAt: null });
    expect(initech.summary).toMatch(/no failed request of initech to it is recorded around then/);
  });
});

describe.skipIf(!hasSharedFixtures)('the check on the full recorded payloads', () => {
  let t: TestRedis;
  let api: TestApi;

  beforeAll(async () => {
    t = await createTestRedis('check-shared');
    api = await startTestApi(t, apiConfig(t, { vendors, services }), 'test-check-shared');
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  test('of the 25 GitHub incidents in incidents.json, only the one covering `at` counts; our deploys calls at baseline: degraded, no impact', async () => {
    const all = withRegions(
      {
        status: null,
        incidents: parseIncidents(
          await readShared('real/statuspage/githubstatus_incidents_2026-07-31.json'),
          'github',
        ),
      },
      'statuspage',
    ).incidents;
    const target = all.find((i) => i.id === '75g5xmzptjqb')!;
    const delta = Date.now() - 3 * HOUR - Date.parse(target.startedAt);
    const moved = all.map((v) => ({
      ...v,
      startedAt: iso(Date.parse(v.startedAt) + delta),
      postedAt: iso(Date.parse(v.postedAt) + delta),
      updatedAt: iso(Date.parse(v.updatedAt) + delta),
      resolvedAt: v.resolvedAt && iso(Date.parse(v.resolvedAt) + delta),
      updates: v.updates.map((u) => ({ ...u, at: iso(Date.parse(u.at) + delta) })),
    }));
    await createVendorStore(t.redis, t.keys).applyPoll(
      'github',
      { status: null, incidents: moved },
      { now: new Date(), latencyMs: 5 },
    );
    const at = Date.parse(target.startedAt) + delta + 10 * MINUTE;
    const pipeline = t.redis.pipeline();
    const s = seriesField({
      service: 'deploys',
      vendor: 'github',
      region: 'us-east-1',
      code: 'HTTP_502',
      errorClass: 'server',
    });
    for (let m = minuteOf(at) - 120; m < minuteOf(at) + 10; m++)
      pipeline.hincrby(t.keys.errorBucket(m), s, 1);
    await pipeline.exec();
    const res = await sendJson(
      `${api.url}/v1/check?${new URLSearchParams({ vendor: 'github', service: 'deploys', at: iso(at) })}`,
      'GET',
      readToken,
    );
    const body = (await res.json()) as CheckAnswer;
    expect(body.verdict).toBe('vendor-degraded-no-impact');
    expect(body.vendors[0]?.incidents.map((i) => i.id)).toEqual(['75g5xmzptjqb']);
  });
});

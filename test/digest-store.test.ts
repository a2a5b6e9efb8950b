import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { normalizeIncident } from '../providers/statuspage.js';
import { parseConfig, type Config } from '../src/config.js';
import type { ErrorEventInput } from '../src/core/contracts.js';
import type { Suspect } from '../src/core/detect/suspect.js';
import { digestPeriod } from '../src/core/digest/period.js';
import { digestSchema, type Digest } from '../src/core/digest/types.js';
import { FetchError } from '../src/core/errors.js';
import type { VendorIncident } from '../src/core/model.js';
import { defaultPlanOptions } from '../src/ingest/aggregate.js';
import { createBucketWriter, writeEntries } from '../src/ingest/bucket-writer.js';
import { decodeEntry } from '../src/ingest/stream-fields.js';
import { createAnnotationStore } from '../src/store/annotations.js';
import { buildDigest } from '../src/store/digest.js';
import { createIncidentStore } from '../src/store/incidents.js';
import { createSuspectStore } from '../src/store/suspects.js';
import { createVendorStore } from '../src/store/vendors.js';
import { ingestGroup } from '../workers/ingest-worker.js';
import { hasSharedFixtures, readShared } from './support/fixtures.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';

// Buckets written for days long past must not expire on arrival: the writer's retention is long,
// the digest's (config ingest.retention, 30 days) is what it reads by.
const writeRetentionMs = 10 * 365 * 86_400_000;

function configFor(t: TestRedis, vendors: string[]): Config {
  return parseConfig(
    {
      redis: { url: redisUrl, prefix: t.prefix },
      vendors,
      api: { console: { publicUrl: 'https://upcause.example/' } },
    },
    {},
    'test',
  );
}

/** Writes our error events into real buckets and HyperLogLogs through the ingest writer. */
async function writeErrors(t: TestRedis, events: ErrorEventInput[], now: Date): Promise<void> {
  const { redis, keys } = t;
  await redis.xgroup('CREATE', keys.errors, ingestGroup, '0', 'MKSTREAM').catch((error: Error) => {
    if (!error.message.includes('BUSYGROUP')) throw error;
  });
  for (const event of events) await redis.xadd(keys.errors, '*', 'event', JSON.stringify(event));
  const read = (await redis.xreadgroup(
    'GROUP',
    ingestGroup,
    'digest-test',
    'COUNT',
    10_000,
    'STREAMS',
    keys.errors,
    '>',
  )) as [string, [string, string[]][]][];
  const window = { now: now.getTime(), retentionMs: writeRetentionMs };
  const writer = createBucketWriter(redis, {
    stream: keys.errors,
    group: ingestGroup,
    dedupeWindowMs: 60_000,
    exemplarsPerMinute: 10,
  });
  const entries = (read[0]?.[1] ?? []).map(([id, fields]) => ({
    id,
    events: () => decodeEntry(fields, window).events,
  }));
  const outcome = await writeEntries(writer, entries, keys, {
    ...defaultPlanOptions,
    retentionMs: writeRetentionMs,
  });
  expect(outcome.events).toBe(events.length);
}

function suspect(over: Partial<Suspect> & Pick<Suspect, 'id' | 'vendor' | 'since'>): Suspect {
  return {
    region: 'us',
    services: ['checkout'],
    rule: 'single-service',
    ratePerMin: 12,
    baselinePerMin: 0.5,
    ratio: 24,
    peakPerMin: 14,
    detectedAt: over.since,
    updatedAt: over.since,
    lastSpikeAt: over.since,
    closedAt: null,
    vendorIncidentId: null,
    vendorPostedAt: null,
    ackLagMinutes: null,
    regionMatch: null,
    ...over,
  };
}

async function scratchKeys(t: TestRedis): Promise<string[]> {
  return t.redis.keys(`${t.keys.root}:digest:customers:*`);
}

describe('buildDigest() on synthetic data (real Redis)', () => {
  let t: TestRedis;
  let digest: Digest;
  const now = new Date('2026-04-06T03:00:00.000Z');

  beforeAll(async () => {
    t = await createTestRedis('digest-store');
    const config = configFor(t, ['stripe', 'twilio']);
    const incident = (id: string, startedAt: string, resolvedAt: string | null): VendorIncident => ({
      vendor: 'stripe',
      id,
      title: `Stripe ${id}`,
      impact: 'major',
      status: resolvedAt ? 'resolved' : 'investigating',
      kind: 'incident',
      startedAt,
      postedAt: startedAt,
      updatedAt: startedAt,
      resolvedAt,
      components: [],
      regions: [],
      updates: [],
      url: null,
    });
    await createVendorStore(t.redis, t.keys).applyPoll(
      'stripe',
      {
        status: null,
        incidents: [
          // 09:00–10:00 on the day: 60 min major.
          incident('s1', '2026-04-05T09:00:00.000Z', '2026-04-05T10:00:00.000Z'),
          // Two days before: 30 min major, in the previous 7 days.
          incident('s0', '2026-04-03T09:00:00.000Z', '2026-04-03T09:30:00.000Z'),
        ],
      },
      { now, latencyMs: 1 },
    );
    await writeErrors(
      t,
      [
        // 09:15, inside s1: attributable. Two customers, one of them again at 12:00.
        {
          at: '2026-04-05T09:15:10Z',
          service: 'checkout',
          vendor: 'Stripe',
          status: 503,
          count: 4,
          customer: 'c1',
        },
        { at: '2026-04-05T09:15:20Z', service: 'checkout', vendor: 'stripe', status: 502, customer: 'c2' },
        // 12:00, outside: counts, not attributable; the same customer c1 in another scope.
        {
          at: '2026-04-05T12:00:30Z',
          service: 'billing',
          vendor: 'stripe',
          code: 'ETIMEDOUT',
          count: 2,
          customer: 'c1',
        },
        // Client errors: left out.
        {
          at: '2026-04-05T13:00:00Z',
          service: 'billing',
          vendor: 'stripe',
          status: 400,
          count: 9,
          customer: 'c9',
        },
        // Call volume at 09:15.
        { at: '2026-04-05T09:15:00Z', service: 'checkout', vendor: 'stripe', calls: 500 },
        // The day before: previous days.
        {
          at: '2026-04-04T08:00:00Z',
          service: 'checkout',
          vendor: 'stripe',
          status: 500,
          count: 7,
          customer: 'c3',
        },
        // Another vendor's errors stay with it; ones naming no vendor go nowhere.
        { at: '2026-04-05T09:15:00Z', service: 'checkout', vendor: 'twilio', status: 500 },
        { at: '2026-04-05T09:15:00Z', service: 'checkout', status: 500 },
      ],
      now,
    );
    digest = await buildDigest(
      { redis: t.redis, keys: t.keys, config },
      digestPeriod('2026-04-05', 1, 'UTC'),
      now,
    );
  });

  afterAll(async () => {
    await t.cleanup();
  });

  test('gathers incidents, errors, calls and customers per vendor', () => {
    expect(digestSchema.parse(digest)).toEqual(digest);
    const stripe = digest.vendors.find((v) => v.id === 'stripe')!;
    expect(stripe.incidents.map((i) => [i.id, i.minutes])).toEqual([['s1', 60]]);
    expect(stripe.period).toMatchObject({
      incidents: 1,
      incidentMinutes: 60,
      errorMinutes: 2, // 09:15 and 12:00 (13:00 was client errors only)
      attributableErrorMinutes: 1, // 09:15, inside s1
      failedCalls: 7, // 4 + 1 + 2
      calls: 500,
      errorRatio: 7 / 500,
      customers: 2, // c1 (twice, two scopes) and c2; c9's minute had only client errors
      // 60 × 0.5 / 60 + 1 / 10 = 0.6
      risk: 0.6,
    });
    expect(stripe.services).toEqual([
      { service: 'checkout', failedCalls: 5 },
      { service: 'billing', failedCalls: 2 },
    ]);
    expect(stripe.hourlyFailedCalls[9]).toBe(5);
    expect(stripe.hourlyFailedCalls[12]).toBe(2);
    // Previous 7 days ÷ 7: s0 (30 min), 7 failed calls in one minute, customer c3.
    expect(stripe.previous7).toMatchObject({
      incidents: 0.1,
      incidentMinutes: 4.3, // 30/7
      errorMinutes: 0.1,
      failedCalls: 1, // 7/7
      customers: 0.1, // 1/7
      calls: null,
    });
    const twilio = digest.vendors.find((v) => v.id === 'twilio')!;
    expect(twilio.period).toMatchObject({ errorMinutes: 1, failedCalls: 1, customers: null });
    expect(digest.quiet).toEqual([]);
    expect(digest.consoleUrl).toBe('https://upcause.example');
  });

  test('leaves no scratch key behind', async () => {
    expect(await scratchKeys(t)).toEqual([]);
  });
});

describe.skipIf(!hasSharedFixtures)('buildDigest() over real stactus histories (real Redis)', () => {
  let t: TestRedis;
  let digest: Digest;
  // The histories end on 22 Aug 2026; the digest is made the next day for 10 Aug 2026 (UTC).
  const now = new Date('2026-08-23T00:00:00.000Z');
  const stored = new Map<string, VendorIncident[]>();

  beforeAll(async () => {
    t = await createTestRedis('digest-stactus');
    const { redis, keys } = t;
    const config = configFor(t, ['twilio', 'cloudflare', 'github', 'stripe']);
    const vendors = createVendorStore(redis, keys);
    for (const vendor of ['twilio', 'cloudflare', 'github']) {
      const lines = (await readShared(`real/stactus/${vendor}.jsonl`)).split('\n').filter((l) => l.trim());
      const page = (JSON.parse(lines[0]!) as { page?: { url?: string } }).page;
      const incidents = lines
        .slice(1)
        .map((l) => normalizeIncident(JSON.parse(l), vendor, page?.url ?? null));
      stored.set(vendor, incidents);
      await vendors.applyPoll(vendor, { status: null, incidents }, { now, latencyMs: 1 });
    }
    // Cloudflare's page unreadable 03:00–03:45 (closed); GitHub's from 22:00 on, still.
    const at = (iso: string) => ({ now: new Date(iso), latencyMs: 5 });
    await vendors.recordFailure(
      'cloudflare',
      new FetchError('http', 'HTTP 503', { status: 503 }),
      at('2026-08-10T03:00:00Z'),
    );
    await vendors.recordNotModified('cloudflare', at('2026-08-10T03:45:00Z'));
    await vendors.recordFailure(
      'github',
      new FetchError('timeout', 'timed out after 10 s'),
      at('2026-08-10T22:00:00Z'),
    );

    await writeErrors(
      t,
      [
        // Twilio on the day: 16:30 and 16:31 (during 5xq8sct98dhc), client errors at 16:40.
        {
          at: '2026-08-10T16:30:05Z',
          service: 'checkout',
          vendor: 'twilio',
          status: 503,
          count: 10,
          calls: 200,
          customer: 'c1',
        },
        {
          at: '2026-08-10T16:31:00Z',
          service: 'api',
          vendor: 'twilio',
          code: 'ETIMEDOUT',
          count: 4,
          customer: 'c2',
        },
        {
          at: '2026-08-10T16:40:00Z',
          service: 'api',
          vendor: 'twilio',
          status: 401,
          count: 6,
          customer: 'c3',
        },
        // Twilio 5 Aug: previous 7 and 30 days.
        {
          at: '2026-08-05T12:01:00Z',
          service: 'checkout',
          vendor: 'twilio',
          status: 503,
          count: 5,
          customer: 'c5',
        },
        // Twilio 15 Jul: past the 30-day retention as of now, so not read.
        {
          at: '2026-07-15T12:00:00Z',
          service: 'checkout',
          vendor: 'twilio',
          status: 503,
          count: 50,
          customer: 'c7',
        },
        // Cloudflare on the day: 10:20 and 11:39 (during 32jmvvgg7wj9), 14:00 (suspect), 15:00.
        {
          at: '2026-08-10T10:20:00Z',
          service: 'api',
          vendor: 'cloudflare',
          status: 502,
          count: 3,
          customer: 'c1',
        },
        { at: '2026-08-10T11:39:00Z', service: 'api', vendor: 'cloudflare', code: 'ECONNRESET' },
        {
          at: '2026-08-10T14:00:00Z',
          service: 'checkout',
          vendor: 'cloudflare',
          status: 500,
          count: 2,
          customer: 'c4',
        },
        { at: '2026-08-10T15:00:00Z', service: 'checkout', vendor: 'cloudflare', status: 500 },
        { at: '2026-08-10T15:00:00Z', service: 'checkout', vendor: 'cloudflare', calls: 1000 },
        // Cloudflare 28 Jul: previous 30 days only.
        {
          at: '2026-07-28T09:00:00Z',
          service: 'api',
          vendor: 'cloudflare',
          status: 500,
          count: 4,
          customer: 'c6',
        },
      ],
      now,
    );

    const suspects = createSuspectStore(redis, keys);
    const tw1 = suspect({
      id: 'sus-tw-1',
      vendor: 'twilio',
      since: '2026-08-10T17:50:00.000Z',
      closedAt: '2026-08-10T18:30:00.000Z',
    });
    const tw0 = suspect({
      id: 'sus-tw-0',
      vendor: 'twilio',
      since: '2026-08-05T12:00:00.000Z',
      closedAt: '2026-08-05T12:30:00.000Z',
    });
    const cf1 = suspect({
      id: 'sus-cf-1',
      vendor: 'cloudflare',
      region: 'eu',
      since: '2026-08-10T13:58:00.000Z',
      closedAt: '2026-08-10T14:20:00.000Z',
    });
    await suspects.save({ opened: [], updated: [], closed: [tw1, tw0, cf1] }, now);
    // Twilio posted m9qjjjgywpzy at 17:59:28, 9 min 28 s after our errors showed it.
    const posted = stored.get('twilio')!.find((i) => i.id === 'm9qjjjgywpzy')!;
    expect((await suspects.linkVendorIncident(tw1, posted)).linked).toBe(true);

    const incidents = createIncidentStore(redis, keys);
    const annotations = createAnnotationStore(redis, keys);
    const ours = async (
      id: string,
      service: string,
      startedAt: string,
      resolvedAt: string,
      verdict: 'upstream' | 'internal',
      vendor: string,
      vendorIncidentId: string,
      confidence: number,
    ) => {
      await incidents.upsert({
        id,
        service,
        title: `Errors in ${service}`,
        startedAt,
        resolvedAt,
        regions: [],
        customers: [],
      });
      await annotations.record(
        { id, verdict, candidates: [{ vendor, vendorIncidentId, confidence, evidence: [] }] },
        new Date(resolvedAt),
      );
    };
    await ours(
      'ours-1',
      'checkout',
      '2026-08-10T16:28:00.000Z',
      '2026-08-10T17:10:00.000Z',
      'upstream',
      'twilio',
      '5xq8sct98dhc',
      0.82,
    );
    await ours(
      'ours-2',
      'api',
      '2026-08-10T10:25:00.000Z',
      '2026-08-10T11:00:00.000Z',
      'upstream',
      'cloudflare',
      '32jmvvgg7wj9',
      0.7,
    );
    await ours(
      'ours-3',
      'api',
      '2026-08-10T14:05:00.000Z',
      '2026-08-10T14:30:00.000Z',
      'internal',
      'cloudflare',
      '32jmvvgg7wj9',
      0.2,
    );
    await ours(
      'ours-4',
      'checkout',
      '2026-08-05T12:05:00.000Z',
      '2026-08-05T12:40:00.000Z',
      'upstream',
      'twilio',
      'w34tk74chrgp',
      0.6,
    );

    const started = performance.now();
    digest = await buildDigest({ redis, keys, config }, digestPeriod('2026-08-10', 1, 'UTC'), now);
    console.log(`buildDigest over the stactus histories took ${Math.round(performance.now() - started)} ms`);
  });

  afterAll(async () => {
    await t.cleanup();
  });

  // Incident figures below were summed over the normalized fixture with a one-off script (each
  // incident's [startedAt, resolvedAt) clipped to the stretch, rounded to minutes, weighted by impact;
  // one left open runs until now or 48 h after its last update, whichever is first); the rest follow
  // from the events, suspects and spans written above. Twilio left 37 incidents open on its page
  // since 2024–2026, Cloudflare 3 and GitHub 1: none of them counts on the day any more.

  test('is a valid digest, vendors by risk, the unused one quiet', () => {
    expect(digestSchema.parse(digest)).toEqual(digest);
    expect(digest.vendors.map((v) => [v.id, v.period.risk, v.trend])).toEqual([
      ['twilio', 21, 'down'], // 21 against 35.1: below 0.8 × 35.1 = 28.1 by more than 1
      ['cloudflare', 16.6, 'up'], // 16.6 − 1.25 × 2.8 = 13.1
      ['github', 2.5, 'flat'], // 2.5 against 1.7: above 1.25 × 1.7 = 2.1, but by less than 1
    ]);
    expect(digest.quiet).toEqual([{ id: 'stripe', name: 'Stripe' }]);
    expect(digest.totals).toEqual({
      vendors: 3,
      incidents: 10, // 6 + 2 + 2
      explained: 2, // ours-1, ours-2
      errorMinutes: 6, // twilio 2, cloudflare 4
      attributableErrorMinutes: 5, // twilio 2; cloudflare 3 (15:00 lies in no incident or suspect)
      unposted: 1, // sus-cf-1
      unreadableMinutes: 165, // 45 + 120
    });
    // now − 30 days = 24 Jul; the previous 30 days start on 11 Jul.
    expect(digest.notes).toEqual([
      'Our error data before 2026-07-24 has expired (kept 30 days): error figures for the previous 30 days count only what is left.',
    ]);
    expect(digest.period.id).toBe('2026-08-10');
  });

  test('Twilio: 6 incidents, two of ours explained, a 9.5-minute acknowledgment lag', () => {
    const v = digest.vendors.find((x) => x.id === 'twilio')!;
    expect(v.period).toEqual({
      incidents: 6,
      byImpact: { critical: 0, major: 0, minor: 6, none: 0, unknown: 0 },
      incidentMinutes: 2370, // 1440 (w34tk74chrgp, 5–11 Aug) + 84 + 191 + 327 + 314 + 14
      maintenance: 0,
      maintenanceMinutes: 0,
      explained: 1,
      errorMinutes: 2, // 16:30, 16:31
      attributableErrorMinutes: 2,
      failedCalls: 14, // 10 + 4; the 6 client errors left out
      calls: 200,
      errorRatio: 0.07,
      customers: 2, // c1, c2
      suspected: 1,
      unposted: 0,
      ackLagMedianMinutes: 9.5, // 17:59:28 − 17:50:00 = 9.47
      ackLagWorstMinutes: 9.5,
      unreadableMinutes: 0,
      // 10 + 2/10 + 9.5/10 + 592.5 weighted min / 60 = 21.025
      risk: 21,
    });
    // ÷ 7: 50 incidents (major 1, minor 43, none 6), 55,154 min, 13,818.7 weighted; ours-4,
    // sus-tw-0 unposted, 5 failed calls at 5 Aug 12:01 (customer c5).
    expect(v.previous7).toEqual({
      incidents: 7.1,
      byImpact: { critical: 0, major: 0.1, minor: 6.1, none: 0.9, unknown: 0 },
      incidentMinutes: 7879.1,
      maintenance: 0,
      maintenanceMinutes: 0,
      explained: 0.1,
      errorMinutes: 0.1,
      attributableErrorMinutes: 0.1,
      failedCalls: 0.7,
      calls: null,
      errorRatio: null,
      customers: 0.1,
      suspected: 0.1,
      unposted: 0.1,
      ackLagMedianMinutes: null,
      ackLagWorstMinutes: null,
      unreadableMinutes: 0,
      risk: 35.1, // (10 + 0.1 + 5 + 13,818.7/60) / 7 = 35.07
    });
    // ÷ 30: 180 incidents (major 1, minor 160, none 19), 200,365 min, 49,985.25 weighted; the same
    // of ours (15 Jul is past the retention).
    expect(v.previous30).toMatchObject({
      incidents: 6,
      byImpact: { critical: 0, major: 0, minor: 5.3, none: 0.6, unknown: 0 },
      incidentMinutes: 6678.8,
      failedCalls: 0.2, // 5/30
      customers: 0, // 1/30
      risk: 28.3, // (10 + 0.1 + 5 + 49,985.25/60) / 30 = 28.27
    });
    expect(v.incidents).toHaveLength(6);
    expect(v.incidents.filter((i) => i.startedAt >= '2026-08-10').map((i) => [i.id, i.minutes])).toEqual([
      ['5xq8sct98dhc', 84], // 16:21:12–17:45:40
      ['m9qjjjgywpzy', 191], // 17:59:28–21:10:39
      ['hdk26lbkmyjc', 327], // 18:32:42–24:00
      ['1v4367vswsrm', 314], // 18:45:47–24:00
      ['mmszj6tbnpzc', 14], // 23:45:45–24:00
    ]);
    // Ran from 5 Aug to 11 Aug 21:20: the whole day.
    expect(v.incidents[0]).toMatchObject({
      id: 'w34tk74chrgp',
      resolvedAt: '2026-08-11T21:20:37.000Z',
      minutes: 1440,
    });
    expect(v.explained).toEqual([
      {
        id: 'ours-1',
        title: 'Errors in checkout',
        service: 'checkout',
        startedAt: '2026-08-10T16:28:00.000Z',
        confidence: 0.82,
        vendorIncidentId: '5xq8sct98dhc',
        link: 'https://upcause.example/incidents/ours-1',
      },
    ]);
    expect(v.services).toEqual([
      { service: 'checkout', failedCalls: 10 },
      { service: 'api', failedCalls: 4 },
    ]);
    expect(v.hourlyFailedCalls).toEqual(Array.from({ length: 24 }, (_, h) => (h === 16 ? 14 : 0)));
    expect(v.ackLag).toEqual({
      byRegion: [{ region: 'us', cases: 1, medianMinutes: 9.5, worstMinutes: 9.5 }],
      cases: [
        {
          suspect: 'sus-tw-1',
          region: 'us',
          services: ['checkout'],
          since: '2026-08-10T17:50:00.000Z',
          postedAt: '2026-08-10T17:59:28.000Z',
          lagMinutes: 9.5,
          vendorIncidentId: 'm9qjjjgywpzy',
          vendorIncidentTitle: 'Dialogflow Virtual Agent Degraded',
          url: 'https://status.twilio.com/incidents/m9qjjjgywpzy',
        },
      ],
    });
    expect(v.unposted).toEqual([]);
    expect(v.unreadable).toEqual([]);
  });

  test('Cloudflare: errors, a suspect it never posted, 45 unreadable minutes', () => {
    const v = digest.vendors.find((x) => x.id === 'cloudflare')!;
    expect(v.period).toEqual({
      incidents: 2,
      byImpact: { critical: 0, major: 0, minor: 2, none: 0, unknown: 0 },
      incidentMinutes: 123, // 123 (32jmvvgg7wj9) + 0 (d9l78m4jbtrv, zero length); 3 left open long before
      maintenance: 0,
      maintenanceMinutes: 0,
      explained: 1, // ours-2; ours-3 was judged internal
      errorMinutes: 4, // 10:20, 11:39, 14:00, 15:00
      attributableErrorMinutes: 3, // 10:20 and 11:39 in 32jmvvgg7wj9, 14:00 in sus-cf-1
      failedCalls: 7, // 3 + 1 + 2 + 1
      calls: 1000,
      errorRatio: 0.007,
      customers: 2, // c1, c4
      suspected: 1,
      unposted: 1,
      ackLagMedianMinutes: null,
      ackLagWorstMinutes: null,
      unreadableMinutes: 45,
      // 10 + 3/10 + 5 + 30.75/60 + 45/60 = 16.56
      risk: 16.6,
    });
    expect(v.previous7).toMatchObject({
      incidents: 2.4, // 17/7
      byImpact: { critical: 0, major: 0, minor: 2.1, none: 0.3, unknown: 0 },
      incidentMinutes: 682.6, // 4778/7
      errorMinutes: 0,
      customers: null,
      risk: 2.8, // 1194.05/60/7
    });
    expect(v.previous30).toMatchObject({
      incidents: 2.9, // 87/30
      byImpact: { critical: 0, major: 0.1, minor: 2.3, none: 0.5, unknown: 0 },
      incidentMinutes: 1103.6, // 33,107/30
      errorMinutes: 0, // 1/30
      failedCalls: 0.1, // 4/30
      customers: 0, // c6: 1/30
      risk: 4.6, // 8312.5/60/30 = 4.62 (28 Jul 09:00 lies in no incident)
    });
    expect(v.incidents.map((i) => [i.id, i.minutes])).toEqual([
      ['32jmvvgg7wj9', 123],
      ['d9l78m4jbtrv', 0],
    ]);
    expect(v.services).toEqual([
      { service: 'api', failedCalls: 4 },
      { service: 'checkout', failedCalls: 3 },
    ]);
    const hours = Array.from({ length: 24 }, () => 0);
    [hours[10], hours[11], hours[14], hours[15]] = [3, 1, 2, 1];
    expect(v.hourlyFailedCalls).toEqual(hours);
    expect(v.unposted).toEqual([
      {
        suspect: 'sus-cf-1',
        region: 'eu',
        services: ['checkout'],
        since: '2026-08-10T13:58:00.000Z',
        closedAt: '2026-08-10T14:20:00.000Z',
        peakPerMin: 14,
        baselinePerMin: 0.5,
      },
    ]);
    expect(v.unreadable).toEqual([
      {
        since: '2026-08-10T03:00:00.000Z',
        until: '2026-08-10T03:45:00.000Z',
        minutes: 45,
        reason: 'HTTP 503',
      },
    ]);
    expect(v.explained.map((e) => [e.id, e.link])).toEqual([
      ['ours-2', 'https://upcause.example/incidents/ours-2'],
    ]);
  });

  test('GitHub: incidents and a page still unreadable at the end of the day', () => {
    const v = digest.vendors.find((x) => x.id === 'github')!;
    expect(v.period).toMatchObject({
      incidents: 2,
      byImpact: { critical: 0, major: 0, minor: 2, none: 0, unknown: 0 },
      incidentMinutes: 127, // 44 + 83; the one left open ended long before
      errorMinutes: 0,
      calls: null,
      customers: null,
      unreadableMinutes: 120, // 22:00–24:00
      risk: 2.5, // 31.75/60 + 120/60 = 2.53
    });
    expect(v.previous7).toMatchObject({ incidents: 0.6, incidentMinutes: 127.7, risk: 1.7 }); // 4/7, 894/7, 705/60/7
    expect(v.previous30).toMatchObject({ incidents: 1, incidentMinutes: 91.5, risk: 1 }); // 29/30, 2746/30, 1778.1/60/30
    expect(v.incidents.map((i) => [i.id, i.minutes])).toEqual([
      ['s19bth7wzkf7', 44],
      ['1t7x65n7kvt1', 83],
    ]);
    expect(v.unreadable).toEqual([
      {
        since: '2026-08-10T22:00:00.000Z',
        until: '2026-08-11T00:00:00.000Z',
        minutes: 120,
        reason: 'timeout',
      },
    ]);
    expect(v.hourlyFailedCalls).toEqual(Array.from({ length: 24 }, () => 0));
  });

  test('leaves no scratch key behind', async () => {
    expect(await scratchKeys(t)).toEqual([]);
  });
});

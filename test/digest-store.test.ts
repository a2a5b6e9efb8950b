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
  // incident's [startedAt, resolvedAt ?? now) clipped to the stretch, rounded to minutes, weighted
  // by impact); the rest follow from the events, suspects and spans written above. Twilio left 37
  // incidents open on its page since 2024–2026 and Cloudflare 3, GitHub 1: each counts whole days.

  test('is a valid digest, vendors by risk, the unused one quiet', () => {
    expect(digestSchema.parse(digest)).toEqual(digest);
    expect(digest.vendors.map((v) => [v.id, v.period.risk, v.trend])).toEqual([
      ['twilio', 211.8, 'flat'], // 211.8 against 225.9: neither 1.25× + 1 nor 0.8× − 1
      ['cloudflare', 34.7, 'up'], // 34.7 − 1.25 × 20.8 = 8.7
      ['github', 8.5, 'flat'], // 8.5 against 7.7
    ]);
    expect(digest.quiet).toEqual([{ id: 'stripe', name: 'Stripe' }]);
    expect(digest.totals).toEqual({
      vendors: 3,
      incidents: 51, // 43 + 5 + 3
      explained: 2, // ours-1, ours-2
      errorMinutes: 6, // twilio 2, cloudflare 4
      attributableErrorMinutes: 6, // every minute lies inside an incident left open
      unposted: 1, // sus-cf-1
      unreadableMinutes: 165, // 45 + 120
    });
    // now − 30 days = 24 Jul; the previous 30 days start on 11 Jul.
    expect(digest.notes).toEqual([
      'Our error data before 2026-07-24 has expired (kept 30 days): error figures for the previous 30 days count only what is left.',
    ]);
    expect(digest.period.id).toBe('2026-08-10');
  });

  test('Twilio: 43 incidents, two of ours explained, a 9.5-minute acknowledgment lag', () => {
    const v = digest.vendors.find((x) => x.id === 'twilio')!;
    expect(v.period).toEqual({
      incidents: 43,
      byImpact: { critical: 0, major: 2, minor: 29, none: 12, unknown: 0 },
      incidentMinutes: 55_650,
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
      // 10 + 2/10 + 9.5/10 + 12,040.5 weighted min / 60 = 211.825
      risk: 211.8,
    });
    // ÷ 7: 87 incidents (major 3, minor 66, none 18), 428,114 min, 93,954.7 weighted; ours-4,
    // sus-tw-0 unposted, 5 failed calls at 5 Aug 12:01 (customer c5).
    expect(v.previous7).toEqual({
      incidents: 12.4,
      byImpact: { critical: 0, major: 0.4, minor: 9.4, none: 2.6, unknown: 0 },
      incidentMinutes: 61_159.1,
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
      risk: 225.9, // (10 + 0.1 + 5 + 93,954.7/60) / 7 = 225.86
    });
    // ÷ 30: 217 incidents (major 3, minor 183, none 31), 1,798,765 min, 393,425.25 weighted; the same
    // of ours (15 Jul is past the retention).
    expect(v.previous30).toMatchObject({
      incidents: 7.2,
      byImpact: { critical: 0, major: 0.1, minor: 6.1, none: 1, unknown: 0 },
      incidentMinutes: 59_958.8,
      failedCalls: 0.2, // 5/30
      customers: 0, // 1/30
      risk: 219.1, // (10 + 0.1 + 5 + 393,425.25/60) / 30 = 219.07
    });
    expect(v.incidents).toHaveLength(43);
    expect(v.incidents.filter((i) => i.startedAt >= '2026-08-10').map((i) => [i.id, i.minutes])).toEqual([
      ['5xq8sct98dhc', 84], // 16:21:12–17:45:40
      ['m9qjjjgywpzy', 191], // 17:59:28–21:10:39
      ['hdk26lbkmyjc', 327], // 18:32:42–24:00
      ['1v4367vswsrm', 314], // 18:45:47–24:00
      ['mmszj6tbnpzc', 14], // 23:45:45–24:00
    ]);
    expect(v.incidents[0]).toMatchObject({ id: 'pv0nck3mdtrk', resolvedAt: null, minutes: 1440 });
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
      incidents: 5,
      byImpact: { critical: 0, major: 0, minor: 5, none: 0, unknown: 0 },
      incidentMinutes: 4443, // 3 × 1440 left open + 123 (32jmvvgg7wj9) + 0 (d9l78m4jbtrv, zero length)
      maintenance: 0,
      maintenanceMinutes: 0,
      explained: 1, // ours-2; ours-3 was judged internal
      errorMinutes: 4, // 10:20, 11:39, 14:00, 15:00
      attributableErrorMinutes: 4,
      failedCalls: 7, // 3 + 1 + 2 + 1
      calls: 1000,
      errorRatio: 0.007,
      customers: 2, // c1, c4
      suspected: 1,
      unposted: 1,
      ackLagMedianMinutes: null,
      ackLagWorstMinutes: null,
      unreadableMinutes: 45,
      // 10 + 4/10 + 5 + 1110.75/60 + 45/60 = 34.66
      risk: 34.7,
    });
    expect(v.previous7).toMatchObject({
      incidents: 2.9, // 20/7
      byImpact: { critical: 0, major: 0, minor: 2.6, none: 0.3, unknown: 0 },
      incidentMinutes: 5002.6, // 35,018/7
      errorMinutes: 0,
      customers: null,
      risk: 20.8, // 8754.05/60/7
    });
    expect(v.previous30).toMatchObject({
      incidents: 3, // 90/30
      byImpact: { critical: 0, major: 0.1, minor: 2.4, none: 0.5, unknown: 0 },
      incidentMinutes: 5423.6, // 162,707/30
      errorMinutes: 0, // 1/30
      failedCalls: 0.1, // 4/30
      customers: 0, // c6: 1/30
      risk: 22.6, // (1/10 + 40,712.5/60)/30 = 22.62
    });
    expect(v.incidents.map((i) => [i.id, i.minutes])).toEqual([
      ['6c608625kpk3', 1440],
      ['jhcdt1yrjv9f', 1440],
      ['v7298p1rwvvr', 1440],
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
      incidents: 3,
      byImpact: { critical: 0, major: 0, minor: 3, none: 0, unknown: 0 },
      incidentMinutes: 1567, // 1440 left open + 44 + 83
      errorMinutes: 0,
      calls: null,
      customers: null,
      unreadableMinutes: 120, // 22:00–24:00
      risk: 8.5, // 391.75/60 + 120/60 = 8.53
    });
    expect(v.previous7).toMatchObject({ incidents: 0.7, incidentMinutes: 1567.7, risk: 7.7 }); // 5/7, 10,974/7, 3225/60/7
    expect(v.previous30).toMatchObject({ incidents: 1, incidentMinutes: 1531.5, risk: 7 }); // 30/30, 45,946/30, 12,578.1/60/30
    expect(v.incidents.map((i) => [i.id, i.minutes])).toEqual([
      ['6bkk045k741z', 1440],
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

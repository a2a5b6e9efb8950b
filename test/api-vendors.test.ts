import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseIncidents, parseSummary } from '../providers/statuspage.js';
import type { Config } from '../src/config.js';
import type { Suspect } from '../src/core/detect/suspect.js';
import { FetchError } from '../src/core/errors.js';
import { callsField, seriesField, type Series } from '../src/core/series.js';
import { createSuspectStore } from '../src/store/suspects.js';
import { createVendorStore } from '../src/store/vendors.js';
import type { SuspectList, VendorDetail } from '../src/store/vendor-detail.js';
import { apiConfig, ingestToken, readToken, sendJson, startTestApi, type TestApi } from './support/api.js';
import { hasSharedFixtures, readOwn, readShared } from './support/fixtures.js';
import { createTestRedis, type TestRedis } from './support/redis.js';

const to = '2024-04-05T00:00:00.000Z';
const polledAt = new Date('2024-04-04T22:30:00Z');
const minuteOf = (iso: string) => Math.floor(Date.parse(iso) / 60_000);

/** A suspected issue as the detector stores it; `extra` overrides fields. */
function suspect(extra: Partial<Suspect> & Pick<Suspect, 'id' | 'vendor' | 'since'>): Suspect {
  return {
    region: 'eu',
    services: ['checkout'],
    rule: 'multi-service',
    ratePerMin: 40,
    baselinePerMin: 2,
    ratio: 20,
    peakPerMin: 55,
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

describe('GET /v1/vendors/:id and GET /v1/suspects (real Redis, real API)', () => {
  let t: TestRedis;
  let api: TestApi;
  let config: Config;
  const recentSince = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 2 * 3_600_000).toISOString();

  beforeAll(async () => {
    t = await createTestRedis('api-vendors');
    config = apiConfig(t, {
      vendors: [
        { id: 'acme', name: 'Acme Cloud', provider: 'statuspage', url: 'https://status.acme.example' },
        { id: 'blindco', name: 'Blind Co', provider: 'statuspage', url: 'https://status.blindco.example' },
      ],
    });
    // The vendor's page as the poller stores it, from the repo's own Statuspage payloads.
    const store = createVendorStore(t.redis, t.keys);
    const summary = parseSummary(await readOwn('statuspage/summary-from-docs.json'), 'acme', polledAt);
    const incidents = parseIncidents(await readOwn('statuspage/incidents-from-docs.json'), 'acme');
    await store.applyPoll('acme', { status: summary.status, incidents }, { now: polledAt, latencyMs: 40 });
    await store.recordFailure(
      'blindco',
      new FetchError('http', 'HTTP 503 from the status page', { status: 503 }),
      {
        now: new Date('2024-04-04T21:05:00Z'),
        latencyMs: 12,
      },
    );

    const suspects = createSuspectStore(t.redis, t.keys);
    // A recent closed one, for the listing without a period (saved first: a save trims rows older than
    // the retention before its `now`).
    await suspects.save(
      {
        opened: [],
        updated: [],
        closed: [suspect({ id: 'acme-recent', vendor: 'acme', since: recentSince, closedAt: recentSince })],
      },
      new Date(),
    );

    await suspects.save(
      {
        opened: [
          suspect({
            id: 'acme-eu-open',
            vendor: 'acme',
            since: '2024-04-04T20:40:00.000Z',
            vendorIncidentId: 'rec0rd1ngeu1',
            vendorPostedAt: '2024-04-04T20:50:02.310Z',
            ackLagMinutes: 10,
            regionMatch: 'exact',
          }),
          suspect({
            id: 'blindco-us-open',
            vendor: 'blindco',
            region: 'us',
            since: '2024-04-04T21:00:00.000Z',
          }),
        ],
        updated: [],
        closed: [
          suspect({
            id: 'acme-eu-closed',
            vendor: 'acme',
            since: '2024-04-03T10:00:00.000Z',
            closedAt: '2024-04-03T10:45:00.000Z',
            vendorPostedAt: '2024-04-03T10:30:00.000Z',
            ackLagMinutes: 30,
          }),
        ],
      },
      new Date(to),
    );
    // Our calls to acme in the 24 hours before `to`: 5xx, a 4xx (our fault) and reported call volume.
    const series = (over: Partial<Series>) =>
      seriesField({
        service: 'checkout',
        vendor: 'acme',
        region: 'eu-west-1',
        code: 'HTTP_503',
        errorClass: 'server',
        ...over,
      });
    const seed = async (iso: string, field: string, n: number) =>
      t.redis.hincrby(t.keys.errorBucket(minuteOf(iso)), field, n);
    await seed('2024-04-04T21:00:00Z', series({}), 30);
    await seed('2024-04-04T21:01:00Z', series({}), 12);
    await seed('2024-04-04T21:01:00Z', series({ service: 'search' }), 3);
    await seed('2024-04-04T21:01:00Z', series({ code: 'HTTP_401', errorClass: 'client' }), 7);
    await seed(
      '2024-04-04T21:01:00Z',
      callsField({ service: 'checkout', vendor: 'acme', region: 'eu-west-1' }),
      900,
    );
    await seed('2024-04-04T10:00:00Z', series({ vendor: 'other' }), 99); // another vendor
    await seed('2024-04-03T21:00:00Z', series({}), 500); // before the 24 hours

    api = await startTestApi(t, config, 'test-api-vendors');
  });

  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  const get = (path: string, token = readToken) => sendJson(`${api.url}${path}`, 'GET', token);

  test('GET /v1/vendors/:id answers status, poll health, incident history, suspects, lag and our error rate (own Statuspage payloads)', async () => {
    const res = await get(`/v1/vendors/acme?to=${to}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as VendorDetail;
    expect(body).toMatchObject({
      id: 'acme',
      name: 'Acme Cloud',
      provider: 'statuspage',
      period: { from: '2024-03-06T00:00:00.000Z', to },
      poll: {
        state: 'ok',
        lastSuccessAt: polledAt.toISOString(),
        blind: false,
        blindReason: null,
        blindSpans: [],
      },
    });
    expect(body.status.indicator).not.toBe('unknown');
    // Newest first; the incident of 2024-03-01 lies before the 30-day period.
    expect(body.incidents.map((i) => i.id)).toEqual(['rec0rd1ngeu1', 'p0stm0rtem01', 'backf1lled01']);
    expect(body.incidentsInPeriod).toBe(3);
    expect(body.suspects.map((s) => [s.id, s.open])).toEqual([
      ['acme-eu-open', true],
      ['acme-eu-closed', false],
    ]);
    expect(body.suspects[1]?.durationMinutes).toBe(45);
    expect(body.ackLag).toEqual({ acknowledged: 2, unacknowledged: 0, medianMinutes: 20, worstMinutes: 30 });

    const rate = body.errorRate;
    expect(rate).toMatchObject({
      from: '2024-04-04T00:00:00.000Z',
      to,
      step: 'hour',
      totalErrors: 45,
      clientErrors: 7,
      totalCalls: 900,
      services: [
        { service: 'checkout', errors: 42 },
        { service: 'search', errors: 3 },
      ],
    });
    expect(rate.errorRatio).toBeCloseTo(45 / 900);
    expect(rate.points).toHaveLength(24);
    expect(rate.points[21]).toEqual({ at: '2024-04-04T21:00:00.000Z', errors: 45, calls: 900 });
    expect(rate.points.filter((p) => p.errors > 0)).toHaveLength(1);

    const perMinute = (await (
      await get(`/v1/vendors/acme?to=${to}&step=minute&limit=1`)
    ).json()) as VendorDetail;
    expect(perMinute.errorRate.points).toHaveLength(24 * 60);
    expect(perMinute.errorRate.points.filter((p) => p.errors > 0).map((p) => [p.at, p.errors])).toEqual([
      ['2024-04-04T21:00:00.000Z', 30],
      ['2024-04-04T21:01:00.000Z', 15],
    ]);
    expect(perMinute.incidents.map((i) => i.id)).toEqual(['rec0rd1ngeu1']);
    expect(perMinute.incidentsInPeriod).toBe(3);
  });

  test('GET /v1/vendors/:id says when the page cannot be read, since when and why', async () => {
    const body = (await (await get(`/v1/vendors/blindco?to=${to}`)).json()) as VendorDetail;
    expect(body.status.indicator).toBe('unknown');
    expect(body.poll).toMatchObject({
      state: 'unreachable',
      lastSuccessAt: null,
      blind: true,
      blindSince: '2024-04-04T21:05:00.000Z',
      blindSpans: [{ vendor: 'blindco', since: '2024-04-04T21:05:00.000Z', until: null }],
    });
    expect(body.poll.blindReason).toMatch(/503/);
    expect(body.ackLag).toEqual({
      acknowledged: 0,
      unacknowledged: 1,
      medianMinutes: null,
      worstMinutes: null,
    });
    expect(body.errorRate.totalErrors).toBe(0);
    expect(body.errorRate.totalCalls).toBeNull();
  });

  test('GET /v1/vendors/:id answers 404 naming an unknown vendor and 400 naming a bad query field', async () => {
    const missing = await get('/v1/vendors/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'vendor "nope" is not a watched vendor' });

    const badStep = await get('/v1/vendors/acme?step=week');
    expect(badStep.status).toBe(400);
    expect(((await badStep.json()) as { error: string }).error).toMatch(/^query\.step: /);
    const badTo = await get('/v1/vendors/acme?to=yesterday');
    expect(badTo.status).toBe(400);
    expect(((await badTo.json()) as { error: string }).error).toMatch(/^query\.to: /);
    const unknownField = await get('/v1/vendors/acme?colour=red');
    expect(unknownField.status).toBe(400);
    expect(((await unknownField.json()) as { error: string }).error).toMatch(/colour/);
  });

  test('GET /v1/suspects lists open and recent suspected issues newest first, with acknowledgment lag', async () => {
    const all = (await (await get('/v1/suspects')).json()) as SuspectList;
    // Without a period: the open ones however old, and those of the last 7 days.
    expect(all.suspects.map((s) => s.id)).toEqual(['acme-recent', 'blindco-us-open', 'acme-eu-open']);
    expect(all.ackLag).toEqual({ acknowledged: 1, unacknowledged: 2, medianMinutes: 10, worstMinutes: 10 });
    const blind = all.suspects.find((s) => s.id === 'blindco-us-open');
    expect(blind?.unacknowledgedMinutes).toBeGreaterThan(60 * 24 * 365);

    const open = (await (await get('/v1/suspects?open=true&vendor=acme')).json()) as SuspectList;
    expect(open.suspects.map((s) => s.id)).toEqual(['acme-eu-open']);
    expect(open.suspects[0]).toMatchObject({ open: true, ackLagMinutes: 10, unacknowledgedMinutes: null });

    const period = (await (
      await get('/v1/suspects?from=2024-04-01T00:00:00Z&to=2024-04-05T00:00:00Z&vendor=acme')
    ).json()) as SuspectList;
    expect(period.suspects.map((s) => s.id)).toEqual(['acme-eu-open', 'acme-eu-closed']);
    expect(period.ackLag.medianMinutes).toBe(20);
    const limited = (await (
      await get('/v1/suspects?from=2024-01-01T00:00:00Z&limit=2')
    ).json()) as SuspectList;
    expect(limited.suspects).toHaveLength(2);
    expect(limited.ackLag.acknowledged + limited.ackLag.unacknowledged).toBe(4);
  });

  test('GET /v1/suspects answers 400 naming the bad field', async () => {
    for (const [query, field] of [
      ['limit=0', 'query.limit'],
      ['open=maybe', 'query.open'],
      ['from=2024-04-05T00:00:00Z&to=2024-04-01T00:00:00Z', 'query.to'],
      ['from=last-week', 'query.from'],
    ] as const) {
      const res = await get(`/v1/suspects?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: string }).error, query).toMatch(new RegExp(`^${field}: `));
    }
  });

  test('both routes need a token with the read scope', async () => {
    for (const path of ['/v1/suspects', '/v1/vendors/acme']) {
      const none = await fetch(`${api.url}${path}`);
      expect(none.status, path).toBe(401);
      const ingestOnly = await get(path, ingestToken);
      expect(ingestOnly.status, path).toBe(403);
      expect(await ingestOnly.json()).toEqual({ error: 'token "producer" lacks the "read" scope' });
    }
  });

  test.skipIf(!hasSharedFixtures)(
    'incident history of a recorded GitHub page comes back newest first',
    async () => {
      const store = createVendorStore(t.redis, t.keys);
      const incidents = parseIncidents(
        await readShared('real/statuspage/githubstatus_incidents_2026-07-31.json'),
        'acme',
      );
      await store.applyPoll(
        'acme',
        { status: null, incidents },
        { now: new Date('2026-07-31T12:00:00Z'), latencyMs: 50 },
      );
      const body = (await (
        await get('/v1/vendors/acme?to=2026-07-31T12:00:00Z&limit=1000')
      ).json()) as VendorDetail;
      const inPeriod = incidents.filter(
        (i) =>
          Date.parse(i.startedAt) >= Date.parse('2026-07-01T12:00:00Z') &&
          Date.parse(i.startedAt) <= Date.parse('2026-07-31T12:00:00Z'),
      );
      expect(inPeriod.length).toBeGreaterThan(0);
      expect(body.incidentsInPeriod).toBe(inPeriod.length);
      const starts = body.incidents.map((i) => Date.parse(i.startedAt));
      expect(starts).toEqual([...starts].sort((a, b) => b - a));
    },
  );
});

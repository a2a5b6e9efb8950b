import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cachetInstant,
  cachetOptionsSchema,
  cachetProvider,
  cachetStatus,
  parseCachetComponents,
  parseCachetGroups,
  parseCachetIncidents,
  parseCachetSchedules,
} from '../providers/cachet.js';
import { vendorStatusSchema, type VendorIncident } from '../src/core/model.js';
import { readOwn } from './support/fixtures.js';
import { createDetectHarness, expectParseError, incidentProblems } from './support/provider-checks.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorHandler, type VendorServer } from './support/vendor-server.js';

const now = new Date('2024-04-04T21:06:00Z');
const berlin = { timeZone: 'Europe/Berlin', pageUrl: 'https://status.acme-video.example' };

describe('Cachet payloads written from the Cachet 2.4 API docs', () => {
  let components: string;
  let groups: string;
  let incidents: VendorIncident[];
  let schedules: VendorIncident[];
  beforeAll(async () => {
    components = await readOwn('cachet/components-from-docs.json');
    groups = await readOwn('cachet/groups-from-docs.json');
    const names = new Map([
      ['1', 'Website'],
      ['2', 'API'],
      ['3', 'Recording, Frankfurt'],
    ]);
    incidents = parseCachetIncidents(await readOwn('cachet/incidents-from-docs.json'), 'acme', {
      ...berlin,
      componentNames: names,
    });
    schedules = parseCachetSchedules(await readOwn('cachet/schedules-from-docs.json'), 'acme', berlin, now);
  });
  const byId = (id: string) => [...incidents, ...schedules].find((i) => i.id === id);

  it('parseCachetComponents() maps status 1–4, resolves group names and drops disabled components', () => {
    const rows = parseCachetComponents(components, parseCachetGroups(groups));
    expect(rows.map((c) => `${c.group ?? '-'} / ${c.name}: ${c.status}`)).toEqual([
      '- / Website: operational',
      'Core / API: degraded_performance',
      'Recording / Recording, Frankfurt: partial_outage',
      'Recording / Recording, Virginia: operational',
    ]);
    expect(rows[0]?.id).toBe('1');
  });

  it('reads wall times in the page zone: 22:47:12 in Berlin (CEST) is 20:47:12Z', () => {
    expect(byId('12')).toMatchObject({
      postedAt: '2024-04-04T20:47:12.000Z',
      startedAt: '2024-04-04T20:41:00.000Z',
    });
    // January is CET (+01:00): the offset comes from the zone's rules, not from a fixed number.
    expect(byId('8')?.postedAt).toBe('2024-01-15T09:05:00.000Z');
  });

  it('orders updates oldest first after the opening message and ends a fixed incident at its fix', () => {
    const incident = byId('12');
    expect(incident?.updates.map((u) => `${u.at.slice(11, 16)} ${u.status}`)).toEqual([
      '20:47 reported',
      '21:05 identified',
      '21:40 watching',
      '22:10 fixed',
    ]);
    expect(incident).toMatchObject({
      status: 'fixed',
      impact: 'unknown',
      kind: 'incident',
      resolvedAt: '2024-04-04T22:10:00.000Z',
      components: ['Recording, Frankfurt'],
      url: 'https://status.acme-video.example/incidents/12',
    });
    expect(incident?.updates[1]).toEqual({
      id: '31',
      at: '2024-04-04T21:05:00.000Z',
      status: 'identified',
      body: 'A storage node in eu-central-1 is full.',
      html: '<p>A storage node in <em>eu-central-1</em> is full.</p>',
    });
  });

  it('keeps an incident reopened after a fix open', () => {
    expect(byId('11')).toMatchObject({ status: 'identified', resolvedAt: null, components: ['API'] });
  });

  it('starts a backfilled incident at occurred_at, before it was posted', () => {
    expect(byId('10')).toMatchObject({
      startedAt: '2024-03-30T07:00:00.000Z',
      postedAt: '2024-03-30T11:15:00.000Z',
      resolvedAt: '2024-03-30T11:15:00.000Z',
    });
  });

  it('reads a pre-2.4 status-0 incident as maintenance scheduled for scheduled_at', () => {
    expect(byId('9')).toMatchObject({
      kind: 'maintenance',
      impact: 'none',
      status: 'scheduled',
      scheduledFor: '2024-04-12T00:00:00.000Z',
      startedAt: '2024-04-12T00:00:00.000Z',
      components: [],
    });
  });

  it('keeps an incident with no component and no impact', () => {
    expect(byId('8')).toMatchObject({ status: 'investigating', impact: 'unknown', components: [] });
  });

  it('parseCachetSchedules() reads upcoming, in-progress and complete windows', () => {
    expect(schedules.map((s) => [s.id, s.status, s.scheduledFor, s.scheduledUntil, s.resolvedAt])).toEqual([
      ['schedule-3', 'upcoming', '2024-04-10T00:00:00.000Z', '2024-04-10T02:00:00.000Z', null],
      ['schedule-2', 'in_progress', '2024-04-04T20:00:00.000Z', '2024-04-04T23:00:00.000Z', null],
      [
        'schedule-1',
        'complete',
        '2024-03-20T00:00:00.000Z',
        '2024-03-20T01:30:00.000Z',
        '2024-03-20T01:30:00.000Z',
      ],
    ]);
    expect(byId('schedule-3')?.components).toEqual(['Recording, Frankfurt']);
  });

  it('holds every invariant', () => {
    expect(incidentProblems([...incidents, ...schedules])).toEqual([]);
  });

  it('cachetStatus() takes the worst component, and a running schedule as maintenance', () => {
    const rows = parseCachetComponents(components, parseCachetGroups(groups));
    expect(vendorStatusSchema.parse(cachetStatus('acme', rows, schedules, now)).indicator).toBe('major');
    const calm = rows.map((c) => ({ ...c, status: 'operational' as const }));
    expect(cachetStatus('acme', calm, schedules, now).indicator).toBe('maintenance');
    expect(cachetStatus('acme', calm, [], now).indicator).toBe('operational');
  });
});

describe('Cachet time handling', () => {
  it('cachetInstant() honours offsets, reads Cachet 1.x epoch seconds and defaults bare times to the zone', () => {
    expect(cachetInstant('2024-04-04T22:47:12+02:00', 'America/New_York')).toBe('2024-04-04T20:47:12.000Z');
    expect(cachetInstant(1420036705, 'Europe/Berlin')).toBe('2014-12-31T14:38:25.000Z');
    expect(cachetInstant('2024-07-01 12:00:00', 'America/Los_Angeles')).toBe('2024-07-01T19:00:00.000Z');
    expect(cachetInstant('2024-07-01 12:00:00', 'UTC')).toBe('2024-07-01T12:00:00.000Z');
    expect(cachetInstant(null, 'UTC')).toBeNull();
  });

  it('reads bare times as UTC when no time zone is configured (the poll default)', () => {
    const body = JSON.stringify({
      data: [{ id: 1, name: 'x', status: 1, created_at: '2024-04-04 22:47:12' }],
    });
    expect(parseCachetIncidents(body, 'v', { timeZone: 'UTC' })[0]?.postedAt).toBe(
      '2024-04-04T22:47:12.000Z',
    );
  });

  it('ignores a completed_at the presenter filled with "now" on a running schedule', () => {
    const body = JSON.stringify({
      data: [
        {
          id: 7,
          name: 'x',
          status: 1,
          scheduled_at: '2024-04-04 20:00:00',
          completed_at: '2024-04-04 21:06:01',
          created_at: '2024-04-01 10:00:00',
        },
      ],
    });
    expect(parseCachetSchedules(body, 'v', { timeZone: 'UTC' }, now)[0]?.scheduledUntil).toBeNull();
  });

  it('cachetOptionsSchema accepts an IANA zone and explains a wrong one', () => {
    expect(cachetOptionsSchema.parse({ timeZone: 'Europe/Berlin' })).toEqual({ timeZone: 'Europe/Berlin' });
    expect(cachetOptionsSchema.parse({})).toEqual({});
    expect(cachetOptionsSchema.safeParse({ timeZone: 'Mars/Olympus' }).error?.issues[0]?.message).toMatch(
      /IANA time zone/,
    );
  });
});

describe('bad Cachet payloads', () => {
  it('names the drifted field, an HTML page and an unreadable timestamp', () => {
    expect(expectParseError(() => parseCachetComponents('{"data": {"id": 1}}')).message).toMatch(
      /^cachet components: data: expected array/,
    );
    expect(expectParseError(() => parseCachetGroups('<!doctype html><html></html>')).message).toMatch(
      /^cachet components\/groups: got HTML/,
    );
    const badTime = '{"data": [{"id": 1, "name": "x", "created_at": "yesterday"}]}';
    expect(expectParseError(() => parseCachetIncidents(badTime, 'v', { timeZone: 'UTC' })).message).toBe(
      'cachet incidents: data[0].created_at: expected a Cachet timestamp',
    );
    expect(
      expectParseError(() => parseCachetSchedules('{"data": [{"id": 2}]}', 'v', { timeZone: 'UTC' }, now))
        .message,
    ).toBe('cachet schedules: schedule 2: no scheduled_at');
  });
});

describe('cachetProvider.poll() through a local server and Redis', () => {
  let server: VendorServer;
  let t: TestRedis;
  const files = new Map<string, string>();

  beforeAll(async () => {
    for (const name of ['components', 'groups', 'incidents', 'schedules'])
      files.set(name, await readOwn(`cachet/${name}-from-docs.json`));
    // Each site is a Cachet under its own base path, so validators of one never answer for another.
    server = await startVendorServer((req, res) => {
      const m = /^\/(\w+)\/api\/v1\/(components\/groups|components|incidents|schedules)(?:\?.*)?$/.exec(
        req.url ?? '',
      );
      const [site, resource] = [m?.[1], m?.[2] === 'components/groups' ? 'groups' : m?.[2]];
      let body = resource ? files.get(resource) : undefined;
      let type = 'application/json';
      if (site === 'old' && (resource === 'schedules' || resource === 'groups')) body = undefined;
      if (site === 'drift' && resource === 'incidents') body = '{"data": {"id": 12}}';
      if (site === 'html') [body, type] = ['<!DOCTYPE html><html><body>Whoops</body></html>', 'text/html'];
      if (body === undefined)
        return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html>404</html>');
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': type, etag }).end(body);
    });
    t = await createTestRedis('cachet');
  });
  afterAll(async () => {
    await t.cleanup();
    await server.close();
  });

  const vendor = (id: string, site: string) => ({
    id,
    url: `${server.baseUrl}/${site}`,
    options: { timeZone: 'Europe/Berlin' },
  });

  it('stores incidents and schedules, with components grouped, and reports the vendor healthy', async () => {
    const { outcome, view, incidents } = await pollThroughStore(
      cachetProvider,
      vendor('cachet-a', 'a'),
      t,
      now,
    );
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).toBe('major');
    expect(view.status.components.find((c) => c.name === 'API')?.group).toBe('Core');
    expect(incidents).toHaveLength(8);
    expect(incidents.find((i) => i.id === '12')?.components).toEqual(['Recording, Frankfurt']);
    expect(server.requests.some((r) => r.path === '/a/api/v1/incidents?sort=id&order=desc&per_page=50')).toBe(
      true,
    );
  });

  it('answers notModified when every endpoint answers 304 to its ETag', async () => {
    expect((await pollThroughStore(cachetProvider, vendor('cachet-b', 'b'), t, now)).outcome).toMatchObject({
      ok: true,
      notModified: false,
    });
    const second = await pollThroughStore(cachetProvider, vendor('cachet-b', 'b'), t, now);
    expect(second.outcome).toMatchObject({ ok: true, notModified: true });
  });

  it('polls a Cachet without /schedules and /components/groups (before 2.4)', async () => {
    const { outcome, view, incidents } = await pollThroughStore(
      cachetProvider,
      vendor('cachet-old', 'old'),
      t,
      now,
    );
    expect(outcome).toMatchObject({ ok: true });
    expect(view.status.components.every((c) => c.group === null)).toBe(true);
    expect(incidents.some((i) => i.id.startsWith('schedule-'))).toBe(false);
  });

  it('marks the vendor unknown with a parse error when incidents drifted', async () => {
    const { outcome, view } = await pollThroughStore(cachetProvider, vendor('cachet-c', 'drift'), t, now);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.kind).toBe('parse');
      expect(outcome.error.message).toBe('cachet incidents: data: expected array, received object');
    }
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  });
});

describe('cachetProvider.detect()', () => {
  const harness = createDetectHarness();
  afterAll(() => harness.close());
  const detectOn = (handler: VendorHandler) => harness.detectOn(cachetProvider, handler, '/');
  const json = (res: Parameters<VendorHandler>[1], body: unknown) =>
    void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  it('recognizes /api/v1/ping and /api/v1/version with full confidence', async () => {
    const { server, detection } = await detectOn((req, res) => {
      if (req.url === '/api/v1/ping') return json(res, { data: 'Pong!' });
      if (req.url === '/api/v1/version') return json(res, { meta: { on_latest: true }, data: '2.4.1' });
      res.writeHead(404).end();
    });
    expect(detection).toMatchObject({ provider: 'cachet', confidence: 1, url: server.baseUrl });
    expect(detection?.evidence).toEqual([
      '/api/v1/ping answered {"data":"Pong!"}',
      '/api/v1/version reports Cachet 2.4.1',
    ]);
  });

  it('is less sure when only the ping answers', async () => {
    const { detection } = await detectOn((req, res) => {
      if (req.url === '/api/v1/ping') return json(res, { data: 'Pong!' });
      res.writeHead(404).end();
    });
    expect(detection?.confidence).toBe(0.8);
  });

  it('returns null for a server that answers 404 everywhere', async () => {
    const { detection } = await detectOn((_req, res) => void res.writeHead(404).end());
    expect(detection).toBeNull();
  });

  it('returns null for a single-page app that answers its HTML on every path', async () => {
    const { detection } = await detectOn(
      (_req, res) =>
        void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>app</body></html>'),
    );
    expect(detection).toBeNull();
  });

  it('returns null for a Statuspage-style API', async () => {
    const { detection } = await detectOn((req, res) => {
      if (req.url === '/api/v2/summary.json') return json(res, { page: {}, components: [] });
      if (req.url === '/api/v1/ping') return json(res, { data: 'pong' });
      res.writeHead(404).end();
    });
    expect(detection).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHistoryFeed } from '../providers/statuspage-feed.js';
import {
  normalizeIncident,
  parseIncident,
  parseIncidents,
  parseScheduledMaintenances,
  parseSummary,
  statuspageProvider,
} from '../providers/statuspage.js';
import type { PollContext } from '../providers/types.js';
import { FetchError } from '../src/core/errors.js';
import { createHttpClient, type HttpClient, type Validators } from '../src/http/client.js';
import { plainBody } from '../src/core/text.js';
import { vendorIncidentSchema, vendorStatusSchema, type VendorIncident } from '../src/core/model.js';
import { hasSharedFixtures, listShared, readOwn, readShared } from './support/fixtures.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

const now = new Date('2024-04-04T21:06:00Z');

/** Every broken invariant as a readable line, so a failure names the incident. */
function problemsOf(incidents: VendorIncident[]): string[] {
  const problems: string[] = [];
  const ids = incidents.map((i) => i.id);
  if (new Set(ids).size !== ids.length) problems.push('duplicate ids');
  for (const i of incidents) {
    const schema = vendorIncidentSchema.safeParse(i);
    if (!schema.success) problems.push(`${i.id}: ${schema.error.issues[0]?.message}`);
    const times = i.updates.map((u) => Date.parse(u.at));
    if (times.some((t, k) => k > 0 && t < times[k - 1]!)) problems.push(`${i.id}: updates not oldest first`);
    if (Date.parse(i.postedAt) > Date.parse(i.updatedAt)) problems.push(`${i.id}: postedAt after updatedAt`);
    if (i.resolvedAt && Date.parse(i.resolvedAt) < Date.parse(i.startedAt))
      problems.push(`${i.id}: resolved before start`);
    const all = [
      i.startedAt,
      i.postedAt,
      i.updatedAt,
      i.resolvedAt,
      i.scheduledFor,
      i.scheduledUntil,
      ...i.updates.map((u) => u.at),
    ];
    if (all.some((t) => t && !t.endsWith('Z'))) problems.push(`${i.id}: a time not in UTC`);
  }
  return problems;
}

function parseError(run: () => unknown): FetchError {
  try {
    run();
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw new Error(`expected a FetchError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a FetchError, nothing was thrown');
}

describe('parseSummary() on a summary written from the Statuspage docs', () => {
  let body: string;
  beforeAll(async () => {
    body = await readOwn('statuspage/summary-from-docs.json');
  });

  it('reports "major" when the page indicator says "minor" but an open incident is major (indicator lag)', () => {
    const { status } = parseSummary(body, 'acme', now);
    expect(status).toMatchObject({
      vendor: 'acme',
      indicator: 'major',
      description: 'Partially Degraded Service',
      health: 'ok',
    });
    expect(status.fetchedAt).toBe('2024-04-04T21:06:00.000Z');
  });

  it('resolves group names through group_id and does not list group rows as components', () => {
    const { components } = parseSummary(body, 'acme', now).status;
    expect(components.map((c) => c.name)).toEqual([
      'Recording, Europe',
      'RTMP Streaming, Europe',
      'REST API',
    ]);
    expect(components[0]).toEqual({
      id: 'recordeu0001',
      name: 'Recording, Europe',
      group: 'EUROPE',
      status: 'partial_outage',
    });
    expect(components[2]?.group).toBeNull();
  });

  it('maps Statuspage "major" impact to major and converts -07:00 times to UTC', () => {
    const incident = parseSummary(body, 'acme', now).incidents.find((i) => i.id === 'rec0rd1ngeu1');
    expect(incident).toMatchObject({
      impact: 'major',
      kind: 'incident',
      status: 'identified',
      startedAt: '2024-04-04T20:50:02.300Z',
      postedAt: '2024-04-04T20:50:02.400Z',
      updatedAt: '2024-04-04T21:05:10.100Z',
      resolvedAt: null,
      components: ['Recording, Europe'],
      regions: [],
      url: 'https://stspg.io/acme0001',
    });
  });

  it('turns an HTML body into text and keeps the markup in html', () => {
    const incident = parseSummary(body, 'acme', now).incidents.find((i) => i.id === 'rec0rd1ngeu1');
    expect(incident?.updates.map((u) => u.status)).toEqual(['investigating', 'identified']);
    expect(incident?.updates[1]).toMatchObject({
      id: 'upd000000002',
      body: 'The cause is a faulty storage node in Frankfurt.\nWe are moving recordings to a healthy node & will update within 30 minutes.',
      html: expect.stringContaining('<br />'),
    });
    expect(incident?.updates[0]).not.toHaveProperty('html');
  });

  it('lists an in-progress maintenance as kind maintenance with impact none and its window', () => {
    const maintenance = parseSummary(body, 'acme', now).incidents.find((i) => i.id === 'ma1ntapi0001');
    expect(maintenance).toMatchObject({
      kind: 'maintenance',
      impact: 'none',
      status: 'in_progress',
      startedAt: '2024-04-04T21:00:00.000Z',
      postedAt: '2024-03-28T17:15:00.000Z',
      scheduledFor: '2024-04-04T21:00:00.000Z',
      scheduledUntil: '2024-04-04T22:00:00.000Z',
      resolvedAt: null,
    });
  });

  it('maps status.indicator "none" to operational when nothing is open', () => {
    const quiet = {
      ...JSON.parse(body),
      incidents: [],
      scheduled_maintenances: [],
      status: { indicator: 'none', description: 'All Systems Operational' },
    };
    expect(parseSummary(JSON.stringify(quiet), 'acme', now).status.indicator).toBe('operational');
  });

  it('raises a quiet indicator to maintenance while a maintenance is in progress', () => {
    const lagging = { ...JSON.parse(body), incidents: [], status: { indicator: 'none' } };
    expect(parseSummary(JSON.stringify(lagging), 'acme', now).status.indicator).toBe('maintenance');
  });

  it('reports "unknown" for an indicator word it does not know, never operational', () => {
    const odd = {
      ...JSON.parse(body),
      incidents: [],
      scheduled_maintenances: [],
      status: { indicator: 'purple' },
    };
    expect(parseSummary(JSON.stringify(odd), 'acme', now).status.indicator).toBe('unknown');
  });

  it('derives the indicator from component states when the page sends no status object', () => {
    const bare = {
      components: [
        { name: 'API', status: 'partial_outage' },
        { name: 'Web', status: 'operational' },
      ],
    };
    expect(parseSummary(JSON.stringify(bare), 'x', now).status.indicator).toBe('major');
  });

  it('accepts an imitator summary with null arrays, missing keys and unknown fields', () => {
    const imitation = JSON.stringify({
      page: { name: 'X', extra: 1 },
      components: [{ name: 'API', status: 'sideways' }],
      incidents: null,
    });
    const { status, incidents } = parseSummary(imitation, 'x', now);
    expect(status.components).toEqual([{ name: 'API', group: null, status: 'unknown' }]);
    expect(incidents).toEqual([]);
  });
});

describe('parseIncidents() on incidents written from the Statuspage docs', () => {
  let incidents: VendorIncident[];
  beforeAll(async () => {
    incidents = parseIncidents(await readOwn('statuspage/incidents-from-docs.json'), 'acme');
  });
  const byId = (id: string) => incidents.find((i) => i.id === id);

  it('keeps every incident and every invariant', () => {
    expect(incidents.map((i) => i.id)).toEqual([
      'rec0rd1ngeu1',
      'p0stm0rtem01',
      'backf1lled01',
      'm1n1mal00001',
    ]);
    expect(problemsOf(incidents)).toEqual([]);
  });

  it('orders updates oldest first and dedupes component names', () => {
    expect(byId('rec0rd1ngeu1')?.updates.map((u) => u.status)).toEqual([
      'investigating',
      'identified',
      'monitoring',
      'resolved',
    ]);
    expect(byId('rec0rd1ngeu1')?.components).toEqual(['Recording, Europe']);
    expect(byId('rec0rd1ngeu1')?.resolvedAt).toBe('2024-04-04T22:10:44.500Z');
  });

  it('starts a backfilled incident at its earlier created_at and dates it posted when the update was created', () => {
    expect(byId('backf1lled01')).toMatchObject({
      impact: 'none',
      startedAt: '2024-03-12T09:00:00.000Z',
      postedAt: '2024-03-13T16:45:11.500Z',
      resolvedAt: '2024-03-12T09:00:00.000Z',
    });
    expect(byId('backf1lled01')?.updates[0]?.at).toBe('2024-03-12T09:00:00.000Z');
  });

  it('ends a postmortem incident at its resolved update, not at the postmortem', () => {
    expect(byId('p0stm0rtem01')).toMatchObject({
      status: 'postmortem',
      resolvedAt: '2024-03-20T16:15:00.000Z',
      updatedAt: '2024-03-22T18:30:00.000Z',
    });
  });

  it('builds the link from the page url when there is no shortlink, and reads a minimal incident', () => {
    expect(byId('m1n1mal00001')).toMatchObject({
      url: 'https://status.acme-video.example/incidents/m1n1mal00001',
      components: [],
      startedAt: '2024-03-01T12:00:00.000Z',
      updatedAt: '2024-03-01T12:20:00.000Z',
      resolvedAt: '2024-03-01T12:20:00.000Z',
    });
  });
});

describe('normalizeIncident()', () => {
  const base = { id: 'abc123def456', name: 'Errors', impact: 'minor', created_at: '2024-05-01T10:00:00Z' };

  it('ends a reopened incident at its last resolution', () => {
    const incident = normalizeIncident(
      {
        ...base,
        status: 'resolved',
        incident_updates: [
          { status: 'resolved', created_at: '2024-05-01T12:00:00Z', body: 'Fixed again.' },
          { status: 'investigating', created_at: '2024-05-01T11:00:00Z', body: 'Errors are back.' },
          { status: 'resolved', created_at: '2024-05-01T10:30:00Z', body: 'Fixed.' },
          { status: 'investigating', created_at: '2024-05-01T10:00:00Z', body: 'Errors.' },
        ],
      },
      'v',
    );
    expect(incident.resolvedAt).toBe('2024-05-01T12:00:00.000Z');
  });

  it('keeps same-second updates in the order the vendor published them', () => {
    const incident = normalizeIncident(
      {
        ...base,
        status: 'resolved',
        resolved_at: '2024-05-01T10:00:01Z',
        incident_updates: [
          { status: 'resolved', created_at: '2024-05-01T10:00:01Z', body: 'c' },
          { status: 'update', created_at: '2024-05-01T10:00:00Z', body: 'b' },
          { status: 'investigating', created_at: '2024-05-01T10:00:00Z', body: 'a' },
        ],
      },
      'v',
    );
    expect(incident.updates.map((u) => u.body)).toEqual(['a', 'b', 'c']);
  });

  it('leaves an incident open while its status is open, and never ends before it starts', () => {
    expect(normalizeIncident({ ...base, status: 'monitoring' }, 'v').resolvedAt).toBeNull();
    const early = normalizeIncident(
      {
        ...base,
        impact: 'maintenance',
        status: 'completed',
        scheduled_for: '2024-05-02T00:00:00Z',
        resolved_at: '2024-05-01T20:00:00Z',
      },
      'v',
    );
    expect(early.startedAt).toBe('2024-05-01T20:00:00.000Z');
  });

  it('uses the page url for the link only when given one', () => {
    expect(normalizeIncident({ ...base, status: 'resolved' }, 'v').url).toBeNull();
    expect(normalizeIncident({ ...base, status: 'resolved' }, 'v', 'https://status.x.example/').url).toBe(
      'https://status.x.example/incidents/abc123def456',
    );
  });
});

describe('plainBody() for update bodies', () => {
  it('strips tags, turns <br> and <p> into line breaks and decodes entities', () => {
    expect(plainBody('<p>First &amp; <b>bold</b></p><p>Second<br/>line&nbsp;&nbsp;here</p>')).toEqual({
      body: 'First & bold\n\nSecond\nline here',
      html: '<p>First &amp; <b>bold</b></p><p>Second<br/>line&nbsp;&nbsp;here</p>',
    });
  });

  it('leaves plain text alone, keeping its paragraphs, and stores no html for it', () => {
    expect(plainBody('  AT&T  delays < 5 min.\n\n\n\nMore   later. ')).toEqual({
      body: 'AT&T delays < 5 min.\n\nMore later.',
    });
  });
});

describe('bad Statuspage payloads', () => {
  it('rejects invalid JSON with a parse error that says so', () => {
    const error = parseError(() => parseSummary('{"page": {', 'x', now));
    expect(error.kind).toBe('parse');
    expect(error.message).toMatch(/^summary\.json: not valid JSON/);
  });

  it('rejects an HTML error page served instead of JSON', () => {
    const error = parseError(() =>
      parseIncidents('<!DOCTYPE html><html><body>502 Bad Gateway</body></html>', 'x'),
    );
    expect(error.kind).toBe('parse');
    expect(error.message).toMatch(/^incidents\.json: got HTML/);
  });

  it('rejects an empty body', () => {
    expect(parseError(() => parseScheduledMaintenances('  ', 'x')).message).toBe(
      'scheduled-maintenances.json: empty body',
    );
  });

  it('names the drifted field when components is not an array', () => {
    const error = parseError(() => parseSummary('{"components": {"id": "a"}}', 'x', now));
    expect(error.kind).toBe('parse');
    expect(error.message).toMatch(/^summary\.json: components: expected array/);
  });

  it('names the index and field when one component has the wrong type', () => {
    const components = [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd', status: 3 }];
    const error = parseError(() => parseSummary(JSON.stringify({ components }), 'x', now));
    expect(error.message).toMatch(/^summary\.json: components\[3\]\.status: expected string/);
  });

  it('names an incident without an id and a timestamp that is not one', () => {
    expect(parseError(() => parseIncidents('{"incidents": [{"name": "x"}]}', 'x')).message).toMatch(
      /^incidents\.json: incidents\[0\]\.id/,
    );
    const badTime = '{"incident": {"id": "a", "created_at": "yesterday"}}';
    expect(parseError(() => parseIncident(badTime, 'x')).message).toBe(
      'incident.json: incident.created_at: expected an ISO-8601 timestamp',
    );
  });

  it('rejects a top-level array and an incident with no time at all', () => {
    expect(parseError(() => parseIncidents('[]', 'x')).message).toMatch(
      /^incidents\.json: body: expected object/,
    );
    expect(parseError(() => normalizeIncident({ id: 'a' }, 'x')).message).toMatch(
      /no created_at, started_at or timed update/,
    );
    expect(parseError(() => normalizeIncident('a string', 'x')).kind).toBe('parse');
  });
});

const sharedFiles = hasSharedFixtures ? await listShared('real/statuspage') : ['(shared fixtures absent)'];

describe.skipIf(!hasSharedFixtures)('recorded Statuspage payloads', () => {
  const read = (name: string) => readShared(`real/statuspage/${name}`);

  it.each(sharedFiles)('%s parses through its parser with every invariant holding', async (name) => {
    const body = await read(name);
    let incidents: VendorIncident[];
    if (/\.(atom|rss)$/.test(name)) incidents = await parseHistoryFeed(body, 'v');
    else if (name.includes('_summary_')) {
      const summary = parseSummary(body, 'v', now);
      expect(vendorStatusSchema.parse(summary.status).components.length).toBeGreaterThan(0);
      incidents = summary.incidents;
    } else if (name.includes('_incidents_')) incidents = parseIncidents(body, 'v');
    else if (name.includes('_scheduled_maintenances_')) incidents = parseScheduledMaintenances(body, 'v');
    else if (name.includes('_incident_object_')) incidents = [normalizeIncident(JSON.parse(body), 'v')];
    else if (name.includes('_incident_')) incidents = [parseIncident(body, 'v')];
    else throw new Error(`no parser chosen for ${name}`);
    if (!name.includes('_summary_')) expect(incidents.length).toBeGreaterThan(0);
    expect(problemsOf(incidents)).toEqual([]);
  });

  it('keeps all 50 GitHub incidents, the 3 backfilled ones starting at their earlier created_at', async () => {
    const raw = JSON.parse(await read('githubstatus_incidents_2026-07-31.json')) as {
      incidents: { id: string; created_at: string; started_at: string }[];
    };
    const incidents = parseIncidents(JSON.stringify(raw), 'github');
    expect(incidents).toHaveLength(50);
    const backfilled = raw.incidents.filter((i) => Date.parse(i.created_at) < Date.parse(i.started_at));
    expect(backfilled.map((i) => i.id).sort()).toEqual(['594m87r8sw13', 'jpd6l1jq0r54', 'kn7gv3tlfc54']);
    for (const b of backfilled) {
      const incident = incidents.find((i) => i.id === b.id);
      expect(incident?.startedAt).toBe(new Date(b.created_at).toISOString());
      expect(Date.parse(incident!.postedAt)).toBeGreaterThan(Date.parse(b.created_at));
    }
    expect(incidents.find((i) => i.id === '594m87r8sw13')).toMatchObject({
      startedAt: '2026-07-24T11:00:00.000Z',
      postedAt: '2026-07-24T15:56:48.881Z',
      resolvedAt: '2026-07-24T11:00:00.000Z',
      impact: 'none',
    });
  });

  it('reads the GitHub summary as operational with no open incidents', async () => {
    const { status, incidents } = parseSummary(
      await read('githubstatus_summary_2026-07-31.json'),
      'github',
      now,
    );
    expect(status.indicator).toBe('operational');
    expect(status.components.length).toBeGreaterThan(5);
    expect(incidents).toEqual([]);
  });

  it('reads the Twilio summary: -07:00 offsets to UTC, groups, 2 open incidents and 9 maintenances', async () => {
    const { status, incidents } = parseSummary(await read('twilio_summary_2020-06-16.json'), 'twilio', now);
    expect(status.indicator).toBe('minor');
    expect(status.components).toHaveLength(65); // 73 rows minus 8 group rows
    expect(status.components.map((c) => c.name)).not.toContain('CARRIER NETWORK');
    expect(status.components.find((c) => c.name === 'SMS, Europe')).toMatchObject({
      group: 'CARRIER NETWORK',
      status: 'operational',
    });
    expect(status.components.find((c) => c.name === 'MMS')?.group).toBe('PROGRAMMABLE MESSAGING');
    expect(incidents.filter((i) => i.kind === 'incident')).toHaveLength(2);
    expect(incidents.filter((i) => i.kind === 'maintenance')).toHaveLength(9);
    const mozambique = incidents.find((i) => i.id === '4dtnnnnxnhn9');
    expect(mozambique).toMatchObject({
      startedAt: '2020-06-16T20:27:41.521Z',
      components: ['SMS, Middle East & Africa'],
      resolvedAt: null,
    });
    expect(incidents.find((i) => i.id === '9szb6ydlg10w')).toMatchObject({
      impact: 'none',
      scheduledFor: '2020-06-16T23:00:00.000Z',
      scheduledUntil: '2020-06-17T03:00:00.000Z',
      components: ['SMS, Europe'],
    });
  });

  it('reads CloudAMQP as under maintenance, not as an outage', async () => {
    const { status, incidents } = parseSummary(
      await read('cloudamqp_summary_maintenance_in_progress_2020-07-16.json'),
      'cloudamqp',
      now,
    );
    expect(status.indicator).toBe('maintenance');
    expect(status.components.filter((c) => c.status === 'under_maintenance').map((c) => c.name)).toEqual([
      'Shared servers',
    ]);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      kind: 'maintenance',
      impact: 'none',
      status: 'in_progress',
      startedAt: '2020-07-16T21:00:00.000Z',
    });
  });

  it('follows Claude maintenances from scheduled to completed with their windows', async () => {
    const maintenances = parseScheduledMaintenances(
      await read('claude_scheduled_maintenances_2026-09-15.json'),
      'claude',
    );
    expect(maintenances.map((m) => m.updates.map((u) => u.status).join('>'))).toEqual([
      'scheduled>in_progress>verifying>completed',
      'scheduled>scheduled>in_progress>completed',
    ]);
    expect(maintenances[0]).toMatchObject({
      kind: 'maintenance',
      status: 'completed',
      scheduledFor: '2025-08-29T01:25:00.000Z',
      scheduledUntil: '2025-08-29T02:40:00.000Z',
      startedAt: '2025-08-29T01:25:00.000Z',
      resolvedAt: '2025-08-29T02:40:21.277Z',
      url: 'https://stspg.io/kzxt8ykxyx3j',
    });
  });

  it('reads the single-incident endpoints, including a title naming more services than components[]', async () => {
    const outage = parseIncident(
      await read('githubstatus_incident_gqx5l06jjxhp_critical_2023-06-29.json'),
      'github',
    );
    expect(outage).toMatchObject({
      impact: 'critical',
      status: 'resolved',
      resolvedAt: '2023-06-29T18:36:19.000Z',
    });
    expect(outage.components).toHaveLength(10);
    expect(outage.updates).toHaveLength(8);
    const slugs = parseIncident(
      await read('githubstatus_incident_t2xwk9mz56f4_title_vs_components_2023-02-18.json'),
      'github',
    );
    expect(slugs.updates).toHaveLength(29);
    expect(slugs.title).toContain('green');
    expect(slugs.components).not.toContain('green');
    const object = normalizeIncident(
      JSON.parse(await read('githubstatus_incident_object_actions_critical_2026-07-19.json')),
      'github',
    );
    expect(object).toMatchObject({
      id: '8vfyvq16hzh9',
      impact: 'critical',
      resolvedAt: '2026-07-20T04:44:03.085Z',
    });
    expect(object.updates.at(-1)?.status).toBe('resolved');
  });

  it("reads incident.io's Statuspage-compatible summary, which has no incidents keys", async () => {
    const { status, incidents } = parseSummary(
      await readShared('real/incidentio/openai_statuspage_compat_summary_2026-07-09.json'),
      'openai',
      now,
    );
    expect(status.indicator).toBe('operational');
    expect(status.components).toHaveLength(25);
    expect(incidents).toEqual([]);
  });
});

describe('statuspageProvider.poll() against a local Statuspage server', () => {
  const payloads = new Map<string, string>();
  let server: VendorServer;
  let http: HttpClient;
  let maintenancesMissing = false;
  let incidentsStatus = 200;
  let t: TestRedis;

  beforeAll(async () => {
    payloads.set('/api/v2/summary.json', await readOwn('statuspage/summary-from-docs.json'));
    payloads.set('/api/v2/incidents.json', await readOwn('statuspage/incidents-from-docs.json'));
    const summary = JSON.parse(payloads.get('/api/v2/summary.json')!) as {
      page: unknown;
      scheduled_maintenances: unknown;
    };
    payloads.set(
      '/api/v2/scheduled-maintenances.json',
      JSON.stringify({ page: summary.page, scheduled_maintenances: summary.scheduled_maintenances }),
    );
    server = await startVendorServer((req, res) => {
      const path = req.url ?? '';
      if (path === '/api/v2/incidents.json' && incidentsStatus !== 200) {
        res.writeHead(incidentsStatus, { 'content-type': 'text/html' }).end('<html>Not here</html>');
        return;
      }
      const body =
        path === '/api/v2/scheduled-maintenances.json' && maintenancesMissing
          ? undefined
          : payloads.get(path);
      if (body === undefined) {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not found</html>');
        return;
      }
      const etag = `"${body.length}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', etag }).end(body);
    });
    http = createHttpClient({
      timeoutMs: 5_000,
      maxBodyBytes: 5_000_000,
      userAgent: 'upcause-test',
      allowPrivateNetworks: true,
    });
    t = await createTestRedis('statuspage-partial');
  });
  afterAll(async () => {
    http.close();
    await server.close();
    await t.cleanup();
  });

  function context(known = new Map<string, Validators>()): PollContext {
    const vendor = { id: 'acme', name: 'Acme Video', provider: 'statuspage', url: server.baseUrl };
    return {
      vendor,
      now,
      async get(path, options) {
        const response = await http.get({
          baseUrl: vendor.url,
          path,
          accept: options?.accept,
          validators: known.get(path),
        });
        known.set(path, response.validators);
        return response;
      },
    };
  }

  it('merges summary, incidents and maintenances by id, the newest copy winning', async () => {
    const result = await statuspageProvider.poll(context());
    expect(result.notModified).toBe(false);
    expect(result.status?.indicator).toBe('major');
    expect(result.incidents.map((i) => i.id).sort()).toEqual([
      'backf1lled01',
      'm1n1mal00001',
      'ma1ntapi0001',
      'p0stm0rtem01',
      'rec0rd1ngeu1',
    ]);
    expect(result.incidents.find((i) => i.id === 'rec0rd1ngeu1')?.status).toBe('resolved');
    expect(server.requests.at(-1)?.headers.accept).toBe('application/json');
  });

  it('does not fail the poll when scheduled-maintenances.json answers 404', async () => {
    maintenancesMissing = true;
    try {
      const result = await statuspageProvider.poll(context());
      expect(result.incidents.map((i) => i.id)).toContain('ma1ntapi0001'); // still known from the summary
    } finally {
      maintenancesMissing = false;
    }
  });

  it('keeps the summary when incidents.json answers 404, and says which part it could not read', async () => {
    incidentsStatus = 404;
    try {
      const result = await statuspageProvider.poll(context());
      expect(result.status?.indicator).toBe('major');
      expect(result.incidents.map((i) => i.id).sort()).toEqual(['ma1ntapi0001', 'rec0rd1ngeu1']);
      expect(result.openSetComplete).toBe(true);
      expect(result.partial).toEqual([
        'incidents.json answered HTTP 404: recent resolved incidents not read',
      ]);
    } finally {
      incidentsStatus = 200;
    }
  });

  it('stores the summary of a poll whose incidents.json failed, with the partial read in the health, until a full read', async () => {
    const vendor = { id: 'acme-partial', url: server.baseUrl };
    incidentsStatus = 503;
    let first;
    try {
      first = await pollThroughStore(statuspageProvider, vendor, t, now);
    } finally {
      incidentsStatus = 200;
    }
    expect(first.outcome).toMatchObject({ ok: true, notModified: false });
    expect(first.view.health).toMatchObject({
      state: 'ok',
      consecutiveFailures: 0,
      partial: 'incidents.json answered HTTP 503: recent resolved incidents not read',
    });
    expect(first.view.status).toMatchObject({ indicator: 'major', health: 'ok' });
    expect(first.incidents.map((i) => i.id).sort()).toEqual(['ma1ntapi0001', 'rec0rd1ngeu1']);

    const second = await pollThroughStore(statuspageProvider, vendor, t, now);
    expect(second.view.health.partial).toBeNull();
    expect(second.incidents.map((i) => i.id)).toContain('p0stm0rtem01');
  });

  it('fails with a parse error naming the URL when incidents.json is an HTML page', async () => {
    const saved = payloads.get('/api/v2/incidents.json')!;
    payloads.set('/api/v2/incidents.json', '<!DOCTYPE html><html><body>Down for maintenance</body></html>');
    try {
      const error = await statuspageProvider.poll(context()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FetchError);
      expect(error).toMatchObject({ kind: 'parse', url: `${server.baseUrl}/api/v2/incidents.json` });
      expect((error as FetchError).message).toMatch(/^incidents\.json: got HTML/);
    } finally {
      payloads.set('/api/v2/incidents.json', saved);
    }
  });
});

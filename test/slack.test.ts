import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSlackCurrent, parseSlackHistory, slackProvider } from '../providers/slack.js';
import { vendorStatusSchema, type VendorIncident } from '../src/core/model.js';
import { hasSharedFixtures, readOwn, readShared } from './support/fixtures.js';
import { createDetectHarness, expectParseError, incidentProblems } from './support/provider-checks.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer, type VendorHandler } from './support/vendor-server.js';

const now = new Date('2024-04-04T21:40:00Z');

describe.skipIf(!hasSharedFixtures)('recorded Slack payload (current, 2020-07-30)', () => {
  let body: string;
  beforeAll(async () => {
    body = await readShared('real/slack/current_active_incident_2020-07-30.json');
  });

  it('parses both active incidents with every invariant holding', () => {
    const { status, incidents } = parseSlackCurrent(body, 'slack', now);
    expect(vendorStatusSchema.parse(status).health).toBe('ok');
    expect(incidents.map((i) => i.id)).toEqual(['878', '879']);
    expect(incidentProblems(incidents)).toEqual([]);
  });

  it('converts the -07:00 offsets to UTC and unescapes the JSON-escaped slashes', () => {
    const incident = parseSlackCurrent(body, 'slack', now).incidents.find((i) => i.id === '878');
    expect(incident).toMatchObject({
      kind: 'incident',
      impact: 'minor',
      status: 'active',
      startedAt: '2020-07-30T22:12:34.000Z',
      postedAt: '2020-07-30T22:12:34.000Z',
      resolvedAt: null,
      components: ['Notifications'],
      regions: [],
      url: 'https://status.slack.com/2020-07/ea58a170d343b2ad',
    });
    expect(incident?.updates).toEqual([
      {
        at: '2020-07-30T22:12:34.000Z',
        status: 'active',
        body: expect.stringMatching(/^Some users might notice that their notifications settings/),
      },
    ]);
  });

  it('reports minor with the affected services degraded, and lists no untouched service', () => {
    const { status } = parseSlackCurrent(body, 'slack', now);
    expect(status.indicator).toBe('minor');
    expect(status.description).toBe('2 active items');
    expect(status.components).toEqual([
      { name: 'Notifications', group: null, status: 'degraded_performance' },
      { name: 'Apps/Integrations/APIs', group: null, status: 'degraded_performance' },
    ]);
  });
});

describe('parseSlackHistory() on a history written from the Slack status API docs', () => {
  let incidents: VendorIncident[];
  const byId = (id: string) => incidents.find((i) => i.id === id);
  beforeAll(async () => {
    incidents = parseSlackHistory(await readOwn('slack/history-from-docs.json'), 'slack');
  });

  it('keeps every item, notices and maintenances included, with every invariant', () => {
    expect(incidents.map((i) => i.id)).toEqual(['1201', '1202', '1203', '1204', '1205', '1206']);
    expect(incidentProblems(incidents)).toEqual([]);
  });

  it('orders notes oldest first, marks the last with the item status and ends at it', () => {
    const incident = byId('1201');
    expect(incident?.updates.map((u) => `${u.at} ${u.status}`)).toEqual([
      '2024-04-04T20:50:12.000Z active',
      '2024-04-04T21:31:40.000Z active',
      '2024-04-04T22:58:03.000Z resolved',
    ]);
    expect(incident).toMatchObject({
      resolvedAt: '2024-04-04T22:58:03.000Z',
      updatedAt: '2024-04-04T23:02:40.000Z',
      components: ['Messaging', 'Connectivity'],
    });
  });

  it('turns an HTML note into text and keeps the markup, and decodes entities', () => {
    const [first, second, last] = byId('1201')!.updates;
    expect(last).toMatchObject({
      body: "We've resolved the issue.\nMessages sent during the incident were delivered once the fix rolled out.",
      html: expect.stringContaining('<br>'),
    });
    expect(second?.body).toBe("We've identified a faulty configuration change & are rolling it back.");
    expect(first).not.toHaveProperty('html');
  });

  it('maps an outage to major and reads a -08:00 winter offset', () => {
    expect(byId('1202')).toMatchObject({
      impact: 'major',
      kind: 'incident',
      startedAt: '2024-01-16T17:05:00.000Z',
      resolvedAt: '2024-01-16T19:40:00.000Z',
    });
  });

  it('keeps a notice as an incident with impact none', () => {
    expect(byId('1203')).toMatchObject({ kind: 'incident', impact: 'none', status: 'resolved' });
  });

  it('reads scheduled, completed and cancelled items as maintenance, open only while scheduled', () => {
    expect(byId('1204')).toMatchObject({
      kind: 'maintenance',
      impact: 'none',
      resolvedAt: '2024-03-24T09:10:00.000Z',
    });
    expect(byId('1204')?.updates.map((u) => u.status)).toEqual(['scheduled', 'completed']);
    expect(byId('1205')).toMatchObject({ kind: 'maintenance', status: 'scheduled', resolvedAt: null });
    expect(byId('1206')).toMatchObject({
      kind: 'maintenance',
      status: 'cancelled',
      resolvedAt: '2024-03-05T17:00:00.000Z',
    });
  });
});

describe('parseSlackCurrent()', () => {
  const current = (status: string, items: unknown[] = []) =>
    JSON.stringify({ status, date_updated: '2024-04-04T14:35:00-07:00', active_incidents: items });
  const item = (type: string, status = 'active') => ({
    id: 9,
    date_created: '2024-04-04T14:00:00-07:00',
    title: 'x',
    type,
    status,
    services: ['Calls'],
    notes: [],
  });

  it('reads the docs sample with a string id as minor', async () => {
    const { status, incidents } = parseSlackCurrent(await readOwn('slack/current-from-docs.json'), 's', now);
    expect(status.indicator).toBe('minor');
    expect(incidents[0]).toMatchObject({ id: '1201', status: 'active', resolvedAt: null });
  });

  it('reads "ok" with no items as operational with no components', () => {
    expect(parseSlackCurrent(current('ok'), 's', now).status).toMatchObject({
      indicator: 'operational',
      description: 'No issues',
      components: [],
    });
  });

  it('maps an active outage to major and its services to partial_outage', () => {
    const { status } = parseSlackCurrent(current('active', [item('outage')]), 's', now);
    expect(status.indicator).toBe('major');
    expect(status.components).toEqual([{ name: 'Calls', group: null, status: 'partial_outage' }]);
  });

  it('does not count an announced maintenance before it starts, nor a notice, as degradation', () => {
    const { status } = parseSlackCurrent(
      current('active', [item('notice', 'scheduled'), { ...item('notice'), id: 10 }]),
      's',
      now,
    );
    expect(status.indicator).toBe('operational');
    expect(status.components).toEqual([{ name: 'Calls', group: null, status: 'operational' }]);
  });

  it('never reads "active" with an empty list as operational, nor an unknown word', () => {
    expect(parseSlackCurrent(current('active'), 's', now).status.indicator).toBe('minor');
    expect(parseSlackCurrent(current('purple'), 's', now).status.indicator).toBe('unknown');
  });

  it('names the drifted field, an HTML page and a non-array history', () => {
    expect(
      expectParseError(() => parseSlackCurrent('{"status":"ok","active_incidents":{}}', 's', now)).message,
    ).toBe('slack current: active_incidents: expected array, received object');
    const html = expectParseError(() =>
      parseSlackCurrent('<!DOCTYPE html><html>Service Unavailable</html>', 's', now),
    );
    expect(html.kind).toBe('parse');
    expect(html.message).toMatch(/^slack current: got HTML/);
    expect(expectParseError(() => parseSlackHistory('{"items": []}', 's')).message).toMatch(
      /^slack history: body: expected array/,
    );
    expect(expectParseError(() => parseSlackHistory('[{"id": 1, "title": "x"}]', 's')).message).toBe(
      'slack item 1: no date_created and no dated note',
    );
  });
});

describe('slackProvider end to end through a local server and Redis', () => {
  const served = new Map<string, { body: string; type: string }>();
  let server: VendorServer;
  let t: TestRedis;
  let current: string;

  beforeAll(async () => {
    current = hasSharedFixtures
      ? await readShared('real/slack/current_active_incident_2020-07-30.json')
      : await readOwn('slack/current-from-docs.json');
    served.set('/api/v2.0.0/current', { body: current, type: 'application/json' });
    served.set('/api/v2.0.0/history', {
      body: await readOwn('slack/history-from-docs.json'),
      type: 'application/json',
    });
    server = await startVendorServer((req: http.IncomingMessage, res: http.ServerResponse) => {
      const page = served.get(req.url ?? '');
      if (!page)
        return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not found</html>');
      const etag = `"${page.body.length}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': page.type, etag }).end(page.body);
    });
    t = await createTestRedis('slack');
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  it('stores current and history items and reports the vendor healthy', async () => {
    const { outcome, view, incidents } = await pollThroughStore(
      slackProvider,
      { id: 'slack-ok', url: server.baseUrl },
      t,
      now,
    );
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).toBe('minor');
    expect(incidents.map((i) => i.id)).toEqual(expect.arrayContaining(['1202', '1204']));
    // The recorded current payload adds two items to the six of the history; the docs one repeats 1201.
    expect(incidents).toHaveLength(hasSharedFixtures ? 8 : 6);
  });

  it('marks an HTML error page served with 200 as a parse error, never operational', async () => {
    served.set('/api/v2.0.0/current', {
      body: '<!DOCTYPE html><html><body>Oops</body></html>',
      type: 'text/html',
    });
    try {
      const { outcome, view } = await pollThroughStore(
        slackProvider,
        { id: 'slack-html', url: server.baseUrl },
        t,
        now,
      );
      expect(outcome.ok).toBe(false);
      if (!outcome.ok)
        expect(outcome.error).toMatchObject({ kind: 'parse', url: `${server.baseUrl}/api/v2.0.0/current` });
      expect(view.status.indicator).toBe('unknown');
      expect(view.health.state).toBe('parse_error');
    } finally {
      served.set('/api/v2.0.0/current', { body: current, type: 'application/json' });
    }
  });
});

describe('slackProvider.detect()', () => {
  const harness = createDetectHarness();
  afterAll(() => harness.close());

  async function detectOn(handler: (path: string) => { status: number; body: string; type: string }) {
    const respond: VendorHandler = (req, res) => {
      const answer = handler(req.url ?? '');
      res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
    };
    return (await harness.detectOn(slackProvider, respond)).detection;
  }

  it("recognizes a page answering Slack's /api/v2.0.0/current", async () => {
    const body = await readOwn('slack/current-from-docs.json');
    const detection = await detectOn((path) =>
      path === '/api/v2.0.0/current'
        ? { status: 200, body, type: 'application/json' }
        : { status: 404, body: 'no', type: 'text/plain' },
    );
    expect(detection).toMatchObject({ provider: 'slack', confidence: 0.9, name: 'Slack' });
    expect(detection?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('returns null for a server that answers 404 everywhere, and for a Statuspage page', async () => {
    expect(await detectOn(() => ({ status: 404, body: 'no', type: 'text/plain' }))).toBeNull();
    const summary = JSON.stringify({
      page: { id: 'abcdefghijkl', name: 'X' },
      status: { indicator: 'none' },
    });
    expect(
      await detectOn((path) =>
        path === '/api/v2/summary.json'
          ? { status: 200, body: summary, type: 'application/json' }
          : { status: 200, body: '<html>home</html>', type: 'text/html' },
      ),
    ).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instatusProvider, parseComponents, parseSummary } from '../providers/instatus.js';
import { vendorStatusSchema } from '../src/core/model.js';
import { readOwn } from './support/fixtures.js';
import {
  type Pages,
  createDetectHarness,
  expectParseError,
  incidentProblems,
  servePages,
} from './support/provider-checks.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

// No recorded Instatus payload exists in ../shared (see SOURCES.md), so these tests run on payloads
// written from Instatus's public docs (help/api/public-data, help/api/components).
const now = new Date('2022-06-11T19:00:00Z');
const summaryWith = (page: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ page: { name: 'X', url: 'https://status.x.example', ...page }, ...extra });

describe('parseSummary() on a summary written from the Instatus docs', () => {
  let result: ReturnType<typeof parseSummary>;
  beforeAll(async () => {
    result = parseSummary(await readOwn('instatus/summary-from-docs.json'), 'acme', now);
  });
  const byId = (id: string) => result.incidents.find((i) => i.id === id);

  it('keeps every active incident and maintenance with every invariant', () => {
    expect(incidentProblems(result.incidents)).toEqual([]);
    expect(result.incidents.map((i) => `${i.kind} ${i.id}`)).toEqual([
      'incident cl4a8n3070721qtmzvts760c4',
      'incident cl4a9x0a10001qtmz5x7d2k1e',
      'incident cl4a7b2c30002qtmzq8w1e9r4',
      'maintenance cl4a8nlv50918qtmzdlw60ivu',
      'maintenance cl4a6d5e70003qtmzt2y4u6i8',
    ]);
  });

  it('takes the id from the incident url when the summary gives none, and maps "MAJOROUTAGE" to critical', () => {
    expect(byId('cl4a8n3070721qtmzvts760c4')).toMatchObject({
      title: "We're facing an issue with our API",
      impact: 'critical',
      status: 'investigating',
      startedAt: '2022-06-11T18:55:50.000Z',
      postedAt: '2022-06-11T18:55:50.000Z',
      resolvedAt: null,
      components: [],
      regions: [],
      updates: [],
      url: 'https://status.acme-video.example/incident/cl4a8n3070721qtmzvts760c4',
    });
  });

  it('reads a JavaScript Date.toString() start with a GMT+0200 offset as UTC', () => {
    expect(byId('cl4a9x0a10001qtmz5x7d2k1e')).toMatchObject({
      impact: 'minor',
      status: 'monitoring',
      startedAt: '2022-06-11T18:10:00.000Z',
      updatedAt: '2022-06-11T18:40:00.000Z',
    });
  });

  it('keeps an "OPERATIONAL" impact incident as impact none and closes a RESOLVED one at updatedAt', () => {
    expect(byId('cl4a7b2c30002qtmzq8w1e9r4')).toMatchObject({
      impact: 'none',
      status: 'resolved',
      resolvedAt: '2022-06-11T16:30:00.000Z',
    });
  });

  it('reads maintenances with Statuspage-style status words and a window from start + duration minutes', () => {
    expect(byId('cl4a8nlv50918qtmzdlw60ivu')).toMatchObject({
      kind: 'maintenance',
      impact: 'none',
      status: 'scheduled',
      scheduledFor: '2022-06-11T18:55:54.000Z',
      scheduledUntil: '2022-06-11T19:55:54.000Z',
      resolvedAt: null,
    });
    expect(byId('cl4a6d5e70003qtmzt2y4u6i8')).toMatchObject({
      status: 'in_progress',
      scheduledUntil: '2022-06-11T19:00:00.000Z',
    });
  });

  it('dates a maintenance announced before its window as posted at the announcement', () => {
    const announced = {
      activeMaintenances: [
        {
          id: 'm1',
          start: '2022-06-20T02:00:00Z',
          status: 'NOTSTARTEDYET',
          duration: 30,
          updatedAt: '2022-06-11T09:00:00Z',
        },
      ],
    };
    const [maintenance] = parseSummary(summaryWith({ status: 'UP' }, announced), 'x', now).incidents;
    expect(maintenance).toMatchObject({
      startedAt: '2022-06-20T02:00:00.000Z',
      postedAt: '2022-06-11T09:00:00.000Z',
      updatedAt: '2022-06-11T09:00:00.000Z',
      scheduledUntil: '2022-06-20T02:30:00.000Z',
      resolvedAt: null,
    });
  });

  it('reports the worst of HASISSUES and the open incidents: critical', () => {
    expect(vendorStatusSchema.parse(result.status)).toMatchObject({
      vendor: 'acme',
      indicator: 'critical',
      components: [],
      fetchedAt: '2022-06-11T19:00:00.000Z',
    });
  });

  it('maps page statuses, including the API forms with ALL/SOME/ONE prefixes', () => {
    const indicator = (status: string, extra?: Record<string, unknown>) =>
      parseSummary(summaryWith({ status }, extra), 'x', now).status.indicator;
    expect(indicator('UP')).toBe('operational');
    expect(indicator('HASISSUES')).toBe('minor');
    expect(indicator('UNDERMAINTENANCE')).toBe('maintenance');
    expect(indicator('SOMEPARTIALOUTAGE')).toBe('major');
    expect(indicator('ALLMAJOROUTAGE')).toBe('critical');
    expect(indicator('ONEDEGRADEDPERFORMANCE')).toBe('minor');
    expect(indicator('PURPLE')).toBe('unknown');
    const inProgress = {
      activeMaintenances: [{ id: 'm', start: '2022-06-11T18:00:00Z', status: 'INPROGRESS', duration: 30 }],
    };
    expect(indicator('UP', inProgress)).toBe('maintenance');
  });

  it('rejects drift, HTML and an item it cannot identify', () => {
    expect(expectParseError(() => parseSummary('{"page": {"name": "X"}}', 'x', now)).message).toBe(
      'summary.json: page.status: expected string, received undefined',
    );
    expect(
      expectParseError(() => parseSummary(summaryWith({ status: 'UP' }, { activeIncidents: {} }), 'x', now))
        .message,
    ).toMatch(/^summary\.json: activeIncidents: expected array/);
    expect(expectParseError(() => parseSummary('<!DOCTYPE html><html></html>', 'x', now)).message).toMatch(
      /^summary\.json: got HTML/,
    );
    const anonymous = { activeIncidents: [{ name: 'x', started: '2022-06-11T18:00:00Z' }] };
    expect(
      expectParseError(() => parseSummary(summaryWith({ status: 'UP' }, anonymous), 'x', now)).message,
    ).toBe('summary.json: activeIncidents[0]: no id and no incident url');
    const undated = { activeIncidents: [{ id: 'a', started: 'soon' }] };
    expect(
      expectParseError(() => parseSummary(summaryWith({ status: 'UP' }, undated), 'x', now)).message,
    ).toBe('summary.json: activeIncidents[0].started: expected an ISO-8601 timestamp');
  });
});

describe('parseComponents()', () => {
  it('reads the documented bare array, mapping CAPS statuses and group objects', async () => {
    expect(parseComponents(await readOwn('instatus/components-from-docs.json'))).toEqual([
      { id: 'ckf01fvnxywz60a35wdbn5gz5', name: 'App', group: null, status: 'operational' },
      { id: 'ckf01fvnxywz50a35nh1qzssm', name: 'API', group: null, status: 'major_outage' },
      { id: 'ckf01fvnxywz70a35r3kqm2ad', name: 'Recording', group: 'Europe', status: 'degraded_performance' },
      { id: 'ckf01fvnxywz90a35p4v8hncf', name: 'Status emails', group: null, status: 'under_maintenance' },
    ]);
  });

  it('reads the {components} wrapper with parents and children, the parent naming the group', () => {
    const body = JSON.stringify({
      components: [
        {
          id: 'p',
          name: 'Europe',
          status: 'PARTIALOUTAGE',
          isParent: true,
          children: [
            { id: 'c1', name: 'Frankfurt', status: 'PARTIALOUTAGE' },
            { id: 'c2', name: 'Dublin', status: 'MINOROUTAGE' },
          ],
        },
        { id: 'c3', name: 'Billing', status: 'SIDEWAYS', group: null },
      ],
    });
    expect(parseComponents(body)).toEqual([
      { id: 'c1', name: 'Frankfurt', group: 'Europe', status: 'partial_outage' },
      { id: 'c2', name: 'Dublin', group: 'Europe', status: 'partial_outage' },
      { id: 'c3', name: 'Billing', group: null, status: 'unknown' },
    ]);
  });

  it('rejects an object that is neither a list nor {components}', () => {
    expect(expectParseError(() => parseComponents('{"items": []}')).kind).toBe('parse');
  });
});

describe('instatusProvider end to end through a local server and Redis', () => {
  let server: VendorServer;
  let t: TestRedis;
  const pages: Pages = new Map();
  let summary = '';
  let components = '';
  const json = (body: string) => ({ type: 'application/json', body });

  beforeAll(async () => {
    summary = await readOwn('instatus/summary-from-docs.json');
    components = await readOwn('instatus/components-from-docs.json');
    server = await startVendorServer(servePages(pages));
    t = await createTestRedis('instatus-provider');
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });
  const vendorAt = (name: string) => ({ id: `acme-${name}`, url: `${server.baseUrl}/${name}` });

  it('stores the incidents and the components, the page ok and critical', async () => {
    pages.set('/normal/summary.json', json(summary));
    pages.set('/normal/v2/components.json', json(components));
    const { outcome, view, incidents } = await pollThroughStore(instatusProvider, vendorAt('normal'), t, now);
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).toBe('critical');
    expect(view.status.components.map((c) => `${c.name}: ${c.status}`)).toEqual([
      'App: operational',
      'API: major_outage',
      'Recording: degraded_performance',
      'Status emails: under_maintenance',
    ]);
    expect(incidents).toHaveLength(5);
    expect(view.openIncidents.map((i) => i.id).sort()).toEqual([
      'cl4a6d5e70003qtmzt2y4u6i8',
      'cl4a8n3070721qtmzvts760c4',
      'cl4a8nlv50918qtmzdlw60ivu',
      'cl4a9x0a10001qtmz5x7d2k1e',
    ]);
  });

  it('keeps the summary when the page has no components.json (404), and raises from components', async () => {
    pages.set('/nocomponents/summary.json', json(summaryWith({ status: 'UP' })));
    const { outcome, view } = await pollThroughStore(instatusProvider, vendorAt('nocomponents'), t, now);
    expect(outcome.ok).toBe(true);
    expect(view.status).toMatchObject({ indicator: 'operational', components: [] });

    pages.set('/lagging/summary.json', json(summaryWith({ status: 'UP' })));
    pages.set('/lagging/v2/components.json', json(components));
    const lagging = await pollThroughStore(instatusProvider, vendorAt('lagging'), t, now);
    expect(lagging.view.status.indicator).toBe('critical');
  });
});

describe('instatusProvider.detect()', () => {
  const harness = createDetectHarness();
  afterAll(() => harness.close());
  const detectOn = (pages: Pages, pagePath = '') =>
    harness.detectOn(instatusProvider, servePages(pages), pagePath);

  it('recognizes summary.json in Instatus shape under the page path', async () => {
    const body = await readOwn('instatus/summary-from-docs.json');
    const { server, detection } = await detectOn(
      new Map([['/status/summary.json', { type: 'application/json', body }]]),
      '/status',
    );
    expect(detection).toMatchObject({
      provider: 'instatus',
      confidence: 0.9,
      url: `${server.baseUrl}/status`,
      name: 'Acme Video',
    });
    expect(detection!.evidence[0]).toContain('HASISSUES');
  });

  it('guesses from an Instatus mention in the page when summary.json does not answer', async () => {
    const { detection } = await detectOn(
      new Map([
        [
          '/',
          { type: 'text/html', body: '<html><a href="https://instatus.com">Powered by Instatus</a></html>' },
        ],
      ]),
    );
    expect(detection).toMatchObject({ provider: 'instatus', confidence: 0.5 });
  });

  it('answers null for a Statuspage-shaped summary.json and for a server that answers 404 everywhere', async () => {
    const statuspage = JSON.stringify({
      page: { id: 'kctbh9vrtdwd', name: 'GitHub', url: 'https://www.githubstatus.com' },
      status: { indicator: 'none', description: 'All Systems Operational' },
    });
    expect(
      (await detectOn(new Map([['/summary.json', { type: 'application/json', body: statuspage }]])))
        .detection,
    ).toBeNull();
    const { server, detection } = await detectOn(new Map());
    expect(detection).toBeNull();
    expect(server.requests.map((r) => r.path)).toEqual(['/summary.json', '/']);
  });
});

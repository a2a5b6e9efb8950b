import { createHash } from 'node:crypto';
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findStatusioPage,
  parseStatusioStatus,
  statusioOptionsSchema,
  statusioProvider,
} from '../providers/statusio.js';
import { createDetectContext } from '../src/http/detect.js';
import { vendorStatusSchema } from '../src/core/model.js';
import { hasSharedFixtures, listShared, readOwn, readShared } from './support/fixtures.js';
import { createDetectHarness, expectParseError, incidentProblems } from './support/provider-checks.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

const now = new Date('2024-04-04T21:06:00Z');
const pageId = '65f1a0c2e4b0a1b2c3d4e500';

const event = (messages: object[], extra: object = {}) =>
  JSON.stringify({
    result: {
      status_overall: { status: 'Operational', status_code: 100 },
      status: [],
      incidents: [{ _id: 'e1', name: 'x', datetime_open: '2024-04-04T20:00:00Z', messages, ...extra }],
      maintenance: { active: [], upcoming: [] },
    },
  });

describe('parseStatusioStatus() on a payload written from the status.io docs', () => {
  let body: string;
  beforeAll(async () => {
    body = await readOwn('statusio/status-from-docs.json');
  });

  it('lists one component row per container: name = component, group = container', () => {
    const { components } = parseStatusioStatus(body, 'acme', now).status;
    expect(components.map((c) => `${c.group ?? '-'} / ${c.name}: ${c.status}`)).toEqual([
      'US-West / Website: operational',
      'US-East / Website: degraded_performance',
      'US-West / API: operational',
      'US-East / API: partial_outage',
      'US-East / Dashboard: under_maintenance',
      '- / Status Webhooks: operational',
    ]);
    expect(components[3]?.id).toBe('65f1a0c2e4b0a1b2c3d4e502/65f1a0c2e4b0a1b2c3d4e5a2');
  });

  it('reports "major" when status_overall says 300 but an open incident set 400 (indicator lag)', () => {
    const { status } = parseStatusioStatus(body, 'acme', now);
    expect(vendorStatusSchema.parse(status)).toMatchObject({
      indicator: 'major',
      description: 'Degraded Performance',
      fetchedAt: '2024-04-04T21:06:00.000Z',
      health: 'ok',
    });
  });

  it('reads the incident: worst message status as impact, state codes as words, containers next to components', () => {
    const [incident] = parseStatusioStatus(body, 'acme', now).incidents;
    expect(incident).toMatchObject({
      id: '6610f1d8a3c2b14e5f6a7b01',
      kind: 'incident',
      impact: 'major',
      status: 'identified',
      startedAt: '2024-04-04T20:41:00.000Z',
      postedAt: '2024-04-04T20:47:12.208Z',
      updatedAt: '2024-04-04T20:58:10.400Z',
      resolvedAt: null,
      components: ['Website', 'API', 'US-East'],
      regions: [],
    });
    expect(incident?.updates.map((u) => u.status)).toEqual(['investigating', 'identified']);
    expect(incident?.updates[1]).toMatchObject({
      body: 'We have identified a failing storage node.\nRequests to the API may fail & retry.',
      html: 'We have identified a failing storage node.<br />Requests to the API may fail &amp; retry.',
    });
  });

  it('separates the active and the upcoming maintenance, each starting at its planned start', () => {
    const maintenances = parseStatusioStatus(body, 'acme', now).incidents.filter(
      (i) => i.kind === 'maintenance',
    );
    expect(maintenances.map((m) => [m.title, m.status, m.impact, m.startedAt, m.scheduledUntil])).toEqual([
      [
        'Dashboard database upgrade',
        'in_progress',
        'none',
        '2024-04-04T20:00:00.000Z',
        '2024-04-04T23:00:00.000Z',
      ],
      [
        'Network upgrade in US-West',
        'scheduled',
        'none',
        '2024-04-10T06:00:00.000Z',
        '2024-04-10T08:00:00.000Z',
      ],
    ]);
    expect(maintenances[0]?.postedAt).toBe('2024-04-01T09:12:44.160Z');
    expect(maintenances[0]?.updates.map((u) => u.status)).toEqual(['scheduled', 'in_progress']);
  });

  it('holds every invariant', () => {
    expect(incidentProblems(parseStatusioStatus(body, 'acme', now).incidents)).toEqual([]);
  });
});

describe('parseStatusioStatus() edge cases', () => {
  it('sorts messages oldest first and converts an offset to UTC', () => {
    const [incident] = parseStatusioStatus(
      event([
        { details: 'second', state: 200, status: 300, datetime: '2024-04-04T22:30:00+02:00' },
        { details: 'first', state: 100, status: 300, datetime: '2024-04-04T20:10:00Z' },
      ]),
      'v',
      now,
    ).incidents;
    expect(incident?.updates.map((u) => [u.at, u.body])).toEqual([
      ['2024-04-04T20:10:00.000Z', 'first'],
      ['2024-04-04T20:30:00.000Z', 'second'],
    ]);
    expect(incident?.status).toBe('identified');
  });

  it('keeps an incident whose messages set components operational, with impact "none"', () => {
    const [incident] = parseStatusioStatus(
      event([{ details: 'fyi', state: 100, status: 100, datetime: '2024-04-04T20:10:00Z' }]),
      'v',
      now,
    ).incidents;
    expect(incident?.impact).toBe('none');
  });

  it('maps 500 to critical and an unknown code to "unknown", never to operational', () => {
    const body = JSON.stringify({
      result: {
        status_overall: { status: 'Mystery', status_code: 700 },
        status: [
          { id: 'a', name: 'A', status_code: 500, containers: [] },
          { id: 'b', name: 'B', status_code: 700, containers: [] },
        ],
      },
    });
    const { status } = parseStatusioStatus(body, 'v', now);
    expect(status.indicator).toBe('unknown');
    expect(status.components.map((c) => c.status)).toEqual(['major_outage', 'unknown']);
  });

  it('derives the indicator from the components when status_overall is missing', () => {
    const body = JSON.stringify({
      result: { status: [{ id: 'a', name: 'A', status_code: 500, containers: [] }] },
    });
    expect(parseStatusioStatus(body, 'v', now).status.indicator).toBe('critical');
  });

  it('names the drifted field, an HTML page and a body without `result`', () => {
    expect(
      expectParseError(() => parseStatusioStatus('{"result": {"status": {}}}', 'v', now)).message,
    ).toMatch(/^status\.io status: result\.status: expected array/);
    expect(
      expectParseError(() => parseStatusioStatus('<!DOCTYPE html><html></html>', 'v', now)).message,
    ).toMatch(/^status\.io status: got HTML/);
    const error = expectParseError(() => parseStatusioStatus('{"status": "ok"}', 'v', now));
    expect(error).toMatchObject({ kind: 'parse' });
    expect(error.message).toMatch(/^status\.io status: result: expected object/);
  });

  it('rejects a message with an unreadable datetime', () => {
    expect(
      expectParseError(() => parseStatusioStatus(event([{ datetime: 'soon', state: 100 }]), 'v', now))
        .message,
    ).toMatch(/result\.incidents\[0\]\.messages\[0\]\.datetime: expected an ISO-8601 timestamp/);
  });
});

describe('statusioOptionsSchema', () => {
  it('accepts a 24-hex page id and explains a missing or malformed one', () => {
    expect(statusioOptionsSchema.parse({ pageId: '5b36dc6502d06804c08349f7' })).toEqual({
      pageId: '5b36dc6502d06804c08349f7',
    });
    expect(statusioOptionsSchema.safeParse({}).error?.issues[0]?.message).toMatch(/pageId is required/);
    expect(statusioOptionsSchema.safeParse({ pageId: 'gitlab' }).error?.issues[0]?.message).toMatch(
      /24 hex characters/,
    );
  });
});

const sharedFiles = hasSharedFixtures ? await listShared('real/statusio') : ['(shared fixtures absent)'];

describe.skipIf(!hasSharedFixtures)('recorded status.io payloads', () => {
  const read = (name: string) => readShared(`real/statusio/${name}`);

  it.each(sharedFiles)('%s parses with every invariant holding', async (name) => {
    const { status, incidents } = parseStatusioStatus(await read(name), 'v', now);
    expect(vendorStatusSchema.parse(status).components.length).toBeGreaterThan(0);
    expect(incidents.length).toBeGreaterThan(0);
    expect(incidentProblems(incidents)).toEqual([]);
  });

  it('reads Docker (400): the automated-builds incident on AWS, major, and its component row', async () => {
    const { status, incidents } = parseStatusioStatus(
      await read('docker_status_partial_disruption_2020-07-16.json'),
      'docker',
      now,
    );
    expect(status.indicator).toBe('major');
    expect(status.components).toHaveLength(8);
    expect(status.components.find((c) => c.status !== 'operational')).toMatchObject({
      name: 'Docker Hub Automated Builds',
      group: 'AWS',
      status: 'partial_outage',
    });
    expect(incidents).toEqual([
      expect.objectContaining({
        id: '5f108cc06e9c9104c0553a46',
        kind: 'incident',
        impact: 'major',
        status: 'investigating',
        startedAt: '2020-07-16T17:22:08.325Z',
        postedAt: '2020-07-16T17:22:08.369Z',
        components: ['Docker Hub Automated Builds', 'AWS'],
        regions: [],
      }),
    ]);
  });

  it('reads GitLab (200): the active maintenance is planned, the open incident still counts', async () => {
    const { status, incidents } = parseStatusioStatus(
      await read('gitlab_status_planned_maintenance_2020-09-05.json'),
      'gitlab',
      now,
    );
    expect(status.description).toBe('Planned Maintenance');
    // The incident's messages set 400 (partial disruption) even though "Website" shows operational.
    expect(status.indicator).toBe('major');
    expect(status.components.find((c) => c.name === 'dashboards.gitlab.com')).toMatchObject({
      group: 'Google Compute Engine',
      status: 'under_maintenance',
    });
    expect(status.components.find((c) => c.name === 'customers.gitlab.com')?.group).toBe('Azure');
    expect(incidents.find((i) => i.id === '5f4e8b7f2250a004bc3453da')).toMatchObject({
      kind: 'maintenance',
      impact: 'none',
      status: 'in_progress',
      startedAt: '2020-09-02T17:55:00.000Z',
      postedAt: '2020-09-01T17:57:19.641Z',
      scheduledUntil: '2020-09-07T17:55:00.000Z',
      components: ['dashboards.gitlab.com', 'Google Compute Engine'],
    });
    const incident = incidents.find((i) => i.id === '5f52b8074ef75804bc7d2c3e');
    expect(incident).toMatchObject({ kind: 'incident', impact: 'major', status: 'identified' });
    expect(incident?.updates[0]?.body).toContain('Notification settings can still be adjusted');
  });

  it('reads GitLab (600): a security event is major, not an outage and not ignored', async () => {
    const { status, incidents } = parseStatusioStatus(
      await read('gitlab_status_security_issue_2020-02-09.json'),
      'gitlab',
      now,
    );
    expect(status).toMatchObject({ indicator: 'major', description: 'Security Issue' });
    expect(status.components.filter((c) => c.status === 'partial_outage').map((c) => c.name)).toEqual([
      'Website',
      'API',
      'Git (ssh and https)',
      'Registry',
      'CI/CD',
    ]);
    expect(incidents[0]).toMatchObject({ impact: 'major', updatedAt: '2020-02-09T18:42:33.493Z' });
    expect(incidents[0]?.components).toHaveLength(6);
  });
});

describe('statusioProvider.poll() through a local server and Redis', () => {
  let server: VendorServer;
  let t: TestRedis;
  let payload: string;
  const bodies = new Map<string, { body: string; type: string }>();

  beforeAll(async () => {
    payload = await readOwn('statusio/status-from-docs.json');
    bodies.set('0'.repeat(24), { body: payload, type: 'application/json' });
    bodies.set('1'.repeat(24), { body: payload, type: 'application/json' });
    bodies.set('2'.repeat(24), { body: '{"result": {"status": "all good"}}', type: 'application/json' });
    bodies.set('3'.repeat(24), {
      body: '<!DOCTYPE html><html><body>Bad gateway</body></html>',
      type: 'text/html',
    });
    server = await startVendorServer((req: http.IncomingMessage, res: http.ServerResponse) => {
      const id = /^\/1\.0\/status\/([0-9a-f]{24})$/.exec(req.url ?? '')?.[1];
      const found = id ? bodies.get(id) : undefined;
      if (!found) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html>404</html>');
      const etag = `"${createHash('sha1').update(found.body).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': found.type, etag }).end(found.body);
    });
    t = await createTestRedis('statusio');
  });
  afterAll(async () => {
    await t.cleanup();
    await server.close();
  });

  const vendor = (id: string, page: string) => ({ id, url: server.baseUrl, options: { pageId: page } });

  it('stores the incidents and maintenances and reports the vendor healthy', async () => {
    const { outcome, view, incidents } = await pollThroughStore(
      statusioProvider,
      vendor('sio-a', '0'.repeat(24)),
      t,
      now,
    );
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).toBe('major');
    expect(incidents.map((i) => i.id).sort()).toEqual([
      '6610e0aaa3c2b14e5f6a7b02',
      '6610f000a3c2b14e5f6a7b03',
      '6610f1d8a3c2b14e5f6a7b01',
    ]);
    expect(server.requests.at(-1)).toMatchObject({ path: `/1.0/status/${'0'.repeat(24)}` });
    expect(server.requests.at(-1)?.headers.accept).toBe('application/json');
  });

  it('marks the vendor unknown with a parse error when the payload drifted', async () => {
    const { outcome, view } = await pollThroughStore(
      statusioProvider,
      vendor('sio-c', '2'.repeat(24)),
      t,
      now,
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.kind).toBe('parse');
      expect(outcome.error.message).toMatch(/result\.status: expected array/);
      expect(outcome.error.url).toBe(`${server.baseUrl}/1.0/status/${'2'.repeat(24)}`);
    }
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  });

  it('fails as a parse error, before any request, when options.pageId is missing', async () => {
    const before = server.requests.length;
    const { outcome } = await pollThroughStore(
      statusioProvider,
      { id: 'sio-e', url: server.baseUrl },
      t,
      now,
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/^status\.io options: pageId: pageId is required/);
    expect(server.requests.length).toBe(before);
  });
});

describe('findStatusioPage()', () => {
  it('reads the page id from a hosted page with status.io markers, defaulting to api.status.io', () => {
    const html =
      '<link rel="alternate" href="https://status.gitlab.com/pages/5b36dc6502d06804c08349f7/rss">' +
      '<footer>Powered by <a href="https://status.io">Status.io</a></footer>';
    expect(findStatusioPage(html)).toMatchObject({
      pageId: '5b36dc6502d06804c08349f7',
      apiBase: 'https://api.status.io',
    });
  });

  it('ignores a 24-hex id on a page with no status.io marker', () => {
    expect(findStatusioPage('<a href="/pages/5b36dc6502d06804c08349f7">x</a>')).toBeNull();
  });
});

describe('statusioProvider.detect()', () => {
  const harness = createDetectHarness();
  const { http } = harness;
  afterAll(() => harness.close());
  const { start } = harness;

  it('recognizes a page that embeds its status.io API URL and confirms it through the API', async () => {
    const payload = await readOwn('statusio/status-from-docs.json');
    const server = await start((req, res) => {
      if (req.url === `/1.0/status/${pageId}`)
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(payload);
      if (req.url === '/')
        return void res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            `<html><head><title>Acme Status</title></head><body><script>fetch("${server.baseUrl}/1.0/status/${pageId}")</script></body></html>`,
          );
      res.writeHead(404).end();
    });
    const detection = await statusioProvider.detect!(createDetectContext(http, server.baseUrl));
    expect(detection).toMatchObject({
      provider: 'statusio',
      confidence: 1,
      url: server.baseUrl,
      options: { pageId },
      name: 'Acme Status',
    });
    expect(detection?.evidence).toHaveLength(2);
  });

  it('returns null for a server that answers 404 everywhere', async () => {
    const server = await start((_req, res) => void res.writeHead(404).end());
    expect(await statusioProvider.detect!(createDetectContext(http, server.baseUrl))).toBeNull();
  });

  it('returns null for a Statuspage-style page whose embedded id is not a status.io page', async () => {
    const server = await start((req, res) => {
      if (req.url === '/')
        return void res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            `<script src="${server.baseUrl}/1.0/status/${pageId}"></script><a href="https://www.atlassian.com/software/statuspage">Statuspage</a>`,
          );
      if (req.url === '/api/v2/summary.json')
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"page": {}, "components": []}');
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html>404</html>');
    });
    expect(await statusioProvider.detect!(createDetectContext(http, server.baseUrl))).toBeNull();
  });
});

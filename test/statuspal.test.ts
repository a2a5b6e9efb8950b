import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findStatuspalPage,
  parseStatuspalStatus,
  statuspalOptionsSchema,
  statuspalProvider,
} from '../providers/statuspal.js';
import { createDetectContext } from '../src/http/detect.js';
import { vendorStatusSchema, type VendorIncident } from '../src/core/model.js';
import { readOwn } from './support/fixtures.js';
import { createDetectHarness, expectParseError, incidentProblems } from './support/provider-checks.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

const now = new Date('2024-04-04T21:06:00Z');

const page = (incidents: object[], extra: object = {}) =>
  JSON.stringify({
    status_page: { name: 'X', current_incident_type: null },
    services: [],
    incidents,
    ...extra,
  });

describe('parseStatuspalStatus() on a payload written from the Statuspal API docs', () => {
  let body: string;
  let incidents: VendorIncident[];
  beforeAll(async () => {
    body = await readOwn('statuspal/status-from-docs.json');
    incidents = parseStatuspalStatus(body, 'acme', now).incidents;
  });
  const byId = (id: string) => incidents.find((i) => i.id === id);

  it('lists leaf services as components grouped under their parent (often a zone)', () => {
    const { components } = parseStatuspalStatus(body, 'acme', now).status;
    expect(components.map((c) => `${c.group ?? '-'} / ${c.name}: ${c.status}`)).toEqual([
      'Global / DNS: operational',
      'Global / Portal: operational',
      'CH-GVA-2 / Compute: degraded_performance',
      'CH-GVA-2 / Object Storage: operational',
      'DE-FRA-1 / Compute: under_maintenance',
      '- / Support: operational',
    ]);
  });

  it('reads the page as "minor": its own type, an open minor incident, and a running maintenance below it', () => {
    const { status } = parseStatuspalStatus(body, 'acme', now);
    expect(vendorStatusSchema.parse(status)).toMatchObject({
      vendor: 'acme',
      indicator: 'minor',
      health: 'ok',
    });
  });

  it('reads offset-less datetimes as UTC, whatever the local zone', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const [first] = parseStatuspalStatus(body, 'acme', now).incidents;
      expect(first?.postedAt).toBe('2024-04-04T20:47:12.000Z');
      expect(first?.startedAt).toBe('2024-04-04T20:41:00.000Z');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('reads the open incident: type as impact, updates oldest first, the parent kept with the child service', () => {
    expect(byId('901')).toMatchObject({
      kind: 'incident',
      impact: 'minor',
      status: 'update',
      resolvedAt: null,
      updatedAt: '2024-04-04T20:58:10.000Z',
      components: ['CH-GVA-2', 'Compute', 'CH-GVA-2 / Compute'],
      regions: [],
      url: null,
    });
    expect(byId('901')?.updates.map((u) => [u.id, u.status])).toEqual([
      ['5001', 'issue'],
      ['5002', 'update'],
    ]);
    expect(byId('901')?.updates[1]?.body).toBe(
      'We have identified a slow image store.\nNew instances take up to 5 minutes to boot.',
    );
  });

  it('ends an incident at ends_at', () => {
    expect(byId('900')).toMatchObject({
      impact: 'major',
      status: 'resolved',
      startedAt: '2024-04-04T08:00:00.000Z',
      resolvedAt: '2024-04-04T08:45:00.000Z',
    });
  });

  it('reads "scheduled" entries as maintenance, in progress or upcoming by the clock', () => {
    expect(byId('899')).toMatchObject({
      kind: 'maintenance',
      impact: 'none',
      status: 'in_progress',
      startedAt: '2024-04-04T20:00:00.000Z',
      scheduledFor: '2024-04-04T20:00:00.000Z',
      scheduledUntil: '2024-04-04T23:00:00.000Z',
      resolvedAt: null,
    });
    expect(byId('905')).toMatchObject({ kind: 'maintenance', status: 'scheduled', resolvedAt: null });
    const later = parseStatuspalStatus(body, 'acme', new Date('2024-04-05T00:00:00Z')).incidents;
    expect(later.find((i) => i.id === '899')).toMatchObject({
      status: 'completed',
      resolvedAt: '2024-04-04T23:00:00.000Z',
    });
  });

  it('holds every invariant', () => {
    expect(incidentProblems(incidents)).toEqual([]);
  });
});

describe('parseStatuspalStatus() edge cases', () => {
  const update = (id: number, type: string, at: string) => ({ id, type, description: type, inserted_at: at });

  it('ends an incident at its resolve update when ends_at is missing, and reopens it on a new issue', () => {
    const resolved = {
      id: 1,
      type: 'major',
      starts_at: '2024-04-04T10:00:00',
      updates: [update(1, 'issue', '2024-04-04T10:00:00'), update(2, 'resolve', '2024-04-04T11:00:00')],
    };
    expect(parseStatuspalStatus(page([resolved]), 'v', now).incidents[0]).toMatchObject({
      status: 'resolved',
      resolvedAt: '2024-04-04T11:00:00.000Z',
    });
    const reopened = {
      ...resolved,
      updates: [...resolved.updates, update(3, 'issue', '2024-04-04T12:00:00')],
    };
    expect(parseStatuspalStatus(page([reopened]), 'v', now).incidents[0]).toMatchObject({
      status: 'issue',
      resolvedAt: null,
    });
    const noted = { ...resolved, updates: [...resolved.updates, update(3, 'update', '2024-04-05T09:00:00')] };
    expect(parseStatuspalStatus(page([noted]), 'v', now).incidents[0]?.resolvedAt).toBe(
      '2024-04-04T11:00:00.000Z',
    );
  });

  it('keeps timestamps that carry an offset, and a listing repeated in maintenances once', () => {
    const entry = { id: 7, type: 'scheduled', starts_at: '2024-04-10T08:00:00+02:00', ends_at: null };
    const { incidents } = parseStatuspalStatus(page([entry], { maintenances: [entry] }), 'v', now);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.scheduledFor).toBe('2024-04-10T06:00:00.000Z');
  });

  it('reads a custom incident type as minor, never operational, and falls back to current_status', () => {
    const body = JSON.stringify({
      status_page: { name: 'X', current_incident_type: 'degraded-eu' },
      services: [{ id: 1, name: 'API', current_incident_type: 'degraded-eu', children: null }],
      incidents: [
        {
          id: 3,
          type: 'degraded-eu',
          starts_at: '2024-04-04T20:00:00',
          current_status: { description: 'Looking into it.' },
          service_ids: [1],
        },
      ],
    });
    const { status, incidents } = parseStatuspalStatus(body, 'v', now);
    expect(status.indicator).toBe('minor');
    expect(status.components[0]?.status).toBe('degraded_performance');
    expect(incidents[0]).toMatchObject({ impact: 'unknown', components: ['API'] });
    expect(incidents[0]?.updates.map((u) => u.body)).toEqual(['Looking into it.']);
  });

  it('names the drifted field and refuses an HTML page', () => {
    expect(expectParseError(() => parseStatuspalStatus('{"services": []}', 'v', now)).message).toMatch(
      /^statuspal status: status_page: expected object/,
    );
    expect(expectParseError(() => parseStatuspalStatus(page([{ type: 'minor' }]), 'v', now)).message).toMatch(
      /^statuspal status: incidents\[0\]\.id/,
    );
    expect(
      expectParseError(() => parseStatuspalStatus('<html><body>Not found</body></html>', 'v', now)).kind,
    ).toBe('parse');
  });

  it('statuspalOptionsSchema requires a subdomain and explains a wrong one', () => {
    expect(statuspalOptionsSchema.parse({ subdomain: 'exoscale' })).toEqual({ subdomain: 'exoscale' });
    expect(statuspalOptionsSchema.safeParse({}).error?.issues[0]?.message).toMatch(/subdomain is required/);
    expect(statuspalOptionsSchema.safeParse({ subdomain: 'a/b' }).error?.issues[0]?.message).toMatch(
      /letters, digits and dashes/,
    );
  });
});

describe('findStatuspalPage()', () => {
  it('takes the subdomain and the EU API host from a statuspal.eu host', () => {
    expect(findStatuspalPage('acme.statuspal.eu', '')).toMatchObject({
      subdomain: 'acme',
      apiBase: 'https://statuspal.eu',
    });
  });

  it('takes the subdomain from a custom domain page that mentions its statuspal.io address', () => {
    const html =
      '<link href="https://cdn.statuspal.io/x.css"><a href="https://acme-cloud.statuspal.io/feed">RSS</a>';
    expect(findStatuspalPage('status.acme-cloud.example', html)).toMatchObject({
      subdomain: 'acme-cloud',
      apiBase: 'https://statuspal.io',
    });
  });

  it('finds nothing on a page with no Statuspal address', () => {
    expect(findStatuspalPage('status.example.com', '<html>Powered by Statuspage</html>')).toBeNull();
  });
});

describe('statuspalProvider.poll() through a local server and Redis', () => {
  let server: VendorServer;
  let t: TestRedis;
  let payload: string;

  beforeAll(async () => {
    payload = await readOwn('statuspal/status-from-docs.json');
    server = await startVendorServer((req, res) => {
      const sub = /^\/api\/v2\/status_pages\/([a-z0-9-]+)\/status$/.exec(req.url ?? '')?.[1];
      let [body, type] = [payload, 'application/json'];
      if (sub === 'drift') body = '{"status_page": "acme", "services": []}';
      if (sub === 'html')
        [body, type] = ['<!DOCTYPE html><html><body>Maintenance</body></html>', 'text/html'];
      if (!sub) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html>404</html>');
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': type, etag }).end(body);
    });
    t = await createTestRedis('statuspal');
  });
  afterAll(async () => {
    await t.cleanup();
    await server.close();
  });

  const vendor = (id: string, subdomain: string) => ({ id, url: server.baseUrl, options: { subdomain } });

  it('stores incidents and maintenances and reports the vendor healthy', async () => {
    const { outcome, view, incidents } = await pollThroughStore(
      statuspalProvider,
      vendor('spal-a', 'acme-a'),
      t,
      now,
    );
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).toBe('minor');
    expect(incidents.map((i) => i.id).sort()).toEqual(['899', '900', '901', '905']);
    expect(view.openIncidents.map((i) => i.id).sort()).toEqual(['899', '901', '905']);
    expect(server.requests.at(-1)?.path).toBe('/api/v2/status_pages/acme-a/status');
  });

  it('marks the vendor unknown with a parse error when the payload drifted', async () => {
    const { outcome, view } = await pollThroughStore(statuspalProvider, vendor('spal-c', 'drift'), t, now);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.kind).toBe('parse');
      expect(outcome.error.message).toMatch(/^statuspal status: status_page: expected object/);
    }
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  });
});

describe('statuspalProvider.detect()', () => {
  const harness = createDetectHarness();
  const { http } = harness;
  afterAll(() => harness.close());
  const { start } = harness;

  it('recognizes a page that embeds its Statuspal API URL, confirmed by the API, with the page name', async () => {
    const payload = await readOwn('statuspal/status-from-docs.json');
    const server = await start((req, res) => {
      if (req.url === '/api/v2/status_pages/acme-cloud/status')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(payload);
      if (req.url === '/')
        return void res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            `<html><script>const api = "${server.baseUrl}/api/v2/status_pages/acme-cloud/status";</script></html>`,
          );
      res.writeHead(404).end();
    });
    const detection = await statuspalProvider.detect!(createDetectContext(http, server.baseUrl));
    expect(detection).toMatchObject({
      provider: 'statuspal',
      confidence: 1,
      url: server.baseUrl,
      options: { subdomain: 'acme-cloud' },
      name: 'Acme Cloud',
    });
    expect(detection?.evidence[1]).toMatch(/answered a Statuspal status with 6 services/);
  });

  it('returns null for a server that answers 404 everywhere', async () => {
    const server = await start((_req, res) => void res.writeHead(404).end());
    expect(await statuspalProvider.detect!(createDetectContext(http, server.baseUrl))).toBeNull();
  });

  it('returns null when the page names a Statuspal API that does not confirm the subdomain', async () => {
    const server = await start((req, res) => {
      if (req.url === '/')
        return void res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(`<a href="${server.baseUrl}/api/v2/status_pages/ghost/status">status</a>`);
      if (req.url === '/api/v2/summary.json')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"page": {}}');
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error": "not found"}');
    });
    expect(await statuspalProvider.detect!(createDetectContext(http, server.baseUrl))).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcpProvider, gcpStatusFromIncidents, parseGcpIncidents } from '../providers/gcp.js';
import { createDetectContext } from '../src/http/detect.js';
import { vendorStatusSchema, type VendorIncident } from '../src/core/model.js';
import { hasSharedFixtures, readOwn, readShared } from './support/fixtures.js';
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

const now = new Date('2024-04-04T21:30:00Z');

describe('parseGcpIncidents() on incidents written from the incidents.json schema', () => {
  let incidents: VendorIncident[];
  beforeAll(async () => {
    incidents = parseGcpIncidents(await readOwn('gcp/incidents-from-docs.json'), 'gcp');
  });
  const byId = (id: string) => incidents.find((i) => i.id === id);

  it('keeps every incident and every invariant', () => {
    expect(incidents.map((i) => i.id)).toEqual([
      'Fr4nkfurtOngoing0001',
      'G1obalResolved000002',
      'USmultiregion0000003',
    ]);
    expect(incidentProblems(incidents)).toEqual([]);
  });

  it('reads an ongoing incident (no end): onset from begin, posted at the first update, edits in updatedAt', () => {
    expect(byId('Fr4nkfurtOngoing0001')).toMatchObject({
      title: 'Elevated error rates for Cloud Storage and Compute Engine in europe-west3',
      impact: 'major',
      status: 'service_disruption',
      kind: 'incident',
      startedAt: '2024-04-04T20:41:00.000Z',
      postedAt: '2024-04-04T20:52:08.000Z',
      updatedAt: '2024-04-04T21:20:05.000Z',
      resolvedAt: null,
      components: ['Cloud Storage', 'Google Compute Engine'],
      regions: ['europe-west3'],
      url: 'https://status.cloud.google.com/incidents/Fr4nkfurtOngoing0001',
    });
  });

  it('orders updates oldest first, lowercases their status and keeps Markdown text as is', () => {
    const updates = byId('Fr4nkfurtOngoing0001')!.updates;
    expect(updates.map((u) => u.status)).toEqual(['service_information', 'service_disruption']);
    expect(updates[1]?.body).toContain('**Description:** Mitigation work is underway.');
    expect(updates[1]).not.toHaveProperty('html');
  });

  it('maps SERVICE_INFORMATION/low to minor and SERVICE_OUTAGE/high to critical', () => {
    expect(byId('G1obalResolved000002')?.impact).toBe('minor');
    expect(byId('USmultiregion0000003')?.impact).toBe('critical');
  });

  it('takes the global and us multi-region location ids as regions, as given', () => {
    expect(byId('G1obalResolved000002')).toMatchObject({ regions: ['global'], status: 'resolved' });
    expect(byId('USmultiregion0000003')?.regions).toEqual(['us']);
  });

  it('reads an incident posted after it ended: starts at begin, ends at end, posted at created', () => {
    expect(byId('USmultiregion0000003')).toMatchObject({
      startedAt: '2024-03-20T14:00:00.000Z',
      postedAt: '2024-03-20T16:10:00.000Z',
      resolvedAt: '2024-03-20T15:30:00.000Z',
      updatedAt: '2024-03-22T18:30:00.000Z',
    });
  });

  it('derives the status from open incidents: major, with the open products degraded', () => {
    const status = gcpStatusFromIncidents(incidents, 'gcp', now);
    expect(vendorStatusSchema.parse(status)).toMatchObject({ indicator: 'major', health: 'ok' });
    expect(status.components).toEqual([
      { name: 'Cloud Storage', group: null, status: 'partial_outage' },
      { name: 'Google Compute Engine', group: null, status: 'partial_outage' },
    ]);
    expect(gcpStatusFromIncidents(incidents.slice(1), 'gcp', now)).toMatchObject({
      indicator: 'operational',
      components: [],
    });
  });

  it('links to the page the vendor entry points at (Google Workspace serves the same format)', () => {
    const workspace = parseGcpIncidents(
      JSON.stringify([{ id: 'abc', begin: '2024-01-01T00:00:00+00:00', uri: 'incidents/abc' }]),
      'workspace',
      'https://www.google.com/appsstatus/dashboard/',
    );
    expect(workspace[0]).toMatchObject({
      url: 'https://www.google.com/appsstatus/dashboard/incidents/abc',
      impact: 'unknown',
      components: [],
      regions: [],
      updates: [],
    });
  });
});

describe('bad incidents.json payloads', () => {
  it('rejects an HTML page served instead of JSON', () => {
    const error = expectParseError(() => parseGcpIncidents('<!doctype html><html>Error 502</html>', 'gcp'));
    expect(error.kind).toBe('parse');
    expect(error.message).toMatch(/^incidents\.json: got HTML/);
  });

  it('names the drift when the top level is an object instead of the incident array', () => {
    const error = expectParseError(() => parseGcpIncidents('{"incidents": []}', 'gcp'));
    expect(error.message).toBe('incidents.json: body: expected array, received object');
  });

  it('names the index and field of an incident without an id or with a bad time', () => {
    expect(
      expectParseError(() => parseGcpIncidents('[{"begin": "2024-01-01T00:00:00Z"}]', 'gcp')).message,
    ).toMatch(/^incidents\.json: \[0\]\.id/);
    expect(expectParseError(() => parseGcpIncidents('[{"id": "a", "end": "soon"}]', 'gcp')).message).toBe(
      'incidents.json: [0].end: expected an ISO-8601 timestamp',
    );
    expect(expectParseError(() => parseGcpIncidents('[{"id": "a"}]', 'gcp')).message).toMatch(
      /incident a: no begin, created or timed update/,
    );
  });
});

describe.skipIf(!hasSharedFixtures)('the recorded incidents.json (first 21 of 157, 2022-07-03)', () => {
  let incidents: VendorIncident[];
  beforeAll(async () => {
    incidents = parseGcpIncidents(await readShared('real/gcp/incidents_2022-07-03_first21.json'), 'gcp');
  });
  const byId = (id: string) => incidents.find((i) => i.id === id)!;

  it('parses all 21 incidents with every invariant holding, all resolved', () => {
    expect(incidents).toHaveLength(21);
    expect(incidentProblems(incidents)).toEqual([]);
    expect(incidents.every((i) => i.resolvedAt !== null && i.status === 'resolved')).toBe(true);
    expect(gcpStatusFromIncidents(incidents, 'gcp', now).indicator).toBe('operational');
  });

  it('converts +00:00 offsets and starts a late-posted incident at its begin', () => {
    expect(byId('fc7GCA6kAgnBihezUAkx')).toMatchObject({
      startedAt: '2022-06-14T13:56:00.000Z',
      postedAt: '2022-06-15T00:09:02.000Z',
      resolvedAt: '2022-06-15T00:43:00.000Z',
      // The incident report was edited into an older update on 06-28: its `modified` moves updatedAt.
      updatedAt: '2022-06-28T18:46:43.000Z',
      impact: 'major',
      regions: ['us-central1'],
    });
    expect(byId('fc7GCA6kAgnBihezUAkx').updates.at(-1)?.body).toMatch(/^# Incident Report/);
  });

  it('reads the multi-region ids global and us, and an incident with no location at all', () => {
    expect(byId('KPYTXQW4gRhXvTsZ1Fj9')).toMatchObject({ regions: ['global'], impact: 'major' });
    expect(byId('HzDuJz8t92LzvER4pT3y')).toMatchObject({ regions: ['us'], impact: 'minor' });
    expect(byId('mbtvSs2qKE3Nz6nxR6rY').regions).toEqual([]);
  });

  it('reads a high/SERVICE_OUTAGE multi-product incident as critical with each product a component', () => {
    expect(byId('iAgVMxJUfE1J9et7j9KB')).toMatchObject({
      impact: 'critical',
      components: [
        'Hybrid Connectivity',
        'Virtual Private Cloud (VPC)',
        'Google Cloud Networking',
        'Cloud NAT',
      ],
      regions: [
        'asia-east1',
        'asia-northeast2',
        'asia-northeast3',
        'asia-south1',
        'asia-southeast2',
        'europe-north1',
      ],
    });
    expect(byId('iAgVMxJUfE1J9et7j9KB').updates.map((u) => u.status)).toEqual([
      'service_outage',
      'available',
      'available',
    ]);
  });

  it('sees all three severities and takes the products, not the deprecated "Multiple Products"', () => {
    expect(new Set(incidents.map((i) => i.impact))).toEqual(new Set(['minor', 'major', 'critical']));
    expect(incidents.flatMap((i) => i.components)).not.toContain('Multiple Products');
  });
});

describe('gcpProvider end to end through a local server and Redis', () => {
  let body: string;
  let server: VendorServer;
  let t: TestRedis;
  const pages = new Map<string, { type: string; body: string }>();

  beforeAll(async () => {
    body = await readOwn('gcp/incidents-from-docs.json');
    t = await createTestRedis('gcp-provider');
    server = await startVendorServer(servePages(pages));
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  const vendorAt = (prefix: string) => {
    const base = `/${prefix}`;
    return { base, vendor: { id: `gcp-${prefix}`, url: `${server.baseUrl}${base}` } };
  };

  it('stores the incidents and reports the page ok, with the open one raising the indicator', async () => {
    const { base, vendor } = vendorAt('normal');
    pages.set(`${base}/incidents.json`, { type: 'application/json', body });
    const { outcome, view, incidents } = await pollThroughStore(gcpProvider, vendor, t, now);
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).toBe('major');
    expect(incidents.map((i) => i.id).sort()).toEqual([
      'Fr4nkfurtOngoing0001',
      'G1obalResolved000002',
      'USmultiregion0000003',
    ]);
    expect(view.openIncidents.map((i) => i.id)).toEqual(['Fr4nkfurtOngoing0001']);
    expect(server.requests.find((r) => r.path === `${base}/incidents.json`)?.headers.accept).toBe(
      'application/json',
    );
  });
});

describe('gcpProvider.detect()', () => {
  const harness = createDetectHarness();
  const { http } = harness;
  afterAll(() => harness.close());
  const detectOn = (pages: Pages, pagePath = '') =>
    harness.detectOn(gcpProvider, servePages(pages), pagePath);

  it('recognizes incidents.json in Google shape at the origin', async () => {
    const pages = new Map([
      ['/incidents.json', { type: 'application/json', body: await readOwn('gcp/incidents-from-docs.json') }],
    ]);
    const { server, detection } = await detectOn(pages);
    expect(detection).toMatchObject({ provider: 'gcp', url: server.baseUrl });
    expect(detection!.confidence).toBeGreaterThanOrEqual(0.8);
    expect(detection!.evidence[0]).toContain('3 incidents');
  });

  it('recognizes the format under the page path, as Google Workspace serves it', async () => {
    const pages = new Map([
      [
        '/appsstatus/dashboard/incidents.json',
        { type: 'application/json', body: await readOwn('gcp/incidents-from-docs.json') },
      ],
    ]);
    const { server, detection } = await detectOn(pages, '/appsstatus/dashboard/');
    expect(detection).toMatchObject({ provider: 'gcp', url: `${server.baseUrl}/appsstatus/dashboard` });
  });

  it('recognizes status.cloud.google.com by its host name without fetching', async () => {
    const detection = await gcpProvider.detect!(
      createDetectContext(http, 'https://status.cloud.google.com/'),
    );
    expect(detection).toMatchObject({
      provider: 'gcp',
      url: 'https://status.cloud.google.com',
      name: 'Google Cloud',
    });
  });

  it('returns null for a server that answers 404 everywhere', async () => {
    expect((await detectOn(new Map())).detection).toBeNull();
  });

  it('returns null for a Statuspage imitation and for an empty or foreign JSON array', async () => {
    const summary = await readOwn('statuspage/summary-from-docs.json');
    expect(
      (await detectOn(new Map([['/api/v2/summary.json', { type: 'application/json', body: summary }]])))
        .detection,
    ).toBeNull();
    expect(
      (await detectOn(new Map([['/incidents.json', { type: 'application/json', body: '[]' }]]))).detection,
    ).toBeNull();
    const foreign = '[{"id": "1", "name": "Outage", "created_at": "2024-01-01T00:00:00Z"}]';
    expect(
      (await detectOn(new Map([['/incidents.json', { type: 'application/json', body: foreign }]]))).detection,
    ).toBeNull();
  });
});

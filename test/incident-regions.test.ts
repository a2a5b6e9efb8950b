import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gcpProvider } from '../providers/gcp.js';
import type { VendorIncident, VendorStatus } from '../src/core/model.js';
import { incidentRegions, withRegions } from '../src/core/regions/incident-regions.js';
import { hasSharedFixtures, readShared } from './support/fixtures.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

type Input = Pick<VendorIncident, 'regions' | 'components' | 'title' | 'updates'>;
const incident = (overrides: Partial<Input>): Input => ({
  regions: [],
  components: [],
  title: 'Elevated errors',
  updates: [],
  ...overrides,
});
const update = (body: string) => ({ at: '2026-11-21T10:00:00.000Z', status: 'investigating', body });

describe('incidentRegions()', () => {
  test('structured platform codes get their namespace', () => {
    expect(incidentRegions(incident({ regions: ['us', 'europe-west3'] }), 'gcp').regions).toEqual([
      'gcp:us',
      'gcp:europe-west3',
    ]);
    expect(incidentRegions(incident({ regions: ['us-east-1'] }), 'aws-rss').regions).toEqual([
      'aws:us-east-1',
    ]);
    expect(incidentRegions(incident({ regions: ['global'] }), 'gcp').regions).toEqual(['global']);
  });

  test('component names and their groups name regions, with the vendor words kept', () => {
    const { regions, evidence } = incidentRegions(
      incident({ components: ['Frankfurt, Germany - (FRA)'] }),
      'statuspage',
    );
    expect(regions).toEqual(['site:fra']);
    expect(evidence[0]).toMatchObject({ id: 'site:fra', from: 'component' });
    const grouped = incidentRegions(
      incident({ components: ['SMS'] }),
      'statuspage',
      new Map([['SMS', 'Europe']]),
    );
    expect(grouped.regions).toEqual(['macro:europe']);
    expect(grouped.evidence).toEqual([{ id: 'macro:europe', raw: 'Europe', from: 'group' }]);
  });

  test('a plainly negated region is not a region of the incident', () => {
    expect(
      incidentRegions(incident({ title: 'Delays in the US, not affecting Europe' }), 'statuspage').regions,
    ).toEqual(['country:us']);
  });

  test('update bodies count only when structure, components and title name nothing', () => {
    const fromBody = incident({
      updates: [update('The issue affected rooms located in the Europe region.')],
    });
    expect(incidentRegions(fromBody, 'statuspage').regions).toEqual(['macro:europe']);
    const titled = incident({
      title: 'Recording failures in Asia',
      updates: [update('Traffic was moved to Europe.')],
    });
    expect(incidentRegions(titled, 'statuspage').regions).toEqual(['macro:asia-pacific']);
  });

  test('an incident that names no region has none — unknown, never global', () => {
    expect(
      incidentRegions(incident({ components: ['API Requests'], title: 'Webhook delays' }), 'statuspage'),
    ).toEqual({ regions: [], evidence: [] });
  });

  test('withRegions() fills components as well as incidents', () => {
    const input: { status: VendorStatus | null; incidents: VendorIncident[] } = {
      status: {
        vendor: 'v',
        indicator: 'minor' as const,
        components: [{ name: 'Voice, North America', group: null, status: 'degraded_performance' as const }],
        fetchedAt: '2026-11-21T10:00:00.000Z',
        health: 'ok' as const,
      },
      incidents: [],
    };
    const result = withRegions(input, 'statuspage');
    expect(result.status?.components[0]?.regions).toEqual(['macro:north-america']);
  });
});

describe.skipIf(!hasSharedFixtures)('regions through the poll pipeline', () => {
  let server: VendorServer;
  let t: TestRedis;
  beforeAll(async () => {
    const body = await readShared('real/gcp/incidents_2022-07-03_first21.json');
    server = await startVendorServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(body),
    );
    t = await createTestRedis('incident-regions');
  });
  afterAll(async () => {
    await server?.close();
    await t?.cleanup();
  });

  test('stored GCP incidents carry canonical regions and the codes they came from', async () => {
    const { incidents } = await pollThroughStore(gcpProvider, { id: 'gcp', url: server.baseUrl }, t);
    expect(incidents.length).toBe(21);
    const regional = incidents.filter((i) => i.regions.length > 0);
    expect(regional.length).toBe(21);
    for (const i of regional)
      for (const id of i.regions) expect(id).toMatch(/^(global|gcp:[a-z0-9-]+|macro:|country:|city:)/);
    // GCP's own location ids are the evidence for nearly all; one names its place only in the title.
    const structured = regional.filter((i) => i.regionEvidence?.some((e) => e.from === 'structured'));
    expect(structured.length).toBe(20);
    expect(incidents.find((i) => i.regions.includes('gcp:us'))?.regionEvidence).toContainEqual({
      id: 'gcp:us',
      raw: 'us',
      from: 'structured',
    });
  });
});

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { statuspageProvider } from '../providers/statuspage.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

// A Statuspage page whose open incident later disappears from summary.json while incidents.json
// (the recent list) never carried it — the vendor never says it ended.
const openIncident = {
  id: 'vanish0000ab',
  name: 'Elevated API errors',
  status: 'investigating',
  impact: 'major',
  created_at: '2026-11-21T10:00:00.000Z',
  updated_at: '2026-11-21T10:05:00.000Z',
  incident_updates: [
    { id: 'u1', status: 'investigating', body: 'Looking into it', created_at: '2026-11-21T10:05:00.000Z' },
  ],
  components: [{ name: 'API' }],
};
const summary = (incidents: unknown[]) =>
  JSON.stringify({
    page: {
      id: 'abcdefghijkl',
      name: 'Acme',
      url: 'https://status.acme.test',
      updated_at: '2026-11-21T10:05:00.000Z',
    },
    status: { indicator: incidents.length ? 'major' : 'none', description: 'x' },
    components: [{ id: 'c1', name: 'API', status: incidents.length ? 'major_outage' : 'operational' }],
    incidents,
    scheduled_maintenances: [],
  });

describe('incidents that vanish from a complete open list', () => {
  let server: VendorServer;
  let t: TestRedis;
  let listed: unknown[] = [openIncident];

  beforeAll(async () => {
    server = await startVendorServer((req, res) => {
      if (req.url === '/api/v2/summary.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(summary(listed));
      if (req.url === '/api/v2/incidents.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"incidents":[]}');
      res.writeHead(404).end();
    });
    t = await createTestRedis('open-set');
  });
  afterAll(async () => {
    await server?.close();
    await t?.cleanup();
  });

  test('a Statuspage incident no longer in summary.json is closed by absence, never left open', async () => {
    const first = await pollThroughStore(
      statuspageProvider,
      { id: 'acme', url: server.baseUrl },
      t,
      new Date('2026-11-21T10:06:00Z'),
    );
    expect(first.view.openIncidents.map((i) => i.id)).toEqual(['vanish0000ab']);
    listed = [];
    const second = await pollThroughStore(
      statuspageProvider,
      { id: 'acme', url: server.baseUrl },
      t,
      new Date('2026-11-21T11:00:00Z'),
    );
    expect(second.outcome).toMatchObject({ ok: true, changes: [{ id: 'vanish0000ab', change: 'resolved' }] });
    expect(second.view.openIncidents).toEqual([]);
    expect(second.incidents[0]).toMatchObject({
      resolvedAt: '2026-11-21T11:00:00.000Z',
      resolvedBy: 'absence',
    });
    expect(second.view.status.indicator).toBe('operational');
  });
});

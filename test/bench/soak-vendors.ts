/**
 * Statuspage imitation for the soak run, as its own process: N vendors under `/v<i>`, each with
 * incidents that open and resolve on a clock, so polls keep finding new and resolved incidents. Sends
 * its base URL to the parent.
 *   argv: vendor count, seconds between one vendor's incidents, seconds each stays open.
 * Vendor i's incident k starts at k·period + offset(i) (epoch seconds) and resolves `open` seconds
 * later; a page lists the incidents started within the last three periods, newest first.
 */
import { createHash } from 'node:crypto';
import { startVendorServer } from '../support/vendor-server.js';

const vendors = Number(process.argv[2] ?? 500);
const periodS = Number(process.argv[3] ?? 360);
const openS = Number(process.argv[4] ?? 120);

const iso = (s: number) => new Date(s * 1000).toISOString();
const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];

function incidentsOf(vendor: number, nowS: number) {
  const offset = (vendor * 7919) % periodS;
  const latest = Math.floor((nowS - offset) / periodS);
  const out = [];
  for (let k = latest; k > latest - 3; k--) {
    const start = k * periodS + offset;
    const end = start + openS;
    const resolved = end <= nowS;
    const region = regions[(vendor + k) % regions.length]!;
    const id = `v${vendor}k${k}`;
    const updates = [
      {
        id: `${id}u1`,
        status: 'investigating',
        body: `Elevated API error rates in ${region}. We are investigating.`,
        created_at: iso(start),
        updated_at: iso(start),
        display_at: iso(start),
        affected_components: [
          { code: 'api', name: 'API', old_status: 'operational', new_status: 'partial_outage' },
        ],
      },
    ];
    if (resolved) {
      updates.unshift({
        id: `${id}u2`,
        status: 'resolved',
        body: `API error rates in ${region} are back to normal.`,
        created_at: iso(end),
        updated_at: iso(end),
        display_at: iso(end),
        affected_components: [
          { code: 'api', name: 'API', old_status: 'partial_outage', new_status: 'operational' },
        ],
      });
    }
    out.push({
      id,
      name: `Elevated API errors in ${region}`,
      status: resolved ? 'resolved' : 'investigating',
      impact: 'minor',
      created_at: iso(start),
      updated_at: iso(resolved ? end : start),
      started_at: iso(start),
      resolved_at: resolved ? iso(end) : null,
      monitoring_at: null,
      shortlink: `https://stspg.example/${id}`,
      page_id: `page${vendor}`,
      incident_updates: updates,
      components: [{ id: 'api', name: 'API', status: resolved ? 'operational' : 'partial_outage' }],
    });
  }
  return out;
}

function pages(vendor: number, nowS: number): Record<string, string> {
  const incidents = incidentsOf(vendor, nowS);
  const open = incidents.filter((i) => i.resolved_at === null);
  const page = { id: `page${vendor}`, name: `Vendor ${vendor}`, url: `https://status.v${vendor}.example` };
  const component = {
    id: 'api',
    name: 'API',
    status: open.length > 0 ? 'partial_outage' : 'operational',
    group_id: null,
    group: false,
    position: 1,
  };
  const status =
    open.length > 0
      ? { indicator: 'minor', description: 'Minor Service Outage' }
      : { indicator: 'none', description: 'All Systems Operational' };
  return {
    '/api/v2/summary.json': JSON.stringify({
      page,
      components: [component],
      incidents: open,
      scheduled_maintenances: [],
      status,
    }),
    '/api/v2/incidents.json': JSON.stringify({ page, incidents }),
  };
}

const server = await startVendorServer((req, res) => {
  const match = /^\/v(\d+)(\/api\/v2\/(?:summary|incidents)\.json)$/.exec(req.url ?? '');
  const vendor = match ? Number(match[1]) : -1;
  if (!match || vendor >= vendors) return res.writeHead(404).end();
  const body = pages(vendor, Math.floor(Date.now() / 1000))[match[2]!]!;
  const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
  if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
  res.writeHead(200, { 'content-type': 'application/json', etag }).end(body);
});
process.send?.(server.baseUrl);

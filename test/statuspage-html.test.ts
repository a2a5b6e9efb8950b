import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStatuspageHtml, statuspageHtmlProvider } from '../providers/statuspage-html.js';
import { vendorStatusSchema } from '../src/core/model.js';
import { readOwn } from './support/fixtures.js';
import { createDetectHarness, expectParseError, incidentProblems } from './support/provider-checks.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer, type VendorHandler } from './support/vendor-server.js';

const now = new Date('2024-04-04T21:40:00Z');
const pageUrl = 'https://status.acme-video.example/';

// No Statuspage HTML page is among the recordings: the fixture imitates the public markup by hand.
describe('parseStatuspageHtml() on a home page written after the Statuspage markup', () => {
  let html: string;
  let parsed: ReturnType<typeof parseStatuspageHtml>;
  const byId = (id: string) => parsed.incidents.find((i) => i.id === id);
  beforeAll(async () => {
    html = await readOwn('statuspage-html/index-from-docs.html');
    parsed = parseStatuspageHtml(html, 'acme', now, pageUrl);
  });

  it('reads unresolved, scheduled and past incidents once each, with every invariant', () => {
    expect(parsed.incidents.map((i) => i.id)).toEqual([
      'rec0rd1ngeu1',
      'ma1ntapi0001',
      'newyear00001',
      'm41ntdone001',
    ]);
    expect(incidentProblems(parsed.incidents)).toEqual([]);
  });

  it('reads component rows with their group and skips the group row itself', () => {
    const { components } = vendorStatusSchema.parse(parsed.status);
    expect(components.map((c) => `${c.group ?? '-'} / ${c.name}: ${c.status}`)).toEqual([
      'EUROPE / Recording, Europe: partial_outage',
      'EUROPE / RTMP Streaming, Europe: operational',
      '- / REST API: under_maintenance',
      // No data-component-status: the colour class says degraded.
      '- / Webhooks: degraded_performance',
    ]);
    expect(components[0]?.id).toBe('rec0rdeu0001');
  });

  it('derives major from the rows and the open major incident when no banner is shown', () => {
    expect(parsed.status.indicator).toBe('major');
    expect(parsed.status.description).toBeUndefined();
  });

  it('reads an unresolved incident: impact from its class, PDT stamps to UTC, the epoch of the newest update', () => {
    expect(byId('rec0rd1ngeu1')).toMatchObject({
      title: 'Recording failures in Europe',
      impact: 'major',
      kind: 'incident',
      status: 'identified',
      startedAt: '2024-04-04T20:50:00.000Z',
      updatedAt: '2024-04-04T21:05:10.100Z',
      resolvedAt: null,
      url: 'https://status.acme-video.example/incidents/rec0rd1ngeu1',
    });
    expect(byId('rec0rd1ngeu1')?.updates.map((u) => u.status)).toEqual([
      'investigating',
      'identified',
      'identified',
    ]);
    expect(byId('rec0rd1ngeu1')?.updates[2]).toMatchObject({
      body: 'We are moving recordings to a healthy node & will update within 30 minutes.\nNo data has been lost.',
      html: expect.not.stringContaining('<span'),
    });
  });

  it('reads an announced maintenance with its window and its announcement time', () => {
    expect(byId('ma1ntapi0001')).toMatchObject({
      kind: 'maintenance',
      impact: 'none',
      status: 'scheduled',
      scheduledFor: '2024-04-04T21:00:00.000Z',
      scheduledUntil: '2024-04-04T22:00:00.000Z',
      startedAt: '2024-04-04T21:00:00.000Z',
      postedAt: '2024-03-28T17:15:00.000Z',
      resolvedAt: null,
    });
  });

  it('dates a past incident across New Year from its day header, and ends it at Resolved, not the postmortem', () => {
    expect(byId('newyear00001')).toMatchObject({
      impact: 'minor',
      status: 'postmortem',
      startedAt: '2023-12-31T23:50:00.000Z',
      resolvedAt: '2024-01-01T00:40:00.000Z',
      updatedAt: '2024-01-03T09:00:00.000Z',
    });
  });

  it('starts a past maintenance when it went in progress, converting CET', () => {
    expect(byId('m41ntdone001')).toMatchObject({
      kind: 'maintenance',
      status: 'completed',
      postedAt: '2023-12-20T09:00:00.000Z',
      startedAt: '2024-01-01T03:00:00.000Z',
      resolvedAt: '2024-01-01T05:00:00.000Z',
    });
  });

  it('reads the banner of a quiet page as operational, and "maintenance" from its class', () => {
    const page = (cls: string) =>
      `<html><body><div class="page-status status-${cls}"><span class="status font-large">All Systems Operational</span></div></body></html>`;
    expect(parseStatuspageHtml(page('none'), 'a', now).status).toMatchObject({
      indicator: 'operational',
      description: 'All Systems Operational',
      components: [],
    });
    expect(parseStatuspageHtml(page('maintenance'), 'a', now).status.indicator).toBe('maintenance');
  });
});

describe('parseStatuspageHtml() on pages as vendors really write them', () => {
  it('keeps every incident when an update body leaves <p> and <li> unclosed, with its time and text', async () => {
    const parsed = parseStatuspageHtml(
      await readOwn('statuspage-html/unclosed-tags.html'),
      'acme',
      now,
      pageUrl,
    );
    expect(parsed.incidents.map((i) => i.id)).toEqual(['unc10sedtag1', 'wellf0rmed01']);
    expect(incidentProblems(parsed.incidents)).toEqual([]);
    const [open, past] = parsed.incidents;
    expect(open?.updates.map((u) => [u.at, u.status])).toEqual([
      ['2024-04-04T21:00:00.000Z', 'investigating'],
      ['2024-04-04T21:05:00.000Z', 'identified'],
    ]);
    expect(open?.updates[1]?.body).toBe(
      'We found the cause. Affected regions:\n\nEU: delayed up to 30 minutes\n\nUS: delayed up to 5 minutes\n\nNext update within the hour',
    );
    // The timestamp the parser nested into the body is read as the time, not kept as text.
    expect(open?.updates.map((u) => u.body).join(' ')).not.toMatch(/Apr|PDT|Posted/);
    expect(past).toMatchObject({ status: 'resolved', resolvedAt: '2024-04-03T17:30:00.000Z' });
    expect(past?.updates[0]?.body).toBe('Webhooks are delayed.\nfor some endpoints');
    expect(parsed.status.components).toEqual([
      { id: 'sm7pdel1very', name: 'Outbound delivery', group: null, status: 'partial_outage' },
    ]);
  });

  it('keeps the update after one whose body leaves <b> and <a> open', () => {
    const page =
      `<html><body><div class="unresolved-incident impact-minor"><div class="incident-title"><a href="/incidents/abc123def456">Errors</a></div><div class="updates">` +
      `<div class="update"><strong>Monitoring</strong> - <span>Fix out. <b>Note: <a href="https://x.example">details</span><br><small>Apr 4, 10:30 UTC</small></div>` +
      `<div class="update"><strong>Investigating</strong> - <span>Errors.</span><br><small>Apr 4, 10:00 UTC</small></div></div></div></body></html>`;
    const [incident] = parseStatuspageHtml(page, 'a', new Date('2024-04-04T12:00:00Z')).incidents;
    expect(incident?.updates.map((u) => [u.at, u.status, u.body])).toEqual([
      ['2024-04-04T10:00:00.000Z', 'investigating', 'Errors.'],
      ['2024-04-04T10:30:00.000Z', 'monitoring', 'Fix out. Note: details'],
    ]);
  });

  it('reads an incident resolved in the same minute as a newer "Investigating - … operating normally" as resolved', () => {
    const page =
      `<html><body><div class="unresolved-incident impact-minor"><div class="incident-title"><a href="/incidents/abc123def456">Errors</a></div><div class="updates">` +
      `<div class="update"><strong>Investigating</strong> - <span>Payments are operating normally.</span><br><small>Apr 4, 10:30 UTC</small></div>` +
      `<div class="update"><strong>Resolved</strong> - <span>This incident has been resolved.</span><br><small>Apr 4, 10:30 UTC</small></div>` +
      `<div class="update"><strong>Investigating</strong> - <span>Errors.</span><br><small>Apr 4, 10:00 UTC</small></div></div></div></body></html>`;
    const [incident] = parseStatuspageHtml(page, 'a', new Date('2024-04-04T12:00:00Z')).incidents;
    expect(incident).toMatchObject({ status: 'resolved', resolvedAt: '2024-04-04T10:30:00.000Z' });
  });

  it('reads numeric zones after times: GMT+08:00, UTC-5, GMT-0330, +05:30 and +08', async () => {
    const parsed = parseStatuspageHtml(
      await readOwn('statuspage-html/numeric-zones.html'),
      'acme',
      new Date('2026-02-10T09:00:00Z'),
      pageUrl,
    );
    const incident = parsed.incidents.find((i) => i.id === 'z0nes0ffset1');
    // Oldest first: 09:00 GMT+08:00, 20:00 UTC-5 (day before), 23:00 GMT-0330, 08:00 +05:30, 11:00 +08.
    expect(incident?.updates.map((u) => [u.body, u.at])).toEqual([
      ['Card payments are slow.', '2026-02-10T01:00:00.000Z'],
      ['A slow card network link.', '2026-02-10T01:00:00.000Z'],
      ['Newfoundland merchants affected too.', '2026-02-10T02:30:00.000Z'],
      ['Still slow in India.', '2026-02-10T02:30:00.000Z'],
      ['A fix is out.', '2026-02-10T03:00:00.000Z'],
    ]);
    expect(parsed.incidents.find((i) => i.id === 'z0nesma1nt01')).toMatchObject({
      kind: 'maintenance',
      scheduledFor: '2026-02-11T01:00:00.000Z',
      scheduledUntil: '2026-02-11T03:00:00.000Z',
      postedAt: '2026-02-10T04:00:00.000Z',
    });
  });

  it('reads a numeric offset the same in summer and winter: no zone rules apply to it', () => {
    const page = (stamp: string) =>
      `<html><body><div class="unresolved-incident impact-minor"><div class="incident-title"><a href="/incidents/abc123def456">Errors</a></div>` +
      `<div class="updates"><div class="update"><strong>Investigating</strong> - x<br><small>${stamp}</small></div></div></div></body></html>`;
    const at = (stamp: string, reference: string) =>
      parseStatuspageHtml(page(stamp), 'a', new Date(reference)).incidents[0]?.startedAt;
    expect(at('Jul 10, 09:00 UTC-5', '2025-07-11T00:00:00Z')).toBe('2025-07-10T14:00:00.000Z');
    expect(at('Jan 10, 09:00 UTC-5', '2025-01-11T00:00:00Z')).toBe('2025-01-10T14:00:00.000Z');
    expect(at('Jul 10, 09:00 GMT-0330', '2025-07-11T00:00:00Z')).toBe('2025-07-10T12:30:00.000Z');
    expect(at('Jan 10, 09:00 GMT-0330', '2025-01-11T00:00:00Z')).toBe('2025-01-10T12:30:00.000Z');
    expect(at('Jul 10, 2025 - 09:00 +05:30', '2026-01-01T00:00:00Z')).toBe('2025-07-10T03:30:00.000Z');
  });
});

describe('bad Statuspage HTML', () => {
  it('rejects a page with none of the Statuspage blocks (an error page, or a redesign)', () => {
    const error = expectParseError(() =>
      parseStatuspageHtml('<html><body><h1>502 Bad Gateway</h1></body></html>', 'a', now),
    );
    expect(error.kind).toBe('parse');
    expect(error.message).toMatch(
      /^statuspage page: no \.page-status, \.unresolved-incident or \.component-inner-container/,
    );
  });

  it('rejects JSON, an incident without an id link and an update time in an unknown zone', () => {
    expect(expectParseError(() => parseStatuspageHtml('{"page": {}}', 'a', now)).message).toBe(
      'statuspage page: not an HTML page',
    );
    const incident = (link: string, small: string) =>
      `<html><body><div class="unresolved-incident impact-minor"><div class="incident-title"><a href="${link}">Errors</a></div>` +
      `<div class="updates"><div class="update"><strong>Investigating</strong> - x<br><small>${small}</small></div></div></div></body></html>`;
    expect(
      expectParseError(() => parseStatuspageHtml(incident('/about', 'Apr 4, 10:00 UTC'), 'a', now)).message,
    ).toBe('statuspage page: incident "Errors" has no /incidents/<id> link');
    expect(
      expectParseError(() =>
        parseStatuspageHtml(incident('/incidents/abc123def456', 'Apr 4, 10:00 XYZT'), 'a', now),
      ).message,
    ).toBe('statuspage page: incident abc123def456: cannot read the time "Apr 4, 10:00 XYZT"');
  });
});

describe('statuspageHtmlProvider end to end through a local server and Redis', () => {
  let body: string;
  let server: VendorServer;
  let t: TestRedis;

  beforeAll(async () => {
    body = await readOwn('statuspage-html/index-from-docs.html');
    server = await startVendorServer((req, res) => {
      if (req.url !== '/') return void res.writeHead(404).end();
      const etag = `"${body.length}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag }).end(body);
    });
    t = await createTestRedis('statuspage-html');
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  async function poll(id: string, next?: string) {
    const saved = body;
    if (next !== undefined) body = next;
    try {
      return await pollThroughStore(statuspageHtmlProvider, { id, url: server.baseUrl }, t, now);
    } finally {
      body = saved;
    }
  }

  it('stores the incidents and maintenances with links on the served host, and reports the vendor healthy', async () => {
    const { outcome, view, incidents } = await poll('sph-ok');
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).toBe('major');
    expect(incidents).toHaveLength(4);
    expect(incidents.find((i) => i.id === 'newyear00001')?.url).toBe(
      `${server.baseUrl}/incidents/newyear00001`,
    );
    expect(server.requests.at(-1)?.headers.accept).toMatch(/^text\/html/);
  });

  it('marks a page whose blocks were renamed as a parse error and the vendor unknown', async () => {
    const redesigned = body.replace(/component-inner-container|unresolved-incident|page-status/g, 'x');
    const { outcome, view } = await poll('sph-drift', redesigned);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toMatchObject({ kind: 'parse', url: `${server.baseUrl}/` });
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  });

  it('marks an HTML error page served with 200 as a parse error', async () => {
    const { outcome, view } = await poll(
      'sph-error',
      '<!DOCTYPE html><html><body>Just a moment...</body></html>',
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.kind).toBe('parse');
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  });
});

describe('statuspageHtmlProvider.detect()', () => {
  const harness = createDetectHarness();
  afterAll(() => harness.close());

  async function detectOn(pages: Record<string, string>) {
    const respond: VendorHandler = (req, res) => {
      const page = pages[req.url ?? ''];
      if (page === undefined)
        return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html>404</html>');
      res
        .writeHead(200, { 'content-type': page.startsWith('{') ? 'application/json' : 'text/html' })
        .end(page);
    };
    return (await harness.detectOn(statuspageHtmlProvider, respond)).detection;
  }

  it('claims a Statuspage page whose API is off at 0.7', async () => {
    const detection = await detectOn({ '/': await readOwn('statuspage-html/index-from-docs.html') });
    expect(detection).toMatchObject({
      provider: 'statuspage-html',
      confidence: 0.7,
      name: 'Acme Video Status',
    });
    expect(detection?.evidence).toEqual([
      'the page has Statuspage markup (4 component rows, 4 incidents)',
      '/api/v2/summary.json does not answer',
    ]);
  });

  it('steps back to 0.3 when the JSON API answers', async () => {
    const detection = await detectOn({
      '/': await readOwn('statuspage-html/index-from-docs.html'),
      '/api/v2/summary.json': await readOwn('statuspage/summary-from-docs.json'),
    });
    expect(detection?.confidence).toBe(0.3);
  });

  it('stays at 0.7 when summary.json answers with JSON that is not a Statuspage summary', async () => {
    const detection = await detectOn({
      '/': await readOwn('statuspage-html/index-from-docs.html'),
      '/api/v2/summary.json': '{"error":"not found"}',
    });
    expect(detection?.confidence).toBe(0.7);
  });

  it('returns null for 404 everywhere and for a page without Statuspage markup', async () => {
    expect(await detectOn({})).toBeNull();
    expect(await detectOn({ '/': '<html><body><h1>Acme</h1><p>All good</p></body></html>' })).toBeNull();
  });
});

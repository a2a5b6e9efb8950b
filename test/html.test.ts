import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlOptionsSchema, htmlProvider, parseHtmlPage, readTime } from '../providers/html.js';
import { readOwn } from './support/fixtures.js';
import {
  createDetectHarness,
  customPageSelectors,
  expectParseError,
  incidentProblems,
} from './support/provider-checks.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer, type VendorHandler } from './support/vendor-server.js';

const now = new Date('2024-04-04T21:30:00Z');
const selectors = customPageSelectors;
const pageUrl = 'https://status.acme-video.example/';

// No platform means no recording: the page below was written by hand as a typical custom page.
describe('parseHtmlPage() on a custom page written by hand', () => {
  let html: string;
  let parsed: ReturnType<typeof parseHtmlPage>;
  beforeAll(async () => {
    html = await readOwn('html/custom-page-from-docs.html');
    parsed = parseHtmlPage(html, 'acme', now, { selectors, pageUrl });
  });

  it('reads one incident per matched element with every invariant', () => {
    expect(parsed.incidents.map((i) => i.title)).toEqual([
      'Recording failures in Europe',
      'Delayed webhooks',
      'Scheduled maintenance: database upgrade',
    ]);
    expect(incidentProblems(parsed.incidents)).toEqual([]);
  });

  it('ids an incident by its absolute link, and converts a -07:00 datetime attribute to UTC', () => {
    expect(parsed.incidents[0]).toMatchObject({
      id: 'https://status.acme-video.example/events/101',
      url: 'https://status.acme-video.example/events/101',
      status: 'investigating',
      impact: 'unknown',
      kind: 'incident',
      startedAt: '2024-04-04T20:50:00.000Z',
      resolvedAt: null,
      regions: [],
    });
  });

  it('keeps only text and sanitized markup of the body: no script, no event handlers', () => {
    const update = parsed.incidents[0]?.updates[0];
    expect(update?.body).toBe('Recordings fail to start in Frankfurt & Paris.');
    expect(update?.html).toBe('<p>Recordings fail to start in <b>Frankfurt</b> &amp; Paris.</p>');
  });

  it('reads a "Resolved" state as resolved and a zoneless text time as UTC', () => {
    expect(parsed.incidents[1]).toMatchObject({
      status: 'resolved',
      startedAt: '2024-04-02T09:30:00.000Z',
      resolvedAt: '2024-04-02T09:30:00.000Z',
    });
  });

  it('reads a "Scheduled" state as maintenance, an epoch-ms time, and hashes an unlinked id', () => {
    expect(parsed.incidents[2]).toMatchObject({
      kind: 'maintenance',
      status: 'scheduled',
      startedAt: '2024-04-05T18:00:00.000Z',
      url: null,
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('maps the "Partial outage" banner to major and keeps its text', () => {
    expect(parsed.status).toMatchObject({
      indicator: 'major',
      description: 'Partial outage: some services are degraded',
      components: [],
      health: 'ok',
    });
  });

  it('reads "All Systems Operational" and "No known issues" as operational, and an odd banner as unknown', () => {
    const banner = (text: string) =>
      parseHtmlPage(`<html><body><div id="overall">${text}</div></body></html>`, 'a', now, { selectors })
        .status.indicator;
    expect(banner('All Systems Operational')).toBe('operational');
    expect(banner('No known issues')).toBe('operational');
    expect(banner('Under maintenance')).toBe('maintenance');
    expect(banner('¯\\_(ツ)_/¯')).toBe('unknown');
  });

  it('raises an "operational" banner to minor while an incident is open (the banner lags)', () => {
    const lagging = html.replace('Partial outage: some services are degraded', 'All Systems Operational');
    expect(parseHtmlPage(lagging, 'a', now, { selectors, pageUrl }).status.indicator).toBe('minor');
  });

  it('reads a page with no incidents as healthy when the banner matches', () => {
    const quiet =
      '<html><body><div id="overall">All Systems Operational</div><section></section></body></html>';
    expect(parseHtmlPage(quiet, 'a', now, { selectors })).toMatchObject({
      incidents: [],
      status: { indicator: 'operational' },
    });
  });
});

describe('readTime()', () => {
  it('reads epochs, offsets, zone names and zoneless ISO as UTC', () => {
    expect(readTime('1712340000')).toBe('2024-04-05T18:00:00.000Z');
    expect(readTime('2024-04-04T13:50:00-07:00')).toBe('2024-04-04T20:50:00.000Z');
    expect(readTime('Apr 4, 2024 1:50 PM PDT')).toBe('2024-04-04T20:50:00.000Z');
    expect(readTime('2024-04-04T13:50:00')).toBe('2024-04-04T13:50:00.000Z');
    expect(readTime('yesterday')).toBeNull();
  });

  it('reads numeric zones after the time: GMT+08:00, UTC-5, GMT-0330, +05:30, +08', () => {
    expect(readTime('Feb 10, 2026 09:00 GMT+08:00')).toBe('2026-02-10T01:00:00.000Z');
    expect(readTime('Feb 10, 2026 09:00 UTC-5')).toBe('2026-02-10T14:00:00.000Z');
    expect(readTime('Jul 10, 2026 09:00 UTC-5')).toBe('2026-07-10T14:00:00.000Z');
    expect(readTime('Feb 10, 2026 09:00 GMT-0330')).toBe('2026-02-10T12:30:00.000Z');
    expect(readTime('Feb 10, 2026 09:00 +05:30')).toBe('2026-02-10T03:30:00.000Z');
    expect(readTime('Feb 10, 2026 09:00 +08')).toBe('2026-02-10T01:00:00.000Z');
    expect(readTime('2026-02-10 09:00 UTC+5:30')).toBe('2026-02-10T03:30:00.000Z');
  });
});

describe('bad HTML pages', () => {
  it('fails when the overall selector matches nothing (the layout changed), even with no incidents', () => {
    const error = expectParseError(() =>
      parseHtmlPage('<html><body><p>Bad gateway</p></body></html>', 'a', now, { selectors }),
    );
    expect(error.kind).toBe('parse');
    expect(error.message).toBe('html page: overall selector "#overall" matched nothing (layout changed?)');
  });

  it('fails naming the incident when its title or time cannot be read', () => {
    const page = (inner: string) =>
      `<html><body><div id="overall">ok</div><article class="event">${inner}</article></body></html>`;
    expect(
      expectParseError(() => parseHtmlPage(page('<time>now</time>'), 'a', now, { selectors })).message,
    ).toBe('html page: incident 0: title selector ".event-title" matched nothing');
    expect(
      expectParseError(() =>
        parseHtmlPage(page('<h3 class="event-title">x</h3><time>soon</time>'), 'a', now, { selectors }),
      ).message,
    ).toBe('html page: incident 0: cannot read the time "soon" (time)');
  });

  it('rejects JSON and plain text served where the page was expected', () => {
    expect(expectParseError(() => parseHtmlPage('{"status": "ok"}', 'a', now, { selectors })).message).toBe(
      'html page: got JSON instead of an HTML page',
    );
    expect(
      expectParseError(() => parseHtmlPage('Service Unavailable', 'a', now, { selectors })).message,
    ).toBe('html page: not an HTML page');
  });

  it('validates options: a path, the two required selectors, and CSS syntax', () => {
    expect(htmlOptionsSchema.safeParse({ path: '/', selectors }).success).toBe(true);
    const missing = htmlOptionsSchema.safeParse({ path: '/', selectors: { incident: '.x' } });
    expect(missing.error?.issues[0]).toMatchObject({
      path: ['selectors', 'title'],
      message: 'expected a CSS selector',
    });
    const broken = htmlOptionsSchema.safeParse({
      path: 'status',
      selectors: { incident: 'div[', title: 'h3' },
    });
    expect(broken.error?.issues.map((i) => i.message)).toEqual([
      'expected a path under url starting with one "/", e.g. "/status"',
      'expected a valid CSS selector',
    ]);
  });
});

describe('htmlProvider end to end through a local server and Redis', () => {
  let body: string;
  let contentType = 'text/html; charset=utf-8';
  let server: VendorServer;
  let t: TestRedis;
  const options = { path: '/status', selectors };

  beforeAll(async () => {
    body = await readOwn('html/custom-page-from-docs.html');
    server = await startVendorServer((req, res) => {
      if (req.url !== '/status') return void res.writeHead(404).end();
      const etag = `"${body.length}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': contentType, etag }).end(body);
    });
    t = await createTestRedis('html');
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  async function poll(id: string, next?: { body: string; type: string }) {
    const saved = { body, contentType };
    if (next) [body, contentType] = [next.body, next.type];
    try {
      return await pollThroughStore(htmlProvider, { id, url: server.baseUrl, options }, t, now);
    } finally {
      [body, contentType] = [saved.body, saved.contentType];
    }
  }

  it('stores the scraped incidents with links resolved against the page and reports the vendor healthy', async () => {
    const { outcome, view, incidents } = await poll('html-ok');
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).toBe('major');
    expect(incidents.map((i) => i.id)).toContain(`${server.baseUrl}/events/101`);
    expect(view.openIncidents.map((i) => i.title)).toContain('Recording failures in Europe');
  });

  it('marks a redesigned page (the overall banner gone) as a parse error and the vendor unknown', async () => {
    const { outcome, view } = await poll('html-drift', {
      body: body.replace('id="overall"', 'id="hero"'),
      type: 'text/html',
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toMatchObject({ kind: 'parse', url: `${server.baseUrl}/status` });
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  });

  it('marks an HTML error page served with 200 as a parse error, never "no incidents"', async () => {
    const { outcome, view } = await poll('html-error', {
      body: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>',
      type: 'text/html',
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.kind).toBe('parse');
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  });
});

describe('htmlProvider.detect()', () => {
  const harness = createDetectHarness();
  afterAll(() => harness.close());

  async function detectOn(status: number, type: string, body: string) {
    const respond: VendorHandler = (_req, res) =>
      void res.writeHead(status, { 'content-type': type }).end(body);
    return (await harness.detectOn(htmlProvider, respond, '/status')).detection;
  }

  it('offers a last-resort detection at 0.1 for any HTML page, selectors left to a person', async () => {
    const detection = await detectOn(200, 'text/html', await readOwn('html/custom-page-from-docs.html'));
    expect(detection).toMatchObject({
      provider: 'html',
      confidence: 0.1,
      options: { path: '/status' },
      name: 'Acme Video Status',
    });
    expect(detection?.evidence[0]).toMatch(/options\.selectors/);
    expect(htmlOptionsSchema.safeParse(detection?.options).success).toBe(false);
  });

  it('returns null when the page answers 404 or is not HTML', async () => {
    expect(await detectOn(404, 'text/html', '<html>gone</html>')).toBeNull();
    expect(await detectOn(200, 'application/json', '{"ok": true}')).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { betterstackProvider, parseFeed, parseIndex } from '../providers/betterstack.js';
import { FetchError } from '../src/core/errors.js';
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

// No recorded Better Stack payload exists in ../shared (see SOURCES.md), so these tests run on payloads
// written from Better Stack's docs (status-pages/subscribing-to-status-updates: JSON API and RSS).
const now = new Date('2025-02-16T16:00:00Z');
describe('parseIndex() on an index.json written from the Better Stack docs', () => {
  let result: ReturnType<typeof parseIndex>;
  let body: string;
  beforeAll(async () => {
    body = await readOwn('betterstack/index-from-docs.json');
    result = parseIndex(body, 'acme', now);
  });
  const byId = (id: string) => result.incidents.find((i) => i.id === id);

  it('lists resources as components grouped by section, "not_monitored" as unknown', () => {
    expect(vendorStatusSchema.parse(result.status).components).toEqual([
      { id: '2001', name: 'Recording (EU)', group: 'Video', status: 'degraded_performance' },
      { id: '2002', name: 'Live streaming', group: 'Video', status: 'operational' },
      { id: '2003', name: 'REST API', group: 'Platform', status: 'operational' },
      { id: '2004', name: 'Webhooks', group: 'Platform', status: 'unknown' },
    ]);
    expect(result.status).toMatchObject({ indicator: 'minor', health: 'ok', fetchedAt: now.toISOString() });
  });

  it('keeps every status report with every invariant, manual and automatic ones as incidents', () => {
    expect(incidentProblems(result.incidents)).toEqual([]);
    expect(result.incidents.map((i) => `${i.kind} ${i.id}`)).toEqual([
      'incident 3001',
      'incident 3002',
      'maintenance 3003',
      'maintenance 3004',
      'incident 3005',
    ]);
  });

  it('closes a resolved report whose ends_at is null at its all-operational update (pitfall 5)', () => {
    expect(byId('3001')).toMatchObject({
      title: 'Live streaming outage',
      status: 'resolved',
      impact: 'major',
      startedAt: '2025-02-14T09:12:00.000Z',
      postedAt: '2025-02-14T09:12:30.000Z',
      updatedAt: '2025-02-14T10:05:00.000Z',
      resolvedAt: '2025-02-14T10:05:00.000Z',
      components: ['Live streaming'],
      regions: [],
      url: 'https://status.acme-video.example/incidents/3001',
    });
    expect(byId('3001')?.updates.map((u) => u.status)).toEqual(['downtime', 'degraded', 'resolved']);
    expect(byId('3001')?.updates[1]?.body).toBe(
      'We found a faulty ingest node and are moving streams off it.\nSome streams may reconnect.',
    );
  });

  it('converts -05:00 times to UTC and carries the state forward through an update that sets none', () => {
    expect(byId('3002')).toMatchObject({
      status: 'degraded',
      impact: 'minor',
      startedAt: '2025-02-16T14:30:00.000Z',
      postedAt: '2025-02-16T14:31:00.000Z',
      resolvedAt: null,
      components: ['Recording (EU)'],
    });
    expect(byId('3002')?.updates.map((u) => u.status)).toEqual(['degraded', 'degraded']);
  });

  it('reads maintenance reports as scheduled before their window and completed at their last update', () => {
    expect(byId('3003')).toMatchObject({
      kind: 'maintenance',
      impact: 'none',
      status: 'scheduled',
      startedAt: '2025-02-20T02:00:00.000Z',
      postedAt: '2025-02-13T12:00:00.000Z',
      scheduledFor: '2025-02-20T02:00:00.000Z',
      scheduledUntil: '2025-02-20T03:00:00.000Z',
      resolvedAt: null,
      url: null,
    });
    expect(byId('3004')).toMatchObject({ status: 'completed', resolvedAt: '2025-02-10T22:41:00.000Z' });
    expect(byId('3004')?.updates.map((u) => u.status)).toEqual(['maintenance', 'completed']);
  });

  it('keeps a report that never hurt anything as impact none', () => {
    expect(byId('3005')).toMatchObject({
      impact: 'none',
      status: 'resolved',
      resolvedAt: '2025-02-12T07:00:00.000Z',
    });
  });

  it('reads a maintenance as in progress inside its window, and raises a quiet page to maintenance', () => {
    const during = parseIndex(body, 'acme', new Date('2025-02-20T02:30:00Z'));
    expect(during.incidents.find((i) => i.id === '3003')?.status).toBe('in_progress');
    const doc = JSON.parse(body) as { data: { attributes: Record<string, unknown> }; included: unknown[] };
    doc.data.attributes.aggregate_state = 'operational';
    const quiet = JSON.stringify({
      ...doc,
      included: doc.included.filter((i) => !/"3002"/.test(JSON.stringify(i))),
    });
    expect(parseIndex(quiet, 'acme', new Date('2025-02-20T02:30:00Z')).status.indicator).toBe('maintenance');
  });

  it('maps aggregate_state "downtime" to major and an unknown word to unknown, never operational', () => {
    const page = (aggregate_state: string) =>
      JSON.stringify({ data: { id: 1, type: 'status_page', attributes: { aggregate_state } } });
    expect(parseIndex(page('downtime'), 'x', now).status.indicator).toBe('major');
    expect(parseIndex(page('maintenance'), 'x', now).status.indicator).toBe('maintenance');
    expect(parseIndex(page('sideways'), 'x', now).status.indicator).toBe('unknown');
    const bare = JSON.stringify({ data: { id: 1, type: 'status_page', attributes: {} } });
    expect(parseIndex(bare, 'x', now).status.indicator).toBe('unknown');
  });

  it('names the drifted item and field, and rejects a document that is not a status page', () => {
    const doc = JSON.parse(body) as { included: { attributes: Record<string, unknown> }[] };
    doc.included[6]!.attributes.starts_at = 'tomorrow';
    expect(expectParseError(() => parseIndex(JSON.stringify(doc), 'x', now)).message).toBe(
      'index.json: included[6].attributes.starts_at: expected an ISO-8601 timestamp',
    );
    expect(
      expectParseError(() =>
        parseIndex('{"data": {"id": "1", "type": "monitor", "attributes": {}}}', 'x', now),
      ).message,
    ).toBe('index.json: data.type: expected "status_page"');
    expect(expectParseError(() => parseIndex('<html>login</html>', 'x', now)).message).toMatch(/got HTML/);
  });
});

describe('parseFeed() on a feed.rss written from the Better Stack docs', () => {
  let result: Awaited<ReturnType<typeof parseFeed>>;
  beforeAll(async () => {
    result = await parseFeed(await readOwn('betterstack/feed-from-docs.rss'), 'acme', now);
  });

  it('groups one item per update into reports by link, oldest update first, with no impact', () => {
    expect(incidentProblems(result.incidents)).toEqual([]);
    expect(result.incidents.find((i) => i.id === '98765')).toMatchObject({
      title: 'Database Connection Issues',
      impact: 'unknown',
      kind: 'incident',
      status: 'resolved',
      startedAt: '2024-01-15T10:30:00.000Z',
      resolvedAt: '2024-01-15T11:45:00.000Z',
      url: 'https://status.acme-video.example/incidents/98765',
    });
    expect(result.incidents.find((i) => i.id === '98765')?.updates.map((u) => `${u.status} ${u.id}`)).toEqual(
      [
        'investigating https://status.acme-video.example/incidents/98765#update-11110',
        'resolved https://status.acme-video.example/incidents/98765#update-11111',
      ],
    );
  });

  it('converts a +0100 pubDate to UTC and turns the HTML description into text', () => {
    const open = result.incidents.find((i) => i.id === '98770');
    expect(open).toMatchObject({ startedAt: '2024-01-15T12:20:00.000Z', resolvedAt: null });
    expect(open?.updates[0]).toMatchObject({
      body: 'Dashboards load slowly for EU customers & some exports time out.',
      html: expect.stringContaining('<p>'),
    });
  });

  it('reports unknown, not operational, while an incident of unknown severity is open', () => {
    expect(result.status).toMatchObject({ indicator: 'unknown', components: [] });
  });

  it('rejects an HTML page and XML that is not a feed', async () => {
    await expect(parseFeed('<!DOCTYPE html><html></html>', 'x', now)).rejects.toMatchObject({
      kind: 'parse',
      message: 'feed.rss: got an HTML page instead of RSS',
    });
    await expect(parseFeed('<rss><channel><item>', 'x', now)).rejects.toBeInstanceOf(FetchError);
  });
});

describe('betterstackProvider end to end through a local server and Redis', () => {
  let server: VendorServer;
  let t: TestRedis;
  const pages: Pages = new Map();
  let index = '';
  let feed = '';
  beforeAll(async () => {
    index = await readOwn('betterstack/index-from-docs.json');
    feed = await readOwn('betterstack/feed-from-docs.rss');
    server = await startVendorServer(servePages(pages));
    t = await createTestRedis('betterstack-provider');
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });
  const vendorAt = (name: string) => ({ id: `acme-${name}`, url: `${server.baseUrl}/${name}` });

  it('stores the reports, the resolved one closed, and reports the page ok and minor', async () => {
    pages.set('/normal/index.json', { type: 'application/json', body: index });
    const { outcome, view, incidents } = await pollThroughStore(
      betterstackProvider,
      vendorAt('normal'),
      t,
      now,
    );
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).toBe('minor');
    expect(incidents).toHaveLength(5);
    expect(view.openIncidents.map((i) => i.id).sort()).toEqual(['3002', '3003']);
  });

  it('falls back to feed.rss when index.json answers 404', async () => {
    pages.set('/feedonly/feed.rss', { type: 'application/rss+xml', body: feed });
    const { outcome, view, incidents } = await pollThroughStore(
      betterstackProvider,
      vendorAt('feedonly'),
      t,
      now,
    );
    expect(outcome.ok).toBe(true);
    expect(incidents.map((i) => i.id).sort()).toEqual(['98765', '98770']);
    expect(view.openIncidents.map((i) => i.id)).toEqual(['98770']);
    expect(server.requests.filter((r) => r.path.startsWith('/feedonly/')).map((r) => r.path)).toEqual([
      '/feedonly/index.json',
      '/feedonly/feed.rss',
    ]);
  });

  it('marks the vendor unknown with a parse error when index.json has drifted', async () => {
    pages.set('/drift/index.json', {
      type: 'application/json',
      body: '{"data": {"id": "165", "type": "status_page", "attributes": {}}, "included": {"id": "1"}}',
    });
    const { outcome, view } = await pollThroughStore(betterstackProvider, vendorAt('drift'), t, now);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/^index\.json: included: expected array/);
    if (!outcome.ok) expect(outcome.error.kind).toBe('parse');
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  });

  it('names the feed url when the fallback feed is broken', async () => {
    pages.set('/badfeed/feed.rss', { type: 'text/html', body: '<html>nope</html>' });
    const { outcome } = await pollThroughStore(betterstackProvider, vendorAt('badfeed'), t, now);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.error).toMatchObject({ kind: 'parse', url: `${server.baseUrl}/badfeed/feed.rss` });
  });
});

describe('betterstackProvider.detect()', () => {
  const harness = createDetectHarness();
  afterAll(() => harness.close());
  const detectOn = (pages: Pages, pagePath = '') =>
    harness.detectOn(betterstackProvider, servePages(pages), pagePath);

  it('recognizes index.json as a JSON:API status_page document', async () => {
    const body = await readOwn('betterstack/index-from-docs.json');
    const { server, detection } = await detectOn(
      new Map([['/index.json', { type: 'application/json', body }]]),
    );
    expect(detection).toMatchObject({
      provider: 'betterstack',
      confidence: 0.95,
      url: server.baseUrl,
      name: 'Acme Video',
    });
  });

  it('answers the origin as the url to poll when given a deep link to one report', async () => {
    const body = await readOwn('betterstack/index-from-docs.json');
    const { server, detection } = await detectOn(
      new Map([['/index.json', { type: 'application/json', body }]]),
      '/incidents/3001',
    );
    expect(detection).toMatchObject({ provider: 'betterstack', url: server.baseUrl });
    expect(server.requests.map((r) => r.path)).toEqual(['/incidents/3001/index.json', '/index.json']);
  });

  it('guesses from a Better Uptime mention in the page when index.json does not answer', async () => {
    const html = '<html><a href="https://betteruptime.com">Powered by Better Uptime</a></html>';
    const { detection } = await detectOn(new Map([['/', { type: 'text/html', body: html }]]));
    expect(detection).toMatchObject({ provider: 'betterstack', confidence: 0.5 });
  });

  it('answers null for another JSON:API document and for a server that answers 404 everywhere', async () => {
    const other = JSON.stringify({ data: { id: '1', type: 'incident', attributes: {} } });
    expect(
      (await detectOn(new Map([['/index.json', { type: 'application/json', body: other }]]))).detection,
    ).toBeNull();
    const { server, detection } = await detectOn(new Map());
    expect(detection).toBeNull();
    expect(server.requests.map((r) => r.path)).toEqual(['/index.json', '/']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azureProvider, azureStatus, parseAzureFeed } from '../providers/azure.js';
import { createDetectContext } from '../src/http/detect.js';
import { vendorStatusSchema } from '../src/core/model.js';
import { readOwn } from './support/fixtures.js';
import {
  type Pages,
  createDetectHarness,
  expectParseRejection,
  incidentProblems,
  servePages,
} from './support/provider-checks.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

const now = new Date('2026-08-06T15:10:00Z');
const FEED = '/en-us/status/feed/';

const feedError = (xml: string) => expectParseRejection(() => parseAzureFeed(xml, 'azure', now));

const channel = (items: string) =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Azure Status</title><link>https://azure.status.microsoft/en-us/status/</link><lastBuildDate>Thu, 06 Aug 2026 01:09:00 Z</lastBuildDate>${items}</channel></rss>`;

describe('parseAzureFeed() on a feed written from descriptions of the Azure status feed', () => {
  let parsed: Awaited<ReturnType<typeof parseAzureFeed>>;
  beforeAll(async () => {
    parsed = await parseAzureFeed(await readOwn('azure/feed-from-docs.xml'), 'azure', now);
  });
  const byId = (id: string) => parsed.incidents.find((i) => i.id === id);

  it('reads one issue per item with every invariant holding', () => {
    expect(parsed.incidents.map((i) => i.id)).toEqual([
      'azure-databricks-north-central-us',
      'VMSS-EastUS2-0904',
    ]);
    expect(incidentProblems(parsed.incidents)).toEqual([]);
  });

  it('reads an open issue: the Z zone as UTC, the state from the title, the onset from "Starting at"', () => {
    expect(byId('azure-databricks-north-central-us')).toMatchObject({
      title: 'Azure Databricks - North Central US - Investigating',
      impact: 'unknown',
      status: 'investigating',
      kind: 'incident',
      startedAt: '2026-08-06T14:20:00.000Z',
      postedAt: '2026-08-06T15:02:00.000Z',
      updatedAt: '2026-08-06T15:02:00.000Z',
      resolvedAt: null,
      components: [],
      regions: [],
    });
    expect(byId('azure-databricks-north-central-us')?.updates[0]).toMatchObject({
      at: '2026-08-06T15:02:00.000Z',
      body: expect.stringMatching(
        /^Summary of impact: Starting at 14:20 UTC .*\n\nCurrent status: Engineers/s,
      ),
      html: expect.stringContaining('<strong>Current status:</strong>'),
    });
  });

  it('ends an issue at the close of its "Summary of impact: Between … and …" window', () => {
    expect(byId('VMSS-EastUS2-0904')).toMatchObject({
      status: 'mitigated',
      startedAt: '2018-09-04T09:15:00.000Z',
      postedAt: '2018-09-05T17:30:00.000Z',
      resolvedAt: '2018-09-05T16:45:00.000Z',
    });
  });

  it('reports minor while an issue is open, since the feed gives no severity', () => {
    expect(vendorStatusSchema.parse(parsed.status)).toMatchObject({
      indicator: 'minor',
      components: [],
      health: 'ok',
    });
    expect(azureStatus(parsed.incidents.slice(1), 'azure', now).indicator).toBe('operational');
  });

  it('keeps the id when the title changes state, and closes the issue when the title says Mitigated', async () => {
    const item = (state: string, pubDate: string) =>
      `<item><title>Azure Front Door - Global - ${state}</title><description>Engineers are working on it.</description><pubDate>${pubDate}</pubDate></item>`;
    const [open] = (
      await parseAzureFeed(channel(item('Investigating', 'Thu, 06 Aug 2026 00:40:00 Z')), 'a', now)
    ).incidents;
    const [closed] = (
      await parseAzureFeed(channel(item('Mitigated', 'Thu, 06 Aug 2026 01:05:00 Z')), 'a', now)
    ).incidents;
    expect(open).toMatchObject({ id: 'azure-front-door-global', resolvedAt: null });
    expect(closed).toMatchObject({
      id: 'azure-front-door-global',
      status: 'mitigated',
      resolvedAt: '2026-08-06T01:05:00.000Z',
    });
  });

  it('dates an item without a pubDate by the channel lastBuildDate and reads planned maintenance as such', async () => {
    const { incidents, status } = await parseAzureFeed(
      channel('<item><title>Planned maintenance: Azure SQL Database - West Europe</title></item>'),
      'azure',
      now,
    );
    expect(incidents[0]).toMatchObject({ kind: 'maintenance', startedAt: '2026-08-06T01:09:00.000Z' });
    expect(status.indicator).toBe('maintenance');
  });

  it('reads an empty channel as operational with no incidents', async () => {
    expect(await parseAzureFeed(channel(''), 'azure', now)).toEqual({
      status: {
        vendor: 'azure',
        indicator: 'operational',
        components: [],
        fetchedAt: now.toISOString(),
        health: 'ok',
      },
      incidents: [],
    });
  });
});

describe('bad Azure feeds', () => {
  it('rejects an HTML page, malformed XML and an item without a title', async () => {
    expect((await feedError('<!DOCTYPE html><html>Access denied</html>')).message).toBe(
      'azure feed: got an HTML page instead of RSS',
    );
    expect((await feedError('<rss><channel><item>')).message).toMatch(/^azure feed: not a readable RSS feed/);
    expect((await feedError(channel('<item><description>x</description></item>'))).message).toBe(
      'azure feed: item 0 has no title',
    );
  });
});

describe('azureProvider end to end through a local server and Redis', () => {
  let feed: string;
  let server: VendorServer;
  let t: TestRedis;
  const pages = new Map<string, { type: string; body: string }>();

  beforeAll(async () => {
    feed = await readOwn('azure/feed-from-docs.xml');
    t = await createTestRedis('azure-provider');
    server = await startVendorServer(servePages(pages));
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });
  const vendorAt = (name: string) => ({
    path: `/${name}${FEED}`,
    vendor: { id: `azure-${name}`, url: `${server.baseUrl}/${name}` },
  });

  it('stores the issues and shows minor while one is open', async () => {
    const { path, vendor } = vendorAt('normal');
    pages.set(path, { type: 'application/rss+xml; charset=utf-8', body: feed });
    const { outcome, view, incidents } = await pollThroughStore(azureProvider, vendor, t, now);
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).toBe('minor');
    expect(incidents.map((i) => i.id).sort()).toEqual([
      'VMSS-EastUS2-0904',
      'azure-databricks-north-central-us',
    ]);
    expect(view.openIncidents.map((i) => i.id)).toEqual(['azure-databricks-north-central-us']);
  });

  it('reads the usual empty feed as operational', async () => {
    const { path, vendor } = vendorAt('empty');
    pages.set(path, { type: 'application/rss+xml', body: channel('') });
    const { outcome, view } = await pollThroughStore(azureProvider, vendor, t, now);
    expect(outcome.ok).toBe(true);
    expect(view.status.indicator).toBe('operational');
  });

  it('marks the vendor unknown with a parse error naming the feed when its items drift', async () => {
    const { path, vendor } = vendorAt('drift');
    pages.set(path, { type: 'application/rss+xml', body: channel('<item><summary>x</summary></item>') });
    const { outcome, view } = await pollThroughStore(azureProvider, vendor, t, now);
    expect(!outcome.ok && outcome.error).toMatchObject({ kind: 'parse', url: `${vendor.url}${FEED}` });
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  });
});

describe('azureProvider.detect()', () => {
  const harness = createDetectHarness();
  const { http } = harness;
  afterAll(() => harness.close());
  const detectOn = (pages: Pages) => harness.detectOn(azureProvider, servePages(pages));

  it('recognizes an "Azure Status" feed at /en-us/status/feed/', async () => {
    const body = await readOwn('azure/feed-from-docs.xml');
    const { server, detection } = await detectOn(new Map([[FEED, { type: 'application/rss+xml', body }]]));
    expect(detection).toMatchObject({ provider: 'azure', url: server.baseUrl, confidence: 0.85 });
  });

  it('recognizes the Azure status hosts by name without fetching', async () => {
    for (const page of ['https://azure.status.microsoft/en-us/status', 'https://status.azure.com/']) {
      expect(await azureProvider.detect!(createDetectContext(http, page))).toMatchObject({
        provider: 'azure',
        url: 'https://azure.status.microsoft',
      });
    }
  });

  it('returns null for a server answering 404 everywhere and for another feed at that path', async () => {
    expect((await detectOn(new Map())).detection).toBeNull();
    const aws = await readOwn('aws/all-rss-from-docs.xml');
    expect(
      (await detectOn(new Map([[FEED, { type: 'application/rss+xml', body: aws }]]))).detection,
    ).toBeNull();
    const html = '<!doctype html><html><body>Status</body></html>';
    expect((await detectOn(new Map([[FEED, { type: 'text/html', body: html }]]))).detection).toBeNull();
  });
});

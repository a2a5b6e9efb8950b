import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed, rssProvider, statusOf } from '../providers/rss.js';
import { parseHistoryFeed } from '../providers/statuspage-feed.js';
import { vendorStatusSchema } from '../src/core/model.js';
import { hasSharedFixtures, listShared, readOwn, readShared } from './support/fixtures.js';
import { createDetectHarness, expectParseRejection, incidentProblems } from './support/provider-checks.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer, type VendorHandler } from './support/vendor-server.js';

const now = new Date('2024-04-04T21:30:00Z');

describe('statusOf(), the resolution heuristic', () => {
  it('reads the newest "Label - text" line, skipping "Update"', () => {
    expect(statusOf('x', 'Update - still on it\nMonitoring - fix out\nInvestigating - looking')).toEqual({
      status: 'monitoring',
      label: true,
    });
    expect(statusOf('x', 'Apr 4, 10:00 UTC\nIn progress - started')).toEqual({
      status: 'in_progress',
      label: true,
    });
  });

  it('reads "Status: Resolved", a [RESOLVED] title and a "has been resolved" sentence as resolved', () => {
    expect(statusOf('x', 'Status: Resolved\nAll good').status).toBe('resolved');
    expect(statusOf('Service is operating normally: [RESOLVED] Errors', '').status).toBe('resolved');
    expect(statusOf('Errors', 'The issue has been resolved.').status).toBe('resolved');
  });

  it('leaves an item with no status words unknown, and "will be resolved" open', () => {
    expect(statusOf('Errors', 'We expect this will be resolved soon.').status).toBe('unknown');
  });
});

describe('recovery notices in generic feeds', () => {
  it('reads "is now operational", "back to normal", "recovered" and "resolved" as resolved', () => {
    expect(statusOf('x', 'The SMTP relay is now operational.').status).toBe('resolved');
    expect(statusOf('x', 'Deliveries are back to normal.').status).toBe('resolved');
    expect(statusOf('x', 'The service has fully recovered.').status).toBe('resolved');
    expect(statusOf('Dashboard slow - Recovered', '').status).toBe('resolved');
    expect(statusOf('Errors (Resolved)', '').status).toBe('resolved');
    expect(statusOf('x', 'Resolved at 17:40 UTC.').status).toBe('resolved');
    expect(statusOf('x', 'We rolled back, and the incident is resolved.').status).toBe('resolved');
  });

  it('leaves "not resolved", "unresolved" and promised recoveries open', () => {
    for (const text of [
      'The issue is not resolved yet.',
      'This has not been resolved.',
      'An unresolved backlog remains.',
      'Sync has not recovered.',
      'We will post an update once logins are back to normal.',
      'Until the fix is out, the API is not back to normal.',
      'The API isn’t back to normal.',
      'We expect the service is fully recovered by noon.',
    ])
      expect(statusOf('x', text).status, text).toBe('unknown');
    expect(statusOf('Unresolved: attachments fail', '').status).toBe('unknown');
  });

  it('closes the recovered items of a feed and keeps the others open', async () => {
    const { incidents, status } = await parseFeed(
      await readOwn('rss/recovery-notices.rss'),
      'acme',
      new Date('2024-04-04T21:30:00Z'),
    );
    const state = Object.fromEntries(
      incidents.map((i) => [i.id, i.resolvedAt === null ? 'open' : 'resolved']),
    );
    expect(state).toEqual({
      'mail-1': 'resolved',
      'mail-2': 'resolved',
      'mail-3': 'resolved',
      'mail-4': 'resolved',
      'mail-5': 'open',
      'mail-6': 'open',
      'mail-7': 'open',
      'mail-8': 'open',
    });
    expect(status).toMatchObject({ indicator: 'minor', description: '4 open items in the feed' });
  });
});

describe('parseFeed() on feeds written from the RSS 2.0 and Atom specifications', () => {
  let rss: Awaited<ReturnType<typeof parseFeed>>;
  let atom: Awaited<ReturnType<typeof parseFeed>>;
  beforeAll(async () => {
    rss = await parseFeed(await readOwn('rss/feed-from-docs.rss'), 'acme', now);
    atom = await parseFeed(await readOwn('rss/feed-from-docs.atom'), 'acme', now);
  });
  const rssItem = (title: string) => rss.incidents.find((i) => i.title === title);

  it('keeps every item with every invariant and the feed title', () => {
    expect(rss.incidents).toHaveLength(4);
    expect(atom.incidents).toHaveLength(2);
    expect(incidentProblems([...rss.incidents, ...atom.incidents])).toEqual([]);
    expect(rss.title).toBe('Acme Video Status');
  });

  it('ids items by guid, then link, then a hash of title and date', () => {
    expect(rss.incidents.map((i) => i.id)).toEqual([
      'acme-incident-4211',
      'https://status.acme-video.example/incidents/webhooks-2',
      'acme-maint-77',
      expect.stringMatching(/^[0-9a-f]{16}$/),
    ]);
  });

  it('converts a PDT pubDate and a +0200 pubDate to UTC', () => {
    expect(rssItem('Recording failures in Europe')?.startedAt).toBe('2024-04-04T20:50:00.000Z');
    expect(rssItem('[RESOLVED] Delayed webhooks')?.resolvedAt).toBe('2024-04-02T07:30:00.000Z');
  });

  it('keeps an open item open with its label status, impact unknown, and drops the script', () => {
    const open = rssItem('Recording failures in Europe');
    expect(open).toMatchObject({
      status: 'identified',
      impact: 'unknown',
      kind: 'incident',
      resolvedAt: null,
    });
    expect(open?.updates[0]?.html).not.toMatch(/script|alert/);
    expect(open?.updates[0]?.body).toMatch(/^Apr 4, 20:58 UTC\nIdentified - A storage node in Frankfurt/);
  });

  it('reads a "Scheduled maintenance" title as maintenance and resolved sentences as resolved', () => {
    expect(rssItem('Scheduled maintenance: database upgrade')).toMatchObject({
      kind: 'maintenance',
      status: 'unknown',
    });
    expect(rssItem('Login errors for some users')).toMatchObject({ status: 'resolved', kind: 'incident' });
  });

  it('reports minor while a fresh item is open, and operational once it is a day old', async () => {
    expect(rss.status).toMatchObject({
      indicator: 'minor',
      description: '1 open item in the feed',
      components: [],
    });
    const later = await parseFeed(
      await readOwn('rss/feed-from-docs.rss'),
      'acme',
      new Date('2024-04-06T00:00:00Z'),
    );
    expect(later.status.indicator).toBe('operational');
  });

  it('spans an Atom entry from published (+02:00) to updated, resolved by its "Status: Resolved"', () => {
    expect(atom.incidents[0]).toMatchObject({
      id: 'urn:acme:incident:9001',
      startedAt: '2024-04-04T17:02:00.000Z',
      updatedAt: '2024-04-04T21:05:00.000Z',
      resolvedAt: '2024-04-04T21:05:00.000Z',
    });
    expect(atom.incidents[1]).toMatchObject({ status: 'monitoring', resolvedAt: null });
  });
});

describe('bad feeds', () => {
  it('rejects an HTML page, malformed XML and JSON with parse errors that say so', async () => {
    expect(
      (await expectParseRejection(() => parseFeed('<!DOCTYPE html><html>Just a moment</html>', 'x', now)))
        .message,
    ).toBe('feed: got an HTML page instead of RSS/Atom');
    const broken = await expectParseRejection(() =>
      parseFeed('<rss><channel><item><title>x</item></channel></rss>', 'x', now),
    );
    expect(broken).toMatchObject({ kind: 'parse' });
    expect(broken.message).toMatch(/^feed: not a readable RSS\/Atom feed/);
    expect((await expectParseRejection(() => parseFeed('{"items": []}', 'x', now))).kind).toBe('parse');
  });

  it('reads an empty channel as healthy with no incidents', async () => {
    const empty = await parseFeed('<rss version="2.0"><channel><title>x</title></channel></rss>', 'x', now);
    expect(empty.incidents).toEqual([]);
    expect(empty.status.indicator).toBe('operational');
  });

  it('ignores a date a broken feed invents (year 58120) and falls back to the feed date', async () => {
    const xml =
      '<rss version="2.0"><channel><title>x</title><lastBuildDate>Thu, 04 Apr 2024 12:00:00 GMT</lastBuildDate>' +
      '<item><title>【Global】Errors</title><pubDate>Sat, 22 Jun 58120 00:00:00 GMT</pubDate></item></channel></rss>';
    expect((await parseFeed(xml, 'x', now)).incidents[0]?.startedAt).toBe('2024-04-04T12:00:00.000Z');
  });
});

const realFeeds = hasSharedFixtures
  ? [
      ...(await listShared('real/statuspage'))
        .filter((n) => /\.(atom|rss)$/.test(n))
        .map((n) => `statuspage/${n}`),
      ...(await listShared('real/aws')).filter((n) => n.endsWith('.xml')).map((n) => `aws/${n}`),
    ]
  : ['(shared fixtures absent)'];

describe.skipIf(!hasSharedFixtures)('recorded feeds read generically', () => {
  it.each(realFeeds)('%s parses with every invariant holding', async (name) => {
    const { status, incidents } = await parseFeed(await readShared(`real/${name}`), 'v', now);
    expect(vendorStatusSchema.parse(status).health).toBe('ok');
    expect(incidentProblems(incidents)).toEqual([]);
  });

  it('agrees with the Statuspage feed parser on open/resolved and kind for every GitHub and Parse entry', async () => {
    let compared = 0;
    for (const name of realFeeds.filter((n) => n.startsWith('statuspage/'))) {
      const xml = await readShared(`real/${name}`);
      const reference = new Map((await parseHistoryFeed(xml, 'v')).map((i) => [i.url, i]));
      for (const incident of (await parseFeed(xml, 'v', now)).incidents) {
        const expected = reference.get(incident.url);
        expect(expected, incident.url ?? incident.id).toBeDefined();
        expect([incident.resolvedAt === null, incident.kind], `${name} ${incident.url}`).toEqual([
          expected!.resolvedAt === null,
          expected!.kind,
        ]);
        compared++;
      }
    }
    expect(compared).toBe(92);
  });

  it('reads the AWS feed: a PST pubDate, a [RESOLVED] item and an open informational one', async () => {
    const { incidents, status } = await parseFeed(
      await readShared('real/aws/all_rss_2023-02-13_two_items.xml'),
      'aws',
      new Date('2023-02-02T23:00:00Z'),
    );
    expect(
      incidents.find((i) => i.id === 'http://status.aws.amazon.com/#rds-us-east-1_1676072880'),
    ).toMatchObject({
      status: 'resolved',
      kind: 'incident',
      startedAt: '2023-02-10T23:48:00.000Z',
      resolvedAt: '2023-02-10T23:48:00.000Z',
      regions: [],
    });
    expect(incidents.find((i) => i.id.endsWith('#billingconsole_1675376364'))).toMatchObject({
      status: 'unknown',
      startedAt: '2023-02-02T22:19:24.000Z',
      resolvedAt: null,
    });
    expect(status.indicator).toBe('minor');
  });

  it('sees "Delays starting Actions runs" open in the 07-09 GitHub feed', async () => {
    const { incidents, status } = await parseFeed(
      await readShared('real/statuspage/githubstatus_history_2026-07-09_unresolved.atom'),
      'github',
      new Date('2026-07-09T08:00:00Z'),
    );
    expect(incidents.find((i) => i.title === 'Delays starting Actions runs')).toMatchObject({
      status: 'investigating',
      resolvedAt: null,
    });
    expect(status).toMatchObject({ indicator: 'minor', description: '1 open item in the feed' });
  });
});

describe('rssProvider end to end through a local server and Redis', () => {
  let body: string;
  let contentType = 'application/atom+xml';
  let server: VendorServer;
  let t: TestRedis;

  beforeAll(async () => {
    body = await readOwn('rss/feed-from-docs.atom');
    server = await startVendorServer((req, res) => {
      if (req.url !== '/history.atom') return void res.writeHead(404).end();
      const etag = `"${body.length}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': contentType, etag }).end(body);
    });
    t = await createTestRedis('rss');
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  async function poll(
    id: string,
    next?: { body: string; type: string },
    options: Record<string, unknown> = { feed: '/history.atom' },
  ) {
    const saved = { body, contentType };
    if (next) [body, contentType] = [next.body, next.type];
    try {
      return await pollThroughStore(rssProvider, { id, url: server.baseUrl, options }, t, now);
    } finally {
      [body, contentType] = [saved.body, saved.contentType];
    }
  }

  it('stores one incident per entry and reports the vendor healthy', async () => {
    const { outcome, view, incidents } = await poll('rss-ok');
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).toBe('minor');
    expect(incidents.map((i) => i.id).sort()).toEqual(['urn:acme:incident:9001', 'urn:acme:incident:9002']);
    expect(server.requests.at(-1)?.headers.accept).toMatch(/^application\/rss\+xml, application\/atom\+xml/);
  });

  it('marks a malformed feed as a parse error and the vendor unknown', async () => {
    const { outcome, view } = await poll('rss-drift', {
      body: '<feed><entry><title>x</feed>',
      type: 'application/atom+xml',
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.error).toMatchObject({ kind: 'parse', url: `${server.baseUrl}/history.atom` });
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  });

  it('marks an HTML error page served with 200 as a parse error', async () => {
    const { outcome, view } = await poll('rss-html', {
      body: '<html><body>Bad gateway</body></html>',
      type: 'text/html',
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toBe('feed: got an HTML page instead of RSS/Atom');
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  });

  it('fails with a parse error naming the option when feed is missing', async () => {
    const { outcome } = await poll('rss-options', undefined, {});
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.error.message).toBe(
        'rss options: feed: expected the feed path under url, e.g. "/history.rss"',
      );
    expect(rssProvider.optionsSchema?.safeParse({ feed: 'https://x.example/feed' }).success).toBe(false);
  });
});

describe('rssProvider.detect()', () => {
  const harness = createDetectHarness();
  afterAll(() => harness.close());

  async function detectOn(pages: Record<string, string>) {
    const respond: VendorHandler = (req, res) => {
      const page = pages[req.url ?? ''];
      if (page === undefined)
        return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html>404</html>');
      res
        .writeHead(200, { 'content-type': page.startsWith('<?xml') ? 'application/xml' : 'text/html' })
        .end(page);
    };
    return (await harness.detectOn(rssProvider, respond)).detection;
  }
  const home = (href: string) =>
    `<html><head><title>Acme</title><link rel="alternate" type="application/atom+xml" href="${href}"></head><body>Status</body></html>`;

  it('follows the page link to a feed that parses and fills in options.feed', async () => {
    const atom = await readOwn('rss/feed-from-docs.atom');
    const detection = await detectOn({ '/': home('/history.atom'), '/history.atom': atom });
    expect(detection).toMatchObject({
      provider: 'rss',
      confidence: 0.5,
      options: { feed: '/history.atom' },
      name: 'Acme Video Status - Incident History',
    });
    expect(detection?.evidence[0]).toMatch(/\/history\.atom that parses \(2 items\)$/);
  });

  it('returns null when nothing answers, when no feed is linked, and when the link is not a feed', async () => {
    expect(await detectOn({})).toBeNull();
    expect(await detectOn({ '/': '<html><head><title>x</title></head></html>' })).toBeNull();
    expect(await detectOn({ '/': home('/feed'), '/feed': '<html><body>login</body></html>' })).toBeNull();
  });
});

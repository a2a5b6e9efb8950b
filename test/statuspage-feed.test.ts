import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rssProvider } from '../providers/rss.js';
import { parseHistoryFeed, statuspageFeedProvider } from '../providers/statuspage-feed.js';
import { parseConfig } from '../src/config.js';
import { parseIncidents } from '../providers/statuspage.js';
import { FetchError } from '../src/core/errors.js';
import type { VendorIncident } from '../src/core/model.js';
import { hasSharedFixtures, readOwn, readShared } from './support/fixtures.js';
import { createDetectHarness, incidentProblems } from './support/provider-checks.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorHandler, type VendorServer } from './support/vendor-server.js';

const rss = (
  items: { pubDate: string; link: string; description: string }[],
) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Old Page - Incident History</title><link>http://status.old.example</link>
${items.map((i) => `<item><title>Outage</title><description>${i.description.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</description><pubDate>${i.pubDate}</pubDate><link>${i.link}</link><guid>${i.link}</guid></item>`).join('')}
</channel></rss>`;

async function feedError(xml: string): Promise<FetchError> {
  const error = await parseHistoryFeed(xml, 'x').catch((e: unknown) => e);
  if (error instanceof FetchError) return error;
  throw new Error(`expected a FetchError, got ${String(error)}`);
}

describe('parseHistoryFeed() on an Atom feed written from the Statuspage docs', () => {
  let incidents: VendorIncident[];
  beforeAll(async () => {
    incidents = await parseHistoryFeed(await readOwn('statuspage/history-from-docs.atom'), 'acme');
  });
  const byId = (id: string) => incidents.find((i) => i.id === id);

  it('reads one incident per entry, its id from the /incidents/ link and no impact', () => {
    expect(incidents.map((i) => i.id)).toEqual([
      'rec0rd1ngeu1',
      'ma1ntapi0001',
      'n3wyear00001',
      'ma1ntnewyr01',
    ]);
    expect(byId('rec0rd1ngeu1')).toMatchObject({
      vendor: 'acme',
      title: 'Recordings failing to start in Europe',
      impact: 'unknown',
      kind: 'incident',
      components: [],
      url: 'https://status.acme-video.example/incidents/rec0rd1ngeu1',
    });
  });

  it('orders updates oldest first and carries the status forward through "Update"', () => {
    const incident = byId('rec0rd1ngeu1');
    expect(incident?.updates.map((u) => `${u.at.slice(11, 16)} ${u.status}`)).toEqual([
      '20:50 investigating',
      '21:05 identified',
      '21:40 monitoring',
      '21:52 monitoring',
      '22:10 resolved',
    ]);
    expect(incident).toMatchObject({
      status: 'resolved',
      startedAt: '2024-04-04T20:50:00.000Z',
      postedAt: '2024-04-04T20:50:00.000Z',
    });
  });

  it('takes the resolution to the second from the entry published time when the minutes agree', () => {
    expect(byId('rec0rd1ngeu1')?.resolvedAt).toBe('2024-04-04T22:10:44.000Z');
  });

  it('turns the update HTML into text and keeps the markup', () => {
    expect(byId('rec0rd1ngeu1')?.updates[1]).toMatchObject({
      body: 'The cause is a faulty storage node in Frankfurt.\nWe are moving recordings to a healthy node & will update within 30 minutes.',
      html: expect.stringContaining('<br>'),
    });
  });

  it('puts a December update in the previous year for an entry published in January', () => {
    expect(byId('n3wyear00001')).toMatchObject({
      startedAt: '2023-12-31T23:50:00.000Z',
      resolvedAt: '2024-01-01T00:20:07.000Z',
      updatedAt: '2024-01-03T10:00:00.000Z',
    });
  });

  it('reads a scheduled event as a maintenance with its window and lifecycle labels', () => {
    expect(byId('ma1ntapi0001')).toMatchObject({
      kind: 'maintenance',
      status: 'completed',
      scheduledFor: '2024-04-04T21:00:00.000Z',
      scheduledUntil: '2024-04-04T22:00:00.000Z',
      startedAt: '2024-04-04T21:00:00.000Z',
      postedAt: '2024-03-28T17:15:00.000Z',
    });
    expect(byId('ma1ntapi0001')?.updates.map((u) => u.status)).toEqual([
      'scheduled',
      'in_progress',
      'completed',
    ]);
  });

  it('reads a maintenance window that spans New Year and leaves the upcoming one open', () => {
    expect(byId('ma1ntnewyr01')).toMatchObject({
      kind: 'maintenance',
      status: 'scheduled',
      resolvedAt: null,
      scheduledFor: '2023-12-31T22:00:00.000Z',
      scheduledUntil: '2024-01-01T02:00:00.000Z',
    });
  });
});

describe('parseHistoryFeed() on what real history feeds do', () => {
  let incidents: VendorIncident[];
  beforeAll(async () => {
    incidents = await parseHistoryFeed(await readOwn('statuspage/history-real-world.atom'), 'acme');
  });
  const byId = (id: string) => incidents.find((i) => i.id === id);

  it('reads an entry resolved in the same minute as a newer "Investigating - … operating normally" as resolved', () => {
    const incident = byId('s4meminute01');
    expect(incident).toMatchObject({
      status: 'resolved',
      startedAt: '2026-02-10T08:20:00.000Z',
      resolvedAt: '2026-02-10T09:00:41.000Z',
    });
    expect(incident?.updates.map((u) => `${u.at.slice(11, 16)} ${u.status}`)).toEqual([
      '08:20 investigating',
      '09:00 investigating',
      '09:00 resolved',
    ]);
  });

  it('reads numeric zones after update times: GMT+08:00, UTC-5, GMT-0330, +05:30 and +08', () => {
    expect(byId('z0nesfeed001')?.updates.map((u) => [u.body, u.at])).toEqual([
      ['Card payments are slow.', '2026-02-10T01:00:00.000Z'],
      ['A slow card network link.', '2026-02-10T01:00:00.000Z'],
      ['Newfoundland merchants affected too.', '2026-02-10T02:30:00.000Z'],
      ['A fix is out.', '2026-02-10T02:30:00.000Z'],
      ['Card payments are fast again.', '2026-02-10T04:00:00.000Z'],
    ]);
  });

  it('starts a maintenance without a window banner when work began, not when it was announced', () => {
    expect(byId('ma1ntn0band1')).toMatchObject({
      kind: 'maintenance',
      status: 'completed',
      postedAt: '2026-02-01T15:00:00.000Z',
      startedAt: '2026-02-08T10:30:00.000Z',
      resolvedAt: '2026-02-08T12:00:00.000Z',
    });
  });

  it('reads a numeric offset the same in January and July (no DST applies)', async () => {
    const at = async (pubDate: string, small: string) =>
      (
        await parseHistoryFeed(
          rss([
            {
              pubDate,
              link: 'http://status.old.example/incidents/dst0ffset001',
              description: `<p><small>${small}</small><br><strong>Investigating</strong> - Errors.</p>`,
            },
          ]),
          'old',
        )
      )[0]?.startedAt;
    expect(await at('Fri, 10 Jan 2025 15:00:00 +0000', 'Jan 10, 09:00 UTC-5')).toBe(
      '2025-01-10T14:00:00.000Z',
    );
    expect(await at('Thu, 10 Jul 2025 15:00:00 +0000', 'Jul 10, 09:00 UTC-5')).toBe(
      '2025-07-10T14:00:00.000Z',
    );
    expect(await at('Thu, 10 Jul 2025 15:00:00 +0000', 'Jul 10, 09:00 GMT +08:00')).toBe(
      '2025-07-10T01:00:00.000Z',
    );
  });
});

describe('parseHistoryFeed() on the 2014 RSS layout', () => {
  it('reads "PST" as the page zone, so a summer stamp uses the -07:00 offset the pubDate shows', async () => {
    const [incident] = await parseHistoryFeed(
      rss([
        {
          pubDate: 'Mon, 28 Oct 2013 14:48:00 -0700',
          link: 'http://status.old.example/incidents/abcd1234efgh',
          description:
            '<p><small>Oct 28, 14:48 PST</small><br><strong>Resolved</strong> - Fixed.</p><p><small>Oct 28, 14:43 PST</small><br><strong>Identified</strong> - Found it.</p>',
        },
      ]),
      'old',
    );
    expect(incident?.updates.map((u) => u.at)).toEqual([
      '2013-10-28T21:43:00.000Z',
      '2013-10-28T21:48:00.000Z',
    ]);
    expect(incident?.startedAt).toBe('2013-10-28T21:43:00.000Z');
  });

  it('falls back to the pubDate offset for a zone label it does not know', async () => {
    const [incident] = await parseHistoryFeed(
      rss([
        {
          pubDate: 'Tue, 05 Mar 2024 10:00:00 +0530',
          link: 'http://status.old.example/incidents/zone00000001',
          description: '<p><small>Mar  5, 10:00 XYZT</small><br><strong>Resolved</strong> - Fixed.</p>',
        },
      ]),
      'old',
    );
    expect(incident?.resolvedAt).toBe('2024-03-05T04:30:00.000Z');
  });
});

describe('bad history feeds', () => {
  it('rejects malformed XML with a parse error', async () => {
    const error = await feedError('<rss version="2.0"><channel><item><title>x</item></channel></rss>');
    expect(error.kind).toBe('parse');
    expect(error.message).toMatch(/^history feed: not a readable RSS\/Atom feed/);
  });

  it('rejects an HTML page served instead of the feed', async () => {
    expect((await feedError('<!DOCTYPE html><html><body>Just a moment...</body></html>')).message).toMatch(
      /got an HTML page/,
    );
  });

  it('rejects an update time it cannot read, naming the entry', async () => {
    const xml = rss([
      {
        pubDate: 'Tue, 05 Mar 2024 10:00:00 +0000',
        link: 'http://status.old.example/incidents/badtime00001',
        description: '<p><small>sometime</small><br><strong>Resolved</strong> - Fixed.</p>',
      },
    ]);
    expect((await feedError(xml)).message).toBe(
      'history feed: entry badtime00001: cannot read the update time "sometime"',
    );
  });

  it('reads an empty feed as no incidents', async () => {
    expect(
      await parseHistoryFeed(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
        'x',
      ),
    ).toEqual([]);
  });
});

describe.skipIf(!hasSharedFixtures)('recorded GitHub and Parse feeds', () => {
  const read = (name: string) => readShared(`real/statuspage/${name}`);

  it('agrees with incidents.json of the same day on every shared incident', async () => {
    const atom = await parseHistoryFeed(await read('githubstatus_history_2026-07-31.atom'), 'github');
    const json = new Map(
      parseIncidents(await read('githubstatus_incidents_2026-07-31.json'), 'github').map((i) => [i.id, i]),
    );
    const shared = atom.filter((a) => json.has(a.id));
    expect(shared).toHaveLength(25);
    for (const a of shared) {
      const j = json.get(a.id)!;
      expect(a.title, a.id).toBe(j.title);
      // The feed prints minutes and "Update" for unchanged status; the JSON has milliseconds and the status itself.
      expect(
        a.updates.map((u) => `${u.at.slice(0, 16)} ${u.status}`),
        a.id,
      ).toEqual(j.updates.map((u) => `${u.at.slice(0, 16)} ${u.status}`));
      expect(
        a.updates.map((u) => u.body),
        a.id,
      ).toEqual(j.updates.map((u) => u.body));
      expect(Math.abs(Date.parse(a.resolvedAt!) - Date.parse(j.resolvedAt!)), a.id).toBeLessThan(1000);
      expect(a.startedAt.slice(0, 16), a.id).toBe(j.startedAt.slice(0, 16));
    }
  });

  it('shows "Delays starting Actions runs" open on 07-09 and resolved on 07-31', async () => {
    const open = (
      await parseHistoryFeed(await read('githubstatus_history_2026-07-09_unresolved.atom'), 'github')
    ).find((i) => i.id === 'cstx3v63mklm');
    expect(open).toMatchObject({
      title: 'Delays starting Actions runs',
      status: 'investigating',
      resolvedAt: null,
      startedAt: '2026-07-09T04:34:00.000Z',
    });
    expect(open?.updates.map((u) => u.status)).toEqual(['investigating', 'investigating', 'investigating']);
    const later = (await parseHistoryFeed(await read('githubstatus_history_2026-07-31.atom'), 'github')).find(
      (i) => i.id === 'cstx3v63mklm',
    );
    expect(later).toMatchObject({
      status: 'resolved',
      resolvedAt: '2026-07-09T13:52:16.000Z',
      startedAt: '2026-07-09T04:34:00.000Z',
    });
    expect(later?.updates).toHaveLength(14);
  });

  it('sees a resolved update rewritten with the root cause weeks later (08-22 snapshot)', async () => {
    const before = (
      await parseHistoryFeed(await read('githubstatus_history_2026-07-31.atom'), 'github')
    ).find((i) => i.id === '9tpgqq1h4bs7');
    const after = (await parseHistoryFeed(await read('githubstatus_history_2026-08-22.atom'), 'github')).find(
      (i) => i.id === '9tpgqq1h4bs7',
    );
    expect(after?.resolvedAt).toBe(before?.resolvedAt);
    expect(after?.updates.at(-1)?.body).not.toBe(before?.updates.at(-1)?.body);
    expect(after?.updatedAt).toBe('2026-08-04T16:34:28.000Z');
  });

  it('reads the 2014 Parse RSS: PST stamps, a Postmortem, years across New Year', async () => {
    const incidents = await parseHistoryFeed(await read('parse_history_2014-01-09.rss'), 'parse');
    expect(incidents).toHaveLength(17);
    expect(incidents.find((i) => i.id === 'lzf7mjchpy20')).toMatchObject({
      startedAt: '2014-01-01T16:17:00.000Z',
      resolvedAt: '2014-01-01T17:09:00.000Z',
    });
    expect(incidents.find((i) => i.id === 'p9hy357zjvb3')).toMatchObject({
      status: 'postmortem',
      startedAt: '2013-12-24T16:58:00.000Z',
      resolvedAt: '2013-12-24T19:21:00.000Z',
    });
    expect(incidents.find((i) => i.id === 'p9hy357zjvb3')?.updates.at(-1)).toMatchObject({
      status: 'postmortem',
      at: '2013-12-26T18:22:00.000Z',
    });
    // Labelled PST in October while the pubDate says -0700: the resolution must land on the pubDate.
    expect(incidents.find((i) => i.id === 'gtdv7rgyn76g')?.resolvedAt).toBe('2013-10-28T21:48:00.000Z');
    expect(incidents.find((i) => i.id === 'x7yb1mmd4721')?.updates.map((u) => u.status)).toEqual([
      'identified',
      'identified',
      'resolved',
    ]);
  });
});

describe('statuspageFeedProvider: a Statuspage page polled through its history feed', () => {
  const atom = (body: string) => ({ type: 'application/atom+xml', body });
  const files = new Map<string, { type: string; body: string }>();
  let server: VendorServer;
  let t: TestRedis;
  const now = new Date('2026-02-10T10:00:00Z');

  beforeAll(async () => {
    const feed = await readOwn('statuspage/history-real-world.atom');
    files.set('/history.atom', atom(feed));
    files.set('/eu/history.rss', atom(feed));
    server = await startVendorServer((req, res) => {
      const file = files.get(req.url ?? '');
      if (!file) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html>404</html>');
      res.writeHead(200, { 'content-type': file.type }).end(file.body);
    });
    t = await createTestRedis('statuspage-feed');
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  it('reads /history.atom by default with the Statuspage ids and times, healthy', async () => {
    const { outcome, view, incidents } = await pollThroughStore(
      statuspageFeedProvider,
      { id: 'feed-default', url: server.baseUrl },
      t,
      now,
    );
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status).toMatchObject({
      indicator: 'operational',
      description: 'No open incidents in the history feed',
    });
    expect(incidentProblems(incidents)).toEqual([]);
    expect(incidents.map((i) => i.id).sort()).toEqual(['ma1ntn0band1', 's4meminute01', 'z0nesfeed001']);
    expect(incidents.find((i) => i.id === 's4meminute01')).toMatchObject({
      startedAt: '2026-02-10T08:20:00.000Z',
      resolvedAt: '2026-02-10T09:00:41.000Z',
    });
  });

  it('reads the feed path it is given and reports an open incident as minor', async () => {
    const open = (await readOwn('statuspage/history-real-world.atom')).replace(
      /&lt;strong&gt;Resolved&lt;\/strong&gt; - Card payments are fast again\./,
      '&lt;strong&gt;Monitoring&lt;/strong&gt; - Watching.',
    );
    files.set('/eu/history.rss', atom(open));
    const { view, incidents } = await pollThroughStore(
      statuspageFeedProvider,
      { id: 'feed-path', url: server.baseUrl, options: { feed: '/eu/history.rss' } },
      t,
      now,
    );
    expect(incidents.find((i) => i.id === 'z0nesfeed001')).toMatchObject({
      status: 'monitoring',
      resolvedAt: null,
    });
    expect(view.status).toMatchObject({
      indicator: 'minor',
      description: '1 open incident in the history feed',
    });
  });

  it('rejects a feed path that is not a path, naming the option', async () => {
    const { outcome } = await pollThroughStore(
      statuspageFeedProvider,
      { id: 'feed-bad', url: server.baseUrl, options: { feed: 'history.atom' } },
      t,
      now,
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/^statuspage-feed options: feed: expected a path/);
  });

  it('is accepted in the config with no options, and existing rss entries for a history feed still load', () => {
    const config = parseConfig(
      {
        vendors: [
          { id: 'acme', name: 'Acme', provider: 'statuspage-feed', url: 'https://status.acme.example' },
          {
            id: 'acme-rss',
            name: 'Acme (feed)',
            provider: 'rss',
            url: 'https://status.acme.example',
            options: { feed: '/history.rss' },
          },
        ],
      },
      {},
      'test',
    );
    expect(config.vendors.map((v) => [v.provider, v.options])).toEqual([
      ['statuspage-feed', { feed: '/history.atom' }],
      ['rss', { feed: '/history.rss' }],
    ]);
  });
});

describe('statuspageFeedProvider.detect()', () => {
  const harness = createDetectHarness();
  afterAll(() => harness.close());
  const marked = (links: string) =>
    `<html><head><title>Acme Pay Status</title>${links}</head><body>Powered by Statuspage</body></html>`;

  async function detectOn(pages: Record<string, string>, provider = statuspageFeedProvider) {
    const respond: VendorHandler = (req, res) => {
      const page = pages[req.url ?? ''];
      if (page === undefined)
        return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html>404</html>');
      const type = page.startsWith('{')
        ? 'application/json'
        : page.startsWith('<?xml')
          ? 'application/atom+xml'
          : 'text/html';
      res.writeHead(200, { 'content-type': type }).end(page);
    };
    return harness.detectOn(provider, respond);
  }

  it('claims the linked history feed at 0.6 with its path, ahead of the generic rss reader', async () => {
    const feed = await readOwn('statuspage/history-real-world.atom');
    const home = marked('<link rel="alternate" type="application/rss+xml" href="/history.rss">');
    const { detection, server } = await detectOn({ '/': home, '/history.rss': feed });
    expect(detection).toEqual({
      provider: 'statuspage-feed',
      confidence: 0.6,
      url: server.baseUrl,
      options: { feed: '/history.rss' },
      name: 'Acme Pay Status',
      evidence: [
        `${server.baseUrl}/history.rss reads as a Statuspage history feed (3 incidents linked to /incidents/<id>)`,
        '/api/v2/summary.json does not answer',
      ],
    });
    const generic = await detectOn({ '/': home, '/history.rss': feed }, rssProvider);
    expect(generic.detection?.confidence).toBeLessThan(0.6);
  });

  it('finds /history.atom when the page does not link it, and steps back to 0.3 when the JSON API answers', async () => {
    const feed = await readOwn('statuspage/history-real-world.atom');
    const unlinked = await detectOn({ '/history.atom': feed });
    expect(unlinked.detection).toMatchObject({ confidence: 0.6, options: { feed: '/history.atom' } });
    const withApi = await detectOn({
      '/history.atom': feed,
      '/api/v2/summary.json': await readOwn('statuspage/summary-from-docs.json'),
    });
    expect(withApi.detection?.confidence).toBe(0.3);
  });

  it('returns null for 404 everywhere and for a generic feed that is not a Statuspage history', async () => {
    expect((await detectOn({})).detection).toBeNull();
    const generic = await readOwn('rss/feed-from-docs.atom');
    const home =
      '<html><head><link rel="alternate" type="application/atom+xml" href="/history.atom"></head></html>';
    expect((await detectOn({ '/': home, '/history.atom': generic })).detection).toBeNull();
  });
});

describe.skipIf(!hasSharedFixtures)('statuspageFeedProvider on the recorded GitHub history feed', () => {
  const harness = createDetectHarness();
  afterAll(() => harness.close());

  it('is detected at 0.6 with its path and reads every entry with the ids incidents.json uses', async () => {
    const feed = await readShared('real/statuspage/githubstatus_history_2026-07-31.atom');
    const incidents = parseIncidents(
      await readShared('real/statuspage/githubstatus_incidents_2026-07-31.json'),
      'github',
    );
    const { detection } = await harness.detectOn(statuspageFeedProvider, (req, res) => {
      if (req.url !== '/history.atom') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(feed);
    });
    expect(detection).toMatchObject({
      provider: 'statuspage-feed',
      confidence: 0.6,
      options: { feed: '/history.atom' },
    });
    const fromFeed = await parseHistoryFeed(feed, 'github');
    const known = new Set(incidents.map((i) => i.id));
    expect(fromFeed.filter((i) => known.has(i.id)).length).toBeGreaterThan(0);
    expect(incidentProblems(fromFeed)).toEqual([]);
  });
});

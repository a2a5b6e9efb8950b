import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentioProvider, parseProxySummary } from '../providers/incidentio.js';
import { createDetectContext } from '../src/http/detect.js';
import { createHttpClient } from '../src/http/client.js';
import { vendorStatusSchema } from '../src/core/model.js';
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

const now = new Date('2026-03-10T14:25:00Z');
const ids = {
  video: '01JPQY77ZXYYK596NGYA1DQ91K',
  login: '01JP5GQAPENECFSECZP11HYGCP',
  dashboard: '01JPWPQ5E6EYCNDY0YP57RCYBV',
  fineTuning: '01JPN5SXS5AA819X9YP981068V',
  failover: '01JPCD1GDJFMGT83PXT891WB09',
  upgrade: '01JPB9Y73MY63FCH26W14WMCHW',
};

describe('parseProxySummary() on a native summary written from the incident.io docs', () => {
  let result: ReturnType<typeof parseProxySummary>;
  beforeAll(async () => {
    result = parseProxySummary(await readOwn('incidentio/proxy-from-docs.json'), 'acme-ai', now);
  });
  const byId = (id: string) => result.incidents.find((i) => i.id === id);

  it('names component groups from structure.items and takes statuses from affected_components', () => {
    expect(vendorStatusSchema.parse(result.status).components).toEqual([
      { id: '01JP3E28JT97KB6CQ643DZVMXX', name: 'API', group: 'Platform', status: 'operational' },
      { id: '01JPDJ8FSSZ5AWSH8VHTPRE95B', name: 'Fine-tuning', group: 'Platform', status: 'partial_outage' },
      {
        id: '01JPNPZX45HY43KWJRP1XPA7Z3',
        name: 'Video generation',
        group: 'Apps',
        status: 'degraded_performance',
      },
      { id: '01JPQKFBF5KZNWJ47TAN9ZT24M', name: 'Login', group: null, status: 'operational' },
    ]);
    expect(result.status.indicator).toBe('major');
  });

  it('keeps every event and every invariant, separating incidents from maintenances', () => {
    expect(incidentProblems(result.incidents)).toEqual([]);
    expect(result.incidents.map((i) => `${i.kind} ${i.id}`)).toEqual([
      `incident ${ids.video}`,
      `incident ${ids.fineTuning}`,
      `maintenance ${ids.failover}`,
      `maintenance ${ids.upgrade}`,
    ]);
  });

  it('maps current_worst_impact "degraded_performance" to minor and reads the widget-style last update', () => {
    expect(byId(ids.video)).toMatchObject({
      impact: 'minor',
      status: 'identified',
      components: ['Video generation'],
      postedAt: '2026-03-10T13:52:10.402Z',
      updatedAt: '2026-03-10T14:18:44.118Z',
      resolvedAt: null,
      regions: [],
      url: `https://status.acme-ai.example/incidents/${ids.video}`,
    });
    expect(byId(ids.video)?.updates).toEqual([
      {
        at: '2026-03-10T14:18:44.118Z',
        status: 'identified',
        body: 'We found the cause: a bad model rollout in one cluster. We are rolling it back.',
      },
    ]);
  });

  it('starts an incident at its earliest component impact and names components by id', () => {
    expect(byId(ids.fineTuning)).toMatchObject({
      impact: 'major',
      startedAt: '2026-03-10T13:40:00.000Z',
      postedAt: '2026-03-10T14:05:00.000Z',
      components: ['Fine-tuning'],
      url: `https://status.acme-ai.example/incidents/${ids.fineTuning}`,
    });
    expect(byId(ids.fineTuning)?.updates[0]).toMatchObject({
      id: '01JPK2N3YDX0WZB5P7Q8R9S1TG',
      status: 'investigating',
    });
  });

  it('reads maintenances with their window, status words without the maintenance_ prefix and no impact', () => {
    expect(byId(ids.failover)).toMatchObject({
      kind: 'maintenance',
      impact: 'none',
      status: 'in_progress',
      startedAt: '2026-03-10T14:00:00.000Z',
      postedAt: '2026-03-03T12:00:00.000Z',
      scheduledFor: '2026-03-10T14:00:00.000Z',
      scheduledUntil: '2026-03-10T15:00:00.000Z',
      components: ['API'],
    });
    expect(byId(ids.upgrade)).toMatchObject({ status: 'scheduled', resolvedAt: null, url: null });
  });

  it('maps "full_outage" (and the hyphenated form) to major_outage and critical impact', () => {
    const body = JSON.stringify({
      summary: {
        components: [{ id: 'c1', name: 'API' }],
        affected_components: [{ component_id: 'c1', status: 'full-outage' }],
        ongoing_incidents: [
          {
            id: 'i1',
            name: 'Down',
            status: 'investigating',
            published_at: '2026-03-10T12:00:00+01:00',
            current_worst_impact: 'full_outage',
          },
        ],
      },
    });
    const { status, incidents } = parseProxySummary(body, 'x', now);
    expect(status.components[0]?.status).toBe('major_outage');
    expect(status.indicator).toBe('critical');
    expect(incidents[0]).toMatchObject({ impact: 'critical', startedAt: '2026-03-10T11:00:00.000Z' });
  });

  it('reports unknown, not operational, for an affected component with a status word it does not know', () => {
    const body = JSON.stringify({
      summary: {
        components: [{ id: 'c1', name: 'API' }],
        affected_components: [{ component_id: 'c1', status: 'wobbly' }],
      },
    });
    const { status } = parseProxySummary(body, 'x', now);
    expect(status.components[0]?.status).toBe('unknown');
    expect(status.indicator).toBe('unknown');
  });

  it('closes a resolved event at its resolved update and keeps impact none when no component was hit', () => {
    const body = JSON.stringify({
      summary: {
        ongoing_incidents: [
          {
            id: 'i2',
            status: 'resolved',
            affected_components: [],
            updates: [
              { incident_status: 'resolved', message: 'Fixed.', published_at: '2026-03-10T10:30:00Z' },
              { incident_status: 'investigating', message: 'Looking.', published_at: '2026-03-10T10:00:00Z' },
            ],
          },
        ],
      },
    });
    expect(parseProxySummary(body, 'x', now).incidents[0]).toMatchObject({
      impact: 'none',
      startedAt: '2026-03-10T10:00:00.000Z',
      resolvedAt: '2026-03-10T10:30:00.000Z',
    });
  });

  it('rejects a body without a summary object, HTML, and an event without any time', () => {
    expect(expectParseError(() => parseProxySummary('{"incidents": []}', 'x', now)).message).toBe(
      'proxy summary: summary: expected object, received undefined',
    );
    expect(expectParseError(() => parseProxySummary('<html>login</html>', 'x', now)).message).toMatch(
      /got HTML/,
    );
    expect(
      expectParseError(() => parseProxySummary('{"summary": {"ongoing_incidents": [{"id": "a"}]}}', 'x', now))
        .message,
    ).toBe('proxy summary: incident a: no published_at, start or timed update');
    expect(
      expectParseError(() => parseProxySummary('{"summary": {"ongoing_incidents": {"id": "a"}}}', 'x', now))
        .kind,
    ).toBe('parse');
  });
});

describe('incidentioProvider.optionsSchema', () => {
  const schema = incidentioProvider.optionsSchema!;
  it('accepts {proxy: false} and no options', () => {
    expect(schema.parse({ proxy: false })).toEqual({ proxy: false });
    expect(schema.parse({})).toEqual({});
  });
  it('explains a wrong type and an unknown key', () => {
    expect(schema.safeParse({ proxy: 'no' }).error?.issues[0]?.message).toMatch(/expected true or false/);
    expect(schema.safeParse({ pageId: 'x' }).error?.issues[0]?.message).toBe(
      'incidentio takes only the option "proxy"',
    );
  });
});

describe.skipIf(!hasSharedFixtures)('recorded incident.io payloads', () => {
  let server: VendorServer;
  let t: TestRedis;
  const pages: Pages = new Map();
  beforeAll(async () => {
    pages.set('/api/v2/summary.json', {
      type: 'application/json',
      body: await readShared('real/incidentio/openai_statuspage_compat_summary_2026-07-09.json'),
    });
    server = await startVendorServer(servePages(pages));
    t = await createTestRedis('incidentio-recorded');
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  it('polls the OpenAI compat summary (no incidents keys, flat ULID components) with the other endpoints 404', async () => {
    const { outcome, view, incidents } = await pollThroughStore(
      incidentioProvider,
      { id: 'openai', url: server.baseUrl },
      t,
      now,
    );
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.status.indicator).toBe('operational');
    expect(view.status.components).toHaveLength(25);
    expect(view.status.components.every((c) => /^01[0-9A-Z]{24}$/.test(c.id ?? '') && c.group === null)).toBe(
      true,
    );
    expect(view.status.components.find((c) => c.id === '01JMXBRMFE4MAP2BHSJNZ787WX')?.name).toBe('Images');
    expect(incidents).toEqual([]);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/api/v2/summary.json',
      '/api/v2/incidents.json',
      `/proxy/${new URL(server.baseUrl).host}`,
    ]);
  });

  it('detects the recorded OpenAI summary as incident.io from its ULIDs', async () => {
    const http = createHttpClient({
      timeoutMs: 2000,
      maxBodyBytes: 2 * 1024 * 1024,
      userAgent: 'upcause-test',
      allowPrivateNetworks: true,
    });
    try {
      const detection = await incidentioProvider.detect!(createDetectContext(http, server.baseUrl));
      expect(detection).toMatchObject({ provider: 'incidentio', name: 'OpenAI', url: server.baseUrl });
      expect(detection!.confidence).toBeGreaterThanOrEqual(0.9);
    } finally {
      http.close();
    }
  });
});

describe('incidentioProvider end to end through a local server and Redis', () => {
  let server: VendorServer;
  let t: TestRedis;
  const pages: Pages = new Map();
  const docs = { summary: '', incidents: '', proxy: '' };
  const json = (body: string) => ({ type: 'application/json', body });

  beforeAll(async () => {
    docs.summary = await readOwn('incidentio/summary-from-docs.json');
    docs.incidents = await readOwn('incidentio/incidents-from-docs.json');
    docs.proxy = await readOwn('incidentio/proxy-from-docs.json');
    server = await startVendorServer(servePages(pages));
    t = await createTestRedis('incidentio-provider');
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  it('merges compat summary, compat incidents and the native proxy on a root page', async () => {
    const root = await startVendorServer((req, res) => servePages(rootPages)(req, res));
    const rootPages: Pages = new Map([
      ['/api/v2/summary.json', json(docs.summary)],
      ['/api/v2/incidents.json', json(docs.incidents)],
      [`/proxy/${new URL(root.baseUrl).host}`, json(docs.proxy)],
    ]);
    try {
      const { outcome, view, incidents } = await pollThroughStore(
        incidentioProvider,
        { id: 'acme-ai-root', url: root.baseUrl },
        t,
        now,
      );
      expect(outcome).toMatchObject({ ok: true, notModified: false });
      expect(view.health.state).toBe('ok');
      expect(view.status.indicator).toBe('major');
      expect(view.status.components.map((c) => `${c.group ?? '-'} / ${c.name}: ${c.status}`)).toEqual([
        'Platform / API: operational',
        '- / Login: operational',
        'Apps / Video generation: degraded_performance',
        'Platform / Fine-tuning: partial_outage',
      ]);
      expect(incidentProblems(incidents)).toEqual([]);
      expect(incidents.map((i) => i.id).sort()).toEqual(Object.values(ids).sort());
      const video = incidents.find((i) => i.id === ids.video);
      // compat brings the two updates, native brings the component the compat object lacks
      expect(video?.updates.map((u) => u.status)).toEqual(['investigating', 'identified']);
      expect(video).toMatchObject({ impact: 'minor', components: ['Video generation'], resolvedAt: null });
      expect(video?.updates[1]).toMatchObject({
        body: 'We found the cause: a bad model rollout in one cluster.\nWe are rolling it back.',
        html: expect.stringContaining('<br />'),
      });
      expect(incidents.find((i) => i.id === ids.dashboard)).toMatchObject({
        impact: 'none',
        resolvedAt: '2026-03-05T17:30:00.000Z',
        url: `https://status.acme-ai.example/incidents/${ids.dashboard}`,
      });
      expect(view.openIncidents.map((i) => i.id).sort()).toEqual(
        [ids.video, ids.fineTuning, ids.failover, ids.upgrade].sort(),
      );
    } finally {
      await root.close();
    }
  });

  it('reads a sub-page under its path and never asks the origin-level proxy for it', async () => {
    pages.set('/eu-hosting/api/v2/summary.json', json(docs.summary));
    pages.set('/eu-hosting/api/v2/incidents.json', json(docs.incidents));
    const { outcome, incidents } = await pollThroughStore(
      incidentioProvider,
      { id: 'acme-ai-eu', url: `${server.baseUrl}/eu-hosting` },
      t,
      now,
    );
    expect(outcome.ok).toBe(true);
    expect(incidents.map((i) => i.id).sort()).toEqual([ids.login, ids.video, ids.dashboard].sort());
    expect(server.requests.some((r) => r.path.includes('/proxy/'))).toBe(false);
  });

  it('skips the proxy when options.proxy is false', async () => {
    const root = await startVendorServer(servePages(new Map([['/api/v2/summary.json', json(docs.summary)]])));
    try {
      const { outcome } = await pollThroughStore(
        incidentioProvider,
        { id: 'acme-ai-noproxy', url: root.baseUrl, options: { proxy: false } },
        t,
        now,
      );
      expect(outcome.ok).toBe(true);
      expect(root.requests.map((r) => r.path)).toEqual(['/api/v2/summary.json', '/api/v2/incidents.json']);
    } finally {
      await root.close();
    }
  });

  it('marks the vendor unknown with a parse error when summary.json has drifted', async () => {
    pages.set('/drift/api/v2/summary.json', json('{"components": {"id": "01JP3E28JT97KB6CQ643DZVMXX"}}'));
    const { outcome, view } = await pollThroughStore(
      incidentioProvider,
      { id: 'acme-ai-drift', url: `${server.baseUrl}/drift` },
      t,
      now,
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/^summary\.json: components: expected array/);
    if (!outcome.ok) expect(outcome.error.kind).toBe('parse');
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  });

  it('fails the poll when incidents.json has drifted, even though the summary read fine', async () => {
    pages.set('/drift2/api/v2/summary.json', json(docs.summary));
    pages.set('/drift2/api/v2/incidents.json', json('{"incidents": [{"name": "no id"}]}'));
    const { outcome } = await pollThroughStore(
      incidentioProvider,
      { id: 'acme-ai-drift2', url: `${server.baseUrl}/drift2` },
      t,
      now,
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/^incidents\.json: incidents\[0\]\.id/);
  });
});

describe('incidentioProvider.detect()', () => {
  const harness = createDetectHarness();
  afterAll(() => harness.close());
  async function detectOn(build: (host: string) => Pages, pagePath = '') {
    const pages: Pages = new Map();
    const server = await harness.start(servePages(pages));
    for (const [k, v] of build(new URL(server.baseUrl).host)) pages.set(k, v);
    const detection = await incidentioProvider.detect!(
      createDetectContext(harness.http, `${server.baseUrl}${pagePath}`),
    );
    return { server, detection };
  }

  it('recognizes the native proxy and the ULID compat summary with high confidence', async () => {
    const proxy = await readOwn('incidentio/proxy-from-docs.json');
    const summary = await readOwn('incidentio/summary-from-docs.json');
    const { server, detection } = await detectOn(
      (host) =>
        new Map([
          [`/proxy/${host}`, { type: 'application/json', body: proxy }],
          ['/api/v2/summary.json', { type: 'application/json', body: summary }],
        ]),
    );
    expect(detection).toMatchObject({ provider: 'incidentio', url: server.baseUrl, name: 'Acme AI' });
    expect(detection!.confidence).toBeGreaterThanOrEqual(0.95);
    expect(detection!.evidence).toHaveLength(2);
  });

  it('recognizes a sub-page from its own summary.json and keeps the sub-page as the url', async () => {
    const summary = await readOwn('incidentio/summary-from-docs.json');
    const { server, detection } = await detectOn(
      () => new Map([['/eu-hosting/api/v2/summary.json', { type: 'application/json', body: summary }]]),
      '/eu-hosting',
    );
    expect(detection).toMatchObject({ provider: 'incidentio', url: `${server.baseUrl}/eu-hosting` });
    expect(detection!.confidence).toBe(0.9);
  });

  it('answers the origin as the url to poll when given a deep link to one incident', async () => {
    const summary = await readOwn('incidentio/summary-from-docs.json');
    const { server, detection } = await detectOn(
      () => new Map([['/api/v2/summary.json', { type: 'application/json', body: summary }]]),
      `/incidents/${ids.video}`,
    );
    expect(detection).toMatchObject({ provider: 'incidentio', url: server.baseUrl, confidence: 0.9 });
  });

  it('guesses from an incident.io mention in the page when no endpoint answers', async () => {
    const { detection } = await detectOn(
      () =>
        new Map([['/', { type: 'text/html', body: '<html><footer>Powered by incident.io</footer></html>' }]]),
    );
    expect(detection).toMatchObject({ provider: 'incidentio', confidence: 0.5 });
  });

  it('steps aside for a Statuspage summary with 12-character ids', async () => {
    const statuspage = JSON.stringify({
      page: { id: 'kctbh9vrtdwd', name: 'GitHub' },
      components: [{ id: '8l4ygp009s5s', name: 'Git Operations', status: 'operational' }],
    });
    const { detection } = await detectOn(
      () => new Map([['/api/v2/summary.json', { type: 'application/json', body: statuspage }]]),
    );
    expect(detection).toBeNull();
  });

  it('answers null for a server that answers 404 everywhere', async () => {
    const { server, detection } = await detectOn(() => new Map());
    expect(detection).toBeNull();
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
  });
});

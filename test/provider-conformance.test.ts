import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../providers/registry.js';
import { readOwn } from './support/fixtures.js';
import {
  customPageSelectors,
  etagOf,
  incidentProblems,
  servePages,
  type Page,
  type Pages,
} from './support/provider-checks.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

// Every registered provider goes through the same cases, end to end: a real local server, the HTTP
// edge, the provider and the Redis store. Provider-specific behaviour stays in each provider's tests.

const json = (body: string): Page => ({ type: 'application/json', body });
const rss = (body: string): Page => ({ type: 'application/rss+xml', body });
const html = (body: string): Page => ({ type: 'text/html', body });
const own = async (file: string, as: (body: string) => Page) => as(await readOwn(file));

const signIn = html('<!DOCTYPE html><html><head><title>Sign in</title></head><body>Sign in</body></html>');
const notAFeed = rss('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></rss');

interface Conformance {
  options?: Record<string, unknown>;
  /** The endpoint that decides the poll, relative to the vendor's base URL. */
  main: string;
  /** The normal page(s), from this repo's fixtures, by path relative to the base URL. */
  pages(): Promise<Record<string, Page>>;
  /** The right format with a drifted shape. */
  drift: Page;
  /** A 200 of a type this provider does not read (a sign-in page for APIs and feeds). */
  wrongType: Page;
}

const selectors = customPageSelectors;

const cases: Record<string, Conformance> = {
  gcp: {
    main: '/incidents.json',
    pages: async () => ({ '/incidents.json': await own('gcp/incidents-from-docs.json', json) }),
    drift: json('{"incidents": []}'),
    wrongType: signIn,
  },
  aws: {
    main: '/public/currentevents',
    pages: async () => ({ '/public/currentevents': await own('aws/currentevents-from-docs.json', json) }),
    drift: json('{"events": []}'),
    wrongType: signIn,
  },
  'aws-rss': {
    main: '/rss/all.rss',
    pages: async () => ({ '/rss/all.rss': await own('aws/all-rss-from-docs.xml', rss) }),
    drift: notAFeed,
    wrongType: signIn,
  },
  azure: {
    main: '/en-us/status/feed/',
    pages: async () => ({ '/en-us/status/feed/': await own('azure/feed-from-docs.xml', rss) }),
    drift: notAFeed,
    wrongType: signIn,
  },
  slack: {
    main: '/api/v2.0.0/current',
    pages: async () => ({
      '/api/v2.0.0/current': await own('slack/current-from-docs.json', json),
      '/api/v2.0.0/history': await own('slack/history-from-docs.json', json),
    }),
    drift: json('{"status": 3, "active_incidents": {}}'),
    wrongType: signIn,
  },
  stripe: {
    main: '/current/full',
    pages: async () => ({ '/current/full': await own('stripe/current-full-from-docs.json', json) }),
    drift: json('{"uptimeData": {}}'),
    wrongType: signIn,
  },
  incidentio: {
    main: '/api/v2/summary.json',
    pages: async () => ({
      '/api/v2/summary.json': await own('incidentio/summary-from-docs.json', json),
      '/api/v2/incidents.json': await own('incidentio/incidents-from-docs.json', json),
    }),
    drift: json('{"page": {"id": 1}, "components": {}}'),
    wrongType: signIn,
  },
  statuspage: {
    main: '/api/v2/summary.json',
    pages: async () => ({
      '/api/v2/summary.json': await own('statuspage/summary-from-docs.json', json),
      '/api/v2/incidents.json': await own('statuspage/incidents-from-docs.json', json),
    }),
    drift: json('{"page": {"id": "x"}, "components": {}}'),
    wrongType: signIn,
  },
  instatus: {
    main: '/summary.json',
    pages: async () => ({
      '/summary.json': await own('instatus/summary-from-docs.json', json),
      '/v2/components.json': await own('instatus/components-from-docs.json', json),
    }),
    drift: json('{"page": {}}'),
    wrongType: signIn,
  },
  betterstack: {
    main: '/index.json',
    pages: async () => ({ '/index.json': await own('betterstack/index-from-docs.json', json) }),
    drift: json('{"data": {"id": "165", "type": "status_page", "attributes": {}}, "included": {"id": "1"}}'),
    wrongType: signIn,
  },
  statusio: {
    options: { pageId: '65f1a0c2e4b0a1b2c3d4e500' },
    main: '/1.0/status/65f1a0c2e4b0a1b2c3d4e500',
    pages: async () => ({
      '/1.0/status/65f1a0c2e4b0a1b2c3d4e500': await own('statusio/status-from-docs.json', json),
    }),
    drift: json('{"result": {"status": {}}}'),
    wrongType: signIn,
  },
  cachet: {
    main: '/api/v1/incidents?sort=id&order=desc&per_page=50',
    pages: async () => ({
      '/api/v1/components?per_page=100': await own('cachet/components-from-docs.json', json),
      '/api/v1/components/groups?per_page=100': await own('cachet/groups-from-docs.json', json),
      '/api/v1/incidents?sort=id&order=desc&per_page=50': await own('cachet/incidents-from-docs.json', json),
      '/api/v1/schedules?sort=id&order=desc&per_page=50': await own('cachet/schedules-from-docs.json', json),
    }),
    drift: json('{"data": {"id": 1}}'),
    wrongType: signIn,
  },
  statuspal: {
    options: { subdomain: 'acme-cloud' },
    main: '/api/v2/status_pages/acme-cloud/status',
    pages: async () => ({
      '/api/v2/status_pages/acme-cloud/status': await own('statuspal/status-from-docs.json', json),
    }),
    drift: json('{"status_page": {"name": 1}}'),
    wrongType: signIn,
  },
  'statuspage-html': {
    main: '/',
    pages: async () => ({ '/': await own('statuspage-html/index-from-docs.html', html) }),
    drift: html('<!DOCTYPE html><html><body><main>We moved everything around.</main></body></html>'),
    wrongType: json('{"page": {"id": "x"}}'),
  },
  'statuspage-feed': {
    main: '/history.atom',
    pages: async () => ({
      '/history.atom': await own('statuspage/history-from-docs.atom', (b) => ({
        type: 'application/atom+xml',
        body: b,
      })),
    }),
    drift: notAFeed,
    wrongType: signIn,
  },
  rss: {
    options: { feed: '/history.atom' },
    main: '/history.atom',
    pages: async () => ({
      '/history.atom': await own('rss/feed-from-docs.atom', (b) => ({
        type: 'application/atom+xml',
        body: b,
      })),
    }),
    drift: notAFeed,
    wrongType: signIn,
  },
  html: {
    options: { path: '/status', selectors },
    main: '/status',
    pages: async () => ({ '/status': await own('html/custom-page-from-docs.html', html) }),
    drift: html('<!DOCTYPE html><html><body><main>A redesigned page.</main></body></html>'),
    wrongType: json('{"status": "ok"}'),
  },
};

const now = new Date('2026-03-01T12:00:00Z');
let server: VendorServer;
let t: TestRedis;
const pages: Pages = new Map();

beforeAll(async () => {
  server = await startVendorServer(servePages(pages));
  t = await createTestRedis('conformance');
});
afterAll(async () => {
  await server.close();
  await t.cleanup();
});

it('covers every registered provider', () => {
  expect(Object.keys(cases).sort()).toEqual([...providers.keys()].sort());
});

describe.each([...providers.values()])('$id provider conformance', (provider) => {
  const c = cases[provider.id]!;
  /** Serves the normal pages under `/<provider>/<name>`, `main` replaced when given. */
  const setUp = async (name: string, main?: Page) => {
    const base = `/${provider.id}/${name}`;
    for (const [path, page] of Object.entries(await c.pages())) pages.set(`${base}${path}`, page);
    if (main) pages.set(`${base}${c.main}`, main);
    const vendor = {
      id: `${provider.id}-${name}`,
      url: `${server.baseUrl}${base}`,
      ...(c.options ? { options: c.options } : {}),
    };
    return { base, vendor, poll: () => pollThroughStore(provider, vendor, t, now) };
  };
  const expectParseFailure = async (name: string, main: Page) => {
    const { vendor, poll } = await setUp(name, main);
    const { outcome, view } = await poll();
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toMatchObject({ kind: 'parse', url: `${vendor.url}${c.main}` });
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  };

  it('reads its normal page from the repo fixtures into well-formed incidents, healthy', async () => {
    const { poll } = await setUp('normal');
    const { outcome, view, incidents } = await poll();
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status.indicator).not.toBe('unknown');
    expect(incidentProblems(incidents)).toEqual([]);
  });

  it('answers notModified when the page answers 304 to the ETag it sent', async () => {
    const { base, poll } = await setUp('etag');
    await poll();
    const second = await poll();
    expect(second.outcome).toMatchObject({ ok: true, notModified: true });
    expect(second.view.health.state).toBe('ok');
    const sent = server.requests.filter((r) => r.path === `${base}${c.main}`).at(-1);
    expect(sent?.headers['if-none-match']).toBe(etagOf(pages.get(`${base}${c.main}`)!.body));
  });

  it('marks the vendor unknown with a parse error naming the URL when the payload drifts', () =>
    expectParseFailure('drift', c.drift));

  it('marks the vendor unknown with a parse error when a 200 of the wrong type comes back', () =>
    expectParseFailure('wrong-type', c.wrongType));

  it('marks the vendor unknown with a parse error on an empty 200, never operational', async () => {
    const normal = (await c.pages())[c.main]!;
    await expectParseFailure('empty', { type: normal.type, body: '' });
  });
});

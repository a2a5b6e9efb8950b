import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStripeStatus, stripeProvider } from '../providers/stripe.js';
import { vendorStatusSchema } from '../src/core/model.js';
import { readOwn } from './support/fixtures.js';
import { createDetectHarness, expectParseError } from './support/provider-checks.js';
import { pollThroughStore } from './support/provider-harness.js';
import { createTestRedis, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer, type VendorHandler } from './support/vendor-server.js';

const now = new Date('2024-04-04T21:06:00Z');

// No recorded Stripe payload exists (see ../shared/fixtures/real/SOURCES.md): these are written from
// the shapes public clients read.
describe('parseStripeStatus() on payloads written from third-party client descriptions', () => {
  let full: string;
  beforeAll(async () => {
    full = await readOwn('stripe/current-full-from-docs.json');
  });
  const withState = (patch: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(full), ...patch });

  it('reads "up" as operational with the message and one component per uptimeData row', () => {
    const status = vendorStatusSchema.parse(parseStripeStatus(full, 'stripe', now));
    expect(status).toMatchObject({
      vendor: 'stripe',
      indicator: 'operational',
      description: 'All services are online',
      fetchedAt: '2024-04-04T21:06:00.000Z',
      health: 'ok',
    });
    expect(status.components.map((c) => c.name)).toEqual(['API', 'Dashboard', 'Checkout', 'Webhooks']);
    expect(status.components[0]).toEqual({ id: 'api', name: 'API', group: null, status: 'operational' });
  });

  it('maps "degraded" to minor and "down" to critical', () => {
    expect(parseStripeStatus(withState({ UptimeStatus: 'degraded' }), 's', now).indicator).toBe('minor');
    expect(parseStripeStatus(withState({ UptimeStatus: 'down' }), 's', now).indicator).toBe('critical');
  });

  it('reads "pending", "paused" and unknown words as unknown, never operational', () => {
    for (const word of ['pending', 'paused', 'sideways'])
      expect(parseStripeStatus(withState({ UptimeStatus: word }), 's', now).indicator, word).toBe('unknown');
  });

  it('marks a row with a warning degraded and raises an "up" page to minor', () => {
    const rows = JSON.parse(full).uptimeData as { key: string; warning: unknown }[];
    rows[0]!.warning = 'Elevated latency for some requests';
    const status = parseStripeStatus(withState({ uptimeData: rows }), 's', now);
    expect(status.components[0]?.status).toBe('degraded_performance');
    expect(status.indicator).toBe('minor');
  });

  it('reads the older /current shape (largestatus, statuses)', async () => {
    const status = parseStripeStatus(await readOwn('stripe/current-legacy-from-docs.json'), 's', now);
    expect(status.indicator).toBe('minor');
    expect(status.description).toBe('Elevated error rates on the API');
    expect(status.components.find((c) => c.id === 'api')).toEqual({
      id: 'api',
      name: 'api',
      group: null,
      status: 'degraded_performance',
    });
  });

  it('rejects a payload without a state word, an HTML page and a drifted row', () => {
    expect(expectParseError(() => parseStripeStatus('{"message": "hi"}', 's', now)).message).toBe(
      'stripe current: UptimeStatus: expected a string (up, degraded, down, …)',
    );
    expect(
      expectParseError(() => parseStripeStatus('<html><body>Just a moment...</body></html>', 's', now))
        .message,
    ).toMatch(/^stripe current: got HTML/);
    expect(
      expectParseError(() => parseStripeStatus('{"UptimeStatus":"up","uptimeData":[{"title":3}]}', 's', now))
        .message,
    ).toMatch(/^stripe current: uptimeData\[0\]\.title: expected string/);
  });
});

describe('stripeProvider end to end through a local server and Redis', () => {
  let body: string;
  let contentType = 'application/json';
  let server: VendorServer;
  let t: TestRedis;

  beforeAll(async () => {
    body = await readOwn('stripe/current-full-from-docs.json');
    server = await startVendorServer((req, res) => {
      if (req.url !== '/current/full') return void res.writeHead(404).end();
      const etag = `"${body.length}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': contentType, etag }).end(body);
    });
    t = await createTestRedis('stripe');
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  async function poll(id: string, next?: { body: string; type: string }) {
    const saved = { body, contentType };
    if (next) [body, contentType] = [next.body, next.type];
    try {
      return await pollThroughStore(stripeProvider, { id, url: server.baseUrl }, t, now);
    } finally {
      [body, contentType] = [saved.body, saved.contentType];
    }
  }

  it('stores the status with no incidents and reports the vendor healthy', async () => {
    const { outcome, view, incidents } = await poll('stripe-ok');
    expect(outcome).toMatchObject({ ok: true, notModified: false });
    expect(view.health.state).toBe('ok');
    expect(view.status).toMatchObject({ indicator: 'operational', description: 'All services are online' });
    expect(view.status.components).toHaveLength(4);
    expect(incidents).toEqual([]);
  });

  it('marks an HTML page served with 200 as a parse error', async () => {
    const { outcome, view } = await poll('stripe-html', {
      body: '<!DOCTYPE html><html><body>Maintenance</body></html>',
      type: 'text/html',
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.error).toMatchObject({ kind: 'parse', url: `${server.baseUrl}/current/full` });
    expect(view.status.indicator).toBe('unknown');
    expect(view.health.state).toBe('parse_error');
  });
});

describe('stripeProvider.detect()', () => {
  const harness = createDetectHarness();
  afterAll(() => harness.close());

  async function detectOn(answer: (path: string) => [number, string]) {
    const respond: VendorHandler = (req, res) => {
      const [status, body] = answer(req.url ?? '');
      res
        .writeHead(status, { 'content-type': body.startsWith('{') ? 'application/json' : 'text/html' })
        .end(body);
    };
    return (await harness.detectOn(stripeProvider, respond)).detection;
  }

  it('recognizes a page whose /current/full answers in the Stripe shape', async () => {
    const body = await readOwn('stripe/current-full-from-docs.json');
    const detection = await detectOn((path) => (path === '/current/full' ? [200, body] : [404, 'no']));
    expect(detection).toMatchObject({ provider: 'stripe', confidence: 0.85, name: 'Stripe' });
    expect(detection?.evidence[0]).toMatch(/4 services, indicator operational/);
  });

  it('returns null for a 404 everywhere and for a site whose /current/full is an HTML page', async () => {
    expect(await detectOn(() => [404, 'no'])).toBeNull();
    expect(await detectOn(() => [200, '<html><body>Welcome</body></html>'])).toBeNull();
  });
});

import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApi } from '../src/api/server.js';
import { createChangeStore } from '../src/store/changes.js';
import { parseConfig, type Config } from '../src/config.js';
import type { InternalIncident } from '../src/core/contracts.js';
import { createIncidentStore, type IncidentStore } from '../src/store/incidents.js';
import { createLogger } from '../src/logger.js';
import { connectRedis } from '../src/store/redis.js';
import { createVendorStore } from '../src/store/vendors.js';
import { clip, mapGenericWebhook, planIncident, resolveService } from '../src/api/webhooks/generic.js';
import { mapGitHubWebhook, verifyGitHubSignature } from '../src/api/webhooks/github.js';
import { mapOpsgenieWebhook, opsgenieTime } from '../src/api/webhooks/opsgenie.js';
import { mapPagerDutyWebhook, verifyPagerDutySignature } from '../src/api/webhooks/pagerduty.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';

// Sample payloads built from the senders' public docs: PagerDuty "Webhooks Overview" (v3 event
// envelope and incident data), Opsgenie "Alert action data" (Create and Close), GitHub's
// deployment_status example (octokit/webhooks payload-examples).
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/webhooks/${name}-from-docs.json`, import.meta.url));
const json = (name: string) => JSON.parse(fixture(name).toString('utf8')) as Record<string, unknown>;

const pagerdutySecret = 'pd-signing-secret-7f3a9c';
const githubSecret = 'gh-webhook-secret-41b2d8';
const opsgenieToken = 'og-shared-token-9d0e77aa';
const ingestToken = 'ingest-token-0123456789abcdef';
const services = ['backstage', 'webinar-room', 'payments-api'];

const hmac = (secret: string, body: Buffer | string) =>
  createHmac('sha256', secret).update(body).digest('hex');

function configFor(prefix: string, webhooks: Record<string, string>): Config {
  return parseConfig(
    {
      redis: { url: redisUrl, prefix },
      vendors: [],
      services: services.map((name) => ({ name })),
      api: { port: 0, tokens: [{ name: 'producer', token: ingestToken, scopes: ['ingest'] }] },
      webhooks,
    },
    {},
    'test',
  );
}

interface Started {
  url: string;
  incidents: IncidentStore;
  producer: Redis;
  close(): Promise<void>;
}

async function startApi(t: TestRedis, webhooks: Record<string, string>): Promise<Started> {
  const config = configFor(t.prefix, webhooks);
  const producer = await connectRedis(redisUrl, 'producer', 'test-webhooks-api');
  const logger = createLogger('silent');
  const app = createApi({ config, store: createVendorStore(producer, t.keys), redis: producer, logger });
  const incidents = createIncidentStore(producer, t.keys);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    incidents,
    producer,
    async close() {
      await app.close();
      producer.disconnect();
    },
  };
}

describe('webhook adapters over HTTP, into real Redis', () => {
  let t: TestRedis;
  let api: Started;
  let bare: Started;

  beforeAll(async () => {
    t = await createTestRedis('webhooks');
    api = await startApi(t, { pagerdutySecret, githubSecret, opsgenieToken });
    bare = await startApi(t, {});
  });

  afterAll(async () => {
    await api?.close();
    await bare?.close();
    await t?.cleanup();
  });

  const post = (path: string, body: Buffer | string, headers: Record<string, string> = {}, base = api.url) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const pagerduty = (body: Buffer | string, signature = `v1=${hmac(pagerdutySecret, body)}`) =>
    post('/v1/webhooks/pagerduty', body, { 'x-pagerduty-signature': signature });
  const github = (
    body: Buffer | string,
    event = 'deployment_status',
    signature = `sha256=${hmac(githubSecret, body)}`,
  ) => post('/v1/webhooks/github', body, { 'x-hub-signature-256': signature, 'x-github-event': event });

  describe('PagerDuty v3', () => {
    test('incident.triggered opens the incident, mapped to our service, with the sender’s start time', async () => {
      const res = await pagerduty(fixture('pagerduty-incident-triggered'));
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ incident: 'pd-PGR0VU2', change: 'opened' });
      expect(await api.incidents.get('pd-PGR0VU2')).toEqual({
        id: 'pd-PGR0VU2',
        service: 'backstage',
        title: 'Go Live button resets for EU customers',
        startedAt: '2024-04-04T20:50:00.000Z',
        resolvedAt: null,
        regions: [],
        customers: [],
      });
    });

    test('incident.acknowledged of an open incident changes nothing', async () => {
      const res = await pagerduty(fixture('pagerduty-incident-acknowledged'));
      expect(await res.json()).toEqual({ incident: 'pd-PGR0VU2', change: null });
    });

    test('incident.resolved resolves it at occurred_at', async () => {
      const res = await pagerduty(fixture('pagerduty-incident-resolved'));
      expect(await res.json()).toEqual({ incident: 'pd-PGR0VU2', change: 'resolved' });
      expect((await api.incidents.get('pd-PGR0VU2'))?.resolvedAt).toBe('2024-04-04T21:42:05.001Z');
    });

    test('a retried incident.triggered delivered after the resolution is ignored as stale', async () => {
      const res = await pagerduty(fixture('pagerduty-incident-triggered'));
      expect(res.status).toBe(202);
      expect(((await res.json()) as { ignored: string }).ignored).toMatch(
        /^stale: incident pd-PGR0VU2 was resolved/,
      );
      expect((await api.incidents.get('pd-PGR0VU2'))?.resolvedAt).not.toBeNull();
    });

    test('incident.reopened after the resolution reopens it', async () => {
      const body = json('pagerduty-incident-acknowledged') as {
        event: Record<string, unknown> & { data: Record<string, unknown> };
      };
      body.event.event_type = 'incident.reopened';
      body.event.occurred_at = '2024-04-04T22:00:00Z';
      body.event.data.status = 'triggered';
      const res = await pagerduty(JSON.stringify(body));
      expect(await res.json()).toEqual({ incident: 'pd-PGR0VU2', change: 'reopened' });
    });

    test('a signature list during secret rotation is accepted when any v1 entry matches', async () => {
      const raw = fixture('pagerduty-incident-acknowledged');
      const res = await pagerduty(
        raw,
        `v1=${hmac('old-secret-123456', raw)}, v1=${hmac(pagerdutySecret, raw)}`,
      );
      expect(res.status).toBe(202);
    });

    test.each([
      ['missing', null],
      ['made with another secret', (raw: Buffer) => `v1=${hmac('not-the-secret', raw)}`],
      [
        'over a re-serialized body',
        (raw: Buffer) => `v1=${hmac(pagerdutySecret, JSON.stringify(JSON.parse(raw.toString())))}`,
      ],
      ['truncated', (raw: Buffer) => `v1=${hmac(pagerdutySecret, raw).slice(0, 32)}`],
      ['of an unknown version', (raw: Buffer) => `v0=${hmac(pagerdutySecret, raw)}`],
    ])('a signature %s is refused with 401 and nothing is stored', async (_name, sign) => {
      const body = json('pagerduty-incident-triggered') as { event: { data: { id: string } } };
      body.event.data.id = 'PFORGED';
      const raw = Buffer.from(JSON.stringify(body, null, 2));
      const res = await post(
        '/v1/webhooks/pagerduty',
        raw,
        sign ? { 'x-pagerduty-signature': sign(raw) } : {},
      );
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'missing or invalid X-PagerDuty-Signature' });
      expect(await api.incidents.get('pd-PFORGED')).toBeNull();
    });

    test('without webhooks.pagerdutySecret the endpoint refuses with 503 naming the setting', async () => {
      const raw = fixture('pagerduty-incident-triggered');
      const res = await post(
        '/v1/webhooks/pagerduty',
        raw,
        { 'x-pagerduty-signature': `v1=${hmac('x', raw)}` },
        bare.url,
      );
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: 'webhook not configured: set webhooks.pagerdutySecret' });
    });

    test('events that are not about an incident’s state (notes) are acknowledged and ignored', async () => {
      const note = JSON.stringify({
        event: {
          id: 'n1',
          event_type: 'incident.annotated',
          resource_type: 'incident',
          occurred_at: '2024-04-04T21:00:00Z',
          data: { id: 'P2LA89X', type: 'incident_note', content: 'looking', incident: { id: 'PGR0VU2' } },
        },
      });
      const res = await pagerduty(note);
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({
        ignored: "PagerDuty event incident.annotated does not change an incident's state",
      });
    });

    test('a signed body that is not JSON is 400', async () => {
      const res = await pagerduty('not json');
      expect(res.status).toBe(400);
    });
  });

  describe('Opsgenie', () => {
    test('Create with the token as bearer opens the incident with service, region and customer from tags and details', async () => {
      const res = await post('/v1/webhooks/opsgenie', fixture('opsgenie-alert-create'), {
        authorization: `Bearer ${opsgenieToken}`,
      });
      expect(res.status).toBe(202);
      const id = 'og-052652ac-5d1c-464a-812a-7dd18bbfba8c';
      expect(await res.json()).toEqual({ incident: id, change: 'opened' });
      expect(await api.incidents.get(id)).toEqual({
        id,
        service: 'backstage',
        title: 'RTMP recording start failures above 5%',
        startedAt: new Date(1712263800512).toISOString(),
        resolvedAt: null,
        regions: ['eu-west-1'],
        customers: ['acme'],
      });
    });

    test('Close with ?token= resolves it at the alert’s update time (nanoseconds)', async () => {
      const res = await post(`/v1/webhooks/opsgenie?token=${opsgenieToken}`, fixture('opsgenie-alert-close'));
      expect(await res.json()).toMatchObject({ change: 'resolved' });
      const stored = await api.incidents.get('og-052652ac-5d1c-464a-812a-7dd18bbfba8c');
      expect(stored?.resolvedAt).toBe(new Date(1712266925764).toISOString());
    });

    test('a wrong or missing token is 401; an unconfigured endpoint is 503', async () => {
      const raw = fixture('opsgenie-alert-create');
      expect((await post('/v1/webhooks/opsgenie?token=og-shared-token-9d0e77ab', raw)).status).toBe(401);
      expect((await post('/v1/webhooks/opsgenie', raw)).status).toBe(401);
      const unconfigured = await post(`/v1/webhooks/opsgenie?token=${opsgenieToken}`, raw, {}, bare.url);
      expect(unconfigured.status).toBe(503);
      expect(await unconfigured.json()).toEqual({
        error: 'webhook not configured: set webhooks.opsgenieToken',
      });
    });

    test('a Create that names no service anywhere is 422 saying where to put it', async () => {
      const body = json('opsgenie-alert-create') as { alert: Record<string, unknown> };
      body.alert.alertId = 'no-service';
      body.alert.tags = ['p1'];
      body.alert.details = {};
      delete body.alert.entity;
      const res = await post('/v1/webhooks/opsgenie', JSON.stringify(body), {
        authorization: `Bearer ${opsgenieToken}`,
      });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: string }).error).toMatch(
        /details\.service, a "service:<name>" tag or the entity/,
      );
    });
  });

  describe('GitHub deployment_status', () => {
    test('a successful production deploy becomes a deploy change of the repository’s service', async () => {
      const res = await github(fixture('github-deployment-status-success'));
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ change: 'gh-deployment-145988746', added: true });
      const stored = await createChangeStore(api.producer, t.keys).list({ service: 'backstage' });
      expect(stored).toEqual([
        {
          at: '2024-08-19T23:55:00.000Z',
          service: 'backstage',
          kind: 'deploy',
          ref: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
          description: 'acme/backstage v812 deployed to production',
          id: 'gh-deployment-145988746',
        },
      ]);
    });

    test('the same delivery again is accepted but not stored twice', async () => {
      const res = await github(fixture('github-deployment-status-success'));
      expect(await res.json()).toEqual({ change: 'gh-deployment-145988746', added: false });
    });

    test('a failed deploy is acknowledged and ignored', async () => {
      const res = await github(fixture('github-deployment-status-failure'));
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ ignored: 'deployment state failure is not a completed deploy' });
    });

    test('a form-encoded delivery is verified over its raw bytes and read from `payload`', async () => {
      const body = json('github-deployment-status-success') as { deployment: Record<string, unknown> };
      body.deployment.id = 777;
      body.deployment.payload = { service: 'payments-api' };
      const raw = `payload=${encodeURIComponent(JSON.stringify(body))}`;
      const res = await fetch(`${api.url}/v1/webhooks/github`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-hub-signature-256': `sha256=${hmac(githubSecret, raw)}`,
          'x-github-event': 'deployment_status',
        },
        body: raw,
      });
      expect(await res.json()).toEqual({ change: 'gh-deployment-777', added: true });
      const stored = await createChangeStore(api.producer, t.keys).list({ service: 'payments-api' });
      expect(stored.map((c) => c.id)).toEqual(['gh-deployment-777']);
    });

    test('ping is answered; other events are ignored', async () => {
      expect((await github('{"zen":"Keep it logically awesome."}', 'ping')).status).toBe(200);
      const push = await github('{"ref":"refs/heads/main"}', 'push');
      expect(await push.json()).toEqual({ ignored: 'GitHub event push is not deployment_status' });
    });

    test.each([
      ['missing', undefined],
      ['without the sha256= prefix', (raw: Buffer) => hmac(githubSecret, raw)],
      ['made with another secret', (raw: Buffer) => `sha256=${hmac('another-secret', raw)}`],
      [
        'over a re-serialized body',
        (raw: Buffer) => `sha256=${hmac(githubSecret, JSON.stringify(JSON.parse(raw.toString())))}`,
      ],
    ])('a signature %s is refused with 401', async (_name, sign) => {
      const raw = fixture('github-deployment-status-success');
      const headers: Record<string, string> = { 'x-github-event': 'deployment_status' };
      if (sign) headers['x-hub-signature-256'] = sign(raw);
      const res = await post('/v1/webhooks/github', raw, headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'missing or invalid X-Hub-Signature-256' });
    });

    test('without webhooks.githubSecret the endpoint refuses with 503', async () => {
      const raw = fixture('github-deployment-status-success');
      const res = await post(
        '/v1/webhooks/github',
        raw,
        { 'x-hub-signature-256': `sha256=${hmac('x', raw)}` },
        bare.url,
      );
      expect(await res.json()).toEqual({ error: 'webhook not configured: set webhooks.githubSecret' });
    });
  });

  describe('generic', () => {
    const generic = (body: unknown, token = ingestToken) =>
      post('/v1/webhooks/generic', JSON.stringify(body), { authorization: `Bearer ${token}` });

    test('triggered opens and resolved resolves, with regions and customers kept', async () => {
      const opened = await generic({
        id: 'INC-9000',
        service: 'webinar-room',
        title: 'Rooms fail to load',
        status: 'triggered',
        at: '2024-08-19T23:58:00Z',
        regions: ['us-east-1'],
        customers: ['globex'],
      });
      expect(await opened.json()).toEqual({ incident: 'INC-9000', change: 'opened' });
      const resolved = await generic({
        id: 'INC-9000',
        service: 'webinar-room',
        status: 'resolved',
        at: 1724115600000,
      });
      expect(await resolved.json()).toEqual({ incident: 'INC-9000', change: 'resolved' });
      expect(await api.incidents.get('INC-9000')).toMatchObject({
        title: 'Rooms fail to load',
        regions: ['us-east-1'],
        customers: ['globex'],
        resolvedAt: '2024-08-20T01:00:00.000Z',
      });
    });

    test('a malformed body is 422 naming the field; no token is 401', async () => {
      const bad = await generic({ id: 'INC-1', service: 's', status: 'on fire', at: '2024-08-19T23:58:00Z' });
      expect(bad.status).toBe(422);
      expect(await bad.json()).toEqual({
        error: 'status: Invalid option: expected one of "triggered"|"resolved"',
      });
      const anonymous = await post('/v1/webhooks/generic', '{}');
      expect(anonymous.status).toBe(401);
    });
  });
});

describe('webhook mappers (pure)', () => {
  test('clip() trims and cuts a long sender text without leaving half an emoji', () => {
    expect(clip('  short  ')).toBe('short');
    for (const pad of ['', 'x']) {
      const clipped = clip(`${pad}${'😀'.repeat(300)}`);
      expect(clipped.length).toBeGreaterThanOrEqual(511);
      expect(clipped.length).toBeLessThanOrEqual(512);
      expect(clipped.endsWith('😀')).toBe(true);
    }
  });

  test('resolveService() matches exactly, by slug, or as a whole word of the label, longest first', () => {
    expect(resolveService(['Backstage'], services)).toBe('backstage');
    expect(resolveService(['Payments API'], services)).toBe('payments-api');
    expect(resolveService(['Backstage (production)'], services)).toBe('backstage');
    expect(resolveService(['prod-webinar-room-eu'], [...services, 'webinar'])).toBe('webinar-room');
    expect(resolveService(['Checkout'], services)).toBe('Checkout');
    expect(resolveService([undefined, '  '], services)).toBeNull();
    // "backstager" is not the word "backstage".
    expect(resolveService(['backstager'], services)).toBe('backstager');
  });

  test('opsgenieTime() reads seconds, milliseconds, microseconds and nanoseconds; nonsense is null', () => {
    const ms = 1712266925764;
    expect(opsgenieTime(ms / 1000)).toBe(ms);
    expect(opsgenieTime(ms)).toBe(ms);
    expect(opsgenieTime(ms * 1000)).toBe(ms);
    expect(opsgenieTime(ms * 1e6 + 2246)).toBe(ms);
    expect(opsgenieTime(-1)).toBeNull();
    expect(opsgenieTime(1e30)).toBeNull();
  });

  test('planIncident() clamps a resolution stamped before the start to the start', () => {
    const open: InternalIncident = {
      id: 'A',
      service: 's',
      title: '',
      startedAt: '2024-01-01T10:00:00.000Z',
      resolvedAt: null,
      regions: [],
      customers: [],
    };
    expect(
      planIncident(open, { kind: 'resolve', id: 'A', at: '2024-01-01T09:59:00.000Z', fallback: null }),
    ).toEqual({
      write: { ...open, resolvedAt: '2024-01-01T10:00:00.000Z' },
    });
    expect(
      planIncident(null, { kind: 'resolve', id: 'B', at: '2024-01-01T09:59:00.000Z', fallback: null }),
    ).toEqual({
      ignore: 'resolve for unknown incident B',
    });
  });

  test('planIncident() merges an update: earliest start, union of regions, title kept when the update has none', () => {
    const before: InternalIncident = {
      id: 'A',
      service: 's',
      title: 'Checkout slow',
      startedAt: '2024-01-01T10:00:00.000Z',
      resolvedAt: null,
      regions: ['eu'],
      customers: [],
    };
    const plan = planIncident(before, {
      kind: 'open',
      at: '2024-01-01T10:05:00.000Z',
      incident: { ...before, title: '', startedAt: '2024-01-01T09:58:00.000Z', regions: ['us'] },
    });
    expect(plan).toEqual({
      write: { ...before, startedAt: '2024-01-01T09:58:00.000Z', regions: ['eu', 'us'] },
    });
  });

  test('verifyPagerDutySignature() and verifyGitHubSignature() need the exact raw bytes', () => {
    const raw = Buffer.from('{"a": 1}');
    expect(verifyPagerDutySignature(raw, `v1=${hmac('s3cret-key', raw)}`, 's3cret-key')).toBe(true);
    expect(
      verifyPagerDutySignature(Buffer.from('{"a":1}'), `v1=${hmac('s3cret-key', raw)}`, 's3cret-key'),
    ).toBe(false);
    expect(verifyPagerDutySignature(raw, `v1=${hmac('s3cret-key', raw).toUpperCase()}`, 's3cret-key')).toBe(
      true,
    );
    expect(verifyPagerDutySignature(raw, 'v1=zz', 's3cret-key')).toBe(false);
    expect(verifyPagerDutySignature(raw, undefined, 's3cret-key')).toBe(false);
    expect(verifyGitHubSignature(raw, `sha256=${hmac('s3cret-key', raw)}`, 's3cret-key')).toBe(true);
    expect(verifyGitHubSignature(raw, `sha1=${hmac('s3cret-key', raw)}`, 's3cret-key')).toBe(false);
  });

  test('mapPagerDutyWebhook() resolves even an incident whose service cannot be mapped (it may exist already)', () => {
    const body = json('pagerduty-incident-resolved') as { event: { data: { service: unknown } } };
    body.event.data.service = null;
    expect(mapPagerDutyWebhook(body, services)).toEqual({
      kind: 'resolve',
      at: '2024-04-04T21:42:05.001Z',
      id: 'pd-PGR0VU2',
      fallback: null,
    });
  });

  test('mapOpsgenieWebhook() ignores actions that do not change state, such as AddNote', () => {
    const body = json('opsgenie-alert-create');
    body.action = 'AddNote';
    expect(mapOpsgenieWebhook(body, services, Date.now())).toEqual({
      kind: 'ignore',
      reason: "Opsgenie action AddNote does not change an incident's state",
    });
  });

  test('mapGitHubWebhook() ignores deploys to non-production environments', () => {
    const body = json('github-deployment-status-success') as { deployment_status: { environment: string } };
    body.deployment_status.environment = 'staging-eu';
    expect(mapGitHubWebhook('deployment_status', body, services)).toEqual({
      kind: 'ignore',
      reason: 'deployment to non-production environment staging-eu',
    });
  });

  test('mapGenericWebhook() starts a triggered incident at `at` unless startedAt is given', () => {
    const action = mapGenericWebhook({
      id: 'X',
      service: 's',
      status: 'triggered',
      at: '2024-01-01T10:05:00Z',
      startedAt: '2024-01-01T10:00:00Z',
    });
    expect(action).toMatchObject({
      kind: 'open',
      at: '2024-01-01T10:05:00.000Z',
      incident: { startedAt: '2024-01-01T10:00:00.000Z' },
    });
  });
});

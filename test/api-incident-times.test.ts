import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { incidentChangesKey } from '../src/store/incidents.js';
import { incidentTimeProblems } from '../src/api/incident-times.js';
import { apiConfig, ingestToken, readToken, sendJson, startTestApi, type TestApi } from './support/api.js';
import { createTestRedis, type TestRedis } from './support/redis.js';

const pagerdutySecret = 'pd-signing-secret-times-5b1e';

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

describe('impossible incident times (pure)', () => {
  const now = Date.parse('2024-04-04T21:00:00Z');

  test('a time up to 15 minutes ahead is clock skew; beyond that it is refused, naming the field', () => {
    expect(incidentTimeProblems({ startedAt: '2024-04-04T21:15:00.000Z', resolvedAt: null }, now)).toEqual(
      [],
    );
    expect(incidentTimeProblems({ startedAt: '2024-04-04T21:15:01.000Z', resolvedAt: null }, now)).toEqual([
      'startedAt 2024-04-04T21:15:01Z is more than 15 minutes in the future (server time 2024-04-04T21:00:00Z)',
    ]);
  });

  test('a resolution before the start is refused; at the start it is fine', () => {
    expect(
      incidentTimeProblems(
        { startedAt: '2024-04-04T20:50:00.000Z', resolvedAt: '2024-04-04T19:00:00.000Z' },
        now,
      ),
    ).toEqual(['resolvedAt 2024-04-04T19:00:00Z is before startedAt 2024-04-04T20:50:00Z']);
    expect(
      incidentTimeProblems(
        { startedAt: '2024-04-04T20:50:00.000Z', resolvedAt: '2024-04-04T20:50:00.000Z' },
        now,
      ),
    ).toEqual([]);
  });

  test('the future check covers only the fields asked for', () => {
    const stored = { startedAt: '2024-04-04T23:00:00.000Z', resolvedAt: '2024-04-04T23:30:00.000Z' };
    expect(incidentTimeProblems(stored, now, ['resolvedAt'])).toEqual([
      'resolvedAt 2024-04-04T23:30:00Z is more than 15 minutes in the future (server time 2024-04-04T21:00:00Z)',
    ]);
  });
});

describe('incident times over HTTP, stored in real Redis', () => {
  let t: TestRedis;
  let api: TestApi;

  beforeAll(async () => {
    t = await createTestRedis('api-incident-times');
    const config = apiConfig(t, { services: [{ name: 'backstage' }], webhooks: { pagerdutySecret } });
    api = await startTestApi(t, config, 'test-incident-times-api');
  });

  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  beforeEach(async () => {
    await t.redis.del(incidentChangesKey(t.keys));
  });

  const send = (method: string, path: string, body?: unknown, token = ingestToken) =>
    sendJson(`${api.url}${path}`, method, token, body);
  const read = (path: string) => send('GET', path, undefined, readToken);
  const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;
  const noticeCount = () => t.redis.xlen(incidentChangesKey(t.keys));

  describe('POST /v1/incidents', () => {
    test('a start more than 15 minutes ahead of the server clock is 400 naming startedAt, and stores nothing', async () => {
      const res = await send('POST', '/v1/incidents', {
        id: 'INC-future',
        service: 'backstage',
        startedAt: minutesFromNow(60),
      });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatch(
        /^startedAt \S+ is more than 15 minutes in the future \(server time \S+\)$/,
      );
      expect((await read('/v1/incidents/INC-future')).status).toBe(404);
      expect(await noticeCount()).toBe(0);
    });

    test('a start a few minutes ahead (clock skew) is accepted', async () => {
      const res = await send('POST', '/v1/incidents', {
        id: 'INC-skew',
        service: 'backstage',
        startedAt: minutesFromNow(10),
      });
      expect(res.status).toBe(201);
    });

    test('a resolution before the start is 400 saying which and when', async () => {
      const res = await send('POST', '/v1/incidents', {
        id: 'INC-backwards',
        service: 'backstage',
        startedAt: '2024-04-04T20:50:00Z',
        resolvedAt: '2024-04-04T19:00:00Z',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'resolvedAt 2024-04-04T19:00:00Z is before startedAt 2024-04-04T20:50:00Z',
      });
      expect((await read('/v1/incidents/INC-backwards')).status).toBe(404);
    });

    test('a resolution in the future is 400 naming resolvedAt', async () => {
      const res = await send('POST', '/v1/incidents', {
        id: 'INC-resolves-later',
        service: 'backstage',
        startedAt: '2024-04-04T20:50:00Z',
        resolvedAt: minutesFromNow(120),
      });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatch(/^resolvedAt \S+ is more than 15 minutes in the future/);
    });
  });

  describe('PATCH /v1/incidents/:id', () => {
    beforeEach(async () => {
      await send('POST', '/v1/incidents', {
        id: 'INC-p',
        service: 'backstage',
        startedAt: '2024-04-04T20:50:00Z',
      });
      await t.redis.del(incidentChangesKey(t.keys));
    });

    test('a resolvedAt before the stored start is 400 and leaves the incident as it was', async () => {
      const res = await send('PATCH', '/v1/incidents/INC-p', { resolvedAt: '2024-04-04T19:00:00Z' });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'resolvedAt 2024-04-04T19:00:00Z is before startedAt 2024-04-04T20:50:00Z',
      });
      expect(await (await read('/v1/incidents/INC-p')).json()).toMatchObject({ resolvedAt: null });
      expect(await noticeCount()).toBe(0);
    });

    test('a resolvedAt more than 15 minutes ahead is 400 naming it', async () => {
      const res = await send('PATCH', '/v1/incidents/INC-p', { resolvedAt: minutesFromNow(30) });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatch(/^resolvedAt \S+ is more than 15 minutes in the future/);
    });

    test('a resolvedAt after the start resolves; a patch without times is not judged on them', async () => {
      const resolved = await send('PATCH', '/v1/incidents/INC-p', { resolvedAt: '2024-04-04T21:40:00Z' });
      expect(resolved.status).toBe(200);
      expect(await resolved.json()).toMatchObject({
        incident: { resolvedAt: '2024-04-04T21:40:00.000Z' },
        change: 'resolved',
      });
      expect((await send('PATCH', '/v1/incidents/INC-p', { title: 'Go Live resets' })).status).toBe(200);
      expect((await send('PATCH', '/v1/incidents/INC-p', { resolvedAt: null })).status).toBe(200);
    });

    test('an unknown incident is still 404', async () => {
      const res = await send('PATCH', '/v1/incidents/INC-none', { resolvedAt: '2024-04-04T19:00:00Z' });
      expect(res.status).toBe(404);
    });
  });

  describe('inbound webhooks that create incidents', () => {
    const generic = (body: unknown) =>
      fetch(`${api.url}/v1/webhooks/generic`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestToken}` },
        body: JSON.stringify(body),
      });
    const pagerduty = (body: unknown) => {
      const raw = JSON.stringify(body);
      const signature = createHmac('sha256', pagerdutySecret).update(raw).digest('hex');
      return fetch(`${api.url}/v1/webhooks/pagerduty`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-pagerduty-signature': `v1=${signature}` },
        body: raw,
      });
    };

    test('generic: a start in the future is 400 naming startedAt, and nothing is stored', async () => {
      const res = await generic({
        id: 'GEN-future',
        service: 'backstage',
        status: 'triggered',
        at: minutesFromNow(90),
      });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatch(/^startedAt \S+ is more than 15 minutes in the future/);
      expect((await read('/v1/incidents/GEN-future')).status).toBe(404);
    });

    test('generic: a resolution stated before the start of the same payload is 400', async () => {
      const res = await generic({
        id: 'GEN-backwards',
        service: 'backstage',
        status: 'resolved',
        startedAt: '2024-04-04T20:50:00Z',
        at: '2024-04-04T19:00:00Z',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'resolvedAt 2024-04-04T19:00:00Z is before startedAt 2024-04-04T20:50:00Z',
      });
      expect((await read('/v1/incidents/GEN-backwards')).status).toBe(404);
    });

    test('generic: a resolution in the future is 400 and the incident stays open', async () => {
      expect(
        (
          await generic({
            id: 'GEN-open',
            service: 'backstage',
            status: 'triggered',
            at: '2024-04-04T20:50:00Z',
          })
        ).status,
      ).toBe(202);
      const res = await generic({
        id: 'GEN-open',
        service: 'backstage',
        status: 'resolved',
        at: minutesFromNow(60),
      });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatch(/^resolvedAt \S+ is more than 15 minutes in the future/);
      expect(await (await read('/v1/incidents/GEN-open')).json()).toMatchObject({ resolvedAt: null });
    });

    test('pagerduty: an incident created in the future is 400 naming startedAt', async () => {
      const res = await pagerduty({
        event: {
          id: 'evt-1',
          event_type: 'incident.triggered',
          resource_type: 'incident',
          occurred_at: minutesFromNow(0),
          data: {
            id: 'PFUTURE',
            type: 'incident',
            status: 'triggered',
            title: 'Go Live resets',
            created_at: minutesFromNow(24 * 60),
            service: { summary: 'backstage' },
          },
        },
      });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatch(/^startedAt \S+ is more than 15 minutes in the future/);
      expect((await read('/v1/incidents/pd-PFUTURE')).status).toBe(404);
    });
  });
});

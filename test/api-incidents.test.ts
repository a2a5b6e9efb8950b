import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { changeIdsKey } from '../src/store/changes.js';
import type { InternalIncident } from '../src/core/contracts.js';
import { createIncidentStore, incidentChange, incidentChangesKey } from '../src/store/incidents.js';
import { connectRedis } from '../src/store/redis.js';
import { apiConfig, ingestToken, readToken, sendJson, startTestApi, type TestApi } from './support/api.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';

describe('incidents and changes over HTTP, stored in real Redis', () => {
  let t: TestRedis;
  let api: TestApi;

  beforeAll(async () => {
    t = await createTestRedis('api-incidents');
    api = await startTestApi(t, apiConfig(t), 'test-incidents-api');
  });

  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  const send = (method: string, path: string, body?: unknown, token = ingestToken) =>
    sendJson(`${api.url}${path}`, method, token, body);
  const read = (path: string) => send('GET', path, undefined, readToken);

  async function notices(): Promise<Array<{ id: string; change: string }>> {
    const entries = (await t.redis.xrange(incidentChangesKey(t.keys), '-', '+')) as Array<[string, string[]]>;
    return entries.map(([, f]) => {
      const fields = Object.fromEntries(f.flatMap((v, i) => (i % 2 === 0 ? [[v, f[i + 1]]] : [])));
      expect(Date.parse(fields.at as string)).not.toBeNaN();
      return { id: fields.id as string, change: fields.change as string };
    });
  }

  describe('incidents', () => {
    beforeEach(async () => {
      await t.redis.del(incidentChangesKey(t.keys));
    });

    test('POST creates an incident (201, defaults filled) and announces it as opened', async () => {
      const res = await send('POST', '/v1/incidents', {
        id: 'INC-4211',
        service: 'backstage',
        title: 'Go Live button resets',
        startedAt: '2024-04-04T20:50:00Z',
        regions: ['eu'],
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({
        incident: {
          id: 'INC-4211',
          service: 'backstage',
          title: 'Go Live button resets',
          startedAt: '2024-04-04T20:50:00.000Z',
          resolvedAt: null,
          regions: ['eu'],
          customers: [],
        },
        change: 'opened',
      });
      expect(await notices()).toEqual([{ id: 'INC-4211', change: 'opened' }]);
      expect(await t.redis.zscore(t.keys.incidentsByStart, 'INC-4211')).toBe(
        String(Date.parse('2024-04-04T20:50:00Z')),
      );
    });

    test('POSTing the same incident again is 200 with no change and no notice', async () => {
      const body = { id: 'INC-same', service: 'backstage', startedAt: '2024-04-04T20:50:00Z' };
      expect((await send('POST', '/v1/incidents', body)).status).toBe(201);
      const again = await send('POST', '/v1/incidents', body);
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ change: null });
      expect(await notices()).toEqual([{ id: 'INC-same', change: 'opened' }]);
    });

    test('PATCH resolves, edits and reopens, announcing each change', async () => {
      await send('POST', '/v1/incidents', {
        id: 'INC-p',
        service: 'webinar-room',
        startedAt: '2024-08-19T23:58:00Z',
      });
      const resolved = await send('PATCH', '/v1/incidents/INC-p', { resolvedAt: '2024-08-20T01:00:00Z' });
      expect(resolved.status).toBe(200);
      expect(await resolved.json()).toMatchObject({
        incident: { resolvedAt: '2024-08-20T01:00:00.000Z' },
        change: 'resolved',
      });
      await send('PATCH', '/v1/incidents/INC-p', { regions: ['eu'] });
      const edited = await send('PATCH', '/v1/incidents/INC-p', {
        title: 'Rooms fail to load',
        customers: ['acme'],
      });
      // Fields the patch leaves out stay as they were (regions, resolvedAt).
      expect(await edited.json()).toMatchObject({
        incident: {
          title: 'Rooms fail to load',
          customers: ['acme'],
          regions: ['eu'],
          resolvedAt: '2024-08-20T01:00:00.000Z',
        },
        change: 'updated',
      });
      const reopened = await send('PATCH', '/v1/incidents/INC-p', { resolvedAt: null });
      expect(await reopened.json()).toMatchObject({ incident: { resolvedAt: null }, change: 'reopened' });
      expect((await notices()).map((n) => n.change)).toEqual([
        'opened',
        'resolved',
        'updated',
        'updated',
        'reopened',
      ]);
    });

    test('PATCH of an unknown incident is 404 naming it; a bad field is 400 naming the field', async () => {
      const missing = await send('PATCH', '/v1/incidents/INC-nope', { title: 'x' });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'incident "INC-nope" not found' });
      const bad = await send('PATCH', '/v1/incidents/INC-p', { resolvedAt: 'soon', service: 'other' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(
        /resolvedAt: expected an ISO-8601 timestamp or epoch milliseconds.*Unrecognized key: "service"/,
      );
      const empty = await send('PATCH', '/v1/incidents/INC-p', {});
      expect(await empty.json()).toEqual({
        error: 'body: expected at least one of title, resolvedAt, regions, customers',
      });
    });

    test('POST with a missing or malformed field is 400 naming it, and stores nothing', async () => {
      const res = await send('POST', '/v1/incidents', {
        id: 'INC-bad',
        service: 'x',
        startedAt: 'last tuesday',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'startedAt: expected an ISO-8601 timestamp or epoch milliseconds',
      });
      const missing = await send('POST', '/v1/incidents', {
        id: 'INC-bad',
        startedAt: '2024-01-01T00:00:00Z',
      });
      expect(await missing.json()).toEqual({ error: 'service: is required' });
      expect((await read('/v1/incidents/INC-bad')).status).toBe(404);
    });

    test('GET /v1/incidents/:id returns the stored incident; unknown is 404 with a message', async () => {
      const res = await read('/v1/incidents/INC-4211');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id: 'INC-4211', service: 'backstage' });
      const missing = await read('/v1/incidents/INC-0');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'incident "INC-0" not found' });
    });

    test('GET /v1/incidents filters by window overlap, service and open, newest first', async () => {
      const incidents: Array<Partial<InternalIncident>> = [
        {
          id: 'L-old',
          service: 'api',
          startedAt: '2024-01-01T00:00:00Z',
          resolvedAt: '2024-01-01T01:00:00Z',
        },
        { id: 'L-long', service: 'api', startedAt: '2024-01-02T00:00:00Z', resolvedAt: null },
        {
          id: 'L-mid',
          service: 'web',
          startedAt: '2024-01-10T00:00:00Z',
          resolvedAt: '2024-01-10T02:00:00Z',
        },
        { id: 'L-late', service: 'api', startedAt: '2024-02-01T00:00:00Z', resolvedAt: null },
      ];
      for (const incident of incidents)
        expect((await send('POST', '/v1/incidents', incident)).status).toBe(201);
      const ids = async (query: string) =>
        ((await (await read(`/v1/incidents?${query}`)).json()) as { incidents: InternalIncident[] }).incidents
          .map((i) => i.id)
          .filter((id) => id.startsWith('L-'));
      expect(await ids('')).toEqual(['L-late', 'L-mid', 'L-long', 'L-old']);
      // Overlapping 5–15 January: the still-open one from the 2nd counts, the one closed on the 1st not.
      expect(await ids('from=2024-01-05T00:00:00Z&to=2024-01-15T00:00:00Z')).toEqual(['L-mid', 'L-long']);
      expect(
        await ids(`from=${Date.parse('2024-01-05T00:00:00Z')}&to=2024-01-15T00:00:00Z&service=api`),
      ).toEqual(['L-long']);
      expect(await ids('open=true&service=api')).toEqual(['L-late', 'L-long']);
      expect(await ids('limit=2&service=api')).toEqual(['L-late', 'L-long']);
    });

    test('GET /v1/incidents rejects an unknown or malformed query parameter with 400', async () => {
      const res = await read('/v1/incidents?from=yesterday&colour=red');
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(
        /^query\.from: expected an ISO-8601 timestamp or epoch milliseconds; query: Unrecognized key: "colour"/,
      );
    });

    test('reads need the read scope and writes the ingest scope', async () => {
      expect((await send('GET', '/v1/incidents')).status).toBe(403);
      expect((await send('POST', '/v1/incidents', { id: 'x' }, readToken)).status).toBe(403);
      expect((await fetch(`${api.url}/v1/incidents`)).status).toBe(401);
    });
  });

  describe('changes', () => {
    test('POST one change or an array; duplicates by id or by (service, kind, ref, at) are counted, not stored', async () => {
      const first = await send('POST', '/v1/changes', {
        at: '2024-08-19T23:55:00Z',
        service: 'webinar-room',
        kind: 'deploy',
        ref: 'v812',
      });
      expect(first.status).toBe(202);
      expect(await first.json()).toEqual({ added: 1, duplicates: 0, rejected: [] });
      const batch = await send('POST', '/v1/changes', [
        { at: 1724111700000, service: 'webinar-room', kind: 'deploy', ref: 'v812' },
        {
          at: '2024-08-19T22:00:00Z',
          service: 'webinar-room',
          kind: 'flag',
          id: 'flag-77',
          description: 'new player',
        },
        {
          at: '2024-08-19T22:05:00Z',
          service: 'webinar-room',
          kind: 'flag',
          id: 'flag-77',
          description: 'edited',
        },
        { at: '2024-08-19T21:00:00Z', service: 'backstage', kind: 'config', ref: 'env-rollout-3' },
        { at: '2024-08-19T21:00:00Z', service: 'backstage', kind: 'rollback' },
      ]);
      expect(batch.status).toBe(202);
      expect(await batch.json()).toEqual({
        added: 2,
        duplicates: 2,
        rejected: [
          { index: 4, reason: 'changes[4].kind: Invalid option: expected one of "deploy"|"config"|"flag"' },
        ],
      });
      expect(await t.redis.zcard(t.keys.changes)).toBe(3);
      expect(await t.redis.hlen(changeIdsKey(t.keys))).toBe(3);
    });

    test('GET /v1/changes filters by window and service, newest first', async () => {
      const all = (await (await read('/v1/changes')).json()) as {
        changes: Array<{ at: string; service: string }>;
      };
      expect(all.changes.map((c) => c.at)).toEqual([
        '2024-08-19T23:55:00.000Z',
        '2024-08-19T22:00:00.000Z',
        '2024-08-19T21:00:00.000Z',
      ]);
      const windowed = (await (
        await read('/v1/changes?from=2024-08-19T21:30:00Z&to=2024-08-20T00:00:00Z&service=webinar-room')
      ).json()) as { changes: Array<{ id?: string; ref?: string; description?: string }> };
      expect(windowed.changes).toEqual([
        { at: '2024-08-19T23:55:00.000Z', service: 'webinar-room', kind: 'deploy', ref: 'v812' },
        {
          at: '2024-08-19T22:00:00.000Z',
          service: 'webinar-room',
          kind: 'flag',
          description: 'new player',
          id: 'flag-77',
        },
      ]);
    });

    test('POST with no valid change is 400 and stores nothing', async () => {
      const res = await send('POST', '/v1/changes', { service: 'x', kind: 'deploy' });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        added: 0,
        duplicates: 0,
        rejected: [{ index: 0, reason: 'changes[0].at: is required' }],
      });
    });
  });
});

describe('incident store', () => {
  let t: TestRedis;

  beforeAll(async () => {
    t = await createTestRedis('incident-store');
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test('incidentChange() tells opened, resolved, reopened, updated and unchanged apart', () => {
    const base: InternalIncident = {
      id: 'I',
      service: 's',
      title: '',
      startedAt: '2024-01-01T00:00:00.000Z',
      resolvedAt: null,
      regions: [],
      customers: [],
    };
    const resolved = { ...base, resolvedAt: '2024-01-01T01:00:00.000Z' };
    expect(incidentChange(null, base)).toBe('opened');
    expect(incidentChange(base, resolved)).toBe('resolved');
    expect(incidentChange(resolved, base)).toBe('reopened');
    expect(incidentChange(base, { ...base, title: 't' })).toBe('updated');
    expect(incidentChange(base, { ...base })).toBeNull();
  });

  test('concurrent updates from two connections never lose one another (compare-and-set)', async () => {
    const other = await connectRedis(redisUrl, 'producer', 'test-incident-store-2');
    try {
      const a = createIncidentStore(t.redis, t.keys);
      const b = createIncidentStore(other, t.keys);
      await a.upsert({
        id: 'race',
        service: 's',
        title: '',
        startedAt: '2024-01-01T00:00:00.000Z',
        resolvedAt: null,
        regions: [],
        customers: [],
      });
      const addCustomer = (store: typeof a, customer: string) =>
        store.update('race', (before) =>
          before ? { ...before, customers: [...before.customers, customer] } : null,
        );
      await Promise.all(Array.from({ length: 20 }, (_, i) => addCustomer(i % 2 === 0 ? a : b, `c${i}`)));
      const stored = await a.get('race');
      expect(stored?.customers.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`).sort());
    } finally {
      other.disconnect();
    }
  });
});

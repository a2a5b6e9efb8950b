import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FetchError } from '../src/core/errors.js';
import type { VendorIncident, VendorStatus } from '../src/core/model.js';
import { createVendorStore, type VendorStore } from '../src/store/vendors.js';
import { createTestRedis, type TestRedis } from './support/redis.js';

const now = new Date('2026-11-21T12:00:00Z');

function incident(id: string, overrides: Partial<VendorIncident> = {}): VendorIncident {
  return {
    vendor: 'twilio',
    id,
    title: `Incident ${id}`,
    impact: 'minor',
    status: 'investigating',
    kind: 'incident',
    startedAt: '2026-11-21T10:00:00.000Z',
    postedAt: '2026-11-21T10:05:00.000Z',
    updatedAt: '2026-11-21T10:05:00.000Z',
    resolvedAt: null,
    components: ['SMS, Europe'],
    regions: [],
    updates: [{ at: '2026-11-21T10:05:00.000Z', status: 'investigating', body: 'Looking' }],
    url: null,
    ...overrides,
  };
}

const status: VendorStatus = {
  vendor: 'twilio',
  indicator: 'minor',
  components: [{ name: 'SMS, Europe', group: 'PROGRAMMABLE MESSAGING', status: 'degraded_performance' }],
  fetchedAt: now.toISOString(),
  health: 'ok',
};

describe('vendor store on real Redis', () => {
  let t: TestRedis;
  let store: VendorStore;
  beforeAll(async () => {
    t = await createTestRedis('store');
    store = createVendorStore(t.redis, t.keys);
  });
  afterAll(() => t.cleanup());

  test('applyPoll() records new, updated, resolved and reopened incidents on the change stream', async () => {
    const meta = { now, latencyMs: 12 };
    expect(
      await store.applyPoll('twilio', { status, incidents: [incident('a'), incident('b')] }, meta),
    ).toEqual([
      { vendor: 'twilio', id: 'a', change: 'new' },
      { vendor: 'twilio', id: 'b', change: 'new' },
    ]);
    // The same page again is not a change.
    expect(
      await store.applyPoll('twilio', { status, incidents: [incident('a'), incident('b')] }, meta),
    ).toEqual([]);
    const resolvedA = incident('a', { status: 'resolved', resolvedAt: '2026-11-21T11:00:00.000Z' });
    const updatedB = incident('b', { title: 'Renamed', updatedAt: '2026-11-21T11:00:00.000Z' });
    expect(
      (await store.applyPoll('twilio', { status, incidents: [resolvedA, updatedB] }, meta)).map(
        (c) => c.change,
      ),
    ).toEqual(['resolved', 'updated']);
    expect(
      (await store.applyPoll('twilio', { status, incidents: [incident('a')] }, meta)).map((c) => c.change),
    ).toEqual(['reopened']);
    const stream = await t.redis.xrange(t.keys.vendorChanges, '-', '+');
    expect(stream.map(([, fields]) => fields[5])).toEqual(['new', 'new', 'resolved', 'updated', 'reopened']);
  });

  test('open incidents are tracked and the view shows the stored status while polling works', async () => {
    const view = await store.view('twilio');
    expect(view.openIncidents.map((i) => i.id).sort()).toEqual(['a', 'b']);
    expect(view.status.indicator).toBe('minor');
    expect(view.health).toMatchObject({ state: 'ok', consecutiveFailures: 0, latencyMs: 12 });
  });

  test('a failed poll makes the vendor unknown, never operational, and keeps its incidents', async () => {
    const error = new FetchError(
      'timeout',
      'GET https://status.twilio.com/api/v2/summary.json took over 10000 ms',
    );
    await store.recordFailure('twilio', error, { now, latencyMs: 10_000 });
    const health = await store.recordFailure('twilio', error, { now, latencyMs: 10_000 });
    expect(health).toMatchObject({ state: 'unreachable', consecutiveFailures: 2, lastErrorKind: 'timeout' });
    const view = await store.view('twilio');
    expect(view.status.indicator).toBe('unknown');
    expect(view.status.health).toBe('unreachable');
    expect(view.openIncidents).toHaveLength(2);
    expect(view.health.lastSuccessAt).toBe(now.toISOString());
  });

  test('a 304 after failures restores the last status and resets the failure count', async () => {
    await store.recordNotModified('twilio', { now, latencyMs: 3 });
    const view = await store.view('twilio');
    expect(view.status.indicator).toBe('minor');
    expect(view.health.consecutiveFailures).toBe(0);
  });

  test('a vendor never polled is unknown', async () => {
    const view = await store.view('never-polled');
    expect(view.status.indicator).toBe('unknown');
    expect(view.openIncidents).toEqual([]);
  });

  test('validators round-trip per URL', async () => {
    await store.saveValidators([
      ['https://x.test/a', { etag: '"v1"', lastModified: 'Sat, 21 Nov 2026 10:00:00 GMT' }],
    ]);
    expect(await store.getValidators('https://x.test/a')).toEqual({
      etag: '"v1"',
      lastModified: 'Sat, 21 Nov 2026 10:00:00 GMT',
    });
    expect(await store.getValidators('https://x.test/other')).toEqual({});
  });

  test('concurrent pollers of one vendor never lose an update', async () => {
    const base = incident('c');
    await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        store.applyPoll(
          'twilio',
          {
            status: null,
            incidents: [
              {
                ...base,
                updates: [
                  { id: `u${n}`, at: `2026-11-21T10:0${n}:00.000Z`, status: 'investigating', body: `n${n}` },
                ],
              },
            ],
          },
          { now, latencyMs: 1 },
        ),
      ),
    );
    const stored = await store.getIncident('twilio', 'c');
    expect(stored?.updates.map((u) => u.id)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7']);
  });

  test('an open incident missing from a complete open list is closed by absence, others are left alone', async () => {
    const meta = { now, latencyMs: 1 };
    await store.applyPoll(
      'aws',
      {
        status: null,
        incidents: [incident('gone', { vendor: 'aws' }), incident('stays', { vendor: 'aws' })],
      },
      meta,
    );
    // A partial list (a feed window) proves nothing about what it leaves out.
    expect(
      await store.applyPoll('aws', { status: null, incidents: [incident('stays', { vendor: 'aws' })] }, meta),
    ).toEqual([]);
    const later = new Date('2026-11-21T13:00:00Z');
    const changes = await store.applyPoll(
      'aws',
      { status: null, incidents: [incident('stays', { vendor: 'aws' })], openSetComplete: true },
      { now: later, latencyMs: 1 },
    );
    expect(changes).toEqual([{ vendor: 'aws', id: 'gone', change: 'resolved' }]);
    const gone = await store.getIncident('aws', 'gone');
    expect(gone).toMatchObject({
      resolvedAt: later.toISOString(),
      resolvedBy: 'absence',
      status: 'resolved',
    });
    expect((await store.view('aws')).openIncidents.map((i) => i.id)).toEqual(['stays']);
  });

  test('every key lives under the hash-tagged prefix', async () => {
    const keys = await t.redis.keys(`*${t.prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.startsWith(`{${t.prefix}}:`)).toBe(true);
  });
});

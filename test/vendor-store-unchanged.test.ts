import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { VendorIncident, VendorStatus } from '../src/core/model.js';
import { createVendorStore, type VendorStore } from '../src/store/vendors.js';
import { createTestRedis, type TestRedis } from './support/redis.js';

const now = new Date('2026-11-21T12:00:00Z');

function incident(id: string, overrides: Partial<VendorIncident> = {}): VendorIncident {
  return {
    vendor: 'acme',
    id,
    title: `Incident ${id}`,
    impact: 'minor',
    status: 'investigating',
    kind: 'incident',
    startedAt: '2026-11-21T10:00:00.000Z',
    postedAt: '2026-11-21T10:05:00.000Z',
    updatedAt: '2026-11-21T10:05:00.000Z',
    resolvedAt: null,
    components: ['API'],
    regions: [],
    updates: [{ id: `${id}-1`, at: '2026-11-21T10:05:00.000Z', status: 'investigating', body: 'Looking' }],
    url: null,
    ...overrides,
  };
}

const status: VendorStatus = {
  vendor: 'acme',
  indicator: 'minor',
  components: [{ name: 'API', group: null, status: 'degraded_performance' }],
  fetchedAt: now.toISOString(),
  health: 'ok',
};

describe('polls that show incidents unchanged', () => {
  let t: TestRedis;
  let store: VendorStore;
  let minute = 0;
  const apply = async (vendor: string, incidents: VendorIncident[], s = store) => {
    minute += 1;
    const changes = await s.applyPoll(
      vendor,
      { status, incidents, openSetComplete: true },
      { now: new Date(now.getTime() + minute * 60_000), latencyMs: 5 },
    );
    return changes.map((c) => `${c.id} ${c.change}`);
  };
  beforeAll(async () => {
    t = await createTestRedis('unchanged');
    store = createVendorStore(t.redis, t.keys);
  });
  afterAll(() => t.cleanup());

  test('an incident shown again as it was is no change, and one edited among unchanged ones is', async () => {
    const page = [incident('a'), incident('b'), incident('c')];
    expect(await apply('v1', page)).toEqual(['a new', 'b new', 'c new']);
    expect(await t.redis.hlen(t.keys.vendorDigests('v1'))).toBe(3);
    expect(await apply('v1', page)).toEqual([]);
    const edited = incident('b', {
      updatedAt: '2026-11-21T10:20:00.000Z',
      updates: [
        ...incident('b').updates,
        { id: 'b-2', at: '2026-11-21T10:20:00.000Z', status: 'identified', body: 'Found it' },
      ],
    });
    expect(await apply('v1', [page[0]!, edited, page[2]!])).toEqual(['b updated']);
    expect((await store.getIncident('v1', 'b'))?.updates.map((u) => u.body)).toEqual(['Looking', 'Found it']);
    // The page shows b as before the edit: a change to judge (its time moved back), whose merge keeps
    // every update ever seen.
    expect(await apply('v1', page)).toEqual(['b updated']);
    expect((await store.getIncident('v1', 'b'))?.updates).toHaveLength(2);
  });

  test('a row removed from Redis is stored again when the page still shows it unchanged', async () => {
    expect(await apply('v2', [incident('a')])).toEqual(['a new']);
    await t.redis.hdel(t.keys.vendorIncidents('v2'), 'a');
    expect(await apply('v2', [incident('a')])).toEqual(['a new']);
    expect((await store.getIncident('v2', 'a'))?.title).toBe('Incident a');
  });

  test('an incident closed by absence reopens when the page lists it again exactly as before', async () => {
    expect(await apply('v3', [incident('a')])).toEqual(['a new']);
    expect(await apply('v3', [])).toEqual(['a resolved']);
    expect((await store.getIncident('v3', 'a'))?.resolvedBy).toBe('absence');
    expect(await apply('v3', [incident('a')])).toEqual(['a reopened']);
    expect((await store.getIncident('v3', 'a'))?.resolvedAt).toBeNull();
  });

  test('with confirmation, a flip back to what was last merged is still judged against the stored row', async () => {
    const confirming = createVendorStore(t.redis, t.keys, { confirmPolls: 2 });
    const resolved = incident('a', { status: 'resolved', resolvedAt: '2026-11-21T11:00:00.000Z' });
    expect(await apply('v4', [incident('a')], confirming)).toEqual(['a new']);
    expect(await apply('v4', [resolved], confirming)).toEqual([]);
    expect(await apply('v4', [resolved], confirming)).toEqual(['a resolved']);
    // The page shows the open incident first merged: the stored row is resolved, so this is a reopening.
    expect(await apply('v4', [incident('a')], confirming)).toEqual([]);
    expect(await apply('v4', [incident('a')], confirming)).toEqual(['a reopened']);
    expect(await t.redis.hlen(t.keys.vendorPending('v4'))).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { confirmChange } from '../src/core/confirm-change.js';
import type { VendorIncident, VendorStatus } from '../src/core/model.js';
import { createVendorStore, type VendorStore } from '../src/store/vendors.js';
import { createTestRedis, type TestRedis } from './support/redis.js';

const t0 = Date.parse('2026-11-21T10:00:00Z');
const minute = (n: number) => new Date(t0 + n * 60_000);

function incident(id: string, resolvedAt: string | null): VendorIncident {
  return {
    vendor: 'acme',
    id,
    title: 'Elevated API errors',
    impact: 'major',
    status: resolvedAt ? 'resolved' : 'investigating',
    kind: 'incident',
    startedAt: minute(0).toISOString(),
    postedAt: minute(0).toISOString(),
    updatedAt: minute(0).toISOString(),
    resolvedAt,
    components: ['API'],
    regions: [],
    updates: [],
    url: null,
  };
}
const status: VendorStatus = {
  vendor: 'acme',
  indicator: 'major',
  components: [],
  fetchedAt: minute(0).toISOString(),
  health: 'ok',
};

describe('confirmChange()', () => {
  test('a first sighting and an update take effect at once', () => {
    expect(confirmChange('new', undefined, 2)).toEqual({ apply: true, pending: null });
    expect(confirmChange('updated', undefined, 2)).toEqual({ apply: true, pending: null });
  });

  test('a resolution waits for the second poll in a row that shows it', () => {
    const first = confirmChange('resolved', undefined, 2);
    expect(first).toEqual({ apply: false, pending: { target: 'resolved', polls: 1 } });
    expect(confirmChange('resolved', first.pending!, 2)).toEqual({ apply: true, pending: null });
    // A reopening does not count towards a resolution.
    expect(confirmChange('reopened', first.pending!, 2)).toEqual({
      apply: false,
      pending: { target: 'open', polls: 1 },
    });
  });

  test('with one poll every change takes effect at once', () => {
    expect(confirmChange('resolved', undefined, 1)).toEqual({ apply: true, pending: null });
    expect(confirmChange('reopened', undefined, 1)).toEqual({ apply: true, pending: null });
  });
});

describe('the vendor store confirms resolutions and reopenings over polls in a row (real Redis)', () => {
  let t: TestRedis;
  let store: VendorStore;
  let poll = 0;

  beforeAll(async () => {
    t = await createTestRedis('confirm-change');
    store = createVendorStore(t.redis, t.keys, { confirmPolls: 2 });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const apply = async (vendor: string, incidents: VendorIncident[]) => {
    poll += 1;
    const changes = await store.applyPoll(
      vendor,
      { status, incidents, openSetComplete: true },
      { now: minute(poll), latencyMs: 5 },
    );
    return changes.map((c) => `${c.id} ${c.change}`);
  };

  test('a page flipping between two payloads every poll yields its incident once and no flaps', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      // Odd polls list the incident open, even polls leave it out of the complete open list.
      seen.push(...(await apply('flip', i % 2 === 0 ? [incident('x1', null)] : [])));
    }
    expect(seen).toEqual(['x1 new']);
    expect((await store.getIncident('flip', 'x1'))?.resolvedAt).toBeNull();
    const stream = await t.redis.xrange(t.keys.vendorChanges, '-', '+');
    expect(stream.filter(([, fields]) => fields.includes('flip'))).toHaveLength(1);
  });

  test('a resolution the page keeps showing is stored on the second poll, and a reopening likewise', async () => {
    expect(await apply('steady', [incident('s1', null)])).toEqual(['s1 new']);
    const resolvedAt = minute(poll + 1).toISOString();
    expect(await apply('steady', [incident('s1', resolvedAt)])).toEqual([]);
    expect((await store.getIncident('steady', 's1'))?.resolvedAt).toBeNull();
    expect(await apply('steady', [incident('s1', resolvedAt)])).toEqual(['s1 resolved']);
    expect((await store.getIncident('steady', 's1'))?.resolvedAt).toBe(resolvedAt);
    expect(await apply('steady', [incident('s1', null)])).toEqual([]);
    expect(await apply('steady', [incident('s1', null)])).toEqual(['s1 reopened']);
    expect(await t.redis.hlen(t.keys.vendorPending('steady'))).toBe(0);
  });

  test('an incident gone from the complete open list is closed by absence once two polls agree', async () => {
    expect(await apply('gone', [incident('g1', null)])).toEqual(['g1 new']);
    expect(await apply('gone', [])).toEqual([]);
    expect(await apply('gone', [])).toEqual(['g1 resolved']);
    expect(await store.getIncident('gone', 'g1')).toMatchObject({ resolvedBy: 'absence' });
  });

  test('a first sighting, already resolved or not, is stored at once', async () => {
    expect(await apply('fresh', [incident('f1', minute(0).toISOString()), incident('f2', null)])).toEqual([
      'f1 new',
      'f2 new',
    ]);
  });
});

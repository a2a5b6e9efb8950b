import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../src/config.js';
import { confirmChange } from '../src/core/confirm-change.js';
import type { VendorIncident, VendorStatus } from '../src/core/model.js';
import { createVendorStore, type VendorStore } from '../src/store/vendors.js';
import { startPollWorker } from './support/poll-worker.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { startVendorServer } from './support/vendor-server.js';

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

describe('a status page flipping between two payloads, polled by the real poll worker (BullMQ, real Redis)', () => {
  const open = {
    id: 'flap0000abcd',
    name: 'Elevated API errors',
    status: 'investigating',
    impact: 'major',
    created_at: '2026-11-21T10:00:00.000Z',
    updated_at: '2026-11-21T10:05:00.000Z',
    incident_updates: [
      { id: 'u1', status: 'investigating', body: 'Looking into it', created_at: '2026-11-21T10:05:00.000Z' },
    ],
    components: [],
  };
  const summary = (incidents: unknown[]) =>
    JSON.stringify({
      page: {
        id: 'abcdefghijkl',
        name: 'Acme',
        url: 'https://status.acme.test',
        updated_at: '2026-11-21T10:05:00Z',
      },
      status: { indicator: incidents.length ? 'major' : 'none', description: 'x' },
      components: [],
      incidents,
      scheduled_maintenances: [],
    });

  test('yields its incident once and no resolved/reopened changes, then a steady resolution after two polls', async () => {
    let listed: unknown[] = [open];
    const server = await startVendorServer((req, res) => {
      if (req.url === '/api/v2/summary.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(summary(listed));
      if (req.url === '/api/v2/incidents.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"incidents":[]}');
      return res.writeHead(404).end();
    });
    const t = await createTestRedis('confirm-e2e');
    const config = parseConfig(
      {
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: [{ id: 'acme', name: 'Acme', provider: 'statuspage', url: server.baseUrl }],
        poll: { allowPrivateNetworks: true },
      },
      {},
      'test',
    );
    expect(config.poll.confirmPolls).toBe(2);
    const worker = await startPollWorker(t, config);
    const changes = async () =>
      (await t.redis.xrange(t.keys.vendorChanges, '-', '+')).map(
        ([, fields]) => fields[fields.indexOf('change') + 1],
      );
    try {
      for (let i = 0; i < 7; i += 1) {
        listed = i % 2 === 0 ? [open] : [];
        expect((await worker.poll('acme')).ok).toBe(true);
      }
      expect(await changes()).toEqual(['new']);
      expect((await worker.store.view('acme')).openIncidents).toHaveLength(1);
      listed = [];
      await worker.poll('acme');
      expect(await changes()).toEqual(['new']);
      await worker.poll('acme');
      expect(await changes()).toEqual(['new', 'resolved']);
      expect((await worker.store.view('acme')).openIncidents).toHaveLength(0);
    } finally {
      await worker.close();
      await server.close();
      await t.cleanup();
    }
  });
});

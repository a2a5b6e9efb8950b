import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { InternalIncident } from '../src/core/contracts.js';
import { createLogger } from '../src/logger.js';
import { createIncidentStore, RELEVANT_AFTER_RESOLVED_MS } from '../src/store/incidents.js';
import { startAnnotator } from '../workers/annotator-worker.js';
import { at, backstageOn100ms, goLiveIncident, T0 } from './support/go-live.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

const config = {
  services: [backstageOn100ms],
  vendors: [{ id: '100ms', name: '100ms' }],
};

/** Writes incidents as an install older than the index did: the JSON and the start-time set only. */
async function writeLegacy(t: TestRedis, incidents: InternalIncident[]): Promise<void> {
  for (let i = 0; i < incidents.length; i += 1000) {
    const pipeline = t.redis.pipeline();
    for (const incident of incidents.slice(i, i + 1000)) {
      pipeline.set(t.keys.incident(incident.id), JSON.stringify(incident));
      pipeline.zadd(t.keys.incidentsByStart, Date.parse(incident.startedAt), incident.id);
    }
    await pipeline.exec();
  }
}

describe('the index of open and recently resolved incidents', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await createTestRedis('inc-active');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  test('the incident writer scores open incidents +inf and resolved ones a day past their resolution', async () => {
    const store = createIncidentStore(t.redis, t.keys);
    await store.upsert(goLiveIncident());
    expect(await t.redis.zscore(t.keys.incidentsActive, 'INC-4211')).toBe('inf');
    const resolvedAt = at(T0, 40).toISOString();
    await store.patch('INC-4211', { resolvedAt });
    expect(Number(await t.redis.zscore(t.keys.incidentsActive, 'INC-4211'))).toBe(
      Date.parse(resolvedAt) + RELEVANT_AFTER_RESOLVED_MS,
    );
    await store.patch('INC-4211', { resolvedAt: null });
    expect(await t.redis.zscore(t.keys.incidentsActive, 'INC-4211')).toBe('inf');
  });

  test('listActive returns open and recently resolved incidents and drops entries past their time', async () => {
    const store = createIncidentStore(t.redis, t.keys);
    await store.upsert(goLiveIncident({ id: 'open' }));
    await store.upsert(goLiveIncident({ id: 'recent', resolvedAt: at(T0, 60).toISOString() }));
    await store.upsert(goLiveIncident({ id: 'old', resolvedAt: at(T0, -3000).toISOString() }));
    const now = at(T0, 120).getTime();
    expect((await store.listActive(now)).map((i) => i.id).sort()).toEqual(['open', 'recent']);
    expect(await t.redis.zscore(t.keys.incidentsActive, 'old')).toBeNull();
    // A day and more later only the open one is left.
    const later = at(T0, 60 + 24 * 60 + 1).getTime();
    expect((await store.listActive(later)).map((i) => i.id)).toEqual(['open']);
    expect(await t.redis.zcard(t.keys.incidentsActive)).toBe(1);
  });

  test('an install whose incidents predate the index gets it built once, on first read', async () => {
    const now = at(T0, 120).getTime();
    await writeLegacy(t, [
      goLiveIncident({ id: 'open' }),
      goLiveIncident({ id: 'recent', resolvedAt: at(T0, 60).toISOString() }),
      goLiveIncident({ id: 'old', resolvedAt: at(T0, -3000).toISOString() }),
    ]);
    expect(await t.redis.exists(t.keys.incidentsActive)).toBe(0);
    const store = createIncidentStore(t.redis, t.keys, { now: () => now });
    expect((await store.listActive()).map((i) => i.id).sort()).toEqual(['open', 'recent']);
    expect(await t.redis.exists(t.keys.incidentsActiveBuilt)).toBe(1);
    // Open-only listings (API, console) read the index too.
    expect((await store.list({ openOnly: true })).map((i) => i.id)).toEqual(['open']);
    expect((await t.redis.zrange(t.keys.incidentsActive, '0', '-1')).sort()).toEqual(['open', 'recent']);
    // Built once: an incident written the old way afterwards is not picked up by another build.
    await writeLegacy(t, [goLiveIncident({ id: 'late-legacy' })]);
    expect((await store.listActive()).map((i) => i.id).sort()).toEqual(['open', 'recent']);
  });
});

describe('the annotator tick reads the index, not history', () => {
  let t: TestRedis;
  let connection: Redis;
  let annotator: Awaited<ReturnType<typeof startAnnotator>> | null = null;
  beforeEach(async () => {
    t = await createTestRedis('inc-active-tick');
    connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    await annotator?.close();
    annotator = null;
    await connection.quit();
    await t.cleanup();
  });

  test('with 10k old closed incidents stored, the tick reads and enqueues only the 3 open ones', async () => {
    const now = at(T0, 5).getTime();
    const closed = Array.from({ length: 10_000 }, (_, i) =>
      goLiveIncident({
        id: `old-${i}`,
        startedAt: at(T0, -100_000 - i).toISOString(),
        resolvedAt: at(T0, -99_000 - i).toISOString(),
      }),
    );
    // Stored as before the index existed, so the first read also exercises the one-time build.
    await writeLegacy(t, [...closed, ...['a', 'b', 'c'].map((id) => goLiveIncident({ id }))]);
    annotator = await startAnnotator({
      redis: t.redis,
      keys: t.keys,
      config,
      logger: createLogger('silent'),
      now: () => now,
      connection,
      prefix: t.keys.bull,
    });
    const ticks = [];
    for (let i = 0; i < 2; i++) {
      const job = await annotator.queue.add('tick', {});
      const done = await waitUntil('the tick to finish', async () => {
        const state = await annotator!.queue.getJob(job.id!);
        return state?.finishedOn ? state : null;
      });
      ticks.push(done!.returnvalue as { read: number; enqueued: number });
    }
    expect(ticks).toEqual([
      { read: 3, enqueued: 3 },
      { read: 3, enqueued: 3 },
    ]);
    expect(await t.redis.zcard(t.keys.incidentsActive)).toBe(3);
    expect(await t.redis.zcard(t.keys.incidentsByStart)).toBe(10_003);
  });
});

import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { InternalIncident } from '../../src/core/contracts.js';
import { createLogger } from '../../src/logger.js';
import { createIncidentStore } from '../../src/store/incidents.js';
import { jobCatalog } from '../../workers/jobs.js';
import { createTestRedis, redisUrl, type TestRedis } from '../support/redis.js';
import { waitUntil } from '../support/wait.js';

// The whole app as deployed: a scheduler role puts the trim schedule in place, two worker roles (two
// apps, as two processes would) run it on their own clocks, and history past a 10-minute retention
// goes while open and recent incidents stay. Waits for real job schedules, hence a fault test.

const MIN = 60_000;

function incident(id: string, startedAgoMs: number, resolvedAgoMs: number | null): InternalIncident {
  const now = Date.now();
  return {
    id,
    service: 'backstage',
    title: id,
    startedAt: new Date(now - startedAgoMs).toISOString(),
    resolvedAt: resolvedAgoMs === null ? null : new Date(now - resolvedAgoMs).toISOString(),
    regions: [],
    customers: [],
  };
}

describe('retention in a running install (real BullMQ schedules, two worker roles)', () => {
  let t: TestRedis;
  const apps: RunningApp[] = [];
  beforeEach(async () => {
    t = await createTestRedis('retention-live');
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await t.cleanup();
  });

  test('the scheduled trim job drains 3000 old incidents across runs and leaves open and recent ones', async () => {
    const config = parseConfig(
      {
        vendors: [],
        redis: { url: redisUrl, prefix: t.prefix },
        retention: { incidents: '10m', annotations: '10m', streams: '10m', trimEvery: '10s', batchSize: 100 },
        log: { level: 'silent' },
      },
      {},
      'test',
    );
    const store = createIncidentStore(t.redis, t.keys);
    for (let i = 0; i < 3000; i++) await store.upsert(incident(`old-${i}`, 30 * MIN, 20 * MIN));
    await store.upsert(incident('open', 60 * MIN, null));
    await store.upsert(incident('recent', 30 * MIN, 5 * MIN));
    const logger = createLogger('silent');
    apps.push(await startApp(config, new Set(['scheduler']), logger));
    apps.push(await startApp(config, new Set(['worker']), logger));
    apps.push(await startApp(config, new Set(['worker']), logger));

    // 100 keys × 20 batches a run: 3000 take at least two runs of the 10 s schedule.
    await waitUntil('old incidents to be trimmed', () => t.redis.zcard(t.keys.incidentsByStart), {
      until: (n) => n === 2,
      timeoutMs: 120_000,
      intervalMs: 200,
    });
    expect((await t.redis.zrange(t.keys.incidentsByStart, '0', '-1')).sort()).toEqual(['open', 'recent']);
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(jobCatalog.trim.queue, { connection, prefix: t.keys.bull });
    try {
      const completed = await queue.getJobs(['completed']);
      expect(completed.length).toBeGreaterThanOrEqual(2);
      expect(await queue.getJobCountByTypes('failed')).toBe(0);
      const trimmed = completed.reduce(
        (sum, job) => sum + ((job.returnvalue as { incidents?: number } | null)?.incidents ?? 0),
        0,
      );
      expect(trimmed).toBe(3000);
    } finally {
      await queue.close();
      await connection.quit();
    }
  });
});

import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseConfig } from '../src/config.js';
import type { InternalIncident } from '../src/core/contracts.js';
import type { VendorIncident } from '../src/core/model.js';
import { createLogger } from '../src/logger.js';
import { createAnnotationStore } from '../src/store/annotations.js';
import { createChangeStore } from '../src/store/changes.js';
import { createIncidentStore } from '../src/store/incidents.js';
import { createSuspectStore } from '../src/store/suspects.js';
import type { Suspect } from '../src/core/detect/suspect.js';
import { createTrimmer, type RetentionPolicy } from '../src/store/retention.js';
import { createVendorStore } from '../src/store/vendors.js';
import { jobCatalog } from '../workers/jobs.js';
import { syncMinuteSchedules } from '../workers/scheduler.js';
import { createIngestWorker } from '../workers/ingest-worker.js';
import { createTrimWorker } from '../workers/trim-worker.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const daysAgo = (days: number) => iso(NOW - days * DAY);

const policy: RetentionPolicy = {
  incidentsMs: 90 * DAY,
  annotationsMs: 90 * DAY,
  changesMs: 90 * DAY,
  suspectsMs: 90 * DAY,
  vendorIncidentsMs: 180 * DAY,
  streamsMs: 7 * DAY,
  digestRunsMs: 365 * DAY,
  alertsMs: 30 * DAY,
  batchSize: 100,
};

function incident(id: string, startedDaysAgo: number, resolvedDaysAgo: number | null): InternalIncident {
  return {
    id,
    service: 'backstage',
    title: `incident ${id}`,
    startedAt: daysAgo(startedDaysAgo),
    resolvedAt: resolvedDaysAgo === null ? null : daysAgo(resolvedDaysAgo),
    regions: [],
    customers: [],
  };
}

function vendorIncident(id: string, resolvedDaysAgo: number | null): VendorIncident {
  const startedAt = daysAgo((resolvedDaysAgo ?? 0) + 1);
  return {
    vendor: '100ms',
    id,
    title: `vendor incident ${id}`,
    impact: 'major',
    status: resolvedDaysAgo === null ? 'investigating' : 'resolved',
    kind: 'incident',
    startedAt,
    postedAt: startedAt,
    updatedAt: startedAt,
    resolvedAt: resolvedDaysAgo === null ? null : daysAgo(resolvedDaysAgo),
    components: [],
    regions: [],
    updates: [],
    url: null,
  };
}

describe('the retention trimmer on real Redis', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await createTestRedis('retention');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const trimmer = (over: Partial<RetentionPolicy> = {}, maxBatches?: number) =>
    createTrimmer(t.redis, t.keys, {
      policy: { ...policy, ...over },
      vendors: ['100ms'],
      ...(maxBatches !== undefined ? { maxBatches } : {}),
    });

  test('resolved incidents past retention go with their annotations; open, recent and undelivered ones stay', async () => {
    const incidents = createIncidentStore(t.redis, t.keys);
    const annotations = createAnnotationStore(t.redis, t.keys);
    for (const i of [1, 2, 3]) await incidents.upsert(incident(`old-${i}`, 101, 100));
    await incidents.upsert(incident('open-since-long', 200, null));
    await incidents.upsert(incident('recent', 20, 10));
    await incidents.upsert(incident('old-delivered', 101, 100));
    await incidents.upsert(incident('old-undelivered', 101, 100));
    const at = new Date(NOW - 100 * DAY);
    for (const id of ['old-delivered', 'old-undelivered', 'open-since-long']) {
      await annotations.record({ id, verdict: 'internal', candidates: [] }, at);
    }
    await annotations.markDelivered('old-delivered', 1);
    await annotations.markDelivered('open-since-long', 1);

    const report = await trimmer().run(NOW);
    expect(report).toMatchObject({ incidents: 4, undelivered: 1, complete: true });
    expect((await t.redis.zrange(t.keys.incidentsByStart, '0', '-1')).sort()).toEqual([
      'old-undelivered',
      'open-since-long',
      'recent',
    ]);
    for (const id of ['old-1', 'old-delivered']) {
      expect(await t.redis.exists(t.keys.incident(id), t.keys.annotation(id))).toBe(0);
    }
    expect(await incidents.get('old-undelivered')).not.toBeNull();
    expect((await t.redis.zrange(t.keys.annotations, '0', '-1')).sort()).toEqual([
      'old-undelivered',
      'open-since-long',
    ]);
    // Idempotent: a second run finds nothing more.
    expect(await trimmer().run(NOW)).toMatchObject({ incidents: 0, undelivered: 1 });
  });

  test('annotations past their retention go once their incident is resolved before it; an open one keeps its annotation', async () => {
    const incidents = createIncidentStore(t.redis, t.keys);
    const annotations = createAnnotationStore(t.redis, t.keys);
    await incidents.upsert(incident('closed', 60, 50));
    await incidents.upsert(incident('open', 60, null));
    for (const id of ['closed', 'open', 'gone']) {
      await annotations.record({ id, verdict: 'internal', candidates: [] }, new Date(NOW - 55 * DAY));
      await annotations.markDelivered(id, 1);
    }
    const report = await trimmer({ annotationsMs: 30 * DAY }).run(NOW);
    expect(report).toMatchObject({ annotations: 2, incidents: 0 });
    expect(await t.redis.zrange(t.keys.annotations, '0', '-1')).toEqual(['open']);
    expect(await annotations.latest('open')).not.toBeNull();
    expect(await incidents.get('closed')).not.toBeNull();
  });

  test('changes past retention go with their dedupe entries; recent ones stay', async () => {
    const changes = createChangeStore(t.redis, t.keys);
    await changes.add([
      { at: daysAgo(120), service: 'backstage', kind: 'deploy', ref: 'v1' },
      { at: daysAgo(95), service: 'backstage', kind: 'deploy', id: 'd-2' },
      { at: daysAgo(5), service: 'backstage', kind: 'deploy', ref: 'v3' },
    ]);
    expect(await trimmer().run(NOW)).toMatchObject({ changes: 2 });
    expect((await changes.list()).map((c) => c.ref)).toEqual(['v3']);
    expect(await t.redis.hlen(t.keys.changeIds)).toBe(1);
  });

  test('vendor incidents resolved past retention go unless open, awaiting confirmation or named by an open incident', async () => {
    const vendors = createVendorStore(t.redis, t.keys);
    await vendors.applyPoll(
      '100ms',
      {
        status: null,
        incidents: [
          vendorIncident('old', 200),
          vendorIncident('old-pending', 200),
          vendorIncident('old-named', 200),
          vendorIncident('recent', 30),
          vendorIncident('open', null),
        ],
      },
      { now: new Date(NOW - 1000), latencyMs: 1 },
    );
    await t.redis.hset(t.keys.vendorPending('100ms'), 'old-pending', '{"target":"open","polls":1}');
    // An open incident of ours whose latest annotation names old-named.
    await createIncidentStore(t.redis, t.keys).upsert(incident('ours', 1, null));
    await createAnnotationStore(t.redis, t.keys).record(
      {
        id: 'ours',
        verdict: 'upstream',
        candidates: [{ vendor: '100ms', vendorIncidentId: 'old-named', confidence: 0.9, evidence: [] }],
      },
      new Date(NOW - 60_000),
    );
    const report = await trimmer().run(NOW);
    expect(report).toMatchObject({ vendorIncidents: 1, referenced: 1 });
    expect((await t.redis.hkeys(t.keys.vendorIncidents('100ms'))).sort()).toEqual([
      'old-named',
      'old-pending',
      'open',
      'recent',
    ]);

    // The digest of what was merged into a trimmed row goes with it.
    expect(await t.redis.hexists(t.keys.vendorDigests('100ms'), 'old')).toBe(0);
    expect(await t.redis.hexists(t.keys.vendorDigests('100ms'), 'recent')).toBe(1);

    // The page still lists the trimmed incident: a store that knows the retention does not take it back.
    const before = await t.redis.xlen(t.keys.vendorChanges);
    const withRetention = createVendorStore(t.redis, t.keys, { retentionMs: policy.vendorIncidentsMs });
    const changes = await withRetention.applyPoll(
      '100ms',
      { status: null, incidents: [vendorIncident('old', 200), vendorIncident('new', 1)] },
      { now: new Date(NOW), latencyMs: 1 },
    );
    expect(changes.map((c) => c.id)).toEqual(['new']);
    expect(await t.redis.hexists(t.keys.vendorIncidents('100ms'), 'old')).toBe(0);
    expect(await t.redis.xlen(t.keys.vendorChanges)).toBe(before + 1);
  });

  test('a closed suspect an open incident names outlives its own expiry', async () => {
    await t.redis.set(t.keys.suspected('s-1'), '{}', 'PX', 60_000);
    await t.redis.set(t.keys.suspected('s-2'), '{}', 'PX', 60_000);
    await createIncidentStore(t.redis, t.keys).upsert(incident('ours', 1, null));
    await createAnnotationStore(t.redis, t.keys).record(
      {
        id: 'ours',
        verdict: 'upstream',
        candidates: [{ vendor: '100ms', suspectedIssueId: 's-1', confidence: 0.7, evidence: [] }],
      },
      new Date(NOW),
    );
    expect(await trimmer().run(NOW)).toMatchObject({ suspectsKept: 1 });
    expect(await t.redis.pttl(t.keys.suspected('s-1'))).toBeGreaterThan(60_000);
    expect(await t.redis.pttl(t.keys.suspected('s-2'))).toBeLessThanOrEqual(60_000);
  });

  test('a suspect open longer than the retention stays listed; closed ones that old leave the list', async () => {
    const store = createSuspectStore(t.redis, t.keys, { retentionMs: 90 * DAY });
    // Only the fields the store's bookkeeping reads.
    const suspect = (id: string, sinceDays: number) => ({ id, since: daysAgo(sinceDays) }) as Suspect;
    await store.save(
      { opened: [suspect('open-old', 100)], updated: [], closed: [] },
      new Date(NOW - 99 * DAY),
    );
    await store.save(
      { opened: [suspect('closed-old', 100)], updated: [], closed: [] },
      new Date(NOW - 99 * DAY),
    );
    await store.save(
      { opened: [], updated: [], closed: [suspect('closed-old', 100)] },
      new Date(NOW - 95 * DAY),
    );
    await store.save({ opened: [suspect('new', 1)], updated: [], closed: [] }, new Date(NOW));
    expect((await t.redis.zrange(t.keys.suspectedAll, '0', '-1')).sort()).toEqual(['new', 'open-old']);
    expect((await t.redis.smembers(t.keys.suspectedOpen)).sort()).toEqual(['new', 'open-old']);
  });

  test('digest run records past retention go', async () => {
    await t.redis.set(t.keys.digestRun('2025-01-01'), '{}');
    await t.redis.zadd(t.keys.digestRuns, NOW - 400 * DAY, '2025-01-01');
    await t.redis.set(t.keys.digestRun('2026-05-31'), '{}');
    await t.redis.zadd(t.keys.digestRuns, NOW - DAY, '2026-05-31');
    expect(await trimmer().run(NOW)).toMatchObject({ digestRuns: 1 });
    expect(await t.redis.zrange(t.keys.digestRuns, '0', '-1')).toEqual(['2026-05-31']);
    expect(await t.redis.exists(t.keys.digestRun('2025-01-01'))).toBe(0);
  });

  test('alerts raised before the retention leave the alert log, a batch at a time', async () => {
    const pipeline = t.redis.pipeline();
    for (let i = 0; i < 250; i++) pipeline.zadd(t.keys.alertLog, NOW - 40 * DAY + i, `{"old":${i}}`);
    for (let i = 0; i < 5; i++) pipeline.zadd(t.keys.alertLog, NOW - DAY + i, `{"new":${i}}`);
    await pipeline.exec();
    expect(await trimmer({ batchSize: 100 }).run(NOW)).toMatchObject({ alerts: 250 });
    expect(await t.redis.zrange(t.keys.alertLog, '0', '-1')).toEqual(
      Array.from({ length: 5 }, (_, i) => `{"new":${i}}`),
    );
  });

  /** `n` entries at `ms`, in pipelined XADDs with explicit ids. */
  async function addEntries(stream: string, ms: number, n: number, from = 0) {
    const pipeline = t.redis.pipeline();
    for (let i = from; i < from + n; i++) pipeline.xadd(stream, `${ms}-${i}`, 'n', String(i));
    await pipeline.exec();
  }

  test('change streams lose entries older than retention, and only those', async () => {
    const old = NOW - 8 * DAY;
    await addEntries(t.keys.incidentChanges, old, 1234);
    await addEntries(t.keys.incidentChanges, NOW - DAY, 7);
    const report = await trimmer().run(NOW);
    expect(report.streamEntries[t.keys.incidentChanges]).toBe(1234);
    const left = await t.redis.xrange(t.keys.incidentChanges, '-', '+');
    expect(left.map(([id]) => id)).toEqual(Array.from({ length: 7 }, (_, i) => `${NOW - DAY}-${i}`));
  });

  test('the error stream loses only old entries every group has acknowledged', async () => {
    const old = NOW - 8 * DAY;
    await addEntries(t.keys.errors, old, 1000);
    // No consumer group yet: nobody has read it, so nothing goes.
    expect((await trimmer().run(NOW)).streamEntries[t.keys.errors]).toBeUndefined();
    await t.redis.xgroup('CREATE', t.keys.errors, 'ingest', '0');
    const read = (await t.redis.xreadgroup(
      'GROUP',
      'ingest',
      'c1',
      'COUNT',
      600,
      'STREAMS',
      t.keys.errors,
      '>',
    )) as [string, [string, string[]][]][];
    const ids = read[0]![1].map(([id]) => id);
    await t.redis.xack(t.keys.errors, 'ingest', ...ids.slice(0, 500));
    // 500 acknowledged, 100 pending, 400 never delivered.
    expect((await trimmer().run(NOW)).streamEntries[t.keys.errors]).toBe(500);
    expect((await t.redis.xrange(t.keys.errors, '-', '+', 'COUNT', 1))[0]![0]).toBe(`${old}-500`);
    expect(await t.redis.xlen(t.keys.errors)).toBe(500);

    // A second group that has read nothing holds everything back.
    await t.redis.xgroup('CREATE', t.keys.errors, 'other', '0');
    await t.redis.xack(t.keys.errors, 'ingest', ...ids.slice(500));
    expect((await trimmer().run(NOW)).streamEntries[t.keys.errors]).toBeUndefined();
    expect(await t.redis.xlen(t.keys.errors)).toBe(500);
  });

  test('a backlog larger than one run drains over several runs, a batch at a time', async () => {
    const changes = createChangeStore(t.redis, t.keys);
    await changes.add(
      Array.from({ length: 2345 }, (_, i) => ({
        at: iso(NOW - 100 * DAY - i * 60_000),
        service: 'backstage',
        kind: 'deploy' as const,
        id: `c-${i}`,
      })),
    );
    await changes.add([{ at: daysAgo(1), service: 'backstage', kind: 'deploy', id: 'keep' }]);
    const runs = [];
    for (let i = 0; i < 10; i++) {
      const report = await trimmer({ batchSize: 100 }, 5).run(NOW);
      runs.push([report.changes, report.complete]);
      if (report.complete) break;
    }
    expect(runs).toEqual([
      [500, false],
      [500, false],
      [500, false],
      [500, false],
      [345, true],
    ]);
    expect(await t.redis.zcard(t.keys.changes)).toBe(1);
    expect(await t.redis.hkeys(t.keys.changeIds)).toEqual(['id:keep']);
  });

  test('two trimmers at once delete every old item exactly once and fail nowhere', async () => {
    const incidents = createIncidentStore(t.redis, t.keys);
    for (let i = 0; i < 1500; i++) await incidents.upsert(incident(`old-${i}`, 101, 100));
    await incidents.upsert(incident('open', 200, null));
    const changes = createChangeStore(t.redis, t.keys);
    await changes.add(
      Array.from({ length: 1500 }, (_, i) => ({
        at: iso(NOW - 100 * DAY - i * 1000),
        service: 'backstage',
        kind: 'deploy' as const,
        id: `c-${i}`,
      })),
    );
    await addEntries(t.keys.vendorChanges, NOW - 8 * DAY, 3000);
    const [a, b] = await Promise.all([trimmer().run(NOW), trimmer().run(NOW)]);
    expect(a.incidents + b.incidents).toBe(1500);
    expect(a.changes + b.changes).toBe(1500);
    expect((a.streamEntries[t.keys.vendorChanges] ?? 0) + (b.streamEntries[t.keys.vendorChanges] ?? 0)).toBe(
      3000,
    );
    expect(await t.redis.zrange(t.keys.incidentsByStart, '0', '-1')).toEqual(['open']);
    expect(await t.redis.zcard(t.keys.changes)).toBe(0);
    expect(await t.redis.xlen(t.keys.vendorChanges)).toBe(0);
  });
});

describe('the error stream with the real ingest worker', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await createTestRedis('retention-ingest');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  test('what the ingest worker consumed goes; what arrived while it was stopped stays', async () => {
    const old = Date.now() - 8 * DAY;
    const event = ['at', new Date().toISOString(), 'service', 'backstage'];
    const add = async (ms: number, n: number) => {
      const pipeline = t.redis.pipeline();
      for (let i = 0; i < n; i++) pipeline.xadd(t.keys.errors, `${ms}-${i}`, ...event);
      await pipeline.exec();
    };
    await add(old, 600);
    const connection = t.redis.duplicate();
    const worker = createIngestWorker({
      redis: connection,
      keys: t.keys,
      config: parseConfig({ vendors: [] }, {}, 'test'),
      logger: createLogger('silent'),
    });
    const running = worker.run();
    try {
      await waitUntil('the ingest worker to acknowledge all 600 entries', async () => {
        const groups = (await t.redis.xinfo('GROUPS', t.keys.errors)) as unknown[][];
        const info = groups[0] ?? [];
        const field = (name: string) => info[info.indexOf(name) + 1];
        return field('last-delivered-id') === `${old}-599` && Number(field('pending')) === 0;
      });
    } finally {
      await worker.close();
      await running;
      await connection.quit();
    }
    // Arrived (with old ids) while no worker ran: never read, so never trimmed.
    await add(old + 1, 50);
    const report = await createTrimmer(t.redis, t.keys, { policy, vendors: [] }).run(Date.now());
    expect(report.streamEntries[t.keys.errors]).toBe(600);
    const left = await t.redis.xrange(t.keys.errors, '-', '+');
    expect(left.map(([id]) => id)).toEqual(Array.from({ length: 50 }, (_, i) => `${old + 1}-${i}`));
  });
});

describe('the trim job in the worker role', () => {
  let t: TestRedis;
  let connection: Redis;
  let queue: Queue;
  beforeEach(async () => {
    t = await createTestRedis('retention-job');
    connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    queue = new Queue(jobCatalog.trim.queue, { connection, prefix: t.keys.bull });
  });
  afterEach(async () => {
    await queue.close();
    await connection.quit();
    await t.cleanup();
  });

  test('the scheduler puts the trim schedule in place and the worker trims and reports counts', async () => {
    const config = parseConfig(
      {
        vendors: ['github'],
        retention: { incidents: '10m', streams: '10m', digestRuns: '10m', trimEvery: '1m' },
      },
      {},
      'test',
    );
    const suspectQueue = new Queue(jobCatalog.suspect.queue, { connection, prefix: t.keys.bull });
    const annotateQueue = new Queue(jobCatalog.annotate.queue, { connection, prefix: t.keys.bull });
    await syncMinuteSchedules({
      suspectQueue,
      annotateQueue,
      trim: { queue, everyMs: config.retention.trimEveryMs },
      redis: t.redis,
      keys: t.keys,
    });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([['retention-trim', 60_000]]);
    await Promise.all([suspectQueue.close(), annotateQueue.close()]);
    await queue.removeJobScheduler('retention-trim');

    const now = Date.now();
    const incidents = createIncidentStore(t.redis, t.keys);
    await incidents.upsert({
      ...incident('old', 0, 0),
      startedAt: iso(now - 30 * 60_000),
      resolvedAt: iso(now - 20 * 60_000),
    });
    await incidents.upsert({
      ...incident('fresh', 0, 0),
      startedAt: iso(now - 30 * 60_000),
      resolvedAt: iso(now - 5 * 60_000),
    });
    // Digest runs stay as long as a catch-up may look for them (24 h + the 1-day period), not 10 minutes.
    await t.redis.zadd(t.keys.digestRuns, now - 3 * DAY, 'three-days-ago', now - DAY, 'yesterday');
    const worker = createTrimWorker({
      connection: connection.duplicate(),
      redis: t.redis,
      keys: t.keys,
      config,
      logger: createLogger('silent'),
      prefix: t.keys.bull,
    });
    void worker.run();
    try {
      const job = await queue.add(jobCatalog.trim.name, {});
      const done = await waitUntil('the trim job to finish', async () => {
        const state = await queue.getJob(job.id!);
        return state?.finishedOn ? state : null;
      });
      expect(done!.failedReason).toBeUndefined();
      expect(done!.returnvalue).toMatchObject({ incidents: 1, digestRuns: 1, complete: true });
      expect(await t.redis.zrange(t.keys.digestRuns, '0', '-1')).toEqual(['yesterday']);
      expect(await t.redis.zrange(t.keys.incidentsByStart, '0', '-1')).toEqual(['fresh']);
    } finally {
      await worker.close();
    }
  });

  test('short retentions such as 10m are accepted; under a minute is refused naming the key', () => {
    const config = parseConfig(
      { retention: { vendorIncidents: '10m', changes: 600, alerts: '10m' } },
      {},
      'test',
    );
    expect(config.retention).toMatchObject({
      vendorIncidentsMs: 600_000,
      changesMs: 600_000,
      alertsMs: 600_000,
    });
    expect(config.retention.incidentsMs).toBe(90 * DAY);
    expect(() => parseConfig({ retention: { incidents: '30s' } }, {}, 'test')).toThrow(
      /retention\.incidents: expected at least 60s/,
    );
    expect(() => parseConfig({ retention: { batchSize: 1 } }, {}, 'test')).toThrow(/retention\.batchSize/);
  });
});

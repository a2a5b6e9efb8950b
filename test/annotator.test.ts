import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createAnnotationStore, type AnnotationVersion } from '../src/store/annotations.js';
import { createApi } from '../src/api/server.js';
import { parseConfig } from '../src/config.js';
import { indexVendorIncidents, type InputConfig } from '../src/core/correlate/select-input.js';
import { loadCorrelationInput } from '../src/store/correlation-input.js';
import { vendorIncidentKnownAt } from '../src/core/correlate/known-at.js';
import type { Annotation } from '../src/core/correlate/types.js';
import { createIncidentStore } from '../src/store/incidents.js';
import { minuteOf, seriesField, type Series } from '../src/core/series.js';
import { createLogger } from '../src/logger.js';
import type { VendorIncident } from '../src/core/model.js';
import { withRegions } from '../src/core/regions/incident-regions.js';
import { createVendorStore } from '../src/store/vendors.js';
import {
  annotateDedupId,
  incidentsForVendorChange,
  runAnnotation,
  startAnnotator,
  type AnnotatorDeps,
} from '../workers/annotator-worker.js';
import { at, backstageOn100ms, goLiveIncident, T0 } from './support/go-live.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

const config: InputConfig = {
  services: [
    backstageOn100ms,
    {
      name: 'video-rooms',
      regions: ['eu-west-1'],
      dependsOn: [{ vendor: '100ms', components: ['Video Conferencing'] }],
    },
    { name: 'billing', regions: ['us-east-1'], dependsOn: [{ vendor: 'stripe', components: [] }] },
  ],
  vendors: [
    { id: '100ms', name: '100ms' },
    { id: 'stripe', name: 'Stripe' },
  ],
};

/** A 100ms incident in Europe on the components backstage uses, regions read as the poller does. */
function vendorIncident(over: Partial<VendorIncident> = {}): VendorIncident {
  const postedAt = over.postedAt ?? '2024-04-04T20:36:00.000Z';
  const base: VendorIncident = {
    vendor: '100ms',
    id: 'ww76zjqsj6j9',
    title: 'Recording and RTMP streaming failures in Europe',
    impact: 'major',
    status: 'investigating',
    kind: 'incident',
    startedAt: '2024-04-04T20:15:00.000Z',
    postedAt,
    updatedAt: postedAt,
    resolvedAt: null,
    components: ['Recording', 'RTMP Streaming'],
    regions: [],
    updates: [
      { at: postedAt, status: 'investigating', body: 'We are investigating failures for rooms in Europe.' },
    ],
    url: null,
    ...over,
  };
  return withRegions({ status: null, incidents: [base] }, 'statuspage').incidents[0]!;
}

const series = (code: string, errorClass: Series['errorClass']): Series => ({
  service: 'backstage',
  vendor: '100ms',
  region: 'eu-west-1',
  code,
  errorClass,
});

/**
 * backstage → 100ms in eu-west-1: 1 error every 10 min from 2 h before T0, then 8 RTMP_START_FAILED
 * 502s a minute from 16 min before T0 for `spikeMinutes`, as the ingest worker stores them. One
 * service at 8/min stays under the one-service bar: unclear until 100ms posts.
 */
async function writeErrors(t: TestRedis, spikeMinutes = 140) {
  const start = minuteOf(T0);
  const pipeline = t.redis.pipeline();
  for (let m = start - 120; m < start - 16; m += 10)
    pipeline.hincrby(t.keys.errorBucket(m), seriesField(series('ETIMEDOUT', 'timeout')), 1);
  for (let m = start - 16; m < start - 16 + spikeMinutes; m++)
    pipeline.hincrby(t.keys.errorBucket(m), seriesField(series('RTMP_START_FAILED', 'server')), 8);
  await pipeline.exec();
}

async function postVendorIncident(t: TestRedis, v: VendorIncident, now: Date) {
  await createVendorStore(t.redis, t.keys).applyPoll(
    v.vendor,
    { status: null, incidents: [v] },
    { now, latencyMs: 1 },
  );
}

const summary = (v: AnnotationVersion) => ({
  version: v.version,
  verdict: v.verdict,
  top: v.top,
  annotatedAt: v.annotatedAt,
});

describe('runAnnotation() on real Redis', () => {
  let t: TestRedis;
  let handed: Array<{ annotation: Annotation; version: number }>;
  let deps: AnnotatorDeps;

  beforeEach(async () => {
    t = await createTestRedis('annotator');
    handed = [];
    deps = {
      redis: t.redis,
      keys: t.keys,
      config,
      logger: createLogger('silent'),
      onAnnotationChanged: async (annotation, version) => {
        handed.push({ annotation, version });
      },
    };
    await createIncidentStore(t.redis, t.keys).upsert(goLiveIncident());
    await writeErrors(t);
  });
  afterEach(() => t.cleanup());

  test('versions go unclear → upstream when the vendor posts later, with annotatedAt at that evaluation', async () => {
    const first = await runAnnotation(deps, 'INC-4211', at(T0, 2));
    expect(first).toMatchObject({
      outcome: 'created',
      version: 1,
      verdict: 'unclear',
      top: '100ms',
      delivered: true,
    });

    await postVendorIncident(t, vendorIncident(), at(T0, 6));
    const second = await runAnnotation(deps, 'INC-4211', at(T0, 6));
    expect(second).toMatchObject({
      outcome: 'created',
      version: 2,
      verdict: 'upstream',
      top: '100ms/ww76zjqsj6j9',
    });

    const store = createAnnotationStore(t.redis, t.keys);
    expect((await store.versions('INC-4211')).map(summary)).toEqual([
      { version: 1, verdict: 'unclear', top: '100ms', annotatedAt: at(T0, 2).toISOString() },
      { version: 2, verdict: 'upstream', top: '100ms/ww76zjqsj6j9', annotatedAt: at(T0, 6).toISOString() },
    ]);
    expect(handed.map((h) => [h.version, h.annotation.verdict, h.annotation.annotatedAt])).toEqual([
      [1, 'unclear', at(T0, 2).toISOString()],
      [2, 'upstream', at(T0, 6).toISOString()],
    ]);
    expect(handed[1]!.annotation.candidates[0]).toMatchObject({
      vendor: '100ms',
      vendorIncidentId: 'ww76zjqsj6j9',
    });
  });

  test('a vendor incident is not known before its first post, even when read later from the store', async () => {
    await postVendorIncident(t, vendorIncident(), at(T0, 6));
    const before = await loadCorrelationInput(deps, 'INC-4211', at(T0, 4));
    const after = await loadCorrelationInput(deps, 'INC-4211', at(T0, 6));
    expect(before?.vendorIncidents).toEqual([]);
    expect(after?.vendorIncidents.map((v) => v.id)).toEqual(['ww76zjqsj6j9']);
    // Errors after `now` are not read either.
    expect(Math.max(...(before?.errors ?? []).map((e) => e.minute))).toBe(minuteOf(at(T0, 4).getTime()));
  });

  test('re-evaluating with only more errors rewrites the latest version in place and delivers nothing', async () => {
    await postVendorIncident(t, vendorIncident(), at(T0, 6));
    await runAnnotation(deps, 'INC-4211', at(T0, 6));
    const later = await runAnnotation(deps, 'INC-4211', at(T0, 40));
    expect(later).toMatchObject({ outcome: 'updated', version: 1, verdict: 'upstream', delivered: false });
    const again = await runAnnotation(deps, 'INC-4211', at(T0, 40));
    expect(again).toMatchObject({ outcome: 'unchanged', version: 1, delivered: false });

    const store = createAnnotationStore(t.redis, t.keys);
    const versions = await store.versions('INC-4211');
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      annotatedAt: at(T0, 6).toISOString(),
      evaluatedAt: at(T0, 40).toISOString(),
    });
    expect(handed).toHaveLength(1);
  });

  test('an evaluation older than the stored one is ignored', async () => {
    await runAnnotation(deps, 'INC-4211', at(T0, 10));
    await postVendorIncident(t, vendorIncident(), at(T0, 6));
    const slow = await runAnnotation(deps, 'INC-4211', at(T0, 8));
    expect(slow).toMatchObject({ outcome: 'stale', version: 1, verdict: 'unclear' });
    expect(await createAnnotationStore(t.redis, t.keys).versions('INC-4211')).toHaveLength(1);
  });

  test('a hand-over that failed is made again by the next evaluation, and only then marked', async () => {
    let fail = true;
    deps.onAnnotationChanged = async (annotation, version) => {
      if (fail) throw new Error('delivery queue down');
      handed.push({ annotation, version });
    };
    await expect(runAnnotation(deps, 'INC-4211', at(T0, 2))).rejects.toThrow('delivery queue down');
    fail = false;
    const retry = await runAnnotation(deps, 'INC-4211', at(T0, 3));
    // More errors arrived by then: the evidence moved, the version did not.
    expect(retry).toMatchObject({ outcome: 'updated', version: 1, delivered: true });
    const next = await runAnnotation(deps, 'INC-4211', at(T0, 4));
    expect(next.delivered).toBe(false);
    expect(handed.map((h) => h.version)).toEqual([1]);
    // The version was stored by the failed run: annotatedAt is when the verdict was first reached.
    expect(handed[0]!.annotation.annotatedAt).toBe(at(T0, 2).toISOString());
  });

  test('a deploy of backstage before onset with 401s and no vendor incident annotates internal', async () => {
    await t.redis.del(...(await t.redis.keys(`${t.keys.root}:eb:*`)));
    const start = minuteOf(T0);
    for (let m = start - 5; m < start + 20; m++)
      await t.redis.hincrby(
        t.keys.errorBucket(m),
        seriesField({ ...series('INVALID_CREDENTIALS', 'client'), code: 'HTTP_401' }),
        30,
      );
    await t.redis.zadd(
      t.keys.changes,
      Date.parse(T0) - 10 * 60_000,
      JSON.stringify({ at: at(T0, -10).toISOString(), service: 'backstage', kind: 'config', ref: 'env-42' }),
    );
    const run = await runAnnotation(deps, 'INC-4211', at(T0, 15));
    expect(run).toMatchObject({ verdict: 'internal' });
  });

  test('concurrent writers never lose or duplicate a version', async () => {
    const store = createAnnotationStore(t.redis, t.keys);
    const verdicts = ['unclear', 'upstream', 'internal'] as const;
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        store.record({ id: 'INC-race', verdict: verdicts[i % 3]!, candidates: [], notes: [] }, at(T0, i)),
      ),
    );
    const versions = await store.versions('INC-race');
    expect(versions.map((v) => v.version)).toEqual(versions.map((_, i) => i + 1));
    for (let i = 1; i < versions.length; i++) expect(versions[i]!.verdict).not.toBe(versions[i - 1]!.verdict);
    expect(versions.at(-1)!.evaluatedAt).toBe(at(T0, 29).toISOString());
  });

  test('GET /v1/incidents/:id/annotation serves the latest version, with the history on request', async () => {
    const app = createApi({
      config: parseConfig({ redis: { prefix: t.prefix } }, {}, 'test'),
      store: createVendorStore(t.redis, t.keys),
      redis: t.redis,
      logger: createLogger('silent'),
    });
    expect((await app.inject({ url: '/v1/incidents/INC-4211/annotation' })).statusCode).toBe(404);
    await runAnnotation(deps, 'INC-4211', at(T0, 2));
    await postVendorIncident(t, vendorIncident(), at(T0, 6));
    await runAnnotation(deps, 'INC-4211', at(T0, 6));
    const latest = await app.inject({ url: '/v1/incidents/INC-4211/annotation' });
    expect(latest.statusCode).toBe(200);
    expect(latest.json()).toMatchObject({
      id: 'INC-4211',
      verdict: 'upstream',
      annotatedAt: at(T0, 6).toISOString(),
      version: 2,
      candidates: [{ vendor: '100ms', vendorIncidentId: 'ww76zjqsj6j9' }],
    });
    expect(latest.json()).not.toHaveProperty('versions');
    const history = await app.inject({ url: '/v1/incidents/INC-4211/annotation?history=true' });
    expect((history.json() as { versions: unknown[] }).versions).toMatchObject([
      { version: 1, verdict: 'unclear', top: '100ms' },
      { version: 2, verdict: 'upstream', top: '100ms/ww76zjqsj6j9' },
    ]);
    const bad = await app.inject({ url: '/v1/incidents/INC-4211/annotation?history=maybe' });
    expect(bad.statusCode).toBe(400);
    await app.close();
  });

  test('loadCorrelationInput returns null for an incident that is not stored', async () => {
    expect(await loadCorrelationInput(deps, 'INC-nope', at(T0, 5))).toBeNull();
    await expect(loadCorrelationInput(deps, '', at(T0, 5))).rejects.toThrow('incident id must not be empty');
  });
});

describe('the annotator process (streams, BullMQ) on real Redis', () => {
  let t: TestRedis;
  let annotator: Awaited<ReturnType<typeof startAnnotator>> | null = null;
  let connection: Redis;

  beforeEach(async () => {
    t = await createTestRedis('annotator-live');
    connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    await annotator?.close();
    annotator = null;
    await connection.quit();
    await t.cleanup();
  });

  const until = <T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean) =>
    waitUntil(what, read, { until: ok });
  const chunk = (flat: unknown[]) =>
    Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]] as [unknown, unknown]);
  /** Resolves once the queue has nothing waiting, active or delayed: every evaluation has run. */
  const drained = () =>
    until(
      'the annotator queue to drain',
      () => annotator!.queue.getJobCountByTypes('waiting', 'active', 'delayed'),
      (n) => n === 0,
    );

  test('a closed incident is revisited when the vendor later posts an incident covering its window', async () => {
    let clock = at(T0, 30).getTime();
    const handed: number[] = [];
    annotator = await startAnnotator({
      redis: t.redis,
      keys: t.keys,
      config,
      logger: createLogger('silent'),
      now: () => clock,
      connection,
      prefix: t.keys.bull,
      schedule: false,
      onAnnotationChanged: async (_a, version) => {
        handed.push(version);
      },
    });
    await writeErrors(t, 25);
    // Our incident opens and closes before the vendor says anything; the open notice triggers a version.
    await createIncidentStore(t.redis, t.keys).upsert(
      goLiveIncident({ resolvedAt: at(T0, 29).toISOString() }),
    );
    const store = createAnnotationStore(t.redis, t.keys);
    const first = await until(
      'an annotation of INC-4211',
      () => store.latest('INC-4211'),
      (v) => v !== null,
    );
    expect(first).toMatchObject({ version: 1, verdict: 'unclear', top: '100ms' });

    // An hour later 100ms posts an incident backdated over our window.
    clock = at(T0, 90).getTime();
    await postVendorIncident(
      t,
      vendorIncident({ postedAt: at(T0, 90).toISOString(), resolvedAt: at(T0, 40).toISOString() }),
      at(T0, 90),
    );
    const second = await until(
      'an annotation of INC-4211',
      () => store.latest('INC-4211'),
      (v) => v !== null && v.version === 2,
    );
    expect(summary(second!)).toEqual({
      version: 2,
      verdict: 'upstream',
      top: '100ms/ww76zjqsj6j9',
      annotatedAt: at(T0, 90).toISOString(),
    });
    expect(handed).toEqual([1, 2]);
  });

  test('the minute tick evaluates open incidents and leaves resolved ones alone', async () => {
    annotator = await startAnnotator({
      redis: t.redis,
      keys: t.keys,
      config,
      logger: createLogger('silent'),
      now: () => at(T0, 5).getTime(),
      connection,
      prefix: t.keys.bull,
    });
    // Straight to Redis, without change notices: only the tick can find them.
    await t.redis.set(t.keys.incident('open'), JSON.stringify(goLiveIncident({ id: 'open' })));
    await t.redis.zadd(t.keys.incidentsByStart, Date.parse(T0), 'open');
    const closed = goLiveIncident({ id: 'closed', resolvedAt: at(T0, 3).toISOString() });
    await t.redis.set(t.keys.incident('closed'), JSON.stringify(closed));
    await t.redis.zadd(t.keys.incidentsByStart, Date.parse(T0), 'closed');
    await annotator.queue.add('tick', {});
    const store = createAnnotationStore(t.redis, t.keys);
    await until(
      'an annotation of open',
      () => store.latest('open'),
      (v) => v !== null,
    );
    // The tick and every evaluation it enqueued have run: nothing can still annotate the closed incident.
    await drained();
    expect(await store.latest('closed')).toBeNull();
  });

  test('a vendor change a killed consumer read but never acknowledged is claimed and handled', async () => {
    await createIncidentStore(t.redis, t.keys).upsert(goLiveIncident());
    await t.redis.xgroup('CREATE', t.keys.vendorChanges, 'annotator', '$', 'MKSTREAM');
    await postVendorIncident(t, vendorIncident(), at(T0, 6));
    // A consumer takes the notice and dies before acknowledging it.
    await t.redis.xreadgroup('GROUP', 'annotator', 'dead', 'COUNT', 10, 'STREAMS', t.keys.vendorChanges, '>');
    annotator = await startAnnotator({
      redis: t.redis,
      keys: t.keys,
      config,
      logger: createLogger('silent'),
      now: () => at(T0, 7).getTime(),
      connection,
      prefix: t.keys.bull,
      claimAfterMs: 200,
    });
    const store = createAnnotationStore(t.redis, t.keys);
    const annotated = await until(
      'an annotation of INC-4211',
      () => store.latest('INC-4211'),
      (v) => v !== null,
    );
    expect(annotated).toMatchObject({ verdict: 'upstream', top: '100ms/ww76zjqsj6j9' });
    await until(
      'no pending vendor changes',
      async () => ((await t.redis.xpending(t.keys.vendorChanges, 'annotator')) as [number])[0],
      (n) => n === 0,
    );
  });

  test('triggers during a running evaluation are not lost: they run once after it', async () => {
    let release: () => void = () => {};
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    annotator = await startAnnotator({
      redis: t.redis,
      keys: t.keys,
      config,
      logger: createLogger('silent'),
      now: () => at(T0, 5).getTime(),
      connection,
      prefix: t.keys.bull,
      onAnnotationChanged: async () => {
        calls++;
        await blocked;
      },
    });
    await createIncidentStore(t.redis, t.keys).upsert(goLiveIncident());
    await until(
      'one active evaluation',
      () => annotator!.queue.getJobCountByTypes('active'),
      (n) => n === 1,
    );
    for (let i = 0; i < 5; i++) await annotator.annotate('INC-4211');
    release();
    await until(
      'two completed evaluations',
      () => annotator!.queue.getJobCountByTypes('completed'),
      (n) => n === 2,
    );
    await drained();
    expect(await annotator.queue.getJobCountByTypes('completed', 'waiting', 'active', 'delayed')).toBe(2);
    expect(calls).toBe(1);
  });

  test('a vendor change for a vendor nobody depends on enqueues no evaluation', async () => {
    annotator = await startAnnotator({
      redis: t.redis,
      keys: t.keys,
      config,
      logger: createLogger('silent'),
      now: () => at(T0, 5).getTime(),
      connection,
      prefix: t.keys.bull,
      schedule: false,
    });
    await createIncidentStore(t.redis, t.keys).upsert(goLiveIncident());
    const store = createAnnotationStore(t.redis, t.keys);
    await until(
      'an annotation of INC-4211',
      () => store.latest('INC-4211'),
      (v) => v !== null,
    );
    const before = await annotator.queue.getJobCountByTypes('completed', 'waiting', 'active', 'delayed');
    await postVendorIncident(t, vendorIncident({ vendor: 'stripe', id: 'stripe-1' }), at(T0, 5));
    // The group has read the change and acknowledged it after handling, so any evaluation it enqueues exists now.
    const [lastChange] = await t.redis.xrevrange(t.keys.vendorChanges, '+', '-', 'COUNT', 1);
    await until(
      'the vendor change to be read and acknowledged',
      async () => {
        const groups = (await t.redis.xinfo('GROUPS', t.keys.vendorChanges)) as unknown[][];
        const group = groups.map((g) => Object.fromEntries(chunk(g))).find((g) => g.name === 'annotator');
        const pending = ((await t.redis.xpending(t.keys.vendorChanges, 'annotator')) as [number])[0];
        return group?.['last-delivered-id'] === lastChange?.[0] && pending === 0;
      },
      Boolean,
    );
    await drained();
    const after = await annotator.queue.getJobCountByTypes('completed', 'waiting', 'active', 'delayed');
    expect(after).toBe(before);
    // The vendor change was still read and acknowledged by the group.
    const pending = (await t.redis.xpending(t.keys.vendorChanges, 'annotator')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });

  test('a burst of triggers for one incident collapses to at most one waiting evaluation', async () => {
    annotator = await startAnnotator({
      redis: t.redis,
      keys: t.keys,
      config,
      logger: createLogger('silent'),
      now: () => at(T0, 5).getTime(),
      connection,
      prefix: t.keys.bull,
      schedule: false,
    });
    await annotator.worker.pause();
    await createIncidentStore(t.redis, t.keys).upsert(goLiveIncident());
    for (let i = 0; i < 20; i++) await annotator.annotate('INC-4211');
    expect(await annotator.queue.getJobCountByTypes('waiting', 'prioritized', 'delayed')).toBe(1);
    expect(annotateDedupId('PD:INC/1')).not.toContain(':');
  });
});

describe('selection (pure)', () => {
  test('the vendor incident index returns exactly what a full scan finds', () => {
    const incidents: VendorIncident[] = [];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const base = Date.parse('2024-01-01T00:00:00Z');
    for (let i = 0; i < 2000; i++) {
      const start = base + Math.floor(rand() * 90 * 24) * 3_600_000;
      // Mostly short, some multi-day maintenances, some never resolved.
      const length = rand() < 0.05 ? 5 * 86_400_000 : rand() * 6 * 3_600_000;
      const open = rand() < 0.02;
      const iso = new Date(start).toISOString();
      incidents.push({
        ...vendorIncident({ id: `i${i}`, vendor: rand() < 0.5 ? '100ms' : 'stripe' }),
        startedAt: iso,
        postedAt: iso,
        updatedAt: iso,
        resolvedAt: open ? null : new Date(start + length).toISOString(),
      });
    }
    const index = indexVendorIncidents(incidents);
    for (let q = 0; q < 200; q++) {
      const from = base + rand() * 90 * 86_400_000;
      const to = from + rand() * 12 * 3_600_000;
      const scan = incidents
        .filter(
          (v) =>
            v.vendor === '100ms' &&
            Date.parse(v.startedAt) <= to &&
            (v.resolvedAt === null || Date.parse(v.resolvedAt) >= from),
        )
        .map((v) => v.id)
        .sort();
      expect(
        index
          .select('100MS', from, to)
          .map((v) => v.id)
          .sort(),
      ).toEqual(scan);
    }
  });

  test('vendorIncidentKnownAt hides later updates, a later resolution and regions only later updates named', () => {
    const v = vendorIncident({
      title: 'Recording failures',
      components: ['Recording'],
      updates: [
        { at: '2024-04-04T20:36:00.000Z', status: 'investigating', body: 'We are investigating.' },
        { at: '2024-04-04T21:08:00.000Z', status: 'identified', body: 'Rooms in Europe are affected.' },
        { at: '2024-04-04T21:55:00.000Z', status: 'resolved', body: 'Resolved.' },
      ],
      updatedAt: '2024-04-04T21:55:00.000Z',
      resolvedAt: '2024-04-04T21:55:00.000Z',
      status: 'resolved',
    });
    expect(v.regions).toEqual(['macro:europe']);
    expect(vendorIncidentKnownAt(v, Date.parse('2024-04-04T20:30:00Z'))).toBeNull();
    const early = vendorIncidentKnownAt(v, Date.parse('2024-04-04T20:40:00Z'))!;
    expect(early).toMatchObject({ resolvedAt: null, status: 'investigating', regions: [] });
    expect(early.updates).toHaveLength(1);
    const mid = vendorIncidentKnownAt(v, Date.parse('2024-04-04T21:10:00Z'))!;
    expect(mid).toMatchObject({ resolvedAt: null, status: 'identified', regions: ['macro:europe'] });
    expect(vendorIncidentKnownAt(v, Date.parse('2024-04-04T22:00:00Z'))).toBe(v);
  });

  test('incidentsForVendorChange picks dependents that are open or overlap, within a day', () => {
    const now = at(T0, 600).getTime();
    const ours = [
      goLiveIncident({ id: 'open' }),
      goLiveIncident({ id: 'closed-overlapping', resolvedAt: at(T0, 30).toISOString() }),
      goLiveIncident({
        id: 'closed-long-before',
        startedAt: at(T0, -600).toISOString(),
        resolvedAt: at(T0, -590).toISOString(),
      }),
      goLiveIncident({
        id: 'closed-2-days-ago',
        startedAt: at(T0, -3000).toISOString(),
        resolvedAt: at(T0, -2900).toISOString(),
      }),
      goLiveIncident({ id: 'other-service', service: 'billing' }),
    ];
    const window = { startedAt: at(T0, -20).toISOString(), resolvedAt: at(T0, 60).toISOString() };
    expect(incidentsForVendorChange('100ms', window, ours, config.services, now)).toEqual([
      'open',
      'closed-overlapping',
    ]);
    expect(incidentsForVendorChange('100ms', null, ours, config.services, now)).toEqual([
      'open',
      'closed-overlapping',
      'closed-long-before',
    ]);
  });
});

import { Writable } from 'node:stream';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seriesField, type Series } from '../src/core/series.js';
import { createLogger } from '../src/logger.js';
import type { VendorIncident } from '../src/core/model.js';
import { createChangeStore } from '../src/store/changes.js';
import { createSuspectStore } from '../src/store/suspects.js';
import { suspectSchema, type Suspect } from '../src/core/detect/suspect.js';
import {
  createSuspectWorker,
  runSuspectEvaluation,
  suspectJob,
  type SuspectDeps,
} from '../workers/suspect-worker.js';
import { createTestRedis, type TestRedis } from './support/redis.js';

const T0 = Math.floor(Date.parse('2024-04-04T19:00:00Z') / 60_000);
const iso = (minute: number) => new Date(minute * 60_000).toISOString();
const flat = (i: number) => [1, 2, 3, 2, 2, 3, 1, 2, 2, 2][i % 10]!;
const nowAfter = (judged: number) => new Date((judged + 1) * 60_000 + 5_000);

describe('suspect worker on real Redis', () => {
  let t: TestRedis;
  let deps: SuspectDeps;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await createTestRedis('suspect-worker');
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    deps = { redis: t.redis, keys: t.keys, logger: createLogger('info', sink) };
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  /** Writes per-minute buckets exactly as the ingest worker does: HINCRBY of a series field. */
  async function writeScenario(start: number, spikeVendor: string, region: string, from = 0, to = 100) {
    const pipeline = t.redis.pipeline();
    for (let i = from; i < to; i++) {
      for (const [k, service] of ['backstage', 'webinar'].entries()) {
        for (const [v, vendor] of ['100ms', 'stripe', 'twilio'].entries()) {
          const series: Series = { service, vendor, region, code: 'HTTP_502', errorClass: 'server' };
          const spiking = vendor === spikeVendor && i >= 60 && i < 72;
          pipeline.hincrby(
            t.keys.errorBucket(start + i),
            seriesField(series),
            spiking ? 80 : flat(i + 3 * k + v),
          );
        }
        // Client errors at a high rate all along must never matter.
        const client: Series = {
          service,
          vendor: spikeVendor,
          region,
          code: 'HTTP_401',
          errorClass: 'client',
        };
        pipeline.hincrby(t.keys.errorBucket(start + i), seriesField(client), 50);
      }
    }
    await pipeline.exec();
  }

  /** Stores a vendor incident the way the poller does: the incident hash plus a vendorChanges entry. */
  async function postIncident(incident: VendorIncident) {
    await t.redis.hset(t.keys.vendorIncidents(incident.vendor), incident.id, JSON.stringify(incident));
    await t.redis.xadd(
      t.keys.vendorChanges,
      '*',
      'vendor',
      incident.vendor,
      'id',
      incident.id,
      'change',
      'new',
      'at',
      incident.postedAt,
    );
  }

  const incident = (
    over: Partial<VendorIncident> & Pick<VendorIncident, 'vendor' | 'id' | 'startedAt' | 'postedAt'>,
  ): VendorIncident => ({
    title: 'Elevated error rates',
    impact: 'major',
    status: 'investigating',
    kind: 'incident',
    updatedAt: over.postedAt,
    resolvedAt: null,
    components: [],
    regions: ['macro:europe'],
    updates: [],
    url: null,
    ...over,
  });

  async function stored(id: string): Promise<Suspect> {
    return suspectSchema.parse(JSON.parse((await t.redis.get(t.keys.suspected(id)))!));
  }

  test('opens, closes and links a vendor incident posted 25 minutes after our first errors', async () => {
    await writeScenario(T0, '100ms', 'eu-west-1');
    const opened: Array<[number, string]> = [];
    const closedAt: Array<[number, string]> = [];
    for (let judged = T0 + 55; judged <= T0 + 84; judged++) {
      const summary = await runSuspectEvaluation(deps, nowAfter(judged));
      expect(summary.minute).toBe(iso(judged));
      for (const id of summary.opened) opened.push([judged, id]);
      for (const id of summary.closed) closedAt.push([judged, id]);
      if (judged === T0 + 61) {
        const id = summary.opened[0]!;
        expect(await t.redis.sismember(t.keys.suspectedOpen, id)).toBe(1);
        expect(Number(await t.redis.zscore(t.keys.suspectedAll, id))).toBe((T0 + 60) * 60_000);
      }
    }
    expect(opened).toHaveLength(1);
    const [openedAt, id] = opened[0]!;
    expect(openedAt).toBe(T0 + 61);
    expect(closedAt).toEqual([[T0 + 76, id]]);
    expect(await stored(id)).toMatchObject({
      vendor: '100ms',
      region: 'aws:eu-west-1',
      since: iso(T0 + 60),
      services: ['backstage', 'webinar'],
      closedAt: iso(T0 + 72),
      vendorIncidentId: null,
    });
    expect(await t.redis.scard(t.keys.suspectedOpen)).toBe(0);

    // The vendor posts at T0+85, 25 minutes after our first errors; the next run links it.
    await postIncident(
      incident({ vendor: '100ms', id: 'ww76zjqsj6j9', startedAt: iso(T0 + 70), postedAt: iso(T0 + 85) }),
    );
    const summary = await runSuspectEvaluation(deps, nowAfter(T0 + 85));
    expect(summary.linked).toEqual([{ suspect: id, incident: 'ww76zjqsj6j9', ackLagMinutes: 25 }]);
    expect(await stored(id)).toMatchObject({
      vendorIncidentId: 'ww76zjqsj6j9',
      vendorPostedAt: iso(T0 + 85),
      ackLagMinutes: 25,
      regionMatch: 'contains',
      closedAt: iso(T0 + 72),
    });
    // A closed suspect keeps its retention TTL through the link.
    expect(await t.redis.pttl(t.keys.suspected(id))).toBeGreaterThan(0);

    // The change stream is read once: the next run links nothing again.
    const again = await runSuspectEvaluation(deps, nowAfter(T0 + 86));
    expect(again).toMatchObject({ linked: [], vendorChangesRead: 0, opened: [] });
  });

  test('a suspect opened after the vendor already posted is linked at once, with a negative lag', async () => {
    const T1 = T0 + 300;
    await writeScenario(T1, 'stripe', 'eu-central-1');
    await postIncident(
      incident({ vendor: 'stripe', id: 'early', startedAt: iso(T1 + 50), postedAt: iso(T1 + 55) }),
    );
    // An incident for the other side of the world is not ours.
    await postIncident(
      incident({
        vendor: 'stripe',
        id: 'us-only',
        startedAt: iso(T1 + 58),
        postedAt: iso(T1 + 50),
        regions: ['country:us'],
      }),
    );
    let linked: Awaited<ReturnType<typeof runSuspectEvaluation>>['linked'] = [];
    for (let judged = T1 + 55; judged <= T1 + 80; judged++) {
      const summary = await runSuspectEvaluation(deps, nowAfter(judged));
      linked = [...linked, ...summary.linked];
    }
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ incident: 'early', ackLagMinutes: -5 });
    expect(await stored(linked[0]!.suspect)).toMatchObject({
      region: 'aws:eu-central-1',
      closedAt: iso(T1 + 72),
    });
  });

  test('one service spiking on a vendor right after its own deploy is not suspected; the log says why', async () => {
    const T1 = T0 + 10_000;
    const pipeline = t.redis.pipeline();
    for (let i = 0; i < 80; i++) {
      const series: Series = {
        service: 'checkout',
        vendor: 'payco',
        region: 'us-east-1',
        code: 'HTTP_502',
        errorClass: 'server',
      };
      pipeline.hincrby(t.keys.errorBucket(T1 + i), seriesField(series), i >= 60 ? 80 : flat(i));
    }
    await pipeline.exec();
    await createChangeStore(t.redis, t.keys).add([{ service: 'checkout', kind: 'deploy', at: iso(T1 + 55) }]);
    const opened: string[] = [];
    for (let judged = T1 + 60; judged <= T1 + 75; judged++)
      opened.push(...(await runSuspectEvaluation(deps, nowAfter(judged))).opened);
    expect(opened).toEqual([]);
    expect(logLines.some((l) => l.includes('not suspecting payco: checkout changed just before'))).toBe(true);
  });

  test('a run while another worker holds the evaluation lock does nothing', async () => {
    const store = createSuspectStore(t.redis, t.keys);
    const inner = await store.withLock(10_000, () => runSuspectEvaluation(deps, nowAfter(T0 + 90)));
    expect(inner?.value.skipped).toBe('locked');
    expect((await runSuspectEvaluation(deps, nowAfter(T0 + 91))).skipped).toBeUndefined();
  });

  test('a corrupt stored suspect is skipped and logged, and the run goes on', async () => {
    await t.redis.sadd(t.keys.suspectedOpen, 'bogus');
    await t.redis.set(t.keys.suspected('bogus'), JSON.stringify({ vendor: 'x' }));
    const summary = await runSuspectEvaluation(deps, nowAfter(T0 + 92));
    expect(summary.skipped).toBeUndefined();
    expect(logLines.some((l) => l.includes('bogus') && l.includes('invalid stored row'))).toBe(true);
    await t.redis.srem(t.keys.suspectedOpen, 'bogus');
  });

  test('the BullMQ job judges the minute that just ended and links a posted incident', async () => {
    const queue = new Queue(suspectJob.queue, { connection: t.redis.duplicate(), prefix: t.keys.bull });
    const events = new QueueEvents(suspectJob.queue, {
      connection: t.redis.duplicate(),
      prefix: t.keys.bull,
    });
    const worker = createSuspectWorker({
      ...deps,
      connection: t.redis.duplicate({ maxRetriesPerRequest: null }),
      prefix: t.keys.bull,
    });
    try {
      await events.waitUntilReady();
      void worker.run();
      // Wall-clock data: flat for 70 minutes, then twilio spiking from two minutes ago on (and on into
      // the next minutes, so a minute turning over during the test changes nothing).
      const M = Math.floor(Date.now() / 60_000);
      await writeScenario(M - 62, 'twilio', 'us-east-1', 0, 64);
      await postIncident(
        incident({ vendor: 'twilio', id: 'tw-1', startedAt: iso(M - 1), postedAt: iso(M + 23), regions: [] }),
      );
      const job = await queue.add(suspectJob.name, {}, suspectJob.options);
      const summary = (await job.waitUntilFinished(events, 15_000)) as Awaited<
        ReturnType<typeof runSuspectEvaluation>
      >;
      expect(summary.opened).toHaveLength(1);
      expect(summary.linked).toEqual([{ suspect: summary.opened[0], incident: 'tw-1', ackLagMinutes: 25 }]);
      expect(await stored(summary.opened[0]!)).toMatchObject({
        vendor: 'twilio',
        region: 'aws:us-east-1',
        since: iso(M - 2),
        regionMatch: 'unknown',
      });

      const bad = await queue.add(suspectJob.name, { minute: 'now' }, suspectJob.options);
      await expect(bad.waitUntilFinished(events, 15_000)).rejects.toThrow(/bad payload/);
    } finally {
      await worker.close(true);
      await events.close();
      await queue.close();
    }
  });
});

import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { providers } from '../providers/registry.js';
import { parseConfig } from '../src/config.js';
import type { InputConfig } from '../src/core/correlate/select-input.js';
import { createSinks } from '../src/delivery/sinks/create.js';
import { enqueueDeliveries } from '../src/delivery/enqueue.js';
import { jobCatalog } from '../workers/jobs.js';
import { createHttpClient, type HttpClient } from '../src/http/client.js';
import { createIncidentStore } from '../src/store/incidents.js';
import { minuteOf, seriesField, type Series } from '../src/core/series.js';
import { createLogger } from '../src/logger.js';
import type { AnnotationPayload } from '../src/delivery/sinks/types.js';
import { createVendorStore } from '../src/store/vendors.js';
import { startAnnotator } from '../workers/annotator-worker.js';
import { createDeliveryWorker } from '../workers/delivery-worker.js';
import { pollVendor } from '../workers/poll.js';
import { at, backstageOn100ms, goLiveIncident, T0 } from './support/go-live.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';
import { waitUntil } from './support/wait.js';

const inputConfig: InputConfig = {
  services: [backstageOn100ms],
  vendors: [{ id: '100ms', name: '100ms' }],
};

/** A webhook receiver on port 0 that accepts everything and keeps the JSON bodies. */
async function webhookSink() {
  const bodies: AnnotationPayload[] = [];
  const server = await startVendorServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as AnnotationPayload);
      res.writeHead(200).end();
    });
  });
  return { url: `${server.baseUrl}/hook`, bodies, close: server.close };
}

/** backstage's own 503s, naming no vendor: a trickle from 2 h before T0, then 30 a minute from T0 − 5. */
async function writeUntaggedErrors(t: TestRedis) {
  const series: Series = {
    service: 'backstage',
    vendor: '',
    region: 'eu-west-1',
    code: 'HTTP_503',
    errorClass: 'server',
  };
  const start = minuteOf(T0);
  const pipeline = t.redis.pipeline();
  for (let m = start - 120; m < start - 5; m += 15)
    pipeline.hincrby(t.keys.errorBucket(m), seriesField(series), 1);
  for (let m = start - 5; m < start + 30; m++)
    pipeline.hincrby(t.keys.errorBucket(m), seriesField(series), 30);
  await pipeline.exec();
}

describe('an unreadable vendor page through the live annotator and a webhook sink (real Redis, real servers)', () => {
  let t: TestRedis;
  let connection: Redis;
  let vendorPage: VendorServer;
  let sink: Awaited<ReturnType<typeof webhookSink>>;
  let http: HttpClient;
  let deliverQueue: Queue;
  let deliveryWorker: Worker;
  let annotator: Awaited<ReturnType<typeof startAnnotator>> | null = null;

  beforeEach(async () => {
    t = await createTestRedis('annotator-blind');
    connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    vendorPage = await startVendorServer((_req, res) =>
      res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable'),
    );
    sink = await webhookSink();
    http = createHttpClient({
      timeoutMs: 2000,
      maxBodyBytes: 1024 * 1024,
      userAgent: 'upcause-test',
      allowPrivateNetworks: true,
    });
    deliverQueue = new Queue(jobCatalog.deliver.queue, {
      connection: t.redis.duplicate(),
      prefix: t.keys.bull,
    });
    deliveryWorker = createDeliveryWorker({
      connection: t.redis,
      redis: t.redis,
      keys: t.keys,
      prefix: t.keys.bull,
      sinks: createSinks(
        [
          {
            type: 'webhook',
            name: 'hook',
            url: sink.url,
            secret: 'whsec_YW5ub3RhdG9yLWJsaW5kLXNpZ25pbmcta2V5LTAxMjM=',
            events: ['annotation'],
          },
        ],
        {
          timeoutMs: 2000,
        },
      ),
      logger: createLogger('silent'),
      workerOptions: { drainDelay: 1 },
    });
    void deliveryWorker.run();
  });

  afterEach(async () => {
    await annotator?.close();
    annotator = null;
    await deliveryWorker.close();
    await deliverQueue.close();
    http.close();
    await vendorPage.close();
    await sink.close();
    await connection.quit();
    await t.cleanup();
  });

  test('an unreadable vendor never produces `internal`: the sink gets `unclear`, saying we could not read its page', async () => {
    const config = parseConfig(
      {
        redis: { url: redisUrl, prefix: t.prefix },
        vendors: [{ id: '100ms', name: '100ms', provider: 'statuspage', url: vendorPage.baseUrl }],
        poll: { allowPrivateNetworks: true },
      },
      {},
      'test',
    );
    const store = createVendorStore(t.redis, t.keys);
    const pollDeps = { http, providers, store, logger: createLogger('silent') };
    // The poll worker's read of 100ms's page fails before our incident and keeps failing through it.
    for (const minutes of [-10, -5, 0, 5, 10]) {
      const outcome = await pollVendor(config.vendors[0]!, pollDeps, at(T0, minutes));
      expect(outcome.ok).toBe(false);
    }
    expect((await store.readHealth('100ms')).blindSince).toBe(at(T0, -10).toISOString());
    await writeUntaggedErrors(t);

    annotator = await startAnnotator({
      redis: t.redis,
      keys: t.keys,
      config: inputConfig,
      logger: createLogger('silent'),
      now: () => at(T0, 12).getTime(),
      connection,
      prefix: t.keys.bull,
      schedule: false,
      onAnnotationChanged: (annotation, version) =>
        enqueueDeliveries(
          { queue: deliverQueue, redis: t.redis, keys: t.keys, sinks: [{ name: 'hook' }] },
          annotation,
          version,
        ).then(() => undefined),
    });
    await createIncidentStore(t.redis, t.keys).upsert(goLiveIncident({ id: 'INC-blind' }));

    await waitUntil('the sink to receive the annotation', () => sink.bodies.length > 0);
    expect(sink.bodies).toHaveLength(1);
    const delivered = sink.bodies[0]!;
    expect(delivered).toMatchObject({ type: 'annotation', incident: 'INC-blind', version: 1 });
    expect(delivered.verdict).toBe('unclear');
    const sentences = [...delivered.candidates.flatMap((c) => c.evidence), ...delivered.notes];
    expect(
      sentences.filter(
        (s) =>
          /\b100ms\b/i.test(s) &&
          /status page/i.test(s) &&
          /(could not|couldn['’]t|cannot|can['’]t|unable to|not able to) read|unreadable/i.test(s),
      ),
      JSON.stringify(sentences),
    ).not.toEqual([]);
  });
});

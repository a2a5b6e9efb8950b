import { Queue, type Worker } from 'bullmq';
import { providers } from '../providers/registry.js';
import { createParsePool, type ParsePool } from '../workers/parse-pool.js';
import { createPollWorker } from '../workers/poll-worker.js';
import { jobCatalog } from '../workers/jobs.js';
import { syncMinuteSchedules, syncPollSchedules } from '../workers/scheduler.js';
import { createSuspectWorker } from '../workers/suspect-worker.js';
import { startAnnotator } from '../workers/annotator-worker.js';
import { createDeliveryWorker } from '../workers/delivery-worker.js';
import { createIngestWorker } from '../workers/ingest-worker.js';
import { createAlertWorker, suspectAlertHandler } from '../workers/alert-worker.js';
import { startDigestScheduler } from '../workers/digest-scheduler.js';
import { createTrimWorker } from '../workers/trim-worker.js';
import { createSinks } from './delivery/sinks/create.js';
import { enqueueDeliveries } from './delivery/enqueue.js';
import { boundUrl, checkApiExposure } from './api/exposure.js';
import type { ReadinessProbe } from './api/readiness.js';
import { createApi } from './api/server.js';
import type { Config } from './config.js';
import { createHttpClient, type HttpClient } from './http/client.js';
import type { Logger } from './logger.js';
import { createMetrics, metricsProcessId } from './metrics/metrics.js';
import { createMetricsPublisher, type MetricsPublisher } from './metrics/publish.js';
import { registerMetricsRoute } from './metrics/route.js';
import { countDeliveries, countEvaluations } from './metrics/worker-events.js';
import { connectRedis, type RedisClient } from './store/redis.js';
import { keysOf } from './store/keys.js';
import { recordPartitions } from './store/partitions.js';
import { createVendorStore } from './store/vendors.js';

export const roles = ['api', 'worker', 'scheduler'] as const;
export type Role = (typeof roles)[number];

export const userAgent = 'upcause/0.1 (self-hosted vendor status monitor)';

/** The HTTP edge as the config sets it up. */
export function httpClientFor(config: Config): HttpClient {
  return createHttpClient({
    timeoutMs: config.poll.timeoutMs,
    maxBodyBytes: config.poll.maxBodyBytes,
    userAgent,
    allowPrivateNetworks: config.poll.allowPrivateNetworks,
  });
}

/** A worker loop that has not completed a pass this long is not ready (it passes about every second). */
const workerStaleMs = 30_000;

/** The threads vendor pages are parsed on, as the config sets them up. */
export function parsePoolFor(config: Config): ParsePool {
  return createParsePool({ threads: config.poll.parseThreads, timeoutMs: config.poll.parseTimeoutMs });
}

export interface RunningApp {
  /** Base URL of the API when the api role runs. */
  apiUrl: string | null;
  /** Adds a check to `/readyz` (a role run elsewhere, such as the supervised worker process). */
  addReadinessProbe(probe: ReadinessProbe): void;
  close(deadlineMs?: number): Promise<void>;
}

/** Starts the requested roles in this process; `close` stops workers, then queues, then Redis. */
export async function startApp(
  config: Config,
  wanted: ReadonlySet<Role>,
  logger: Logger,
): Promise<RunningApp> {
  const keys = keysOf(config);
  const connections: RedisClient[] = [];
  const workers: Worker[] = [];
  const queues: Queue[] = [];
  /** Components with their own close (stream consumers and their connections). */
  const closers: Array<() => Promise<void>> = [];
  let http: HttpClient | null = null;
  let parsePool: ParsePool | null = null;
  let api: ReturnType<typeof createApi> | null = null;
  let apiUrl: string | null = null;
  /** What /readyz checks in this process, one probe per role. */
  const probes: ReadinessProbe[] = [];
  // This process's counters; published to Redis so every API process's /metrics has the whole picture.
  const metrics = createMetrics({ process: metricsProcessId(), roles: [...wanted] });
  let publisher: MetricsPublisher | null = null;

  const open = async (role: 'worker' | 'producer', name: string) => {
    const redis = await connectRedis(config.redis, role, name);
    redis.on('error', (error) => logger.warn({ err: error, connection: name }, 'redis connection error'));
    connections.push(redis);
    return redis;
  };

  // Before any connection: an open API on a reachable address is a configuration error.
  const exposure = wanted.has('api') ? checkApiExposure(config) : { open: false };

  try {
    const metricsRedis = await open('producer', 'upcause-metrics');
    // Before any role reads or writes: a lowered ingest.partitions stops the start here.
    const partitionsBefore = await recordPartitions(metricsRedis, keys);
    if (partitionsBefore < keys.partitions.length) {
      logger.info(
        { before: partitionsBefore, partitions: keys.partitions.length },
        'ingest partitions raised: producers now spread events over more error streams',
      );
    }
    publisher = createMetricsPublisher({
      redis: metricsRedis,
      keys,
      process: metrics.process,
      registry: metrics.registry,
      intervalMs: config.metrics.publishIntervalMs,
      logger,
    });
    publisher.start();
    if (wanted.has('worker')) {
      http = httpClientFor(config);
      parsePool = parsePoolFor(config);
      const storeRedis = await open('worker', 'upcause-poll-store');
      const worker = createPollWorker({
        config,
        parsePool,
        connection: await open('worker', 'upcause-poll-worker'),
        http,
        store: createVendorStore(storeRedis, keys, {
          confirmPolls: config.poll.confirmPolls,
          retentionMs: config.retention.vendorIncidentsMs,
        }),
        providers,
        logger,
        prefix: keys.bull,
        metrics,
      });
      workers.push(worker);
      void worker.run();
      logger.info({ concurrency: config.poll.concurrency }, 'poll worker running');
      // Our errors: the stream consumer blocks on reads, so it gets a connection of its own.
      const ingest = createIngestWorker({
        redis: await open('worker', 'upcause-ingest'),
        keys,
        config,
        logger,
      });
      metrics.trackIngest(() => ingest.stats());
      void ingest.run().catch((error: unknown) => logger.error({ err: error }, 'ingest worker stopped'));
      closers.push(() => ingest.close());
      // Annotations and alerts are delivered to sinks through one queue.
      const deliverQueue = new Queue(jobCatalog.deliver.queue, {
        connection: await open('worker', 'upcause-deliver-queue'),
        prefix: keys.bull,
      });
      deliverQueue.on('error', (error) => logger.warn({ err: error }, 'deliver queue error'));
      queues.push(deliverQueue);
      const alertDeps = { redis: storeRedis, keys, config, logger, deliverQueue };
      const suspects = createSuspectWorker({
        redis: storeRedis,
        keys,
        logger,
        retentionMs: config.retention.suspectsMs,
        connection: await open('worker', 'upcause-suspect-worker'),
        prefix: keys.bull,
        onRun: suspectAlertHandler(alertDeps),
      });
      workers.push(suspects);
      void suspects.run();
      const alerts = createAlertWorker({
        ...alertDeps,
        connection: await open('worker', 'upcause-alert-worker'),
        prefix: keys.bull,
      });
      workers.push(alerts);
      void alerts.run();
      const delivery = createDeliveryWorker({
        connection: await open('worker', 'upcause-delivery-worker'),
        redis: storeRedis,
        keys,
        prefix: keys.bull,
        sinks: createSinks(config.sinks),
        logger,
      });
      workers.push(delivery);
      // History older than its retention, trimmed every retention.trimEvery (src/store/retention.ts).
      const trim = createTrimWorker({
        connection: await open('worker', 'upcause-trim-worker'),
        redis: storeRedis,
        keys,
        config,
        logger,
        prefix: keys.bull,
      });
      workers.push(trim);
      void trim.run();
      countDeliveries(
        delivery,
        metrics,
        config.sinks.map((sink) => sink.name),
      );
      void delivery.run();
      const annotator = await startAnnotator({
        redis: storeRedis,
        keys,
        config,
        logger,
        connection: await open('worker', 'upcause-annotator'),
        prefix: keys.bull,
        streams: config.ingest,
        onAnnotationChanged: async (annotation, version) => {
          await enqueueDeliveries(
            { queue: deliverQueue, redis: storeRedis, keys, sinks: config.sinks, logger },
            annotation,
            version,
          );
        },
      });
      countEvaluations(annotator.worker, metrics, jobCatalog.annotate.name);
      closers.push(() => annotator.close());
      const started = Date.now();
      probes.push({
        name: 'worker',
        check() {
          const stopped = workers.filter((w) => !w.isRunning()).map((w) => w.name);
          if (stopped.length > 0) return `queue workers not running: ${stopped.join(', ')}`;
          const last = ingest.lastPassAt() || started;
          const idleMs = Date.now() - last;
          return idleMs > workerStaleMs
            ? `the error-stream loop has not completed a pass for ${Math.round(idleMs / 1000)} s`
            : null;
        },
      });
    }
    if (wanted.has('scheduler')) {
      const redis = await open('producer', 'upcause-scheduler');
      const queue = new Queue(jobCatalog.poll.queue, { connection: redis, prefix: keys.bull });
      queue.on('error', (error) => logger.warn({ err: error }, 'poll queue error'));
      queues.push(queue);
      await syncPollSchedules({ queue, redis, keys, config, logger });
      // Early warning runs once a minute whatever the vendors: one scheduler, upserted idempotently.
      const suspectQueue = new Queue(jobCatalog.suspect.queue, { connection: redis, prefix: keys.bull });
      suspectQueue.on('error', (error) => logger.warn({ err: error }, 'suspect queue error'));
      queues.push(suspectQueue);
      const annotateQueue = new Queue(jobCatalog.annotate.queue, { connection: redis, prefix: keys.bull });
      annotateQueue.on('error', (error) => logger.warn({ err: error }, 'annotate queue error'));
      queues.push(annotateQueue);
      const alertsQueue = new Queue(jobCatalog.alertsTick.queue, { connection: redis, prefix: keys.bull });
      alertsQueue.on('error', (error) => logger.warn({ err: error }, 'alerts queue error'));
      queues.push(alertsQueue);
      const trimQueue = new Queue(jobCatalog.trim.queue, { connection: redis, prefix: keys.bull });
      trimQueue.on('error', (error) => logger.warn({ err: error }, 'maintenance queue error'));
      queues.push(trimQueue);
      // Under the scheduler lock, as the poll schedules: concurrent upserts of one scheduler can
      // leave duplicate or missing next jobs.
      await syncMinuteSchedules({
        suspectQueue,
        annotateQueue,
        alertsQueue,
        trim: { queue: trimQueue, everyMs: config.retention.trimEveryMs },
        redis,
        keys,
      });
      // The digest: node-cron in this process, exactly one run per period across all schedulers.
      const digestQueue = new Queue(jobCatalog.deliver.queue, { connection: redis, prefix: keys.bull });
      digestQueue.on('error', (error) => logger.warn({ err: error }, 'deliver queue error'));
      queues.push(digestQueue);
      const digest = await startDigestScheduler({ redis, keys, config, logger, deliverQueue: digestQueue });
      closers.push(() => digest.close());
      probes.push({
        name: 'scheduler',
        async check() {
          const missing: string[] = [];
          const polls = await queue.getJobSchedulersCount();
          if (polls < config.vendors.length)
            missing.push(`poll (${polls} of ${config.vendors.length} vendors)`);
          for (const [name, q] of [
            ['suspect', suspectQueue],
            ['annotate', annotateQueue],
            ['alerts', alertsQueue],
            ['maintenance', trimQueue],
          ] as const) {
            if ((await q.getJobSchedulersCount()) === 0) missing.push(name);
          }
          return missing.length > 0 ? `job schedulers missing: ${missing.join(', ')}` : null;
        },
      });
    }
    if (wanted.has('api')) {
      const redis = await open('producer', 'upcause-api');
      api = createApi({
        config,
        store: createVendorStore(redis, keys),
        redis,
        logger,
        readiness: probes,
        metrics,
      });
      // The depths /metrics reads at scrape time: every queue of the catalog, on the API's connection.
      const scraped = [...new Set(Object.values(jobCatalog).map((entry) => entry.queue))].map(
        (name) => new Queue(name, { connection: redis, prefix: keys.bull }),
      );
      for (const q of scraped) q.on('error', (error) => logger.warn({ err: error }, 'queue error'));
      queues.push(...scraped);
      registerMetricsRoute(api, { config, redis, keys, metrics, queues: scraped, logger });
      apiUrl = await api.listen({ host: config.api.host, port: config.api.port });
      // As bound: listen() answers with one reachable URL (127.0.0.1 for 0.0.0.0), not the address.
      const address = api.server.address();
      const bound = address && typeof address === 'object' ? boundUrl(address) : apiUrl;
      logger.info({ url: bound, tokens: config.api.tokens.length }, `API listening on ${bound}`);
      if (exposure.open) {
        logger.warn(
          { host: config.api.host },
          'API open without tokens on a reachable address (api.allowUnauthenticated: true)',
        );
      }
    }
  } catch (error) {
    await shutdown(10_000).catch(() => {});
    throw error;
  }

  async function shutdown(deadlineMs: number): Promise<void> {
    const timer = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), deadlineMs).unref(),
    );
    const graceful = (async () => {
      await api?.close();
      await Promise.all(closers.map((close) => close()));
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(queues.map((q) => q.close()));
    })();
    if ((await Promise.race([graceful.then(() => 'done' as const), timer])) === 'timeout') {
      logger.warn({ deadlineMs }, 'shutdown deadline passed; forcing workers closed');
      await Promise.all(workers.map((w) => w.close(true)));
    }
    // After the workers: a poll still parsing when they were forced closed ends with its thread.
    await parsePool?.close();
    await publisher?.close();
    http?.close();
    await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
  }

  return {
    apiUrl,
    addReadinessProbe: (probe) => void probes.push(probe),
    close: (deadlineMs = 10_000) => shutdown(deadlineMs),
  };
}

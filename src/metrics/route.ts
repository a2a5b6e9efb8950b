import type { Queue } from 'bullmq';
import { AggregatorRegistry, Gauge, Registry } from 'prom-client';
import { requireScope } from '../api/auth.js';
import type { ApiServer } from '../api/errors-route.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Keys } from '../store/keys.js';
import type { Metrics } from './metrics.js';
import { readSnapshots, type MetricsJson } from './publish.js';
import { scrapeGauges } from './scrape.js';
import type { RedisClient } from '../store/redis.js';

/** How long a scrape waits on Redis before answering what this process knows. */
const scrapeDeadlineMs = 5_000;

export interface MetricsRouteDeps {
  config: Config;
  /** The API's producer connection (fails fast when Redis is down). */
  redis: RedisClient;
  keys: Keys;
  /** This process's metrics, read live. */
  metrics: Metrics;
  /** Every queue of the job catalog, opened on `redis`. */
  queues: ReadonlyArray<Queue>;
  logger: Logger;
}

/**
 * Each process's metrics carry its own `process` label wherever they would otherwise clash (Node's
 * process metrics), so aggregating them never merges two processes' series; prom-client marks the
 * start time `omit` for cluster workers without such a label, which would drop it here.
 */
function keepPerProcess(metrics: MetricsJson): MetricsJson {
  return metrics.map((m) => (m.aggregator === 'omit' ? { ...m, aggregator: 'first' } : m));
}

function withinDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The whole picture in Prometheus text format: this process's counters, those every other process
 * published to Redis within their TTL (summed across processes by label set), and gauges read from
 * Redis at scrape time.
 */
export async function renderMetrics(deps: MetricsRouteDeps): Promise<{ text: string; contentType: string }> {
  const { config, redis, keys, metrics, logger } = deps;
  const own = await metrics.registry.getMetricsAsJSON();
  let others: MetricsJson[] = [];
  try {
    others = await withinDeadline(
      readSnapshots(redis, keys, {
        except: metrics.process,
        maxAgeMs: config.metrics.publishIntervalMs * 3,
        logger,
      }),
      scrapeDeadlineMs,
      'reading other processes’ metrics',
    );
  } catch (error) {
    logger.warn({ err: error }, 'metrics of other processes unreadable; answering this process’s own');
  }
  const merged: Registry = AggregatorRegistry.aggregate([own, ...others].map(keepPerProcess));

  let gauges: Registry;
  try {
    gauges = await withinDeadline(
      scrapeGauges({
        redis,
        keys,
        vendors: config.vendors.map((v) => v.id),
        queues: deps.queues,
      }),
      scrapeDeadlineMs,
      'reading gauges from Redis',
    );
  } catch (error) {
    logger.warn({ err: error }, 'scrape-time gauges unreadable');
    gauges = new Registry();
    new Gauge({
      name: 'upcause_redis_up',
      help: 'Whether Redis answered this scrape (1) or not (0).',
      registers: [gauges],
    }).set(0);
  }
  new Gauge({
    name: 'upcause_metrics_processes',
    help: 'Processes whose metrics this answer merges (this one and those that published within their TTL).',
    registers: [gauges],
  }).set(1 + others.length);

  const all = Registry.merge([merged, gauges]);
  return { text: await all.metrics(), contentType: all.contentType };
}

/**
 * `GET /metrics` (scope `metrics`, or `admin`): open when the API has no tokens, as every route is
 * (the API then binds to loopback unless api.allowUnauthenticated says otherwise).
 */
export function registerMetricsRoute(app: ApiServer, deps: MetricsRouteDeps): void {
  app.get('/metrics', { onRequest: requireScope(deps.config, 'metrics') }, async (_request, reply) => {
    const { text, contentType } = await renderMetrics(deps);
    return reply.header('content-type', contentType).send(text);
  });
}

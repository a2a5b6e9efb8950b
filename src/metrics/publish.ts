import type { MetricObjectWithValues, MetricValue, Registry } from 'prom-client';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { Keys } from '../store/keys.js';
import type { RedisClient } from '../store/redis.js';

/** A registry's metrics as `getMetricsAsJSON()` gives them, the form AggregatorRegistry merges. */
export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

// What another process wrote: checked in shape only, as far as aggregation relies on it.
const snapshotSchema = z.object({
  at: z.number(),
  metrics: z.array(
    z.looseObject({
      name: z.string(),
      help: z.string(),
      type: z.string(),
      // One prom-client can aggregate: an unknown one would fail the whole answer.
      aggregator: z.enum(['sum', 'first', 'min', 'max', 'average', 'omit']),
      // JSON has no Infinity or NaN: such values arrive as null and are left out.
      values: z.array(
        z.looseObject({ value: z.number().nullable(), labels: z.record(z.string(), z.unknown()) }),
      ),
    }),
  ),
});

/** A snapshot outlives a few missed publications, then the process counts as gone. */
const ttlIntervals = 3;

/**
 * Publishes this process's registry to Redis every `intervalMs` (and at once), under its own key with a
 * TTL, so the API processes' `/metrics` can merge it; close() removes it. A failed write is logged and
 * retried at the next interval: metrics never stop a worker.
 */
export function createMetricsPublisher(deps: {
  redis: RedisClient;
  keys: Keys;
  process: string;
  registry: Registry;
  intervalMs: number;
  logger: Logger;
}) {
  const { redis, keys } = deps;
  const key = keys.metricsSnapshot(deps.process);
  const ttlMs = deps.intervalMs * ttlIntervals;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> = Promise.resolve();
  let warned = false;

  async function publish(): Promise<void> {
    const now = Date.now();
    const metrics = await deps.registry.getMetricsAsJSON();
    await redis
      .multi()
      .set(key, JSON.stringify({ at: now, metrics }), 'PX', ttlMs)
      .zadd(keys.metricsProcesses, now, deps.process)
      .exec();
    warned = false;
  }

  function tick(): void {
    inFlight = publish().catch((error: unknown) => {
      // Once per outage: Redis trouble is reported by the workers' own logs.
      if (!warned) deps.logger.warn({ err: error }, 'metrics not published to Redis; retrying');
      warned = true;
    });
  }

  return {
    start(): void {
      tick();
      timer = setInterval(tick, deps.intervalMs);
      timer.unref();
    },
    /** Publishes now (tests, and before a planned stop). */
    flush(): Promise<void> {
      tick();
      return inFlight;
    },
    /** Stops publishing and removes this process's snapshot. */
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await inFlight;
      await redis
        .multi()
        .del(key)
        .zrem(keys.metricsProcesses, deps.process)
        .exec()
        .catch(() => undefined);
    },
  };
}
export type MetricsPublisher = ReturnType<typeof createMetricsPublisher>;

/**
 * The snapshots other processes published within their TTL, `except` this one (its registry is read
 * live). Processes gone longer than the TTL are pruned from the index on the way.
 */
export async function readSnapshots(
  redis: RedisClient,
  keys: Keys,
  options: { except: string; maxAgeMs: number; logger: Logger },
): Promise<MetricsJson[]> {
  const since = Date.now() - options.maxAgeMs;
  const processes = (await redis.zrangebyscore(keys.metricsProcesses, since, '+inf')).filter(
    (id) => id !== options.except,
  );
  await redis.zremrangebyscore(keys.metricsProcesses, '-inf', `(${since}`);
  if (processes.length === 0) return [];
  const raw = await redis.mget(processes.map((id) => keys.metricsSnapshot(id)));
  const snapshots: MetricsJson[] = [];
  raw.forEach((text, index) => {
    if (text === null) return;
    try {
      const parsed = snapshotSchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        const metrics = parsed.data.metrics.map((m) => ({
          ...m,
          values: m.values.filter((v) => v.value !== null),
        }));
        snapshots.push(metrics as unknown as MetricsJson);
      } else
        options.logger.warn({ process: processes[index] }, 'metrics snapshot of unexpected shape; skipped');
    } catch {
      options.logger.warn({ process: processes[index] }, 'metrics snapshot is not JSON; skipped');
    }
  });
  return snapshots;
}

import { describeRedisError, withinDeadline, type RedisWhere } from '../store/redis-errors.js';
import type { ApiServer } from './errors-route.js';
import type { RedisClient } from '../store/redis.js';

/** One part of the process that must work for it to be ready; `check` returns why it is not, or null. */
export interface ReadinessProbe {
  name: string;
  check(): Promise<string | null> | string | null;
}

/** How long /readyz waits for Redis, and for each probe. */
const probeDeadlineMs = 1500;

/**
 * `GET /readyz`: 200 `{status: "ready", checks}` when Redis answers and every probe of this process's
 * roles passes, else 503 `{status: "not ready", notReady: {name: reason}, checks}`. `/healthz` stays
 * the liveness answer; this one is for load balancers and container health checks.
 */
export function registerReadiness(
  app: ApiServer,
  deps: { redis: RedisClient; redisUrl: RedisWhere; probes: ReadonlyArray<ReadinessProbe> },
): void {
  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, string> = {};
    const notReady: Record<string, string> = {};
    const run = async (name: string, check: () => Promise<string | null> | string | null) => {
      let problem: string | null;
      try {
        problem = await withinDeadline(Promise.resolve(check()), probeDeadlineMs);
      } catch (error) {
        // Probes ask Redis too (the scheduler's queues): their failures are Redis's, in our words.
        problem = describeRedisError(error, deps.redisUrl).message;
      }
      checks[name] = problem ?? 'ok';
      if (problem) notReady[name] = problem;
    };
    await run('redis', async () => {
      await deps.redis.ping();
      return null;
    });
    await Promise.all(deps.probes.map((probe) => run(probe.name, () => probe.check())));
    if (Object.keys(notReady).length === 0) return { status: 'ready', checks };
    return reply.code(503).send({ status: 'not ready', notReady, checks });
  });
}

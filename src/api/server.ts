import Fastify from 'fastify';
import { redactingLogSerializers } from './auth.js';
import { registerAnnotationRoutes } from './annotations-route.js';
import { registerCheckRoutes } from './check-route.js';
import { registerDigestRoutes } from './digest-route.js';
import { registerVendorRoutes } from './vendor-routes.js';
import { registerConsole } from '../console/index.js';
import { registerChangeRoutes } from './changes-route.js';
import { registerErrorRoutes } from './errors-route.js';
import { registerIncidentRoutes } from './incidents-route.js';
import { registerDocs } from './openapi.js';
import { registerReadiness, type ReadinessProbe } from './readiness.js';
import { registerWebhookRoutes } from './webhooks-route.js';
import { createChangeStore } from '../store/changes.js';
import type { Config } from '../config.js';
import { createIncidentStore } from '../store/incidents.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { keysOf } from '../store/keys.js';
import { describeRedisError } from '../store/redis-errors.js';
import type { VendorStore } from '../store/vendors.js';
import type { RedisClient } from '../store/redis.js';

/**
 * Builds the HTTP API. With no tokens configured the API is open (it binds to loopback by default);
 * once tokens exist every /v1 route needs one with the right scope.
 */
export function createApi(deps: {
  config: Config;
  store: VendorStore;
  redis: RedisClient;
  logger: Logger;
  /** How long an ingest request waits on Redis before answering 503. */
  redisDeadlineMs?: number;
  /** What `/readyz` checks besides Redis: the loops of the roles this process runs. */
  readiness?: ReadinessProbe[];
  /** Where the API counts what it takes in (the `/metrics` route itself is added by the app). */
  metrics?: Metrics;
}) {
  const { config, store, redis } = deps;
  const logger = deps.logger.child({ component: 'api' }, { serializers: redactingLogSerializers });
  const app = Fastify({ loggerInstance: logger, bodyLimit: config.api.maxBodyBytes });
  const keys = keysOf(config);
  const routeDeps = { config, redis, keys, logger };
  const incidents = createIncidentStore(redis, keys);
  const changes = createChangeStore(redis, keys);
  registerErrorRoutes(app, {
    ...routeDeps,
    ...(deps.redisDeadlineMs ? { redisDeadlineMs: deps.redisDeadlineMs } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
  registerIncidentRoutes(app, { ...routeDeps, incidents });
  registerChangeRoutes(app, { ...routeDeps, changes });
  registerWebhookRoutes(app, { ...routeDeps, incidents, changes });
  registerAnnotationRoutes(app, routeDeps);
  registerVendorRoutes(app, { ...routeDeps, store });
  registerCheckRoutes(app, { ...routeDeps, store });
  registerDigestRoutes(app, routeDeps);
  registerConsole(app, { ...routeDeps, store });
  registerDocs(app);

  app.get('/healthz', async (_request, reply) => {
    try {
      await redis.ping();
      return { status: 'ok', redis: 'ok', vendors: config.vendors.length };
    } catch (error) {
      return reply.code(503).send({
        status: 'degraded',
        redis: 'unreachable',
        error: describeRedisError(error, config.redis).message,
      });
    }
  });
  registerReadiness(app, { redis, redisUrl: config.redis, probes: deps.readiness ?? [] });

  return app;
}

import Fastify from 'fastify';
import { requireScope } from './api/auth.js';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { VendorStore } from './vendor-store.js';

/**
 * Builds the HTTP API. With no tokens configured the API is open (it binds to loopback by default);
 * once tokens exist every /v1 route needs one with the right scope.
 */
export function createApi(deps: { config: Config; store: VendorStore; redis: Redis; logger: Logger }) {
  const { config, store, redis } = deps;
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'api' }),
    bodyLimit: config.api.maxBodyBytes,
  });

  app.get('/healthz', async (_request, reply) => {
    try {
      await redis.ping();
      return { status: 'ok', redis: 'ok', vendors: config.vendors.length };
    } catch (error) {
      return reply
        .code(503)
        .send({ status: 'degraded', redis: 'unreachable', error: (error as Error).message });
    }
  });

  app.get('/v1/vendors', { preHandler: requireScope(config, 'read') }, async () => {
    const views = await Promise.all(config.vendors.map((vendor) => store.view(vendor.id)));
    return {
      vendors: views.map((view, index) => ({
        id: view.vendor,
        name: config.vendors[index]!.name,
        url: config.vendors[index]!.url,
        status: view.status,
        health: view.health,
        openIncidents: view.openIncidents,
      })),
    };
  });

  return app;
}

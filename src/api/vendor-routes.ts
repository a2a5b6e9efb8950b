import { requireScope } from './auth.js';
import type { ApiServer, RouteDeps } from './errors-route.js';
import { createRateLimiter, rateLimitHook } from './rate-limit.js';
import type { VendorStore } from '../store/vendors.js';

/** `GET /v1/vendors`: each watched vendor's status, poll health and open incidents. */
export function registerVendorRoutes(app: ApiServer, deps: RouteDeps & { store: VendorStore }): void {
  const { config, redis, keys, logger, store } = deps;
  const limiter = createRateLimiter({ redis, keys, limit: config.api.rateLimit, logger });
  app.get(
    '/v1/vendors',
    { preHandler: [requireScope(config, 'read'), rateLimitHook(config, limiter)] },
    async () => {
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
    },
  );
}

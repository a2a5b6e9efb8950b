import { CheckQueryError } from '../core/check/types.js';
import { createCheckCache, runCheck } from '../store/check.js';
import type { VendorStore } from '../store/vendors.js';
import { installApiErrorHandler, redactingLogSerializers, requireScope } from './auth.js';
import type { ApiServer, RouteDeps } from './errors-route.js';
import { createRateLimiter, rateLimitHook } from './rate-limit.js';

/**
 * `GET /v1/check?vendor=&region=&at=&service=&customer=` (read): is a vendor at fault for this
 * customer, region and time? Answers a CheckAnswer; 400 naming the field for a query it cannot read.
 */
export function registerCheckRoutes(
  app: ApiServer,
  deps: RouteDeps & { store: VendorStore; now?: () => number },
): void {
  const { config, redis, keys, logger } = deps;
  const now = deps.now ?? Date.now;
  const limiter = createRateLimiter({ redis, keys, limit: config.api.rateLimit, logger });
  // One per API: agents asking about "now" in a burst read each minute bucket once a second.
  const cache = createCheckCache();
  app.register(
    async (scope) => {
      installApiErrorHandler(scope, { bodyLimit: config.api.maxBodyBytes, accepts: 'application/json' });
      scope.get(
        '/v1/check',
        { onRequest: [requireScope(config, 'read'), rateLimitHook(config, limiter)] },
        async (request, reply) => {
          try {
            return await runCheck({ redis, keys, config, cache }, request.query as never, new Date(now()));
          } catch (error) {
            if (error instanceof CheckQueryError)
              return reply.code(400).send({ error: error.message, field: error.field });
            throw error;
          }
        },
      );
    },
    { logSerializers: redactingLogSerializers },
  );
}

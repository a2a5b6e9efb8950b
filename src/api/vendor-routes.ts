import { describeIssues } from './webhooks/generic.js';
import { installApiErrorHandler, redactingLogSerializers, requireScope } from './auth.js';
import type { ApiServer, RouteDeps } from './errors-route.js';
import { createRateLimiter, rateLimitHook } from './rate-limit.js';
import {
  listSuspects,
  loadVendorDetail,
  suspectQuerySchema,
  vendorDetailQuerySchema,
} from '../store/vendor-detail.js';
import type { VendorStore } from '../store/vendors.js';

export { suspectQuerySchema, vendorDetailQuerySchema };

/**
 * `GET /v1/vendors`: each watched vendor's status, poll health and open incidents.
 * `GET /v1/vendors/:id?from=&to=&limit=&step=`: one vendor's status, poll health, incident history,
 * suspected issues, acknowledgment lag and our error rate on it.
 * `GET /v1/suspects?open=&from=&to=&vendor=&limit=`: open and recent suspected vendor issues.
 */
export function registerVendorRoutes(
  app: ApiServer,
  deps: RouteDeps & { store: VendorStore; now?: () => number },
): void {
  const { config, redis, keys, logger, store } = deps;
  const now = deps.now ?? Date.now;
  const limiter = createRateLimiter({ redis, keys, limit: config.api.rateLimit, logger });
  const guard = [requireScope(config, 'read'), rateLimitHook(config, limiter)];

  app.register(
    async (scope) => {
      installApiErrorHandler(scope, { bodyLimit: config.api.maxBodyBytes, accepts: 'application/json' });

      scope.get('/v1/vendors', { onRequest: guard }, async () => {
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

      scope.get<{ Params: { id: string } }>(
        '/v1/vendors/:id',
        { onRequest: guard },
        async (request, reply) => {
          const parsed = vendorDetailQuerySchema.safeParse(request.query);
          if (!parsed.success) {
            return reply
              .code(400)
              .send({ error: describeIssues(parsed.error.issues, request.query, 'query') });
          }
          const detail = await loadVendorDetail(
            { redis, keys, config, store },
            request.params.id,
            new Date(now()),
            parsed.data,
          );
          if (!detail) {
            return reply.code(404).send({ error: `vendor "${request.params.id}" is not a watched vendor` });
          }
          return detail;
        },
      );

      scope.get('/v1/suspects', { onRequest: guard }, async (request, reply) => {
        const parsed = suspectQuerySchema.safeParse(request.query);
        if (!parsed.success) {
          return reply.code(400).send({ error: describeIssues(parsed.error.issues, request.query, 'query') });
        }
        return listSuspects({ redis, keys }, parsed.data, new Date(now()));
      });
    },
    { logSerializers: redactingLogSerializers },
  );
}

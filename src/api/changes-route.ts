import { z } from 'zod';
import { changeEventSchema, type ChangeEvent } from '../core/contracts.js';
import type { ChangeStore } from '../store/changes.js';
import { describeIssues } from './webhooks/generic.js';
import { installApiErrorHandler, redactingLogSerializers, requireScope } from './auth.js';
import type { ApiServer, RouteDeps } from './errors-route.js';
import { queryTimeSchema } from './incidents-route.js';
import { createRateLimiter, rateLimitHook } from './rate-limit.js';

export const changeQuerySchema = z.strictObject({
  from: queryTimeSchema.optional(),
  to: queryTimeSchema.optional(),
  service: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

/**
 * Our changes: `POST /v1/changes` (ingest; one change or an array; deduplicated by `id`, else by
 * service, kind, ref and at) answers `{added, duplicates, rejected: [{index, reason}]}`;
 * `GET /v1/changes?from=&to=&service=&limit=` (read; newest first).
 */
export function registerChangeRoutes(app: ApiServer, deps: RouteDeps & { changes: ChangeStore }): void {
  const { config, redis, keys, logger, changes } = deps;
  const limiter = createRateLimiter({ redis, keys, limit: config.api.rateLimit, logger });
  const guard = (scope: 'ingest' | 'read') => [requireScope(config, scope), rateLimitHook(config, limiter)];

  app.register(
    async (scope) => {
      installApiErrorHandler(scope, { bodyLimit: config.api.maxBodyBytes, accepts: 'application/json' });

      scope.post('/v1/changes', { onRequest: guard('ingest') }, async (request, reply) => {
        const body: unknown = request.body;
        const items = Array.isArray(body) ? body : [body];
        const good: ChangeEvent[] = [];
        const rejected: Array<{ index: number; reason: string }> = [];
        items.forEach((item, index) => {
          const parsed = changeEventSchema.safeParse(item);
          if (parsed.success) good.push(parsed.data);
          else
            rejected.push({ index, reason: describeIssues(parsed.error.issues, item, `changes[${index}]`) });
        });
        if (good.length === 0) {
          return reply.code(rejected.length > 0 ? 400 : 202).send({ added: 0, duplicates: 0, rejected });
        }
        const added = await changes.add(good);
        const fresh = added.filter(Boolean).length;
        return reply.code(202).send({ added: fresh, duplicates: added.length - fresh, rejected });
      });

      scope.get('/v1/changes', { onRequest: guard('read') }, async (request, reply) => {
        const parsed = changeQuerySchema.safeParse(request.query);
        if (!parsed.success) {
          return reply.code(400).send({ error: describeIssues(parsed.error.issues, request.query, 'query') });
        }
        return { changes: await changes.list(parsed.data) };
      });
    },
    { logSerializers: redactingLogSerializers },
  );
}

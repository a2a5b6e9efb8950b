import { z } from 'zod';
import { eventTimeSchema, internalIncidentSchema } from '../core/contracts.js';
import { applyIncidentPatch, type IncidentStore } from '../store/incidents.js';
import { incidentTimeProblems } from './incident-times.js';
import { describeIssues } from './webhooks/generic.js';
import { installApiErrorHandler, redactingLogSerializers, requireScope } from './auth.js';
import type { ApiServer, RouteDeps } from './errors-route.js';
import { createRateLimiter, rateLimitHook } from './rate-limit.js';

/** A time in a query string: ISO-8601 or epoch milliseconds (all digits). */
export const queryTimeSchema = z.preprocess(
  (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
  eventTimeSchema,
);

const queryText = z.string().min(1).max(512);

export const incidentQuerySchema = z.strictObject({
  from: queryTimeSchema.optional(),
  to: queryTimeSchema.optional(),
  service: queryText.optional(),
  open: z.enum(['true', 'false', '1', '0']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
});

export const incidentPatchSchema = z
  .strictObject({
    title: z.string().max(2000).optional(),
    resolvedAt: eventTimeSchema.nullable().optional(),
    // The contract's lists without their defaults: an absent field must leave the stored one alone.
    regions: internalIncidentSchema.shape.regions.unwrap().optional(),
    customers: internalIncidentSchema.shape.customers.unwrap().optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'expected at least one of title, resolvedAt, regions, customers',
  });

/**
 * Our incidents: `POST /v1/incidents` (ingest; create or replace by id), `PATCH /v1/incidents/:id`
 * (ingest; title, resolvedAt, regions, customers), `GET /v1/incidents?from=&to=&service=&open=true&limit=`
 * (read; newest start first) and `GET /v1/incidents/:id` (read).
 */
export function registerIncidentRoutes(
  app: ApiServer,
  deps: RouteDeps & { incidents: IncidentStore; now?: () => number },
): void {
  const { config, redis, keys, logger, incidents } = deps;
  const now = deps.now ?? Date.now;
  const limiter = createRateLimiter({ redis, keys, limit: config.api.rateLimit, logger });
  const guard = (scope: 'ingest' | 'read') => [requireScope(config, scope), rateLimitHook(config, limiter)];

  app.register(
    async (scope) => {
      installApiErrorHandler(scope, { bodyLimit: config.api.maxBodyBytes, accepts: 'application/json' });

      scope.post('/v1/incidents', { onRequest: guard('ingest') }, async (request, reply) => {
        const parsed = internalIncidentSchema.safeParse(request.body);
        if (!parsed.success) {
          return reply.code(400).send({ error: describeIssues(parsed.error.issues, request.body, '') });
        }
        const problems = incidentTimeProblems(parsed.data, now());
        if (problems.length > 0) return reply.code(400).send({ error: problems.join('; ') });
        const written = await incidents.upsert(parsed.data);
        return reply.code(written.change === 'opened' ? 201 : 200).send(written);
      });

      scope.patch<{ Params: { id: string } }>(
        '/v1/incidents/:id',
        { onRequest: guard('ingest') },
        async (request, reply) => {
          const parsed = incidentPatchSchema.safeParse(request.body);
          if (!parsed.success) {
            return reply.code(400).send({ error: describeIssues(parsed.error.issues, request.body, '') });
          }
          // Judged against the stored incident inside the compare-and-set, so a concurrent write of the
          // start cannot slip a resolution before it.
          const patch = parsed.data;
          let problems: string[] = [];
          const written = await incidents.update(request.params.id, (before) => {
            if (!before) return null;
            const after = applyIncidentPatch(before, patch);
            problems =
              patch.resolvedAt === undefined ? [] : incidentTimeProblems(after, now(), ['resolvedAt']);
            return problems.length > 0 ? null : after;
          });
          if (problems.length > 0) return reply.code(400).send({ error: problems.join('; ') });
          if (!written) return reply.code(404).send({ error: `incident "${request.params.id}" not found` });
          return written;
        },
      );

      scope.get('/v1/incidents', { onRequest: guard('read') }, async (request, reply) => {
        const parsed = incidentQuerySchema.safeParse(request.query);
        if (!parsed.success) {
          return reply.code(400).send({ error: describeIssues(parsed.error.issues, request.query, 'query') });
        }
        const { from, to, service, open, limit } = parsed.data;
        const list = await incidents.list({
          from,
          to,
          service,
          openOnly: open === 'true' || open === '1',
          limit,
        });
        return { incidents: list };
      });

      scope.get<{ Params: { id: string } }>(
        '/v1/incidents/:id',
        { onRequest: guard('read') },
        async (request, reply) => {
          const incident = await incidents.get(request.params.id);
          if (!incident) return reply.code(404).send({ error: `incident "${request.params.id}" not found` });
          return incident;
        },
      );
    },
    { logSerializers: redactingLogSerializers },
  );
}

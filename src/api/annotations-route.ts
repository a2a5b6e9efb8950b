import { z } from 'zod';
import { createAnnotationStore, toAnnotation } from '../store/annotations.js';
import { installApiErrorHandler, redactingLogSerializers, requireScope } from './auth.js';
import type { ApiServer, RouteDeps } from './errors-route.js';
import { createRateLimiter, rateLimitHook } from './rate-limit.js';

const querySchema = z.strictObject({
  /** Include every version's verdict and top candidate (the history a responder scrolls). */
  history: z.enum(['true', 'false', '1', '0']).optional(),
});

/**
 * `GET /v1/incidents/:id/annotation[?history=true]` (read): the latest annotation of one of our
 * incidents in the replay contract's shape, with its version, when it was created and last
 * re-evaluated; with `history`, each earlier version's verdict and top candidate. 404 until the
 * annotator has evaluated the incident.
 */
export function registerAnnotationRoutes(app: ApiServer, deps: RouteDeps): void {
  const { config, redis, keys, logger } = deps;
  const limiter = createRateLimiter({ redis, keys, limit: config.api.rateLimit, logger });
  const annotations = createAnnotationStore(redis, keys);

  app.register(
    async (scope) => {
      installApiErrorHandler(scope, { bodyLimit: config.api.maxBodyBytes, accepts: 'application/json' });
      scope.get<{ Params: { id: string } }>(
        '/v1/incidents/:id/annotation',
        { onRequest: [requireScope(config, 'read'), rateLimitHook(config, limiter)] },
        async (request, reply) => {
          const query = querySchema.safeParse(request.query);
          if (!query.success) {
            const issue = query.error.issues[0];
            return reply
              .code(400)
              .send({ error: `query ${issue?.path.join('.') || ''}: ${issue?.message ?? 'invalid'}`.trim() });
          }
          const { id } = request.params;
          const latest = await annotations.latest(id);
          if (!latest) return reply.code(404).send({ error: `no annotation for incident "${id}" yet` });
          const history = query.data.history === 'true' || query.data.history === '1';
          return {
            ...toAnnotation(latest),
            version: latest.version,
            createdAt: latest.createdAt,
            evaluatedAt: latest.evaluatedAt,
            ...(history
              ? {
                  versions: (await annotations.versions(id)).map((v) => ({
                    version: v.version,
                    verdict: v.verdict,
                    top: v.top,
                    confidence: v.candidates[0]?.confidence ?? null,
                    annotatedAt: v.annotatedAt,
                    createdAt: v.createdAt,
                  })),
                }
              : {}),
          };
        },
      );
    },
    { logSerializers: redactingLogSerializers },
  );
}

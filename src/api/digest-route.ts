import { z } from 'zod';
import type { Config } from '../config.js';
import { addDays, dayIn, defaultDigestPeriod, digestPeriod } from '../core/digest/period.js';
import { renderDigest } from '../core/digest/render.js';
import { digestQuerySchema, type DigestPeriod, type DigestQuery } from '../core/digest/types.js';
import { buildDigest } from '../store/digest.js';
import { listDigestRuns } from '../store/digest-runs.js';
import { describeIssues } from './webhooks/generic.js';
import { installApiErrorHandler, redactingLogSerializers, requireScope } from './auth.js';
import type { ApiServer, RouteDeps } from './errors-route.js';
import { createRateLimiter, rateLimitHook } from './rate-limit.js';

export { digestQuerySchema };

/** `GET /v1/digest/runs`: how many recent run records. */
export const digestRunsQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1, 'limit must be at least 1')
    .max(366, 'limit must be at most 366')
    .default(30),
});

/**
 * The period a digest query asks for, as seen at `now`: `days` (default the config's) ending with
 * `date` (default yesterday in the digest's time zone). A date after today there is refused.
 */
export function digestPeriodFor(
  query: Pick<DigestQuery, 'date' | 'days'>,
  digest: Pick<Config['digest'], 'days' | 'timeZone'>,
  now: Date,
): { period: DigestPeriod } | { field: 'date'; message: string } {
  const days = query.days ?? digest.days;
  if (query.date === undefined) return { period: defaultDigestPeriod(now, days, digest.timeZone) };
  const today = dayIn(now.getTime(), digest.timeZone);
  if (query.date > today) {
    return {
      field: 'date',
      message: `${query.date} is in the future (today is ${today} in ${digest.timeZone}); yesterday is ${addDays(today, -1)}`,
    };
  }
  return { period: digestPeriod(query.date, days, digest.timeZone) };
}

/**
 * `GET /v1/digest?date=&days=&format=` (read): the vendor-risk digest of a past period, rendered in
 * `format` (json by default) with its content type; 400 naming the field for a bad query.
 * `GET /v1/digest/runs?limit=` (read): the scheduled runs' records, newest first.
 */
export function registerDigestRoutes(app: ApiServer, deps: RouteDeps & { now?: () => number }): void {
  const { config, redis, keys, logger } = deps;
  const now = deps.now ?? Date.now;
  const limiter = createRateLimiter({ redis, keys, limit: config.api.rateLimit, logger });
  const guard = [requireScope(config, 'read'), rateLimitHook(config, limiter)];
  app.register(
    async (scope) => {
      installApiErrorHandler(scope, { bodyLimit: config.api.maxBodyBytes, accepts: 'application/json' });

      scope.get('/v1/digest', { onRequest: guard }, async (request, reply) => {
        const parsed = digestQuerySchema.safeParse(request.query);
        if (!parsed.success) {
          return reply.code(400).send({ error: describeIssues(parsed.error.issues, request.query, 'query') });
        }
        const at = new Date(now());
        const chosen = digestPeriodFor(parsed.data, config.digest, at);
        if ('field' in chosen)
          return reply.code(400).send({ error: `query.${chosen.field}: ${chosen.message}` });
        const digest = await buildDigest({ redis, keys, config }, chosen.period, at);
        const { contentType, body } = renderDigest(digest, parsed.data.format);
        return reply.type(contentType).send(body);
      });

      scope.get('/v1/digest/runs', { onRequest: guard }, async (request, reply) => {
        const parsed = digestRunsQuerySchema.safeParse(request.query);
        if (!parsed.success) {
          return reply.code(400).send({ error: describeIssues(parsed.error.issues, request.query, 'query') });
        }
        return { runs: await listDigestRuns(redis, keys, parsed.data.limit) };
      });
    },
    { logSerializers: redactingLogSerializers },
  );
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { describeRedisError } from '../store/redis-errors.js';

export type Scope = 'ingest' | 'read' | 'metrics' | 'admin';
export type ApiToken = Config['api']['tokens'][number];

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares two secrets in constant time (as digests, so their lengths do not leak either). */
export function secretEquals(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The token in an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/** The configured token a bearer header names (compared as digests, in constant time), or null. */
export function findToken(config: Config, header: string | undefined): ApiToken | null {
  const bearer = bearerToken(header);
  if (bearer === null) return null;
  const presented = digest(bearer);
  let found: ApiToken | null = null;
  for (const token of config.api.tokens) {
    // Every token is compared, found or not, so timing does not tell how many there are or which matched.
    if (timingSafeEqual(digest(token.token), presented)) found = token;
  }
  return found;
}

// The token a request authenticated with, so later hooks (the rate limiter) need not hash it again.
const authenticated = new WeakMap<FastifyRequest, ApiToken>();

/** The token `requireScope` accepted for this request, if any. */
export function authenticatedToken(request: FastifyRequest): ApiToken | undefined {
  return authenticated.get(request);
}

/**
 * A preHandler (or onRequest hook) requiring `scope`. With no tokens configured the API is open (it
 * binds to loopback by default); once tokens exist every guarded route needs one with the scope (or
 * `admin`).
 */
export function requireScope(config: Config, scope: Scope) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (config.api.tokens.length === 0) return;
    const token = findToken(config, request.headers.authorization);
    if (!token) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'missing or unknown bearer token (send Authorization: Bearer <token>)' });
    }
    if (!token.scopes.includes(scope) && !token.scopes.includes('admin')) {
      return reply.code(403).send({ error: `token "${token.name}" lacks the "${scope}" scope` });
    }
    authenticated.set(request, token);
  };
}

/** A URL with the values of secret-bearing query parameters (`token`, `secret`, `key`…) masked. */
export function redactUrl(url: string): string {
  return url.replace(
    /([?&](?:token|access_token|secret|key|api_key|apikey|signature)=)[^&#]*/gi,
    '$1[redacted]',
  );
}

function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * Log serializers for route groups (pass as the register option `logSerializers`): fastify's default
 * `req` serializer logs the full URL, and `?token=` (Opsgenie) would reach the log. Fastify types
 * serializers as returning strings; pino accepts any value, hence the cast.
 */
export const redactingLogSerializers = { req: serializeRequest } as unknown as Record<
  string,
  (value: unknown) => string
>;

// What ioredis says when a producer connection (no offline queue) cannot send or lost its answer.
const redisUnavailable =
  /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|MaxRetriesPerRequest|Command timed out/i;

/**
 * An error handler for one encapsulated route group: body-limit, content-type and parse failures
 * answer JSON that says what to change, and 5xx details stay in the log.
 */
export function installApiErrorHandler(
  scope: FastifyInstance,
  options: { bodyLimit: number; accepts: string },
): void {
  const { bodyLimit, accepts } = options;
  scope.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
      return reply.code(413).send({
        error: `request body is larger than the limit of ${bodyLimit} bytes (api.maxBodySize); send smaller batches`,
      });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
      return reply.code(415).send({
        error: `unsupported content-type ${JSON.stringify(request.headers['content-type'] ?? '')}: send ${accepts}`,
      });
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: error.message });
    }
    if (redisUnavailable.test(error.message)) {
      request.log.warn({ err: error }, 'Redis unavailable; answering 503');
      return reply
        .code(503)
        .header('retry-after', 1)
        .send({ error: `${describeRedisError(error).message}; retry later` });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'internal error; see the server log' });
  });
}

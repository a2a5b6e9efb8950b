import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

export type Scope = 'ingest' | 'read' | 'admin';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The configured token a bearer header names (compared as digests, in constant time), or null. */
export function findToken(
  config: Config,
  header: string | undefined,
): Config['api']['tokens'][number] | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) return null;
  const presented = digest(match[1]!);
  let found: Config['api']['tokens'][number] | null = null;
  for (const token of config.api.tokens) {
    // Every token is compared, found or not, so timing does not tell how many there are or which matched.
    if (timingSafeEqual(digest(token.token), presented)) found = token;
  }
  return found;
}

/**
 * A preHandler requiring `scope`. With no tokens configured the API is open (it binds to loopback by
 * default); once tokens exist every guarded route needs one with the scope (or `admin`).
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
  };
}

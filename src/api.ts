import { timingSafeEqual, createHash } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { VendorStore } from './vendor-store.js';

type Scope = 'ingest' | 'read' | 'admin';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Finds the configured token a bearer header names, comparing digests in constant time. */
function tokenScopes(config: Config, header: string | undefined): Scope[] | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) return null;
  const presented = digest(match[1]!);
  let scopes: Scope[] | null = null;
  for (const token of config.api.tokens) {
    if (timingSafeEqual(digest(token.token), presented)) scopes = token.scopes;
  }
  return scopes;
}

/**
 * Builds the HTTP API. With no tokens configured the API is open (it binds to loopback by default);
 * once tokens exist every /v1 route needs one with the right scope.
 */
export function createApi(deps: { config: Config; store: VendorStore; redis: Redis; logger: Logger }) {
  const { config, store, redis } = deps;
  const app = Fastify({ loggerInstance: deps.logger.child({ component: 'api' }), bodyLimit: 1024 * 1024 });

  const requireScope = (scope: Scope) => async (request: FastifyRequest, reply: FastifyReply) => {
    if (config.api.tokens.length === 0) return;
    const scopes = tokenScopes(config, request.headers.authorization);
    if (!scopes) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'missing or unknown bearer token' });
    }
    if (!scopes.includes(scope) && !scopes.includes('admin')) {
      return reply.code(403).send({ error: `this token lacks the "${scope}" scope` });
    }
  };

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

  app.get('/v1/vendors', { preHandler: requireScope('read') }, async () => {
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

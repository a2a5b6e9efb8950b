import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { RouteDeps, ApiServer } from '../api/errors-route.js';
import { createAnnotationStore } from '../store/annotations.js';
import { createIncidentStore } from '../store/incidents.js';
import { createSuspectStore } from '../store/suspects.js';
import type { VendorStore } from '../store/vendors.js';
import { renderError, sendPage, wantsHtml } from './error-page.js';
import { registerConsoleRoutes } from './routes.js';
import type { ConsoleStores } from './pages.js';

/**
 * The package root: views and CSS live under `<root>/src/console/`, which exists both when running
 * from the TypeScript sources and from `dist/` (tsc copies no templates; package.json ships them).
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('console: package.json not found above ' + import.meta.url);
    dir = parent;
  }
  return dir;
}

export const consoleDir = join(packageRoot(), 'src', 'console');

/**
 * The web console served at `/`. Its plugins (cookies, form bodies, CSRF, views, static files) are
 * registered in an encapsulated scope, so the JSON API's parsers, hooks and errors stay as they are.
 */
export function registerConsole(app: ApiServer, deps: RouteDeps & { store: VendorStore }): void {
  const { config, redis, keys } = deps;
  const stores: ConsoleStores = {
    config,
    redis,
    keys,
    vendors: deps.store,
    incidents: createIncidentStore(redis, keys),
    annotations: createAnnotationStore(redis, keys),
    suspects: createSuspectStore(redis, keys),
  };
  // Without a configured secret, sessions last until the process restarts.
  const secret = config.api.console.sessionSecret ?? randomBytes(32).toString('hex');

  app.register(async (scope: FastifyInstance) => {
    await scope.register(fastifyCookie, { secret });
    await scope.register(fastifyFormbody, { bodyLimit: 16 * 1024 });
    await scope.register(fastifyCsrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'upcause_csrf',
      cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/' },
    });
    await scope.register(fastifyView, {
      engine: { eta: new Eta({ views: join(consoleDir, 'views'), autoEscape: true, cache: true }) },
      templates: join(consoleDir, 'views'),
      production: true,
    });
    await scope.register(fastifyStatic, {
      root: join(consoleDir, 'static'),
      prefix: '/assets/',
      maxAge: '1h',
      decorateReply: false,
    });
    scope.setErrorHandler((error: FastifyError, request, reply) => renderError(error, request, reply));
    // Fastify has one not-found handler; browsers get a page, everyone else fastify's own JSON 404.
    scope.setNotFoundHandler((request, reply) => {
      if (wantsHtml(request))
        return sendPage(reply, 404, 'Page not found', 'There is no page at this address.');
      return reply.code(404).send({
        message: `Route ${request.method}:${request.url} not found`,
        error: 'Not Found',
        statusCode: 404,
      });
    });
    registerConsoleRoutes(scope, stores);
  });
}

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openApiPath, routeCatalog } from '../src/api/openapi.js';
import { createApi } from '../src/api/server.js';
import { createLogger } from '../src/logger.js';
import { connectRedis } from '../src/store/redis.js';
import { createVendorStore } from '../src/store/vendors.js';
import { apiConfig, readToken } from './support/api.js';
import { createTestRedis, redisUrl, type TestRedis } from './support/redis.js';

type Operation = {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses?: Record<string, unknown>;
  security?: unknown[];
};
type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
};

/**
 * Every method and full path fastify holds, read from its route tree (`printRoutes` with
 * `commonPrefix: false`): each line is a path segment under the line it is indented under.
 */
function registeredRoutes(tree: string): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = `${stack.join('')}${match[2]!}`;
    stack.push(match[2]!);
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim())) {
      if (method && method !== 'HEAD') routes.push({ method: method.toLowerCase(), path });
    }
  }
  return routes;
}

describe('the OpenAPI document at /docs', () => {
  let t: TestRedis;
  let app: ReturnType<typeof createApi>;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    t = await createTestRedis('openapi');
    const producer = await connectRedis(redisUrl, 'producer', 'openapi-test');
    const config = apiConfig(t);
    app = createApi({
      config,
      store: createVendorStore(producer, t.keys),
      redis: producer,
      logger: createLogger('silent'),
    });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    close = async () => {
      await app.close();
      producer.disconnect();
    };
  });

  afterAll(async () => {
    await close?.();
    await t?.cleanup();
  });

  async function document(): Promise<Document> {
    const response = await fetch(`${url}/docs/json`);
    expect(response.status).toBe(200);
    return (await response.json()) as Document;
  }

  test('documents every /v1, webhook and health route the API registers, and no other', async () => {
    const doc = await document();
    const served = registeredRoutes(app.printRoutes({ commonPrefix: false })).filter(
      (r) =>
        r.path.startsWith('/v1/') ||
        r.path.startsWith('/webhooks') ||
        r.path === '/healthz' ||
        r.path === '/readyz',
    );
    // The tree reader itself must have found the routes, or the check below would pass on nothing.
    expect(served).toContainEqual({ method: 'get', path: '/v1/incidents/:id/annotation' });
    expect(served).toContainEqual({ method: 'post', path: '/v1/webhooks/github' });
    expect(served).toContainEqual({ method: 'get', path: '/healthz' });
    expect(served).toContainEqual({ method: 'get', path: '/readyz' });
    const missing = served.filter((r) => !doc.paths[openApiPath(r.path)]?.[r.method]);
    expect(missing, 'routes the OpenAPI document lacks: add them to routeCatalog').toEqual([]);
    // And the other way: nothing documented that the API does not serve.
    const stale = routeCatalog.filter((d) => !served.some((r) => r.method === d.method && r.path === d.path));
    expect(stale, 'routes the document describes but the API does not serve').toEqual([]);
  });

  test('is an OpenAPI 3 document with unique operation ids and declared path parameters', async () => {
    const doc = await document();
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info.title).toBe('upcause');
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBe(routeCatalog.length);
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations) {
      expect(['get', 'post', 'patch', 'put', 'delete']).toContain(method);
      expect(Object.keys(op.responses ?? {}).length, `${method} ${path} answers`).toBeGreaterThan(0);
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        expect(op.parameters, `${method} ${path} declares {${name}}`).toContainEqual(
          expect.objectContaining({ name, in: 'path', required: true }),
        );
      }
    }
  });

  test('takes its query and body schemas from the zod schemas the routes validate with', async () => {
    const doc = await document();
    const check = doc.paths['/v1/check']?.get;
    expect(check?.parameters?.map((p) => p.name).sort()).toEqual([
      'at',
      'customer',
      'region',
      'service',
      'vendor',
    ]);
    expect(check?.parameters?.find((p) => p.name === 'at')?.schema).toMatchObject({
      type: 'string',
      maxLength: 200,
    });
    const limit = doc.paths['/v1/incidents']?.get?.parameters?.find((p) => p.name === 'limit');
    expect(limit?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 5000 });
    const errors = doc.paths['/v1/errors']?.post?.requestBody?.content;
    expect(Object.keys(errors ?? {})).toEqual(['application/json', 'application/x-ndjson']);
    expect(JSON.stringify(errors?.['application/json']?.schema)).toContain(
      '"status":{"type":"integer","minimum":100,"maximum":599}',
    );
    const generic = doc.paths['/v1/webhooks/generic']?.post?.requestBody?.content['application/json']?.schema;
    expect(generic).toMatchObject({ properties: { status: { enum: ['triggered', 'resolved'] } } });
    expect(doc.paths['/v1/vendors']?.get?.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/v1/webhooks/pagerduty']?.post?.security).toEqual([]);
  });

  test('/docs serves the browsable UI without a token while the data routes still need one', async () => {
    const page = await fetch(`${url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toMatch(/<html/i);
    expect(html).toContain('swagger-ui');
    const initializer = await fetch(`${url}/docs/static/swagger-initializer.js`);
    expect(initializer.status).toBe(200);
    expect(await initializer.text()).toContain('./json');
    const data = await fetch(`${url}/v1/vendors`);
    expect(data.status).toBe(401);
    const withToken = await fetch(`${url}/v1/vendors`, { headers: { authorization: `Bearer ${readToken}` } });
    expect(withToken.status).toBe(200);
  });
});

import { createHash } from 'node:crypto';
import { createDetectContext } from '../../src/http/detect.js';
import { FetchError } from '../../src/core/errors.js';
import { createHttpClient, type HttpClient } from '../../src/http/client.js';
import { vendorIncidentSchema, type VendorIncident } from '../../src/core/model.js';
import type { Provider, Detection } from '../../providers/types.js';
import { startVendorServer, type VendorHandler, type VendorServer } from './vendor-server.js';

/**
 * What every provider's incidents must satisfy: unique ids, a valid schema, updates oldest first,
 * postedAt ≤ updatedAt, resolvedAt ≥ startedAt, and every time (updates included) in UTC.
 * Returns one line per problem, so `expect(incidentProblems(x)).toEqual([])` names what broke.
 */
export function incidentProblems(incidents: VendorIncident[]): string[] {
  const problems: string[] = [];
  const ids = incidents.map((i) => i.id);
  if (new Set(ids).size !== ids.length) problems.push('duplicate ids');
  for (const i of incidents) {
    const schema = vendorIncidentSchema.safeParse(i);
    if (!schema.success) problems.push(`${i.id}: ${schema.error.issues[0]?.message}`);
    const times = i.updates.map((u) => Date.parse(u.at));
    if (times.some((t, k) => k > 0 && t < times[k - 1]!)) problems.push(`${i.id}: updates not oldest first`);
    if (Date.parse(i.postedAt) > Date.parse(i.updatedAt)) problems.push(`${i.id}: postedAt after updatedAt`);
    if (i.resolvedAt && Date.parse(i.resolvedAt) < Date.parse(i.startedAt))
      problems.push(`${i.id}: resolved before start`);
    const all = [i.startedAt, i.postedAt, i.updatedAt, i.resolvedAt, i.scheduledFor, i.scheduledUntil];
    if ([...all, ...i.updates.map((u) => u.at)].some((t) => t && !t.endsWith('Z')))
      problems.push(`${i.id}: a time not in UTC`);
  }
  return problems;
}

/** Runs `run`, which must throw a FetchError, and returns it; anything else fails the test. */
export function expectParseError(run: () => unknown): FetchError {
  try {
    run();
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw new Error(`expected a FetchError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a FetchError, nothing was thrown');
}

/** As expectParseError, for a `run` that throws or returns a promise that rejects. */
export async function expectParseRejection(run: () => unknown): Promise<FetchError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw new Error(`expected a FetchError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a FetchError, nothing was thrown');
}

/** One page a test server answers with. */
export interface Page {
  type: string;
  body: string | Buffer;
}
export type Pages = Map<string, Page>;

/** The ETag servePages() gives a body. */
export const etagOf = (body: string | Buffer): string =>
  `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;

/**
 * Serves `pages` by exact path (looked up on every request, so a test may change them between polls)
 * with an ETag each, answering 304 to a matching If-None-Match; 404 HTML elsewhere.
 */
export function servePages(pages: Pages): VendorHandler {
  return (req, res) => {
    const page = pages.get(req.url ?? '');
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>');
      return;
    }
    const etag = etagOf(page.body);
    if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end();
    else res.writeHead(200, { 'content-type': page.type, etag }).end(page.body);
  };
}

/** The HTTP client detect() tests use: short timeouts, private networks allowed (servers are local). */
export function createTestHttpClient(): HttpClient {
  return createHttpClient({
    timeoutMs: 2000,
    maxBodyBytes: 2 * 1024 * 1024,
    userAgent: 'upcause-test',
    allowPrivateNetworks: true,
  });
}

export interface DetectHarness {
  http: HttpClient;
  /** Starts a vendor server that close() will stop. */
  start(handler: VendorHandler): Promise<VendorServer>;
  /** Starts a server with `handler` and runs `provider.detect()` on its base URL plus `path`. */
  detectOn(
    provider: Provider,
    handler: VendorHandler,
    path?: string,
  ): Promise<{ server: VendorServer; detection: Detection | null }>;
  /** Closes the client and every server started; call it in afterAll. */
  close(): Promise<void>;
}

export function createDetectHarness(): DetectHarness {
  const http = createTestHttpClient();
  const servers: VendorServer[] = [];
  const start = async (handler: VendorHandler) => {
    const server = await startVendorServer(handler);
    servers.push(server);
    return server;
  };
  return {
    http,
    start,
    async detectOn(provider, handler, path = '') {
      const server = await start(handler);
      const detection = await provider.detect!(createDetectContext(http, `${server.baseUrl}${path}`));
      return { server, detection };
    },
    async close() {
      http.close();
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

/** The CSS selectors that read test/fixtures/html/custom-page-from-docs.html with the html provider. */
export const customPageSelectors = {
  incident: 'article.event',
  title: '.event-title',
  link: '.event-title a',
  time: 'time',
  status: '.event-state',
  body: '.event-body',
  overall: '#overall',
};

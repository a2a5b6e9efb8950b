import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../providers/registry.js';
import { parseConfig, type WatchedVendor } from '../src/config.js';
import { FetchError } from '../src/core/errors.js';
import { createHttpClient, type HttpClient } from '../src/http/client.js';
import { createParsePool, type ParsePool } from '../workers/parse-pool.js';
import { fetchVendor } from '../workers/poll.js';
import { statuspagePayloads } from './support/payloads.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

const levels = 100_000;
const now = new Date('2026-08-01T12:00:00Z');

/** A Statuspage HTML page whose body nests `levels` deep: its tree builder takes minutes on it. */
const hostilePage = `<!doctype html><html><head><title>Status</title></head><body>${'<div>'.repeat(levels)}x${'</div>'.repeat(levels)}</body></html>`;

describe('parse pool (real worker threads, real HTTP server)', () => {
  let server: VendorServer;
  let http: HttpClient;
  let pool: ParsePool;
  let payloads: Awaited<ReturnType<typeof statuspagePayloads>>;
  let vendors: Map<string, WatchedVendor>;

  beforeAll(async () => {
    payloads = await statuspagePayloads();
    server = await startVendorServer((req, res) => {
      const url = req.url ?? '';
      if (url.startsWith('/hostile/'))
        return res.writeHead(200, { 'content-type': 'text/html' }).end(hostilePage);
      if (url === '/ok/api/v2/summary.json' || url === '/partial/api/v2/summary.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.summary);
      if (url === '/ok/api/v2/incidents.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(payloads.incidents);
      if (url === '/badjson/api/v2/summary.json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"page": ');
      return res.writeHead(404).end();
    });
    const config = parseConfig(
      {
        vendors: [
          { id: 'ok', name: 'Ok', provider: 'statuspage', url: `${server.baseUrl}/ok` },
          { id: 'partial', name: 'Partial', provider: 'statuspage', url: `${server.baseUrl}/partial` },
          { id: 'badjson', name: 'Bad JSON', provider: 'statuspage', url: `${server.baseUrl}/badjson` },
          { id: 'hostile', name: 'Hostile', provider: 'statuspage-html', url: `${server.baseUrl}/hostile` },
        ],
        poll: { allowPrivateNetworks: true, maxBodySize: '4MiB' },
      },
      {},
      'test',
    );
    vendors = new Map(config.vendors.map((v) => [v.id, v]));
    http = createHttpClient({
      timeoutMs: 5_000,
      maxBodyBytes: config.poll.maxBodyBytes,
      userAgent: 'upcause-test',
      allowPrivateNetworks: true,
    });
    pool = createParsePool({ threads: 2, timeoutMs: 1_000 });
  });

  afterAll(async () => {
    await pool?.close();
    http?.close();
    await server?.close();
  });

  const read = (id: string, parsePool?: ParsePool) =>
    fetchVendor(vendors.get(id)!, { http, providers, ...(parsePool ? { parsePool } : {}) }, now);

  it('reads a page across several GETs exactly as parsing on this thread does', async () => {
    const inPool = await read('ok', pool);
    const here = await read('ok');
    expect(inPool.result).toEqual(here.result);
    expect(inPool.result.incidents.length).toBeGreaterThan(0);
    // Each page is fetched once however many times the provider runs.
    expect(inPool.validators.size).toBe(2);
  });

  it('hands a GET that failed to the provider as the same FetchError', async () => {
    // incidents.json answers 404 here: the provider keeps the summary, as on this thread.
    const inPool = await read('partial', pool);
    const here = await read('partial');
    expect(inPool.result).toEqual(here.result);
  });

  it('fails an unreadable page as a parse error, as on this thread', async () => {
    const failure = await read('badjson', pool).catch((error: unknown) => error);
    const local = await read('badjson').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FetchError);
    expect((failure as FetchError).kind).toBe('parse');
    expect((failure as FetchError).message).toBe((local as FetchError).message);
  });

  it(`stops a parse of a page nested ${levels} deep at its deadline, while other vendors are read`, async () => {
    const started = performance.now();
    const hostile = read('hostile', pool).catch((error: unknown) => error);
    // Read while the hostile parse holds one thread: the other thread serves them.
    const others = await Promise.all([read('ok', pool), read('ok', pool), read('partial', pool)]);
    const othersDoneMs = performance.now() - started;
    const failure = await hostile;
    const failedMs = performance.now() - started;
    for (const other of others) expect(other.result.status?.indicator).toBeDefined();
    expect(others[0]!.result.incidents.length).toBeGreaterThan(0);
    expect(failure).toBeInstanceOf(FetchError);
    expect((failure as FetchError).kind).toBe('parse');
    expect((failure as FetchError).message).toMatch(
      /vendor hostile: reading the page took longer than 1000 ms/,
    );
    expect(othersDoneMs).toBeLessThan(failedMs);
    // The thread that overran was replaced: the pool goes on reading.
    const after = await read('ok', pool);
    expect(after.result.incidents.length).toBeGreaterThan(0);
  });
});

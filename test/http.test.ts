import type http from 'node:http';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FetchError } from '../src/core/errors.js';
import { createHttpClient, expectJson, type HttpClient, type HttpEdgeOptions } from '../src/http/client.js';
import { startVendorServer, type VendorHandler, type VendorServer } from './support/vendor-server.js';

const USER_AGENT = 'upcause-test/0.1 (+https://example.invalid/upcause)';
const MiB = 1024 * 1024;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: VendorHandler, options: { host?: string } = {}): Promise<VendorServer> {
  const server = await startVendorServer(handler, options);
  cleanups.push(() => server.close());
  return server;
}

function client(overrides: Partial<HttpEdgeOptions> = {}): HttpClient {
  const c = createHttpClient({
    timeoutMs: 3000,
    maxBodyBytes: MiB,
    userAgent: USER_AGENT,
    allowPrivateNetworks: true,
    ...overrides,
  });
  cleanups.push(() => c.close());
  return c;
}

/** Awaits a request that must fail and returns its error, asserting it is a FetchError. */
async function failure(promise: Promise<unknown>): Promise<FetchError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(FetchError);
  return outcome as FetchError;
}

function json(res: http.ServerResponse, body: string, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}

describe('get() on a healthy page', () => {
  it('returns a 200 body as raw text with its content type, validators, byte count and latency', async () => {
    // Odd spacing proves the body is not parsed and re-serialized; é proves bytes ≠ characters.
    const body = '{ "page": {"id": "kctbh9vrtdwd", "name": "Café"},\n  "status": {"indicator": "none"} }\n';
    const server = await serve((_req, res) =>
      json(res, body, { etag: 'W/"abc123"', 'last-modified': 'Tue, 03 Jun 2025 10:00:00 GMT' }),
    );

    const res = await client().get({ baseUrl: server.baseUrl, path: '/api/v2/summary.json' });

    expect(res).toMatchObject({
      url: `${server.baseUrl}/api/v2/summary.json`,
      status: 200,
      body,
      contentType: 'application/json; charset=utf-8',
      validators: { etag: 'W/"abc123"', lastModified: 'Tue, 03 Jun 2025 10:00:00 GMT' },
      bytes: Buffer.byteLength(body),
    });
    expect(res.bytes).toBe(body.length + 1);
    expect(Number.isFinite(res.latencyMs)).toBe(true);
    expect(res.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('sends the configured User-Agent and the default Accept header', async () => {
    const server = await serve((_req, res) => json(res, '{}'));

    await client().get({ baseUrl: server.baseUrl, path: '/api/v2/status.json' });

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe('/api/v2/status.json');
    expect(server.requests[0]?.headers['user-agent']).toBe(USER_AGENT);
    expect(server.requests[0]?.headers.accept).toBe('application/json, application/xml;q=0.9, text/*;q=0.8');
    expect(server.requests[0]?.headers['if-none-match']).toBeUndefined();
  });

  it('sends the Accept header the caller asks for', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end('<rss/>');
    });

    const res = await client().get({
      baseUrl: server.baseUrl,
      path: '/history.rss',
      accept: 'application/rss+xml',
    });

    expect(server.requests[0]?.headers.accept).toBe('application/rss+xml');
    expect(res.body).toBe('<rss/>');
  });

  it('joins the path under a base URL that has its own path prefix', async () => {
    const server = await serve((_req, res) => json(res, '{}'));

    await client().get({ baseUrl: `${server.baseUrl}/status/`, path: '/api/v2/summary.json' });

    expect(server.requests[0]?.path).toBe('/status/api/v2/summary.json');
  });

  it('decompresses a gzip body and counts decompressed bytes', async () => {
    const body = JSON.stringify({ components: Array.from({ length: 200 }, (_, i) => ({ id: `c${i}` })) });
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync(body));
    });

    const res = await client().get({ baseUrl: server.baseUrl, path: '/api/v2/components.json' });

    expect(server.requests[0]?.headers['accept-encoding']).toContain('gzip');
    expect(res.body).toBe(body);
    expect(res.bytes).toBe(body.length);
  });

  it('decodes a body in the charset the server declares', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' });
      res.end(Buffer.from('Café', 'latin1'));
    });

    const res = await client().get({ baseUrl: server.baseUrl, path: '/status.txt' });

    expect(res.body).toBe('Café');
    expect(res.bytes).toBe(4);
  });
});

describe('get() conditional requests', () => {
  it('sends the ETag back as If-None-Match and returns a 304 with an empty body and the sent validators', async () => {
    const server = await serve((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304);
        res.end();
      } else json(res, '{"v":1}', { etag: '"v1"' });
    });
    const http = client();

    const first = await http.get({ baseUrl: server.baseUrl, path: '/api/v2/summary.json' });
    const second = await http.get({
      baseUrl: server.baseUrl,
      path: '/api/v2/summary.json',
      validators: first.validators,
    });

    expect(first.validators).toEqual({ etag: '"v1"' });
    expect(server.requests[1]?.headers['if-none-match']).toBe('"v1"');
    expect(server.requests[1]?.headers['if-modified-since']).toBeUndefined();
    expect(second).toMatchObject({ status: 304, body: '', bytes: 0, validators: { etag: '"v1"' } });
  });

  it('sends Last-Modified back as If-Modified-Since and returns a 304 keeping it', async () => {
    const lastModified = 'Wed, 04 Jun 2025 08:30:00 GMT';
    const server = await serve((req, res) => {
      if (req.headers['if-modified-since'] === lastModified) {
        res.writeHead(304);
        res.end();
      } else json(res, '{"v":1}', { 'last-modified': lastModified });
    });
    const http = client();

    const first = await http.get({ baseUrl: server.baseUrl, path: '/api/v2/incidents.json' });
    const second = await http.get({
      baseUrl: server.baseUrl,
      path: '/api/v2/incidents.json',
      validators: first.validators,
    });

    expect(first.validators).toEqual({ lastModified });
    expect(server.requests[1]?.headers['if-modified-since']).toBe(lastModified);
    expect(second).toMatchObject({ status: 304, body: '', validators: { lastModified } });
  });

  it('returns the new ETag when a 304 carries one', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(304, { etag: '"v2"' });
      res.end();
    });

    const res = await client().get({
      baseUrl: server.baseUrl,
      path: '/api/v2/summary.json',
      validators: { etag: '"v1"', lastModified: 'Wed, 04 Jun 2025 08:30:00 GMT' },
    });

    expect(res.validators).toEqual({ etag: '"v2"', lastModified: 'Wed, 04 Jun 2025 08:30:00 GMT' });
  });

  it('returns only the validators of a 200, not stale ones that were sent', async () => {
    const server = await serve((_req, res) => json(res, '{}'));

    const res = await client().get({
      baseUrl: server.baseUrl,
      path: '/x.json',
      validators: { etag: '"old"' },
    });

    expect(res.validators).toEqual({});
  });
});

describe('get() on error statuses', () => {
  it('turns a 500 into an http error with the status, method and URL in the message', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<h1>oops</h1>');
    });

    const error = await failure(client().get({ baseUrl: server.baseUrl, path: '/api/v2/summary.json' }));

    expect(error).toMatchObject({ kind: 'http', status: 500, url: `${server.baseUrl}/api/v2/summary.json` });
    expect(error.message).toBe(
      `GET ${server.baseUrl}/api/v2/summary.json answered 500 Internal Server Error`,
    );
    expect(error.permanent).toBe(false);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('turns a 404 into a permanent http error with status 404', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(404);
      res.end('not here');
    });

    const error = await failure(client().get({ baseUrl: server.baseUrl, path: '/api/v2/nope.json' }));

    expect(error).toMatchObject({ kind: 'http', status: 404 });
    expect(error.message).toContain('answered 404 Not Found');
    expect(error.permanent).toBe(true);
  });

  it('keeps credentials in the base URL out of the error URL and message', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const baseUrl = server.baseUrl.replace('http://', 'http://user:hunter2@');

    const error = await failure(client().get({ baseUrl, path: '/api/v2/summary.json' }));

    expect(error.kind).toBe('http');
    expect(error.url).toBe(`${server.baseUrl}/api/v2/summary.json`);
    expect(error.message).not.toContain('hunter2');
  });
});

describe('get() deadline', () => {
  it('times out a server that never answers within about timeoutMs', async () => {
    const server = await serve(() => {
      /* never answers */
    });
    const started = Date.now();

    const error = await failure(client({ timeoutMs: 300 }).get({ baseUrl: server.baseUrl, path: '/hang' }));

    const elapsed = Date.now() - started;
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('did not complete within 300 ms');
    // A deadline test keeps a wide margin: the request would otherwise hang until the test timeout.
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(10_000);
  });

  it('times out a body that drips one byte every 100 ms, though the socket is never idle', async () => {
    let written = 0;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => {
        written += 1;
        res.write(' ');
      }, 100);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();

    const error = await failure(client({ timeoutMs: 300 }).get({ baseUrl: server.baseUrl, path: '/drip' }));

    const elapsed = Date.now() - started;
    expect(error.kind).toBe('timeout');
    // Wide margin: without an overall deadline the drip would keep the request open for good.
    expect(elapsed).toBeLessThan(10_000);
    expect(written).toBeGreaterThan(0);
  });

  it('reports a caller abort as a network error, not a timeout', async () => {
    const server = await serve(() => {
      /* never answers */
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const error = await failure(
      client({ timeoutMs: 5000 }).get({ baseUrl: server.baseUrl, path: '/hang', signal: controller.signal }),
    );

    expect(error.kind).toBe('network');
    expect(error.message).toContain('aborted');
  });

  it('sends nothing when the caller signal is already aborted', async () => {
    const server = await serve((_req, res) => json(res, '{}'));

    const error = await failure(
      client().get({ baseUrl: server.baseUrl, path: '/x.json', signal: AbortSignal.abort() }),
    );

    expect(error.kind).toBe('network');
    expect(server.requests).toHaveLength(0);
  });
});

describe('get() size cap', () => {
  it('aborts a 20 MB chunked body while streaming and closes the socket before the server finishes', async () => {
    const total = 20 * 1000 * 1000;
    const progress = { written: 0, finished: false };
    let serverSawClose!: () => void;
    const closed = new Promise<void>((resolve) => (serverSawClose = resolve));
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let open = true;
      res.on('close', () => {
        open = false;
        serverSawClose();
      });
      const pump = (): void => {
        while (open && progress.written < total) {
          progress.written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        if (open) {
          progress.finished = true;
          res.end();
        }
      };
      pump();
    });

    const error = await failure(
      client({ maxBodyBytes: MiB }).get({ baseUrl: server.baseUrl, path: '/big.json' }),
    );
    await closed;

    expect(error.kind).toBe('too-large');
    expect(progress.finished).toBe(false);
    expect(progress.written).toBeLessThan(total);
    expect(server.requests[0]?.headers['content-length']).toBeUndefined();
  });

  it('refuses a declared Content-Length over the cap before reading the body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * MiB) });
      res.write('{"start": true');
      // Never finishes: only the up-front check can end this before the deadline.
    });

    const error = await failure(
      client({ maxBodyBytes: MiB, timeoutMs: 5000 }).get({ baseUrl: server.baseUrl, path: '/big.json' }),
    );

    expect(error.kind).toBe('too-large');
    // Too-large, not the 5 s timeout: the up-front check ended it, since the body never finishes.
    expect(error.message).toContain(`declared ${10 * MiB} bytes`);
  });

  it('caps the decompressed size, so a small gzip bomb is too large', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(20 * MiB, 0x20));
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });

    const error = await failure(
      client({ maxBodyBytes: MiB }).get({ baseUrl: server.baseUrl, path: '/bomb.json' }),
    );

    expect(bomb.length).toBeLessThan(MiB);
    expect(error.kind).toBe('too-large');
  });
});

describe('get() redirects', () => {
  /** `/hops/N` redirects to `/hops/N-1`; `/hops/0` answers. */
  const chain: VendorHandler = (req, res) => {
    const left = Number(req.url?.split('/').pop());
    if (left > 0) {
      res.writeHead(302, { location: `/hops/${left - 1}` });
      res.end();
    } else json(res, '{"arrived":true}');
  };

  it('follows 2 redirects', async () => {
    const server = await serve(chain);

    const res = await client().get({ baseUrl: server.baseUrl, path: '/hops/2' });

    expect(res.body).toBe('{"arrived":true}');
    expect(res.url).toBe(`${server.baseUrl}/hops/0`);
    expect(server.requests.map((r) => r.path)).toEqual(['/hops/2', '/hops/1', '/hops/0']);
  });

  it('follows exactly 3 redirects, the default limit', async () => {
    const server = await serve(chain);

    const res = await client().get({ baseUrl: server.baseUrl, path: '/hops/3' });

    expect(res.status).toBe(200);
  });

  it('refuses a 4th redirect with an http error saying more than 3 redirects', async () => {
    const server = await serve(chain);

    const error = await failure(client().get({ baseUrl: server.baseUrl, path: '/hops/4' }));

    expect(error.kind).toBe('http');
    expect(error.message).toContain('more than 3 redirects');
    expect(error.url).toBe(`${server.baseUrl}/hops/4`);
    expect(server.requests.map((r) => r.path)).not.toContain('/hops/0');
  });

  it('follows a redirect to a different path and reports the final URL', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/old/summary.json') {
        res.writeHead(301, { location: '/api/v2/summary.json' });
        res.end();
      } else json(res, `{"path":"${req.url}"}`);
    });

    const res = await client().get({ baseUrl: server.baseUrl, path: '/old/summary.json' });

    expect(res.body).toBe('{"path":"/api/v2/summary.json"}');
    expect(res.url).toBe(`${server.baseUrl}/api/v2/summary.json`);
  });

  it('keeps the conditional headers across a redirect', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/a') {
        res.writeHead(302, { location: '/b' });
        res.end();
      } else {
        res.writeHead(304);
        res.end();
      }
    });

    const res = await client().get({ baseUrl: server.baseUrl, path: '/a', validators: { etag: '"e"' } });

    expect(res.status).toBe(304);
    expect(server.requests[1]?.headers['if-none-match']).toBe('"e"');
  });

  it('blocks a redirect to a file: URL', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    });

    const error = await failure(client().get({ baseUrl: server.baseUrl, path: '/x' }));

    expect(error.kind).toBe('blocked');
    expect(error.message).toContain('only http and https');
  });
});

describe('get() network failures', () => {
  it('reports a refused connection as a network error', async () => {
    const gone = await startVendorServer(() => {});
    await gone.close();

    const error = await failure(client().get({ baseUrl: gone.baseUrl, path: '/api/v2/summary.json' }));

    expect(error.kind).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.url).toBe(`${gone.baseUrl}/api/v2/summary.json`);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('reports a connection the server drops mid-request as a network error', async () => {
    const server = await serve((req) => req.socket.destroy());

    const error = await failure(client().get({ baseUrl: server.baseUrl, path: '/api/v2/summary.json' }));

    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/ECONNRESET|socket hang up/);
  });

  it('refuses requests after close()', async () => {
    const server = await serve((_req, res) => json(res, '{}'));
    const c = client();
    c.close();

    const error = await failure(c.get({ baseUrl: server.baseUrl, path: '/x.json' }));

    expect(error.kind).toBe('network');
    expect(server.requests).toHaveLength(0);
  });
});

describe('get() URL guard', () => {
  it.each([
    '//evil.example/x',
    'http://evil.example/',
    'https://evil.example/api',
    'api/v2/summary.json',
    '/\\evil.example/x',
    '\\\\evil.example/x',
    '/\t/evil.example/x',
    '/x\r\nHost: evil.example',
    '/a b',
    '',
  ])('blocks the path %j without sending anything', async (path) => {
    const server = await serve((_req, res) => json(res, '{}'));

    const error = await failure(client().get({ baseUrl: server.baseUrl, path }));

    expect(error.kind).toBe('blocked');
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    'file:///etc/passwd',
    'ftp://127.0.0.1/status',
    'data:application/json,{}',
    'gopher://127.0.0.1:70/',
  ])('blocks the base URL scheme of %s', async (baseUrl) => {
    const error = await failure(client().get({ baseUrl, path: '/api/v2/summary.json' }));

    expect(error.kind).toBe('blocked');
    expect(error.message).toContain('only http and https');
  });

  it('blocks a base URL that does not parse', async () => {
    const error = await failure(client().get({ baseUrl: 'not a url', path: '/x' }));

    expect(error.kind).toBe('blocked');
  });
});

describe('get() with allowPrivateNetworks: false', () => {
  const guarded = (overrides: Partial<HttpEdgeOptions> = {}) =>
    client({ allowPrivateNetworks: false, ...overrides });

  it.each([
    '127.0.0.1',
    'localhost',
    '[::ffff:127.0.0.1]',
    '2130706433',
    '0x7f.0.0.1',
    '0177.0.0.1',
    '0.0.0.0',
  ])('blocks %s and the internal server receives nothing', async (host) => {
    const secret = await serve((_req, res) => json(res, '{"secret":true}'));

    const error = await failure(guarded().get({ baseUrl: `http://${host}:${secret.port}`, path: '/secret' }));

    expect(error.kind).toBe('blocked');
    expect(error.message).toContain('is not allowed');
    expect(secret.requests).toHaveLength(0);
  });

  it('blocks IPv6 loopback [::1] and the internal server receives nothing', async (ctx) => {
    const secret = await startVendorServer((_req, res) => json(res, '{}'), { host: '::1' }).catch(
      () => undefined,
    );
    if (!secret) return ctx.skip('no IPv6 loopback here');
    cleanups.push(() => secret.close());

    const error = await failure(guarded().get({ baseUrl: secret.baseUrl, path: '/secret' }));

    expect(error.kind).toBe('blocked');
    expect(secret.requests).toHaveLength(0);
  });

  it.each(['10.0.0.1', '172.16.0.1', '192.168.1.1', '169.254.169.254', '[fc00::1]', '[fe80::1]'])(
    'blocks the private or link-local address %s before connecting',
    async (host) => {
      const error = await failure(
        guarded({ timeoutMs: 2000 }).get({ baseUrl: `http://${host}`, path: '/latest' }),
      );

      expect(error.kind).toBe('blocked');
    },
  );

  describe('with 127.0.0.2 allowlisted as a stand-in public vendor', () => {
    const vendorOptions = { host: '127.0.0.2' };
    const allowVendor = { allowAddresses: ['127.0.0.2'] };

    it('fetches from the allowlisted vendor', async () => {
      const vendor = await serve((_req, res) => json(res, '{"ok":true}'), vendorOptions);

      const res = await guarded(allowVendor).get({ baseUrl: vendor.baseUrl, path: '/api/v2/status.json' });

      expect(res.body).toBe('{"ok":true}');
    });

    it.each(['127.0.0.1', 'localhost'])(
      'blocks a vendor redirect to %s and the internal server receives nothing',
      async (host) => {
        const secret = await serve((_req, res) => json(res, '{"secret":true}'));
        const vendor = await serve((_req, res) => {
          res.writeHead(302, { location: `http://${host}:${secret.port}/secret` });
          res.end();
        }, vendorOptions);

        const error = await failure(
          guarded(allowVendor).get({ baseUrl: vendor.baseUrl, path: '/api/v2/summary.json' }),
        );

        expect(error.kind).toBe('blocked');
        expect(error.message).toContain(`redirected to http://${host}:${secret.port}/secret`);
        expect(vendor.requests).toHaveLength(1);
        expect(secret.requests).toHaveLength(0);
      },
    );
  });
});

describe('expectJson()', () => {
  it('parses a JSON body', async () => {
    const server = await serve((_req, res) => json(res, '{"status":{"indicator":"minor"}}'));
    const res = await client().get({ baseUrl: server.baseUrl, path: '/api/v2/status.json' });

    expect(expectJson(res)).toEqual({ status: { indicator: 'minor' } });
  });

  it('calls an HTML page a parse error naming text/html', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Just a moment...</title>');
    });
    const res = await client().get({ baseUrl: server.baseUrl, path: '/api/v2/summary.json' });

    const error = (() => {
      try {
        expectJson(res);
      } catch (e) {
        return e;
      }
    })();

    expect(error).toBeInstanceOf(FetchError);
    expect(error).toMatchObject({ kind: 'parse', url: `${server.baseUrl}/api/v2/summary.json` });
    expect((error as FetchError).message).toBe(
      `expected JSON from ${server.baseUrl}/api/v2/summary.json, got text/html (an error page?)`,
    );
  });

  it('calls a truncated JSON body a parse error with the JSON.parse reason as cause', async () => {
    const server = await serve((_req, res) => json(res, '{"page": {"id": '));
    const res = await client().get({ baseUrl: server.baseUrl, path: '/api/v2/summary.json' });

    expect(() => expectJson(res)).toThrow(FetchError);
    try {
      expectJson(res);
    } catch (e) {
      expect(e).toMatchObject({ kind: 'parse' });
      expect((e as FetchError).message).toContain('got invalid JSON');
      expect((e as FetchError).cause).toBeInstanceOf(SyntaxError);
    }
  });
});

describe('get() on UTF-16 bodies (AWS currentevents)', () => {
  const body = '[{"summary":"Région – 東京","status":"3"}]';
  const bom = { le: Buffer.from([0xff, 0xfe]), be: Buffer.from([0xfe, 0xff]) };
  const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

  async function fetchBytes(bytes: Buffer, contentType: string) {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': contentType });
      res.end(bytes);
    });
    return client().get({ baseUrl: server.baseUrl, path: '/public/currentevents' });
  }

  it('decodes little-endian UTF-16 with a BOM and drops the BOM', async () => {
    const bytes = Buffer.concat([bom.le, Buffer.from(body, 'utf16le')]);
    const res = await fetchBytes(bytes, 'application/json;charset=utf-16');
    expect(res.body).toBe(body);
    expect(res.bytes).toBe(bytes.length);
  });

  it('decodes big-endian UTF-16 with a BOM', async () => {
    const res = await fetchBytes(Buffer.concat([bom.be, utf16be(body)]), 'application/json;charset=utf-16');
    expect(res.body).toBe(body);
  });

  it('trusts the BOM over a Content-Type that declares UTF-8 or none', async () => {
    const bytes = Buffer.concat([bom.le, Buffer.from(body, 'utf16le')]);
    expect((await fetchBytes(bytes, 'application/json; charset=utf-8')).body).toBe(body);
    expect((await fetchBytes(Buffer.concat([bom.be, utf16be(body)]), 'application/json')).body).toBe(body);
  });

  it('reads the byte order of a BOM-less body declared as charset=UTF-16', async () => {
    expect((await fetchBytes(utf16be(body), 'application/json; charset=UTF-16')).body).toBe(body);
    expect((await fetchBytes(Buffer.from(body, 'utf16le'), 'application/json; charset="utf-16"')).body).toBe(
      body,
    );
  });

  it('honours explicit utf-16le and utf-16be labels', async () => {
    expect((await fetchBytes(Buffer.from(body, 'utf16le'), 'application/json; charset=utf-16le')).body).toBe(
      body,
    );
    expect((await fetchBytes(utf16be(body), 'application/json; charset=utf-16be')).body).toBe(body);
  });

  it('drops a UTF-8 BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]);
    expect((await fetchBytes(bytes, 'application/json')).body).toBe(body);
  });
});

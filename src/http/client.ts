import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios, { AxiosError, type AxiosResponse } from 'axios';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { FetchError } from '../core/errors.js';

/** Cache validators of a vendor page, sent back on the next poll for a conditional GET. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** One GET of `path` under a vendor's base URL. */
export interface FetchRequest {
  baseUrl: string;
  /** A plain relative path starting with one `/`, e.g. `/api/v2/summary.json`. */
  path: string;
  validators?: Validators;
  accept?: string;
  signal?: AbortSignal;
}

/** A usable answer: 200 with the raw body text, or 304 with an empty body. */
export interface FetchResponse {
  /** The URL that answered, after redirects (credentials removed). */
  url: string;
  status: 200 | 304;
  body: string;
  contentType: string;
  validators: Validators;
  latencyMs: number;
  /** Body size in bytes after decompression. */
  bytes: number;
}

/** Limits and identity for every vendor fetch. */
export interface HttpEdgeOptions {
  /** Deadline for the whole request: connect, headers, redirects and body. */
  timeoutMs: number;
  maxBodyBytes: number;
  /** Default 3. */
  maxRedirects?: number;
  userAgent: string;
  /** When false, loopback, private, link-local and unspecified addresses are refused at connect time. */
  allowPrivateNetworks: boolean;
  /** IPs or CIDRs exempt from that refusal (an internal status page you trust). */
  allowAddresses?: string[];
}

/** The one HTTP edge for vendor pages; every failure is a FetchError. */
export interface HttpClient {
  get(req: FetchRequest): Promise<FetchResponse>;
  close(): void;
}

const DEFAULT_ACCEPT = 'application/json, application/xml;q=0.9, text/*;q=0.8';
const DEFAULT_MAX_REDIRECTS = 3;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Creates the HTTP edge: one axios instance and one pair of keep-alive agents. */
export function createHttpClient(options: HttpEdgeOptions): HttpClient {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const agentOptions = { keepAlive: true };
  const filterOptions = { ...agentOptions, allowIPAddressList: options.allowAddresses ?? [] };
  const httpAgent = options.allowPrivateNetworks
    ? new http.Agent(agentOptions)
    : new RequestFilteringHttpAgent(filterOptions);
  const httpsAgent = options.allowPrivateNetworks
    ? new https.Agent(agentOptions)
    : new RequestFilteringHttpsAgent(filterOptions);

  const instance = axios.create({
    // With a baseURL, an absolute or protocol-relative `url` must never replace the host.
    allowAbsoluteUrls: false,
    maxRedirects,
    // A stream lets us refuse an oversized Content-Length before reading and enforce the
    // deadline while the body drips; axios still counts decompressed bytes for us.
    responseType: 'stream',
    transformResponse: [(data: unknown) => data],
    transitional: { forcedJSONParsing: false, silentJSONParsing: false, clarifyTimeoutError: true },
    decompress: true,
    maxContentLength: options.maxBodyBytes,
    validateStatus: (status) => (status >= 200 && status < 300) || status === 304,
    proxy: false,
    httpAgent,
    httpsAgent,
    headers: { 'User-Agent': options.userAgent },
  });

  let closed = false;

  async function get(req: FetchRequest): Promise<FetchResponse> {
    const url = resolveUrl(req.baseUrl, req.path);
    if (closed) throw new FetchError('network', `GET ${url}: the HTTP client is closed`, { url });

    const started = performance.now();
    const deadline = createDeadline(options.timeoutMs, req.signal);
    const trail = { finalUrl: url };
    try {
      const res = await instance.get<Readable>(req.path, {
        baseURL: req.baseUrl,
        headers: requestHeaders(req),
        signal: deadline.signal,
        beforeRedirect: (redirect: Record<string, unknown>) => {
          const href = String(redirect.href);
          trail.finalUrl = redact(href);
          const protocol = String(redirect.protocol);
          if (protocol !== 'http:' && protocol !== 'https:') {
            const message = `GET ${url} redirected to a ${protocol} URL, only http and https are allowed`;
            throw new FetchError('blocked', message, { url });
          }
        },
      });
      const body = await readBody(res, options.maxBodyBytes, deadline.signal, url);
      return toResponse(res, body, req.validators, trail.finalUrl, performance.now() - started);
    } catch (error) {
      throw toFetchError(error, url, trail.finalUrl, deadline, {
        maxRedirects,
        timeoutMs: options.timeoutMs,
      });
    } finally {
      deadline.dispose();
    }
  }

  return {
    get,
    close() {
      closed = true;
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/**
 * Parses a fetched body as JSON. A status page that answers an HTML error page or broken JSON
 * gets a parse error that says which.
 */
export function expectJson(res: FetchResponse): unknown {
  const mediaType = res.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'text/html' || mediaType === 'application/xhtml+xml') {
    throw new FetchError('parse', `expected JSON from ${res.url}, got ${mediaType} (an error page?)`, {
      url: res.url,
    });
  }
  if (res.status === 304) {
    throw new FetchError('parse', `expected JSON from ${res.url}, got 304 Not Modified with no body`, {
      url: res.url,
    });
  }
  try {
    return JSON.parse(res.body) as unknown;
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new FetchError('parse', `expected JSON from ${res.url}, got invalid JSON (${detail})`, {
      url: res.url,
      cause,
    });
  }
}

/** Joins base and path the way axios does, refusing anything that could leave the base's host or scheme. */
function resolveUrl(baseUrl: string, path: string): string {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch (cause) {
    throw new FetchError('blocked', `invalid base URL ${JSON.stringify(redact(baseUrl))}`, { cause });
  }
  const shown = redact(baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new FetchError(
      'blocked',
      `base URL ${shown} uses ${base.protocol}, only http and https are allowed`,
      {
        url: shown,
      },
    );
  }
  // One leading slash, then printable ASCII without backslashes: WHATWG URL parsing turns `//`,
  // `/\` and stripped tabs/newlines into a new authority, i.e. another host.
  if (!/^\/(?!\/)[\x21-\x7e]*$/.test(path) || path.includes('\\')) {
    throw new FetchError(
      'blocked',
      `path ${JSON.stringify(path)} for ${shown} is not a plain relative path`,
      {
        url: shown,
      },
    );
  }
  const joined = baseUrl.replace(/\/+$/, '') + path;
  const target = new URL(joined);
  if (target.origin !== base.origin) {
    throw new FetchError('blocked', `path ${JSON.stringify(path)} would leave ${base.origin}`, {
      url: shown,
    });
  }
  return redact(joined);
}

/** Removes credentials from a URL before it goes into an error or a log line. */
function redact(raw: string): string {
  return raw.replace(/^([a-z][a-z\d+.-]*:\/\/)[^/?#@]*@/i, '$1');
}

function requestHeaders(req: FetchRequest): Record<string, string> {
  const headers: Record<string, string> = { Accept: req.accept ?? DEFAULT_ACCEPT };
  if (req.validators?.etag) headers['If-None-Match'] = req.validators.etag;
  if (req.validators?.lastModified) headers['If-Modified-Since'] = req.validators.lastModified;
  return headers;
}

interface Deadline {
  signal: AbortSignal;
  /** Why the signal fired, if it did. */
  readonly reason: 'timeout' | 'aborted' | undefined;
  dispose(): void;
}

/**
 * One signal for the caller's abort and a wall-clock deadline. Hand-rolled rather than
 * AbortSignal.any so nothing stays attached to a long-lived caller signal (nodejs/node#55351).
 */
function createDeadline(timeoutMs: number, caller: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let reason: Deadline['reason'];
  const fire = (why: 'timeout' | 'aborted') => {
    if (reason) return;
    reason = why;
    controller.abort(new Error(why));
  };
  const onCallerAbort = () => fire('aborted');
  const timer = setTimeout(() => fire('timeout'), timeoutMs);
  if (caller?.aborted) fire('aborted');
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    get reason() {
      return reason;
    },
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** Reads the body under the size cap and the deadline; on failure the socket is destroyed. */
function readBody(
  res: AxiosResponse<Readable>,
  cap: number,
  signal: AbortSignal,
  url: string,
): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > cap) {
    discard(res);
    return Promise.reject(
      new FetchError('too-large', `GET ${url} declared ${declared} bytes, over the ${cap}-byte cap`, { url }),
    );
  }
  const stream = res.data;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      discard(res);
      reject(error);
    };
    const onAbort = () => fail(signal.reason);
    // Stays attached: axios may emit a late error on a stream we already gave up on.
    stream.on('error', fail);
    stream.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > cap)
        fail(new FetchError('too-large', `GET ${url} body exceeded the ${cap}-byte cap`, { url }));
      else chunks.push(chunk);
    });
    stream.on('end', () => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks, total));
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Drops a response we will not read, closing its socket so the server stops sending. */
function discard(res: AxiosResponse<Readable> | undefined): void {
  const stream: unknown = res?.data;
  if (stream && typeof stream === 'object' && 'destroy' in stream && typeof stream.destroy === 'function') {
    (stream as Readable).on('error', () => {});
    (stream as Readable).destroy();
  }
  // axios wraps the socket's stream; destroying the native request closes the socket at once.
  if (res?.request instanceof http.ClientRequest) res.request.destroy();
}

function toResponse(
  res: AxiosResponse<Readable>,
  body: Buffer,
  sent: Validators | undefined,
  url: string,
  elapsedMs: number,
): FetchResponse {
  const contentType = headerValue(res.headers['content-type']) ?? '';
  const etag = headerValue(res.headers['etag']);
  const lastModified = headerValue(res.headers['last-modified']);
  const notModified = res.status === 304;
  const validators: Validators = {};
  const keptEtag = etag ?? (notModified ? sent?.etag : undefined);
  const keptLastModified = lastModified ?? (notModified ? sent?.lastModified : undefined);
  if (keptEtag) validators.etag = keptEtag;
  if (keptLastModified) validators.lastModified = keptLastModified;
  return {
    url,
    status: notModified ? 304 : 200,
    body: notModified ? '' : decode(body, contentType),
    contentType,
    validators,
    latencyMs: Math.round(elapsedMs),
    bytes: notModified ? 0 : body.length,
  };
}

function headerValue(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/**
 * Decodes by the byte-order mark, else the declared charset (UTF-8 when absent or unknown); a BOM is
 * dropped. AWS serves its currentevents JSON as UTF-16 with a BOM, in either byte order.
 */
function decode(body: Buffer, contentType: string): string {
  const declared = /charset="?([^";\s]+)/i.exec(contentType)?.[1];
  const charset = bomCharset(body) ?? utf16Order(body, declared) ?? declared ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

// As in the WHATWG decode algorithm, a BOM outranks the Content-Type label.
function bomCharset(body: Buffer): string | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * A bare `utf-16` label without a BOM says nothing about byte order (TextDecoder would assume
 * little-endian); JSON and XML start with an ASCII character, so its zero byte shows the order.
 */
function utf16Order(body: Buffer, declared: string | undefined): string | undefined {
  if (declared?.toLowerCase() !== 'utf-16' || body.length < 2) return undefined;
  return body[0] === 0 && body[1] !== 0 ? 'utf-16be' : 'utf-16le';
}

function toFetchError(
  error: unknown,
  url: string,
  finalUrl: string,
  deadline: Deadline,
  limits: { maxRedirects: number; timeoutMs: number },
): FetchError {
  // A rejected status still holds an unread body stream; free its socket whatever we report.
  if (error instanceof AxiosError && error.response) discard(error.response as AxiosResponse<Readable>);
  const own = chain(error).find((e) => e instanceof FetchError);
  if (own instanceof FetchError) return own;

  const target = finalUrl === url ? `GET ${url}` : `GET ${url} (redirected to ${finalUrl})`;
  if (deadline.reason === 'timeout') {
    return new FetchError('timeout', `${target} did not complete within ${limits.timeoutMs} ms`, {
      url,
      cause: error,
    });
  }
  if (deadline.reason === 'aborted') {
    return new FetchError('network', `${target} was aborted by the caller`, { url, cause: error });
  }

  if (error instanceof AxiosError && error.response) {
    const { status, statusText } = error.response;
    const text = statusText || http.STATUS_CODES[status] || '';
    return new FetchError('http', `${target} answered ${status}${text ? ` ${text}` : ''}`, {
      url,
      status,
      cause: error,
    });
  }

  const codes = chain(error)
    .map((e) => (e as { code?: unknown }).code)
    .filter((c) => typeof c === 'string');
  const messages = chain(error).map((e) => e.message);
  const detail = messages.find((m) => m !== '') ?? String(error);

  if (messages.some((m) => m.includes('is not allowed'))) {
    return new FetchError('blocked', `${target} refused: ${detail}`, { url, cause: error });
  }
  if (codes.includes('ERR_FR_TOO_MANY_REDIRECTS')) {
    return new FetchError('http', `${target} followed more than ${limits.maxRedirects} redirects`, {
      url,
      cause: error,
    });
  }
  if (messages.some((m) => m.startsWith('maxContentLength size of'))) {
    return new FetchError('too-large', `${target} body exceeded the size cap (${detail})`, {
      url,
      cause: error,
    });
  }
  if (messages.some((m) => m.includes('Unsupported protocol'))) {
    return new FetchError('blocked', `${target} refused: ${detail}`, { url, cause: error });
  }
  if (codes.includes('ETIMEDOUT') || codes.includes('ECONNABORTED')) {
    return new FetchError('timeout', `${target} timed out (${detail})`, { url, cause: error });
  }
  const code = codes.find((c) => NETWORK_CODES.has(c));
  return new FetchError('network', `${target} failed: ${code ? `${code} ` : ''}${detail}`, {
    url,
    cause: error,
  });
}

/** The error and its causes, outermost first (bounded: causes can be cyclic). */
function chain(error: unknown): Error[] {
  const out: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && out.length < 8 && !out.includes(current)) {
    out.push(current);
    current = current.cause;
  }
  return out;
}

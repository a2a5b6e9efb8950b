import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { ErrorEvent } from '../core/contracts.js';
import { redactUrl, redisOptions } from '../store/redis.js';
import { createKeys } from '../store/keys.js';

// How a reporter delivers batches: XADD to the Redis stream or POST to the HTTP API, and how long it
// waits between tries. The reporter owns the retry loop and its counters.

/** Why one send failed; kept as `lastError` and in logs, never thrown to the caller. */
export class ReporterSendError extends Error {
  override readonly name = 'ReporterSendError';
  readonly kind: 'redis' | 'http' | 'network' | 'timeout';
  /** The HTTP status, in API mode. */
  readonly status: number | undefined;

  constructor(
    kind: ReporterSendError['kind'],
    message: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
  }
}

/** The reporter options a transport reads. */
export interface TransportOptions {
  sendTimeoutMs: number;
  streamMaxLen: number;
}

/** Full jitter up to min(retryMaxMs, retryBaseMs·2^(attempt-1)), at least the server's Retry-After (≤ 60 s). */
export function backoff(
  attempt: number,
  retryAfterMs: number | undefined,
  o: { retryBaseMs: number; retryMaxMs: number },
): number {
  const jitter = Math.random() * Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** (attempt - 1));
  return Math.max(jitter, Math.min(retryAfterMs ?? 0, 60_000));
}

export interface SendResult {
  /** Events the target confirmed. */
  sent: number;
  /** Stream entries / requests that succeeded. */
  written: number;
  /** Events refused for good. */
  rejected: number;
  /** Batches to try again. */
  retry: ErrorEvent[][];
  error?: ReporterSendError;
  retryAfterMs?: number;
}

export interface Transport {
  /** Batches handed to one send(): a pipeline of XADDs, or one POST. */
  readonly batchesPerSend: number;
  send(batches: ErrorEvent[][]): Promise<SendResult>;
  close(): Promise<void>;
}

export const abandoned = (batches: ErrorEvent[][]): SendResult => ({
  sent: 0,
  written: 0,
  rejected: 0,
  retry: batches,
});

/**
 * XADD `<partition stream> MAXLEN ~ N * events <json array>`: one entry per batch and ingest partition
 * (each event to its service and vendor's partition, as keys.partitionOf chooses), pipelined.
 */
export function redisTransport(
  target: { redisUrl: string; prefix?: string | undefined; partitions?: number | undefined },
  o: TransportOptions,
): Transport {
  const keys = createKeys(target.prefix ?? 'upcause', { partitions: target.partitions ?? 1 });
  let redis: Redis | null = null;

  async function connection(): Promise<Redis> {
    if (redis && redis.status !== 'end') return redis;
    // Built here rather than with connectRedis() so a connect that hangs (a blackholed host) can be
    // abandoned on our timeout instead of lingering.
    const fresh = new Redis(target.redisUrl, redisOptions('producer', 'upcause-reporter'));
    // Failures surface as failed sends and are counted there.
    fresh.on('error', () => {});
    // An idle reporter must not keep the app alive; pump() holds the loop open while a send is out.
    fresh.on('connect', () => fresh.stream.unref());
    try {
      await withTimeout(fresh.connect(), o.sendTimeoutMs, 'connecting');
    } catch (cause) {
      fresh.disconnect();
      throw new ReporterSendError(
        'redis',
        `cannot reach Redis at ${redactUrl(target.redisUrl)}: ${(cause as Error).message}`,
        { cause },
      );
    }
    redis = fresh;
    return fresh;
  }

  return {
    batchesPerSend: 16,
    async send(batches) {
      let conn: Redis;
      try {
        conn = await connection();
      } catch (cause) {
        return { ...abandoned(batches), error: asSendError('redis', cause, target.redisUrl) };
      }
      const pipeline = conn.pipeline();
      const shares = batches.flatMap((batch) => {
        if (keys.partitions.length === 1) return [{ stream: keys.errors, events: batch }];
        const byStream = new Map<string, ErrorEvent[]>();
        for (const event of batch) {
          const stream = keys.partitionOf(event.service, event.vendor).errors;
          const list = byStream.get(stream);
          if (list) list.push(event);
          else byStream.set(stream, [event]);
        }
        return [...byStream].map(([stream, events]) => ({ stream, events }));
      });
      for (const { stream, events } of shares)
        pipeline.xadd(stream, 'MAXLEN', '~', o.streamMaxLen, '*', 'events', JSON.stringify(events));
      let replies: [Error | null, unknown][] | null;
      try {
        replies = await withTimeout(pipeline.exec(), o.sendTimeoutMs, 'XADD');
      } catch (cause) {
        // A hung connection (blackholed, no RST) is dropped so the next try opens a fresh one.
        if (cause instanceof ReporterSendError && cause.kind === 'timeout') {
          conn.disconnect();
          if (redis === conn) redis = null;
        }
        return { ...abandoned(batches), error: asSendError('redis', cause, target.redisUrl) };
      }
      const result: SendResult = { sent: 0, written: 0, rejected: 0, retry: [] };
      shares.forEach(({ events: batch }, index) => {
        const reply = replies?.[index];
        if (reply && !reply[0]) {
          result.sent += batch.length;
          result.written++;
        } else {
          result.retry.push(batch);
          result.error ??= asSendError('redis', reply?.[0] ?? new Error('no reply'), target.redisUrl);
        }
      });
      return result;
    },
    async close() {
      const conn = redis;
      redis = null;
      if (!conn) return;
      await withTimeout(conn.quit(), 1000, 'QUIT').catch(() => conn.disconnect());
    },
  };
}

// What the ingest API answers; only the rejection count matters here, and extra fields are ignored.
const ingestAnswerSchema = z.object({
  rejected: z.union([z.array(z.unknown()), z.number().int().min(0)]).optional(),
});

/** POST NDJSON to `<apiUrl>/v1/errors`, one batch per request, each with an Idempotency-Key. */
export function apiTransport(
  target: { apiUrl: string; token?: string | undefined },
  o: TransportOptions,
): Transport {
  const base = target.apiUrl.endsWith('/') ? target.apiUrl : `${target.apiUrl}/`;
  const url = new URL('v1/errors', base).toString();
  // A private instance: interceptors the app adds (instrumentAxios included) never see our traffic,
  // so a failing ingest API cannot report about itself in a loop.
  const http = axios.create({
    timeout: o.sendTimeoutMs,
    maxRedirects: 0,
    responseType: 'text',
    transformResponse: (data: unknown) => data,
    validateStatus: () => true,
    headers: {
      'content-type': 'application/x-ndjson',
      ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
    },
  });

  // One Idempotency-Key per batch, reused on its retries (the reporter retries the same array): a
  // retry of a POST whose answer was lost, or that got 503 "outcome unknown", counts once.
  const requestKeys = new WeakMap<ErrorEvent[], string>();

  async function post(batch: ErrorEvent[]): Promise<SendResult> {
    const body = batch.map((event) => JSON.stringify(event)).join('\n') + '\n';
    let key = requestKeys.get(batch);
    if (key === undefined) {
      key = randomUUID();
      requestKeys.set(batch, key);
    }
    let status: number;
    let text: string;
    let retryAfter: string | undefined;
    try {
      const response = await http.post<string>(url, body, { headers: { 'idempotency-key': key } });
      status = response.status;
      text = typeof response.data === 'string' ? response.data : '';
      const header: unknown = response.headers['retry-after'];
      retryAfter = typeof header === 'string' ? header : undefined;
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      const error = new ReporterSendError(
        timedOut ? 'timeout' : 'network',
        `POST ${url}: ${code ?? ''} ${(cause as Error).message}`.replace(/\s+/g, ' '),
        { cause },
      );
      return { ...abandoned([batch]), error };
    }
    if (status >= 200 && status < 300) {
      const answer = ingestAnswerSchema.safeParse(safeJson(text));
      const rejectedField = answer.success ? answer.data.rejected : undefined;
      const rejected = Math.min(
        batch.length,
        Array.isArray(rejectedField) ? rejectedField.length : (rejectedField ?? 0),
      );
      return {
        sent: batch.length - rejected,
        written: 1,
        rejected,
        retry: [],
        ...(rejected
          ? { error: new ReporterSendError('http', `POST ${url}: ${rejected} event(s) rejected`, { status }) }
          : {}),
      };
    }
    const error = new ReporterSendError('http', `POST ${url}: HTTP ${status} ${text.slice(0, 200)}`.trim(), {
      status,
    });
    // Too large for the server's body limit: halve and send both parts.
    if (status === 413 && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      return merge([await post(batch.slice(0, half)), await post(batch.slice(half))]);
    }
    if (status === 408 || status === 425 || status === 429 || status >= 500)
      return { ...abandoned([batch]), error, retryAfterMs: parseRetryAfter(retryAfter) };
    // Any other 4xx will not fix itself: a bad token, a refused body.
    return { sent: 0, written: 0, rejected: batch.length, retry: [], error };
  }

  return {
    batchesPerSend: 1,
    async send(batches) {
      return merge(await Promise.all(batches.map(post)));
    },
    async close() {},
  };
}

function merge(results: SendResult[]): SendResult {
  const merged: SendResult = { sent: 0, written: 0, rejected: 0, retry: [] };
  for (const r of results) {
    merged.sent += r.sent;
    merged.written += r.written;
    merged.rejected += r.rejected;
    merged.retry.push(...r.retry);
    if (r.error) merged.error = r.error;
    if (r.retryAfterMs !== undefined)
      merged.retryAfterMs = Math.max(merged.retryAfterMs ?? 0, r.retryAfterMs);
  }
  return merged;
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asSendError(kind: 'redis', cause: unknown, url: string): ReporterSendError {
  if (cause instanceof ReporterSendError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new ReporterSendError(kind, `${redactUrl(url)}: ${message}`, { cause });
}

export function describe(error: ReporterSendError): string {
  return `${error.kind}${error.status ? ` ${error.status}` : ''}: ${error.message}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ReporterSendError('timeout', `${what} took longer than ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

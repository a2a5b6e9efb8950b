import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, RawServerDefault } from 'fastify';
import { errorEventSchema, type ErrorEvent } from '../core/contracts.js';
import type { Config } from '../config.js';
import { validateErrorEvent, type TimeWindow } from '../ingest/stream-fields.js';
import type { Logger } from '../logger.js';
import type { IngestOutcome, Metrics } from '../metrics/metrics.js';
import type { Keys, PartitionKeys } from '../store/keys.js';
import {
  appendOnce,
  bodyDigest,
  idempotencyKeySchema,
  readRequest,
  requestDigest,
  type RequestRecord,
} from '../ingest/request-once.js';
import { describeRedisError, withinDeadline, type RedisWhere } from '../store/redis-errors.js';
import { describeIssues } from './webhooks/generic.js';
import { authenticatedToken, installApiErrorHandler, redactingLogSerializers, requireScope } from './auth.js';
import { createRateLimiter, rateLimitHook } from './rate-limit.js';
import type { RedisClient } from '../store/redis.js';

/** Events per stream entry: the `events` field of one XADD holds at most this many. */
export const eventsPerEntry = 500;
/** Rejections listed in a response; `rejectedCount` has the total. */
const maxListedRejections = 1000;

/** The fastify instance createApi builds (typed with our pino logger); route modules register on it. */
export type ApiServer = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>;

export interface RouteDeps {
  config: Config;
  /** A producer connection (enableOfflineQueue false): a Redis outage fails fast, never queues. */
  redis: RedisClient;
  keys: Keys;
  logger: Logger;
}

export interface ErrorRouteDeps extends RouteDeps {
  /** Longest wait for Redis before answering 503 (a blackholed Redis must not hang callers). */
  redisDeadlineMs?: number;
  now?: () => number;
  /** Where the events of each request are counted by outcome. */
  metrics?: Pick<Metrics, 'ingestEvents'>;
}

/** Why one event of a request was not accepted; `index` is its position (NDJSON: its line, from 0). */
export interface Rejection {
  index: number;
  reason: string;
}

/** A request body as the client's bytes: NDJSON lines are judged, and stored, one event at a time. */
export class RawBatch {
  constructor(
    readonly bytes: Buffer,
    readonly ndjson: boolean,
  ) {}
}

/** The good events of a request, the rejected ones, and (NDJSON) where the good lines lie in the body. */
export interface CollectedBatch {
  events: ErrorEvent[];
  rejected: Rejection[];
  /**
   * NDJSON only: the accepted lines as [start, end) byte ranges of the body, each with the number of
   * rejected lines before it, so runs without a rejection are stored as one slice of the body.
   */
  lines?: { bytes: Buffer; spans: Array<[start: number, end: number, rejectedBefore: number]> };
}

function hasReplacementChar(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\uFFFD');
  if (typeof value !== 'object' || value === null) return false;
  for (const key in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[key];
    if (key.includes('\uFFFD') || (typeof v === 'string' && v.includes('\uFFFD'))) return true;
  }
  return false;
}

/** Checks one event the way the ingest worker will (contract + time window), naming the bad field. */
export function checkEvent(
  value: unknown,
  index: number,
  window: TimeWindow,
): { ok: true; event: ErrorEvent } | { ok: false; reason: string } {
  const result = validateErrorEvent(value, window);
  if (result.ok) return { ok: true, event: result.event };
  // The rare failure pays for zod a second time, for a message that names the field precisely.
  const parsed = errorEventSchema.safeParse(value);
  return {
    ok: false,
    reason: parsed.success
      ? `events[${index}].${result.reason}`
      : describeIssues(parsed.error.issues, value, `events[${index}]`),
  };
}

const invalidUtf8 = (index: number) => `events[${index}]: contains bytes that are not valid UTF-8`;

function collectNdjson(bytes: Buffer, window: TimeWindow): CollectedBatch {
  const events: ErrorEvent[] = [];
  const rejected: Rejection[] = [];
  const spans: Array<[number, number, number]> = [];
  // Checked once for the body; only a body that fails is checked line by line.
  const lossy = !isUtf8(bytes);
  for (let start = 0, index = 0; start < bytes.length; index++) {
    let end = bytes.indexOf(10, start);
    if (end === -1) end = bytes.length;
    const lineStart = start;
    start = end + 1;
    if (end === lineStart) continue;
    if (lossy && !isUtf8(bytes.subarray(lineStart, end))) {
      rejected.push({ index, reason: invalidUtf8(index) });
      continue;
    }
    const line = bytes.toString('utf8', lineStart, end);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (line.trim() === '') continue;
      const why = (error as Error).message.slice(0, 200);
      rejected.push({ index, reason: `events[${index}]: not valid JSON (${why})` });
      continue;
    }
    const checked = checkEvent(value, index, window);
    if (!checked.ok) {
      rejected.push({ index, reason: checked.reason });
      continue;
    }
    events.push(checked.event);
    spans.push([lineStart, end, rejected.length]);
  }
  return { events, rejected, lines: { bytes, spans } };
}

/** The events of a request body (one object, a JSON array, or NDJSON), validated one by one. */
export function collectEvents(body: unknown, window: TimeWindow): CollectedBatch | { error: string } {
  if (!(body instanceof RawBatch))
    return { error: 'expected a JSON event, a JSON array of events, or NDJSON' };
  if (body.ndjson) return collectNdjson(body.bytes, window);
  const lossy = !isUtf8(body.bytes);
  let value: unknown;
  try {
    value = JSON.parse(body.bytes.toString('utf8'));
  } catch (error) {
    return { error: `body is not valid JSON: ${(error as Error).message.slice(0, 200)}` };
  }
  const items = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? [value] : null;
  if (!items) return { error: 'expected a JSON event object or an array of events' };
  const events: ErrorEvent[] = [];
  const rejected: Rejection[] = [];
  items.forEach((item: unknown, index) => {
    // Only when the raw bytes were not UTF-8: the events that carry the damage are the bad ones.
    const checked =
      lossy && hasReplacementChar(item)
        ? { ok: false as const, reason: invalidUtf8(index) }
        : checkEvent(item, index, window);
    if (checked.ok) events.push(checked.event);
    else rejected.push({ index, reason: checked.reason });
  });
  return { events, rejected };
}

const newline = Buffer.from('\n');
/**
 * A compact valid event is under ~6 KB, so 500 fit well inside the worker's 8 MiB field limit; raw
 * lines padded with whitespace could not, and are re-encoded instead.
 */
const maxRawEntryBytes = 1024 * 1024;

/**
 * The `events` field values for a batch, at most `perEntry` events each. NDJSON is stored as the
 * client's own accepted lines (NDJSON, which the ingest worker reads), sliced from the body without
 * copying where no line between them was rejected; JSON bodies (and oversized raw runs) as JSON arrays
 * of the checked events.
 */
export function encodeEntries(batch: CollectedBatch, perEntry = eventsPerEntry): Array<string | Buffer> {
  const entries: Array<string | Buffer> = [];
  const { events, lines } = batch;
  for (let first = 0; first < events.length; first += perEntry) {
    const last = Math.min(events.length, first + perEntry) - 1;
    if (!lines) {
      entries.push(JSON.stringify(events.slice(first, last + 1)));
      continue;
    }
    const a = lines.spans[first]!;
    const b = lines.spans[last]!;
    if (b[1] - a[0] > maxRawEntryBytes) {
      entries.push(JSON.stringify(events.slice(first, last + 1)));
    } else if (a[2] === b[2]) {
      entries.push(lines.bytes.subarray(a[0], b[1]));
    } else {
      const parts: Buffer[] = [];
      for (let i = first; i <= last; i++) {
        const [start, end] = lines.spans[i]!;
        if (i > first) parts.push(newline);
        parts.push(lines.bytes.subarray(start, end));
      }
      entries.push(Buffer.concat(parts));
    }
  }
  return entries;
}

/** Raised when Redis cannot take the batch; the route answers 503 and says whether anything may be stored. */
export class IngestUnavailableError extends Error {
  override readonly name = 'IngestUnavailableError';

  constructor(
    message: string,
    /** The write was sent and no answer came: Redis may still store it. */
    readonly maybeApplied: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Redis's failure in our words, as an IngestUnavailableError. */
function unavailable(cause: unknown, redisUrl: RedisWhere): IngestUnavailableError {
  const trouble = describeRedisError(cause, redisUrl);
  return new IngestUnavailableError(trouble.message, trouble.maybeApplied, { cause });
}

/**
 * A batch split by the ingest partition of each event's service and vendor (keys.partitionOf), in partition
 * order. One partition keeps the batch as it came (NDJSON runs stored as slices of the body).
 */
export function splitByPartition(
  keys: Keys,
  batch: CollectedBatch,
): Array<{ partition: PartitionKeys; batch: CollectedBatch }> {
  if (keys.partitions.length === 1) return [{ partition: keys.partitions[0]!, batch }];
  const parts = new Map<PartitionKeys, ErrorEvent[]>();
  for (const event of batch.events) {
    const partition = keys.partitionOf(event.service, event.vendor);
    const list = parts.get(partition);
    if (list) list.push(event);
    else parts.set(partition, [event]);
  }
  return keys.partitions.flatMap((partition) => {
    const events = parts.get(partition);
    return events ? [{ partition, batch: { events, rejected: [] } }] : [];
  });
}

/**
 * Appends a batch to the error stream, all entries or none (MULTI/EXEC, sent as one pipeline), within
 * a deadline: a blackholed Redis must not hold callers.
 */
export async function appendEvents(
  redis: RedisClient,
  streamKey: string,
  entries: ReadonlyArray<string | Buffer>,
  options: { maxLen: number; deadlineMs: number; redisUrl?: RedisWhere },
): Promise<number> {
  const maxLen = String(options.maxLen);
  let written: Promise<unknown>;
  if (entries.length === 1) {
    written = redis.xadd(streamKey, 'MAXLEN', '~', maxLen, '*', 'events', entries[0]!);
  } else {
    const tx = redis.multi();
    for (const entry of entries) tx.xadd(streamKey, 'MAXLEN', '~', maxLen, '*', 'events', entry);
    written = tx.exec().then((results) => {
      if (!results) throw new Error('transaction aborted');
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0] as Error;
    });
  }
  try {
    await withinDeadline(written, options.deadlineMs);
    return entries.length;
  } catch (cause) {
    throw unavailable(cause, options.redisUrl ?? 'redis://127.0.0.1:6379');
  }
}

/** What a 503 says: only what is known about the write. */
function unavailableAnswer(error: unknown, keyed: boolean): Record<string, unknown> {
  const reason = error instanceof IngestUnavailableError ? error.message : 'Redis failed';
  if (error instanceof IngestUnavailableError && !error.maybeApplied) {
    return { error: `${reason}; nothing was stored, retry later`, outcome: 'not-stored', accepted: 0 };
  }
  const retry = keyed
    ? 'retry with the same Idempotency-Key and the events count once'
    : 'send an Idempotency-Key header so a retry cannot count them twice';
  return {
    error: `${reason}; the outcome is unknown: the events may be stored once Redis answers; ${retry}`,
    outcome: 'unknown',
  };
}

function rawBodyParser(ndjson: boolean) {
  return (_request: unknown, body: Buffer, done: (error: Error | null, value?: unknown) => void) => {
    done(null, new RawBatch(body, ndjson));
  };
}

/**
 * `POST /v1/errors` (scope ingest): one event, a JSON array, or NDJSON (`application/x-ndjson`).
 * Answers 202 `{accepted, rejected: [{index, reason}], rejectedCount}` once the good events are in the
 * stream; 400 when none was good; 503 when Redis did not confirm the write (`outcome` says whether it
 * may still land); 413 over api.maxBodySize. With an `Idempotency-Key` header a retry of a request
 * that landed answers 200 with the first answer and `replayed: true` (see ingest/request-once.ts).
 */
export function registerErrorRoutes(app: ApiServer, deps: ErrorRouteDeps): void {
  const { config, redis, keys, logger } = deps;
  const deadlineMs = deps.redisDeadlineMs ?? 2000;
  const now = deps.now ?? Date.now;
  const limiter = createRateLimiter({ redis, keys, limit: config.api.rateLimit, logger });
  const log = logger.child({ component: 'ingest-http' });
  const count = (outcome: IngestOutcome, events: number) => {
    if (events > 0) deps.metrics?.ingestEvents.inc({ source: 'http', outcome }, events);
  };

  app.register(
    async (scope) => {
      installApiErrorHandler(scope, {
        bodyLimit: config.api.maxBodyBytes,
        accepts: 'application/json or application/x-ndjson',
      });
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, rawBodyParser(false));
      scope.addContentTypeParser('application/x-ndjson', { parseAs: 'buffer' }, rawBodyParser(true));

      scope.post(
        '/v1/errors',
        {
          bodyLimit: config.api.maxBodyBytes,
          onRequest: [requireScope(config, 'ingest'), rateLimitHook(config, limiter)],
        },
        async (request, reply) => {
          const keyHeader = request.headers['idempotency-key'];
          let requestAt: string | null = null;
          if (keyHeader !== undefined) {
            const parsed = idempotencyKeySchema.safeParse(keyHeader);
            if (!parsed.success)
              return reply
                .code(400)
                .send({ error: 'Idempotency-Key: expected 1–200 printable ASCII characters' });
            requestAt = requestDigest(authenticatedToken(request)?.name ?? '', parsed.data);
          }
          const window = { now: now(), retentionMs: config.ingest.retentionMs };
          const batch = collectEvents(request.body, window);
          if ('error' in batch) return reply.code(400).send({ error: batch.error });
          const { events, rejected } = batch;
          count('rejected', rejected.length);
          const answer = {
            accepted: events.length,
            rejected: rejected.slice(0, maxListedRejections),
            rejectedCount: rejected.length,
          };
          const digest = requestAt && request.body instanceof RawBatch ? bodyDigest(request.body.bytes) : '';
          let prior: RequestRecord | null = null;
          try {
            if (events.length === 0) {
              // Nothing to store, but a retry whose events aged out since the first attempt still
              // answers as that attempt did.
              // Unreadable: there is nothing to store either way, so this attempt's own answer stands.
              if (requestAt) {
                const at = requestAt;
                const records = await withinDeadline(
                  Promise.all(keys.partitions.map((p) => readRequest(redis, p.ingestRequest(at)))),
                  deadlineMs,
                ).catch(() => []);
                prior = records.find((record) => record !== null) ?? null;
              }
              if (!prior) return reply.code(rejected.length > 0 ? 400 : 202).send(answer);
            } else if (requestAt) {
              // Each partition's share is stored once under the key's record in that partition: a
              // retry after a partial failure adds only the shares that did not land.
              const at = requestAt;
              const priors = await withinDeadline(
                Promise.all(
                  splitByPartition(keys, batch).map(({ partition, batch: share }) =>
                    appendOnce(
                      redis,
                      { key: partition.ingestRequest(at), stream: partition.errors },
                      encodeEntries(share),
                      {
                        maxLen: config.ingest.streamMaxLen,
                        ttlMs: config.ingest.dedupeWindowMs,
                        record: { body: digest, answer },
                      },
                    ),
                  ),
                ),
                deadlineMs,
              ).catch((cause: unknown) => {
                throw unavailable(cause, config.redis);
              });
              prior = priors.find((record) => record !== null) ?? null;
            } else {
              await Promise.all(
                splitByPartition(keys, batch).map(({ partition, batch: share }) =>
                  appendEvents(redis, partition.errors, encodeEntries(share), {
                    maxLen: config.ingest.streamMaxLen,
                    deadlineMs,
                    redisUrl: config.redis,
                  }),
                ),
              );
            }
          } catch (error) {
            const failure =
              error instanceof IngestUnavailableError ? error : unavailable(error, config.redis);
            log.warn(
              { err: failure.cause ?? failure, events: events.length, maybeStored: failure.maybeApplied },
              'error batch not confirmed by Redis; answering 503',
            );
            count('unavailable', events.length);
            return reply
              .code(503)
              .header('retry-after', 1)
              .send(unavailableAnswer(failure, requestAt !== null));
          }
          if (prior) {
            if (prior.body !== '' && prior.body !== digest) {
              return reply.code(422).send({
                error:
                  'Idempotency-Key was already used with a different body; use a new key for a new request',
              });
            }
            // The first attempt landed: its answer, and nothing counted twice.
            count('deduplicated', events.length);
            return reply
              .code(200)
              .header('idempotent-replayed', 'true')
              .send({ ...prior.answer, replayed: true });
          }
          if (rejected.length > 0) {
            log.info(
              { accepted: events.length, rejected: rejected.length, first: rejected[0] },
              'events rejected',
            );
          }
          count('accepted', events.length);
          return reply.code(202).send(answer);
        },
      );
    },
    { logSerializers: redactingLogSerializers },
  );
}

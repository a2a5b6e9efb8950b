import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  errorEventSchema,
  isVolumeReport,
  MAX_CALLS,
  type ErrorEvent,
  type ErrorEventInput,
} from '../core/contracts.js';
import { registerExitHook, unregisterExitHook, type ExitHook } from './exit-hooks.js';
import {
  abandoned,
  apiTransport,
  backoff,
  describe,
  redisTransport,
  ReporterSendError,
  sleep,
  type SendResult,
} from './transports.js';

export { ReporterSendError } from './transports.js';

/** Where a reporter sends events: the Redis stream directly, or the upcause HTTP API. */
export type ReporterTarget =
  { redisUrl: string; prefix?: string; partitions?: number } | { apiUrl: string; token?: string };

/** A pino logger fits; the reporter logs dropped batches at warn and failed attempts at debug. */
export interface ReporterLogger {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface ReporterOptions {
  /** The reporting service; events may name another. */
  service: string;
  /** Default region for events that name none (usually where this process runs). */
  region?: string;
  /** Events per stream entry / HTTP request; a full batch is sent at once. Default 500. */
  maxBatch?: number;
  /** A partial batch waits at most this long. Default 1000 ms. */
  flushIntervalMs?: number;
  /** Events held while the target is slow or down; beyond it the oldest are dropped. Default 100,000. */
  maxQueue?: number;
  /** Tries per batch before it is dropped (counted). Default 5. */
  maxAttempts?: number;
  /** Backoff between tries: full jitter up to min(retryMaxMs, retryBaseMs·2^n). Defaults 100 / 5000 ms. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** One send (XADD pipeline or POST) may take this long before it counts as failed. Default 5000 ms. */
  sendTimeoutMs?: number;
  /** close() and exit flushes give up after this long. Default 5000 ms. */
  closeTimeoutMs?: number;
  /** Stream trim: XADD … MAXLEN ~ N. Default 1,000,000 (the ingest default). */
  streamMaxLen?: number;
  /**
   * Give every event without an `id` a unique one, so the ingest dedupe counts a batch resent after an
   * ambiguous failure (a timeout after Redis had written it) once. Costs ~20 bytes per event.
   */
  idempotencyKeys?: boolean;
  /** Flush on beforeExit, SIGTERM and SIGINT (see exit-hooks.ts). Default true. */
  handleExit?: boolean;
  /**
   * Count calls (countCall(), which instrumentAxios / wrapFetch call for every call to a known vendor)
   * per (service, vendor, region, minute) and send the counts as volume reports with the batches, so
   * the correlator can tell "our calls to X are at baseline" from "we never call X". Default true.
   */
  countCalls?: boolean;
  logger?: ReporterLogger;
  /** Clock for events without `at`. */
  now?: () => number;
}

/** One call made to a vendor, failed or not, as countCall() takes it. */
export interface CountedCall {
  vendor: string;
  /** Defaults to the reporter's region. */
  region?: string;
  /** Defaults to the reporter's service. */
  service?: string;
  /** When the call ended (epoch ms); defaults to now. */
  at?: number;
}

/** An event as callers report it: `service` defaults to the reporter's, `at` to now. */
export type ReportEvent = Omit<ErrorEventInput, 'service' | 'at'> & {
  service?: string;
  at?: ErrorEventInput['at'] | Date;
};

export interface ReporterStats {
  /** Waiting to be sent. */
  queued: number;
  /** Calls to report(). */
  reported: number;
  /** Events the target confirmed. */
  sent: number;
  /** Stream entries written / requests accepted. */
  batches: number;
  /** Sends that failed (each try counts). */
  failedAttempts: number;
  /** Sends tried again after a failure. */
  retries: number;
  dropped: {
    /** Failed local validation; never sent. */
    invalid: number;
    /** Pushed out of a full queue (oldest first). */
    overflow: number;
    /** Still failing after maxAttempts. */
    failed: number;
    /** Refused by the API (a 4xx other than 408/429, or per-event rejections). */
    rejected: number;
    /** Reported after close(), or unsent when the close deadline passed. */
    closed: number;
  };
  /** Why events were invalid: "field: message" → count (at most 50 distinct reasons). */
  invalidReasons: Record<string, number>;
  lastError: string | null;
  /** Calls counted by countCall(); they are sent as volume reports (counted in `sent` like any event). */
  countedCalls: number;
}

/** Batches error events and delivers them in the background; no method throws into the caller. */
export interface Reporter {
  /** Validates and queues one event; false when it was dropped (see stats()). */
  report(event: ReportEvent): boolean;
  /**
   * Counts one call to a vendor, success or failure, in memory; the counts go out as volume reports
   * with the next batches (see ReporterOptions.countCalls). Cheap, never throws.
   */
  countCall(call: CountedCall): void;
  /** Resolves once every event queued before the call was sent or dropped. Never rejects. */
  flush(): Promise<void>;
  /** Flushes (within closeTimeoutMs), then releases the connection. Never rejects. */
  close(): Promise<void>;
  stats(): ReporterStats;
}

/** Options that cannot work, named with the reason. Thrown by createReporter only, at start. */
export class ReporterOptionsError extends Error {
  override readonly name = 'ReporterOptionsError';
}

const positive = (max: number) => z.number().int().min(1).max(max);
const targetSchema = z.union([
  z.strictObject({
    redisUrl: z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL'),
    prefix: z
      .string()
      .min(1)
      .regex(/^[^{}\s]+$/, 'no braces or spaces: the prefix becomes the {…} hash tag')
      .optional(),
    /** ingest.partitions of the install: each event goes to the partition stream of its service and vendor. */
    partitions: positive(64).optional(),
  }),
  z.strictObject({
    apiUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
    token: z.string().min(1).optional(),
  }),
]);
const optionsSchema = z.strictObject({
  service: z.string().min(1).max(512),
  region: z.string().min(1).max(512).optional(),
  maxBatch: positive(10_000).default(500),
  flushIntervalMs: positive(3_600_000).default(1000),
  maxQueue: positive(10_000_000).default(100_000),
  maxAttempts: positive(100).default(5),
  retryBaseMs: positive(60_000).default(100),
  retryMaxMs: positive(600_000).default(5000),
  sendTimeoutMs: positive(600_000).default(5000),
  closeTimeoutMs: positive(600_000).default(5000),
  streamMaxLen: positive(1_000_000_000).default(1_000_000),
  idempotencyKeys: z.boolean().default(false),
  handleExit: z.boolean().default(true),
  countCalls: z.boolean().default(true),
  logger: z
    .custom<ReporterLogger>((v) => typeof v === 'object' && v !== null, 'expected a logger')
    .optional(),
  now: z.custom<() => number>((v) => typeof v === 'function', 'expected a function').optional(),
});
function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ReporterOptionsError(`createReporter: invalid ${what}: ${issues.join('; ')}`);
}

/** Creates a reporter; throws ReporterOptionsError at once for unusable options, never later. */
export function createReporter(target: ReporterTarget, options: ReporterOptions): Reporter {
  const to = parse(targetSchema, target, 'target');
  const o = parse(optionsSchema, options, 'options');
  const transport = 'redisUrl' in to ? redisTransport(to, o) : apiTransport(to, o);
  const now = o.now ?? Date.now;
  const queue = createQueue<ErrorEvent>();
  const counters: Omit<ReporterStats, 'queued' | 'invalidReasons'> = {
    reported: 0,
    sent: 0,
    batches: 0,
    failedAttempts: 0,
    retries: 0,
    dropped: { invalid: 0, overflow: 0, failed: 0, rejected: 0, closed: 0 },
    lastError: null,
    countedCalls: 0,
  };
  const invalidReasons = new Map<string, number>();
  const idPrefix = randomBytes(6).toString('base64url');
  let idSeq = 0;
  // `enqueued` and `done` (sent or dropped) order the queue, so flush() can wait for "everything so far".
  let enqueued = 0;
  let done = 0;
  const waiters: { target: number; resolve: () => void }[] = [];
  let flushWanted = false;
  let pumping: Promise<void> | null = null;
  let kickScheduled = false;
  let closing: Promise<void> | null = null;
  const deadline = new AbortController();
  const calls = createCallCounts();

  const timer = setInterval(() => {
    // Counts ride along when errors go out anyway; alone, a minute's counts go once it is over, so
    // a service without errors sends about one batch a minute, not one per tick.
    drainCalls(queue.size > 0 ? Infinity : Math.floor(now() / 60_000));
    if (queue.size > 0) {
      flushWanted = true;
      kick();
    }
  }, o.flushIntervalMs);
  // The batching timer alone must not keep the app alive; in-flight sends do (see pump()).
  timer.unref();

  const exitHook: ExitHook = {
    pending: () => queue.size > 0 || pumping !== null || calls.size > 0,
    flush: () => flush(),
    timeoutMs: o.closeTimeoutMs,
  };
  if (o.handleExit) registerExitHook(exitHook);

  function countInvalid(reason: string) {
    counters.dropped.invalid++;
    const key = invalidReasons.has(reason) || invalidReasons.size < 50 ? reason : '(other reasons)';
    invalidReasons.set(key, (invalidReasons.get(key) ?? 0) + 1);
  }

  function report(event: ReportEvent): boolean {
    try {
      counters.reported++;
      if (closing) {
        counters.dropped.closed++;
        return false;
      }
      const given: Partial<ReportEvent> = typeof event === 'object' && event !== null ? event : {};
      const at = given.at instanceof Date ? given.at.getTime() : (given.at ?? now());
      return enqueue({
        ...given,
        at,
        service: given.service ?? o.service,
        region: given.region ?? o.region,
      });
    } catch (error) {
      countInvalid(`report() failed: ${(error as Error).message}`);
      return false;
    }
  }

  /** Validates and queues one event; the queue is bounded, so the oldest go first when it is full. */
  function enqueue(candidate: Record<string, unknown>): boolean {
    let valid = quickEvent(candidate);
    if (!valid) {
      const parsed = errorEventSchema.safeParse(candidate);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        countInvalid(issue ? `${issue.path.join('.') || '(event)'}: ${issue.message}` : 'invalid event');
        return false;
      }
      valid = parsed.data;
    }
    const item =
      o.idempotencyKeys && valid.id === undefined
        ? { ...valid, id: `${idPrefix}-${(idSeq++).toString(36)}` }
        : valid;
    if (queue.size >= o.maxQueue) {
      queue.drop(1);
      counters.dropped.overflow++;
      done++;
    }
    queue.push(item);
    enqueued++;
    if (queue.size >= o.maxBatch) scheduleKick();
    return true;
  }

  function countCall(call: CountedCall): void {
    try {
      if (!o.countCalls || closing || typeof call?.vendor !== 'string') return;
      const at = typeof call.at === 'number' && Number.isFinite(call.at) ? call.at : now();
      calls.add(Math.floor(at / 60_000), call.service ?? o.service, call.vendor, call.region ?? o.region);
      counters.countedCalls++;
      // A bounded map: a process calling very many (service, vendor, region) scopes sends early.
      if (calls.size >= maxCallScopes) drainCalls(Infinity);
    } catch {
      // Counting must never break a call.
    }
  }

  /** Moves the counts of minutes before `beforeMinute` into the queue as volume reports. */
  function drainCalls(beforeMinute: number) {
    for (const { minute, service, vendor, region, calls: n } of calls.take(beforeMinute))
      for (let left = n; left > 0; left -= MAX_CALLS)
        enqueue({
          at: minute * 60_000,
          service,
          vendor,
          ...(region !== undefined ? { region } : {}),
          calls: Math.min(left, MAX_CALLS),
        });
  }

  const shouldSend = () => queue.size > 0 && (flushWanted || closing !== null || queue.size >= o.maxBatch);

  // report() stays synchronous and cheap: sending starts on the next microtask.
  function scheduleKick() {
    if (kickScheduled || pumping) return;
    kickScheduled = true;
    queueMicrotask(() => {
      kickScheduled = false;
      kick();
    });
  }

  function kick() {
    if (pumping) return;
    if (!shouldSend()) return settle();
    pumping = pump()
      .catch((error: unknown) => {
        counters.lastError = `reporter loop: ${(error as Error).message}`;
      })
      .finally(() => {
        pumping = null;
        if (shouldSend()) kick();
        else settle();
      });
  }

  async function pump() {
    // Holds the event loop open while events are in flight, so beforeExit cannot end the process
    // between an XADD and its reply (the Redis socket itself is unref'd).
    const keepAlive = setInterval(() => {}, 1 << 30);
    try {
      while (shouldSend()) {
        if (deadline.signal.aborted) {
          const left = queue.size;
          queue.drop(left);
          counters.dropped.closed += left;
          done += left;
          break;
        }
        const batches: ErrorEvent[][] = [];
        while (batches.length < transport.batchesPerSend && shouldSend())
          batches.push(queue.take(o.maxBatch));
        await deliver(batches);
        settle();
      }
      if (queue.size === 0) flushWanted = false;
    } finally {
      clearInterval(keepAlive);
    }
  }

  async function deliver(batches: ErrorEvent[][]) {
    let pending = batches;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const result = deadline.signal.aborted ? abandoned(pending) : await sendSafely(pending);
      counters.sent += result.sent;
      counters.batches += result.written;
      counters.dropped.rejected += result.rejected;
      done += result.sent + result.rejected;
      if (result.error) counters.lastError = describe(result.error);
      pending = result.retry;
      if (pending.length === 0) return;
      const count = pending.reduce((sum, batch) => sum + batch.length, 0);
      if (!deadline.signal.aborted) counters.failedAttempts++;
      if (attempt >= o.maxAttempts || deadline.signal.aborted) {
        const why = deadline.signal.aborted ? 'closed' : 'failed';
        counters.dropped[why] += count;
        done += count;
        o.logger?.warn(
          { component: 'upcause-reporter', events: count, attempts: attempt, err: counters.lastError },
          why === 'failed' ? 'error events dropped after retries' : 'error events dropped at close deadline',
        );
        return;
      }
      o.logger?.debug(
        { component: 'upcause-reporter', events: count, attempt, err: counters.lastError },
        'error event send failed; retrying',
      );
      counters.retries++;
      await sleep(backoff(attempt, result.retryAfterMs, o), deadline.signal);
    }
  }

  async function sendSafely(batches: ErrorEvent[][]): Promise<SendResult> {
    try {
      return await transport.send(batches);
    } catch (cause) {
      const error =
        cause instanceof ReporterSendError
          ? cause
          : new ReporterSendError('network', String(cause), { cause });
      return { sent: 0, written: 0, rejected: 0, retry: batches, error };
    }
  }
  function settle() {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i]!;
      if (done >= waiter.target) {
        waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  function flush(): Promise<void> {
    drainCalls(Infinity);
    const target = enqueued;
    if (done >= target) return Promise.resolve();
    flushWanted = true;
    const settled = new Promise<void>((resolve) => waiters.push({ target, resolve }));
    kick();
    return settled;
  }

  function close(): Promise<void> {
    if (closing) return closing;
    clearInterval(timer);
    unregisterExitHook(exitHook);
    closing = (async () => {
      const stop = setTimeout(() => deadline.abort(), o.closeTimeoutMs);
      try {
        await flush();
      } finally {
        clearTimeout(stop);
        await transport.close().catch(() => {});
      }
    })();
    return closing;
  }

  function stats(): ReporterStats {
    return {
      ...counters,
      queued: queue.size,
      dropped: { ...counters.dropped },
      invalidReasons: Object.fromEntries(invalidReasons),
    };
  }

  return { report, countCall, flush, close, stats };
}

// ── validation fast path ──────────────────────────────────────────────────────────────────────
//
// errorEventSchema costs 6–10 µs per event here, most of the reporter's CPU at high rates. This
// accepts only the plain, clearly valid shape and builds what the schema would output; anything
// else (and every rejection, for its reason) goes through the schema. A test checks the two agree.

const eventKeys = new Set([
  'at',
  'service',
  'vendor',
  'region',
  'code',
  'status',
  'count',
  'calls',
  'customer',
  'endpoint',
  'id',
]);
const textKeys = ['service', 'vendor', 'region', 'code', 'customer', 'endpoint', 'id'] as const;
const earliest = Date.UTC(2000, 0, 1);
const latest = Date.UTC(2100, 0, 1);
const isoStart = /^\d{4}-\d{2}-\d{2}T/;

/** The schema's output for a plainly valid event, else null (then ask the schema). */
export function quickEvent(input: Record<string, unknown>): ErrorEvent | null {
  for (const key of Object.keys(input)) if (!eventKeys.has(key)) return null;
  const { at, status, count, calls } = input;
  let ms: number;
  if (typeof at === 'number') ms = at;
  else if (typeof at === 'string' && isoStart.test(at)) ms = Date.parse(at);
  else return null;
  if (!Number.isFinite(ms) || ms < earliest || ms > latest) return null;
  if (
    status !== undefined &&
    !(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)
  )
    return null;
  if (
    count !== undefined &&
    !(
      Number.isInteger(count) &&
      (count as number) >= (isVolumeReport(input) ? 0 : 1) &&
      (count as number) <= 1_000_000
    )
  )
    return null;
  // Calls name their vendor; the schema says why when they do not.
  if (
    calls !== undefined &&
    !(Number.isInteger(calls) && (calls as number) >= 0 && (calls as number) <= MAX_CALLS && input.vendor)
  )
    return null;
  const out: Record<string, unknown> = { at: new Date(ms).toISOString() };
  for (const key of textKeys) {
    const value = input[key];
    if (value === undefined) {
      if (key === 'service') return null;
      continue;
    }
    if (typeof value !== 'string' || value.length < 1 || value.length > 512) return null;
    out[key] = value;
  }
  if (status !== undefined) out.status = status;
  if (calls !== undefined) out.calls = calls;
  out.count = count ?? (isVolumeReport(input) ? 0 : 1);
  return out as ErrorEvent;
}

// ── call counts ───────────────────────────────────────────────────────────────────────────────

/** Above this many (minute, service, vendor, region) tallies, the counts are sent early. */
const maxCallScopes = 10_000;

interface CallTally {
  minute: number;
  service: string;
  vendor: string;
  region: string | undefined;
  calls: number;
}

/** Per-minute call tallies by (service, vendor, region): one lookup and one increment per call. */
function createCallCounts() {
  const byMinute = new Map<number, Map<string, CallTally>>();
  let size = 0;
  return {
    /** Tallies held. */
    get size() {
      return size;
    },
    add(minute: number, service: string, vendor: string, region: string | undefined) {
      let tallies = byMinute.get(minute);
      if (!tallies) byMinute.set(minute, (tallies = new Map()));
      const key = `${service}\u0000${vendor}\u0000${region ?? '\u0000'}`;
      const tally = tallies.get(key);
      if (tally) tally.calls++;
      else {
        tallies.set(key, { minute, service, vendor, region, calls: 1 });
        size++;
      }
    },
    /** Removes and returns the tallies of minutes before `beforeMinute`. */
    take(beforeMinute: number): CallTally[] {
      const out: CallTally[] = [];
      for (const [minute, tallies] of byMinute) {
        if (minute >= beforeMinute) continue;
        byMinute.delete(minute);
        size -= tallies.size;
        for (const tally of tallies.values()) out.push(tally);
      }
      return out;
    },
  };
}

// ── a FIFO with cheap removal at the head ──────────────────────────────────────────────────────

function createQueue<T>() {
  let items: T[] = [];
  let head = 0;
  const compact = () => {
    if (head >= items.length) {
      items = [];
      head = 0;
    } else if (head > 4096 && head * 2 > items.length) {
      items = items.slice(head);
      head = 0;
    }
  };
  return {
    get size() {
      return items.length - head;
    },
    push(item: T) {
      items.push(item);
    },
    take(n: number): T[] {
      const out = items.slice(head, head + n);
      head += out.length;
      compact();
      return out;
    },
    drop(n: number) {
      head = Math.min(items.length, head + n);
      compact();
    },
  };
}

import { randomUUID } from 'node:crypto';
import { DelayedError, UnrecoverableError, type MinimalJob, type Worker, type WorkerOptions } from 'bullmq';
import { DONE_TTL_SECONDS, deliveryKeys, reenableHint, type DisabledState } from '../src/store/deliveries.js';
import { deliveryKeyOf, deliverySubject } from '../src/delivery/enqueue.js';
import type { Logger } from '../src/logger.js';
import type { Keys } from '../src/store/keys.js';
import { SinkError, type Sink } from '../src/delivery/sinks/types.js';
import { createCatalogWorker } from './catalog-worker.js';
import { jobCatalog, type DeliveryJob } from './jobs.js';
import type { RedisClient } from '../src/store/redis.js';

/*
 * The delivery worker: sends one payload (an annotation version, an alert, a digest) to one sink per
 * job (see src/delivery/enqueue.ts for the key scheme, src/store/deliveries.ts for the Redis layout).
 * Order per job: done record? → sink disabled? → claim → send → record. The claim stops a second
 * worker (one that took over a job whose lock it thought lost) from sending while the first is still
 * waiting on the sink; it expires, so a killed worker's claim only delays the takeover.
 */

/** Consecutive failed attempts after which a sink is disabled. */
export const DISABLE_AFTER = 10;
/** Longest wait between two attempts, also the cap on a receiver's Retry-After. */
export const MAX_BACKOFF_MS = 600_000;
/** How long a claim outlives the sink's request deadline, by default. */
const CLAIM_MARGIN_MS = 5_000;

/**
 * The 'delivery' backoff: exponential from the job's base delay (2^(n-1) × base, capped), drawn in
 * [½, 1] of that so retries of many deliveries do not arrive together; a receiver's Retry-After
 * (429/503) wins when longer.
 */
export function deliveryBackoff(
  attemptsMade: number,
  baseMs: number,
  error: unknown,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.floor(ceiling * (0.5 + random() / 2));
  const retryAfter = error instanceof SinkError ? error.retryAfterMs : undefined;
  return retryAfter === undefined ? jittered : Math.max(jittered, Math.min(retryAfter, MAX_BACKOFF_MS));
}

export interface DeliveryWorkerDeps {
  /** Worker connection (maxRetriesPerRequest null) for BullMQ. */
  connection: RedisClient;
  /** Commands connection for the delivery records and sink state. */
  redis: RedisClient;
  keys: Keys;
  /** BullMQ prefix (keys.bull). */
  prefix: string;
  /** From createSinks(config.sinks). */
  sinks: ReadonlyArray<Sink>;
  logger: Logger;
  concurrency?: number;
  /** Default DISABLE_AFTER. */
  disableAfter?: number;
  /** Wall clock; tests pass a fixed one. */
  now?: () => number;
  /** How long a sending worker's claim outlives the sink's deadline (default 5 s). */
  claimMarginMs?: number;
  /** Lock and stall settings (tests shorten them to see a takeover quickly). */
  workerOptions?: Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount' | 'drainDelay'>;
}

/** The done record of a delivery, as stored under `<root>:dlv:<key>` and returned by the job. */
export interface DeliveryRecord {
  key: string;
  sink: string;
  /** What was delivered: `INC-1 v2`, `alert|<id>`, `digest|<period>`. */
  subject: string;
  /** Set for annotations. */
  incident?: string;
  version?: number;
  outcome: 'delivered' | 'skipped';
  status?: number;
  reason?: string;
  at: string;
  attempt: number;
}

/** What one job run did. */
export type DeliveryOutcome =
  | DeliveryRecord
  | { key: string; sink: string; outcome: 'already-done'; record: string }
  | { key: string; sink: string; outcome: 'in-flight'; retryInMs: number };

// Deletes the claim only if it is still ours (it may have expired and been taken).
const releaseScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * One delivery attempt, without BullMQ: returns the record (or why nothing was sent), throws SinkError
 * when the sink refused, UnrecoverableError when it never can succeed. `attempt` counts from 1.
 */
export async function runDelivery(
  deps: DeliveryWorkerDeps,
  data: DeliveryJob,
  attempt: number,
): Promise<DeliveryOutcome> {
  const { redis, keys, logger } = deps;
  const now = deps.now ?? Date.now;
  const dk = deliveryKeys(keys);
  const { key, sink: sinkName, payload } = data;
  const subject = deliverySubject(payload);
  if (key !== deliveryKeyOf(payload, sinkName)) {
    throw new UnrecoverableError(`delivery ${key}: key does not match (${subject}, sink ${sinkName})`);
  }
  const sink = deps.sinks.find((s) => s.name === sinkName);
  if (!sink) throw new UnrecoverableError(`delivery ${key}: sink "${sinkName}" is no longer configured`);
  const log = logger.child({
    sink: sinkName,
    delivery: key,
    subject,
    attempt,
  });

  const already = await redis.get(dk.done(key));
  if (already !== null) return { key, sink: sinkName, outcome: 'already-done', record: already };
  const disabled = await redis.get(dk.disabled(sinkName));
  if (disabled !== null) {
    throw new UnrecoverableError(
      `sink ${sinkName} is disabled, delivery ${key} not sent; to re-enable, ${reenableHint(keys, sinkName)}`,
    );
  }

  const token = randomUUID();
  const claimMs = sink.timeoutMs + (deps.claimMarginMs ?? CLAIM_MARGIN_MS);
  const claimed = await redis.set(dk.claim(key), token, 'PX', claimMs, 'NX');
  if (claimed === null) {
    const left = await redis.pttl(dk.claim(key));
    return { key, sink: sinkName, outcome: 'in-flight', retryInMs: Math.max(left, 100) };
  }
  try {
    // Another worker may have finished between our first look and the claim.
    const done = await redis.get(dk.done(key));
    if (done !== null) return { key, sink: sinkName, outcome: 'already-done', record: done };

    const result = await sink.deliver(payload, { deliveryKey: key, now: new Date(now()) });
    const record: DeliveryRecord = {
      key,
      sink: sinkName,
      subject,
      ...(payload.type === 'annotation' ? { incident: payload.incident, version: payload.version } : {}),
      outcome: result.kind,
      ...(result.kind === 'delivered' ? { status: result.status } : { reason: result.reason }),
      at: new Date(now()).toISOString(),
      attempt,
    };
    // First thing after the 2xx: every statement before this widens the resend window.
    await redis.set(dk.done(key), JSON.stringify(record), 'EX', DONE_TTL_SECONDS);
    if (result.kind === 'delivered') {
      await redis.del(dk.failures(sinkName));
      log.info({ status: result.status }, 'delivered');
    } else {
      log.info({ reason: result.reason }, 'delivery skipped: the sink does not apply to it');
    }
    return record;
  } catch (error) {
    if (error instanceof SinkError && error.kind === 'refused') {
      // This payload's fault, not the sink's: it does not count towards disabling the sink.
      log.warn({ err: error.message }, 'delivery refused: it cannot make a valid request; not sent');
    } else if (error instanceof SinkError) {
      await countFailure(deps, sinkName, error, log);
    }
    throw error;
  } finally {
    await redis.eval(releaseScript, 1, dk.claim(key), token).catch(() => undefined);
  }
}

async function countFailure(deps: DeliveryWorkerDeps, sink: string, error: SinkError, log: Logger) {
  const dk = deliveryKeys(deps.keys);
  const limit = deps.disableAfter ?? DISABLE_AFTER;
  const failures = await deps.redis.incr(dk.failures(sink));
  log.warn(
    { err: error.message, kind: error.kind, status: error.status, permanent: error.permanent, failures },
    'delivery attempt failed',
  );
  // A receiver saying the destination is gone (410) disables the sink at once: retrying cannot help.
  if (failures < limit && error.disableReason === undefined) return;
  const reason = error.disableReason ?? `after ${failures} consecutive failed delivery attempts`;
  const state: DisabledState = {
    since: new Date((deps.now ?? Date.now)()).toISOString(),
    failures,
    lastError: error.message,
    reason,
  };
  // NX: the first worker to disable it logs it; the rest see it already disabled.
  const set = await deps.redis.set(dk.disabled(sink), JSON.stringify(state), 'NX');
  if (set !== null) {
    log.error(
      { failures, lastError: error.message, reason },
      `sink ${sink} disabled ${error.disableReason === undefined ? reason : `at once: ${reason}`}; its deliveries fail until it is re-enabled: ${reenableHint(deps.keys, sink)}`,
    );
  }
}

/** The job's backoff base delay (the catalog's, unless a test overrode it). */
function baseDelay(job: MinimalJob | undefined): number {
  const backoff = job?.opts.backoff;
  if (typeof backoff === 'number') return backoff;
  return backoff?.delay ?? 2_000;
}

/** Runs delivery jobs; any number of processes may run one against the same Redis. */
export function createDeliveryWorker(deps: DeliveryWorkerDeps): Worker {
  const worker = createCatalogWorker(
    jobCatalog.deliver,
    async (data, { job, token, attempt }) => {
      // runDelivery's lines add the sink, the delivery and the attempt.
      const logger = deps.logger.child({ jobName: job.name, job: job.id });
      // A permanent SinkError (a 4xx the receiver will repeat) fails the job without retry.
      const outcome = await runDelivery({ ...deps, logger }, data, attempt);
      if (outcome.outcome === 'in-flight') {
        // Not a failed attempt: wait for the other sender's claim to end, then look again.
        logger.debug(
          { delivery: outcome.key, sink: outcome.sink, attempt, retryInMs: outcome.retryInMs },
          'another worker holds this delivery; looking again when its claim ends',
        );
        await job.moveToDelayed(Date.now() + outcome.retryInMs, token);
        throw new DelayedError();
      }
      return outcome;
    },
    {
      connection: deps.connection,
      prefix: deps.prefix,
      logger: deps.logger,
      concurrency: deps.concurrency ?? 4,
      workerOptions: {
        ...deps.workerOptions,
        settings: {
          backoffStrategy: (attemptsMade, _type, error, job) =>
            deliveryBackoff(attemptsMade, baseDelay(job), error),
        },
      },
    },
  );
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final)
      deps.logger.error(
        {
          delivery: job.id,
          job: job.id,
          sink: (job.data as { sink?: unknown }).sink,
          attempt: job.attemptsMade,
          err: error.message,
        },
        'delivery failed for good',
      );
  });
  return worker;
}

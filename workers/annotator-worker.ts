import { Queue } from 'bullmq';
import { z } from 'zod';
import { createAnnotationStore, toAnnotation, type RecordOutcome } from '../src/store/annotations.js';
import type { InternalIncident } from '../src/core/contracts.js';
import { INPUT_WINDOWS, type InputConfig } from '../src/core/correlate/select-input.js';
import {
  createVendorIncidentCache,
  loadCorrelationInput,
  type VendorIncidentSource,
} from '../src/store/correlation-input.js';
import { correlate } from '../src/core/correlate/score.js';
import { RULES, vendorKey } from '../src/core/correlate/signals.js';
import type { Annotation } from '../src/core/correlate/types.js';
import {
  createIncidentStore,
  incidentChangesKey,
  RELEVANT_AFTER_RESOLVED_MS,
} from '../src/store/incidents.js';
import type { Logger } from '../src/logger.js';
import type { Keys } from '../src/store/keys.js';
import { createVendorStore } from '../src/store/vendors.js';
import { createCatalogWorker, route } from './catalog-worker.js';
import { enqueue, jobCatalog, upsertSchedule, type JobPayload } from './jobs.js';
import {
  consumerName,
  createStreamLoop,
  fieldRecord,
  type DeadLetterPolicy,
  type RawEntry,
} from './stream-consumer.js';
import { duplicateRedis, type RedisClient } from '../src/store/redis.js';

/*
 * The annotator: re-evaluates our incidents with correlate() and stores each verdict as a version.
 * Triggers: a vendor incident appearing, changing, backdated or resolving (keys.vendorChanges), our
 * incident opening, changing or resolving (the incident-changes stream), and a tick every minute for
 * open incidents (their errors keep arriving). Triggers only enqueue; BullMQ runs the evaluations.
 */

/** The evaluation and tick jobs as the job catalog defines them. */
export const annotatorJobs = { evaluate: jobCatalog.annotate, tick: jobCatalog.annotateTick } as const;

export type AnnotateJob = JobPayload<'annotate'>;

/** Puts the minute tick (its catalog schedule) in place on the annotate queue. */
export async function upsertAnnotateTick(queue: Queue): Promise<void> {
  await upsertSchedule(queue, 'annotateTick', annotatorJobs.tick.schedule, {});
}

/** The consumer group the annotator reads both change streams with. */
export const annotatorGroup = 'annotator';

/**
 * Deduplication id of an incident's evaluations: deterministic, and without ':' (BullMQ reserves it).
 * Job ids themselves are left to BullMQ: with keepLastIfActive a trigger arriving during an evaluation
 * is kept as the next job under the incoming job id, which must therefore differ from the active one.
 */
export function annotateDedupId(incidentId: string): string {
  return `annotate-${encodeURIComponent(incidentId)}`;
}

/**
 * Enqueues an evaluation of one incident. Bursts collapse: at most one waiting and one running job per
 * incident, and a trigger during a run is not lost (it becomes the waiting one).
 */
export async function enqueueAnnotation(
  queue: Queue,
  incidentId: string,
  reason: AnnotateJob['reason'],
): Promise<void> {
  await enqueue(
    queue,
    'annotate',
    { incidentId, reason },
    { deduplication: { id: annotateDedupId(incidentId), keepLastIfActive: true } },
  );
}

export interface AnnotatorDeps {
  /** Commands connection (not a blocking one). */
  redis: RedisClient;
  keys: Keys;
  config: InputConfig;
  logger: Logger;
  /** Wall clock; tests pass a fixed one. */
  now?: () => number;
  /** Defaults to reading the vendor store per evaluation; createVendorIncidentCache() for live use. */
  vendorIncidents?: VendorIncidentSource;
  /**
   * Hands a new annotation version to delivery, e.g. `(a, v) => enqueueDeliveries(deps, a, v)` from
   * src/delivery/enqueue.ts. Must be idempotent per (incident, version): it is called again when a
   * previous call failed before being confirmed.
   */
  onAnnotationChanged?: (annotation: Annotation, version: number) => Promise<void>;
}

/** What one evaluation did. */
export interface AnnotationRun {
  incidentId: string;
  outcome: RecordOutcome['kind'] | 'missing';
  version?: number;
  verdict?: Annotation['verdict'];
  top?: string | null;
  confidence?: number | null;
  delivered: boolean;
}

/**
 * The evaluation: loads the incident's input at `now`, scores it, records the result as a version
 * (or an in-place update) and hands new versions to delivery. A version whose hand-over failed is
 * handed over again by the next evaluation, so a crash between the two never loses a delivery.
 */
export async function runAnnotation(
  deps: AnnotatorDeps,
  incidentId: string,
  now: Date,
): Promise<AnnotationRun> {
  const input = await loadCorrelationInput(deps, incidentId, now);
  if (!input) return { incidentId, outcome: 'missing', delivered: false };
  const result = correlate(input);
  const store = createAnnotationStore(deps.redis, deps.keys);
  const outcome = await store.record(result, now);
  const { version } = outcome;
  let delivered = false;
  if (outcome.deliver && deps.onAnnotationChanged) {
    await deps.onAnnotationChanged(toAnnotation(version), version.version);
    await store.markDelivered(incidentId, version.version);
    delivered = true;
  }
  return {
    incidentId,
    outcome: outcome.kind,
    version: version.version,
    verdict: version.verdict,
    top: version.top,
    confidence: version.candidates[0]?.confidence ?? null,
    delivered,
  };
}

// ─── which incidents a change concerns ──────────────────────────────────────────────────────

const ms = (iso: string) => Date.parse(iso);

/** The vendor change notice as the vendor store writes it. */
export const vendorChangeSchema = z.object({
  vendor: z.string().min(1, 'vendor must not be empty'),
  id: z.string().min(1, 'id must not be empty'),
  change: z.string().default('updated'),
  at: z.string().optional(),
});
export type VendorChange = z.infer<typeof vendorChangeSchema>;

/** The incident change notice as the incident store writes it. */
export const incidentChangeSchema = z.object({
  id: z.string().min(1, 'id must not be empty'),
  change: z.string().optional(),
  at: z.string().optional(),
});

/**
 * Our incidents a vendor change concerns: those of services depending on the vendor that are open,
 * or resolved within the last 24 h with a window the vendor incident overlaps (6 h lookback before
 * our start, up to the scorer's "too late" bound after it). Without the vendor incident's window,
 * every such incident. Pure.
 */
export function incidentsForVendorChange(
  vendor: string,
  window: { startedAt: string; resolvedAt: string | null } | null,
  incidents: readonly InternalIncident[],
  services: InputConfig['services'],
  now: number,
): string[] {
  const key = vendorKey(vendor);
  const dependents = new Set(
    services.filter((s) => s.dependsOn.some((d) => vendorKey(d.vendor) === key)).map((s) => s.name),
  );
  return incidents
    .filter((incident) => {
      if (!dependents.has(incident.service)) return false;
      const start = ms(incident.startedAt);
      const end = incident.resolvedAt === null ? now : ms(incident.resolvedAt);
      if (incident.resolvedAt !== null && now - end > RELEVANT_AFTER_RESOLVED_MS) return false;
      if (!window) return true;
      const vStart = ms(window.startedAt);
      const vEnd = window.resolvedAt === null ? now : ms(window.resolvedAt);
      const from = start - INPUT_WINDOWS.vendorLookbackMs;
      const to = Math.max(end, start + RULES.tooLateMinutes * 60_000);
      return vStart <= to && vEnd >= from;
    })
    .map((incident) => incident.id);
}

// ─── stream consumers ───────────────────────────────────────────────────────────────────────

interface StreamEntry {
  id: string;
  fields: Record<string, string>;
}

export interface StreamConsumerOptions {
  stream: string;
  /** A blocking connection of its own. */
  redis: RedisClient;
  consumer: string;
  logger: Logger;
  /** Handles a batch; throwing leaves the batch pending, to be claimed and retried. */
  handle(entries: StreamEntry[]): Promise<void>;
  blockMs?: number;
  count?: number;
  claimAfterMs?: number;
  /** Where notices whose handling keeps failing are set aside (stream: keys.deadLetters). */
  deadLetters?: DeadLetterPolicy;
  pruneConsumersAfterMs?: number;
}

/**
 * Reads a change stream with the annotator group (XREADGROUP, XACK after handling; XAUTOCLAIM takes
 * over entries a dead consumer left pending). The group starts at the stream's end when first
 * created: change notices from before the annotator ever ran are history, not triggers.
 */
function createStreamConsumer(options: StreamConsumerOptions) {
  const claimAfterMs = options.claimAfterMs ?? 30_000;
  const consume = createStreamLoop({
    redis: options.redis,
    stream: options.stream,
    group: annotatorGroup,
    consumer: options.consumer,
    groupStart: '$',
    count: options.count ?? 100,
    blockMs: options.blockMs ?? 1000,
    claimAfterMs,
    claimEveryMs: Math.max(claimAfterMs / 2, 250),
    ackAfterHandle: true,
    logger: options.logger.child({ stream: options.stream, consumer: options.consumer }),
    failureMessage: 'change stream read or handling failed; entries stay pending',
    ...(options.deadLetters ? { deadLetters: options.deadLetters } : {}),
    ...(options.pruneConsumersAfterMs !== undefined
      ? { pruneConsumersAfterMs: options.pruneConsumersAfterMs }
      : {}),
    handle: (entries: RawEntry[]) =>
      options.handle(entries.map((e) => ({ id: e.id, fields: fieldRecord(e) }))),
  });
  return {
    /** Creates the group (if needed) and starts consuming; resolves once the group exists. */
    async start(): Promise<void> {
      await consume.ensureGroup();
      void consume.run();
    },
    /** Stops after the batch in hand (at most one blocked read). */
    close: consume.close,
  };
}

// ─── wiring ─────────────────────────────────────────────────────────────────────────────────

export interface AnnotatorProcessDeps extends AnnotatorDeps {
  /** Worker connection (maxRetriesPerRequest null) for BullMQ; duplicated for the blocking reads. */
  connection: RedisClient;
  /** BullMQ prefix (keys.bull). */
  prefix: string;
  /**
   * Upsert the minute tick's job scheduler here (default false). Concurrent upserts of one scheduler can
   * leave duplicate or missing next jobs, so the scheduler role should call upsertAnnotateTick under its
   * lock instead; this is for a single process (tests, one-box installs).
   */
  schedule?: boolean;
  concurrency?: number;
  /** Consumer name for both streams; unique per process. */
  consumer?: string;
  claimAfterMs?: number;
  /** Dead letters and consumer pruning of both change streams (from config.ingest); off when absent. */
  streams?: { maxTries: number; deadLetterMaxLen: number; pruneConsumersAfterMs: number };
}

/** Runs the annotator in this process: the BullMQ worker, the two change consumers and the tick schedule. */
export async function startAnnotator(deps: AnnotatorProcessDeps) {
  const { keys, logger } = deps;
  const now = deps.now ?? Date.now;
  const consumer = deps.consumer ?? consumerName();
  const log = logger.child({ worker: 'annotator', consumer });
  const queueConnection = duplicateRedis(deps.connection);
  const queue = new Queue(annotatorJobs.evaluate.queue, { connection: queueConnection, prefix: deps.prefix });
  queue.on('error', (error) => log.warn({ err: error }, 'annotate queue error'));
  const incidents = createIncidentStore(deps.redis, keys);
  const vendors = createVendorStore(deps.redis, keys);
  // Evaluations read vendor incidents through a cache invalidated by any vendor change.
  const evalDeps: AnnotatorDeps = {
    ...deps,
    vendorIncidents: deps.vendorIncidents ?? createVendorIncidentCache(deps.redis, keys),
  };

  async function onVendorChanges(entries: StreamEntry[]) {
    const changes = entries.flatMap((e) => {
      const parsed = vendorChangeSchema.safeParse(e.fields);
      if (!parsed.success)
        log.warn({ entry: e.id, fields: e.fields }, 'vendor change notice without vendor/id; skipped');
      return parsed.success ? [parsed.data] : [];
    });
    if (changes.length === 0) return;
    const t = now();
    // One read of our open and recently resolved incidents (the index, not all history) for the batch.
    const recent = await incidents.listActive(t);
    const ids = new Set<string>();
    for (const change of changes) {
      const incident = await vendors.getIncident(change.vendor, change.id);
      for (const id of incidentsForVendorChange(change.vendor, incident, recent, deps.config.services, t))
        ids.add(id);
    }
    for (const id of ids) await enqueueAnnotation(queue, id, 'vendor-change');
    if (ids.size > 0)
      log.debug({ changes: changes.length, incidents: [...ids] }, 'vendor changes → evaluations');
  }

  async function onIncidentChanges(entries: StreamEntry[]) {
    const ids = new Set<string>();
    for (const e of entries) {
      const parsed = incidentChangeSchema.safeParse(e.fields);
      if (parsed.success) ids.add(parsed.data.id);
      else log.warn({ entry: e.id, fields: e.fields }, 'incident change notice without id; skipped');
    }
    for (const id of ids) await enqueueAnnotation(queue, id, 'incident-change');
  }

  const worker = createCatalogWorker(
    [
      route(annotatorJobs.evaluate, async (data, { log: jobLog }) => {
        const run = await runAnnotation(evalDeps, data.incidentId, new Date(now()));
        const level = run.outcome === 'created' ? 'info' : 'debug';
        jobLog[level]({ ...run, reason: data.reason }, `annotation ${run.outcome}`);
        return run;
      }),
      route(annotatorJobs.tick, async () => {
        // The index of open and recently resolved incidents: the cost follows open work, not history.
        const stats = { read: 0 };
        const open = (await incidents.listActive(now(), stats)).filter((i) => i.resolvedAt === null);
        for (const incident of open) await enqueueAnnotation(queue, incident.id, 'tick');
        return { read: stats.read, enqueued: open.length };
      }),
    ],
    { connection: deps.connection, prefix: deps.prefix, logger: log, concurrency: deps.concurrency ?? 4 },
  );

  const streamConnections = [duplicateRedis(deps.connection), duplicateRedis(deps.connection)];
  const streamSettings = deps.streams
    ? {
        deadLetters: {
          stream: keys.deadLetters,
          maxTries: deps.streams.maxTries,
          maxLen: deps.streams.deadLetterMaxLen,
        },
        pruneConsumersAfterMs: deps.streams.pruneConsumersAfterMs,
      }
    : {};
  const consumers = [
    createStreamConsumer({
      stream: keys.vendorChanges,
      redis: streamConnections[0]!,
      consumer,
      logger: log,
      handle: onVendorChanges,
      ...streamSettings,
      ...(deps.claimAfterMs !== undefined ? { claimAfterMs: deps.claimAfterMs } : {}),
    }),
    createStreamConsumer({
      stream: incidentChangesKey(keys),
      redis: streamConnections[1]!,
      consumer,
      logger: log,
      handle: onIncidentChanges,
      ...streamSettings,
      ...(deps.claimAfterMs !== undefined ? { claimAfterMs: deps.claimAfterMs } : {}),
    }),
  ];

  try {
    await Promise.all(consumers.map((c) => c.start()));
    if (deps.schedule) await upsertAnnotateTick(queue);
    void worker.run();
  } catch (error) {
    await Promise.all(consumers.map((c) => c.close()));
    await worker.close();
    await queue.close();
    for (const c of [...streamConnections, queueConnection]) c.disconnect();
    throw error;
  }
  log.info({ concurrency: deps.concurrency ?? 4 }, 'annotator running');

  return {
    queue,
    worker,
    /** Enqueues an evaluation now (API, CLI, tests). */
    annotate: (incidentId: string) => enqueueAnnotation(queue, incidentId, 'manual'),
    /** Stops the consumers, then the worker, then the queue, then its connections. */
    async close(): Promise<void> {
      await Promise.all(consumers.map((c) => c.close()));
      await worker.close();
      await queue.close();
      await Promise.all(
        [...streamConnections, queueConnection].map((c) => c.quit().catch(() => c.disconnect())),
      );
    },
  };
}
export type Annotator = Awaited<ReturnType<typeof startAnnotator>>;

import { createHash } from 'node:crypto';
import type { Job, JobsOptions, Queue } from 'bullmq';
import type { SinkConfig } from '../config.js';
import type { Annotation, Verdict } from '../core/correlate/types.js';
import type { Logger } from '../logger.js';
import { createAnnotationStore } from '../store/annotations.js';
import { clearSinkState } from '../store/deliveries.js';
import type { Keys } from '../store/keys.js';
import { catalogJob, jobCatalog } from '../../workers/jobs.js';
import { annotationPayloadSchema, deliveryPayload, type DeliveryPayload } from './sinks/types.js';
import type { RedisClient } from '../store/redis.js';

/*
 * Annotation delivery, exactly once per (incident, annotation version, sink) as far as the sink allows:
 *
 * 1. enqueueDeliveries() adds one BullMQ job per sink whose job id is the delivery key, so enqueuing
 *    the same version again (the annotator retries its hand-over) is a no-op while the job exists.
 * 2. The delivery worker checks `<root>:dlv:<key>` first and skips a delivery already done (also after
 *    BullMQ removed the completed job), sends, and writes that record right after the sink's 2xx.
 * 3. A crash between the 2xx and the record resends once. The webhook sink's `webhook-id` is the key,
 *    so receivers drop the duplicate; Slack, PagerDuty and Opsgenie have no such key and would show it.
 *
 * The delivery state in Redis (done records, claims, failure counts, disabled sinks) is described and
 * read in src/store/deliveries.ts.
 */

/**
 * The delivery key of one (incident, version, sink): `dlv-` and the first 32 hex digits of
 * sha256("incident|version|sink"). Deterministic, and free of ':' (BullMQ job ids may not contain it).
 * Unambiguous because versions are integers and sink names cannot contain '|'.
 */
export function deliveryKey(incidentId: string, version: number, sink: string): string {
  const digest = createHash('sha256').update(`${incidentId}|${version}|${sink}`).digest('hex');
  return `dlv-${digest.slice(0, 32)}`;
}

/**
 * The delivery key of any payload to one sink: annotations as deliveryKey(); an alert by its id, a
 * digest by its period (`alert|<id>|<sink>`, `digest|<period>|<sink>`, hashed the same way; neither
 * can equal an annotation's, whose middle part is an integer version).
 */
export function deliveryKeyOf(payload: DeliveryPayload, sink: string): string {
  const subject = deliverySubject(payload);
  if (payload.type === 'annotation') return deliveryKey(payload.incident, payload.version, sink);
  const digest = createHash('sha256').update(`${subject}|${sink}`).digest('hex');
  return `dlv-${digest.slice(0, 32)}`;
}

/** What a delivery is about, for logs and records: `INC-1 v2`, `alert|<id>`, `digest|<period>`. */
export function deliverySubject(payload: DeliveryPayload): string {
  switch (payload.type) {
    case 'annotation':
      return `${payload.incident} v${payload.version}`;
    case 'alert':
      return `alert|${payload.id}`;
    case 'digest':
      return `digest|${payload.period.id}`;
  }
}

/** One sink a payload is handed to, under its delivery key. */
export interface SinkDelivery {
  sink: string;
  key: string;
}

/**
 * Adds one deliver job per (payload, sink), job id = the delivery key, so handing the same payload
 * over again adds nothing while the jobs exist.
 */
export async function addDeliveryJobs(
  queue: Queue,
  payload: DeliveryPayload,
  deliveries: readonly SinkDelivery[],
  jobOptions?: Partial<JobsOptions>,
): Promise<void> {
  const jobs = deliveries.map((d) =>
    catalogJob(queue, 'deliver', { key: d.key, sink: d.sink, payload }, { ...jobOptions, jobId: d.key }),
  );
  if (jobs.length > 0) await queue.addBulk(jobs);
}

const rank: Record<Verdict, number> = { internal: 0, unclear: 1, upstream: 2 };

/**
 * Whether a sink with `minVerdict` gets this version: when the verdict reaches it, or when the
 * previous version did (a retraction: a channel told "upstream" must hear that it no longer holds).
 * No minVerdict: every version. Pure.
 */
export function sinkWants(
  minVerdict: Verdict | undefined,
  verdict: Verdict,
  previousVerdict: Verdict | null,
): boolean {
  if (!minVerdict) return true;
  if (rank[verdict] >= rank[minVerdict]) return true;
  return previousVerdict !== null && rank[previousVerdict] >= rank[minVerdict];
}

export interface EnqueueDeliveriesDeps {
  /** The `deliver` queue. */
  queue: Queue;
  /** Reads the previous version for retractions (commands connection). */
  redis: RedisClient;
  keys: Keys;
  /** Sinks without `events` take annotations (the config's default). */
  sinks: ReadonlyArray<Pick<SinkConfig, 'name' | 'minVerdict'> & { events?: SinkConfig['events'] }>;
  logger?: Logger;
  /** Overrides of the catalog's job options (tests shorten the backoff). */
  jobOptions?: Partial<JobsOptions>;
}

/** What enqueueDeliveries did for one sink. */
export interface EnqueuedDelivery {
  sink: string;
  key: string;
  /** False when the sink's minVerdict filtered this version out. */
  wanted: boolean;
}

/** Whether a sink takes annotations: its `events` include `annotation` (the default). */
export function wantsAnnotations(sink: { events?: SinkConfig['events'] }): boolean {
  return sink.events === undefined || (sink.events as readonly string[]).includes('annotation');
}

/**
 * Hands annotation `version` to every annotation sink that wants it: one job per sink, job id = the
 * delivery key. Idempotent per (incident, version): calling it again adds nothing while the jobs exist,
 * and the done records stop a resend after they are gone. Throws if Redis refuses the jobs, so the
 * annotator keeps the version marked undelivered and hands it over again.
 */
export async function enqueueDeliveries(
  deps: EnqueueDeliveriesDeps,
  annotation: Annotation,
  version: number,
): Promise<EnqueuedDelivery[]> {
  const payload = annotationPayloadSchema.parse(deliveryPayload(annotation, version));
  const previous =
    version > 1 && deps.sinks.some((s) => s.minVerdict && wantsAnnotations(s))
      ? await createAnnotationStore(deps.redis, deps.keys).get(annotation.id, version - 1)
      : null;
  // Sinks that opted in to alerts or the digest only are not annotation sinks: no result at all.
  const results: EnqueuedDelivery[] = deps.sinks.filter(wantsAnnotations).map((sink) => ({
    sink: sink.name,
    key: deliveryKey(annotation.id, version, sink.name),
    wanted: sinkWants(sink.minVerdict, payload.verdict, previous?.verdict ?? null),
  }));
  const wanted = results.filter((r) => r.wanted);
  await addDeliveryJobs(deps.queue, payload, wanted, deps.jobOptions);
  const skipped = results.filter((r) => !r.wanted).map((r) => r.sink);
  deps.logger?.debug(
    { incident: annotation.id, version, sinks: wanted.map((r) => r.sink), filtered: skipped },
    'annotation handed to delivery',
  );
  return results;
}

/**
 * Re-enables a sink: clears its disabled flag and failure count. With `queue`, also retries the
 * sink's deliveries that failed while it was disabled or broken (their done records still prevent a
 * resend of anything already delivered). Returns how many jobs were retried.
 */
export async function enableSink(
  deps: { redis: RedisClient; keys: Keys; queue?: Queue },
  sink: string,
): Promise<{ wasDisabled: boolean; retried: number }> {
  const wasDisabled = await clearSinkState(deps.redis, deps.keys, sink);
  if (!deps.queue) return { wasDisabled, retried: 0 };
  // Collect first: retrying moves jobs out of the failed set, which would shift the pages.
  const matching: Job[] = [];
  for (let start = 0; ; start += 500) {
    const page = await deps.queue.getFailed(start, start + 499);
    for (const job of page) {
      const parsed = jobCatalog.deliver.schema.safeParse(job.data);
      if (parsed.success && parsed.data.sink === sink) matching.push(job);
    }
    if (page.length < 500) break;
  }
  for (const job of matching)
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  const retried = matching.length;
  return { wasDisabled, retried };
}

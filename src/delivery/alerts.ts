import type { JobsOptions, Queue } from 'bullmq';
import type { SinkConfig } from '../config.js';
import { alertPayloadSchema, type AlertPayload } from '../core/alerts/types.js';
import type { Logger } from '../logger.js';
import type { Keys } from '../store/keys.js';
import { addDeliveryJobs, deliveryKeyOf, type SinkDelivery } from './enqueue.js';
import type { RedisClient } from '../store/redis.js';

/** How long the alert log keeps alerts. */
export const ALERT_LOG_RETENTION_MS = 30 * 86_400_000;

export interface AlertDeliveryDeps {
  /** The `deliver` queue. */
  queue: Queue;
  /** Commands connection, for the alert log. */
  redis: RedisClient;
  keys: Keys;
  sinks: ReadonlyArray<Pick<SinkConfig, 'name' | 'events'>>;
  logger?: Logger;
  /** Overrides of the catalog's job options (tests shorten the backoff). */
  jobOptions?: Partial<JobsOptions>;
}

/** One sink an alert was handed to. */
export type AlertDelivery = SinkDelivery;

/** Thrown when an alert does not match the public alert payload. */
export class AlertPayloadError extends Error {
  override readonly name = 'AlertPayloadError';
}

/**
 * Hands an alert to every sink whose `events` include its event: one deliver job per sink, job id =
 * the delivery key of (alert id, sink), so handing the same alert over again adds nothing. Also
 * records it in the alert log (by time, kept 30 days; the same alert is one entry).
 */
export async function enqueueAlert(deps: AlertDeliveryDeps, alert: AlertPayload): Promise<AlertDelivery[]> {
  const parsed = alertPayloadSchema.safeParse(alert);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AlertPayloadError(
      `alert ${alert.id ?? '(no id)'}: ${issue?.path.join('.') || '(payload)'}: ${issue?.message ?? 'invalid'}`,
      { cause: parsed.error },
    );
  }
  const payload = parsed.data;
  const deliveries = deps.sinks
    .filter((sink) => (sink.events as readonly string[]).includes(payload.event))
    .map((sink) => ({ sink: sink.name, key: deliveryKeyOf(payload, sink.name) }));
  await addDeliveryJobs(deps.queue, payload, deliveries, deps.jobOptions);
  // Trimmed against the alert's own time, so the log never depends on the clock of the run.
  const at = Date.parse(payload.at);
  await deps.redis
    .multi()
    .zadd(deps.keys.alertLog, at, JSON.stringify(payload))
    .zremrangebyscore(deps.keys.alertLog, '-inf', `(${at - ALERT_LOG_RETENTION_MS}`)
    .exec();
  deps.logger?.info(
    {
      alert: payload.id,
      event: payload.event,
      phase: payload.phase,
      vendor: payload.vendor,
      sinks: deliveries.map((d) => d.sink),
    },
    `alert handed to delivery: ${payload.title}`,
  );
  return deliveries;
}

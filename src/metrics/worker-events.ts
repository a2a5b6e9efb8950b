import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { Metrics } from './metrics.js';

const verdicts = new Set(['upstream', 'unclear', 'internal']);

/**
 * Counts what the annotator's evaluations came to, from its BullMQ worker's events: the time each
 * evaluation took, and each new annotation version by verdict.
 */
export function countEvaluations(worker: Worker, metrics: Metrics, evaluateJob: string): void {
  const startedAt = new Map<string, number>();
  // One job id runs in one place at a time.
  const key = (job: Job) => String(job.id);
  worker.on('active', (job) => {
    if (job.name === evaluateJob) startedAt.set(key(job), performance.now());
  });
  worker.on('completed', (job, result: unknown) => {
    const started = startedAt.get(key(job));
    startedAt.delete(key(job));
    if (job.name !== evaluateJob) return;
    if (started !== undefined) metrics.correlationSeconds.observe((performance.now() - started) / 1000);
    const run = result as { outcome?: unknown; verdict?: unknown } | null;
    if (run?.outcome === 'created' && typeof run.verdict === 'string' && verdicts.has(run.verdict))
      metrics.annotations.inc({ verdict: run.verdict });
  });
  worker.on('failed', (job) => {
    if (job) startedAt.delete(key(job));
  });
}

/**
 * Counts delivery jobs by sink and outcome from the delivery worker's events. The sink label is one
 * of the configured sinks' names (or `unknown`), so a bad job cannot add series.
 */
export function countDeliveries(worker: Worker, metrics: Metrics, sinks: readonly string[]): void {
  const known = new Set(sinks);
  const sinkOf = (job: Job) => {
    const sink = (job.data as { sink?: unknown } | null)?.sink;
    return typeof sink === 'string' && known.has(sink) ? sink : 'unknown';
  };
  worker.on('completed', (job, result: unknown) => {
    const outcome = (result as { outcome?: unknown } | null)?.outcome;
    const label =
      outcome === 'delivered' || outcome === 'skipped' || outcome === 'already-done' ? outcome : 'delivered';
    metrics.deliveries.inc({ sink: sinkOf(job), outcome: label });
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    metrics.deliveries.inc({ sink: sinkOf(job), outcome: final ? 'dropped' : 'failed' });
  });
}

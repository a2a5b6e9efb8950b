import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FetchErrorKind } from '../core/errors.js';

/** What one poll came to: read, unchanged (304), a failure kind of the HTTP edge, or our own (Redis) error. */
export type PollOutcomeLabel = 'ok' | 'not-modified' | FetchErrorKind | 'error';

/** Where an error event was counted: the HTTP ingest route, or the stream consumer writing buckets. */
export type IngestSource = 'http' | 'stream';
/** What became of error events: stored, failed validation, a repeat (Idempotency-Key or producer id), or not confirmed by Redis. */
export type IngestOutcome = 'accepted' | 'rejected' | 'deduplicated' | 'unavailable';

/** How a delivery job ended: sent, skipped by the sink, done earlier, failed (retried), or failed for good. */
export type DeliveryOutcomeLabel = 'delivered' | 'skipped' | 'already-done' | 'failed' | 'dropped';

/** One snapshot of the stream consumer's running totals, as IngestWorker.stats() answers. */
export interface IngestTotals {
  events: number;
  rejected: number;
  duplicates: number;
}

const ingestOutcomes: readonly IngestOutcome[] = ['accepted', 'rejected', 'deduplicated', 'unavailable'];

/** Seconds: polls and parses run from milliseconds (a 304) to the poll timeout. */
const pollBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const parseBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];
const correlationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A name for this process, unique across restarts and machines: `<host>:<pid>:<random>`. */
export function metricsProcessId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * One process's metrics: its own prom-client registry with the counters and histograms the workers
 * and the API record into, plus Node's process metrics labelled with the process and its roles.
 */
export function createMetrics(options: { process: string; roles: readonly string[] }) {
  const registry = new Registry();
  collectDefaultMetrics({
    register: registry,
    labels: { process: options.process, role: [...options.roles].sort().join('+') },
  });
  /** Stream consumers whose running totals are turned into counter increments at each collection. */
  const ingestSources: Array<{ read: () => IngestTotals; last: IngestTotals }> = [];

  const polls = new Counter({
    name: 'upcause_polls_total',
    help: 'Vendor status-page polls by vendor and outcome (ok, not-modified, a failure kind, or error for our own).',
    labelNames: ['vendor', 'outcome'] as const,
    registers: [registry],
  });
  const pollSeconds = new Histogram({
    name: 'upcause_poll_duration_seconds',
    help: 'Time to read one vendor page (fetching and parsing, every endpoint of the poll), by vendor.',
    labelNames: ['vendor'] as const,
    buckets: pollBuckets,
    registers: [registry],
  });
  const parseSeconds = new Histogram({
    name: 'upcause_parse_duration_seconds',
    help: 'Time of a poll spent reading the page apart from waiting on the network, by vendor.',
    labelNames: ['vendor'] as const,
    buckets: parseBuckets,
    registers: [registry],
  });
  const ingestEvents = new Counter({
    name: 'upcause_ingest_events_total',
    help: 'Internal error events by source (http: POST /v1/errors, stream: the consumer writing buckets) and outcome.',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
    collect() {
      for (const source of ingestSources) {
        const now = source.read();
        const add = (outcome: IngestOutcome, value: number) => {
          if (value > 0) this.inc({ source: 'stream', outcome }, value);
        };
        add('accepted', now.events - source.last.events);
        add('rejected', now.rejected - source.last.rejected);
        add('deduplicated', now.duplicates - source.last.duplicates);
        source.last = { ...now };
      }
    },
  });
  for (const source of ['http', 'stream'] as const)
    for (const outcome of ingestOutcomes) ingestEvents.inc({ source, outcome }, 0);
  const annotations = new Counter({
    name: 'upcause_annotations_total',
    help: 'New annotation versions recorded, by verdict (upstream, unclear, internal).',
    labelNames: ['verdict'] as const,
    registers: [registry],
  });
  const correlationSeconds = new Histogram({
    name: 'upcause_correlation_duration_seconds',
    help: 'Time to evaluate one incident: load its input, score it and record the verdict.',
    buckets: correlationBuckets,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'upcause_deliveries_total',
    help: 'Delivery jobs by sink and outcome (delivered, skipped, already-done, failed and retried, dropped for good).',
    labelNames: ['sink', 'outcome'] as const,
    registers: [registry],
  });

  return {
    process: options.process,
    registry,
    polls,
    pollSeconds,
    parseSeconds,
    ingestEvents,
    annotations,
    correlationSeconds,
    deliveries,
    /** Counts one poll's outcome and, when it read the page, its latencies. */
    recordPoll(
      vendor: string,
      outcome:
        | { ok: true; notModified: boolean; latencyMs: number; parseMs?: number }
        | { ok: false; kind: PollOutcomeLabel; latencyMs?: number },
    ): void {
      const label: PollOutcomeLabel = outcome.ok
        ? outcome.notModified
          ? 'not-modified'
          : 'ok'
        : outcome.kind;
      polls.inc({ vendor, outcome: label });
      if (outcome.latencyMs !== undefined) pollSeconds.observe({ vendor }, outcome.latencyMs / 1000);
      if (outcome.ok && outcome.parseMs !== undefined)
        parseSeconds.observe({ vendor }, outcome.parseMs / 1000);
    },
    /** Counts a stream consumer's events from its running totals, read at each collection. */
    trackIngest(read: () => IngestTotals): void {
      ingestSources.push({ read, last: { ...read() } });
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

import type { Worker } from 'bullmq';
import type { Logger } from '../src/logger.js';
import { createCatalogWorker } from './catalog-worker.js';
import { jobCatalog } from './jobs.js';
import type { Keys } from '../src/store/keys.js';
import { createChangeStore } from '../src/store/changes.js';
import { readMinuteCounts } from '../src/store/error-buckets.js';
import { createSuspectStore, type SuspectStore } from '../src/store/suspects.js';
import {
  defaultSuspectThresholds,
  evaluateSuspects,
  lookbackMinutes,
  type InternalWideNote,
  type Suspect,
  type SuspectThresholds,
} from '../src/core/detect/suspect.js';
import type { RedisClient } from '../src/store/redis.js';

/** The evaluation job as the job catalog defines it (its schedule included). */
export const suspectJob = jobCatalog.suspect;

/** A vendor incident change read from keys.vendorChanges is handled in batches of this many. */
const CHANGES_BATCH = 500;
const CHANGES_MAX_BATCHES = 20;
/** Longer than any evaluation should take, shorter than the minute between runs. */
const LOCK_TTL_MS = 50_000;

export interface SuspectDeps {
  /** Commands connection (not the BullMQ one). */
  redis: RedisClient;
  keys: Keys;
  logger: Logger;
  thresholds?: SuspectThresholds;
  /** How long closed suspects are kept. */
  retentionMs?: number;
  /** Told after each run that did something (opened or linked suspects): raises `suspected` alerts. */
  onRun?: (summary: SuspectRunSummary) => Promise<void>;
}

export interface SuspectRunSummary {
  /** Start of the minute judged. */
  minute: string;
  /** Set when another worker held the evaluation lock and this run did nothing. */
  skipped?: 'locked';
  opened: string[];
  updated: string[];
  closed: string[];
  linked: Array<{ suspect: string; incident: string; ackLagMinutes: number | null }>;
  internalWide: InternalWideNote[];
  vendorChangesRead: number;
}

/** A run that could not finish; the next minute's run starts over. */
export class SuspectEvaluationError extends Error {
  override readonly name = 'SuspectEvaluationError';
}

/**
 * The processor body: judges the last complete minute before `now` against the lookback read from
 * Redis, persists the outcome, links new suspects to incidents the vendor already posted, and links
 * incidents posted since the last run (keys.vendorChanges) to open or recent suspects.
 */
export async function runSuspectEvaluation(deps: SuspectDeps, now: Date): Promise<SuspectRunSummary> {
  const thresholds = deps.thresholds ?? defaultSuspectThresholds;
  const minute = Math.floor(now.getTime() / 60_000) - 1;
  const summary: SuspectRunSummary = {
    minute: new Date(minute * 60_000).toISOString(),
    opened: [],
    updated: [],
    closed: [],
    linked: [],
    internalWide: [],
    vendorChangesRead: 0,
  };
  const store = createSuspectStore(deps.redis, deps.keys, {
    ...(deps.retentionMs !== undefined ? { retentionMs: deps.retentionMs } : {}),
    onInvalid: (key, problem) => deps.logger.warn({ key, problem }, 'skipped an invalid stored row'),
  });
  try {
    const ran = await store.withLock(LOCK_TTL_MS, async () => {
      const from = minute - lookbackMinutes(thresholds) + 1;
      const [open, minutes, changes] = await Promise.all([
        store.listOpen(),
        readMinuteCounts(deps.redis, deps.keys, from, minute),
        // A single service's spike right after its own change is not suspected (changeGuardMinutes).
        createChangeStore(deps.redis, deps.keys).list({
          from: new Date((from - thresholds.changeGuardMinutes) * 60_000).toISOString(),
          to: now.toISOString(),
          limit: 10_000,
        }),
      ]);
      const result = evaluateSuspects({ now, minutes, open, config: thresholds, changes });
      for (const held of result.heldForChange)
        deps.logger.info(
          held,
          `not suspecting ${held.vendor}: ${held.service} changed just before its errors rose`,
        );
      await store.save(result, now);
      summary.opened = result.opened.map((s) => s.id);
      summary.updated = result.updated.map((s) => s.id);
      summary.closed = result.closed.map((s) => s.id);
      summary.internalWide = result.internalWide;
      logOutcome(deps.logger, result.opened, result.closed, result.internalWide);
      for (const suspect of result.opened) await linkPosted(store, suspect, thresholds, summary);
      summary.vendorChangesRead = await linkChanges(store, thresholds, summary, deps.logger);
    });
    if (ran === null) summary.skipped = 'locked';
  } catch (cause) {
    throw new SuspectEvaluationError(`suspect evaluation of ${summary.minute}: ${(cause as Error).message}`, {
      cause,
    });
  }
  for (const link of summary.linked)
    deps.logger.info(link, `suspect ${link.suspect} linked to vendor incident ${link.incident}`);
  if (deps.onRun && (summary.opened.length > 0 || summary.linked.length > 0)) {
    // Alerts are told after the suspects are stored; a failure here is logged, not a failed run.
    await deps
      .onRun(summary)
      .catch((error: unknown) =>
        deps.logger.error({ err: error }, 'suspected alerts could not be handed to delivery'),
      );
  }
  return summary;
}

function logOutcome(logger: Logger, opened: Suspect[], closed: Suspect[], internal: InternalWideNote[]) {
  for (const s of opened)
    logger.warn(
      {
        suspect: s.id,
        vendor: s.vendor,
        region: s.region,
        services: s.services,
        rule: s.rule,
        since: s.since,
      },
      `suspected ${s.vendor} issue in ${s.region}: ${s.ratePerMin}/min vs baseline ${s.baselinePerMin}/min`,
    );
  for (const s of closed)
    logger.info({ suspect: s.id, vendor: s.vendor, closedAt: s.closedAt }, 'suspect closed');
  for (const note of internal)
    logger.warn(
      note,
      `errors to ${note.vendors.length} vendors spiked together in ${note.region}: suspecting us`,
    );
}

/** A vendor that posted before our errors showed: link the new suspect to what is already there. */
async function linkPosted(
  store: SuspectStore,
  suspect: Suspect,
  th: SuspectThresholds,
  summary: SuspectRunSummary,
) {
  const incidents = (await store.listVendorIncidents(suspect.vendor)).sort(
    (a, b) => Date.parse(a.postedAt) - Date.parse(b.postedAt),
  );
  for (const incident of incidents) {
    const decision = await store.linkVendorIncident(suspect, incident, th.linkWindowMinutes);
    if (decision.linked && decision.reason !== 'already linked') {
      summary.linked.push({
        suspect: suspect.id,
        incident: incident.id,
        ackLagMinutes: decision.suspect.ackLagMinutes,
      });
      break; // earliest post first: later ones would not replace it
    }
  }
}

/** Vendor incidents new or changed since the last run, linked to the suspects of their vendor. */
async function linkChanges(
  store: SuspectStore,
  th: SuspectThresholds,
  summary: SuspectRunSummary,
  logger: Logger,
) {
  let read = 0;
  // Suspects are few (a handful a day, kept for the retention): load them once, not per change.
  let suspects: Suspect[] | null = null;
  for (let batch = 0; batch < CHANGES_MAX_BATCHES; batch++) {
    const entries = await store.readVendorChanges(CHANGES_BATCH);
    if (entries.length === 0) break;
    suspects ??= await store.listAll();
    for (const entry of entries) {
      const candidates: Suspect[] = suspects.filter((s) => s.vendor === entry.vendor);
      if (candidates.length === 0) continue;
      const incident = await store.getVendorIncident(entry.vendor, entry.incidentId);
      if (!incident) {
        logger.debug({ entry }, 'vendor change without a readable incident; skipped');
        continue;
      }
      for (const suspect of candidates) {
        const decision = await store.linkVendorIncident(suspect, incident, th.linkWindowMinutes);
        if (!decision.linked || decision.reason === 'already linked') continue;
        const linked: Suspect = decision.suspect;
        suspects = suspects.map((s): Suspect => (s.id === suspect.id ? linked : s));
        summary.linked.push({
          suspect: suspect.id,
          incident: incident.id,
          ackLagMinutes: decision.suspect.ackLagMinutes,
        });
      }
    }
    read += entries.length;
    await store.saveCursor(entries.at(-1)!.entryId);
    if (entries.length < CHANGES_BATCH) break;
  }
  return read;
}

/** Runs suspect evaluations; one at a time across all workers (the store's lock). */
export function createSuspectWorker(deps: SuspectDeps & { connection: RedisClient; prefix: string }): Worker {
  return createCatalogWorker(
    suspectJob,
    async (_data, { log }) => {
      const summary = await runSuspectEvaluation(deps, new Date());
      log.debug(summary, 'suspects evaluated');
      return summary;
    },
    { connection: deps.connection, prefix: deps.prefix, logger: deps.logger, concurrency: 1 },
  );
}

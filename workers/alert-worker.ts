import type { JobsOptions, Queue, Worker } from 'bullmq';
import type { Config, WatchedVendor } from '../src/config.js';
import {
  incidentRaised,
  incidentRecovered,
  incidentUpdate,
  suspectedRaised,
  suspectedUpdate,
  unreadableRaised,
  unreadableRecovered,
  vendorLink,
  type AlertSubject,
} from '../src/core/alerts/build.js';
import {
  damperStateSchema,
  isIdle,
  quietState,
  stepDamper,
  type DamperState,
} from '../src/core/alerts/damper.js';
import { incidentRelevance, isAlertable } from '../src/core/alerts/relevance.js';
import type { AlertEvent, AlertPayload } from '../src/core/alerts/types.js';
import { enqueueAlert, type AlertDeliveryDeps } from '../src/delivery/alerts.js';
import type { Logger } from '../src/logger.js';
import type { Keys } from '../src/store/keys.js';
import { tryWithLock } from '../src/store/lock.js';
import { createSuspectStore } from '../src/store/suspects.js';
import { createVendorStore } from '../src/store/vendors.js';
import { createCatalogWorker } from './catalog-worker.js';
import { jobCatalog } from './jobs.js';
import type { SuspectRunSummary } from './suspect-worker.js';
import type { RedisClient } from '../src/store/redis.js';

/*
 * Alerts that reach people: the minute tick judges, per watched vendor, whether its page is unreadable
 * and whether it has an open incident touching us, through a damper per (event, vendor) stored in
 * Redis (src/core/alerts/damper.ts); the suspect worker's hook sends `suspected` alerts.
 *
 * Exactly once: alert ids come from the episode, never from the run, and are the delivery keys' input,
 * so a tick run twice enqueues the same jobs. A damper's new state is written only after its alerts
 * are enqueued: a crash in between sends the same ids again, which the delivery keys drop.
 */

export interface AlertDeps {
  /** Commands connection. */
  redis: RedisClient;
  keys: Keys;
  config: Config;
  logger: Logger;
  /** The `deliver` queue alerts are handed to. */
  deliverQueue: Queue;
  /** Overrides of the deliver jobs' options (tests shorten the backoff). */
  jobOptions?: Partial<JobsOptions>;
}

/** Longer than a tick should take, shorter than the minute between ticks. */
const LOCK_TTL_MS = 50_000;

/** What one tick did. */
export interface AlertTickSummary {
  /** Set when another worker held the alerts lock and this tick did nothing. */
  skipped?: 'locked';
  /** Alerts handed to delivery, in order. */
  alerts: AlertPayload[];
  /** Vendor conditions that could not be judged (logged; the next tick tries again). */
  failed: Array<{ vendor: string; event: AlertEvent; error: string }>;
}

function deliveryDeps(deps: AlertDeps): AlertDeliveryDeps {
  return {
    queue: deps.deliverQueue,
    redis: deps.redis,
    keys: deps.keys,
    sinks: deps.config.sinks,
    logger: deps.logger,
    ...(deps.jobOptions ? { jobOptions: deps.jobOptions } : {}),
  };
}

function subjectOf(config: Config, vendor: string): AlertSubject {
  return {
    vendor,
    vendorName: config.vendors.find((v) => v.id === vendor)?.name ?? vendor,
    link: vendorLink(config.api.console.publicUrl, vendor),
  };
}

/** A damper's stored state; a bad row is logged and the condition starts over from quiet. */
async function readState(deps: AlertDeps, event: AlertEvent, vendor: string): Promise<DamperState> {
  const key = deps.keys.alertState(event, vendor);
  const raw = await deps.redis.get(key);
  if (raw === null) return { ...quietState, notified: [] };
  let problem: string;
  try {
    const parsed = damperStateSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    problem = `${issue?.path.join('.') || '(row)'}: ${issue?.message ?? 'invalid'}`;
  } catch (error) {
    problem = `not JSON: ${(error as Error).message}`;
  }
  deps.logger.warn({ key, vendor, event, problem }, 'skipped an invalid stored alert state; starting over');
  return { ...quietState, notified: [] };
}

/** Enqueues the alerts, then (only then) stores the damper's new state. */
async function commit(
  deps: AlertDeps,
  event: AlertEvent,
  vendor: string,
  alerts: AlertPayload[],
  state: DamperState,
): Promise<void> {
  const delivery = deliveryDeps(deps);
  for (const alert of alerts) await enqueueAlert(delivery, alert);
  const key = deps.keys.alertState(event, vendor);
  if (isIdle(state)) await deps.redis.del(key);
  else await deps.redis.set(key, JSON.stringify(state));
}

/** `vendor-unreadable`: the page has been blind `unreadableAfterMs` since its blind span began. */
async function judgeUnreadable(deps: AlertDeps, vendor: WatchedVendor, now: Date): Promise<AlertPayload[]> {
  const store = createVendorStore(deps.redis, deps.keys);
  const [health, blindReason] = await Promise.all([
    store.readHealth(vendor.id),
    deps.redis.hget(deps.keys.vendorHealth(vendor.id), 'blindReason'),
  ]);
  const before = await readState(deps, 'vendor-unreadable', vendor.id);
  const { state, emit } = stepDamper(
    before,
    { active: health.blindSince !== null, since: health.blindSince },
    now,
    { raiseAfterMs: deps.config.alerts.unreadableAfterMs, settleAfterMs: deps.config.alerts.settleAfterMs },
  );
  const subject = subjectOf(deps.config, vendor.id);
  const alerts: AlertPayload[] = [];
  if (emit?.phase === 'raised') {
    const reason = health.lastErrorMessage ?? blindReason ?? 'unreadable';
    alerts.push(unreadableRaised(subject, { since: emit.episodeStart, reason, now }));
  } else if (emit?.phase === 'recovered') {
    alerts.push(unreadableRecovered(subject, { since: emit.episodeStart, until: emit.clearSince }));
  }
  await commit(deps, 'vendor-unreadable', vendor.id, alerts, state);
  return alerts;
}

/** `vendor-incident`: an open incident (not a maintenance) touching one of our services. */
async function judgeIncidents(deps: AlertDeps, vendor: WatchedVendor, now: Date): Promise<AlertPayload[]> {
  const store = createVendorStore(deps.redis, deps.keys);
  const open = await store.listIncidents(vendor.id, { openOnly: true });
  const relevant = open
    .filter((incident) => isAlertable(incident, now.getTime()))
    .map((incident) => ({ incident, ...incidentRelevance(incident, deps.config.services) }))
    .filter((r) => r.relevant)
    .sort(
      (a, b) =>
        Date.parse(a.incident.postedAt) - Date.parse(b.incident.postedAt) ||
        a.incident.id.localeCompare(b.incident.id),
    );
  const before = await readState(deps, 'vendor-incident', vendor.id);
  const step = stepDamper(
    before,
    { active: relevant.length > 0, since: relevant[0]?.incident.postedAt ?? null },
    now,
    { raiseAfterMs: 0, settleAfterMs: deps.config.alerts.settleAfterMs },
  );
  let state = step.state;
  const subject = subjectOf(deps.config, vendor.id);
  const alerts: AlertPayload[] = [];
  if (step.emit?.phase === 'raised') {
    const first = relevant[0]!;
    alerts.push(incidentRaised(subject, first.incident, first.services, step.emit.episodeStart));
    state = { ...state, notified: [first.incident.id] };
  } else if (step.emit?.phase === 'recovered') {
    alerts.push(
      incidentRecovered(subject, {
        episodeStart: step.emit.episodeStart,
        until: step.emit.clearSince,
        incidents: Math.max(1, before.notified.length),
      }),
    );
  }
  const episodeStart = state.episodeStart;
  if (state.phase === 'firing' && episodeStart) {
    // Another relevant incident during the episode: one follow-up each.
    for (const r of relevant) {
      if (state.notified.includes(r.incident.id)) continue;
      alerts.push(incidentUpdate(subject, r.incident, r.services, episodeStart));
      state = { ...state, notified: [...state.notified, r.incident.id] };
    }
  }
  await commit(deps, 'vendor-incident', vendor.id, alerts, state);
  return alerts;
}

/**
 * One alerts tick at `now`: every watched vendor's conditions, under the alerts lock (another worker
 * holding it means this tick does nothing). A vendor whose data cannot be read is logged and skipped.
 */
export async function runAlertTick(deps: AlertDeps, now: Date): Promise<AlertTickSummary> {
  const summary: AlertTickSummary = { alerts: [], failed: [] };
  const ran = await tryWithLock(deps.redis, deps.keys.alertsLock, LOCK_TTL_MS, async () => {
    for (const vendor of deps.config.vendors) {
      const judges = [
        ['vendor-unreadable', judgeUnreadable],
        ['vendor-incident', judgeIncidents],
      ] as const;
      for (const [event, judge] of judges) {
        try {
          summary.alerts.push(...(await judge(deps, vendor, now)));
        } catch (error) {
          const message = (error as Error).message;
          summary.failed.push({ vendor: vendor.id, event, error: message });
          deps.logger.error(
            { vendor: vendor.id, event, err: message },
            'alert condition not judged; skipped',
          );
        }
      }
    }
  });
  if (ran === null) summary.skipped = 'locked';
  return summary;
}

/** Runs the alerts tick each minute: vendor pages unreadable, vendor incidents touching us. */
export function createAlertWorker(deps: AlertDeps & { connection: RedisClient; prefix: string }): Worker {
  return createCatalogWorker(
    jobCatalog.alertsTick,
    async (_data, { log }) => {
      const summary = await runAlertTick(deps, new Date());
      log.debug({ alerts: summary.alerts.map((a) => a.id), failed: summary.failed }, 'alerts judged');
      return { alerts: summary.alerts.length, failed: summary.failed.length, skipped: summary.skipped };
    },
    {
      connection: deps.connection,
      prefix: deps.prefix,
      logger: deps.logger,
      concurrency: 1,
    },
  );
}

/** The suspect worker's hook: `suspected` alerts for opened suspects, follow-ups for linked ones. */
export function suspectAlertHandler(deps: AlertDeps): (summary: SuspectRunSummary) => Promise<void> {
  return async (summary) => {
    const suspects = createSuspectStore(deps.redis, deps.keys, {
      onInvalid: (key, problem) => deps.logger.warn({ key, problem }, 'skipped an invalid stored row'),
    });
    const vendors = createVendorStore(deps.redis, deps.keys);
    const delivery = deliveryDeps(deps);
    // Each alert on its own: one that fails is logged and the rest still go.
    const send = async (what: Record<string, unknown>, build: () => Promise<AlertPayload | null>) => {
      try {
        const alert = await build();
        if (alert) await enqueueAlert(delivery, alert);
        else deps.logger.warn(what, 'suspected alert not sent: the suspect is not stored (or not readable)');
      } catch (error) {
        deps.logger.error({ ...what, err: (error as Error).message }, 'suspected alert not sent');
      }
    };
    for (const id of summary.opened) {
      await send({ suspect: id }, async () => {
        const suspect = await suspects.get(id);
        return suspect && suspectedRaised(subjectOf(deps.config, suspect.vendor), suspect);
      });
    }
    for (const link of summary.linked) {
      const ackLagMinutes = link.ackLagMinutes;
      if (ackLagMinutes === null) continue;
      await send({ suspect: link.suspect, incident: link.incident }, async () => {
        const suspect = await suspects.get(link.suspect);
        if (!suspect) return null;
        const incident = await vendors.getIncident(suspect.vendor, link.incident);
        return suspectedUpdate(subjectOf(deps.config, suspect.vendor), suspect, incident, {
          incident: link.incident,
          ackLagMinutes,
        });
      });
    }
  };
}

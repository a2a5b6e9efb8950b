import type { Command } from 'commander';
import { z } from 'zod';
import { createAnnotationStore } from '../store/annotations.js';
import { BLIND_LOOKBACK_MS } from '../core/correlate/blind-spans.js';
import { loadConfig, type Config } from '../config.js';
import {
  eventTimeSchema,
  MAX_CALLS,
  type ErrorEventInput,
  type InternalIncident,
} from '../core/contracts.js';
import { errorMinutes, selectInput, type InputConfig } from '../core/correlate/select-input.js';
import { incidentKnownAt, vendorIncidentKnownAt } from '../core/correlate/known-at.js';
import { loadInputSources } from '../store/correlation-input.js';
import { correlate } from '../core/correlate/score.js';
import type { BlindSpan, Candidate, Verdict } from '../core/correlate/types.js';
import { createIncidentStore } from '../store/incidents.js';
import type { CallsCount, Series } from '../core/series.js';
import type { VendorIncident } from '../core/model.js';
import { connectRedis, type RedisClient } from '../store/redis.js';
import { keysOf, type Keys } from '../store/keys.js';
import { replayScenario } from '../replay/run.js';
import { parseScenario, ScenarioError, type ScenarioInput } from '../replay/scenario.js';
import { readMinuteCounts } from '../store/error-buckets.js';
import { lookbackMinutes } from '../core/detect/suspect.js';
import { CliExit, linesOf, type CliIo } from './io.js';
import { clip, renderTable } from './table.js';

/*
 * `upcause backtest --from --to`: our stored incidents that started in the range, judged twice with
 * the live code. Hindsight: one evaluation with everything known at the end of the range. Replay:
 * the incident's first two hours rebuilt as a scenario from Redis (errors from the minute buckets,
 * vendor incidents and changes as stored) and run through the replay engine, so the clock, the
 * knowledge cut (a vendor incident only from its first post), suspect detection and annotatedAt are
 * exactly those of `upcause replay`.
 */

const MINUTE = 60_000;
/** How long after its start an incident is replayed. */
export const REPLAY_HORIZON_MINUTES = 120;

const ms = (iso: string) => Date.parse(iso);

/** The config a backtest reads: services, and vendors with their platform (for region codes). */
export interface BacktestConfig extends InputConfig {
  vendors: readonly { id: string; name: string; provider?: string }[];
}

export interface BacktestDeps {
  redis: RedisClient;
  keys: Keys;
  config: BacktestConfig;
}

interface Judgement {
  verdict: Verdict;
  top: Candidate | null;
}

/** One row of the backtest. */
export interface BacktestRow {
  id: string;
  service: string;
  startedAt: string;
  hindsight: Judgement | { error: string };
  replay:
    (Judgement & { annotatedAt: string; minutesToAnnotation: number; revisions: number }) | { error: string };
  /** What the live annotator stored, when it ran. */
  live: { verdict: Verdict; annotatedAt: string; version: number } | null;
}

export interface BacktestReport {
  from: string;
  to: string;
  incidents: BacktestRow[];
}

// ─── scenario from stored data (pure) ───────────────────────────────────────────────────────

// A status per error class that classifyError maps back to the same class (network and unknown come
// from the code alone).
const statusOfClass: Partial<Record<Series['errorClass'], number>> = {
  server: 500,
  timeout: 504,
  'rate-limit': 429,
  client: 400,
};
const maxEventCount = 1_000_000;

/**
 * Minute buckets as error events the replay re-aggregates into the same series: one event per series
 * and minute, stamped at the minute's last millisecond so a minute counts only once it is over. Call
 * volume becomes volume reports (calls without code or status) the same way.
 */
export function eventsFromBuckets(
  buckets: readonly {
    minute: number;
    counts: ReadonlyArray<{ series: Series; count: number }>;
    calls?: readonly CallsCount[];
  }[],
): ErrorEventInput[] {
  const events: ErrorEventInput[] = [];
  for (const { minute, counts, calls = [] } of buckets) {
    const at = new Date((minute + 1) * MINUTE - 1).toISOString();
    for (const c of calls) {
      // The contract needs a vendor with calls; a field written by hand to Redis might lack one.
      if (!c.vendor) continue;
      for (let left = Math.round(c.calls); left > 0; left -= MAX_CALLS)
        events.push({
          at,
          service: c.service,
          vendor: c.vendor,
          ...(c.region ? { region: c.region } : {}),
          calls: Math.min(left, MAX_CALLS),
        });
    }
    for (const { series, count } of counts) {
      const status = statusOfClass[series.errorClass];
      for (let left = Math.round(count); left > 0; left -= maxEventCount)
        events.push({
          at,
          service: series.service,
          ...(series.vendor ? { vendor: series.vendor } : {}),
          ...(series.region ? { region: series.region } : {}),
          ...(series.code ? { code: series.code } : {}),
          ...(status !== undefined ? { status } : {}),
          count: Math.min(left, maxEventCount),
        });
    }
  }
  return events;
}

/**
 * A stored vendor incident as a scenario incident known by `cut`. Regions the poller read from update
 * bodies are left for the replay to read again, update by update; structured and group regions (which
 * the scenario cannot restate otherwise) are passed on.
 */
export function scenarioVendorIncident(v: VendorIncident, cut: number): VendorIncident | null {
  const known = vendorIncidentKnownAt(v, cut);
  if (!known) return null;
  const evidence = known.regionEvidence;
  const regions = evidence
    ? known.regions.filter((id) =>
        evidence.some((e) => e.id === id && (e.from === 'structured' || e.from === 'group')),
      )
    : known.regions;
  return { ...known, regions };
}

/** The replay scenario of one incident's first two hours, from what loadInputSources and the buckets hold. */
export function backtestScenario(input: {
  incident: InternalIncident;
  config: BacktestConfig;
  vendorIncidents: readonly VendorIncident[];
  changes: readonly { at: string }[];
  errors: ErrorEventInput[];
  cut: number;
  /** Blind spans of vendor pages as known at `cut`; stated to the replay as vendorHealth. */
  blind?: readonly BlindSpan[];
}): ScenarioInput {
  const { config, cut } = input;
  return {
    name: `backtest ${input.incident.id}`,
    services: config.services.map((s) => ({ ...s, dependsOn: s.dependsOn.map((d) => ({ ...d })) })),
    vendors: config.vendors.map((v) => ({ id: v.id, name: v.name, provider: v.provider ?? 'statuspage' })),
    vendorIncidents: input.vendorIncidents.flatMap((v) => scenarioVendorIncident(v, cut) ?? []),
    errors: input.errors.filter((e) => ms(String(e.at)) <= cut),
    changes: input.changes.filter((c) => ms(c.at) <= cut) as ScenarioInput['changes'],
    incidents: [incidentKnownAt(input.incident, cut)],
    // A span begun long before is stated from the lookback's start, so the clock does not run over it.
    vendorHealth: (input.blind ?? []).flatMap((span) => [
      {
        vendor: span.vendor,
        at: new Date(
          Math.max(ms(span.since), ms(input.incident.startedAt) - BLIND_LOOKBACK_MS),
        ).toISOString(),
        state: 'unreachable' as const,
        reason: span.reason,
      },
      ...(span.until !== null ? [{ vendor: span.vendor, at: span.until, state: 'ok' as const }] : []),
    ]),
  };
}

/** The last instant a scenario holds, which the replay clock stops at unless told to run on. */
function lastInstant(s: ScenarioInput): number {
  const times = [
    ...(s.errors ?? []).map((e) => ms(String(e.at))),
    ...(s.changes ?? []).map((c) => ms(String(c.at))),
    ...(s.incidents ?? []).flatMap((i) => [
      ms(String(i.startedAt)),
      ...(i.resolvedAt ? [ms(String(i.resolvedAt))] : []),
    ]),
    ...(s.vendorHealth ?? []).map((h) => ms(h.at)),
    ...(s.vendorIncidents ?? []).flatMap((v) => [
      ms(v.startedAt),
      ...(v.postedAt ? [ms(v.postedAt)] : []),
      ...(v.updates ?? []).map((u) => ms(u.at)),
      ...(v.resolvedAt ? [ms(v.resolvedAt)] : []),
    ]),
  ];
  return Math.max(...times);
}

// ─── running it ─────────────────────────────────────────────────────────────────────────────

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function replayIncident(
  deps: BacktestDeps,
  incident: InternalIncident,
): Promise<BacktestRow['replay']> {
  const start = ms(incident.startedAt);
  const cut = start + REPLAY_HORIZON_MINUTES * MINUTE;
  const sources = await loadInputSources(deps, incident, new Date(cut));
  const { from } = errorMinutes(incident, cut);
  // Every series, from early enough that the suspect detector has its baseline when the window opens.
  const buckets = await readMinuteCounts(
    deps.redis,
    deps.keys,
    from - lookbackMinutes(),
    Math.floor(cut / MINUTE) - 1,
  );
  const known = selectInput(sources, new Date(cut));
  const raw = backtestScenario({
    incident,
    config: deps.config,
    vendorIncidents: known.vendorIncidents,
    ...(known.blind ? { blind: known.blind } : {}),
    changes: sources.changes,
    errors: eventsFromBuckets(buckets),
    cut,
  });
  const { scenario } = parseScenario(raw);
  const tailMinutes = Math.max(0, Math.ceil((cut - lastInstant(raw)) / MINUTE));
  const result = replayScenario(scenario, { tailMinutes }).incidents.find((i) => i.id === incident.id);
  if (!result) return { error: 'the replay produced no annotation' };
  const top = result.candidates[0];
  return {
    verdict: result.verdict,
    top: top
      ? {
          vendor: top.vendor,
          ...(top.vendorIncidentId ? { vendorIncidentId: top.vendorIncidentId } : {}),
          ...(top.suspectedIssueId ? { suspectedIssueId: top.suspectedIssueId } : {}),
          confidence: top.confidence,
          evidence: top.evidence,
        }
      : null,
    annotatedAt: result.annotatedAt,
    minutesToAnnotation: Math.round((ms(result.annotatedAt) - start) / MINUTE),
    revisions: result.revisions.length,
  };
}

/** Runs the backtest over our incidents that started in [from, to] (at most `limit`, oldest first). */
export async function runBacktest(
  deps: BacktestDeps,
  range: { from: Date; to: Date; limit?: number },
): Promise<BacktestReport> {
  const incidents = (
    await createIncidentStore(deps.redis, deps.keys).list({ to: range.to.toISOString(), limit: 100_000 })
  )
    .filter((i) => ms(i.startedAt) >= range.from.getTime())
    .sort((a, b) => ms(a.startedAt) - ms(b.startedAt) || a.id.localeCompare(b.id))
    .slice(0, range.limit ?? 200);
  const annotations = createAnnotationStore(deps.redis, deps.keys);
  const rows: BacktestRow[] = [];
  for (const incident of incidents) {
    let hindsight: BacktestRow['hindsight'];
    try {
      const result = correlate(selectInput(await loadInputSources(deps, incident, range.to), range.to));
      hindsight = { verdict: result.verdict, top: result.candidates[0] ?? null };
    } catch (error) {
      hindsight = { error: message(error) };
    }
    let replay: BacktestRow['replay'];
    try {
      replay = await replayIncident(deps, incident);
    } catch (error) {
      if (
        !(error instanceof ScenarioError) &&
        !(error instanceof Error && error.name === 'CorrelationInputError')
      )
        throw error;
      replay = { error: message(error) };
    }
    const live = await annotations.latest(incident.id);
    rows.push({
      id: incident.id,
      service: incident.service,
      startedAt: incident.startedAt,
      hindsight,
      replay,
      live: live ? { verdict: live.verdict, annotatedAt: live.annotatedAt, version: live.version } : null,
    });
  }
  return { from: range.from.toISOString(), to: range.to.toISOString(), incidents: rows };
}

// ─── output ─────────────────────────────────────────────────────────────────────────────────

const hhmm = (iso: string) => iso.replace('T', ' ').slice(0, 16);
const topLabel = (c: Candidate | null) =>
  c ? [c.vendor, c.vendorIncidentId ?? c.suspectedIssueId].filter(Boolean).join('/') : '—';

/** The backtest as a terminal table: hindsight and replay verdicts side by side, then what was live. */
export function formatBacktest(report: BacktestReport): string {
  if (report.incidents.length === 0)
    return `No incidents of ours started between ${report.from} and ${report.to}.`;
  const rows = report.incidents.map((r) => {
    const h = 'error' in r.hindsight ? 'error' : r.hindsight.verdict;
    const p = r.replay;
    return [
      r.id,
      r.service,
      hhmm(r.startedAt),
      h,
      'error' in p ? 'error' : p.verdict,
      'error' in p ? clip(p.error, 40) : clip(topLabel(p.top), 40),
      'error' in p || !p.top ? '' : p.top.confidence.toFixed(2),
      'error' in p ? '' : hhmm(p.annotatedAt),
      'error' in p ? '' : String(p.minutesToAnnotation),
      r.live ? `${r.live.verdict} v${r.live.version}` : '—',
    ];
  });
  const table = renderTable(
    [
      'INCIDENT',
      'SERVICE',
      'STARTED (UTC)',
      'HINDSIGHT',
      'REPLAY',
      'TOP CANDIDATE',
      'CONF',
      'ANNOTATED AT',
      'MIN',
      'LIVE',
    ],
    rows,
  );
  const judged = report.incidents.filter((r) => !('error' in r.hindsight) && !('error' in r.replay));
  const agree = judged.filter(
    (r) => (r.hindsight as Judgement).verdict === (r.replay as Judgement).verdict,
  ).length;
  return [
    `Backtest ${report.from} → ${report.to}: ${report.incidents.length} incident(s); hindsight as of the end of the range, replay over each incident's first ${REPLAY_HORIZON_MINUTES} min with what was known minute by minute.`,
    '',
    table,
    '',
    `Replay reached the hindsight verdict for ${agree} of ${judged.length}.`,
  ].join('\n');
}

// ─── command ────────────────────────────────────────────────────────────────────────────────

const optionsSchema = z
  .object({
    from: eventTimeSchema,
    to: eventTimeSchema,
    json: z.boolean().optional(),
    limit: z.coerce
      .number()
      .int('--limit must be a whole number')
      .min(1, '--limit must be at least 1')
      .default(200),
  })
  .refine((o) => ms(o.to) > ms(o.from), { message: '--to must be after --from', path: ['to'] });

/** Adds `upcause backtest --from <iso> --to <iso> [--json] [--limit n]` to the program. */
export function registerBacktestCommand(program: Command, io: CliIo): Command {
  const { out, err } = linesOf(io);
  return program
    .command('backtest')
    .description(
      'judge our stored incidents of a time range again: in hindsight, and replayed minute by minute',
    )
    .requiredOption('--from <iso>', 'incidents that started at or after this time (ISO-8601)')
    .requiredOption('--to <iso>', 'incidents that started at or before this time; hindsight is as of it')
    .option('--limit <n>', 'at most this many incidents, oldest first', '200')
    .option('--json', 'print JSON: { from, to, incidents: [{ id, service, hindsight, replay, live }] }')
    .action(async (raw: Record<string, unknown>, command: Command) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const flag = issue?.path[0] ? `--${String(issue.path[0])}` : 'options';
        err(`upcause backtest: ${flag}: ${issue?.message ?? 'invalid'}`);
        throw new CliExit(2);
      }
      const options = parsed.data;
      const config: Config = loadConfig({
        path: command.optsWithGlobals<{ config?: string }>().config,
        env: io.env,
      });
      const redis = await connectRedis(config.redis, 'producer', 'upcause-backtest');
      try {
        const report = await runBacktest(
          { redis, keys: keysOf(config), config },
          { from: new Date(options.from), to: new Date(options.to), limit: options.limit },
        );
        out(options.json ? JSON.stringify(report, null, 2) : formatBacktest(report));
      } finally {
        redis.disconnect();
      }
    });
}

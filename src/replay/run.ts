import { BLIND_LOOKBACK_MS, blindSpansKnownAt } from '../core/correlate/blind-spans.js';
import type { ChangeEvent, InternalIncident } from '../core/contracts.js';
import { incidentKnownAt, toSuspectedIssue } from '../core/correlate/known-at.js';
import { correlate } from '../core/correlate/score.js';
import { RULES } from '../core/correlate/signals.js';
import type { Annotation, Candidate, CorrelationInput, Verdict } from '../core/correlate/types.js';
import { minuteOf } from '../core/series.js';
import {
  defaultSuspectThresholds,
  evaluateSuspects,
  linkIncident,
  lookbackMinutes as suspectLookback,
  type Suspect,
  type SuspectThresholds,
} from '../core/detect/suspect.js';
import { createErrorTimeline, createVendorKnowledge, firstPostOf } from './knowledge.js';
import {
  needsAsyncRead,
  readSnapshotPage,
  readSnapshotPageAsync,
  scenarioBlindSpans,
  type SnapshotRead,
} from './snapshots.js';
import { ScenarioError, withVendorIds, type Scenario, type ScenarioSnapshot } from './scenario.js';
import { checkExpectations, type Expectations } from './expect.js';

/*
 * `upcause replay`: the scenario's history through the same pure code the workers run (suspect
 * detection, then correlate()), on a simulated clock that steps minute by minute and stops at every
 * vendor post, snapshot, change and incident start or end. No network, no Redis, no wall clock.
 */

const MINUTE = 60_000;
const ms = (iso: string) => Date.parse(iso);
// Output instants as the contract writes them: "2024-04-04T20:58:00Z" (milliseconds only when there are some).
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
const out = (instant: string | null) => (instant === null ? null : iso(ms(instant)));

export interface ReplayOptions {
  /** Minutes of errors before an incident's start given to the scorer (it reads lead + baseline). */
  lookbackMinutes?: number;
  /** A closed incident is revisited when a vendor publishes within this long after its resolution. */
  revisitMinutes?: number;
  /** With an incident still open at the end of the history, the clock runs this long past the last item. */
  tailMinutes?: number;
  suspectThresholds?: SuspectThresholds;
  /** The snapshots already read, one per `vendorSnapshots` entry (see replayScenarioAsync). */
  reads?: SnapshotRead[];
}

function syncRead(snapshot: ScenarioSnapshot, index: number): SnapshotRead {
  if (needsAsyncRead(snapshot))
    throw new ScenarioError([
      `vendorSnapshots[${index}]: a ${snapshot.provider} feed is read by replayScenarioAsync (as \`upcause replay\` does)`,
    ]);
  return readSnapshotPage(snapshot);
}

/** replayScenario, with Atom/RSS feed snapshots read first (their parser is asynchronous). */
export async function replayScenarioAsync(
  scenario: Scenario,
  options: ReplayOptions = {},
): Promise<ReplayOutput> {
  const reads = await Promise.all(scenario.vendorSnapshots.map(readSnapshotPageAsync));
  return replayScenario(scenario, { ...options, reads });
}

/** One candidate as the replay contract prints it. */
export interface ReplayCandidate {
  vendor: string;
  /** null when the candidate is a suspected issue the vendor has not (yet) posted. */
  vendorIncidentId: string | null;
  suspectedIssueId?: string;
  confidence: number;
  evidence: string[];
}

/** A change of verdict or of the top candidate: what the live annotator would have delivered. */
export interface Revision {
  at: string;
  verdict: Verdict;
  /** "vendor/incident-id" (or "vendor/suspect-id", or the vendor alone) of the top candidate; null when there is none. */
  top: string | null;
  confidence: number | null;
}

/** The replay contract's `incidents[]` item (extra fields are compatible extensions). */
export interface ReplayIncident {
  id: string;
  verdict: Verdict;
  /** Simulated time at which the final verdict was reached (the start of its last unbroken run). */
  annotatedAt: string;
  candidates: ReplayCandidate[];
  notes?: string[];
  revisions: Revision[];
}

/** The replay contract's `suspected[]` item. */
export interface ReplaySuspected {
  vendor: string;
  region: string;
  detectedAt: string;
  vendorPostedAt: string | null;
  id: string;
  since: string;
  closedAt: string | null;
  services: string[];
  vendorIncidentId: string | null;
  ackLagMinutes: number | null;
}

/** What `upcause replay --json` prints. */
export interface ReplayOutput {
  incidents: ReplayIncident[];
  suspected: ReplaySuspected[];
  /** Present when the scenario states `expect` or `suspectedExpected`. */
  expectations?: Expectations;
}

/** The clock: every minute of the history plus every instant something is published or happens. */
function clockOf(
  scenario: Scenario,
  options: Required<Omit<ReplayOptions, 'suspectThresholds' | 'reads'>>,
): number[] {
  const events: number[] = [
    ...scenario.errors.map((e) => ms(e.at)),
    ...scenario.changes.map((c) => ms(c.at)),
    ...scenario.incidents.flatMap((i) => [ms(i.startedAt), ...(i.resolvedAt ? [ms(i.resolvedAt)] : [])]),
    ...scenario.vendorIncidents.flatMap((v) => [
      ms(firstPostOf(v)),
      ...v.updates.map((u) => ms(u.at)),
      ...(v.resolvedAt ? [ms(v.resolvedAt)] : []),
    ]),
    ...scenario.vendorSnapshots.map((s) => ms(s.at)),
    ...scenario.vendorHealth.map((h) => ms(h.at)),
  ];
  if (events.length === 0) return [];
  const first = Math.min(...events);
  const last = Math.max(...events);
  const allClosed = scenario.incidents.every((i) => i.resolvedAt !== null);
  const end = allClosed ? last : last + options.tailMinutes * MINUTE;
  const ticks = new Set<number>(events);
  for (let t = Math.floor(first / MINUTE) * MINUTE; t <= end; t += MINUTE) ticks.add(t);
  return [...ticks].filter((t) => t <= end).sort((a, b) => a - b);
}

const topOf = (result: Omit<Annotation, 'annotatedAt'>): Candidate | undefined => result.candidates[0];
// A vendor with neither incident nor suspect (kept in view, never blamed) is keyed by its name alone.
const candidateKey = (c: Candidate | undefined): string | null =>
  c ? [c.vendor, c.vendorIncidentId ?? c.suspectedIssueId].filter(Boolean).join('/') : null;

/** Tracks one incident's evaluations: the last one, and the revisions a live annotator would deliver. */
function createTrack(incident: InternalIncident) {
  let last: Omit<Annotation, 'annotatedAt'> | null = null;
  const revisions: Revision[] = [];
  return {
    incident,
    record(at: number, result: Omit<Annotation, 'annotatedAt'>) {
      const top = topOf(result);
      const previous = revisions.at(-1);
      if (!previous || previous.verdict !== result.verdict || previous.top !== candidateKey(top))
        revisions.push({
          at: iso(at),
          verdict: result.verdict,
          top: candidateKey(top),
          confidence: top ? top.confidence : null,
        });
      last = result;
    },
    output(): ReplayIncident | null {
      if (!last) return null;
      // The final verdict's run: back over revisions that kept the verdict (only the top candidate changed).
      let start = revisions.length - 1;
      while (start > 0 && revisions[start - 1]!.verdict === last.verdict) start--;
      return {
        id: incident.id,
        verdict: last.verdict,
        annotatedAt: revisions[start]!.at,
        candidates: last.candidates.map((c) => ({
          vendor: c.vendor,
          vendorIncidentId: c.vendorIncidentId ?? null,
          ...(c.suspectedIssueId !== undefined ? { suspectedIssueId: c.suspectedIssueId } : {}),
          confidence: c.confidence,
          evidence: c.evidence,
        })),
        ...(last.notes && last.notes.length > 0 ? { notes: last.notes } : {}),
        revisions,
      };
    },
  };
}

/**
 * Replays a validated scenario (see parseScenario) and returns what `upcause replay --json` prints.
 * Pure: the clock is simulated, snapshots are read with the providers' pure parsers, nothing is fetched.
 * A snapshot that cannot be read leaves its vendor blind until the next readable one, as a failed poll
 * would; every evaluation is told which vendor pages were blind.
 */
export function replayScenario(authored: Scenario, options: ReplayOptions = {}): ReplayOutput {
  const scenario = withVendorIds(authored);
  const opts = {
    lookbackMinutes: options.lookbackMinutes ?? RULES.leadMinutes + RULES.baselineMinutes + 30,
    revisitMinutes: options.revisitMinutes ?? 24 * 60,
    tailMinutes: options.tailMinutes ?? 120,
  };
  const thresholds = options.suspectThresholds ?? defaultSuspectThresholds;
  const providers = new Map(scenario.vendors.map((v) => [v.id, v.provider]));
  const reads = options.reads ?? scenario.vendorSnapshots.map(syncRead);
  const readings = reads.flatMap((r) => (r.ok ? [r.reading] : []));
  const blind = scenarioBlindSpans(reads, scenario.vendorHealth);
  const vendors = createVendorKnowledge(
    scenario.vendorIncidents,
    (v) => providers.get(v) ?? 'statuspage',
    readings,
  );
  const errors = createErrorTimeline(scenario.errors);
  const changes = [...scenario.changes].sort((a, b) => ms(a.at) - ms(b.at));
  const tracks = scenario.incidents.map(createTrack);
  const suspects = new Map<string, Suspect>();
  let judgedMinute = Number.NEGATIVE_INFINITY;

  for (const now of clockOf(scenario, opts)) {
    const date = new Date(now);
    const known = vendors.at(date);

    // The detector judges the last complete minute: once per minute, as the live worker does.
    const minute = minuteOf(now) - 1;
    if (minute > judgedMinute) {
      judgedMinute = minute;
      const open = [...suspects.values()].filter((s) => s.closedAt === null);
      const evaluation = evaluateSuspects({
        now: date,
        minutes: errors.buckets(date, minute - suspectLookback(thresholds) + 1, minute),
        open,
        config: thresholds,
        changes: scenario.changes.filter((c) => Date.parse(c.at) <= now),
      });
      for (const s of [...evaluation.opened, ...evaluation.updated, ...evaluation.closed])
        suspects.set(s.id, s);
    }
    // Vendors acknowledge late: every suspect is (re)linked to the earliest-posted matching incident known.
    const byPost = [...known.incidents].sort((a, b) => ms(a.postedAt) - ms(b.postedAt));
    for (const [id, suspect] of suspects) {
      let linked = suspect;
      for (const incident of byPost) {
        const decision = linkIncident(linked, incident, thresholds.linkWindowMinutes);
        if (decision.linked) linked = decision.suspect;
      }
      suspects.set(id, linked);
    }

    const suspectedIssues = [...suspects.values()].map(toSuspectedIssue);
    const knownChanges = changes.filter((c) => ms(c.at) <= now);
    for (const track of tracks) {
      const { incident } = track;
      const start = ms(incident.startedAt);
      if (start > now) continue;
      const end = incident.resolvedAt === null ? Infinity : ms(incident.resolvedAt);
      // Closed incidents are revisited only when a vendor publishes something new, for a day after.
      const open = now <= end;
      if (!open && !(known.changed && now - end <= opts.revisitMinutes * MINUTE)) continue;
      const input: CorrelationInput = {
        now: date,
        incident: incidentKnownAt(incident, now),
        ...(serviceOf(scenario, incident) ?? {}),
        services: scenario.services,
        vendorIncidents: known.incidents,
        suspects: suspectedIssues,
        errors: errors.counts(date, minuteOf(start) - opts.lookbackMinutes, minuteOf(now)),
        calls: errors.calls(date, minuteOf(start) - opts.lookbackMinutes, minuteOf(now)),
        changes: relevantChanges(knownChanges, start),
        blind: blindSpansKnownAt(blind, now, start - BLIND_LOOKBACK_MS),
      };
      track.record(now, correlate(input));
    }
  }

  const incidents = tracks.flatMap((t) => t.output() ?? []);
  const suspected = [...suspects.values()]
    .sort((a, b) => ms(a.detectedAt) - ms(b.detectedAt) || a.id.localeCompare(b.id))
    .map((s): ReplaySuspected => ({
      vendor: s.vendor,
      region: s.region,
      detectedAt: iso(ms(s.detectedAt)),
      vendorPostedAt: out(s.vendorPostedAt),
      id: s.id,
      since: iso(ms(s.since)),
      closedAt: out(s.closedAt),
      services: s.services,
      vendorIncidentId: s.vendorIncidentId,
      ackLagMinutes: s.ackLagMinutes,
    }));
  const expectations = checkExpectations(scenario, incidents, suspected);
  return { incidents, suspected, ...(expectations ? { expectations } : {}) };
}

function serviceOf(scenario: Scenario, incident: InternalIncident): Pick<CorrelationInput, 'service'> | null {
  const service = scenario.services.find((s) => s.name === incident.service);
  return service ? { service } : null;
}

/** Changes in the day before the incident and since: the scorer decides which compete. */
function relevantChanges(known: readonly ChangeEvent[], start: number): ChangeEvent[] {
  return known.filter((c) => ms(c.at) >= start - 24 * 60 * MINUTE);
}

import { z } from 'zod';
import { changeEventSchema, internalIncidentSchema } from '../contracts.js';
import { minuteOf } from '../ingest/series.js';
import { instantSchema, vendorIncidentSchema, type VendorIncident } from '../model.js';
import { duration, utc } from './evidence.js';
import {
  changeSentence,
  commonModeOf,
  commonModeSignal,
  componentSignal,
  errorsSignal,
  errorWindow,
  impactSignal,
  indexErrors,
  internalSignal,
  ownErrorsSignal,
  peersSignal,
  ourRegions,
  recentChanges,
  regionSignal,
  suspectErrorsSignal,
  suspectTimeSignal,
  timeSignal,
  vendorErrorStats,
  vendorKey,
  type CommonMode,
  type ErrorIndex,
  type OurRegion,
  type OurTimes,
  type Signal,
  type SignalName,
  type VendorErrorStats,
} from './signals.js';
import type {
  Annotation,
  Candidate,
  CorrelationInput,
  ServiceSpec,
  SuspectedIssue,
  Verdict,
} from './types.js';

/**
 * Every weight and threshold of the verdict, in one place.
 *
 * A candidate's confidence is logistic(bias + Σ weight × signal), each signal in -1 … +1 (signals.ts),
 * so every step is a sum a person can redo. With the bias at -2 a candidate needs real evidence to pass
 * 0.5: an aligned vendor incident on our region (+1.3) and component (+1) with a major rating (+0.6)
 * reaches about 0.9 with no error data of ours; a spike of our vendor-pointing errors adds +1.2 to +2;
 * our calls at baseline take -1.8, our own untagged errors spiking meanwhile -1.4, a quiet peer service
 * on the same vendor -0.75 (-1.5 right after our change). Our errors and our changes weigh most
 * because they are our own facts; the vendor's page lags and lies.
 *
 * Hard vetoes cap a candidate at `vetoCap`: a disjoint region the vendor states confidently; only
 * components we do not use; a vendor incident resolved before we began, starting 2 h after our onset
 * or more than an hour after we resolved; a change of ours just before onset with no vendor-pointing
 * errors (or with 4xx ones); every vendor failing at once with mostly timeouts/network errors.
 *
 * Caps below `upstreamAt` keep weak kinds of evidence at "unclear" at best:
 * - a suspected issue (vendor silent) is upstream only when strong: 2+ of our services, a spike of
 *   vendor-pointing errors, and a region match;
 * - a maintenance window is upstream only when our vendor-pointing errors spike; it counts at all only
 *   when it covers our onset and names our region or one of our components;
 * - a vendor with neither an incident nor a suspected issue cannot be blamed, only kept in view.
 *
 * Verdict: `upstream` when the top candidate reaches `upstreamAt`, `internal` when it is at or below
 * `internalAt` (vetoed candidates always are) or there is no candidate, `unclear` between.
 */
export const SCORING = {
  bias: -2,
  weights: {
    time: 1.5,
    region: 1.5,
    component: 1,
    impact: 0.8,
    errors: 2,
    peers: 1.5,
    internal: 2,
    commonMode: 3,
  } satisfies Record<SignalName, number>,
  upstreamAt: 0.6,
  internalAt: 0.3,
  vetoCap: 0.1,
  weakSuspectCap: 0.55,
  unconfirmedMaintenanceCap: 0.55,
  silentVendorCap: 0.5,
  maxCandidates: 10,
  /** Vendor incidents further than this from our incident's window are not candidates at all. */
  relevanceHours: 24,
} as const;

// ─── input ─────────────────────────────────────────────────────────────────────────────────────

const serviceSpecSchema = z.object({
  name: z.string().min(1, 'service name must not be empty'),
  regions: z.array(z.string()),
  dependsOn: z.array(
    z.object({
      vendor: z.string().min(1, 'dependsOn vendor must not be empty'),
      components: z.array(z.string()),
    }),
  ),
});

const suspectSchema = z.object({
  id: z.string().min(1),
  vendor: z.string().min(1),
  region: z.string(),
  since: instantSchema,
  detectedAt: instantSchema,
  closedAt: instantSchema.nullable(),
  services: z.array(z.string()),
  ratePerMin: z.number().nonnegative(),
  baselinePerMin: z.number().nonnegative(),
  // The detector's own rows carry null for "not linked yet"; the contract leaves them out.
  vendorIncidentId: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
  vendorPostedAt: instantSchema.nullish().transform((v) => v ?? undefined),
  ackLagMinutes: z
    .number()
    .nullish()
    .transform((v) => v ?? undefined),
});

const minuteCountSchema = z.object({
  minute: z.number().int('minute must be whole epoch minutes'),
  series: z.object({
    service: z.string(),
    vendor: z.string(),
    region: z.string(),
    code: z.string(),
    errorClass: z.enum(['server', 'timeout', 'network', 'rate-limit', 'client', 'unknown']),
  }),
  count: z.number().nonnegative().finite(),
});

/** The scorer's input as zod checks it (the shape of `CorrelationInput`). */
export const correlationInputSchema = z.object({
  now: z.date({ error: 'now must be a valid Date' }),
  incident: internalIncidentSchema,
  service: serviceSpecSchema.optional(),
  services: z.array(serviceSpecSchema),
  vendorIncidents: z.array(vendorIncidentSchema),
  suspects: z.array(suspectSchema),
  errors: z.array(minuteCountSchema),
  changes: z.array(changeEventSchema),
});

/** A correlation input that does not match the contract; the message names each bad field. */
export class CorrelationInputError extends Error {
  override readonly name = 'CorrelationInputError';
}

function parseInput(raw: CorrelationInput): z.infer<typeof correlationInputSchema> {
  const parsed = correlationInputSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`)
    .join('; ');
  throw new CorrelationInputError(`invalid correlation input: ${issues}`, { cause: parsed.error });
}

// ─── scoring ───────────────────────────────────────────────────────────────────────────────────

interface Scored {
  candidate: Candidate;
  rank: number;
}

interface Context {
  now: number;
  start: number;
  ours: Omit<OurTimes, 'firstError'>;
  index: ErrorIndex;
  service: string;
  spec: ServiceSpec | undefined;
  incidentRegions: string[];
  changes: ReturnType<typeof recentChanges>;
  commonMode: CommonMode | null;
}

const MINUTE = 60_000;
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** logistic(bias + Σ weight × value), capped by vetoes and `cap`. */
export function combine(signals: readonly Signal[], cap = 1): number {
  const z = signals.reduce<number>((sum, s) => sum + SCORING.weights[s.name] * s.value, SCORING.bias);
  let confidence = 1 / (1 + Math.exp(-z));
  if (signals.some((s) => s.veto)) confidence = Math.min(confidence, SCORING.vetoCap);
  return round2(Math.min(confidence, cap));
}

/** Where we hurt: the incident's regions, else where our errors on this vendor are, else the service's. */
function regionsFor(ctx: Context, stats: VendorErrorStats): OurRegion[] {
  if (ctx.incidentRegions.length > 0) return ourRegions(ctx.incidentRegions);
  const fromErrors = ourRegions(stats.regions);
  return fromErrors.length > 0 ? fromErrors : ourRegions(ctx.spec?.regions ?? []);
}

function scoreVendor(
  ctx: Context,
  vendor: string,
  incidents: readonly VendorIncident[],
  suspects: readonly SuspectedIssue[],
): Scored[] {
  const stats = vendorErrorStats(ctx.index, ctx.service, vendor);
  // Our first error on the vendor: vendor-pointing when they rose, else a spike of unclassified codes.
  const spiking = stats.pointing.level === 'spike' || stats.pointing.level === 'rise';
  const first = spiking
    ? stats.pointing.firstSpike
    : stats.unknown.level === 'spike'
      ? stats.unknown.firstSpike
      : null;
  const ours: OurTimes = { ...ctx.ours, firstError: first !== null ? first * MINUTE : null };
  const regions = regionsFor(ctx, stats);
  const wanted = ctx.spec?.dependsOn.filter((d) => vendorKey(d.vendor) === vendorKey(vendor)) ?? [];
  const shared = [
    errorsSignal(stats),
    internalSignal(ctx.changes, stats, ctx.start),
    ownErrorsSignal(stats),
    peersSignal(stats, ctx.changes.length > 0),
    ctx.commonMode ? commonModeSignal(ctx.commonMode) : null,
  ].filter((s): s is Signal => s !== null);
  const out: Scored[] = [];

  for (const v of incidents) {
    const region = regionSignal(vendor, v.regions, regions, v.regionEvidence);
    const component = componentSignal(
      vendor,
      v.components,
      wanted.flatMap((d) => d.components),
    );
    const signals: Signal[] = [
      timeSignal(v, ours),
      region,
      component,
      impactSignal(vendor, v.impact, v.kind),
    ];
    const notes: string[] = [];
    let cap = 1;
    if (v.kind === 'maintenance') {
      const regionMatch = ['exact', 'contains', 'within'].includes(region.overlap.relation);
      if (!regionMatch && component.value <= 0) {
        signals.push({
          name: 'component',
          value: 0,
          veto: true,
          evidence: `the maintenance names neither our region nor a component we use`,
        });
      } else if (stats.pointing.level !== 'spike') {
        cap = SCORING.unconfirmedMaintenanceCap;
        notes.push(`a maintenance window is not blamed unless our errors on ${vendor} spike`);
      }
    }
    const linked = suspects.find((s) => s.vendorIncidentId === v.id);
    if (linked) {
      const lag = (Date.parse(v.postedAt) - Date.parse(linked.detectedAt)) / MINUTE;
      notes.push(
        `our errors flagged ${vendor} at ${utc(Date.parse(linked.detectedAt), ctx.start)}, ${duration(lag)} ${lag >= 0 ? 'before' : 'after'} it posted`,
      );
    }
    signals.push(...shared);
    out.push({
      rank: 0,
      candidate: {
        vendor,
        vendorIncidentId: v.id,
        confidence: combine(signals, cap),
        evidence: [...signals.map((s) => s.evidence), ...notes],
      },
    });
  }

  // A suspect the detector linked to a vendor incident is that incident's evidence, unless the
  // incident was ruled out (another region, say) and our own errors still stand on their own.
  const byIncident = new Map(out.map((s) => [s.candidate.vendorIncidentId, s.candidate.confidence]));
  for (const s of suspects) {
    const linkedConfidence =
      s.vendorIncidentId !== undefined ? byIncident.get(s.vendorIncidentId) : undefined;
    const region = regionSignal(vendor, s.region ? [s.region] : [], regions);
    const errors = suspectErrorsSignal(s, stats);
    const signals: Signal[] = [suspectTimeSignal(s, ours), region, errors, ...shared.slice(1)];
    const servicesHit = Math.max(s.services.length, stats.servicesHit.length);
    const strong =
      servicesHit >= 2 &&
      errors.value >= 0.6 &&
      ['exact', 'contains', 'within'].includes(region.overlap.relation);
    const notes = strong
      ? []
      : [
          `a suspected issue is blamed only with 2+ of our services, vendor-pointing errors and a region match (here: ${servicesHit} service${servicesHit === 1 ? '' : 's'}, region ${region.overlap.relation})`,
        ];
    const confidence = combine(signals, strong ? 1 : SCORING.weakSuspectCap);
    if (linkedConfidence !== undefined && linkedConfidence >= confidence) continue;
    out.push({
      rank: 1,
      candidate: {
        vendor,
        suspectedIssueId: s.id,
        confidence,
        evidence: [...signals.map((x) => x.evidence), ...notes],
      },
    });
  }

  if (out.length === 0) {
    out.push({
      rank: 2,
      candidate: {
        vendor,
        confidence: combine(shared, SCORING.silentVendorCap),
        evidence: [
          `no ${vendor} incident or suspected issue is known at ${utc(ctx.now, ctx.start)}`,
          ...shared.map((s) => s.evidence),
        ],
      },
    });
  }
  return out;
}

/** Vendors to consider: the service's dependencies, then vendors its errors name (display names kept). */
function candidateVendors(
  input: z.infer<typeof correlationInputSchema>,
  spec: ServiceSpec | undefined,
  index: ErrorIndex,
): Map<string, string> {
  const vendors = new Map<string, string>();
  const add = (name: string): void => {
    const key = vendorKey(name);
    if (key && !vendors.has(key)) vendors.set(key, name.trim());
  };
  for (const d of spec?.dependsOn ?? []) add(d.vendor);
  for (const e of input.errors) {
    if (
      e.series.service === input.incident.service &&
      e.minute >= index.window.from &&
      e.minute <= index.window.to
    )
      add(e.series.vendor);
  }
  // With no spec for the service, the caller's choice of vendor incidents and suspects is all we have.
  if (!spec) for (const v of [...input.vendorIncidents, ...input.suspects]) add(v.vendor);
  return vendors;
}

function verdictOf(top: Candidate | undefined): Verdict {
  if (!top || top.confidence <= SCORING.internalAt) return 'internal';
  return top.confidence >= SCORING.upstreamAt ? 'upstream' : 'unclear';
}

/**
 * Scores every candidate upstream cause of one of our incidents at `input.now` and gives the verdict.
 * Pure: the same call serves live workers, replay and backtest. Throws CorrelationInputError on input
 * that does not match the contract.
 */
export function correlate(raw: CorrelationInput): Omit<Annotation, 'annotatedAt'> {
  const input = parseInput(raw);
  const now = input.now.getTime();
  const { incident } = input;
  const start = Date.parse(incident.startedAt);
  const resolvedAt = incident.resolvedAt ? Date.parse(incident.resolvedAt) : null;
  const resolved = resolvedAt !== null && resolvedAt <= now;
  const end = Math.max(start, resolved ? resolvedAt : now);
  const window = errorWindow(start, end);
  const nowMinute = minuteOf(now);
  const index = indexErrors(
    input.errors.filter((e) => e.minute <= nowMinute),
    window,
  );
  const spec = input.service ?? input.services.find((s) => s.name === incident.service);
  const ctx: Context = {
    now,
    start,
    ours: { start, end, resolved },
    index,
    service: incident.service,
    spec,
    incidentRegions: incident.regions,
    changes: recentChanges(
      input.changes.filter((c) => Date.parse(c.at) <= now),
      incident.service,
      start,
    ),
    commonMode: commonModeOf(index, incident.service, spec?.dependsOn.map((d) => d.vendor) ?? []),
  };

  // Known at `now` only: a vendor incident from its first post; a resolution or closure after now is not yet.
  const reach = SCORING.relevanceHours * 3_600_000;
  const vendorIncidents = input.vendorIncidents
    .filter((v) => Date.parse(v.postedAt) <= now)
    .map((v) => (v.resolvedAt && Date.parse(v.resolvedAt) > now ? { ...v, resolvedAt: null } : v))
    .filter(
      (v) =>
        Date.parse(v.startedAt) <= end + reach &&
        (v.resolvedAt === null || Date.parse(v.resolvedAt) >= start - reach),
    );
  const suspects = input.suspects
    .filter((s) => Date.parse(s.detectedAt) <= now)
    .map((s) => (s.closedAt && Date.parse(s.closedAt) > now ? { ...s, closedAt: null } : s));

  const scored: Scored[] = [];
  for (const [key, vendor] of candidateVendors(input, spec, index)) {
    scored.push(
      ...scoreVendor(
        ctx,
        vendor,
        vendorIncidents.filter((v) => vendorKey(v.vendor) === key),
        suspects.filter((s) => vendorKey(s.vendor) === key),
      ),
    );
  }
  scored.sort(
    (a, b) =>
      b.candidate.confidence - a.candidate.confidence ||
      a.rank - b.rank ||
      a.candidate.vendor.localeCompare(b.candidate.vendor),
  );
  const candidates = scored.slice(0, SCORING.maxCandidates).map((s) => s.candidate);
  const top = candidates[0];
  const verdict = verdictOf(top);
  return { id: incident.id, verdict, candidates, notes: notesFor(verdict, top, ctx) };
}

function notesFor(verdict: Verdict, top: Candidate | undefined, ctx: Context): string[] {
  const notes: string[] = [];
  if (!top) {
    notes.push(
      `no vendor to suspect: ${ctx.service} ${ctx.spec ? 'declares no dependency' : 'is not in the config'} and none of its errors name a vendor`,
    );
  } else if (verdict === 'upstream') {
    notes.push(
      `${top.vendor} is the likely cause: confidence ${top.confidence} (upstream from ${SCORING.upstreamAt})`,
    );
  } else if (verdict === 'unclear') {
    notes.push(
      `best candidate ${top.vendor} at ${top.confidence}: between ${SCORING.internalAt} and ${SCORING.upstreamAt}, not enough to blame or clear it`,
    );
  } else {
    notes.push(
      `no upstream evidence: the best candidate, ${top.vendor}, scores ${top.confidence} (internal at ${SCORING.internalAt} or below)`,
    );
  }
  for (const change of ctx.changes.slice(0, 3)) notes.push(changeSentence(change, ctx.start));
  if (ctx.commonMode) notes.push(commonModeSignal(ctx.commonMode).evidence);
  return notes;
}

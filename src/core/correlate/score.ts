import { z } from 'zod';
import { changeEventSchema, internalIncidentSchema } from '../contracts.js';
import { minuteOf } from '../series.js';
import { instantSchema, vendorIncidentSchema, type VendorIncident } from '../model.js';
import { regionOverlap } from '../regions/overlap.js';
import { blindSpanSchema, blindSpansKnownAt } from './blind-spans.js';
import { corroboration } from './signal-corroboration.js';
import { outlastSignal, recoverySignal } from './signal-recovery.js';
import { duration, list, rate, utc, utcRange } from './evidence.js';
import {
  callsHealthy,
  callsMeasuredHealthy,
  calmPeerSignal,
  changeSentence,
  ratioElevated,
  clientDominated,
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
  regionScope,
  regionSignal,
  RULES,
  softenedBaseline,
  statedWindow,
  suspectErrorsSignal,
  suspectTimeSignal,
  timeSignal,
  untaggedLevelOf,
  untaggedSignal,
  vendorErrorStats,
  vendorKey,
  type CommonMode,
  type ErrorIndex,
  type OurRegion,
  type OurTimes,
  type RegionSignal,
  type Signal,
  type SignalName,
  type VendorErrorStats,
} from './signals.js';
import type {
  Annotation,
  BlindSpan,
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
 * 0.5: an aligned vendor incident on our region (+1.5) and component (+1) with a major rating (+0.56)
 * reaches about 0.9 with no error data of ours; a spike of our vendor-pointing errors adds +1.2 to +2;
 * untagged 5xx/timeouts rising with a major incident that covers our region (or names none) add up to
 * +1.6; our calls at baseline take -1.8 — but only where we know the service calls the vendor (call
 * volume, or errors it tagged with the vendor): silence from a service that never tags it counts 0.
 * Our own untagged errors spiking while our calls to the vendor are known healthy take -1.4, a quiet
 * peer service on the same vendor -0.75 (-1.5 right after our change). A region the vendor names
 * elsewhere takes -1.5 (scoped to its customers), -1.2 (named), -0.45 (its own datacenter or PoP).
 *
 * Hard vetoes cap a candidate at `vetoCap`: a region the vendor scopes customer impact to, elsewhere,
 * while our calls to it stay healthy; only components we do not use; a vendor incident resolved before
 * we began, starting 2 h after our onset or more than an hour after we resolved; a change of ours just
 * before onset with nothing of ours pointing at the vendor (or with 4xx); every vendor failing at once
 * with mostly timeouts/network errors.
 *
 * Caps and floors keep each kind of evidence where it belongs:
 * - a suspected issue (vendor silent) is upstream only when strong: 2+ of our services, or one whose
 *   spike is large and sustained (RULES.strong*) with no change of ours before onset; and a region not
 *   elsewhere. With no stored suspect and no vendor incident, such errors are inferred as one;
 * - a maintenance window is upstream only when our vendor-pointing errors spike; it counts at all only
 *   when it covers our onset and names our region or one of our components;
 * - untagged errors with a change of ours just before onset stay `ambiguousRange` (unclear);
 * - a vendor with neither an incident nor a suspected issue cannot be blamed, only kept in view;
 * - a vendor whose status page we could not read during our window is never cleared: `blindFloor`.
 *
 * Verdict: `upstream` when the top candidate reaches `upstreamAt`, `internal` when it is at or below
 * `internalAt` (vetoed candidates always are) or there is no candidate, `unclear` between; a service
 * the config does not know is never `internal` (we do not know its vendors).
 */
export const SCORING = {
  bias: -2,
  weights: {
    time: 1.5,
    region: 1.5,
    component: 1,
    impact: 0.8,
    errors: 2,
    untagged: 2,
    peers: 1.5,
    internal: 2,
    commonMode: 3,
    corroboration: 1,
    recovery: 1,
  } satisfies Record<SignalName, number>,
  upstreamAt: 0.6,
  internalAt: 0.3,
  vetoCap: 0.1,
  weakSuspectCap: 0.55,
  unconfirmedMaintenanceCap: 0.55,
  silentVendorCap: 0.5,
  /** Untagged errors with a change of ours just before onset: either could explain them. */
  ambiguousRange: [0.35, 0.55],
  /** A vendor whose page we could not read is never cleared by its silence: unclear at least. */
  blindFloor: 0.4,
  /** A silent vendor our vendor-pointing errors rose on, with nothing of ours to explain it. */
  risingFloor: 0.35,
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
  related: z.array(vendorIncidentSchema).default([]),
  suspects: z.array(suspectSchema),
  errors: z.array(minuteCountSchema),
  changes: z.array(changeEventSchema),
  calls: z
    .array(
      z.object({
        minute: z.number().int('minute must be whole epoch minutes'),
        service: z.string(),
        vendor: z.string(),
        region: z.string(),
        calls: z.number().nonnegative().finite(),
      }),
    )
    .default([]),
  blind: z
    .array(
      blindSpanSchema.refine((b) => b.until === null || Date.parse(b.until) >= Date.parse(b.since), {
        message: 'until is before since',
        path: ['until'],
      }),
    )
    .default([]),
});

/** A correlation input that does not match the contract; the message names each bad field. */
export class CorrelationInputError extends Error {
  override readonly name = 'CorrelationInputError';
  // The stored incident or vendor data does not fit the contract: retrying will not change that.
  readonly permanent = true;
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
  /** Every service of ours the config declares. */
  services: readonly ServiceSpec[];
  /** Spans we could not read a vendor's page, overlapping our window (vendor key → spans). */
  blind: Map<string, { since: number; until: number | null; reason: string }[]>;
  /** Every vendor incident known (candidates' and related), where another vendor may blame one. */
  others: readonly VendorIncident[];
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

const REGION_MATCH = new Set(['exact', 'contains', 'within', 'nearby']);

/**
 * Our errors on the vendor split between regions the vendor's incident names and regions it does not,
 * about evenly (the others at least half the named ones, and a spike's worth): null when they are not,
 * or when the vendor's region is its own infrastructure.
 */
function splitAcrossRegions(v: VendorIncident, region: RegionSignal, stats: VendorErrorStats, text: string) {
  if (v.regions.length === 0 || !REGION_MATCH.has(region.overlap.relation)) return null;
  const matched = region.overlap.vendorRegion;
  const e = v.regionEvidence?.find((x) => x.id === matched);
  if (matched !== null && regionScope(matched, e?.raw ?? '', e?.from ?? null, text) === 'infrastructure')
    return null;
  let inside = 0;
  let outside = 0;
  const [ins, outs]: [string[], string[]] = [[], []];
  for (const [label, count] of stats.regionCounts) {
    const ids = ourRegions([label]).map((r) => r.id);
    if (ids.length === 0) continue;
    if (REGION_MATCH.has(regionOverlap([...v.regions], ids).relation)) {
      inside += count;
      ins.push(label);
    } else {
      outside += count;
      outs.push(label);
    }
  }
  if (inside === 0 || outside < RULES.spikeMinErrors || outside * 2 < inside) return null;
  return {
    named: list(
      v.regions.map((id) => v.regionEvidence?.find((x) => x.id === id)?.raw ?? id),
      3,
    ),
    ours: list(ins, 3),
    others: list(outs, 3),
    inside,
    outside,
  };
}

/**
 * One service is enough when its spike is large and sustained, most of its errors name the vendor,
 * nothing of ours changed before onset, no other service calling the vendor there stays quiet, and
 * (with call volume) the failure ratio rose, not just our traffic.
 */
function strongAlone(ctx: Context, stats: VendorErrorStats): boolean {
  const p = stats.pointing;
  return (
    p.level === 'spike' &&
    p.ratio >= RULES.strongRatio &&
    (p.ratePerMin + soleDependencyRate(ctx, stats) >= RULES.strongPerMin ||
      (stats.calls !== null && stats.calls.ratio >= RULES.strongFailedShare && ratioElevated(stats.calls))) &&
    p.spikeMinutes >= RULES.strongMinutes &&
    stats.share >= RULES.strongShare &&
    stats.quietPeers.length === 0 &&
    ctx.changes.length === 0 &&
    ctx.commonMode === null &&
    !clientDominated(stats)
  );
}

/**
 * The vendor-pointing rate of a service's errors that name no vendor, where the vendor is the only one
 * it depends on and those errors spike too: they are the same calls failing, logged without the tag
 * (a 529 "overloaded" beside resets naming the vendor's host). 0 otherwise.
 */
function soleDependencyRate(ctx: Context, stats: VendorErrorStats): number {
  const deps = ctx.spec?.dependsOn ?? [];
  const u = stats.untagged;
  if (deps.length !== 1 || vendorKey(deps[0]!.vendor) !== vendorKey(stats.vendor)) return 0;
  return u.level.level === 'spike' ? u.level.ratePerMin * u.pointingShare : 0;
}

const strongText = (n: number, relation: string): string =>
  `a suspected issue is blamed only with 2+ of our services, or one service whose spike is ×${RULES.strongRatio} and ${RULES.strongPerMin}/min or more (or ${RULES.strongFailedShare * 100}% of its calls failing), held ${RULES.strongMinutes} min, with most of its errors naming the vendor and no change of ours before onset; and a region that is not elsewhere (here: ${n} service${n === 1 ? '' : 's'}, region ${relation})`;

/** A suspected issue of our own making, when our errors are strong and the detector has none stored yet. */
function inferredSuspect(ctx: Context, vendor: string, stats: VendorErrorStats): SuspectedIssue | null {
  const p = stats.pointing;
  if (p.level !== 'spike' || p.firstSpike === null) return null;
  if (stats.servicesHit.length < 2 && !strongAlone(ctx, stats)) return null;
  return {
    id: '',
    vendor,
    region: ourRegions(stats.regions)[0]?.id ?? '',
    since: new Date(p.firstSpike * MINUTE).toISOString(),
    detectedAt: new Date(ctx.now).toISOString(),
    closedAt: null,
    services: stats.servicesHit,
    ratePerMin: p.ratePerMin,
    baselinePerMin: p.baselinePerMin,
  };
}

/** Other services declaring the vendor, not elsewhere than us, whose untagged errors stay calm. */
function calmPeersBehind(
  ctx: Context,
  vendor: string,
  regions: readonly OurRegion[],
  stats: VendorErrorStats,
): string[] {
  const key = vendorKey(vendor);
  const quietPeers = new Set(stats.quietPeers.map((p) => p.service));
  const ours = regions.map((r) => r.id);
  return ctx.services
    .filter(
      (s) =>
        s.name !== ctx.service &&
        s.dependsOn.some((d) => vendorKey(d.vendor) === key) &&
        (ours.length === 0 ||
          regionOverlap(
            ourRegions(s.regions).map((r) => r.id),
            ours,
          ).relation !== 'disjoint'),
    )
    .filter((s) => {
      const level = untaggedLevelOf(ctx.index, s.name);
      if (level !== null) return level.level !== 'spike';
      // A peer that tags its calls to the vendor and reports them at baseline is calm too.
      return quietPeers.has(s.name);
    })
    .map((s) => s.name)
    .sort();
}

/**
 * Other services of ours whose tagged calls to the vendor stay at baseline in our region, whose errors
 * naming no vendor do not spike either, and that declare the same components of it as the failing
 * service (or, like it, none).
 */
function peersAlike(ctx: Context, vendor: string, stats: VendorErrorStats): string[] {
  const key = vendorKey(vendor);
  const componentsOf = (spec: ServiceSpec | undefined): Set<string> =>
    new Set(
      spec?.dependsOn
        .filter((d) => vendorKey(d.vendor) === key)
        .flatMap((d) => d.components.map((c) => c.toLowerCase())) ?? [],
    );
  const ours = componentsOf(ctx.spec);
  return stats.quietPeers
    .filter((p) => untaggedLevelOf(ctx.index, p.service)?.level !== 'spike')
    .filter((p) => {
      const theirs = componentsOf(ctx.services.find((s) => s.name === p.service));
      return ours.size === 0 ? theirs.size === 0 : [...ours].some((c) => theirs.has(c));
    })
    .map((p) => p.service);
}

function blindSentence(ctx: Context, vendor: string): string | null {
  const spans = ctx.blind.get(vendorKey(vendor));
  if (!spans || spans.length === 0) return null;
  const last = spans[spans.length - 1]!;
  const when =
    last.until === null
      ? `since ${utc(last.since, ctx.start)}`
      : `from ${utcRange(last.since, last.until, ctx.start).replace(/–/, ' to ')}`;
  return `we could not read ${vendor}'s status page ${when} (${last.reason}): what ${vendor} posted meanwhile is unknown to us, so its silence clears nothing`;
}

function scoreVendor(
  ctx: Context,
  vendor: string,
  incidents: readonly VendorIncident[],
  suspects: readonly SuspectedIssue[],
): Scored[] {
  const stats = vendorErrorStats(ctx.index, ctx.service, vendor);
  const healthy = callsHealthy(stats);
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
  const errors = errorsSignal(stats);
  const own = ownErrorsSignal(stats);
  const shared = [
    errors,
    internalSignal(ctx.changes, stats, ctx.start),
    own,
    peersSignal(stats, ctx.changes.length > 0),
    ctx.commonMode ? commonModeSignal(ctx.commonMode) : null,
  ].filter((s): s is Signal => s !== null);
  // Where untagged errors count for an incident, they are not "our own code path" for it.
  const withUntagged = shared
    .filter((x) => x !== own)
    .map((x) => (x === errors ? softenedBaseline(stats, errors) : x));
  const blind = blindSentence(ctx, vendor);
  const calmBehind = calmPeersBehind(ctx, vendor, regions, stats);
  // Peers using what we use of the vendor, calm, weigh against its incidents where our own calls do not rise.
  const alikePeers = peersAlike(ctx, vendor, stats);
  const calmAlike = spiking || stats.unknown.level === 'spike' ? null : calmPeerSignal(stats, alikePeers);
  // A peer on the same components whose call volume we see, calls the vendor at its usual failure rate.
  const measuredAlike = stats.quietPeers.filter(
    (p) => p.callsPerMin !== undefined && alikePeers.includes(p.service),
  );
  const out: Scored[] = [];

  for (const v of incidents) {
    const text = [v.title, ...v.updates.map((u) => u.body)].join('\n');
    const region = regionSignal(vendor, v.regions, regions, {
      evidence: v.regionEvidence,
      text,
      callsHealthy: healthy,
    });
    const stated = v.kind === 'incident' ? statedWindow(v) : null;
    // Only a vendor the service declares can be the one in front of it that errors name nobody for.
    const untagged =
      wanted.length > 0
        ? untaggedSignal(
            stats,
            { ...v, start: Math.min(Date.parse(v.startedAt), stated?.from ?? Infinity) },
            region.overlap.relation,
            calmBehind,
          )
        : null;
    // Another vendor blaming this one: only where our own errors already point at it.
    const ourErrorsPoint = errors.value > 0 || (untagged !== null && untagged.value > 0);
    const corroborated =
      v.kind === 'incident' && ourErrorsPoint ? corroboration(vendor, v, ctx.others, ctx.now) : null;
    // Our rising errors (on the vendor, or naming none when it is in front of us) ended as it recovered.
    const endOfPointing = spiking && errors.value > 0;
    const risingEnd = endOfPointing
      ? stats.pointing.endedAt
      : untagged !== null && untagged.value > 0
        ? stats.untagged.level.endedAt
        : null;
    const recovered = v.kind === 'incident' ? recoverySignal(vendor, v, risingEnd, ctx.now, ctx.start) : null;
    const vendorFrom = Math.min(Date.parse(v.startedAt), stated?.from ?? Infinity);
    const rising = endOfPointing || (untagged !== null && untagged.value > 0);
    const outlasted =
      v.kind === 'incident' && rising && recovered === null
        ? outlastSignal(
            vendor,
            v,
            vendorFrom,
            risingEnd ?? null,
            Math.min(ctx.now, stats.window.to * MINUTE),
            ctx.now,
            ctx.start,
          )
        : null;
    // Our errors failing hard with it: a spike on the vendor, or untagged ones that a vendor-wide
    // (critical) incident explains, or that hit several of our services at once; or other vendors
    // saying its outage took them down too; or our vendor-pointing errors ending as it recovered.
    // Untagged errors of one service, even in its region, tie nothing to a product we do not use.
    const untaggedWide =
      untagged !== null &&
      untagged.value >= 0.5 &&
      (v.impact === 'critical' || stats.untagged.alsoSpiking.length > 0);
    const confirmed =
      (stats.pointing.level === 'spike' && errors.value >= 0.6) ||
      untaggedWide ||
      corroborated !== null ||
      (recovered !== null && (endOfPointing || untaggedWide));
    const component = componentSignal(
      vendor,
      v.components,
      wanted.flatMap((d) => d.components),
      confirmed,
      (v.regionEvidence ?? []).filter((e) => e.from === 'component').map((e) => e.raw),
    );
    const signals: Signal[] = [
      timeSignal(v, ours),
      region,
      component,
      impactSignal(vendor, v.impact, v.kind),
    ];
    // A peer on the same components calls the vendor fine: errors naming no vendor lose their link to it.
    const alike = calmAlike !== null && v.kind === 'incident';
    if (untagged) signals.push(alike && untagged.value > 0 ? { ...untagged, value: 0 } : untagged);
    if (alike) signals.push(calmAlike);
    if (corroborated) signals.push(corroborated);
    if (recovered) signals.push(recovered);
    if (outlasted) signals.push(outlasted);
    const notes: string[] = [];
    let cap = 1;
    let floor = 0;
    if (v.kind === 'maintenance') {
      const regionMatch = REGION_MATCH.has(region.overlap.relation);
      if (!regionMatch && component.value <= 0) {
        signals.push({
          name: 'component',
          value: 0,
          veto: true,
          evidence: `the maintenance names neither our region nor a component we use`,
        });
      } else if (stats.pointing.level !== 'spike' && !(untagged && untagged.value >= 0.3)) {
        cap = SCORING.unconfirmedMaintenanceCap;
        notes.push(`a maintenance window is not blamed unless our errors on ${vendor} spike`);
      }
    }
    if (
      untagged &&
      untagged.value > 0 &&
      !spiking &&
      ctx.changes.length > 0 &&
      stats.untagged.pointingShare >= 0.5
    ) {
      [floor, cap] = [SCORING.ambiguousRange[0], Math.min(cap, SCORING.ambiguousRange[1])];
      notes.push(
        `our errors name no vendor and we changed ${ctx.service} just before onset: ${vendor} or the change, the evidence cannot tell`,
      );
    }
    // Timeouts are measured against our own limit, rate limits against our own load or quota: a change of
    // the failing service just before they began, while the vendor's trouble is not known to have started
    // before that change, may have moved the limit or the load. Unless other services of ours are hit
    // too, either could explain them.
    const change = ctx.changes[0];
    const changeAt = change ? Date.parse(change.at) : null;
    const ownLimits = stats.byClass.timeout + stats.byClass['rate-limit'];
    if (
      changeAt !== null &&
      ours.firstError !== null &&
      spiking &&
      ownLimits > 0 &&
      stats.byClass.server + stats.byClass.network === 0 &&
      stats.servicesHit.length <= 1 &&
      ours.firstError >= changeAt &&
      ours.firstError - changeAt <= RULES.timeoutAfterChangeMinutes * MINUTE &&
      vendorFrom > changeAt
    ) {
      [floor, cap] = [SCORING.ambiguousRange[0], Math.min(cap, SCORING.ambiguousRange[1])];
      notes.push(
        `our calls to ${vendor} only ${stats.byClass.timeout === 0 ? 'hit rate limits' : stats.byClass['rate-limit'] === 0 ? 'time out' : 'time out or hit rate limits'}, from ${duration((ours.firstError - changeAt) / MINUTE)} after our change to ${ctx.service}, and ${vendor} dates its trouble after that change: our change (a limit, a load) or ${vendor}, the evidence cannot tell`,
      );
    }
    // One service failing on the vendor while a peer on the same components, whose every call we count,
    // calls it fine: the vendor's trouble does not reach all of what we send it; the service may be the
    // cause, or the one part of our traffic the incident hits.
    if (v.kind === 'incident' && spiking && stats.servicesHit.length <= 1 && measuredAlike.length > 0) {
      cap = Math.min(cap, SCORING.ambiguousRange[1]);
      const p = measuredAlike[0]!;
      notes.push(
        `${p.service}, using the same ${vendor} components in the same region, makes ${rate(p.callsPerMin!)} calls to it at its usual failure rate: ${ctx.service} failing alone could be its own trouble or the one part of our traffic ${vendor}'s incident hits`,
      );
    }
    // Our errors on the vendor are as many in regions of ours it does not name as in the one it does: its
    // regional trouble explains only part of them, and what the regions share (our code, or something
    // wider than the vendor says) explains them as well. Not for the vendor's own datacenter or PoP,
    // which customers anywhere can be routed through.
    const split = v.kind === 'incident' ? splitAcrossRegions(v, region, stats, text) : null;
    if (split) {
      cap = Math.min(cap, SCORING.ambiguousRange[1]);
      notes.push(
        `${vendor} names ${split.named}, but our errors on it in ${split.others} (${split.outside}) are as many as in ${split.ours} (${split.inside}): its regional trouble does not explain them all`,
      );
    }
    // Resolved before our trouble began (within the slack that keeps it a candidate): our errors may be a
    // tail or a return of its outage, or ours on a healthy vendor; nothing in the timing tells which.
    const resolvedAt = v.kind === 'incident' && v.resolvedAt ? Date.parse(v.resolvedAt) : null;
    const onset = Math.min(ours.start, ours.firstError ?? Infinity);
    if (resolvedAt !== null && resolvedAt <= onset) {
      cap = Math.min(cap, SCORING.ambiguousRange[1]);
      notes.push(
        `${vendor} had resolved it at ${utc(resolvedAt, ctx.start)}, ${duration((onset - resolvedAt) / MINUTE)} before our trouble began (${utc(onset, ctx.start)}): a tail or return of its outage, or ours; the timing cannot tell`,
      );
    }
    const linked = suspects.find((s) => s.vendorIncidentId === v.id);
    if (linked) {
      const lag = (Date.parse(v.postedAt) - Date.parse(linked.detectedAt)) / MINUTE;
      notes.push(
        `our errors flagged ${vendor} at ${utc(Date.parse(linked.detectedAt), ctx.start)}, ${duration(lag)} ${lag >= 0 ? 'before' : 'after'} it posted`,
      );
    }
    if (blind) notes.push(blind);
    // Our errors began after a change of ours, well before the vendor dates its trouble, and went on well
    // after it resolved: its incident sits inside our trouble, which began and ended at times of ours.
    const endedMs =
      risingEnd !== null && risingEnd !== undefined
        ? risingEnd * MINUTE
        : Math.min(ctx.now, stats.window.to * MINUTE);
    const edgeMs = RULES.edgeMinutes * MINUTE;
    const inside =
      rising &&
      resolvedAt !== null &&
      resolvedAt <= ctx.now &&
      ours.firstError !== null &&
      ours.firstError <= vendorFrom - edgeMs &&
      endedMs >= resolvedAt + edgeMs;
    // Errors that outlast the vendor's recovery are not held at "either could explain them"; begun
    // after a change of ours, on this service alone, they are the change's.
    if (outlasted || inside) {
      floor = 0;
      if (changeAt !== null && changeAt <= onset && stats.servicesHit.length <= 1) {
        cap = Math.min(cap, SCORING.internalAt);
        notes.push(
          outlasted
            ? `our errors began after our change to ${ctx.service} and outlasted ${vendor}'s incident: the change is the better explanation`
            : `our errors began after our change to ${ctx.service}, ${duration((vendorFrom - ours.firstError!) / MINUTE)} before ${vendor}'s trouble, and went on ${duration((endedMs - resolvedAt!) / MINUTE)} after it resolved: its incident sits inside ours, and the change is the better explanation`,
        );
      }
    }
    signals.push(...(untagged && untagged.value > 0 ? withUntagged : shared));
    const confidence = combine(signals, cap);
    out.push({
      rank: 0,
      candidate: {
        vendor,
        vendorIncidentId: v.id,
        confidence: signals.some((x) => x.veto) ? confidence : Math.max(floor, confidence),
        evidence: [...signals.map((s) => s.evidence), ...notes],
      },
    });
  }

  // A suspect the detector linked to a vendor incident is that incident's evidence, unless the
  // incident was ruled out (another region, say) and our own errors still stand on their own. With
  // no stored suspect and no vendor incident, our own strong errors are inferred as one.
  const byIncident = new Map(out.map((s) => [s.candidate.vendorIncidentId, s.candidate.confidence]));
  const inferred =
    suspects.length === 0 && incidents.length === 0 ? inferredSuspect(ctx, vendor, stats) : null;
  for (const s of inferred ? [inferred] : suspects) {
    const linkedConfidence =
      s.vendorIncidentId !== undefined ? byIncident.get(s.vendorIncidentId) : undefined;
    const region = regionSignal(vendor, s.region ? [s.region] : [], regions);
    const errors = suspectErrorsSignal(s, stats);
    const signals: Signal[] = [suspectTimeSignal(s, ours), region, errors, ...shared.slice(1)];
    const servicesHit = Math.max(s.services.length, stats.servicesHit.length);
    const strong =
      region.overlap.relation !== 'disjoint' &&
      errors.value >= 0.6 &&
      (servicesHit >= 2 || strongAlone(ctx, stats));
    const notes = strong ? [] : [strongText(servicesHit, region.overlap.relation)];
    if (s === inferred)
      notes.unshift(
        `inferred from our own errors: ${vendor} has posted nothing and no suspected issue is stored yet`,
      );
    if (blind) notes.push(blind);
    const confidence = combine(signals, strong ? 1 : SCORING.weakSuspectCap);
    if (linkedConfidence !== undefined && linkedConfidence >= confidence) continue;
    out.push({
      rank: 1,
      candidate: {
        vendor,
        ...(s.id ? { suspectedIssueId: s.id } : {}),
        confidence,
        evidence: [...signals.map((x) => x.evidence), ...notes],
      },
    });
  }

  if (out.length === 0 || blind) {
    const confidence = combine(shared, SCORING.silentVendorCap);
    // Our vendor-pointing errors on it rose and nothing of ours explains them: not "no upstream evidence".
    const unexplained =
      spiking && !clientDominated(stats) && shared.every((x) => x.value >= 0 || x === errors);
    // An unreadable page clears nothing, unless our calls to the vendor are measured healthy and our
    // own change or code path explains the errors: then the vendor's page had nothing to tell us.
    const measuredClear =
      callsMeasuredHealthy(stats) && shared.some((x) => x.value < 0 && (x === own || x.name === 'internal'));
    // Nor when our calls to it are refused as the caller's fault (4xx, limits against our surge) and
    // another service of ours calls it fine meanwhile, or our change explains them.
    const callerClear =
      clientDominated(stats) &&
      (stats.quietPeers.length > 0 || shared.some((x) => x.name === 'internal' && x.veto === true));
    const cleared = measuredClear || callerClear;
    const floor = blind && !cleared ? SCORING.blindFloor : unexplained ? SCORING.risingFloor : 0;
    out.push({
      rank: 2,
      candidate: {
        vendor,
        confidence: Math.max(floor, confidence),
        evidence: [
          blind ?? `no ${vendor} incident or suspected issue is known at ${utc(ctx.now, ctx.start)}`,
          ...(blind && measuredClear
            ? [
                `our calls to ${vendor} were measured healthy all along and our own side explains the errors: its unreadable page hides nothing that reached us`,
              ]
            : blind && callerClear
              ? [
                  `our calls to ${vendor} are refused for the caller's fault${stats.quietPeers.length > 0 ? ` while ${list(stats.quietPeers.map((p) => p.service))} ${stats.quietPeers.length === 1 ? 'calls' : 'call'} it fine` : ''}: its unreadable page does not make that ${vendor}'s`,
                ]
              : []),
          ...shared.map((s) => s.evidence),
          ...(unexplained && !blind && confidence < floor
            ? [
                `our errors on ${vendor} rose and nothing of ours explains them: ${vendor} can be neither blamed nor cleared`,
              ]
            : []),
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
  // A vendor we could not read and that the service may call is a candidate we cannot clear.
  if (!spec) for (const b of input.blind) add(b.vendor);
  return vendors;
}

function verdictOf(top: Candidate | undefined, configured: boolean): Verdict {
  if (top && top.confidence >= SCORING.upstreamAt) return 'upstream';
  // Without the service in the config we do not know its vendors, so we cannot clear them.
  if (!top || top.confidence <= SCORING.internalAt) return configured ? 'internal' : 'unclear';
  return 'unclear';
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
    input.calls.filter((c) => c.minute <= nowMinute),
  );
  const spec = input.service ?? input.services.find((s) => s.name === incident.service);
  const changes = recentChanges(
    input.changes.filter((c) => Date.parse(c.at) <= now),
    incident.service,
    start,
  );
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
  const ctx: Context = {
    now,
    start,
    ours: { start, end, resolved },
    index,
    service: incident.service,
    spec,
    incidentRegions: incident.regions,
    changes,
    commonMode: commonModeOf(
      index,
      incident.service,
      spec?.dependsOn.map((d) => d.vendor) ?? [],
      changes.length > 0,
    ),
    blind: blindSpans(input.blind, now, window.from * MINUTE, end),
    services: input.services,
    others: [
      ...vendorIncidents,
      ...input.related.filter((v) => Date.parse(v.postedAt) <= now && Date.parse(v.startedAt) <= end + reach),
    ],
  };

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
  const verdict = verdictOf(top, spec !== undefined);
  return { id: incident.id, verdict, candidates, notes: notesFor(verdict, top, ctx) };
}

/** Spans known at `now` that overlap [from, to], per vendor key, oldest first. */
function blindSpans(spans: readonly BlindSpan[], now: number, from: number, to: number): Context['blind'] {
  const out: Context['blind'] = new Map();
  for (const b of blindSpansKnownAt(spans, now, from)) {
    const since = Date.parse(b.since);
    if (since > to) continue;
    const key = vendorKey(b.vendor);
    out.set(key, [
      ...(out.get(key) ?? []),
      { since, until: b.until === null ? null : Date.parse(b.until), reason: b.reason },
    ]);
  }
  return out;
}

function notesFor(verdict: Verdict, top: Candidate | undefined, ctx: Context): string[] {
  const notes: string[] = [];
  if (!ctx.spec) {
    notes.push(
      `${ctx.service} is not in the config: we do not know which vendors it calls, so none can be cleared; add it under services with its dependsOn`,
    );
  }
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

import { blindSpansKnownAt } from '../correlate/blind-spans.js';
import { list, quote, rate, regionName, utc, utcRange } from '../correlate/evidence.js';
import { suspectKnownAt, vendorIncidentKnownAt } from '../correlate/known-at.js';
import {
  callsHealthy,
  componentSignal,
  ourRegions,
  regionSignal,
  RULES,
  statedWindow,
  untaggedSignal,
  vendorKey,
  type ErrorIndex,
  type OurRegion,
} from '../correlate/signals.js';
import type { BlindSpan, ServiceSpec, SuspectedIssue } from '../correlate/types.js';
import type { Suspect } from '../detect/suspect.js';
import type { VendorIncident } from '../model.js';
import { regionOverlap } from '../regions/overlap.js';
import {
  commonModeSentence,
  networkCommonMode,
  servicesFor,
  spikeConfirmed,
  vendorImpact,
  type VendorImpact,
} from './impact.js';
import { ourErrorsOf } from './our-errors.js';
import { declaredBy } from './spec-index.js';
import type { ResolvedCheckQuery } from './query.js';
import { vendorSummary } from './sentences.js';
import type { Freshness, VendorCheck, VendorVerdict } from './types.js';

/*
 * The verdict on one vendor for the support check. Pure. The rules, in order:
 *
 * 1. A vendor incident (not maintenance, impact not 'none') that covers `at` and our region (or names
 *    none), on a component we use (or names none), and that our errors confirm — a spike of errors
 *    naming the vendor, a rise, a stored suspected issue, or untagged 5xx/timeouts of a service that
 *    depends on it rising as the incident began — is `vendor-incident`.
 * 2. Our errors on it spiking (a suspected issue the detector stored, or our own reading: a confirmed
 *    spike) with no such incident is `vendor-suspected`: unless the spike is one service's alone while
 *    other services call it fine in the same region, or every vendor fails at once with timeouts (us).
 * 3. We cannot read its page now (open blind span, no good read for `staleAfterMs`, never read, not
 *    watched) and have nothing of the above: `vendor-unknown`, never clear. So is a vendor we have
 *    no record of calling (no call volume, no error naming it): there is no baseline to be at.
 * 4. The vendor reports trouble (an incident elsewhere, on components we do not use, maintenance, impact
 *    'none', or a covering incident our calls do not feel) and our calls are at baseline:
 *    `vendor-degraded-no-impact`.
 * 5. Otherwise `vendor-clear`: no incident, our calls at baseline (or our errors say the caller is wrong).
 */

const MINUTE = 60_000;
const terminalWords = /resolved|completed|postmortem/i;

/** What we know of the vendor's page: poll health as stored. */
export interface PageState {
  state: string;
  lastSuccessAt: string | null;
  /** Start of the blind span still open; null while the page reads. */
  blindSince: string | null;
  blindReason: string | null;
  lastErrorMessage: string | null;
}

/** Failures of the customer asked about, as the per-customer store returns them. */
export interface CustomerFailureRow {
  minute: number;
  service: string;
  vendor: string;
  region: string;
  count: number;
}

/** Everything known about one vendor. */
export interface VendorFacts {
  vendor: string;
  name: string;
  watched: boolean;
  /** Its stored incidents around `at` (cut to what was known at `now` here). */
  incidents: readonly VendorIncident[];
  suspects: readonly Suspect[];
  blind: readonly BlindSpan[];
  /** Null when never polled (or not watched). */
  page: PageState | null;
  /** Null when no customer was asked about. */
  customer: { id: string; failures: readonly CustomerFailureRow[] } | null;
}

/** What every vendor's judgement shares. */
export interface JudgeContext {
  now: number;
  query: ResolvedCheckQuery;
  index: ErrorIndex;
  specs: readonly ServiceSpec[];
  /** A page not read successfully for this long is stale. */
  staleAfterMs: number;
  /**
   * Our errors indexed from a vendor incident's start (its lead and baseline before it), for an
   * incident that began before the check's window: an outage running for hours has raised the hour
   * before `at` too, so only the hour before the incident is a baseline. Null when not read.
   */
  indexSince?: (startMs: number) => ErrorIndex | null;
}

/** Per stored incident list: when each incident closed (resolved, or its maintenance ended); Infinity while open. */
const closings = new WeakMap<readonly VendorIncident[], { ends: number[]; latest: number }>();

function closingsOf(list: readonly VendorIncident[]): { ends: number[]; latest: number } {
  let hit = closings.get(list);
  if (!hit) {
    const ends = list.map((v) => {
      const text = v.resolvedAt ?? (v.kind === 'maintenance' ? (v.scheduledUntil ?? null) : null);
      return text === null ? Infinity : Date.parse(text);
    });
    hit = { ends, latest: ends.reduce((a, b) => Math.max(a, b), -Infinity) };
    closings.set(list, hit);
  }
  return hit;
}

/**
 * The stored incidents that may cover `at` as known at `now`: one that had closed by `now` and before
 * `at` (less the edge slack) cannot, whatever its updates say, so it is not cut to `now` nor read.
 * The lists are the cache's own between requests, so their closings are read once.
 */
export function mayCover(
  list: readonly VendorIncident[],
  at: number,
  now: number,
): readonly VendorIncident[] {
  if (list.length === 0) return list;
  const cutoff = at - RULES.edgeMinutes * MINUTE;
  const { ends, latest } = closingsOf(list);
  const gone = (end: number) => end <= now && end < cutoff;
  if (gone(latest)) return [];
  return list.filter((_, i) => !gone(ends[i]!));
}

/** When a real vendor incident covering `at` began, if before the check's window (see JudgeContext.indexSince). */
export function earlyIncidentStart(
  incidents: readonly VendorIncident[],
  at: number,
  now: number,
  window: { from: number; to: number },
): number | null {
  let earliest: number | null = null;
  for (const stored of mayCover(incidents, at, now)) {
    const v = vendorIncidentKnownAt(stored, now);
    if (!v || v.kind !== 'incident' || v.impact === 'none') continue;
    if (!coversTime(v, at, window.to * MINUTE + MINUTE - 1)) continue;
    const start = Date.parse(v.startedAt);
    if (start - RULES.leadMinutes * MINUTE < window.from * MINUTE && (earliest === null || start < earliest))
      earliest = start;
  }
  return earliest;
}

interface Covering {
  incident: VendorIncident;
  sentences: string[];
  /** Our errors confirm it (rule 1). */
  confirmed: boolean;
  how: 'errors' | 'untagged' | 'suspect' | null;
}

/** Whether a vendor incident spans `at` (with the scorer's edge slack), as known at `now`. */
export function coversTime(v: VendorIncident, at: number, windowEnd: number): boolean {
  const endText = v.resolvedAt ?? (v.kind === 'maintenance' ? (v.scheduledUntil ?? null) : null);
  const end = endText === null ? Infinity : Date.parse(endText);
  if (end < at - RULES.edgeMinutes * MINUTE) return false;
  const posted = Math.min(Date.parse(v.scheduledFor ?? v.startedAt), Date.parse(v.startedAt));
  if (posted <= windowEnd) return true;
  // Only then the times stated in its updates (prose parsing, the costly part) can move its start.
  const stated = v.kind === 'incident' ? statedWindow(v) : null;
  return (stated?.from ?? Infinity) <= windowEnd;
}

function regionsFor(ctx: JudgeContext, impact: VendorImpact): OurRegion[] {
  if (ctx.query.regions.length > 0)
    return ctx.query.regions.map((id) => ({ id, label: ctx.query.region ?? regionName(id) }));
  const fromErrors = ourRegions(impact.lead?.regions ?? []);
  if (fromErrors.length > 0) return fromErrors;
  const specs = ctx.query.service ? ctx.specs.filter((s) => s.name === ctx.query.service) : [];
  return ourRegions(specs.flatMap((s) => s.regions));
}

function freshnessOf(ctx: JudgeContext, facts: VendorFacts): Freshness & { since: number | null } {
  const page = facts.page;
  const lastReadAt = page?.lastSuccessAt ?? null;
  const age =
    lastReadAt === null ? null : Math.max(0, Math.round((ctx.now - Date.parse(lastReadAt)) / MINUTE));
  const open = page?.blindSince ?? null;
  const stale =
    !facts.watched ||
    page === null ||
    lastReadAt === null ||
    open !== null ||
    ctx.now - Date.parse(lastReadAt) > ctx.staleAfterMs;
  const reason =
    open !== null
      ? (page?.blindReason ?? page?.lastErrorMessage ?? 'unreadable')
      : stale && page
        ? (page.lastErrorMessage ?? null)
        : null;
  return {
    lastReadAt,
    ageMinutes: age,
    stale,
    blindReason: stale ? (reason ?? (facts.watched ? 'not polled yet' : 'not watched')) : null,
    since: open !== null ? Date.parse(open) : null,
  };
}

function staleSentence(
  name: string,
  f: Freshness & { since: number | null },
  watched: boolean,
  at: number,
): string {
  if (!watched)
    return `we do not watch ${name}'s status page (it is not in the config's vendors), so we do not know what ${name} reports`;
  if (f.lastReadAt === null)
    return `we have never read ${name}'s status page (${f.blindReason ?? 'not polled yet'}), so we do not know what ${name} reports`;
  const since = f.since ?? Date.parse(f.lastReadAt);
  return `we cannot read ${name}'s status page since ${utc(since, at)} (${f.blindReason ?? 'no good read since'}; last good read ${utc(Date.parse(f.lastReadAt), at)}): what ${name} posted since is unknown to us, so its silence clears nothing`;
}

function blindInWindowSentence(name: string, spans: readonly BlindSpan[], at: number): string | null {
  const closed = spans.filter((s) => s.until !== null);
  const last = closed.at(-1);
  if (!last || last.until === null) return null;
  return `we could not read ${name}'s status page ${utcRange(Date.parse(last.since), Date.parse(last.until), at)} (${last.reason}); we have read it since`;
}

function impactWord(v: VendorIncident): string {
  if (v.kind === 'maintenance') return 'maintenance';
  return v.impact === 'unknown' ? 'an incident' : `a ${v.impact} incident`;
}

/** Judges one vendor (see the rules at the top of this file). */
export function judgeVendor(ctx: JudgeContext, facts: VendorFacts): VendorCheck {
  const { query, index } = ctx;
  const at = query.at;
  const windowEnd = index.window.to * MINUTE + MINUTE - 1;
  const name = facts.name;
  const services = servicesFor(index, facts.vendor, query.service, ctx.specs);
  let impact = vendorImpact(index, facts.vendor, services, ctx.specs, name);
  if (impact.level !== 'spike' && ctx.indexSince) {
    // An incident running since before the window: judge our errors from its start instead.
    const start = earlyIncidentStart(facts.incidents, at, ctx.now, index.window);
    const since = start === null ? null : ctx.indexSince(start);
    if (since) {
      const longer = vendorImpact(since, facts.vendor, services, ctx.specs, name);
      if (longer.level === 'spike' || (longer.level === 'rise' && impact.level !== 'rise')) impact = longer;
    }
  }
  const regions = regionsFor(ctx, impact);
  const freshness = freshnessOf(ctx, facts);
  const networkUs = networkCommonMode(impact.commonMode);
  const evidence: string[] = [];
  const where = query.region ? ` in ${query.region}` : '';
  const from = query.service ?? 'any of our services';

  // Vendor incidents around `at`, as known now.
  const known = mayCover(facts.incidents, at, ctx.now)
    .flatMap((v) => vendorIncidentKnownAt(v, ctx.now) ?? [])
    .filter((v) => coversTime(v, at, windowEnd))
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  const suspects = facts.suspects
    .flatMap((s) => suspectKnownAt(s, ctx.now) ?? [])
    .filter(
      (s) =>
        Date.parse(s.since) <= windowEnd &&
        (s.closedAt === null || Date.parse(s.closedAt) >= index.window.from * MINUTE) &&
        (query.service === null || s.services.includes(query.service)) &&
        (regions.length === 0 ||
          !s.region ||
          regionOverlap(
            [s.region],
            regions.map((r) => r.id),
          ).relation !== 'disjoint'),
    );
  const suspect: SuspectedIssue | null = suspects[0] ?? null;
  const declared = declaredBy(ctx.specs, facts.vendor);
  const wanted = declared.dependencies
    .filter((d) => services.includes(d.spec.name))
    .flatMap((d) => d.components);
  const declaring = declared.specs.filter((s) => services.includes(s.name));

  const covering: Covering[] = [];
  const notices: { incident: VendorIncident; why: string }[] = [];
  for (const v of known) {
    const text = [v.title, ...v.updates.map((u) => u.body)].join('\n');
    const healthy = impact.stats.some((s) => callsHealthy(s)) && impact.level !== 'spike';
    const region = regionSignal(name, v.regions, regions, {
      evidence: v.regionEvidence,
      text,
      callsHealthy: healthy,
    });
    const strong = impact.level === 'spike' || suspect !== null;
    const component = componentSignal(name, v.components, wanted, strong);
    const relation = region.overlap.relation;
    const elsewhere = relation === 'disjoint' && !(region.scope === 'infrastructure' && strong);
    if (v.kind === 'maintenance' || v.impact === 'none') {
      notices.push({
        incident: v,
        why: `${name} ${v.kind === 'maintenance' ? 'announced maintenance' : "rates its incident's impact 'none'"}: ${quote(v.title)}, ${utcRange(Date.parse(v.startedAt), v.resolvedAt ? Date.parse(v.resolvedAt) : null, at)}`,
      });
      continue;
    }
    if (elsewhere || component.veto) {
      notices.push({
        incident: v,
        why: `${name} reports ${impactWord(v)} ${quote(v.title)} ${utcRange(Date.parse(v.startedAt), v.resolvedAt ? Date.parse(v.resolvedAt) : null, at)}, but ${elsewhere ? region.evidence : component.evidence}`,
      });
      continue;
    }
    const sentences = [
      `${name} reports ${impactWord(v)} ${quote(v.title)} ${utcRange(Date.parse(v.startedAt), v.resolvedAt ? Date.parse(v.resolvedAt) : null, at)}${v.resolvedAt === null && !terminalWords.test(v.status) ? ` (${v.status})` : ''}, posted ${utc(Date.parse(v.postedAt), at)}`,
      region.evidence,
    ];
    if (v.components.length > 0) sentences.push(component.evidence);
    let how: Covering['how'] = null;
    if (impact.level === 'spike' || impact.level === 'rise') how = 'errors';
    else if (suspect !== null) how = 'suspect';
    else {
      // Errors naming no vendor, from a service that depends on this one, rising as it began.
      for (const spec of declaring) {
        const stats = impact.stats.find((s) => s.service === spec.name);
        if (!stats) continue;
        const u = untaggedSignal({ ...stats, vendor: name }, { ...v, vendor: name }, relation);
        if (u && u.value >= 0.2) {
          how = 'untagged';
          sentences.push(u.evidence);
          break;
        }
      }
    }
    covering.push({ incident: v, sentences, confirmed: how !== null && !networkUs, how });
  }

  // The verdict.
  let verdict: VendorVerdict;
  const confirmed = covering.find((c) => c.confirmed) ?? null;
  const particular = impact.level === 'spike' && suspect === null && impact.quietPeers.length > 0;
  if (confirmed) verdict = 'vendor-incident';
  else if ((impact.level === 'spike' || suspect !== null) && !networkUs && !particular)
    verdict = 'vendor-suspected';
  else if (freshness.stale) verdict = 'vendor-unknown';
  else if (impact.level === 'none') verdict = 'vendor-unknown';
  else if (covering.length > 0 || notices.length > 0) verdict = 'vendor-degraded-no-impact';
  else verdict = 'vendor-clear';

  // Evidence: the vendor's side, freshness, then ours.
  if (freshness.stale) evidence.push(staleSentence(name, freshness, facts.watched, at));
  else {
    const inWindow = blindInWindowSentence(
      name,
      blindSpansKnownAt(facts.blind, ctx.now, index.window.from * MINUTE),
      at,
    );
    if (inWindow) evidence.push(inWindow);
  }
  for (const c of covering) evidence.push(...c.sentences);
  for (const n of notices) evidence.push(n.why);
  if (covering.length === 0 && notices.length === 0 && !freshness.stale)
    evidence.push(
      `${name} reports no incident covering ${utc(at)}${facts.page?.lastSuccessAt ? ` (page last read ${utc(Date.parse(facts.page.lastSuccessAt), at)})` : ''}`,
    );
  if (suspect) {
    const lag =
      suspect.ackLagMinutes !== undefined ? `; ${name} posted ${suspect.ackLagMinutes} min after` : '';
    evidence.push(
      `our errors flagged ${name}${suspect.region ? ` in ${regionName(suspect.region)}` : ''} since ${utc(Date.parse(suspect.since), at)}${suspect.closedAt ? ` until ${utc(Date.parse(suspect.closedAt), at)}` : ''}: ${rate(suspect.ratePerMin)} vs a baseline of ${rate(suspect.baselinePerMin)} from ${list(suspect.services)}${lag}`,
    );
  }
  if (impact.sentence) evidence.push(impact.sentence);
  else if (impact.level === 'none')
    evidence.push(
      `we have no record of calls to ${name} from ${from}${where} (no error names it and no call counts are sent)`,
    );
  if (impact.servicesHit.length > 1)
    evidence.push(`${impact.servicesHit.length} of our services hit: ${list(impact.servicesHit)}`);
  if (particular) {
    const lead = impact.lead?.service ?? from;
    evidence.push(
      `calls to ${name} from ${list(impact.quietPeers)} stay at baseline in the same minutes: the failure is particular to ${lead}, not ${name}`,
    );
  }
  if (impact.commonMode) evidence.push(commonModeSentence(impact.commonMode));

  const ourErrors = ourErrorsOf(index, facts.vendor, impact);
  const customer = facts.customer ? customerOf(facts, services, regions, index) : null;
  if (customer) evidence.push(customer.sentence);

  const summary = vendorSummary({
    name,
    verdict,
    at,
    now: ctx.now,
    region: query.region,
    service: query.service,
    incident: confirmed?.incident ?? covering[0]?.incident ?? null,
    notice: notices[0]?.incident ?? null,
    noticeElsewhere: notices[0]
      ? notices[0].incident.kind === 'incident' && notices[0].incident.impact !== 'none'
      : false,
    confirmedBy: confirmed?.how ?? null,
    suspect,
    impact,
    ourErrors,
    freshness,
    watched: facts.watched,
    particular,
    networkUs,
    customer: customer ? { id: customer.id, failures: customer.failures } : null,
  });

  return {
    vendor: facts.vendor,
    name,
    verdict,
    summary,
    score: scoreOf(verdict, impact, covering.length > 0, ourErrors.ratePerMin),
    incidents: [...covering.map((c) => c.incident), ...notices.map((n) => n.incident)].map((v) => ({
      id: v.id,
      title: v.title,
      impact: v.kind === 'maintenance' ? 'maintenance' : v.impact,
      status: v.status,
      startedAt: v.startedAt,
      resolvedAt: v.resolvedAt,
      ...(v.url ? { url: v.url } : {}),
      regions: v.regions,
    })),
    suspect: suspect
      ? {
          id: suspect.id,
          region: suspect.region,
          since: suspect.since,
          closedAt: suspect.closedAt,
          ackLagMinutes: suspect.ackLagMinutes ?? null,
        }
      : null,
    ourErrors,
    customer: customer
      ? { id: customer.id, failures: customer.failures, firstAt: customer.firstAt, lastAt: customer.lastAt }
      : null,
    freshness: {
      lastReadAt: freshness.lastReadAt,
      ageMinutes: freshness.ageMinutes,
      stale: freshness.stale,
      blindReason: freshness.blindReason,
    },
    evidence,
  };
}

const BASE: Record<VendorVerdict, number> = {
  'vendor-incident': 0.8,
  'vendor-suspected': 0.6,
  'vendor-unknown': 0.35,
  'vendor-degraded-no-impact': 0.2,
  'vendor-clear': 0,
};

/** 0..1 for ranking within and across verdicts: the verdict's band, then how strong our errors are. */
function scoreOf(verdict: VendorVerdict, impact: VendorImpact, reported: boolean, perMin: number): number {
  const lead = impact.lead;
  const strength =
    lead && spikeConfirmed(lead) ? Math.min(1, lead.pointing.ratio / 50) : impact.level === 'rise' ? 0.3 : 0;
  const extra = (reported ? 0.05 : 0) + Math.min(0.05, perMin / 1000);
  return Math.round(Math.min(1, BASE[verdict] + 0.1 * strength + extra) * 100) / 100;
}

/** The asked customer's failures on this vendor in the window (and untagged ones of services depending on it). */
function customerOf(
  facts: VendorFacts,
  services: readonly string[],
  regions: readonly OurRegion[],
  index: ErrorIndex,
) {
  const c = facts.customer!;
  const key = vendorKey(facts.vendor);
  const nameKey = vendorKey(facts.name);
  const ids = regions.map((r) => r.id);
  const inRegion = (label: string) =>
    ids.length === 0 ||
    !label ||
    regionOverlap(
      ourRegions([label]).map((r) => r.id),
      ids,
    ).relation !== 'disjoint';
  const rows = c.failures.filter(
    (f) =>
      f.minute >= index.window.from &&
      f.minute <= index.window.to &&
      (vendorKey(f.vendor) === key || vendorKey(f.vendor) === nameKey) &&
      (services.length === 0 || services.includes(f.service)) &&
      inRegion(f.region),
  );
  const failures = rows.reduce((sum, f) => sum + f.count, 0);
  const minutes = rows.map((f) => f.minute).sort((a, b) => a - b);
  const firstAt = minutes.length > 0 ? new Date(minutes[0]! * MINUTE).toISOString() : null;
  const lastAt = minutes.length > 0 ? new Date(minutes.at(-1)! * MINUTE).toISOString() : null;
  const span = utcRange(index.window.from * MINUTE, index.window.to * MINUTE + MINUTE);
  const sentence =
    failures > 0
      ? `${c.id}'s requests to ${facts.name} failed ${failures} time${failures === 1 ? '' : 's'} between ${utc(minutes[0]! * MINUTE)} and ${utc(minutes.at(-1)! * MINUTE + MINUTE)}`
      : `no failed request of ${c.id} to ${facts.name} is recorded in ${span}`;
  return { id: c.id, failures, firstAt, lastAt, sentence };
}

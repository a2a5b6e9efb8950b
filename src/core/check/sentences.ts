import { list, percentFine, quote, rate, utc } from '../correlate/evidence.js';
import type { SuspectedIssue } from '../correlate/types.js';
import type { VendorIncident } from '../model.js';
import type { VendorImpact } from './impact.js';
import type { Freshness, OurErrors, VendorCheck, VendorVerdict } from './types.js';

/*
 * The one sentence an agent pastes to a customer: what the vendor says, what our calls to it show,
 * and what that means. Numbers in, jargon out; times in UTC.
 */

export interface SummaryFacts {
  name: string;
  verdict: VendorVerdict;
  at: number;
  now: number;
  region: string | null;
  service: string | null;
  /** The covering incident (confirmed first), if any. */
  incident: VendorIncident | null;
  /** The first notice (maintenance, 'none', elsewhere, other components), if any. */
  notice: VendorIncident | null;
  noticeElsewhere: boolean;
  confirmedBy: 'errors' | 'untagged' | 'suspect' | null;
  suspect: SuspectedIssue | null;
  impact: VendorImpact;
  ourErrors: OurErrors;
  freshness: Freshness & { since: number | null };
  watched: boolean;
  particular: boolean;
  networkUs: boolean;
  customer: { id: string; failures: number } | null;
}

const MINUTE = 60_000;

function incidentPhrase(v: VendorIncident, f: SummaryFacts): string {
  const what =
    v.kind === 'maintenance'
      ? 'maintenance'
      : `${v.impact === 'unknown' ? 'an' : `a ${v.impact}`} ${v.impact === 'critical' || v.impact === 'major' ? 'outage' : 'incident'}`;
  const region = f.region ? ` affecting ${f.region}` : '';
  const start = Date.parse(v.startedAt);
  const when =
    v.resolvedAt === null || Date.parse(v.resolvedAt) > f.now
      ? `since ${utc(start, f.now)}`
      : `from ${utc(start, f.now)} to ${utc(Date.parse(v.resolvedAt), f.now)}`;
  return `${f.name} has reported ${what} (${quote(v.title, 80)})${region} ${when}`;
}

function ourCalls(f: SummaryFacts): string {
  const e = f.ourErrors;
  const hit = f.impact.servicesHit.length > 1 ? ` across ${f.impact.servicesHit.length} of our services` : '';
  switch (f.impact.level) {
    case 'spike':
      return `our failed calls to it rose from ${rate(e.baselinePerMin)} to ${rate(e.ratePerMin)}${hit}`;
    case 'rise':
      return `our failed calls to it are up a little (${rate(e.ratePerMin)} vs ${rate(e.baselinePerMin)} before)`;
    case 'client': {
      const codes = f.impact.lead?.clientCodes.slice(0, 2) ?? [];
      return `our errors on it are client errors${codes.length > 0 ? ` (${list(codes)})` : ''}, which say our request was wrong, not ${f.name}`;
    }
    case 'healthy': {
      const ratio = e.failureRatio !== null ? `, ${percentFine(e.failureRatio)} of calls` : '';
      return `our calls to it are at their usual error level (${rate(e.ratePerMin)}${ratio})`;
    }
    case 'none':
      return `we have no record of calls to ${f.name} from ${f.service ?? 'any of our services'}`;
  }
}

function staleClause(f: SummaryFacts): string {
  if (!f.watched) return `we do not watch ${f.name}'s status page`;
  if (f.freshness.lastReadAt === null) return `we have never read ${f.name}'s status page`;
  const since = f.freshness.since ?? Date.parse(f.freshness.lastReadAt);
  return `we cannot read ${f.name}'s status page since ${utc(since, f.now)} (${f.freshness.blindReason ?? 'no good read'})`;
}

function customerClause(f: SummaryFacts): string {
  if (!f.customer) return '';
  return f.customer.failures > 0
    ? `, and ${f.customer.id}'s requests to it failed ${f.customer.failures} time${f.customer.failures === 1 ? '' : 's'} around then`
    : `; no failed request of ${f.customer.id} to it is recorded around then`;
}

/** One plain sentence for one vendor. */
export function vendorSummary(f: SummaryFacts): string {
  const text = sentence(f);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sentence(f: SummaryFacts): string {
  const where = f.region ? ` in ${f.region}` : '';
  switch (f.verdict) {
    case 'vendor-incident': {
      const v = f.incident!;
      const ours =
        f.confirmedBy === 'untagged'
          ? `our errors rose as it began`
          : f.confirmedBy === 'suspect' && f.suspect
            ? `our errors flagged it at ${utc(Date.parse(f.suspect.since), f.now)}`
            : ourCalls(f);
      return `${incidentPhrase(v, f)} and ${ours}${customerClause(f)} — this is very likely ${f.name}'s problem.`;
    }
    case 'vendor-suspected': {
      const since =
        f.suspect !== null
          ? ` since ${utc(Date.parse(f.suspect.since), f.now)}`
          : f.impact.lead?.pointing.firstSpike != null
            ? ` since ${utc(f.impact.lead.pointing.firstSpike * MINUTE, f.now)}`
            : '';
      const vendorSide = f.freshness.stale ? staleClause(f) : `${f.name} has posted nothing yet`;
      const ours =
        f.impact.level === 'spike'
          ? `${ourCalls(f)}${where}${since}`
          : `our errors on it spiked${where}${since} (${rate(f.suspect?.ratePerMin ?? 0)} vs ${rate(f.suspect?.baselinePerMin ?? 0)})`;
      return `${vendorSide}, but ${ours}${customerClause(f)} — ${f.name} is the likely cause, not yet confirmed by ${f.name}.`;
    }
    case 'vendor-unknown': {
      if (f.freshness.stale) {
        const ours = f.impact.level === 'none' ? `and ${ourCalls(f)}${where}` : `; ${ourCalls(f)}${where}`;
        return `We do not know whether ${f.name} is at fault: ${staleClause(f)}${ours.startsWith(';') ? '' : ' '}${ours}${customerClause(f)}.`;
      }
      const vendorSide = f.incident ? incidentPhrase(f.incident, f) : `${f.name} reports no incident`;
      return `${vendorSide}, but ${ourCalls(f)}${where}, so we cannot tell whether it affects us${customerClause(f)}.`;
    }
    case 'vendor-degraded-no-impact': {
      const v = f.incident ?? f.notice!;
      const vendorSide = f.incident
        ? incidentPhrase(v, f)
        : f.noticeElsewhere
          ? `${f.name} reports ${v.impact === 'unknown' ? 'an' : `a ${v.impact}`} incident (${quote(v.title, 80)}) that does not cover${f.region ? ` ${f.region}` : ' us'}`
          : v.kind === 'maintenance'
            ? `${f.name} has maintenance under way (${quote(v.title, 80)})`
            : `${f.name} reports an incident with no impact (${quote(v.title, 80)})`;
      const tail = f.networkUs
        ? ' — but calls to several vendors fail at once, so the common factor is us; look at our network'
        : ` — it is not affecting us${where}; look elsewhere`;
      return `${vendorSide}, but ${ourCalls(f)}${customerClause(f)}${tail}.`;
    }
    case 'vendor-clear': {
      if (f.particular)
        return `${f.name} reports no incident and only ${f.impact.lead?.service ?? 'one service'}'s calls to it fail while ${list(f.impact.quietPeers)} call it fine — look at ${f.impact.lead?.service ?? 'that service'}, not ${f.name}.`;
      if (f.networkUs)
        return `${f.name} reports no incident; our calls to several vendors fail at once, mostly timeouts — the common factor is us (network, DNS), not ${f.name}.`;
      const caveat = f.impact.level === 'rise' ? ', not enough to suspect it' : '';
      return `${f.name} reports no incident and ${ourCalls(f)}${where}${caveat}${customerClause(f)} — look elsewhere.`;
    }
  }
}

/** One sentence for the whole answer: the top vendor's when it is blamed or alone, else a roll-up. */
export function answerSummary(
  vendors: readonly VendorCheck[],
  context: { service: string | null; at: number; now: number },
): string {
  const top = vendors[0];
  if (!top) {
    return context.service
      ? `${context.service} depends on no watched vendor and its errors name none around ${utc(context.at, context.now)}: the cause is not a vendor we know of — look at ${context.service} itself.`
      : `No vendor is watched and none of our errors name one around ${utc(context.at, context.now)}.`;
  }
  if (vendors.length === 1 || top.verdict === 'vendor-incident' || top.verdict === 'vendor-suspected') {
    const others = vendors.filter(
      (v) => v !== top && (v.verdict === 'vendor-incident' || v.verdict === 'vendor-suspected'),
    );
    return others.length > 0
      ? `${top.summary.replace(/\.$/, '')} (also: ${list(others.map((v) => `${v.name} ${v.verdict.replace('vendor-', '')}`))}).`
      : top.summary;
  }
  const of = context.service
    ? `the ${vendors.length} vendors ${context.service} depends on`
    : `the ${vendors.length} vendors checked`;
  const unknown = vendors.filter((v) => v.verdict === 'vendor-unknown');
  const stale = unknown.filter((v) => v.freshness.stale).map((v) => v.name);
  const noData = unknown.filter((v) => !v.freshness.stale).map((v) => v.name);
  const degraded = vendors.filter((v) => v.verdict === 'vendor-degraded-no-impact').map((v) => v.name);
  const parts = [`None of ${of} is at fault by what we see at ${utc(context.at, context.now)}`];
  if (degraded.length > 0)
    parts.push(
      `${list(degraded)} report${degraded.length === 1 ? 's' : ''} trouble but our calls to ${degraded.length === 1 ? 'it' : 'them'} are at their usual error level`,
    );
  if (stale.length > 0) parts.push(`we cannot read the status page of ${list(stale)}`);
  if (noData.length > 0) parts.push(`we have no record of calls to ${list(noData)}`);
  const tail = unknown.length === 0 ? ' — look elsewhere.' : ', so those cannot be cleared.';
  return `${parts.join('; ')}${tail}`;
}

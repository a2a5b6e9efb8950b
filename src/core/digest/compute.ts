import type { InternalIncident } from '../contracts.js';
import { vendorKey } from '../correlate/signal-shared.js';
import type { BlindSpan, Candidate, Verdict } from '../correlate/types.js';
import type { Suspect } from '../detect/suspect.js';
import type { VendorIncident } from '../model.js';
import {
  attributableWindows,
  blindMinutesIn,
  incidentMinutesIn,
  median,
  ranIn,
  rawFigures,
  round1,
  type CallsRow,
  type ErrorRow,
  type RawFigures,
  type Stretch,
  type VendorData,
} from './figures.js';
import { addDays, dayIn, localMidnight } from './period.js';
import { riskScore, riskTrend } from './risk.js';
import {
  riskFormulaText,
  type AckCase,
  type Digest,
  type DigestPeriod,
  type VendorDigest,
  type VendorFigures,
} from './types.js';

export type StretchName = 'period' | 'previous7' | 'previous30';

/** One watched vendor's data, as the store gathers it for the 30 days before the period and the period. */
export interface DigestVendorInput {
  id: string;
  name: string;
  /** Its status page. */
  url: string;
  /** Its incidents and maintenance (any that may overlap the stretches; the rest are ignored). */
  incidents: readonly VendorIncident[];
  /** Our failed calls to it per minute, service and error class (client errors included; left out here). */
  errors: readonly ErrorRow[];
  /** Our call volume to it per minute and service. */
  calls: readonly CallsRow[];
  /** Distinct customers whose calls to it failed, per stretch (a HyperLogLog union); null when none was named. */
  customers: Record<StretchName, number | null>;
  /** Spans its page could not be read. */
  blindSpans: readonly BlindSpan[];
}

/** One of our incidents with its latest annotation (null when it has none). */
export interface OurIncidentInput {
  incident: Pick<InternalIncident, 'id' | 'title' | 'service' | 'startedAt' | 'resolvedAt'>;
  annotation: { verdict: Verdict; candidates: readonly Candidate[] } | null;
}

/**
 * Everything the digest is computed from, as the store gathers it (src/store/digest.ts). Vendor
 * incidents, errors and blind spans come per vendor; our incidents and suspects come once and are
 * matched to vendors here (vendor ids compared without case, as the correlator does).
 */
export interface DigestInput {
  period: DigestPeriod;
  /** When the digest is made (ISO): open incidents, suspects and blind spans run until then. */
  now: string;
  vendors: readonly DigestVendorInput[];
  ourIncidents: readonly OurIncidentInput[];
  suspects: readonly Suspect[];
  /** The console's base URL, without a trailing slash; null when not configured. */
  consoleUrl: string | null;
  /** How long error data is kept (config ingest.retention). */
  retentionMs: number;
}

/** The period and the 7 and 30 whole local days before it, as [from, to) epoch ms. */
export function digestStretches(period: DigestPeriod): Record<StretchName, Stretch> {
  const from = Date.parse(period.from);
  return {
    period: { from, to: Date.parse(period.to) },
    previous7: { from: localMidnight(addDays(period.firstDay, -7), period.timeZone), to: from },
    previous30: { from: localMidnight(addDays(period.firstDay, -30), period.timeZone), to: from },
  };
}

/** The explained-incident rows of one vendor, with the explanation's top candidate. */
interface Explained {
  incident: OurIncidentInput['incident'];
  top: Candidate;
}

/** Our incidents whose latest annotation says upstream, with `vendor` as the top candidate. */
function explainedBy(vendor: DigestVendorInput, ours: readonly OurIncidentInput[]): Explained[] {
  const key = vendorKey(vendor.id);
  return ours.flatMap(({ incident, annotation }) => {
    const top = annotation?.verdict === 'upstream' ? annotation.candidates[0] : undefined;
    return top && vendorKey(top.vendor) === key ? [{ incident, top }] : [];
  });
}

/** Figures scaled by `factor` (the period's days over the stretch's) and rounded to one decimal. */
function toFigures(raw: RawFigures, factor: number, customers: number | null): VendorFigures {
  const scale = (x: number) => round1(x * factor);
  const worst = raw.ackLags.length > 0 ? round1(Math.max(...raw.ackLags)) : null;
  return {
    incidents: scale(raw.incidents),
    byImpact: {
      critical: scale(raw.byImpact.critical),
      major: scale(raw.byImpact.major),
      minor: scale(raw.byImpact.minor),
      none: scale(raw.byImpact.none),
      unknown: scale(raw.byImpact.unknown),
    },
    incidentMinutes: scale(raw.incidentMinutes),
    maintenance: scale(raw.maintenance),
    maintenanceMinutes: scale(raw.maintenanceMinutes),
    explained: scale(raw.explained),
    errorMinutes: scale(raw.errorMinutes),
    attributableErrorMinutes: scale(raw.attributableErrorMinutes),
    failedCalls: scale(raw.failedCalls),
    calls: raw.calls === null ? null : scale(raw.calls),
    // A ratio does not scale: failures over calls across the whole stretch.
    errorRatio: raw.calls ? raw.failedCalls / raw.calls : null,
    customers: customers === null ? null : scale(customers),
    suspected: scale(raw.suspected),
    unposted: scale(raw.unposted),
    ackLagMedianMinutes: median(raw.ackLags),
    ackLagWorstMinutes: worst,
    unreadableMinutes: scale(raw.unreadableMinutes),
    risk: riskScore({
      explained: raw.explained * factor,
      attributableErrorMinutes: raw.attributableErrorMinutes * factor,
      unposted: raw.unposted * factor,
      weightedIncidentMinutes: raw.weightedIncidentMinutes * factor,
      unreadableMinutes: raw.unreadableMinutes * factor,
      worstAckLagMinutes: worst,
    }),
  };
}

/** Nothing to report: no incident, maintenance, explained incident, error, suspect or blind minute. */
function isQuiet(f: VendorFigures): boolean {
  return (
    f.incidents === 0 &&
    f.maintenance === 0 &&
    f.explained === 0 &&
    f.errorMinutes === 0 &&
    f.suspected === 0 &&
    f.unreadableMinutes === 0
  );
}

function ackLagOf(suspects: readonly Suspect[], data: VendorData): VendorDigest['ackLag'] {
  const byId = new Map(data.incidents.map((i) => [i.id, i]));
  const cases: AckCase[] = suspects.flatMap((s) => {
    if (s.vendorIncidentId === null || s.vendorPostedAt === null || s.ackLagMinutes === null) return [];
    const incident = byId.get(s.vendorIncidentId);
    return [
      {
        suspect: s.id,
        region: s.region,
        services: s.services,
        since: s.since,
        postedAt: s.vendorPostedAt,
        lagMinutes: s.ackLagMinutes,
        vendorIncidentId: s.vendorIncidentId,
        vendorIncidentTitle: incident?.title ?? null,
        url: incident?.url ?? null,
      },
    ];
  });
  const regions = new Map<string, number[]>();
  for (const c of cases) regions.set(c.region, [...(regions.get(c.region) ?? []), c.lagMinutes]);
  const byRegion = [...regions]
    .map(([region, lags]) => ({
      region,
      cases: lags.length,
      medianMinutes: median(lags) ?? 0,
      worstMinutes: round1(Math.max(...lags)),
    }))
    .sort((a, b) => b.worstMinutes - a.worstMinutes || a.region.localeCompare(b.region));
  return { byRegion, cases };
}

function vendorDigest(
  input: DigestInput,
  vendor: DigestVendorInput,
  stretches: Record<StretchName, Stretch>,
) {
  const now = Date.parse(input.now);
  const key = vendorKey(vendor.id);
  const explained = explainedBy(vendor, input.ourIncidents);
  const data: VendorData = {
    incidents: vendor.incidents,
    explained: explained.map(({ incident }) => ({
      startedAt: Date.parse(incident.startedAt),
      resolvedAt: incident.resolvedAt === null ? null : Date.parse(incident.resolvedAt),
    })),
    errors: vendor.errors,
    calls: vendor.calls,
    suspects: input.suspects.filter((s) => vendorKey(s.vendor) === key),
    blindSpans: vendor.blindSpans,
  };
  const windows = attributableWindows(data, now);
  const { period, previous7, previous30 } = stretches;
  const days = input.period.days;
  const figures = {
    period: toFigures(rawFigures(data, period, now, windows), 1, vendor.customers.period),
    previous7: toFigures(rawFigures(data, previous7, now, windows), days / 7, vendor.customers.previous7),
    previous30: toFigures(rawFigures(data, previous30, now, windows), days / 30, vendor.customers.previous30),
  };
  const inPeriod = (at: string) => Date.parse(at) >= period.from && Date.parse(at) < period.to;
  const periodSuspects = data.suspects
    .filter((s) => inPeriod(s.since))
    .sort((a, b) => Date.parse(a.since) - Date.parse(b.since) || a.id.localeCompare(b.id));
  return {
    quiet: isQuiet(figures.period),
    digest: {
      id: vendor.id,
      name: vendor.name,
      url: vendor.url,
      ...figures,
      trend: riskTrend(figures.period.risk, figures.previous7.risk, figures.previous30.risk),
      incidents: incidentsIn(vendor.incidents, period, now),
      explained: explained
        .filter((_, i) => ranIn(data.explained[i]!.startedAt, data.explained[i]!.resolvedAt, period, now))
        .sort((a, b) => Date.parse(a.incident.startedAt) - Date.parse(b.incident.startedAt))
        .map(({ incident, top }) => ({
          id: incident.id,
          title: incident.title,
          service: incident.service,
          startedAt: incident.startedAt,
          confidence: top.confidence,
          vendorIncidentId: top.vendorIncidentId ?? null,
          link: input.consoleUrl ? `${input.consoleUrl}/incidents/${encodeURIComponent(incident.id)}` : null,
        })),
      services: servicesIn(vendor.errors, period),
      hourlyFailedCalls: hourly(vendor.errors, period),
      ackLag: ackLagOf(periodSuspects, data),
      unposted: periodSuspects
        .filter((s) => s.vendorIncidentId === null)
        .map((s) => ({
          suspect: s.id,
          region: s.region,
          services: s.services,
          since: s.since,
          closedAt: s.closedAt,
          peakPerMin: s.peakPerMin,
          baselinePerMin: s.baselinePerMin,
        })),
      unreadable: unreadableIn(vendor.blindSpans, period, now),
    } satisfies VendorDigest,
  };
}

function incidentsIn(
  incidents: readonly VendorIncident[],
  period: Stretch,
  now: number,
): VendorDigest['incidents'] {
  return incidents
    .flatMap((i) => {
      const minutes = incidentMinutesIn(i, period, now);
      if (minutes === null) return [];
      return [
        {
          id: i.id,
          title: i.title,
          kind: i.kind,
          impact: i.impact,
          startedAt: i.startedAt,
          resolvedAt: i.resolvedAt,
          minutes,
          regions: i.regions,
          url: i.url,
        },
      ];
    })
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id.localeCompare(b.id));
}

const inPeriodMinute = (minute: number, period: Stretch) =>
  minute * 60_000 >= period.from && minute * 60_000 < period.to;

function servicesIn(errors: readonly ErrorRow[], period: Stretch): VendorDigest['services'] {
  const perService = new Map<string, number>();
  for (const row of errors) {
    if (row.errorClass === 'client' || row.count <= 0 || !inPeriodMinute(row.minute, period)) continue;
    perService.set(row.service, (perService.get(row.service) ?? 0) + row.count);
  }
  return [...perService]
    .map(([service, failedCalls]) => ({ service, failedCalls }))
    .sort((a, b) => b.failedCalls - a.failedCalls || a.service.localeCompare(b.service));
}

/** Failed calls per hour of the period: 24 a day, 23 or 25 on a daylight-saving change. */
function hourly(errors: readonly ErrorRow[], period: Stretch): number[] {
  const hours = Array.from({ length: Math.ceil((period.to - period.from) / 3_600_000) }, () => 0);
  for (const row of errors) {
    if (row.errorClass === 'client' || row.count <= 0 || !inPeriodMinute(row.minute, period)) continue;
    const h = Math.floor((row.minute * 60_000 - period.from) / 3_600_000);
    hours[h] = (hours[h] ?? 0) + row.count;
  }
  return hours;
}

function unreadableIn(spans: readonly BlindSpan[], period: Stretch, now: number): VendorDigest['unreadable'] {
  return spans
    .flatMap((span) => {
      const minutes = blindMinutesIn(span, period, now);
      if (minutes === null) return [];
      const since = Math.max(Date.parse(span.since), period.from);
      // Still open at the end of what the period has seen so far: left open.
      const until =
        span.until === null && now < period.to
          ? null
          : Math.min(span.until ? Date.parse(span.until) : now, period.to);
      return [
        {
          since: new Date(since).toISOString(),
          until: until === null ? null : new Date(until).toISOString(),
          minutes,
          reason: span.reason,
        },
      ];
    })
    .sort((a, b) => Date.parse(a.since) - Date.parse(b.since));
}

/** What the numbers cannot show: error data past the retention, a period not over yet. */
function notesFor(input: DigestInput, stretches: Record<StretchName, Stretch>): string[] {
  const notes: string[] = [];
  const now = Date.parse(input.now);
  const cutoff = now - input.retentionMs;
  const names: Record<StretchName, string> = {
    period: 'the period',
    previous7: 'the previous 7 days',
    previous30: 'the previous 30 days',
  };
  const partial = (Object.keys(names) as StretchName[]).filter((name) => stretches[name].from < cutoff);
  if (partial.length > 0) {
    const days = round1(input.retentionMs / 86_400_000);
    notes.push(
      `Our error data before ${dayIn(cutoff, input.period.timeZone)} has expired (kept ${days} days): error figures for ${partial.map((n) => names[n]).join(' and ')} count only what is left.`,
    );
  }
  if (now < stretches.period.to)
    notes.push(`The period is not over yet (generated at ${input.now}): its figures are partial.`);
  return notes;
}

/** The digest from its input: pure, every number derived here (see types.ts for what each means). */
export function computeDigest(input: DigestInput): Digest {
  const stretches = digestStretches(input.period);
  const all = input.vendors.map((v) => vendorDigest(input, v, stretches));
  const vendors = all
    .filter((v) => !v.quiet)
    .map((v) => v.digest)
    .sort((a, b) => b.period.risk - a.period.risk || a.name.localeCompare(b.name));
  const quiet = all
    .filter((v) => v.quiet)
    .map((v) => ({ id: v.digest.id, name: v.digest.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const sum = (pick: (f: VendorFigures) => number) => vendors.reduce((n, v) => n + pick(v.period), 0);
  return {
    type: 'digest',
    period: input.period,
    generatedAt: new Date(Date.parse(input.now)).toISOString(),
    vendors,
    quiet,
    totals: {
      vendors: vendors.length,
      incidents: sum((f) => f.incidents),
      explained: sum((f) => f.explained),
      errorMinutes: sum((f) => f.errorMinutes),
      attributableErrorMinutes: sum((f) => f.attributableErrorMinutes),
      unposted: sum((f) => f.unposted),
      unreadableMinutes: sum((f) => f.unreadableMinutes),
    },
    riskFormula: riskFormulaText,
    notes: notesFor(input, stretches),
    consoleUrl: input.consoleUrl,
  };
}

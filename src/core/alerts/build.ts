import { createHash } from 'node:crypto';
import { list, quote, ratio, regionName } from '../correlate/evidence.js';
import type { Suspect } from '../detect/suspect.js';
import type { VendorIncident } from '../model.js';
import type { AlertEvent, AlertPayload } from './types.js';
import { clipText } from '../clip.js';

/*
 * Alert payloads with their wording (pure). Ids are built from what names the alert (event, vendor,
 * episode start, phase, incident or suspect id), never from the clock of the run that sends it, so
 * a tick or evaluation that runs twice produces the same ids and the delivery keys send each once.
 */

/** The vendor an alert is about, and where people read more. */
export interface AlertSubject {
  vendor: string;
  vendorName: string;
  /** The console's vendor page, when a public URL is configured. */
  link: string | null;
}

const MAX_ID = 512;

/** A stable alert id from its parts, hashed at the tail when vendor text makes it too long. */
export function alertId(event: AlertEvent, ...parts: string[]): string {
  const id = [event, ...parts].join('|');
  if (id.length <= MAX_ID) return id;
  const digest = createHash('sha256').update(id).digest('hex');
  return `${clipText(id, MAX_ID - digest.length - 1, '')}#${digest}`;
}

/** The console's page of a vendor, or null without a public URL. */
export function vendorLink(publicUrl: string | undefined, vendor: string): string | null {
  if (!publicUrl) return null;
  return `${publicUrl.replace(/\/+$/, '')}/vendors/${encodeURIComponent(vendor)}`;
}

/** "2024-04-04 19:05 UTC". */
export function formatInstant(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Whole minutes between two instants, never negative. */
export function minutesBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
}

/** "1 min", "45 min", "2 h 5 min". */
export function formatDuration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

const regionList = (ids: readonly string[]) => list(ids.map(regionName), 5);

// ─── vendor-unreadable ────────────────────────────────────────────────────────────────────────

/** Raised: the vendor's page has been unreadable since `since`. */
export function unreadableRaised(
  subject: AlertSubject,
  facts: { since: string; reason: string; now: Date },
): AlertPayload {
  const minutes = minutesBetween(facts.since, facts.now.toISOString());
  return {
    type: 'alert',
    event: 'vendor-unreadable',
    phase: 'raised',
    id: alertId('vendor-unreadable', subject.vendor, facts.since, 'raised'),
    vendor: subject.vendor,
    vendorName: subject.vendorName,
    at: facts.since,
    title: `${subject.vendorName} status page unreadable for ${formatDuration(minutes)}`,
    details: [
      `Unreadable since ${formatInstant(facts.since)}: ${facts.reason}`,
      `Incidents ${subject.vendorName} posts meanwhile are not seen; annotations treat it as unknown, not as clear.`,
    ],
    unreadableSince: facts.since,
    reason: facts.reason,
    minutes,
    link: subject.link,
  };
}

/** Recovered: the page has been readable for the settle period; `until` is when it became readable. */
export function unreadableRecovered(
  subject: AlertSubject,
  facts: { since: string; until: string },
): AlertPayload {
  const minutes = minutesBetween(facts.since, facts.until);
  return {
    type: 'alert',
    event: 'vendor-unreadable',
    phase: 'recovered',
    id: alertId('vendor-unreadable', subject.vendor, facts.since, 'recovered'),
    vendor: subject.vendor,
    vendorName: subject.vendorName,
    at: facts.until,
    title: `${subject.vendorName} status page readable again, after ${formatDuration(minutes)}`,
    details: [
      `Unreadable from ${formatInstant(facts.since)} to ${formatInstant(facts.until)}: ${formatDuration(minutes)} in all.`,
    ],
    unreadableSince: facts.since,
    minutes,
    link: subject.link,
  };
}

// ─── vendor-incident ──────────────────────────────────────────────────────────────────────────

function incidentFacts(incident: VendorIncident): NonNullable<AlertPayload['vendorIncident']> {
  return {
    id: incident.id,
    title: incident.title,
    impact: incident.impact,
    status: incident.status,
    regions: incident.regions,
    components: incident.components,
    url: incident.url,
    postedAt: incident.postedAt,
  };
}

function incidentDetails(incident: VendorIncident, services: readonly string[]): string[] {
  const lines = [
    `Impact ${incident.impact}, status ${incident.status}, posted ${formatInstant(incident.postedAt)}`,
    incident.regions.length > 0 ? `Regions: ${regionList(incident.regions)}` : 'Regions: none named',
  ];
  if (incident.components.length > 0) lines.push(`Components: ${list(incident.components, 5)}`);
  if (services.length > 0) lines.push(`Our services depending on it: ${list(services, 5)}`);
  if (incident.url) lines.push(incident.url);
  return lines;
}

/** Raised: the vendor posted an incident touching us; `episodeStart` names the episode. */
export function incidentRaised(
  subject: AlertSubject,
  incident: VendorIncident,
  services: string[],
  episodeStart: string,
): AlertPayload {
  return {
    type: 'alert',
    event: 'vendor-incident',
    phase: 'raised',
    id: alertId('vendor-incident', subject.vendor, episodeStart, 'raised'),
    vendor: subject.vendor,
    vendorName: subject.vendorName,
    at: episodeStart,
    title: `${subject.vendorName} incident: ${quote(incident.title, 100)}`,
    details: incidentDetails(incident, services),
    services,
    vendorIncident: incidentFacts(incident),
    link: subject.link,
  };
}

/** Update: another relevant incident opened during the same episode (once per incident). */
export function incidentUpdate(
  subject: AlertSubject,
  incident: VendorIncident,
  services: string[],
  episodeStart: string,
): AlertPayload {
  return {
    type: 'alert',
    event: 'vendor-incident',
    phase: 'update',
    id: alertId('vendor-incident', subject.vendor, episodeStart, 'update', incident.id),
    vendor: subject.vendor,
    vendorName: subject.vendorName,
    at: incident.postedAt,
    title: `${subject.vendorName} posted another incident: ${quote(incident.title, 100)}`,
    details: incidentDetails(incident, services),
    services,
    vendorIncident: incidentFacts(incident),
    link: subject.link,
  };
}

/** Recovered: every relevant incident of the episode is resolved, and stayed so for the settle period. */
export function incidentRecovered(
  subject: AlertSubject,
  facts: { episodeStart: string; until: string; incidents: number },
): AlertPayload {
  const minutes = minutesBetween(facts.episodeStart, facts.until);
  const count = facts.incidents === 1 ? 'its incident' : `its ${facts.incidents} incidents`;
  return {
    type: 'alert',
    event: 'vendor-incident',
    phase: 'recovered',
    id: alertId('vendor-incident', subject.vendor, facts.episodeStart, 'recovered'),
    vendor: subject.vendor,
    vendorName: subject.vendorName,
    at: facts.until,
    title: `${subject.vendorName} resolved ${count} touching us`,
    details: [
      `From ${formatInstant(facts.episodeStart)} to ${formatInstant(facts.until)}: ${formatDuration(minutes)}.`,
    ],
    minutes,
    link: subject.link,
  };
}

// ─── suspected ────────────────────────────────────────────────────────────────────────────────

const perMin = (n: number) => `${Math.round(n * 10) / 10}/min`;

/** Raised: our own errors point at the vendor, before (or without) a word from it. */
export function suspectedRaised(subject: AlertSubject, suspect: Suspect): AlertPayload {
  const where = regionName(suspect.region);
  const services = suspect.services;
  return {
    type: 'alert',
    event: 'suspected',
    phase: 'raised',
    id: alertId('suspected', suspect.id, 'raised'),
    vendor: subject.vendor,
    vendorName: subject.vendorName,
    at: suspect.since,
    title: `Suspected ${subject.vendorName} issue in ${where}: our errors ${ratio(suspect.ratio)} their baseline`,
    details: [
      `Errors on calls to ${subject.vendorName}: ${perMin(suspect.ratePerMin)} vs a baseline of ${perMin(suspect.baselinePerMin)}`,
      `Since ${formatInstant(suspect.since)}, in ${where}`,
      services.length > 0 ? `Seen by ${list(services, 5)}` : 'Seen by one of our services',
      suspect.vendorIncidentId
        ? `${subject.vendorName} has posted an incident about it`
        : `${subject.vendorName} has posted nothing about it yet`,
    ],
    region: suspect.region,
    services,
    ratePerMin: suspect.ratePerMin,
    baselinePerMin: suspect.baselinePerMin,
    suspectId: suspect.id,
    link: subject.link,
  };
}

/** "25 min after our errors showed it", "3 min before our errors showed it". */
export function ackLagText(minutes: number): string {
  const n = Math.round(Math.abs(minutes));
  if (n === 0) return 'as our errors showed it';
  return `${n} min ${minutes > 0 ? 'after' : 'before'} our errors showed it`;
}

/** Update: the vendor posted about a suspected issue; how late it acknowledged it. */
export function suspectedUpdate(
  subject: AlertSubject,
  suspect: Suspect,
  incident: VendorIncident | null,
  link: { incident: string; ackLagMinutes: number },
): AlertPayload {
  const posted = incident ? quote(incident.title, 100) : `incident ${link.incident}`;
  return {
    type: 'alert',
    event: 'suspected',
    phase: 'update',
    id: alertId('suspected', suspect.id, 'update', link.incident),
    vendor: subject.vendor,
    vendorName: subject.vendorName,
    at: incident?.postedAt ?? suspect.vendorPostedAt ?? suspect.updatedAt,
    title: `${subject.vendorName} posted ${posted}, ${ackLagText(link.ackLagMinutes)}`,
    details: [
      `Our errors showed it from ${formatInstant(suspect.since)} in ${regionName(suspect.region)}`,
      ...(incident ? incidentDetails(incident, []) : []),
    ],
    region: suspect.region,
    services: suspect.services,
    suspectId: suspect.id,
    ackLagMinutes: link.ackLagMinutes,
    ...(incident ? { vendorIncident: incidentFacts(incident) } : {}),
    link: subject.link,
  };
}

import { parseAwsRss } from '../../providers/aws-rss.js';
import { parseAwsCurrentEvents } from '../../providers/aws.js';
import { parseAzureFeed } from '../../providers/azure.js';
import {
  parseFeed as parseBetterstackFeed,
  parseIndex as parseBetterstackIndex,
} from '../../providers/betterstack.js';
import { parseGcpIncidents } from '../../providers/gcp.js';
import { parseFeed as parseRssFeed } from '../../providers/rss.js';
import { parseHistoryFeed } from '../../providers/statuspage-feed.js';
import { parseProxySummary } from '../../providers/incidentio.js';
import { parseSummary as parseInstatusSummary } from '../../providers/instatus.js';
import { parseSlackCurrent, parseSlackHistory } from '../../providers/slack.js';
import { parseStatusioStatus } from '../../providers/statusio.js';
import { parseStatuspalStatus } from '../../providers/statuspal.js';
import {
  parseIncident,
  parseIncidents,
  parseScheduledMaintenances,
  parseSummary,
} from '../../providers/statuspage.js';
import { spansFromReads, type PageRead } from '../core/correlate/blind-spans.js';
import type { BlindSpan } from '../core/correlate/types.js';
import type { VendorIncident } from '../core/model.js';
import { withRegions } from '../core/regions/incident-regions.js';
import {
  ScenarioError,
  type ScenarioSnapshot,
  type ScenarioVendorHealth,
  type SnapshotProvider,
} from './scenario.js';

/** What one recorded payload told us at its `at`, as a live poll of that endpoint would have. */
export interface SnapshotReading {
  vendor: string;
  at: string;
  incidents: VendorIncident[];
  /** The payload lists every incident still open: an open one missing from it has ended. */
  openSetComplete: boolean;
}

type Reader = (body: string, vendor: string, now: Date) => Omit<SnapshotReading, 'vendor' | 'at'>;
type FeedReader = (xml: string, vendor: string, now: Date) => Promise<Omit<SnapshotReading, 'vendor' | 'at'>>;

// The payload's own shape says which endpoint served it, as the poll knows from the path it fetched.
function keysOf(body: string): Set<string> {
  try {
    const data: unknown = JSON.parse(body.replace(/^\uFEFF/, ''));
    return new Set(
      typeof data === 'object' && data !== null && !Array.isArray(data) ? Object.keys(data) : [],
    );
  } catch {
    return new Set();
  }
}

const statuspageReader: Reader = (body, vendor, now) => {
  const keys = keysOf(body);
  if (keys.has('incident')) return { incidents: [parseIncident(body, vendor)], openSetComplete: false };
  if (keys.has('status') || keys.has('components'))
    return { incidents: parseSummary(body, vendor, now).incidents, openSetComplete: true };
  if (keys.has('incidents')) return { incidents: parseIncidents(body, vendor), openSetComplete: false };
  if (keys.has('scheduled_maintenances'))
    return { incidents: parseScheduledMaintenances(body, vendor), openSetComplete: false };
  // Not one of the four shapes (or not JSON): the summary parser gives the precise complaint.
  return { incidents: parseSummary(body, vendor, now).incidents, openSetComplete: true };
};

const readers: Record<SnapshotProvider, Reader> = {
  statuspage: statuspageReader,
  // incident.io serves the Statuspage shapes, plus its native /proxy/<host> summary.
  incidentio: (body, vendor, now) =>
    keysOf(body).has('summary')
      ? { incidents: parseProxySummary(body, vendor, now).incidents, openSetComplete: false }
      : statuspageReader(body, vendor, now),
  gcp: (body, vendor) => ({ incidents: parseGcpIncidents(body, vendor), openSetComplete: true }),
  instatus: (body, vendor, now) => ({
    incidents: parseInstatusSummary(body, vendor, now).incidents,
    openSetComplete: true,
  }),
  slack: (body, vendor, now) =>
    body.trimStart().startsWith('[')
      ? { incidents: parseSlackHistory(body, vendor), openSetComplete: false }
      : { incidents: parseSlackCurrent(body, vendor, now).incidents, openSetComplete: true },
  statusio: (body, vendor, now) => ({
    incidents: parseStatusioStatus(body, vendor, now).incidents,
    openSetComplete: true,
  }),
  statuspal: (body, vendor, now) => ({
    incidents: parseStatuspalStatus(body, vendor, now).incidents,
    openSetComplete: true,
  }),
  aws: (body, vendor, now) => ({
    incidents: parseAwsCurrentEvents(body, vendor, now).incidents,
    openSetComplete: true,
  }),
  betterstack: (body, vendor, now) => ({
    incidents: parseBetterstackIndex(body, vendor, now).incidents,
    openSetComplete: true,
  }),
  'aws-rss': () => {
    throw new Error('the AWS feed is XML');
  },
  azure: () => {
    throw new Error('the Azure feed is XML');
  },
  rss: () => {
    throw new Error('a feed is XML');
  },
};

// Feeds (Atom/RSS) are read by rss-parser, which answers asynchronously: see readSnapshotPageAsync.
const feedReaders: Partial<Record<SnapshotProvider, FeedReader>> = {
  statuspage: async (xml, vendor) => ({
    incidents: await parseHistoryFeed(xml, vendor),
    openSetComplete: false,
  }),
  incidentio: async (xml, vendor) => ({
    incidents: await parseHistoryFeed(xml, vendor),
    openSetComplete: false,
  }),
  rss: async (xml, vendor, now) => ({
    incidents: (await parseRssFeed(xml, vendor, now)).incidents,
    openSetComplete: false,
  }),
  'aws-rss': async (xml, vendor) => ({ incidents: await parseAwsRss(xml, vendor), openSetComplete: false }),
  azure: async (xml, vendor, now) => ({
    incidents: (await parseAzureFeed(xml, vendor, now)).incidents,
    openSetComplete: true,
  }),
  betterstack: async (xml, vendor, now) => ({
    incidents: (await parseBetterstackFeed(xml, vendor, now)).incidents,
    openSetComplete: false,
  }),
};

/** An Atom or RSS document (not an HTML error page). */
export function isFeed(body: string): boolean {
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(rss|feed|rdf:RDF)\b/i.test(
    body.replace(/^\uFEFF/, ''),
  );
}

/** A snapshot whose body is a feed this provider reads: it needs readSnapshotPageAsync. */
export function needsAsyncRead(snapshot: ScenarioSnapshot): boolean {
  return (
    typeof snapshot.body === 'string' &&
    snapshot.error === undefined &&
    (snapshot.status === undefined || snapshot.status < 400) &&
    feedReaders[snapshot.provider] !== undefined &&
    isFeed(snapshot.body)
  );
}

/** A snapshot as a live poll would have taken it: a reading, or a page we could not read and why. */
export type SnapshotRead =
  { ok: true; reading: SnapshotReading } | { ok: false; vendor: string; at: string; reason: string };

const MAX_DETAIL = 200;
const clip = (text: string) => (text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text);

/**
 * Reads one recorded snapshot with its provider's pure parser, at the time it was recorded, and gives
 * its incidents canonical regions as the poll worker does. A snapshot the vendor's page spoiled (a
 * failed fetch, an HTTP error status, an HTML error page or empty body, a payload the parser refuses)
 * is what a live poll would have recorded as a failed read: `ok: false` with the reason in words.
 * A 304 is a good read that tells nothing new. Never throws for what the vendor served.
 */
export function readSnapshotPage(snapshot: ScenarioSnapshot): SnapshotRead {
  const { vendor, at } = snapshot;
  const failed = (reason: string): SnapshotRead => ({ ok: false, vendor, at, reason });
  if (snapshot.error !== undefined) return failed(clip(snapshot.error));
  if (snapshot.status !== undefined && snapshot.status >= 400) return failed(`HTTP ${snapshot.status}`);
  if (snapshot.status === 304 && snapshot.body === undefined)
    return { ok: true, reading: { vendor, at, incidents: [], openSetComplete: false } };
  const body =
    snapshot.body === undefined
      ? ''
      : typeof snapshot.body === 'string'
        ? snapshot.body
        : JSON.stringify(snapshot.body);
  if (body.trim() === '') return failed('empty body');
  if (!/json/i.test(snapshot.contentType) && !/^\s*[[{]/.test(body))
    return failed(`parse error: expected JSON, got ${clip(snapshot.contentType)} (an error page?)`);
  try {
    const read = readers[snapshot.provider](body, vendor, new Date(at));
    const { incidents } = withRegions({ status: null, incidents: read.incidents }, snapshot.provider);
    return { ok: true, reading: { vendor, at, incidents, openSetComplete: read.openSetComplete } };
  } catch (cause) {
    return failed(clip(`parse error: ${cause instanceof Error ? cause.message : String(cause)}`));
  }
}

/** readSnapshotPage, plus the Atom/RSS feeds of the providers that serve them. Never rejects. */
export async function readSnapshotPageAsync(snapshot: ScenarioSnapshot): Promise<SnapshotRead> {
  const reader = feedReaders[snapshot.provider];
  if (!reader || !needsAsyncRead(snapshot)) return readSnapshotPage(snapshot);
  const { vendor, at } = snapshot;
  try {
    const read = await reader(snapshot.body as string, vendor, new Date(at));
    const { incidents } = withRegions({ status: null, incidents: read.incidents }, snapshot.provider);
    return { ok: true, reading: { vendor, at, incidents, openSetComplete: read.openSetComplete } };
  } catch (cause) {
    return {
      ok: false,
      vendor,
      at,
      reason: clip(`parse error: ${cause instanceof Error ? cause.message : String(cause)}`),
    };
  }
}

/**
 * Reads one recorded payload strictly: the reading, or a ScenarioError naming the snapshot and why it
 * could not be read (for tools that expect every snapshot to parse).
 */
export function readSnapshot(snapshot: ScenarioSnapshot, index: number): SnapshotReading {
  const read = readSnapshotPage(snapshot);
  if (read.ok) return read.reading;
  throw new ScenarioError([`vendorSnapshots[${index}].body: ${snapshot.provider} payload: ${read.reason}`]);
}

const stateWords: Record<Exclude<ScenarioVendorHealth['state'], 'ok'>, string> = {
  unreachable: 'unreachable',
  parse_error: 'parse error',
  timeout: 'timeout',
  blocked: 'blocked',
};

/**
 * The blind spans a scenario implies: each vendor is blind from an unreadable snapshot (or a stated
 * `vendorHealth` state other than ok) until its next readable snapshot (or stated ok). Pure.
 */
export function scenarioBlindSpans(
  reads: readonly SnapshotRead[],
  health: readonly ScenarioVendorHealth[],
): BlindSpan[] {
  const pageReads: PageRead[] = [
    ...reads.map((r) =>
      r.ok
        ? { vendor: r.reading.vendor, at: r.reading.at, ok: true }
        : { vendor: r.vendor, at: r.at, ok: false, reason: r.reason },
    ),
    ...health.map((h) =>
      h.state === 'ok'
        ? { vendor: h.vendor, at: h.at, ok: true }
        : { vendor: h.vendor, at: h.at, ok: false, reason: h.reason?.trim() || stateWords[h.state] },
    ),
  ];
  return spansFromReads(pageReads);
}

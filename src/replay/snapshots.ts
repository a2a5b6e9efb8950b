import { parseGcpIncidents } from '../../providers/gcp.js';
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
import type { VendorIncident } from '../model.js';
import { withRegions } from '../regions/incident-regions.js';
import { ScenarioError, type ScenarioSnapshot, type SnapshotProvider } from './scenario.js';

/** What one recorded payload told us at its `at`, as a live poll of that endpoint would have. */
export interface SnapshotReading {
  vendor: string;
  at: string;
  incidents: VendorIncident[];
  /** The payload lists every incident still open: an open one missing from it has ended. */
  openSetComplete: boolean;
}

type Reader = (body: string, vendor: string, now: Date) => Omit<SnapshotReading, 'vendor' | 'at'>;

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
};

/**
 * Reads one recorded payload with its provider's pure parser, at the time it was recorded, and gives
 * its incidents canonical regions as the poll worker does. A payload that does not parse is a
 * ScenarioError naming the snapshot.
 */
export function readSnapshot(snapshot: ScenarioSnapshot, index: number): SnapshotReading {
  const body = typeof snapshot.body === 'string' ? snapshot.body : JSON.stringify(snapshot.body);
  const at = new Date(snapshot.at);
  if (!/json/i.test(snapshot.contentType) && !/^\s*[[{]/.test(body))
    throw new ScenarioError([
      `vendorSnapshots[${index}].contentType: replay reads the JSON endpoints of ${snapshot.provider}; got ${snapshot.contentType}`,
    ]);
  try {
    const read = readers[snapshot.provider](body, snapshot.vendor, at);
    const { incidents } = withRegions({ status: null, incidents: read.incidents }, snapshot.provider);
    return { vendor: snapshot.vendor, at: snapshot.at, incidents, openSetComplete: read.openSetComplete };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ScenarioError([`vendorSnapshots[${index}].body: ${snapshot.provider} payload: ${message}`], {
      cause,
    });
  }
}

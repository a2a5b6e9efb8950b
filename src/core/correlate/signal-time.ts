import type { VendorIncident } from '../model.js';
import { findTimes } from '../time/prose-time.js';
import { duration, list, quote, regionName, relative, utc, utcRange } from './evidence.js';
import { MINUTE, RULES, type Signal } from './signal-shared.js';
import type { SuspectedIssue } from './types.js';

// Onset alignment: the vendor's times (fields and prose) against our onset.

/** Our side of the timeline, in epoch ms. */
export interface OurTimes {
  /** Our incident's start. */
  start: number;
  /** Our first spiking minute of vendor-pointing errors on this vendor, when there is one. */
  firstError: number | null;
  /** Our incident's end: its resolution, else now. */
  end: number;
  resolved: boolean;
}

export type VendorTimes = Pick<
  VendorIncident,
  'vendor' | 'title' | 'kind' | 'startedAt' | 'postedAt' | 'resolvedAt' | 'scheduledFor' | 'scheduledUntil'
> &
  Partial<Pick<VendorIncident, 'id' | 'updatedAt' | 'updates'>>;

/** The impact window a vendor writes in its updates' prose ("June 12 23:32 PT - June 13 00:07 PT"). */
export interface StatedWindow {
  /** Earliest time written. */
  from: number;
  /** Latest end of a written range, when there is one. */
  to: number | null;
  ranges: { from: number; to: number }[];
}

// Reading prose is the costliest step, and replay scores the same vendor incident on every tick:
// remember the answer per incident version (a pure function's memo, bounded).
const statedCache = new Map<string, StatedWindow | null>();
const STATED_CACHE_MAX = 5_000;
const STATED_LOOKBACK_MS = 3 * 24 * 60 * MINUTE;

/**
 * Times the vendor wrote in its updates, read as its own account of the impact: only past times
 * (a "next update at 14:30" is not impact), no older than 3 days before the update, with a zone
 * written or carried in the text (a bare "10:00" on a page of unknown zone proves nothing).
 */
export function statedWindow(
  v: Pick<VendorIncident, 'updates'> & Partial<Pick<VendorIncident, 'vendor' | 'id' | 'updatedAt'>>,
): StatedWindow | null {
  const key =
    v.id !== undefined
      ? `${v.vendor ?? ''}\u0000${v.id}\u0000${v.updatedAt ?? ''}\u0000${v.updates.length}`
      : null;
  if (key !== null && statedCache.has(key)) return statedCache.get(key) ?? null;
  let from = Infinity;
  let to: number | null = null;
  const ranges: StatedWindow['ranges'] = [];
  for (const u of v.updates) {
    const posted = Date.parse(u.at);
    for (const m of findTimes(u.body, { reference: new Date(posted) })) {
      if (m.precision !== 'minute' || (m.zoneFrom !== 'text' && m.zoneFrom !== 'carried')) continue;
      const at = Date.parse(m.at);
      if (at > posted + MINUTE || at < posted - STATED_LOOKBACK_MS) continue;
      from = Math.min(from, at);
      if (m.end) {
        const end = Math.min(Date.parse(m.end), posted);
        ranges.push({ from: at, to: end });
        to = Math.max(to ?? end, end);
      }
    }
  }
  const window = Number.isFinite(from) ? { from, to, ranges } : null;
  if (key !== null) {
    if (statedCache.size >= STATED_CACHE_MAX) statedCache.clear();
    statedCache.set(key, window);
  }
  return window;
}

const onsetOf = (ours: OurTimes): number => Math.min(ours.start, ours.firstError ?? Infinity);

/** Our onset in words: our first error on the vendor when it came first, else our incident's start. */
function onsetText(ours: OurTimes, vendor: string): string {
  return ours.firstError !== null && ours.firstError < ours.start
    ? `our first error on ${vendor} (${utc(ours.firstError, ours.start)})`
    : `our incident began (${utc(ours.start)})`;
}

/** "posted 20:58 UTC, 11 min after our first error on 100ms (20:47 UTC)". */
function postedText(vendor: string, postedMs: number, ours: OurTimes): string {
  const anchor = ours.firstError ?? ours.start;
  const what =
    ours.firstError !== null
      ? `our first error on ${vendor} (${utc(anchor, ours.start)})`
      : `our incident began (${utc(anchor, ours.start)})`;
  return `posted ${utc(postedMs, ours.start)}, ${relative((postedMs - anchor) / MINUTE, what)}`;
}

/**
 * Onset alignment: a vendor incident from 30 min before our onset to 60 min after it (status-page lag)
 * aligns; later fades to a veto at 120 min; one resolved before we began is vetoed; one open for
 * hours before we began still overlaps but says less. Maintenance counts when its window covers our
 * onset (± 15 min).
 */
export function timeSignal(v: VendorTimes, ours: OurTimes): Signal {
  const onset = onsetOf(ours);
  // Vendors backdate in prose: a start or window written in an update counts as much as the fields.
  const stated = v.kind === 'incident' && v.updates ? statedWindow({ ...v, updates: v.updates }) : null;
  const start = Math.min(Date.parse(v.startedAt), stated?.from ?? Infinity);
  const posted = Date.parse(v.postedAt);
  const resolved = v.resolvedAt ? Date.parse(v.resolvedAt) : null;
  const end = resolved !== null && stated?.to != null ? Math.min(resolved, stated.to) : resolved;
  const statedText =
    stated && stated.ranges.length > 0
      ? `, stating impact ${list(stated.ranges.map((r) => utcRange(r.from, r.to, ours.start)))}`
      : stated && stated.from < Date.parse(v.startedAt)
        ? `, stating a start at ${utc(stated.from, ours.start)}`
        : '';
  const head = `${v.vendor} ${quote(v.title)}${statedText}`;
  const edge = RULES.edgeMinutes * MINUTE;
  if (v.kind === 'maintenance') {
    const from = Date.parse(v.scheduledFor ?? v.startedAt);
    const until = v.scheduledUntil ? Date.parse(v.scheduledUntil) : (end ?? Infinity);
    const span = utcRange(from, Number.isFinite(until) ? until : null, ours.start);
    if (onset < from - edge || onset > until + edge) {
      return {
        name: 'time',
        value: -1,
        veto: true,
        evidence: `${head} is a maintenance window ${span} that does not cover our onset: ${onsetText(ours, v.vendor)}`,
      };
    }
    return {
      name: 'time',
      value: 1,
      evidence: `${head} is a maintenance window ${span} covering our onset (${utc(onset, ours.start)}); ${postedText(v.vendor, posted, ours)}`,
    };
  }
  const lead = (start - onset) / MINUTE;
  if (end !== null && end < onset - edge) {
    return {
      name: 'time',
      value: -1,
      veto: true,
      evidence: `${head} ${end === resolved ? 'was resolved at' : 'says its impact ended at'} ${utc(end, ours.start)}, ${duration((onset - end) / MINUTE)} before ${onsetText(ours, v.vendor)}`,
    };
  }
  if (ours.resolved && start > ours.end + RULES.postLagMinutes * MINUTE) {
    return {
      name: 'time',
      value: -1,
      veto: true,
      evidence: `${head} started ${utc(start, ours.start)}, ${duration((start - ours.end) / MINUTE)} after our incident was resolved (${utc(ours.end, ours.start)})`,
    };
  }
  if (lead > RULES.tooLateMinutes) {
    return {
      name: 'time',
      value: -1,
      veto: true,
      evidence: `${head} started ${utc(start, ours.start)}, ${duration(lead)} after ${onsetText(ours, v.vendor)}: too late to explain our onset`,
    };
  }
  const until = resolved !== null ? `, resolved ${utc(resolved, ours.start)}` : ', still open';
  if (lead > RULES.postLagMinutes) {
    const span = RULES.tooLateMinutes - RULES.postLagMinutes;
    return {
      name: 'time',
      value: 1 - (2 * (lead - RULES.postLagMinutes)) / span,
      evidence: `${head} started ${utc(start, ours.start)}, ${duration(lead)} after ${onsetText(ours, v.vendor)}, later than vendors usually post${until}`,
    };
  }
  if (lead >= -RULES.alignedBeforeMinutes) {
    const started = Math.abs(posted - start) >= MINUTE ? `started ${utc(start, ours.start)}, ` : '';
    return {
      name: 'time',
      value: 1,
      evidence: `${head} ${started}${postedText(v.vendor, posted, ours)}${until}`,
    };
  }
  const value = lead >= -120 ? 0.8 : lead >= -360 ? 0.5 : 0.2;
  return {
    name: 'time',
    value,
    evidence: `${head} had been open since ${utc(start, ours.start)}, ${duration(-lead)} before ${onsetText(ours, v.vendor)}${until}`,
  };
}

/** A suspected issue's start against our onset: it must begin with our trouble, not an hour later. */
export function suspectTimeSignal(s: SuspectedIssue, ours: OurTimes): Signal {
  const onset = onsetOf(ours);
  const since = Date.parse(s.since);
  const closed = s.closedAt ? Date.parse(s.closedAt) : null;
  const lead = (since - onset) / MINUTE;
  const where = s.region ? ` in ${regionName(s.region)}` : '';
  const posted = s.vendorPostedAt
    ? `${s.vendor} posted at ${utc(Date.parse(s.vendorPostedAt), ours.start)}`
    : `${s.vendor} has posted nothing`;
  // The detector's rate is its last minute's, not this window's: the errors signal carries the numbers.
  const head = `suspected ${s.vendor} issue${where} from our own errors since ${utc(since, ours.start)} (detected ${utc(Date.parse(s.detectedAt), ours.start)})`;
  if (closed !== null && closed < onset - RULES.edgeMinutes * MINUTE) {
    return {
      name: 'time',
      value: -1,
      veto: true,
      evidence: `${head} ended at ${utc(closed, ours.start)}, ${duration((onset - closed) / MINUTE)} before ${onsetText(ours, s.vendor)}`,
    };
  }
  if (lead > RULES.postLagMinutes) {
    return {
      name: 'time',
      value: -1,
      veto: true,
      evidence: `${head} began ${duration(lead)} after ${onsetText(ours, s.vendor)}: too late to explain our onset`,
    };
  }
  const value =
    lead > RULES.edgeMinutes
      ? 1 - (2 * (lead - RULES.edgeMinutes)) / (RULES.postLagMinutes - RULES.edgeMinutes)
      : lead >= -RULES.alignedBeforeMinutes
        ? 1
        : lead >= -120
          ? 0.8
          : lead >= -360
            ? 0.5
            : 0.2;
  return {
    name: 'time',
    value,
    evidence: `${head}, ${relative(lead, onsetText(ours, s.vendor))}; ${posted}`,
  };
}

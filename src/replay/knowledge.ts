import type { ErrorEvent } from '../core/contracts.js';
import type { MinuteCounts } from '../core/detect/baseline.js';
import type { CallCount, MinuteCount } from '../core/correlate/types.js';
import { resolutionTime } from '../../providers/statuspage.js';
import { mergeIncident } from '../core/incident-merge.js';
import { callsField, minuteOf, seriesField, seriesOf, type Series } from '../core/series.js';
import type { VendorIncident } from '../core/model.js';
import { incidentRegions } from '../core/regions/incident-regions.js';
import type { ScenarioVendorIncident } from './scenario.js';
import type { SnapshotReading } from './snapshots.js';

/*
 * What the correlator may know at a simulated instant. The replay contract's one hard rule: nothing
 * is known before the moment it was published — a vendor incident from its first update, each later
 * update from its own time, a snapshot from its `at`, an error from its `at`.
 */

const ms = (iso: string) => Date.parse(iso);
const terminal = new Set(['resolved', 'completed', 'postmortem']);

/** When the vendor first published the incident: its first update, else its stated post time, else its start. */
export function firstPostOf(incident: ScenarioVendorIncident): string {
  return incident.updates[0]?.at ?? incident.postedAt ?? incident.startedAt;
}

/**
 * When the incident ended, as known at `now`: the vendor's closing update must have been posted (a
 * backdated resolution is not known before it was written); while a reopened incident sits between
 * two resolutions, its earlier one. An incident authored with a resolvedAt but no closing update ends
 * at resolvedAt.
 */
function resolutionAt(
  incident: ScenarioVendorIncident,
  known: readonly { at: string; status: string }[],
  now: Date,
): string | null {
  const last = known.at(-1);
  const stated =
    incident.resolvedAt !== null && ms(incident.resolvedAt) <= now.getTime() ? incident.resolvedAt : null;
  if (last && terminal.has(last.status)) return stated ?? resolutionTime(known);
  const saysClosed = incident.updates.some((u) => terminal.has(u.status));
  return saysClosed ? null : stated;
}

/**
 * A scenario vendor incident as a poll at `now` would have read it, or null before its first post.
 * Later updates, their text and the resolution stay unknown until their own time; regions come from
 * the vendor's words known so far (structured regions, components, title, then the known updates).
 */
export function vendorIncidentAt(
  incident: ScenarioVendorIncident,
  provider: string,
  now: Date,
): VendorIncident | null {
  const postedAt = firstPostOf(incident);
  if (ms(postedAt) > now.getTime()) return null;
  const updates = incident.updates
    .filter((u) => ms(u.at) <= now.getTime())
    .map((u) => ({ at: u.at, status: u.status, body: u.body }));
  const last = updates.at(-1);
  const resolvedAt = resolutionAt(incident, updates, now);
  const status =
    resolvedAt !== null
      ? last && terminal.has(last.status)
        ? last.status
        : 'resolved'
      : (last?.status ?? incident.status ?? 'investigating');
  const { regions, evidence } = incidentRegions(
    { regions: incident.regions, components: incident.components, title: incident.title, updates },
    provider,
  );
  return {
    vendor: incident.vendor,
    id: incident.id,
    title: incident.title,
    impact: incident.impact,
    status,
    kind: incident.kind,
    startedAt: incident.startedAt,
    postedAt,
    updatedAt: last?.at ?? postedAt,
    resolvedAt,
    scheduledFor: incident.scheduledFor ?? null,
    scheduledUntil: incident.scheduledUntil ?? null,
    components: incident.components,
    regions,
    regionEvidence: evidence,
    updates,
    url: incident.url,
  };
}

const key = (i: Pick<VendorIncident, 'vendor' | 'id'>) => `${i.vendor}\u0000${i.id}`;

/**
 * The vendor side as the store would hold it at a simulated instant: snapshots folded in as their
 * `at` passes (the live merge: updates kept, first post kept; an open incident missing from a
 * complete open list closes by absence), overlaid with the scenario's authored incidents.
 */
export function createVendorKnowledge(
  authored: readonly ScenarioVendorIncident[],
  providerOf: (vendor: string) => string,
  readings: readonly SnapshotReading[],
) {
  const pending = [...readings].sort((a, b) => ms(a.at) - ms(b.at));
  const fromSnapshots = new Map<string, VendorIncident>();
  let lastSignature = '';
  // A view changes only when an update or the stated resolution time passes: reading regions from
  // the vendor's words once per change, not once per minute, keeps long histories cheap.
  const views = new Map<number, { stage: string; view: VendorIncident | null }>();
  function viewOf(incident: ScenarioVendorIncident, index: number, now: Date): VendorIncident | null {
    const t = now.getTime();
    const stage = [
      ms(firstPostOf(incident)) <= t,
      incident.updates.filter((u) => ms(u.at) <= t).length,
      incident.resolvedAt !== null && ms(incident.resolvedAt) <= t,
    ].join('|');
    const cached = views.get(index);
    if (cached?.stage === stage) return cached.view;
    const view = vendorIncidentAt(incident, providerOf(incident.vendor), now);
    views.set(index, { stage, view });
    return view;
  }

  function applySnapshot(reading: SnapshotReading) {
    const listed = new Set(reading.incidents.map(key));
    if (reading.openSetComplete)
      for (const [k, known] of fromSnapshots)
        if (known.vendor === reading.vendor && known.resolvedAt === null && !listed.has(k))
          fromSnapshots.set(k, {
            ...known,
            status: 'resolved',
            resolvedAt: reading.at,
            resolvedBy: 'absence',
            updatedAt: reading.at,
          });
    for (const next of reading.incidents)
      fromSnapshots.set(key(next), mergeIncident(fromSnapshots.get(key(next)), next).incident);
  }

  return {
    /** Every vendor incident known at `now`, and whether anything changed since the previous call. */
    at(now: Date): { incidents: VendorIncident[]; changed: boolean } {
      while (pending.length > 0 && ms(pending[0]!.at) <= now.getTime()) applySnapshot(pending.shift()!);
      const byKey = new Map(fromSnapshots);
      authored.forEach((incident, index) => {
        const view = viewOf(incident, index, now);
        if (view) byKey.set(key(view), mergeIncident(byKey.get(key(view)), view).incident);
      });
      const incidents = [...byKey.values()];
      const signature = incidents
        .map((i) => `${key(i)}|${i.updatedAt}|${i.updates.length}|${i.resolvedAt}|${i.status}`)
        .sort()
        .join('\n');
      const changed = signature !== lastSignature;
      lastSignature = signature;
      return { incidents, changed };
    },
  };
}

/**
 * Our error events folded into per-minute buckets as the ingest worker would have stored them by
 * `now`: an event is counted once its `at` has passed, never earlier. Events carrying `calls` add to
 * the minute's call volume; a pure volume report (count 0) adds no error series.
 */
export function createErrorTimeline(events: readonly ErrorEvent[]) {
  const pending = [...events].sort((a, b) => ms(a.at) - ms(b.at));
  let next = 0;
  const buckets = new Map<number, Map<string, { series: Series; count: number }>>();
  const volume = new Map<number, Map<string, Omit<CallCount, 'minute'>>>();

  function advance(now: Date) {
    for (; next < pending.length && ms(pending[next]!.at) <= now.getTime(); next++) {
      const event = pending[next]!;
      const minute = minuteOf(event.at);
      if (event.calls !== undefined && event.calls > 0) {
        let calls = volume.get(minute);
        if (!calls) volume.set(minute, (calls = new Map()));
        const key = { service: event.service, vendor: event.vendor ?? '', region: event.region ?? '' };
        const field = callsField(key);
        const cell = calls.get(field);
        if (cell) cell.calls += event.calls;
        else calls.set(field, { ...key, calls: event.calls });
      }
      if (event.count === 0) continue;
      const series = seriesOf(event);
      let bucket = buckets.get(minute);
      if (!bucket) buckets.set(minute, (bucket = new Map()));
      const field = seriesField(series);
      const cell = bucket.get(field);
      if (cell) cell.count += event.count;
      else bucket.set(field, { series, count: event.count });
    }
  }

  /** Buckets of minutes [from, to] known at `now`, in the stored (per-minute) shape. */
  function bucketsAt(now: Date, from: number, to: number): MinuteCounts[] {
    advance(now);
    const out: MinuteCounts[] = [];
    for (let minute = from; minute <= to; minute++) {
      const bucket = buckets.get(minute);
      const calls = volume.get(minute);
      if (!bucket && !calls) continue;
      out.push({
        minute,
        counts: bucket ? [...bucket.values()].map((c) => ({ ...c })) : [],
        ...(calls ? { calls: [...calls.values()].map((c) => ({ ...c })) } : {}),
      });
    }
    return out;
  }

  return {
    buckets: bucketsAt,
    /** The same minutes flattened to the scorer's MinuteCount rows. */
    counts(now: Date, from: number, to: number): MinuteCount[] {
      return bucketsAt(now, from, to).flatMap((b) =>
        b.counts.map((c) => ({ minute: b.minute, series: c.series, count: c.count })),
      );
    },
    /** Call volume of minutes [from, to] known at `now`, as the scorer's CallCount rows. */
    calls(now: Date, from: number, to: number): CallCount[] {
      advance(now);
      const out: CallCount[] = [];
      for (let minute = from; minute <= to; minute++)
        for (const cell of volume.get(minute)?.values() ?? []) out.push({ minute, ...cell });
      return out;
    },
  };
}

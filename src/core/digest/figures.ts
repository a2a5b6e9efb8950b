import type { ErrorClass } from '../contracts.js';
import type { Suspect } from '../detect/suspect.js';
import { countsUntil, type Impact, type VendorIncident } from '../model.js';
import type { BlindSpan } from '../correlate/types.js';
import { riskWeights } from './types.js';

/*
 * One vendor's figures over one stretch of time, before scaling and rounding. Every stretch is a
 * half-open interval [from, to) of epoch ms; anything still open counts until `now`.
 */

const minuteMs = 60_000;

export interface Stretch {
  from: number;
  to: number;
}

/** Failed calls of one service to the vendor in one minute, of one error class. */
export interface ErrorRow {
  /** Epoch ms / 60000. */
  minute: number;
  service: string;
  errorClass: ErrorClass;
  count: number;
}

/** Calls one service made to the vendor in one minute (where producers report call volume). */
export interface CallsRow {
  minute: number;
  service: string;
  calls: number;
}

/** One of our incidents the vendor explained: when it ran, for overlap with a stretch. */
export interface ExplainedSpan {
  startedAt: number;
  resolvedAt: number | null;
}

/** Everything about one vendor the figures are computed from, already matched to the vendor. */
export interface VendorData {
  incidents: readonly VendorIncident[];
  explained: readonly ExplainedSpan[];
  errors: readonly ErrorRow[];
  calls: readonly CallsRow[];
  suspects: readonly Suspect[];
  blindSpans: readonly BlindSpan[];
}

/** Unrounded, unscaled figures, with the impact-weighted incident minutes the risk needs. */
export interface RawFigures {
  incidents: number;
  byImpact: Record<Impact, number>;
  incidentMinutes: number;
  weightedIncidentMinutes: number;
  maintenance: number;
  maintenanceMinutes: number;
  explained: number;
  errorMinutes: number;
  attributableErrorMinutes: number;
  failedCalls: number;
  calls: number | null;
  suspected: number;
  unposted: number;
  ackLags: number[];
  unreadableMinutes: number;
}

/** Milliseconds [start, end) shares with the stretch; null when they do not meet. A zero-length span counts when it lies inside. */
export function overlapMs(start: number, end: number, stretch: Stretch): number | null {
  if (start >= stretch.to) return null;
  if (end <= start) return start >= stretch.from ? 0 : null;
  if (end <= stretch.from) return null;
  return Math.min(end, stretch.to) - Math.max(start, stretch.from);
}

/** Whether something that ran [startedAt, resolvedAt ?? now) meets the stretch. */
export function ranIn(startedAt: number, resolvedAt: number | null, stretch: Stretch, now: number): boolean {
  return overlapMs(startedAt, resolvedAt ?? Math.max(now, startedAt), stretch) !== null;
}

/**
 * When a vendor incident ran: [startedAt, resolvedAt ?? now), an abandoned one only until 48 h after
 * the vendor's last word on it (`countsUntil`). Maintenance runs from its scheduled start when it has
 * one: it is often announced days before it begins.
 */
export function incidentWindow(incident: VendorIncident, now: number): { start: number; end: number } {
  const scheduled = incident.kind === 'maintenance' && incident.scheduledFor ? incident.scheduledFor : null;
  const start = Date.parse(scheduled ?? incident.startedAt);
  const end = Math.max(start, countsUntil(incident, now));
  return { start, end };
}

/** Minutes of an incident inside the stretch, rounded; null when it is not in it. */
export function incidentMinutesIn(incident: VendorIncident, stretch: Stretch, now: number): number | null {
  const { start, end } = incidentWindow(incident, now);
  const ms = overlapMs(start, end, stretch);
  return ms === null ? null : Math.round(ms / minuteMs);
}

/** Minutes of a blind span inside the stretch (an open one runs until now), rounded; null when outside. */
export function blindMinutesIn(span: BlindSpan, stretch: Stretch, now: number): number | null {
  const start = Date.parse(span.since);
  const end = span.until === null ? Math.min(now, stretch.to) : Date.parse(span.until);
  const ms = overlapMs(start, Math.max(start, end), stretch);
  return ms === null ? null : Math.round(ms / minuteMs);
}

/** Sorted, merged [start, end) windows in which the vendor's errors are attributable to it. */
export function attributableWindows(data: VendorData, now: number): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  for (const incident of data.incidents) {
    if (incident.kind !== 'incident') continue;
    const { start, end } = incidentWindow(incident, now);
    if (end > start) windows.push([start, end]);
  }
  for (const s of data.suspects) {
    const start = Date.parse(s.since);
    const end = s.closedAt ? Date.parse(s.closedAt) : Math.max(now, start);
    if (end > start) windows.push([start, end]);
  }
  windows.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const w of windows) {
    const last = merged[merged.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else merged.push([w[0], w[1]]);
  }
  return merged;
}

const inStretch = (minute: number, stretch: Stretch) =>
  minute * minuteMs >= stretch.from && minute * minuteMs < stretch.to;

/** Failed calls per minute (client errors left out), for the minutes in the stretch. */
function failedPerMinute(errors: readonly ErrorRow[], stretch: Stretch): Map<number, number> {
  const perMinute = new Map<number, number>();
  for (const row of errors) {
    if (row.errorClass === 'client' || row.count <= 0 || !inStretch(row.minute, stretch)) continue;
    perMinute.set(row.minute, (perMinute.get(row.minute) ?? 0) + row.count);
  }
  return perMinute;
}

/** How many of the minutes overlap one of the merged windows. */
function minutesInWindows(minutes: number[], windows: ReadonlyArray<[number, number]>): number {
  minutes.sort((a, b) => a - b);
  let n = 0;
  let w = 0;
  for (const minute of minutes) {
    const start = minute * minuteMs;
    while (w < windows.length && windows[w]![1] <= start) w++;
    const window = windows[w];
    if (window && window[0] < start + minuteMs) n++;
  }
  return n;
}

/** The vendor's figures over one stretch. `windows` comes from attributableWindows. */
export function rawFigures(
  data: VendorData,
  stretch: Stretch,
  now: number,
  windows: ReadonlyArray<[number, number]>,
): RawFigures {
  const f: RawFigures = {
    incidents: 0,
    byImpact: { critical: 0, major: 0, minor: 0, none: 0, unknown: 0 },
    incidentMinutes: 0,
    weightedIncidentMinutes: 0,
    maintenance: 0,
    maintenanceMinutes: 0,
    explained: 0,
    errorMinutes: 0,
    attributableErrorMinutes: 0,
    failedCalls: 0,
    calls: null,
    suspected: 0,
    unposted: 0,
    ackLags: [],
    unreadableMinutes: 0,
  };
  for (const incident of data.incidents) {
    const minutes = incidentMinutesIn(incident, stretch, now);
    if (minutes === null) continue;
    if (incident.kind === 'maintenance') {
      f.maintenance += 1;
      f.maintenanceMinutes += minutes;
      continue;
    }
    f.incidents += 1;
    f.byImpact[incident.impact] += 1;
    f.incidentMinutes += minutes;
    f.weightedIncidentMinutes += minutes * riskWeights.impact[incident.impact];
  }
  for (const ours of data.explained)
    if (ranIn(ours.startedAt, ours.resolvedAt, stretch, now)) f.explained += 1;

  const perMinute = failedPerMinute(data.errors, stretch);
  f.errorMinutes = perMinute.size;
  for (const n of perMinute.values()) f.failedCalls += n;
  f.attributableErrorMinutes = minutesInWindows([...perMinute.keys()], windows);
  for (const row of data.calls) {
    if (row.calls > 0 && inStretch(row.minute, stretch)) f.calls = (f.calls ?? 0) + row.calls;
  }

  for (const s of data.suspects) {
    const since = Date.parse(s.since);
    if (since < stretch.from || since >= stretch.to) continue;
    f.suspected += 1;
    if (s.vendorIncidentId === null) f.unposted += 1;
    else if (s.ackLagMinutes !== null) f.ackLags.push(s.ackLagMinutes);
  }
  for (const span of data.blindSpans) f.unreadableMinutes += blindMinutesIn(span, stretch, now) ?? 0;
  return f;
}

/** Rounded to one decimal. */
export const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The median of the values (mean of the middle two for an even count), rounded to one decimal; null when none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const m = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return round1(m);
}

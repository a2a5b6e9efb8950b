import type { VendorIncident } from '../model.js';
import { utc } from './evidence.js';
import { MINUTE, type Signal } from './signal-shared.js';

/*
 * Recovering together: our errors stopped within minutes of the vendor saying it had fixed, mitigated
 * or resolved its incident. A responder reads that as the strongest sign the two were one outage: our
 * own faults end when we roll back or fix, at our time, not at the vendor's. It also says the incident
 * touched what we use whatever the vendor calls its components ("R2" for our "object storage").
 */

/** How close our errors' end and the vendor's recovery must be. */
export const RECOVERY_ALIGN_MINUTES = 5;

/** Update wording that marks the vendor's recovery: a fix in place, mitigation, service restored. */
const RECOVERY_WORDS =
  /\b(?:fix(?:es)? (?:has|have|was|were) (?:been )?(?:implemented|deployed|applied|rolled out)|mitigat(?:ed|ion)|recover(?:ed|ing|y)|restored|back to normal|operating normally|resolved|rolled back|reverted)\b/i;
const NEGATED =
  /\b(?:not|no longer|yet to|until|once|will)\b[^.]{0,40}\b(?:recover|restor|resolv|mitigat|fix)/i;
const RECOVERY_STATUSES = new Set(['monitoring', 'resolved', 'completed', 'postmortem']);

/** The times the vendor marked its recovery, known at `now`: fixes, monitoring, resolution. */
export function recoveryTimes(v: Pick<VendorIncident, 'updates' | 'resolvedAt'>, now: number): number[] {
  const out: number[] = [];
  for (const u of v.updates) {
    const at = Date.parse(u.at);
    if (!(at <= now)) continue;
    const said = RECOVERY_WORDS.test(u.body) && !NEGATED.test(u.body);
    if (said || RECOVERY_STATUSES.has(u.status.toLowerCase())) out.push(at);
  }
  if (v.resolvedAt && Date.parse(v.resolvedAt) <= now) out.push(Date.parse(v.resolvedAt));
  return out.sort((a, b) => a - b);
}

/**
 * +0.8 when our errors (rising with the incident) ended within `RECOVERY_ALIGN_MINUTES` of a recovery
 * the vendor posted; null otherwise. `endedMinute` is the first quiet minute after our errors' rise.
 */
export function recoverySignal(
  vendor: string,
  v: Pick<VendorIncident, 'updates' | 'resolvedAt' | 'startedAt'>,
  endedMinute: number | null | undefined,
  now: number,
  reference: number,
): Signal | null {
  if (endedMinute === null || endedMinute === undefined) return null;
  const ended = endedMinute * MINUTE;
  // Our errors must end after the vendor's incident began: ending before it is no shared recovery.
  if (ended < Date.parse(v.startedAt)) return null;
  let best: number | null = null;
  for (const t of recoveryTimes(v, now))
    if (best === null || Math.abs(t - ended) < Math.abs(best - ended)) best = t;
  if (best === null || Math.abs(best - ended) > RECOVERY_ALIGN_MINUTES * MINUTE) return null;
  const gap = Math.round(Math.abs(best - ended) / MINUTE);
  return {
    name: 'recovery',
    value: 0.8,
    evidence: `our errors stopped at ${utc(ended, reference)}, ${gap === 0 ? 'as' : `${gap} min ${ended < best ? 'before' : 'after'}`} ${vendor} posted its recovery (${utc(best, reference)}): one outage ends once`,
  };
}

/** Our errors must go on at least this long after the vendor resolved to have outlasted it. */
export const OUTLAST_MIN_MINUTES = 15;

/**
 * -0.8 when our rising errors went on after the vendor resolved its incident for longer than its whole
 * incident lasted (and at least `OUTLAST_MIN_MINUTES`): one outage ends once, and a tail longer than
 * the outage itself ends at a time of ours. `endedMinute` is the first quiet minute after our errors'
 * rise, or null while they still run at `runningAt` (now, or our incident's end).
 */
export function outlastSignal(
  vendor: string,
  v: Pick<VendorIncident, 'resolvedAt'>,
  vendorStart: number,
  endedMinute: number | null,
  runningAt: number,
  now: number,
  reference: number,
): Signal | null {
  if (!v.resolvedAt || Date.parse(v.resolvedAt) > now) return null;
  const resolved = Date.parse(v.resolvedAt);
  const lasted = Math.max(0, Math.round((resolved - vendorStart) / MINUTE));
  const ours = endedMinute !== null ? endedMinute * MINUTE : runningAt;
  const over = Math.round((ours - resolved) / MINUTE);
  if (over < Math.max(OUTLAST_MIN_MINUTES, lasted)) return null;
  return {
    name: 'recovery',
    value: -0.8,
    evidence: `our errors ${endedMinute !== null ? `went on until ${utc(ours, reference)}` : `still run at ${utc(ours, reference)}`}, ${over} min after ${vendor} resolved it (${utc(resolved, reference)}), longer than its ${lasted}-minute incident: one outage ends once, and ours outlasted it`,
  };
}

import type { ChangeEvent } from '../contracts.js';
import { changeName, list, rate, relative, utc } from './evidence.js';
import {
  callsHealthy,
  callsMeasuredHealthy,
  clientDominated,
  selfLimited,
  type VendorErrorStats,
} from './signal-error-stats.js';
import { callsText, classBreakdown, surgeText } from './signal-errors.js';
import { MINUTE, RULES, type Signal } from './signal-shared.js';

// Competing internal explanations: a change of ours just before onset.

/** Changes of the failing service from 60 min before its incident to 5 min after, latest first. */
export function recentChanges(
  changes: readonly ChangeEvent[],
  service: string,
  startMs: number,
): ChangeEvent[] {
  return changes
    .filter((c) => {
      const at = Date.parse(c.at);
      return (
        c.service === service &&
        at >= startMs - RULES.changeBeforeMinutes * MINUTE &&
        at <= startMs + RULES.changeAfterMinutes * MINUTE
      );
    })
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** "deploy v812 of webinar-room at 23:55 UTC, 5 min before our incident began". */
export function changeSentence(change: ChangeEvent, startMs: number): string {
  const at = Date.parse(change.at);
  return `${changeName(change)} at ${utc(at, startMs)}, ${relative((at - startMs) / MINUTE, 'our incident began')}`;
}

/**
 * A change of ours just before onset competes with the vendor. It wins (veto) unless our calls to the
 * vendor fail with vendor-pointing errors; when they do, the change only weakens the vendor a little,
 * since a deploy and a real vendor outage can coincide.
 */
export function internalSignal(
  changes: readonly ChangeEvent[],
  stats: VendorErrorStats,
  startMs: number,
): Signal | null {
  const change = changes[0];
  if (!change) return null;
  const head =
    changeSentence(change, startMs) + (changes.length > 1 ? ` (and ${changes.length - 1} more)` : '');
  const v = stats.vendor;
  if (selfLimited(stats)) {
    return {
      name: 'internal',
      value: -1,
      veto: true,
      evidence: `${head}, and ${surgeText(stats)}: our change, not ${v}`,
    };
  }
  if (clientDominated(stats)) {
    return {
      name: 'internal',
      value: -1,
      veto: true,
      evidence: `${head}, and our calls to ${v} fail with client errors (${stats.byClass.client}${stats.clientCodes.length ? `, ${list(stats.clientCodes)}` : ''}): our change, not ${v}`,
    };
  }
  if (stats.pointing.level === 'spike') {
    return {
      name: 'internal',
      value: -0.3,
      evidence: `${head}, but our calls to ${v} fail with ${classBreakdown(stats)}, which point at ${v}`,
    };
  }
  if (stats.unknown.level === 'spike') {
    return {
      name: 'internal',
      value: -0.6,
      evidence: `${head}; our unclassified errors on ${v} could be either`,
    };
  }
  const u = stats.untagged;
  // Untagged 5xx and timeouts could be a vendor's; our own named failure codes after our change are ours.
  if (
    !callsMeasuredHealthy(stats) &&
    u.level.level === 'spike' &&
    u.client < u.level.count &&
    u.pointingShare >= 0.5
  ) {
    return {
      name: 'internal',
      value: -0.6,
      evidence: `${head}; ${stats.service}'s errors name no vendor, so they could be the change or ${v}: ambiguous`,
    };
  }
  const calls = !callsHealthy(stats)
    ? `no error of ours points at ${v}`
    : stats.calls && stats.calls.total > 0
      ? `our calls to ${v} stay healthy (${callsText(stats)})`
      : `our calls to ${v} stay at baseline (${rate(stats.pointing.baselinePerMin)})`;
  return {
    name: 'internal',
    value: -1,
    veto: true,
    evidence: `${head}, and ${calls}: the change is the better explanation`,
  };
}

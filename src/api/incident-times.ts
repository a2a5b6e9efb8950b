import type { InternalIncident } from '../core/contracts.js';
import type { IncidentAction } from './webhooks/generic.js';

/*
 * Impossible incident times, judged at the edges (API, inbound webhooks) against the server's clock.
 * Pure: the clock is an argument, so the contract schema itself stays free of "now".
 */

/** How far past the server's clock an incident time may lie: clock skew, not a wrong date. */
export const MAX_FUTURE_SKEW_MS = 15 * 60_000;

// Instants as people write them in messages: "2024-04-04T19:00:00Z" (milliseconds only when there are some).
const instant = (iso: string) => iso.replace('.000Z', 'Z');

/**
 * Why an incident's times are impossible at `now` (epoch ms): a time more than 15 minutes ahead of it,
 * or a resolution before the start. `fields` limits the future check to the times a write sets (a
 * PATCH must not trip over a stored start). Each problem names the field and the reason.
 */
export function incidentTimeProblems(
  incident: Pick<InternalIncident, 'startedAt' | 'resolvedAt'>,
  now: number,
  fields: ReadonlyArray<'startedAt' | 'resolvedAt'> = ['startedAt', 'resolvedAt'],
): string[] {
  const problems: string[] = [];
  for (const field of fields) {
    const value = incident[field];
    if (value !== null && Date.parse(value) > now + MAX_FUTURE_SKEW_MS)
      problems.push(
        `${field} ${instant(value)} is more than ${MAX_FUTURE_SKEW_MS / 60_000} minutes in the future ` +
          `(server time ${instant(new Date(now).toISOString())})`,
      );
  }
  const { startedAt, resolvedAt } = incident;
  if (resolvedAt !== null && Date.parse(resolvedAt) < Date.parse(startedAt))
    problems.push(`resolvedAt ${instant(resolvedAt)} is before startedAt ${instant(startedAt)}`);
  return problems;
}

/**
 * Impossible times in an inbound webhook's incident action: a start or resolution more than 15
 * minutes ahead of `now`, or a resolution before the start the same payload states. (A resolution
 * before the start of an incident stored from an earlier event is clamped when planned instead:
 * senders' clocks differ.)
 */
export function actionTimeProblems(action: IncidentAction, now: number): string[] {
  if (action.kind === 'open') return incidentTimeProblems(action.incident, now, ['startedAt']);
  if (action.kind !== 'resolve') return [];
  const startedAt = action.fallback?.startedAt ?? action.at;
  // A payload whose start is its resolution time (it stated no start) is judged once on that time.
  const fields = startedAt === action.at ? (['resolvedAt'] as const) : (['startedAt', 'resolvedAt'] as const);
  return incidentTimeProblems({ startedAt, resolvedAt: action.at }, now, fields);
}

import type { IncidentUpdate, VendorIncident } from './model.js';

/** What a poll changed about one incident; the correlator re-evaluates on each. */
export type IncidentChange = 'new' | 'updated' | 'resolved' | 'reopened';

function updateKey(update: IncidentUpdate): string {
  return update.id ?? `${update.at}|${update.status}`;
}

/**
 * Keeps every update ever seen: vendors drop old updates from their feeds and edit bodies in place,
 * so the union is kept, with the newest text for an update that was edited.
 */
export function mergeUpdates(previous: IncidentUpdate[], next: IncidentUpdate[]): IncidentUpdate[] {
  const byKey = new Map<string, IncidentUpdate>();
  for (const update of previous) byKey.set(updateKey(update), update);
  for (const update of next) byKey.set(updateKey(update), update);
  return [...byKey.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function earliest(a: string, b: string): string {
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

/**
 * Upserts `next` over what was stored. The newest view wins on title, status, impact and times (vendors
 * backdate and rename), but what we observed stays: every update, the first post time, a known impact
 * and components when the new source (a feed) carries none.
 */
export function mergeIncident(
  previous: VendorIncident | undefined,
  next: VendorIncident,
): { incident: VendorIncident; change: IncidentChange | null } {
  if (!previous) return { incident: next, change: 'new' };
  const updates = mergeUpdates(previous.updates, next.updates);
  const incident: VendorIncident = {
    ...next,
    impact: next.impact === 'unknown' ? previous.impact : next.impact,
    components: next.components.length > 0 ? next.components : previous.components,
    regions: next.regions.length > 0 ? next.regions : previous.regions,
    postedAt: earliest(previous.postedAt, next.postedAt),
    url: next.url ?? previous.url,
    updates,
  };
  const wasOpen = previous.resolvedAt === null;
  const isOpen = incident.resolvedAt === null;
  if (!wasOpen && isOpen) return { incident, change: 'reopened' };
  if (wasOpen && !isOpen) return { incident, change: 'resolved' };
  return { incident, change: differs(previous, incident) ? 'updated' : null };
}

function differs(a: VendorIncident, b: VendorIncident): boolean {
  return (
    a.title !== b.title ||
    a.status !== b.status ||
    a.impact !== b.impact ||
    a.kind !== b.kind ||
    a.startedAt !== b.startedAt ||
    a.updatedAt !== b.updatedAt ||
    a.resolvedAt !== b.resolvedAt ||
    a.updates.length !== b.updates.length ||
    a.updates.some((u, i) => u.body !== b.updates[i]?.body) ||
    a.components.join('\n') !== b.components.join('\n') ||
    a.regions.join('\n') !== b.regions.join('\n')
  );
}

import type { InternalIncident } from '../contracts.js';
import type { Suspect } from '../detect/suspect.js';
import type { VendorIncident } from '../model.js';
import { extractRegions } from '../regions/extract.js';
import { minuteOf } from '../series.js';
import { blindSpansKnownAt } from './blind-spans.js';
import type { CorrelationInput, SuspectedIssue } from './types.js';

/*
 * What was known at `now`: nothing published, detected, resolved, changed or counted after it. Pure.
 * The live path cuts what it read from Redis with these (see select-input.ts); replay builds its
 * input on a simulated clock with the same incidentKnownAt and toSuspectedIssue.
 */

const ms = (iso: string) => Date.parse(iso);
const terminal = new Set(['resolved', 'completed', 'postmortem']);

/** Our incident as known at `now`: still open until its resolution time has come. */
export function incidentKnownAt(incident: InternalIncident, now: number): InternalIncident {
  return incident.resolvedAt !== null && ms(incident.resolvedAt) > now
    ? { ...incident, resolvedAt: null }
    : incident;
}

/**
 * A stored vendor incident as a poll at `now` would have read it, or null before its first post:
 * later updates, a later resolution, and regions read only from later updates are not yet known.
 */
export function vendorIncidentKnownAt(v: VendorIncident, now: number): VendorIncident | null {
  if (ms(v.postedAt) > now) return null;
  if (ms(v.updatedAt) <= now && (v.resolvedAt === null || ms(v.resolvedAt) <= now)) return v;
  const updates = v.updates.filter((u) => ms(u.at) <= now);
  const last = updates.at(-1);
  const resolved = v.resolvedAt !== null && ms(v.resolvedAt) <= now;
  // Regions read from update bodies (the vendor named none elsewhere) count only from known updates.
  const fromUpdates =
    (v.regionEvidence ?? []).length > 0 && (v.regionEvidence ?? []).every((e) => e.from === 'update');
  const knownText = updates.map((u) => u.body).join('\n');
  const regionEvidence = fromUpdates
    ? (v.regionEvidence ?? []).filter((e) =>
        extractRegions(knownText).some((m) => m.id === e.id && !m.negated),
      )
    : v.regionEvidence;
  return {
    ...v,
    updates,
    updatedAt: last && ms(last.at) > ms(v.postedAt) ? last.at : v.postedAt,
    resolvedAt: resolved ? v.resolvedAt : null,
    status: resolved ? v.status : last && !terminal.has(last.status) ? last.status : 'investigating',
    ...(fromUpdates ? { regions: v.regions.filter((id) => regionEvidence?.some((e) => e.id === id)) } : {}),
    ...(regionEvidence ? { regionEvidence } : {}),
  };
}

/** A suspect in the scorer's shape, as it stands: its closure, vendor link and lag when set. */
export function toSuspectedIssue(s: Suspect): SuspectedIssue {
  return {
    id: s.id,
    vendor: s.vendor,
    region: s.region,
    since: s.since,
    detectedAt: s.detectedAt,
    closedAt: s.closedAt,
    services: s.services,
    ratePerMin: s.ratePerMin,
    baselinePerMin: s.baselinePerMin,
    ...(s.vendorIncidentId !== null ? { vendorIncidentId: s.vendorIncidentId } : {}),
    ...(s.vendorPostedAt !== null ? { vendorPostedAt: s.vendorPostedAt } : {}),
    ...(s.ackLagMinutes !== null ? { ackLagMinutes: s.ackLagMinutes } : {}),
  };
}

/**
 * A stored suspect as known at `now` (null before it was detected), in the scorer's shape: a closure
 * after `now` is not known yet, nor a link to a vendor incident posted after `now` (nor its lag).
 */
export function suspectKnownAt(s: Suspect, now: number): SuspectedIssue | null {
  if (ms(s.detectedAt) > now) return null;
  const linked = s.vendorIncidentId !== null && s.vendorPostedAt !== null && ms(s.vendorPostedAt) <= now;
  return toSuspectedIssue({
    ...s,
    closedAt: s.closedAt !== null && ms(s.closedAt) <= now ? s.closedAt : null,
    ...(linked ? {} : { vendorIncidentId: null, vendorPostedAt: null, ackLagMinutes: null }),
  });
}

/** The input as known at `now`: nothing published, detected, changed or counted after it. */
export function cutInput(input: CorrelationInput, now: Date): CorrelationInput {
  const t = now.getTime();
  const nowMinute = minuteOf(t);
  return {
    ...input,
    now,
    incident: incidentKnownAt(input.incident, t),
    vendorIncidents: input.vendorIncidents.flatMap((v) => vendorIncidentKnownAt(v, t) ?? []),
    ...(input.related ? { related: input.related.flatMap((v) => vendorIncidentKnownAt(v, t) ?? []) } : {}),
    errors: input.errors.filter((e) => e.minute <= nowMinute),
    changes: input.changes.filter((c) => ms(c.at) <= t),
    ...(input.calls ? { calls: input.calls.filter((c) => c.minute <= nowMinute) } : {}),
    ...(input.blind ? { blind: blindSpansKnownAt(input.blind, t) } : {}),
  };
}

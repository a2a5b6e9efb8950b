import { z } from 'zod';
import { memoByText } from './memo.js';

/** An ISO-8601 instant, always stored in UTC (`…Z`). */
export const instantSchema = z.iso.datetime({ offset: false });

export const impactSchema = z.enum(['none', 'minor', 'major', 'critical', 'unknown']);
export type Impact = z.infer<typeof impactSchema>;

export const incidentKindSchema = z.enum(['incident', 'maintenance']);

/** One published update of a vendor incident, as the vendor wrote it. */
export const incidentUpdateSchema = z.object({
  id: z.string().optional(),
  at: instantSchema,
  status: z.string(),
  /** Plain text for display and matching; tags stripped, entities decoded. */
  body: z.string(),
  /** The vendor's original markup, when it differed from `body`. */
  html: z.string().optional(),
});
export type IncidentUpdate = z.infer<typeof incidentUpdateSchema>;

/** A vendor incident or maintenance, normalized from any status-page platform. */
export const vendorIncidentSchema = z.object({
  vendor: z.string().min(1),
  id: z.string().min(1),
  title: z.string(),
  /** `unknown` only where the source carries no impact at all (feeds). */
  impact: impactSchema,
  /** The platform's own status word: investigating, identified, monitoring, resolved, scheduled, … */
  status: z.string(),
  kind: incidentKindSchema,
  /** Best estimate of onset: the earliest of created, started and the first update. */
  startedAt: instantSchema,
  /** When the vendor first published it (its first update). */
  postedAt: instantSchema,
  updatedAt: instantSchema,
  resolvedAt: instantSchema.nullable(),
  /**
   * `absence` when upcause closed the incident because the vendor stopped listing it as open without
   * ever saying it ended (feeds and current-events lists that drop finished events).
   */
  resolvedBy: z.enum(['vendor', 'absence']).optional(),
  /** Maintenance window, when the vendor announced one. */
  scheduledFor: instantSchema.nullable().optional(),
  scheduledUntil: instantSchema.nullable().optional(),
  components: z.array(z.string()),
  /** Canonical region ids (see src/core/regions/types.ts), most specific only; empty when none is named. */
  regions: z.array(z.string()),
  /** Where each region was read from, with the vendor's own words. */
  regionEvidence: z
    .array(
      z.object({
        id: z.string(),
        raw: z.string(),
        from: z.enum(['structured', 'component', 'group', 'title', 'update']),
      }),
    )
    .optional(),
  /** Oldest first. */
  updates: z.array(incidentUpdateSchema),
  url: z.string().nullable(),
});
export type VendorIncident = z.infer<typeof vendorIncidentSchema>;

export const componentStatusSchema = z.enum([
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
  'unknown',
]);
export type ComponentStatus = z.infer<typeof componentStatusSchema>;

export const vendorComponentSchema = z.object({
  id: z.string().optional(),
  name: z.string(),
  group: z.string().nullable(),
  status: componentStatusSchema,
  /** Canonical region ids the component (or its group) names. */
  regions: z.array(z.string()).optional(),
});
export type VendorComponent = z.infer<typeof vendorComponentSchema>;

/** Overall vendor state. `unknown` when the page could not be read: never `operational` by default. */
export const indicatorSchema = z.enum([
  'operational',
  'minor',
  'major',
  'critical',
  'maintenance',
  'unknown',
]);
export type Indicator = z.infer<typeof indicatorSchema>;

/** Whether the last poll of the vendor's page worked. */
export const sourceHealthSchema = z.enum(['ok', 'unreachable', 'parse_error', 'blocked']);
export type SourceHealth = z.infer<typeof sourceHealthSchema>;

/** A vendor's current state as read from its status page. */
export const vendorStatusSchema = z.object({
  vendor: z.string().min(1),
  indicator: indicatorSchema,
  description: z.string().optional(),
  components: z.array(vendorComponentSchema),
  fetchedAt: instantSchema,
  health: sourceHealthSchema,
});
export type VendorStatus = z.infer<typeof vendorStatusSchema>;

/** Converts any parseable timestamp (with offset) to a UTC ISO string, or null. */
export function toInstant(value: string | number | Date | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return instantOfText(value);
  return isoOf(value instanceof Date ? value : new Date(value));
}

function isoOf(date: Date): string | null {
  return Number.isFinite(date.getTime()) ? date.toISOString() : null;
}

// Pages repeat the same timestamps poll after poll, and validation and normalizing read each twice.
const instantOfText = memoByText((text) => isoOf(new Date(text)), {
  maxEntries: 50_000,
  maxChars: 2_000_000,
  maxKeyChars: 64,
});

const impactRank: Record<Impact, number> = { unknown: 0, none: 0, minor: 1, major: 2, critical: 3 };
const indicatorRank: Record<Indicator, number> = {
  operational: 0,
  maintenance: 1,
  minor: 2,
  major: 3,
  critical: 4,
  unknown: 5,
};

/** The worse of two indicators; a page's indicator can lag its own open incidents. */
export function worseIndicator(a: Indicator, b: Indicator): Indicator {
  return indicatorRank[a] >= indicatorRank[b] ? a : b;
}

/** Indicator implied by an open incident's impact. */
export function indicatorForImpact(impact: Impact): Indicator {
  return impactRank[impact] === 0 ? 'operational' : (impact as Indicator);
}

/** True when the incident has ended. */
export function isResolved(incident: Pick<VendorIncident, 'resolvedAt'>): boolean {
  return incident.resolvedAt !== null;
}

/**
 * An incident the vendor left open and has not touched for this long is taken as forgotten: some
 * vendors never close an incident, and counting it as running for months would make the digest's
 * incident minutes and the alerts about a vendor that is long fine.
 */
export const abandonedAfterMs = 48 * 3_600_000;

type EndFacts = Pick<
  VendorIncident,
  'startedAt' | 'updatedAt' | 'resolvedAt' | 'scheduledFor' | 'scheduledUntil'
>;

/** The vendor's last word on an open incident: its last update, start or announced window. */
function lastWord(incident: EndFacts): number {
  const times = [incident.updatedAt, incident.startedAt, incident.scheduledFor, incident.scheduledUntil];
  return Math.max(...times.map((t) => (t ? Date.parse(t) : Number.NEGATIVE_INFINITY)));
}

/** True when the incident is open but its vendor has said nothing about it for `abandonedAfterMs`. */
export function isAbandoned(incident: EndFacts, now: number): boolean {
  return incident.resolvedAt === null && now - lastWord(incident) > abandonedAfterMs;
}

/**
 * Until when an incident counts as running: its resolution; for an open one `now`, or, once it is
 * abandoned, `abandonedAfterMs` after the vendor's last word on it.
 */
export function countsUntil(incident: EndFacts, now: number): number {
  if (incident.resolvedAt !== null) return Date.parse(incident.resolvedAt);
  return Math.min(now, lastWord(incident) + abandonedAfterMs);
}

import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import {
  indicatorForImpact,
  toInstant,
  worseIndicator,
  type ComponentStatus,
  type Impact,
  type Indicator,
  type VendorComponent,
  type VendorIncident,
  type VendorStatus,
} from '../src/core/model.js';
import { earliest, getOptional, list, parseJson, raiseForOpen, text, time, withUrl } from './support.js';
import type { DetectContext, Detection, Provider } from './types.js';

const incidentSchema = z.looseObject({
  id: text,
  name: text,
  started: time,
  status: text,
  impact: text,
  url: text,
  updatedAt: time,
});
const maintenanceSchema = z.looseObject({
  id: text,
  name: text,
  start: time,
  status: text,
  // Minutes, sent as a string in the documented example.
  duration: z.union([z.string(), z.number()]).nullish(),
  url: text,
  updatedAt: time,
});
export const instatusSummarySchema = z.looseObject({
  page: z.looseObject({ name: text, url: text, status: z.string() }),
  // Omitted when empty.
  activeIncidents: list(incidentSchema),
  activeMaintenances: list(maintenanceSchema),
});
const componentSchema = z.looseObject({
  id: text,
  name: text,
  status: text,
  group: z.union([z.string(), z.looseObject({ name: text })]).nullish(),
  isParent: z.boolean().nullish(),
  get children() {
    return list(componentSchema);
  },
});
type InstatusComponent = z.infer<typeof componentSchema>;
// The live endpoint wraps the list in {components}; the documented API returns a bare array.
export const instatusComponentsSchema = z.union([
  z.array(componentSchema),
  z.looseObject({ components: z.array(componentSchema) }),
]);

// Instatus lists MINOROUTAGE after PARTIALOUTAGE, so it is read as no milder; a major outage is
// critical, as Statuspage reads major_outage.
const impacts: Record<string, Impact> = {
  OPERATIONAL: 'none',
  UNDERMAINTENANCE: 'none',
  DEGRADEDPERFORMANCE: 'minor',
  PARTIALOUTAGE: 'major',
  MINOROUTAGE: 'major',
  MAJOROUTAGE: 'critical',
};
const componentStatuses: Record<string, ComponentStatus> = {
  OPERATIONAL: 'operational',
  UNDERMAINTENANCE: 'under_maintenance',
  DEGRADEDPERFORMANCE: 'degraded_performance',
  PARTIALOUTAGE: 'partial_outage',
  MINOROUTAGE: 'partial_outage',
  MAJOROUTAGE: 'major_outage',
};
const maintenanceStatuses: Record<string, string> = {
  NOTSTARTEDYET: 'scheduled',
  INPROGRESS: 'in_progress',
  COMPLETED: 'completed',
};
const componentIndicators: Record<ComponentStatus, Indicator> = {
  operational: 'operational',
  unknown: 'unknown',
  under_maintenance: 'maintenance',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};

/** Page status words: UP, HASISSUES, UNDERMAINTENANCE, and the API's ALL/SOME/ONE + component status forms. */
function pageIndicator(word: string): Indicator {
  const upper = word.toUpperCase();
  if (upper === 'UP') return 'operational';
  if (upper === 'HASISSUES') return 'minor';
  const base = upper.replace(/^(ALL|SOME|ONE)(?=[A-Z])/, '');
  if (base === 'UNDERMAINTENANCE') return 'maintenance';
  const impact = impacts[base];
  return impact ? indicatorForImpact(impact) : 'unknown';
}

/** summary.json: the page status and its active incidents and maintenances (no updates, no components). */
export function parseSummary(
  body: string,
  vendor: string,
  now: Date,
): { status: VendorStatus; incidents: VendorIncident[] } {
  const data = parseJson(body, instatusSummarySchema, 'summary.json');
  const incidents: VendorIncident[] = [
    ...(data.activeIncidents ?? []).map((raw, index): VendorIncident => {
      const status = (raw.status ?? 'unknown').toLowerCase();
      const times = instantsOf(raw.started, raw.updatedAt, `activeIncidents[${index}]`);
      return {
        ...base(vendor, idOf(raw, `activeIncidents[${index}]`), raw.name, raw.url, times),
        impact: impacts[(raw.impact ?? '').toUpperCase()] ?? 'unknown',
        status,
        kind: 'incident',
        ...closed(times, status === 'resolved'),
      };
    }),
    ...(data.activeMaintenances ?? []).map((raw, index): VendorIncident => {
      const status =
        maintenanceStatuses[(raw.status ?? '').toUpperCase()] ?? (raw.status ?? 'unknown').toLowerCase();
      const times = instantsOf(raw.start, raw.updatedAt, `activeMaintenances[${index}]`);
      const minutes = Number(raw.duration);
      const until =
        Number.isFinite(minutes) && raw.duration != null
          ? new Date(Date.parse(times.startedAt) + minutes * 60_000).toISOString()
          : null;
      return {
        ...base(vendor, idOf(raw, `activeMaintenances[${index}]`), raw.name, raw.url, times),
        impact: 'none',
        status,
        kind: 'maintenance',
        ...closed(times, status === 'completed'),
        scheduledFor: toInstant(raw.start),
        scheduledUntil: until,
      };
    }),
  ];
  const indicator = raiseForOpen(pageIndicator(data.page.status), incidents);
  const status: VendorStatus = {
    vendor,
    indicator,
    components: [],
    fetchedAt: now.toISOString(),
    health: 'ok',
  };
  return { status, incidents };
}

/** components.json (v2/v3): flat or nested components; parent rows become the group of their children. */
export function parseComponents(body: string): VendorComponent[] {
  const data = parseJson(body, instatusComponentsSchema, 'components.json');
  const rows = Array.isArray(data) ? data : data.components;
  const flatten = (row: InstatusComponent, parent: string | null): VendorComponent[] => {
    const children = row.children ?? [];
    if (children.length > 0 || row.isParent) return children.flatMap((c) => flatten(c, row.name ?? parent));
    if (!row.name) return [];
    const group = parent ?? (typeof row.group === 'string' ? row.group : (row.group?.name ?? null));
    const status = componentStatuses[(row.status ?? '').toUpperCase()] ?? 'unknown';
    return [{ ...(row.id ? { id: row.id } : {}), name: row.name, group, status }];
  };
  return rows.flatMap((row) => flatten(row, null));
}

interface Times {
  startedAt: string;
  postedAt: string;
  updatedAt: string;
}

// A maintenance is announced (updatedAt) before it starts; an incident is updated after.
function instantsOf(
  start: string | null | undefined,
  updated: string | null | undefined,
  where: string,
): Times {
  const changed = toInstant(updated);
  const startedAt = toInstant(start) ?? changed;
  if (startedAt === null) throw new FetchError('parse', `summary.json: ${where}: no start time`);
  return {
    startedAt,
    postedAt: earliest([startedAt, changed]) ?? startedAt,
    updatedAt: changed ?? startedAt,
  };
}

// The summary example has no id, only the incident page URL (`…/incident/<cuid>`).
function idOf(raw: { id?: string | null; url?: string | null }, where: string): string {
  const id = raw.id ?? raw.url?.match(/\/(?:incidents?|maintenances?)\/([^/?#]+)/)?.[1];
  if (!id) throw new FetchError('parse', `summary.json: ${where}: no id and no incident url`);
  return id;
}

/** A closed item ended at its last change, and never before it started. */
function closed(t: Times, done: boolean): { startedAt: string; resolvedAt: string | null } {
  if (!done) return { startedAt: t.startedAt, resolvedAt: null };
  return { startedAt: earliest([t.startedAt, t.updatedAt]) ?? t.startedAt, resolvedAt: t.updatedAt };
}

/** Shared fields; the summary carries no updates, so the start stands in for the first post. */
function base(
  vendor: string,
  id: string,
  name: string | null | undefined,
  url: string | null | undefined,
  t: Times,
) {
  return {
    vendor,
    id,
    title: name ?? '',
    ...t,
    components: [],
    regions: [],
    updates: [],
    url: url ?? null,
  };
}

/** Polls summary.json, then components.json when the page has one. */
export const instatusProvider: Provider = {
  id: 'instatus',
  name: 'Instatus',
  async poll(ctx) {
    const vendor = ctx.vendor.id;
    const summary = await ctx.get('/summary.json', { accept: 'application/json' });
    if (summary.status === 304) return { notModified: true, status: null, incidents: [] };
    const { status, incidents } = withUrl(summary.url, () => parseSummary(summary.body, vendor, ctx.now));
    let components: VendorComponent[] = [];
    // Fetched in full: the summary changed, so the status needs the whole component list. Older
    // pages have no components.json; the summary still stands.
    const res = await getOptional(ctx, '/v2/components.json', {
      accept: 'application/json',
      conditional: false,
    });
    if (res?.status === 200) components = withUrl(res.url, () => parseComponents(res.body));
    const indicator = components.reduce(
      (w, c) => worseIndicator(w, componentIndicators[c.status]),
      status.indicator,
    );
    // summary.json lists only active incidents and maintenances, and resolved ones simply vanish from it.
    return {
      notModified: false,
      status: { ...status, indicator, components },
      incidents,
      openSetComplete: true,
    };
  },
  detect,
};

async function detect(ctx: DetectContext): Promise<Detection | null> {
  const page = new URL(ctx.pageUrl);
  // A page under a path serves summary.json there; a deep link's origin serves the page's.
  for (const base of new Set([page.pathname.replace(/\/+$/, ''), ''])) {
    try {
      const res = await ctx.get(`${base}/summary.json`, { accept: 'application/json' });
      const data = parseJson(res.body, instatusSummarySchema, 'summary.json');
      if (pageIndicator(data.page.status) === 'unknown') continue;
      return {
        provider: 'instatus',
        confidence: 0.9,
        url: `${page.origin}${base}`,
        ...(data.page.name ? { name: data.page.name } : {}),
        evidence: [`${base}/summary.json answered Instatus's summary with page status ${data.page.status}.`],
      };
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
    }
  }
  const home = await ctx.home();
  if (!home || !/instatus/i.test(home.body)) return null;
  return {
    provider: 'instatus',
    confidence: 0.5,
    url: ctx.pageUrl,
    evidence: ['The page mentions Instatus, but summary.json did not answer in its shape.'],
  };
}

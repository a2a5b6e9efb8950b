import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import {
  indicatorForImpact,
  toInstant,
  worseIndicator,
  type ComponentStatus,
  type Impact,
  type IncidentUpdate,
  type Indicator,
  type VendorComponent,
  type VendorIncident,
  type VendorStatus,
} from '../src/core/model.js';
import { plainBody } from '../src/core/text.js';
import { earliest, latest, list, parseJson, text, time, withUrl } from './support.js';
import type { Detection, DetectContext, Provider } from './types.js';

/** Google Cloud Service Health; Google Workspace serves the same format under its own base URL. */
export const GCP_URL = 'https://status.cloud.google.com';

const locationSchema = z.looseObject({ id: text, title: text });
export const gcpUpdateSchema = z.looseObject({
  created: time,
  modified: time,
  when: time,
  text: text,
  status: text,
  affected_locations: list(locationSchema),
});
// Fields follow Google's published incidents.schema.json; `external_desc` is the title there.
export const gcpIncidentSchema = z.looseObject({
  id: z.string().min(1),
  number: text,
  begin: time,
  created: time,
  end: time,
  modified: time,
  external_desc: text,
  severity: text,
  status_impact: text,
  service_key: text,
  service_name: text,
  uri: text,
  updates: list(gcpUpdateSchema),
  currently_affected_locations: list(locationSchema),
  previously_affected_locations: list(locationSchema),
  affected_products: list(z.looseObject({ id: text, title: text, current_title: text })),
});
export const gcpIncidentsSchema = z.array(gcpIncidentSchema);
export type GcpIncident = z.infer<typeof gcpIncidentSchema>;

// Google pairs the two scales (low/INFORMATION, medium/DISRUPTION, high/OUTAGE); each step maps onto
// one of the model's three levels. Informational posts are real, customer-visible issues, so minor.
const impactByStatusImpact: Record<string, Impact> = {
  SERVICE_INFORMATION: 'minor',
  SERVICE_DISRUPTION: 'major',
  SERVICE_OUTAGE: 'critical',
};
const impactBySeverity: Record<string, Impact> = { low: 'minor', medium: 'major', high: 'critical' };
const rank: Record<Impact, number> = { unknown: -1, none: 0, minor: 1, major: 2, critical: 3 };
const componentStatusByImpact: Record<Impact, ComponentStatus> = {
  none: 'operational',
  unknown: 'unknown',
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'major_outage',
};

/** incidents.json: every recent incident, open and closed, newest first. */
export function parseGcpIncidents(body: string, vendor: string, pageUrl = GCP_URL): VendorIncident[] {
  return parseJson(body, gcpIncidentsSchema, 'incidents.json').map((raw) => toIncident(raw, vendor, pageUrl));
}

/** The page has no summary endpoint: the indicator and components come from the incidents still open. */
export function gcpStatusFromIncidents(incidents: VendorIncident[], vendor: string, now: Date): VendorStatus {
  let indicator: Indicator = 'operational';
  const worst = new Map<string, Impact>();
  for (const incident of incidents) {
    if (incident.resolvedAt !== null) continue;
    // An open incident of unknown weight still means the page is not all green.
    const impact = incident.impact === 'unknown' ? 'minor' : incident.impact;
    indicator = worseIndicator(indicator, indicatorForImpact(impact));
    for (const name of incident.components) {
      const seen = worst.get(name);
      if (seen === undefined || rank[impact] > rank[seen]) worst.set(name, impact);
    }
  }
  const components = [...worst].map(([name, impact]): VendorComponent => ({
    name,
    group: null,
    status: componentStatusByImpact[impact],
  }));
  return { vendor, indicator, components, fetchedAt: now.toISOString(), health: 'ok' };
}

function toIncident(raw: GcpIncident, vendor: string, pageUrl: string): VendorIncident {
  // Google lists updates newest first; reversing before the stable sort keeps same-second ones in order.
  const timed = [...(raw.updates ?? [])].reverse().flatMap((u) => {
    const at = toInstant(u.when ?? u.created);
    return at === null ? [] : [{ u, at }];
  });
  timed.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const updates = timed.map(({ u, at }): IncidentUpdate => ({
    at,
    status: (u.status ?? 'unknown').toLowerCase(),
    ...plainBody(u.text ?? ''),
  }));
  const created = toInstant(raw.created);
  // `begin` is the onset Google determined afterwards, often hours before the entry was created.
  let startedAt = earliest([toInstant(raw.begin), created, updates[0]?.at ?? null]);
  if (startedAt === null)
    throw new FetchError('parse', `incidents.json: incident ${raw.id}: no begin, created or timed update`);
  const postedAt = earliest([created, ...timed.map((t) => toInstant(t.u.created))]) ?? startedAt;
  // `modified` moves when Google edits an update in place, e.g. to add the incident report.
  const updatedAt =
    latest([toInstant(raw.modified), postedAt, ...timed.flatMap((t) => [t.at, toInstant(t.u.modified)])]) ??
    postedAt;
  const resolvedAt = toInstant(raw.end);
  if (resolvedAt !== null && Date.parse(resolvedAt) < Date.parse(startedAt)) startedAt = resolvedAt;
  return {
    vendor,
    id: raw.id,
    title: raw.external_desc ?? '',
    impact: impactOf(raw),
    status: resolvedAt !== null ? 'resolved' : (updates.at(-1)?.status ?? 'unknown'),
    kind: 'incident',
    startedAt,
    postedAt,
    updatedAt,
    resolvedAt,
    components: componentsOf(raw),
    regions: regionsOf(raw),
    updates,
    url: linkOf(raw, pageUrl),
  };
}

function impactOf(raw: GcpIncident): Impact {
  const byImpact = impactByStatusImpact[raw.status_impact ?? ''] ?? 'unknown';
  const bySeverity = impactBySeverity[raw.severity?.toLowerCase() ?? ''] ?? 'unknown';
  return rank[byImpact] >= rank[bySeverity] ? byImpact : bySeverity;
}

// `title` is what the page showed at the time; the deprecated service_name only when there are no products.
function componentsOf(raw: GcpIncident): string[] {
  const titles = (raw.affected_products ?? []).flatMap((p) => {
    const title = p.title ?? p.current_title;
    return title ? [title] : [];
  });
  if (titles.length === 0 && raw.service_name && raw.service_name !== 'Multiple Products')
    titles.push(raw.service_name);
  return [...new Set(titles)];
}

/** Google's own location ids (`europe-west3`, `us`, `global`), as given: the platform's structured regions. */
function regionsOf(raw: GcpIncident): string[] {
  const locations = [
    ...(raw.currently_affected_locations ?? []),
    ...(raw.previously_affected_locations ?? []),
    ...(raw.updates ?? []).flatMap((u) => u.affected_locations ?? []),
  ];
  return [...new Set(locations.flatMap((l) => (l.id ? [l.id] : [])))];
}

function linkOf(raw: GcpIncident, pageUrl: string): string {
  const uri = raw.uri ?? `incidents/${raw.id}`;
  return /^https?:\/\//.test(uri) ? uri : `${pageUrl.replace(/\/+$/, '')}/${uri.replace(/^\/+/, '')}`;
}

/** Polls incidents.json (all recent incidents, open and closed) and derives the status from the open ones. */
export const gcpProvider: Provider = {
  id: 'gcp',
  name: 'Google Cloud Service Health',
  async poll(ctx) {
    const response = await ctx.get('/incidents.json', { accept: 'application/json' });
    if (response.status === 304) return { notModified: true, status: null, incidents: [] };
    const incidents = withUrl(response.url, () =>
      parseGcpIncidents(response.body, ctx.vendor.id, ctx.vendor.url),
    );
    return {
      notModified: false,
      status: gcpStatusFromIncidents(incidents, ctx.vendor.id, ctx.now),
      incidents,
      // incidents.json carries every incident, so one we hold open that is missing from it has ended.
      openSetComplete: true,
    };
  },
  detect: detectGcp,
};

const knownHosts = new Set(['status.cloud.google.com']);

/** Recognizes status.cloud.google.com by name, or any page serving incidents.json in Google's shape. */
async function detectGcp(ctx: DetectContext): Promise<Detection | null> {
  const page = new URL(ctx.pageUrl);
  if (knownHosts.has(page.hostname))
    return {
      provider: 'gcp',
      confidence: 0.95,
      url: GCP_URL,
      name: 'Google Cloud',
      evidence: [`${page.hostname} is Google Cloud's Service Health dashboard`],
    };
  // The page itself may sit under a path (Google Workspace: /appsstatus/dashboard), so try there first.
  const bases = [...new Set([ctx.pageUrl, page.origin])];
  for (const base of bases) {
    let incidents: GcpIncident[];
    try {
      const response = await ctx.getUrl(`${base}/incidents.json`, { accept: 'application/json' });
      incidents = parseJson(response.body, gcpIncidentsSchema, 'incidents.json');
    } catch (error) {
      if (error instanceof FetchError) continue;
      throw error;
    }
    // An empty array matches any JSON API; Google's own fields make it specific.
    const specific = incidents.find(
      (i) => i.status_impact || i.currently_affected_locations || i.affected_products,
    );
    if (!specific) continue;
    return {
      provider: 'gcp',
      confidence: 0.9,
      url: base,
      evidence: [
        `${base}/incidents.json lists ${incidents.length} incidents in Google Cloud's shape (status_impact, affected locations and products)`,
      ],
    };
  }
  return null;
}

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
import type { Provider } from './types.js';

export const slackNoteSchema = z.looseObject({ date_created: time, body: text });
export const slackItemSchema = z.looseObject({
  // The docs' sample sends "546" as a string; the live API sends an integer.
  id: z.union([z.string().min(1), z.number()]).transform(String),
  date_created: time,
  date_updated: time,
  title: text,
  type: text,
  status: text,
  url: text,
  services: list(z.string()),
  notes: list(slackNoteSchema),
});
export const slackCurrentSchema = z.looseObject({
  status: z.string(),
  date_created: time,
  date_updated: time,
  active_incidents: list(slackItemSchema),
});
export const slackHistorySchema = z.array(slackItemSchema);
export type SlackItem = z.infer<typeof slackItemSchema>;

const maintenanceStatuses = new Set(['scheduled', 'completed', 'cancelled']);
const terminalStatuses = new Set(['resolved', 'completed', 'cancelled']);
// Slack's page ranks its types notice < incident < outage and publishes no impact. A notice is
// informational (like Statuspage's "none"), an incident a partial problem, an outage a broad one.
const impacts: Record<string, Impact> = { notice: 'none', incident: 'minor', outage: 'major' };
// The component wording Statuspage uses for the same impacts, so both read alike downstream.
const serviceStatuses: Record<Impact, ComponentStatus> = {
  none: 'operational',
  unknown: 'unknown',
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'major_outage',
};
const serviceRank: Record<ComponentStatus, number> = {
  operational: 0,
  unknown: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

/** api/v2.0.0/current: the overall word plus the active incidents, outages, notices and maintenances. */
export function parseSlackCurrent(
  body: string,
  vendor: string,
  now: Date,
): { status: VendorStatus; incidents: VendorIncident[] } {
  const data = parseJson(body, slackCurrentSchema, 'slack current');
  const incidents = (data.active_incidents ?? []).map((item) => toVendorIncident(item, vendor));
  const open = incidents.filter((i) => i.resolvedAt === null);
  // The page's own word is only ok or active; anything else is drift we cannot read as healthy.
  let indicator: Indicator = data.status === 'ok' || data.status === 'active' ? 'operational' : 'unknown';
  const services = new Map<string, ComponentStatus>();
  for (const incident of open) {
    const active = incident.kind === 'incident' || incident.status === 'active';
    if (!active) continue; // an announced maintenance has not started
    const level = incident.kind === 'maintenance' ? 'maintenance' : indicatorForImpact(incident.impact);
    indicator = worseIndicator(indicator, level);
    const serviceStatus =
      incident.kind === 'maintenance' ? 'under_maintenance' : serviceStatuses[incident.impact];
    for (const name of incident.components) {
      const seen = services.get(name);
      if (!seen || serviceRank[serviceStatus] > serviceRank[seen]) services.set(name, serviceStatus);
    }
  }
  // "active" with nothing listed still says something is wrong: never report that as operational.
  if (data.status === 'active' && open.length === 0) indicator = 'minor';
  const components = [...services].map(([name, status]): VendorComponent => ({ name, group: null, status }));
  const description =
    data.status === 'ok' ? 'No issues' : `${open.length} active item${open.length === 1 ? '' : 's'}`;
  return {
    status: { vendor, indicator, description, components, fetchedAt: now.toISOString(), health: 'ok' },
    incidents,
  };
}

/** api/v2.0.0/history: a bare array of recent items, resolved ones included. */
export function parseSlackHistory(body: string, vendor: string): VendorIncident[] {
  return parseJson(body, slackHistorySchema, 'slack history').map((item) => toVendorIncident(item, vendor));
}

function toVendorIncident(item: SlackItem, vendor: string): VendorIncident {
  const status = item.status ?? 'unknown';
  const kind = item.type === 'maintenance' || maintenanceStatuses.has(status) ? 'maintenance' : 'incident';
  const notes = (item.notes ?? [])
    .flatMap((note) => {
      const at = toInstant(note.date_created);
      return at === null ? [] : [{ at, body: note.body ?? '' }];
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  // Notes carry no status: the last one is the item's current state, the ones before it were open.
  const openWord = kind === 'maintenance' ? 'scheduled' : 'active';
  const updates = notes.map((note, index): IncidentUpdate => ({
    at: note.at,
    status: index === notes.length - 1 ? status : openWord,
    ...plainBody(note.body),
  }));
  const created = toInstant(item.date_created);
  let startedAt = earliest([created, updates[0]?.at ?? null]);
  if (startedAt === null)
    throw new FetchError('parse', `slack item ${item.id}: no date_created and no dated note`);
  const postedAt = startedAt;
  const updatedAt = latest([toInstant(item.date_updated), ...updates.map((u) => u.at)]) ?? postedAt;
  const resolvedAt = terminalStatuses.has(status) ? (updates.at(-1)?.at ?? updatedAt) : null;
  if (resolvedAt !== null && Date.parse(resolvedAt) < Date.parse(startedAt)) startedAt = resolvedAt;
  return {
    vendor,
    id: item.id,
    title: item.title ?? '',
    impact: kind === 'maintenance' ? 'none' : (impacts[item.type ?? ''] ?? 'unknown'),
    status,
    kind,
    startedAt,
    postedAt,
    updatedAt,
    resolvedAt,
    components: [...new Set(item.services ?? [])],
    // Slack is one global service and names no regions.
    regions: [],
    updates,
    url: item.url ?? null,
  };
}

/** Slack's own status API (https://slack-status.com): current state, then the recent history, merged by id. */
export const slackProvider: Provider = {
  id: 'slack',
  name: 'Slack Status API',
  async poll(ctx) {
    const vendor = ctx.vendor.id;
    const current = await ctx.get('/api/v2.0.0/current', { accept: 'application/json' });
    if (current.status === 304) return { notModified: true, status: null, incidents: [] };
    const { status, incidents } = withUrl(current.url, () =>
      parseSlackCurrent(current.body, vendor, ctx.now),
    );
    const history = await ctx.get('/api/v2.0.0/history', { accept: 'application/json' });
    const past =
      history.status === 304 ? [] : withUrl(history.url, () => parseSlackHistory(history.body, vendor));
    const byId = new Map<string, VendorIncident>();
    for (const incident of [...past, ...incidents]) {
      const seen = byId.get(incident.id);
      if (!seen || Date.parse(incident.updatedAt) >= Date.parse(seen.updatedAt))
        byId.set(incident.id, incident);
    }
    // `current` lists every active incident, so one we hold open that it no longer lists has ended.
    return { notModified: false, status, incidents: [...byId.values()], openSetComplete: true };
  },
  async detect(ctx) {
    try {
      const response = await ctx.get('/api/v2.0.0/current', { accept: 'application/json' });
      const data = parseJson(response.body, slackCurrentSchema, 'slack current');
      if (!['ok', 'active'].includes(data.status) || !data.date_updated) return null;
      return {
        provider: 'slack',
        confidence: 0.9,
        url: new URL(response.url).origin,
        name: 'Slack',
        evidence: [`/api/v2.0.0/current answered in Slack's status API shape (status "${data.status}")`],
      };
    } catch (error) {
      if (error instanceof FetchError) return null;
      throw error;
    }
  },
};

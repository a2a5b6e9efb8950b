import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import {
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
import { htmlToText, plainBody } from '../src/core/text.js';
import {
  describeIssue,
  earliest,
  latest,
  list,
  parseJson,
  raiseForOpen,
  text,
  time,
  withUrl,
} from './support.js';
import type { Detection, DetectContext, Provider } from './types.js';

/** The public API host every status.io page is served from. */
export const statusioApiBase = 'https://api.status.io';

/** `options` of a status.io vendor: the page id shown under "API" in the status.io dashboard. */
export const statusioOptionsSchema = z.object({
  pageId: z
    .string({ error: 'pageId is required: the 24-hex status.io page id (dashboard → API)' })
    .regex(/^[0-9a-f]{24}$/i, 'pageId must be 24 hex characters, e.g. 5b36dc6502d06804c08349f7'),
});

const code = z.number().int().nullish();
const refSchema = z.looseObject({ _id: text, name: text });
const containerSchema = z.looseObject({ id: text, name: text, status: text, status_code: code });
const componentSchema = z.looseObject({
  id: text,
  name: text,
  status: text,
  status_code: code,
  containers: list(containerSchema),
});
const messageSchema = z.looseObject({ _id: text, details: text, state: code, status: code, datetime: time });
const eventSchema = z.looseObject({
  _id: z.string().min(1),
  name: text,
  datetime_open: time,
  datetime_planned_start: time,
  datetime_planned_end: time,
  messages: list(messageSchema),
  containers_affected: list(refSchema),
  components_affected: list(refSchema),
});
export const statusioStatusSchema = z.looseObject({
  result: z.looseObject({
    status_overall: z.looseObject({ updated: time, status: text, status_code: code }).nullish(),
    status: list(componentSchema),
    incidents: list(eventSchema),
    maintenance: z.looseObject({ active: list(eventSchema), upcoming: list(eventSchema) }).nullish(),
  }),
});
type StatusioEvent = z.infer<typeof eventSchema>;

interface CodeMeaning {
  component: ComponentStatus;
  indicator: Indicator;
  impact: Impact;
}
// status.io's documented codes. 600 "Security Event" is not an outage by itself, but vendors use it when
// they disable features (GitLab 2020-02), so it counts as major rather than being ignored.
const codes: Record<number, CodeMeaning> = {
  100: { component: 'operational', indicator: 'operational', impact: 'none' },
  200: { component: 'under_maintenance', indicator: 'maintenance', impact: 'none' },
  300: { component: 'degraded_performance', indicator: 'minor', impact: 'minor' },
  400: { component: 'partial_outage', indicator: 'major', impact: 'major' },
  500: { component: 'major_outage', indicator: 'critical', impact: 'critical' },
  600: { component: 'partial_outage', indicator: 'major', impact: 'major' },
};
const unknownCode: CodeMeaning = { component: 'unknown', indicator: 'unknown', impact: 'unknown' };
const meaning = (value: number | null | undefined): CodeMeaning =>
  (value === null || value === undefined ? undefined : codes[value]) ?? unknownCode;

// Message `state` is the lifecycle step; the same codes read differently on a maintenance.
const incidentStates: Record<number, string> = { 100: 'investigating', 200: 'identified', 300: 'monitoring' };
const maintenanceStates: Record<number, string> = { 100: 'scheduled', 200: 'in_progress', 300: 'completed' };
const impactRank: Record<Impact, number> = { unknown: -1, none: 0, minor: 1, major: 2, critical: 3 };

/**
 * `GET /1.0/status/<pageId>`: the page's components × containers and its open incidents and
 * maintenances. Components are one row per (component, container): name = component, group = container.
 */
export function parseStatusioStatus(
  body: string,
  vendor: string,
  now: Date,
): { status: VendorStatus; incidents: VendorIncident[] } {
  const { result } = parseJson(body, statusioStatusSchema, 'status.io status');
  const components = (result.status ?? []).flatMap((row): VendorComponent[] => {
    if (!row.name) return [];
    const name = row.name;
    const containers = (row.containers ?? []).filter((c) => c.name);
    if (containers.length === 0)
      return [
        { ...(row.id ? { id: row.id } : {}), name, group: null, status: meaning(row.status_code).component },
      ];
    return containers.map((c) => ({
      ...(row.id && c.id ? { id: `${row.id}/${c.id}` } : {}),
      name,
      group: c.name ?? null,
      status: meaning(c.status_code).component,
    }));
  });
  const incidents = [
    ...(result.incidents ?? []).map((e) => toIncident(e, vendor, 'incident')),
    ...(result.maintenance?.active ?? []).map((e) => toIncident(e, vendor, 'active')),
    ...(result.maintenance?.upcoming ?? []).map((e) => toIncident(e, vendor, 'upcoming')),
  ];
  const overall = result.status_overall?.status_code;
  const indicator: Indicator =
    overall !== null && overall !== undefined
      ? meaning(overall).indicator
      : components.reduce<Indicator>(
          (worst, c) => worseIndicator(worst, componentIndicator(c.status)),
          'operational',
        );
  const description = result.status_overall?.status ?? undefined;
  return {
    status: {
      vendor,
      // The public API lists only unresolved incidents and current maintenances; the overall code can lag them.
      indicator: raiseForOpen(indicator, incidents),
      ...(description ? { description } : {}),
      components,
      fetchedAt: now.toISOString(),
      health: 'ok',
    },
    incidents,
  };
}

function componentIndicator(status: ComponentStatus): Indicator {
  return Object.values(codes).find((c) => c.component === status)?.indicator ?? 'unknown';
}

function toIncident(
  raw: StatusioEvent,
  vendor: string,
  source: 'incident' | 'active' | 'upcoming',
): VendorIncident {
  const kind = source === 'incident' ? 'incident' : 'maintenance';
  const states = kind === 'incident' ? incidentStates : maintenanceStates;
  const timed = (raw.messages ?? []).flatMap((m) => {
    const at = toInstant(m.datetime);
    return at === null ? [] : [{ m, at }];
  });
  timed.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const updates = timed.map(({ m, at }): IncidentUpdate => ({
    ...(m._id ? { id: m._id } : {}),
    at,
    status: (m.state !== null && m.state !== undefined ? states[m.state] : undefined) ?? 'unknown',
    ...plainBody(m.details ?? ''),
  }));
  const opened = toInstant(raw.datetime_open);
  const scheduledFor = toInstant(raw.datetime_planned_start);
  const postedAt = updates[0]?.at ?? opened;
  const startedAt = kind === 'maintenance' && scheduledFor ? scheduledFor : earliest([opened, postedAt]);
  if (startedAt === null || postedAt === null)
    throw new FetchError('parse', `status.io status: event ${raw._id}: no datetime_open or timed message`);
  // The message status is the component status the vendor set with that message: the worst one is the impact.
  const impact =
    kind === 'maintenance'
      ? 'none'
      : (raw.messages ?? [])
          .map((m) => meaning(m.status).impact)
          .reduce<Impact>((worst, i) => (impactRank[i] > impactRank[worst] ? i : worst), 'unknown');
  const status =
    kind === 'incident'
      ? (updates.at(-1)?.status ?? 'investigating')
      : source === 'active'
        ? 'in_progress'
        : 'scheduled';
  const names = [...(raw.components_affected ?? []), ...(raw.containers_affected ?? [])].flatMap((r) =>
    r.name ? [r.name] : [],
  );
  return {
    vendor,
    id: raw._id,
    title: raw.name ?? '',
    impact,
    status,
    kind,
    startedAt,
    postedAt,
    updatedAt: latest([postedAt, ...updates.map((u) => u.at)]) ?? postedAt,
    // Resolved events leave the public API; the store keeps what it saw last.
    resolvedAt: null,
    scheduledFor,
    scheduledUntil: toInstant(raw.datetime_planned_end),
    // Containers are status.io's location axis (a cloud, a region): kept next to the components they host.
    components: [...new Set(names)],
    regions: [],
    updates,
    url: null,
  };
}

function optionsOf(options: Record<string, unknown> | undefined): { pageId: string } {
  const parsed = statusioOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw new FetchError('parse', `status.io options: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

const apiUrlPattern = /(https?:\/\/[a-z0-9.:[\]-]+)\/1\.0\/status\/([0-9a-f]{24})/i;
const pageIdPatterns = [
  /\/pages\/(?:incident\/|maintenance\/|history\/)?([0-9a-f]{24})/i,
  /statuspage_id\W{1,4}([0-9a-f]{24})/i,
];
const markerPattern = /\bstatus\.io\b|hostedstatus\.com/i;

/** Where a status page's HTML says its status.io API is: the page id, and the API host when a full URL is embedded. */
export function findStatusioPage(html: string): { pageId: string; apiBase: string; hint: string } | null {
  const full = apiUrlPattern.exec(html);
  if (full?.[1] && full[2])
    return { pageId: full[2], apiBase: full[1], hint: `the page embeds the status.io API URL ${full[0]}` };
  if (!markerPattern.test(html)) return null;
  const pageId = pageIdPatterns.map((p) => p.exec(html)?.[1]).find(Boolean);
  return pageId
    ? { pageId, apiBase: statusioApiBase, hint: `the page carries status.io markers and page id ${pageId}` }
    : null;
}

/**
 * Finds the page id in the page's HTML and confirms it with the public API. A page that embeds a full
 * `…/1.0/status/<id>` URL names its API host too (how tests point detection at a local server).
 */
async function detect(ctx: DetectContext): Promise<Detection | null> {
  const html = (await ctx.home())?.body ?? '';
  const found = findStatusioPage(html);
  if (!found) return null;
  const { pageId, apiBase: base } = found;
  const evidence = [found.hint];
  const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(html)?.[1];
  const name = title ? htmlToText(title) : undefined;
  const detection = (confidence: number): Detection => ({
    provider: 'statusio',
    confidence,
    url: base,
    options: { pageId },
    ...(name ? { name } : {}),
    evidence,
  });
  try {
    const answer = await ctx.getUrl(`${base}/1.0/status/${pageId}`, { accept: 'application/json' });
    const { status, incidents } = parseStatusioStatus(answer.body, 'detect', new Date());
    evidence.push(
      `${base}/1.0/status/${pageId} answered a status.io status with ${status.components.length} component rows and ${incidents.length} open events`,
    );
    return detection(1);
  } catch (error) {
    // An API that answers something else means the id was not a status.io page id.
    if (!(error instanceof FetchError) || error.kind === 'parse' || error.kind === 'http') return null;
    evidence.push(`the API could not be reached to confirm (${error.kind})`);
    return detection(0.4);
  }
}

/** Status.io public status API: one request per poll, `url` = `https://api.status.io`, `options.pageId` required. */
export const statusioProvider: Provider = {
  id: 'statusio',
  name: 'Status.io',
  optionsSchema: statusioOptionsSchema,
  async poll(ctx) {
    const { pageId } = optionsOf(ctx.vendor.options);
    const response = await ctx.get(`/1.0/status/${pageId}`, { accept: 'application/json' });
    if (response.status === 304) return { notModified: true, status: null, incidents: [] };
    const { status, incidents } = withUrl(response.url, () =>
      parseStatusioStatus(response.body, ctx.vendor.id, ctx.now),
    );
    // Complete: the public status API lists only current incidents and maintenances; resolved ones vanish.
    return { notModified: false, status, incidents, openSetComplete: true };
  },
  detect,
};

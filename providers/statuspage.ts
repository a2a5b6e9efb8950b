import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import {
  componentStatusSchema,
  impactSchema,
  toInstant,
  type Impact,
  type IncidentUpdate,
  type VendorComponent,
  type VendorIncident,
  type VendorStatus,
} from '../src/core/model.js';
import { plainBody } from '../src/core/text.js';
import {
  describeIssue,
  earliest,
  getOptional,
  latest,
  list,
  mergeById,
  parseJson,
  probeSummaries,
  statuspageStatus,
  text,
  time,
  withUrl,
} from './support.js';
import { readListedBody, unreadList } from './reread.js';
import type { PollContext, Provider } from './types.js';
import type { Detection, DetectContext } from './types.js';

export const statuspagePageSchema = z.looseObject({
  id: text,
  name: text,
  url: text,
  time_zone: text,
  updated_at: time,
});
export const statuspageComponentSchema = z.looseObject({
  id: text,
  name: text,
  status: text,
  group_id: text,
  group: z.boolean().nullish(),
});
export const statuspageUpdateSchema = z.looseObject({
  id: text,
  status: text,
  body: text,
  created_at: time,
  display_at: time,
});
export const statuspageIncidentSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  name: text,
  status: text,
  impact: text,
  created_at: time,
  updated_at: time,
  started_at: time,
  resolved_at: time,
  scheduled_for: time,
  scheduled_until: time,
  shortlink: text,
  incident_updates: list(statuspageUpdateSchema),
  components: list(z.looseObject({ name: text })),
});
export const statuspageSummarySchema = z.looseObject({
  page: statuspagePageSchema.nullish(),
  status: z.looseObject({ indicator: text, description: text }).nullish(),
  components: list(statuspageComponentSchema),
  incidents: list(statuspageIncidentSchema),
  scheduled_maintenances: list(statuspageIncidentSchema),
});
export const statuspageIncidentsSchema = z.looseObject({
  page: statuspagePageSchema.nullish(),
  incidents: list(statuspageIncidentSchema),
});
export const statuspageIncidentResponseSchema = z.looseObject({
  page: statuspagePageSchema.nullish(),
  incident: statuspageIncidentSchema,
});
export const statuspageMaintenancesSchema = z.looseObject({
  page: statuspagePageSchema.nullish(),
  scheduled_maintenances: list(statuspageIncidentSchema),
});
export type StatuspageIncident = z.infer<typeof statuspageIncidentSchema>;

const terminalStatuses = new Set(['resolved', 'postmortem', 'completed']);

/** summary.json: the page's current state plus its unresolved incidents and upcoming or active maintenances. */
export function parseSummary(
  body: string,
  vendor: string,
  now: Date,
): { status: VendorStatus; incidents: VendorIncident[] } {
  const { data, lists } = readListedBody({
    ...reading('summary.json', body, vendor),
    outline: summaryOutline,
    schema: statuspageSummarySchema,
    lists: (page) => [page.incidents, page.scheduled_maintenances],
  });
  const rows = data.components ?? [];
  const names = new Map(rows.flatMap((row) => (row.id && row.name ? [[row.id, row.name] as const] : [])));
  const containers = new Set(rows.flatMap((row) => (row.group_id ? [row.group_id] : [])));
  const components = rows.flatMap((row): VendorComponent[] => {
    if (!row.name || row.group === true || (row.id && containers.has(row.id))) return [];
    const group = row.group_id ? (names.get(row.group_id) ?? null) : null;
    return [
      {
        ...(row.id ? { id: row.id } : {}),
        name: row.name,
        group,
        status: componentStatusSchema.safeParse(row.status).data ?? 'unknown',
      },
    ];
  });
  const incidents = lists.flat();
  // The page indicator lags its own open incidents, so the worst of both is reported.
  const status = statuspageStatus({
    vendor,
    word: data.status?.indicator ?? undefined,
    description: data.status?.description || undefined,
    components,
    incidents,
    now,
  });
  return { status, incidents };
}

/** incidents.json and incidents/unresolved.json: `{page, incidents}`. */
export function parseIncidents(body: string, vendor: string): VendorIncident[] {
  return readListedBody({
    ...reading('incidents.json', body, vendor),
    outline: incidentsOutline,
    schema: statuspageIncidentsSchema,
    lists: (page) => [page.incidents],
  }).lists.flat();
}

// The page schemas with their incident lists left unread: the lists are read item by item, so an item
// the last poll read as it is now is neither validated nor normalized again (see reread.ts).
const summaryOutline = z.looseObject({
  ...statuspageSummarySchema.shape,
  incidents: unreadList,
  scheduled_maintenances: unreadList,
});
const incidentsOutline = z.looseObject({ page: statuspagePageSchema.nullish(), incidents: unreadList });
const maintenancesOutline = z.looseObject({
  page: statuspagePageSchema.nullish(),
  scheduled_maintenances: unreadList,
});

const reading = (endpoint: string, body: string, vendor: string) => ({
  endpoint,
  body,
  vendor,
  pageUrl: (page: { page?: { url?: string | null } | null }) => page.page?.url ?? null,
  item: statuspageIncidentSchema,
  normalize: toVendorIncident,
});

/** incidents/<id>.json: `{page, incident}`. */
export function parseIncident(body: string, vendor: string): VendorIncident {
  const data = parseJson(body, statuspageIncidentResponseSchema, 'incident.json');
  return toVendorIncident(data.incident, vendor, data.page?.url ?? null);
}

/** scheduled-maintenances.json (and its upcoming/active variants): `{page, scheduled_maintenances}`. */
export function parseScheduledMaintenances(body: string, vendor: string): VendorIncident[] {
  return readListedBody({
    ...reading('scheduled-maintenances.json', body, vendor),
    outline: maintenancesOutline,
    schema: statuspageMaintenancesSchema,
    lists: (page) => [page.scheduled_maintenances],
  }).lists.flat();
}

/** Normalizes one Statuspage incident or maintenance object (already JSON-decoded); `pageUrl` builds a link when there is no shortlink. */
export function normalizeIncident(
  raw: unknown,
  vendor: string,
  pageUrl: string | null = null,
): VendorIncident {
  const result = statuspageIncidentSchema.safeParse(raw);
  if (!result.success)
    throw new FetchError('parse', `incident: ${describeIssue(result.error)}`, { cause: result.error });
  return toVendorIncident(result.data, vendor, pageUrl);
}

/**
 * When an incident ended: the first update of its final run of resolved/completed/postmortem updates,
 * so a reopened incident ends at its last resolution and a later postmortem does not move the end.
 */
export function resolutionTime(updates: readonly Pick<IncidentUpdate, 'at' | 'status'>[]): string | null {
  let end: string | null = null;
  for (let i = updates.length - 1; i >= 0; i--) {
    const update = updates[i];
    if (!update || update.status === 'update') continue;
    if (!terminalStatuses.has(update.status)) break;
    if (update.status !== 'postmortem' || end === null) end = update.at;
  }
  return end;
}

function toVendorIncident(raw: StatuspageIncident, vendor: string, pageUrl: string | null): VendorIncident {
  // Statuspage lists updates newest first; reversing before the stable sort keeps same-second updates in order.
  const timed = [...(raw.incident_updates ?? [])].reverse().flatMap((u) => {
    const at = toInstant(u.display_at ?? u.created_at);
    return at === null ? [] : [{ u, at, posted: toInstant(u.created_at) ?? at }];
  });
  timed.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const updates = timed.map(({ u, at }): IncidentUpdate => ({
    ...(u.id ? { id: u.id } : {}),
    at,
    status: u.status ?? raw.status ?? 'unknown',
    ...plainBody(u.body ?? ''),
  }));
  const kind = raw.impact === 'maintenance' || raw.scheduled_for ? 'maintenance' : 'incident';
  const scheduledFor = toInstant(raw.scheduled_for);
  const created = toInstant(raw.created_at);
  // Backfilled incidents have created_at (and the update's display_at) hours before started_at: the earliest wins.
  let startedAt =
    kind === 'maintenance' && scheduledFor
      ? scheduledFor
      : earliest([created, toInstant(raw.started_at), updates[0]?.at ?? null]);
  if (startedAt === null)
    throw new FetchError('parse', `incident ${raw.id}: no created_at, started_at or timed update`);
  // Published = first update's creation, not its display_at, which a backfill moves into the past.
  const postedAt = earliest(timed.map((t) => t.posted)) ?? created ?? startedAt;
  const updatedAt =
    latest([toInstant(raw.updated_at), postedAt, ...timed.flatMap((t) => [t.at, t.posted])]) ?? postedAt;
  const status = raw.status ?? updates.at(-1)?.status ?? 'unknown';
  // A page that says resolved but never says when is closed at its last sign of life, not left open forever.
  const resolvedAt =
    toInstant(raw.resolved_at) ??
    (terminalStatuses.has(status) ? (resolutionTime(updates) ?? updatedAt) : null);
  if (resolvedAt !== null && Date.parse(resolvedAt) < Date.parse(startedAt)) startedAt = resolvedAt;
  return {
    vendor,
    id: raw.id,
    title: raw.name ?? '',
    impact: impactOf(raw.impact),
    status,
    kind,
    startedAt,
    postedAt,
    updatedAt,
    resolvedAt,
    scheduledFor,
    scheduledUntil: toInstant(raw.scheduled_until),
    components: [...new Set((raw.components ?? []).flatMap((c) => (c.name ? [c.name] : [])))],
    regions: [],
    updates,
    url: raw.shortlink ?? (pageUrl ? `${pageUrl.replace(/\/+$/, '')}/incidents/${raw.id}` : null),
  };
}

function impactOf(impact: string | null | undefined): Impact {
  if (impact === 'maintenance') return 'none'; // the kind carries the meaning
  return impactSchema.safeParse(impact).data ?? 'unknown';
}

/** Polls summary.json, then the recent incidents and maintenances, merged by id (the newest copy wins). */
export const statuspageProvider: Provider = {
  id: 'statuspage',
  name: 'Atlassian Statuspage',
  async poll(ctx) {
    const vendor = ctx.vendor.id;
    const summary = await ctx.get('/api/v2/summary.json', { accept: 'application/json' });
    if (summary.status === 304) return { notModified: true, status: null, incidents: [] };
    const { status, incidents } = withUrl(summary.url, () => parseSummary(summary.body, vendor, ctx.now));
    const partial: string[] = [];
    // summary.json already holds the status and every open incident: an incidents.json that answers
    // with an HTTP error (404 on pages that switched it off, a 5xx) costs only the recent history.
    const recent = await getList(
      ctx,
      '/api/v2/incidents.json',
      (body) => parseIncidents(body, vendor),
      false,
    ).catch((error: unknown) => {
      if (!(error instanceof FetchError) || error.kind !== 'http') throw error;
      partial.push(
        `incidents.json answered HTTP ${error.status ?? 'error'}: recent resolved incidents not read`,
      );
      return [];
    });
    // Imitators of the Statuspage API answer 404 here; the summary still stands.
    const maintenances = await getList(
      ctx,
      '/api/v2/scheduled-maintenances.json',
      (body) => parseScheduledMaintenances(body, vendor),
      true,
    );
    // summary.json lists every unresolved incident and pending maintenance: the open set is complete.
    return {
      notModified: false,
      status,
      incidents: mergeById([...incidents, ...recent, ...maintenances]),
      openSetComplete: true,
      ...(partial.length > 0 ? { partial } : {}),
    };
  },
  detect: detectStatuspage,
};

async function getList(
  ctx: PollContext,
  path: string,
  parse: (body: string) => VendorIncident[],
  allowMissing: boolean,
): Promise<VendorIncident[]> {
  const options = { accept: 'application/json' };
  const response = allowMissing ? await getOptional(ctx, path, options) : await ctx.get(path, options);
  if (response === null || response.status === 304) return [];
  return withUrl(response.url, () => parse(response.body));
}

// Statuspage page ids are 12 lowercase base36 characters; incident.io serves the same JSON with ULIDs.
const statuspageIdPattern = /^[a-z0-9]{12}$/;
const ulidPattern = /^01[0-9a-hjkmnp-tv-z]{24}$/i;

/**
 * summary.json in Statuspage shape with a Statuspage page id. A page whose summary.json does not
 * answer (404, an HTML page, not JSON) is not claimed, whatever its markup: this provider could not
 * poll it, and the HTML and history-feed readers claim such pages.
 */
async function detectStatuspage(ctx: DetectContext): Promise<Detection | null> {
  // A page under a path (a region sub-page) serves its API under that path, so try it before the origin.
  for await (const answer of probeSummaries(ctx, statuspageSummarySchema)) {
    const found = fromSummary(answer.data, answer.url);
    if (found === 'other-platform') return null;
    if (found) return found;
  }
  return null;
}

function fromSummary(
  data: z.output<typeof statuspageSummarySchema>,
  answeredUrl: string,
): Detection | 'other-platform' | null {
  if (!data.page || !(data.status || data.components)) return null;
  const ids = [data.page.id, ...(data.components ?? []).map((c) => c.id)].filter((id): id is string =>
    Boolean(id),
  );
  if (ids.some((id) => ulidPattern.test(id))) return 'other-platform';
  const url = answeredUrl.replace(/\/api\/v2\/summary\.json(?:[?#].*)?$/, '');
  const name = data.page.name ?? undefined;
  const pageId = data.page.id ?? '';
  const exact = statuspageIdPattern.test(pageId);
  return {
    provider: 'statuspage',
    // An imitator with other ids still reads with this provider, but it may be another platform.
    confidence: exact ? 0.95 : 0.5,
    url,
    ...(name ? { name } : {}),
    evidence: [
      exact
        ? `/api/v2/summary.json answered in Statuspage shape with page id ${pageId}`
        : `/api/v2/summary.json answered in Statuspage shape, but the page id "${pageId}" is not a 12-character Statuspage id`,
    ],
  };
}

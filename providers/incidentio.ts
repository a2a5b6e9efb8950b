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
import { plainBody } from '../src/core/text.js';
import { parseIncidents, parseSummary, resolutionTime } from './statuspage.js';
import {
  earliest,
  getOptional,
  latest,
  list,
  mergeById,
  parseJson,
  probeSummaries,
  raiseForOpen,
  text,
  time,
  withUrl,
} from './support.js';
import type { DetectContext, Detection, PollContext, Provider } from './types.js';

export const incidentioOptionsSchema = z.strictObject(
  {
    proxy: z
      .boolean({ error: 'expected true or false: whether to also read the native /proxy/<host> endpoint' })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? 'incidentio takes only the option "proxy"' : undefined,
  },
);

// The native endpoint is undocumented, so every field is optional and several documented spellings
// (status page API v2, widget API) are accepted for the same fact.
const refSchema = z.looseObject({
  id: text,
  component_id: text,
  name: text,
  status: text,
  current_status: text,
  component_status: text,
  start_at: time,
});
const nativeUpdateSchema = z.looseObject({
  id: text,
  published_at: time,
  incident_status: text,
  maintenance_status: text,
  message: z.unknown().optional(),
  message_string: text,
});
const nativeEventSchema = z.looseObject({
  id: z.string().min(1),
  name: text,
  status: text,
  maintenance_status: text,
  url: text,
  published_at: time,
  last_update_at: time,
  last_update_message: text,
  current_worst_impact: text,
  started_at: time,
  starts_at: time,
  scheduled_end_at: time,
  ends_at: time,
  affected_components: list(refSchema),
  component_impacts: list(refSchema),
  updates: list(nativeUpdateSchema),
});
const structureComponentSchema = z.looseObject({
  component_id: text,
  id: text,
  name: text,
  hidden: z.boolean().nullish(),
});
export const incidentioProxySchema = z.looseObject({
  summary: z.looseObject({
    id: text,
    name: text,
    public_url: text,
    components: list(z.looseObject({ id: text, name: text })),
    structure: z
      .looseObject({
        items: list(
          z.looseObject({
            group: z.looseObject({ name: text, components: list(structureComponentSchema) }).nullish(),
            component: structureComponentSchema.nullish(),
          }),
        ),
      })
      .nullish(),
    affected_components: list(refSchema),
    ongoing_incidents: list(nativeEventSchema),
    in_progress_maintenances: list(nativeEventSchema),
    scheduled_maintenances: list(nativeEventSchema),
  }),
});
type NativeEvent = z.infer<typeof nativeEventSchema>;

const componentStatuses: Record<string, ComponentStatus> = {
  operational: 'operational',
  degraded_performance: 'degraded_performance',
  partial_outage: 'partial_outage',
  full_outage: 'major_outage',
  major_outage: 'major_outage',
  under_maintenance: 'under_maintenance',
};
const componentOrder: ComponentStatus[] = [
  'unknown',
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
];
// Same reading as Statuspage: degraded is minor, partial is major, a full outage is critical.
const impactOfStatus: Record<ComponentStatus, Impact> = {
  unknown: 'unknown',
  operational: 'none',
  under_maintenance: 'none',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};
// An affected component with a status word we do not know makes the page unknown, not operational.
const indicators: Record<ComponentStatus, Indicator> = {
  unknown: 'unknown',
  operational: 'operational',
  under_maintenance: 'maintenance',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};
const ulid = /^01[0-9A-HJKMNP-TV-Z]{24}$/;

// HTML scrapes show hyphenated words (`full-outage`); the JSON uses underscores.
const statusOf = (word: string | null | undefined): ComponentStatus =>
  componentStatuses[(word ?? '').toLowerCase().replace(/-/g, '_')] ?? 'unknown';
const worse = (a: ComponentStatus, b: ComponentStatus): ComponentStatus =>
  componentOrder.indexOf(b) > componentOrder.indexOf(a) ? b : a;
const maintenanceWord = (word: string): string =>
  word.replace(/^maintenance_/, '').replace(/^complete$/, 'completed');

/** The native `/proxy/<host>` summary: grouped components, affected components, ongoing incidents and maintenances. */
export function parseProxySummary(
  body: string,
  vendor: string,
  now: Date,
): { status: VendorStatus; incidents: VendorIncident[] } {
  const { summary } = parseJson(body, incidentioProxySchema, 'proxy summary');
  const affected = new Map<string, ComponentStatus>();
  for (const ref of summary.affected_components ?? []) {
    const id = ref.component_id ?? ref.id;
    if (id)
      affected.set(id, worse(affected.get(id) ?? 'unknown', statusOf(ref.status ?? ref.current_status)));
  }
  const rows = (summary.structure?.items ?? []).flatMap((item) =>
    item.group
      ? (item.group.components ?? []).map((c) => ({ ...c, group: item.group?.name ?? null }))
      : item.component
        ? [{ ...item.component, group: null }]
        : [],
  );
  const listed =
    rows.length > 0
      ? rows
      : (summary.components ?? []).map((c) => ({ ...c, component_id: c.id, hidden: false, group: null }));
  const components = listed.flatMap((row): VendorComponent[] => {
    const id = row.component_id ?? row.id;
    if (!row.name || row.hidden) return [];
    return [
      {
        ...(id ? { id } : {}),
        name: row.name,
        group: row.group,
        status: (id && affected.get(id)) || 'operational',
      },
    ];
  });
  const names = new Map(
    listed.flatMap((row) => {
      const id = row.component_id ?? row.id;
      return id && row.name ? [[id, row.name] as const] : [];
    }),
  );
  const pageUrl = summary.public_url?.replace(/\/+$/, '') ?? null;
  const incidents = [
    ...(summary.ongoing_incidents ?? []).map((e) => toIncident(e, 'incident', vendor, names, pageUrl)),
    ...[...(summary.in_progress_maintenances ?? []), ...(summary.scheduled_maintenances ?? [])].map((e) =>
      toIncident(e, 'maintenance', vendor, names, pageUrl),
    ),
  ];
  const indicator = components.reduce<Indicator>(
    (w, c) => worseIndicator(w, indicators[c.status]),
    'operational',
  );
  return {
    status: raise({ vendor, indicator, components, fetchedAt: now.toISOString(), health: 'ok' }, incidents),
    incidents,
  };
}

function toIncident(
  raw: NativeEvent,
  kind: VendorIncident['kind'],
  vendor: string,
  names: ReadonlyMap<string, string>,
  pageUrl: string | null,
): VendorIncident {
  const word = (w: string | null | undefined) => (w && kind === 'maintenance' ? maintenanceWord(w) : w);
  const own = word(kind === 'maintenance' ? (raw.maintenance_status ?? raw.status) : raw.status);
  const timed = (raw.updates ?? []).flatMap((u) => {
    const at = toInstant(u.published_at);
    const status = word(u.incident_status ?? u.maintenance_status) ?? own ?? 'unknown';
    return at === null
      ? []
      : [
          {
            ...(u.id ? { id: u.id } : {}),
            at,
            status,
            // The API docs give Markdown strings; anything richer falls back to message_string.
            ...plainBody(typeof u.message === 'string' ? u.message : (u.message_string ?? '')),
          },
        ];
  });
  const lastAt = toInstant(raw.last_update_at) ?? toInstant(raw.published_at);
  if (timed.length === 0 && raw.last_update_message && lastAt)
    timed.push({ at: lastAt, status: own ?? 'unknown', ...plainBody(raw.last_update_message) });
  const updates: IncidentUpdate[] = timed.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const refs = [...(raw.affected_components ?? []), ...(raw.component_impacts ?? [])];
  const status = own ?? updates.at(-1)?.status ?? 'unknown';
  const from = toInstant(raw.starts_at ?? raw.started_at);
  const until = toInstant(raw.scheduled_end_at ?? raw.ends_at);
  let startedAt =
    (kind === 'maintenance' ? from : null) ??
    earliest([
      toInstant(raw.published_at),
      from,
      updates[0]?.at ?? null,
      ...refs.map((r) => toInstant(r.start_at)),
    ]);
  if (startedAt === null)
    throw new FetchError('parse', `proxy summary: ${kind} ${raw.id}: no published_at, start or timed update`);
  const postedAt = earliest([toInstant(raw.published_at), updates[0]?.at ?? null]) ?? startedAt;
  const updatedAt = latest([lastAt, postedAt, ...updates.map((u) => u.at)]) ?? postedAt;
  const resolvedAt = ['resolved', 'completed'].includes(status)
    ? (resolutionTime(updates) ?? until ?? updatedAt)
    : null;
  if (resolvedAt !== null && Date.parse(resolvedAt) < Date.parse(startedAt)) startedAt = resolvedAt;
  const known = raw.affected_components != null || raw.component_impacts != null;
  const impact: Impact =
    kind === 'maintenance'
      ? 'none'
      : raw.current_worst_impact
        ? impactOfStatus[statusOf(raw.current_worst_impact)]
        : known
          ? refs.reduce<Impact>(
              (w, r) =>
                worseImpact(w, impactOfStatus[statusOf(r.status ?? r.current_status ?? r.component_status)]),
              'none',
            )
          : 'unknown';
  const componentNames = refs.flatMap((r) => {
    const name = r.name ?? names.get(r.component_id ?? r.id ?? '');
    return name ? [name] : [];
  });
  return {
    vendor,
    id: raw.id,
    title: raw.name ?? '',
    impact,
    status,
    kind,
    startedAt,
    postedAt,
    updatedAt,
    resolvedAt,
    scheduledFor: kind === 'maintenance' ? from : null,
    scheduledUntil: kind === 'maintenance' ? until : null,
    components: [...new Set(componentNames)],
    regions: [],
    updates,
    url: raw.url ?? (pageUrl && kind === 'incident' ? `${pageUrl}/incidents/${raw.id}` : null),
  };
}

const impactOrder: Impact[] = ['unknown', 'none', 'minor', 'major', 'critical'];
const worseImpact = (a: Impact, b: Impact): Impact =>
  impactOrder.indexOf(b) > impactOrder.indexOf(a) ? b : a;

/** The page indicator lags its own open incidents: the worst of both is reported. */
function raise(status: VendorStatus, incidents: VendorIncident[]): VendorStatus {
  return { ...status, indicator: raiseForOpen(status.indicator, incidents) };
}

/** Compat components are flat; the native structure names their groups, and the worse of two statuses wins. */
function combineStatus(compat: VendorStatus, native: VendorStatus | null): VendorStatus {
  if (!native) return compat;
  const byKey = new Map(
    native.components.flatMap((c) => [[c.id ?? c.name, c] as const, [`name:${c.name}`, c] as const]),
  );
  const seen = new Set<VendorComponent>();
  const components = compat.components.map((c) => {
    const match = byKey.get(c.id ?? c.name) ?? byKey.get(`name:${c.name}`);
    if (match) seen.add(match);
    return {
      ...c,
      group: c.group ?? match?.group ?? null,
      status: match ? worse(c.status, match.status) : c.status,
    };
  });
  const extra = native.components.filter((c) => !seen.has(c));
  return {
    ...compat,
    indicator: worseIndicator(compat.indicator, native.indicator),
    components: [...components, ...extra],
  };
}

/** Compat objects carry the full update history; the native ones fill in impact and components where compat lacks them. */
function combineIncidents(compat: VendorIncident[], native: VendorIncident[]): VendorIncident[] {
  const byId = new Map(mergeById(compat).map((i) => [i.id, i]));
  for (const n of native) {
    const c = byId.get(n.id);
    byId.set(
      n.id,
      c
        ? {
            ...c,
            impact: c.impact === 'unknown' ? n.impact : c.impact,
            components: c.components.length ? c.components : n.components,
          }
        : n,
    );
  }
  return [...byId.values()];
}

/** A 304, or a 404/410 (the endpoint does not exist on this page), gives nothing; other failures stand. */
async function optional<T>(
  ctx: PollContext,
  path: string,
  parse: (body: string) => T,
  conditional = true,
): Promise<T | null> {
  const response = await getOptional(ctx, path, { accept: 'application/json', conditional });
  return response === null || response.status === 304
    ? null
    : withUrl(response.url, () => parse(response.body));
}

/** Polls the Statuspage-compatible summary and incidents, plus the native proxy summary on root pages. */
export const incidentioProvider: Provider = {
  id: 'incidentio',
  name: 'incident.io status pages',
  optionsSchema: incidentioOptionsSchema,
  async poll(ctx) {
    const vendor = ctx.vendor.id;
    const options = incidentioOptionsSchema.safeParse(ctx.vendor.options ?? {}).data ?? {};
    const summary = await ctx.get('/api/v2/summary.json', { accept: 'application/json' });
    if (summary.status === 304) return { notModified: true, status: null, incidents: [] };
    const compat = withUrl(summary.url, () => parseSummary(summary.body, vendor, ctx.now));
    const recent =
      (await optional(ctx, '/api/v2/incidents.json', (body) => parseIncidents(body, vendor))) ?? [];
    // ctx.get cannot leave the base path, and /proxy/<host> lives at the origin: sub-pages skip it.
    const base = new URL(ctx.vendor.url);
    const native =
      options.proxy !== false && base.pathname.replace(/\/+$/, '') === ''
        ? // In full: the summary changed, and the groups and impacts come only from here.
          await optional(
            ctx,
            `/proxy/${base.host}`,
            (body) => parseProxySummary(body, vendor, ctx.now),
            false,
          )
        : null;
    const incidents = combineIncidents([...compat.incidents, ...recent], native?.incidents ?? []);
    return {
      notModified: false,
      status: raise(combineStatus(compat.status, native?.status ?? null), incidents),
      incidents,
    };
  },
  detect,
};

const compatProbeSchema = z.looseObject({
  page: z.looseObject({ id: text, name: text }).nullish(),
  components: list(z.looseObject({ id: text })),
});

async function probe<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof FetchError) return null;
    throw error;
  }
}

async function detect(ctx: DetectContext): Promise<Detection | null> {
  const page = new URL(ctx.pageUrl);
  const evidence: string[] = [];
  let confidence = 0;
  let name: string | undefined;
  const native = await probe(async () => {
    const res = await ctx.get(`/proxy/${page.host}`, { accept: 'application/json' });
    const { summary } = parseJson(res.body, incidentioProxySchema, 'proxy summary');
    return summary.structure || summary.components ? summary : null;
  });
  if (native) {
    confidence = 0.95;
    name = native.name ?? undefined;
    evidence.push(`/proxy/${page.host} answered incident.io's native status summary.`);
  }
  // A region sub-page serves its own summary under its path; a deep link's origin serves the page's.
  let url = native ? page.origin : ctx.pageUrl;
  for await (const { base, data: compat } of probeSummaries(ctx, compatProbeSchema)) {
    const ids = [compat.page?.id, ...(compat.components ?? []).map((c) => c.id)];
    if (!ids.some((id) => id && ulid.test(id))) continue;
    confidence = Math.max(confidence + 0.03, 0.9);
    name ??= compat.page?.name ?? undefined;
    url = base;
    evidence.push(
      `${new URL(base).pathname.replace(/\/+$/, '')}/api/v2/summary.json uses 26-character ULID ids, as incident.io does and Statuspage does not.`,
    );
    break;
  }
  if (confidence === 0) {
    const home = await ctx.home();
    if (!home || !/incident\.io/i.test(home.body)) return null;
    confidence = 0.5;
    evidence.push('The page mentions incident.io, but no incident.io endpoint answered.');
  }
  return {
    provider: 'incidentio',
    confidence: Math.min(confidence, 1),
    url,
    ...(name ? { name } : {}),
    evidence,
  };
}

import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import {
  toInstant,
  worseIndicator,
  type ComponentStatus,
  type IncidentUpdate,
  type Indicator,
  type VendorComponent,
  type VendorIncident,
  type VendorStatus,
} from '../src/core/model.js';
import { plainBody } from '../src/core/text.js';
import { isIanaZone, wallTimeToUtc } from '../src/core/time/time-zones.js';
import { describeIssue, earliest, getOptional, latest, list, parseJson, text, withUrl } from './support.js';
import type { Detection, DetectContext, PollContext, Provider } from './types.js';

/** `options` of a Cachet vendor: the page's time zone (Cachet settings → "Timezone"), since its API prints wall times. */
export const cachetOptionsSchema = z.object({
  timeZone: z
    .string()
    .refine(isIanaZone, 'timeZone must be an IANA time zone such as Europe/Berlin (default UTC)')
    .optional(),
});

// Cachet 2.x prints "2015-05-26 14:32:33" in the page's zone; Cachet 1.x sent epoch seconds.
const wallTimePattern = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;
const cachetTime = z
  .union([z.string(), z.number()])
  .refine(
    (v) => typeof v === 'number' || wallTimePattern.test(v) || toInstant(v) !== null,
    'expected a Cachet timestamp',
  )
  .nullish();
const id = z.union([z.number(), z.string().min(1)]).transform(String);
const status = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).nullish();
const envelope = <T extends z.ZodType>(item: T) => z.looseObject({ data: z.array(item) });

const componentSchema = z.looseObject({
  id,
  name: text,
  status,
  group_id: z.union([z.number(), z.string()]).nullish(),
  enabled: z.unknown(),
});
const groupSchema = z.looseObject({ id, name: text });
const updateSchema = z.looseObject({ id: id.nullish(), status, message: text, created_at: cachetTime });
const incidentSchema = z.looseObject({
  id,
  name: text,
  message: text,
  status,
  latest_status: status,
  component_id: z.union([z.number(), z.string()]).nullish(),
  occurred_at: cachetTime,
  scheduled_at: cachetTime,
  created_at: cachetTime,
  updated_at: cachetTime,
  permalink: text,
  updates: list(updateSchema),
});
const scheduleSchema = z.looseObject({
  id,
  name: text,
  message: text,
  status,
  scheduled_at: cachetTime,
  completed_at: cachetTime,
  created_at: cachetTime,
  updated_at: cachetTime,
  components: list(z.looseObject({ name: text })),
});
type CachetIncident = z.infer<typeof incidentSchema>;

const componentStatuses: Record<number, [ComponentStatus, Indicator]> = {
  1: ['operational', 'operational'],
  2: ['degraded_performance', 'minor'], // "Performance Issues"
  3: ['partial_outage', 'major'],
  4: ['major_outage', 'critical'],
};
const incidentWords: Record<number, string> = {
  0: 'scheduled',
  1: 'investigating',
  2: 'identified',
  3: 'watching',
  4: 'fixed',
};
const scheduleWords: Record<number, string> = { 0: 'upcoming', 1: 'in_progress', 2: 'complete' };

/** Options every Cachet parser needs: the zone its wall times are in, and where links point. */
export interface CachetContext {
  timeZone: string;
  pageUrl?: string | null;
  /** Component id → name, to name the component an incident points at. */
  componentNames?: Map<string, string>;
}

/** `/api/v1/components/groups`: group id → name. */
export function parseCachetGroups(body: string): Map<string, string> {
  const { data } = parseJson(body, envelope(groupSchema), 'cachet components/groups');
  return new Map(data.flatMap((g) => (g.name ? [[g.id, g.name] as const] : [])));
}

/** `/api/v1/components`: enabled components with their group names and mapped statuses. */
export function parseCachetComponents(body: string, groups = new Map<string, string>()): VendorComponent[] {
  const { data } = parseJson(body, envelope(componentSchema), 'cachet components');
  return data.flatMap((c) => {
    if (!c.name || c.enabled === false || c.enabled === 0) return [];
    const group = c.group_id ? (groups.get(String(c.group_id)) ?? null) : null;
    const mapped = c.status === null || c.status === undefined ? undefined : componentStatuses[c.status];
    return [{ id: c.id, name: c.name, group, status: mapped?.[0] ?? 'unknown' }];
  });
}

/** The page's state: Cachet's own banner is computed from component statuses; a running schedule adds maintenance. */
export function cachetStatus(
  vendor: string,
  components: VendorComponent[],
  incidents: VendorIncident[],
  now: Date,
): VendorStatus {
  let indicator = components.reduce<Indicator>((worst, c) => {
    const entry = Object.values(componentStatuses).find(([s]) => s === c.status);
    return worseIndicator(worst, entry?.[1] ?? 'unknown');
  }, 'operational');
  if (incidents.some((i) => i.kind === 'maintenance' && i.status === 'in_progress'))
    indicator = worseIndicator(indicator, 'maintenance');
  return { vendor, indicator, components, fetchedAt: now.toISOString(), health: 'ok' };
}

/** `/api/v1/incidents`: incidents (and, before Cachet 2.4, scheduled maintenance with status 0). */
export function parseCachetIncidents(body: string, vendor: string, ctx: CachetContext): VendorIncident[] {
  const { data } = parseJson(body, envelope(incidentSchema), 'cachet incidents');
  return data.map((raw) => toIncident(raw, vendor, ctx));
}

function toIncident(raw: CachetIncident, vendor: string, ctx: CachetContext): VendorIncident {
  const at = (v: string | number | null | undefined) => cachetInstant(v, ctx.timeZone);
  const word = (s: number | null | undefined) =>
    s === null || s === undefined ? undefined : incidentWords[s];
  const created = at(raw.created_at);
  const later = (raw.updates ?? []).flatMap((u) => {
    const when = at(u.created_at);
    return when === null
      ? []
      : [{ id: u.id ?? undefined, at: when, status: word(u.status) ?? 'unknown', raw: u.message ?? '' }];
  });
  // Each update overwrites the incident's own status, so the opening message's status survives only alone.
  const opening =
    created === null
      ? []
      : [
          {
            id: `incident-${raw.id}`,
            at: created,
            status: later.length ? 'reported' : (word(raw.status) ?? 'unknown'),
            raw: raw.message ?? '',
          },
        ];
  const timed = [...opening, ...later.reverse()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const updates = timed.map((u): IncidentUpdate => ({
    ...(u.id ? { id: u.id } : {}),
    at: u.at,
    status: u.status,
    ...plainBody(u.raw),
  }));
  const current = raw.latest_status ?? raw.status;
  const state = word(current) ?? updates.at(-1)?.status ?? 'unknown';
  const kind = current === 0 ? 'maintenance' : 'incident';
  // Older presenters print "now" for an unset scheduled_at, so it only counts on a scheduled (status 0) row.
  const scheduledFor = kind === 'maintenance' ? at(raw.scheduled_at) : null;
  const postedAt = created ?? updates[0]?.at ?? null;
  const startedAt = scheduledFor ?? earliest([at(raw.occurred_at), postedAt]);
  if (startedAt === null || postedAt === null)
    throw new FetchError('parse', `cachet incidents: incident ${raw.id}: no created_at or occurred_at`);
  const updatedAt = latest([at(raw.updated_at), postedAt, ...updates.map((u) => u.at)]) ?? postedAt;
  let resolvedAt: string | null = null;
  if (state === 'fixed') {
    // The first "fixed" of the final run: a reopened-then-fixed incident ends at its last fix.
    for (let i = updates.length - 1; i >= 0 && updates[i]?.status === 'fixed'; i--)
      resolvedAt = updates[i]!.at;
    resolvedAt ??= updatedAt;
  }
  const component = raw.component_id ? ctx.componentNames?.get(String(raw.component_id)) : undefined;
  return {
    vendor,
    id: raw.id,
    title: raw.name ?? '',
    // Cachet incidents carry no impact; maintenance has none by definition.
    impact: kind === 'maintenance' ? 'none' : 'unknown',
    status: state,
    kind,
    startedAt: resolvedAt !== null && Date.parse(resolvedAt) < Date.parse(startedAt) ? resolvedAt : startedAt,
    postedAt,
    updatedAt,
    resolvedAt,
    scheduledFor,
    scheduledUntil: null,
    components: component ? [component] : [],
    regions: [],
    updates,
    url: raw.permalink ?? (ctx.pageUrl ? `${ctx.pageUrl.replace(/\/+$/, '')}/incidents/${raw.id}` : null),
  };
}

/** `/api/v1/schedules` (Cachet 2.4+): maintenance windows, upcoming → in progress → complete. */
export function parseCachetSchedules(
  body: string,
  vendor: string,
  ctx: CachetContext,
  now: Date,
): VendorIncident[] {
  const { data } = parseJson(body, envelope(scheduleSchema), 'cachet schedules');
  return data.map((raw) => {
    const at = (v: string | number | null | undefined) => cachetInstant(v, ctx.timeZone);
    const state =
      (raw.status === null || raw.status === undefined ? undefined : scheduleWords[raw.status]) ?? 'unknown';
    const scheduledFor = at(raw.scheduled_at);
    const postedAt = at(raw.created_at) ?? scheduledFor;
    if (scheduledFor === null || postedAt === null)
      throw new FetchError('parse', `cachet schedules: schedule ${raw.id}: no scheduled_at`);
    // The presenter prints "now" for an unset completed_at; only an end after the start and away from now is real.
    const completed = at(raw.completed_at);
    const near = (t: string) => Math.abs(Date.parse(t) - now.getTime()) < 5 * 60_000;
    const scheduledUntil =
      completed !== null &&
      Date.parse(completed) > Date.parse(scheduledFor) &&
      (state === 'complete' || !near(completed))
        ? completed
        : null;
    const updatedAt = latest([at(raw.updated_at), postedAt]) ?? postedAt;
    const resolvedAt = state === 'complete' ? (scheduledUntil ?? updatedAt) : null;
    return {
      vendor,
      id: `schedule-${raw.id}`,
      title: raw.name ?? '',
      impact: 'none' as const,
      status: state,
      kind: 'maintenance' as const,
      startedAt:
        resolvedAt !== null && Date.parse(resolvedAt) < Date.parse(scheduledFor) ? resolvedAt : scheduledFor,
      postedAt,
      updatedAt,
      resolvedAt,
      scheduledFor,
      scheduledUntil,
      components: (raw.components ?? []).flatMap((c) => (c.name ? [c.name] : [])),
      regions: [],
      updates: [{ id: `schedule-${raw.id}`, at: postedAt, status: state, ...plainBody(raw.message ?? '') }],
      url: ctx.pageUrl ? `${ctx.pageUrl.replace(/\/+$/, '')}/schedules/${raw.id}` : null,
    };
  });
}

/** A Cachet timestamp as a UTC instant: offsets are honoured, bare wall times are read in `timeZone`. */
export function cachetInstant(value: string | number | null | undefined, timeZone: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return toInstant(value * 1000);
  const m = wallTimePattern.exec(value);
  if (!m) return toInstant(value);
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  return new Date(wallTimeToUtc(wall, { zone: timeZone })).toISOString();
}

async function getBody(
  ctx: PollContext,
  path: string,
  optional = false,
): Promise<{ body: string; url: string } | null> {
  // Groups and schedules are missing on older Cachets; their absence does not fail the poll.
  const options = { accept: 'application/json' };
  const response = optional ? await getOptional(ctx, path, options) : await ctx.get(path, options);
  return response === null || response.status === 304 ? null : { body: response.body, url: response.url };
}

async function detect(ctx: DetectContext): Promise<Detection | null> {
  try {
    const ping = await ctx.get('/api/v1/ping', { accept: 'application/json' });
    const pong = z.looseObject({ data: z.literal('Pong!') }).safeParse(JSON.parse(ping.body));
    if (!pong.success) return null;
    const evidence = ['/api/v1/ping answered {"data":"Pong!"}'];
    let confidence = 0.8;
    const version = await ctx.get('/api/v1/version', { accept: 'application/json' }).catch(() => null);
    const number =
      version && z.looseObject({ data: z.string() }).safeParse(JSON.parse(version.body)).data?.data;
    if (number) {
      evidence.push(`/api/v1/version reports Cachet ${number}`);
      confidence = 1;
    }
    return { provider: 'cachet', confidence, url: new URL(ctx.pageUrl).origin, evidence };
  } catch {
    // Not JSON, 404 or unreachable: not a Cachet API.
    return null;
  }
}

/** Self-hosted Cachet API v1: `url` = the Cachet base; `options.timeZone` = the page's zone (default UTC). */
export const cachetProvider: Provider = {
  id: 'cachet',
  name: 'Cachet',
  optionsSchema: cachetOptionsSchema,
  async poll(ctx) {
    const options = cachetOptionsSchema.safeParse(ctx.vendor.options ?? {});
    if (!options.success) throw new FetchError('parse', `cachet options: ${describeIssue(options.error)}`);
    const parseCtx = { timeZone: options.data.timeZone ?? 'UTC', pageUrl: ctx.vendor.url };
    const vendor = ctx.vendor.id;
    const components = await getBody(ctx, '/api/v1/components?per_page=100');
    const groups = await getBody(ctx, '/api/v1/components/groups?per_page=100', true);
    const incidents = await getBody(ctx, '/api/v1/incidents?sort=id&order=desc&per_page=50');
    const schedules = await getBody(ctx, '/api/v1/schedules?sort=id&order=desc&per_page=50', true);
    if (!components && !groups && !incidents && !schedules)
      return { notModified: true, status: null, incidents: [] };
    const groupNames = groups ? withUrl(groups.url, () => parseCachetGroups(groups.body)) : undefined;
    const rows = components
      ? withUrl(components.url, () => parseCachetComponents(components.body, groupNames))
      : null;
    const componentNames = new Map((rows ?? []).flatMap((c) => (c.id ? [[c.id, c.name] as const] : [])));
    const found = [
      ...(incidents
        ? withUrl(incidents.url, () =>
            parseCachetIncidents(incidents.body, vendor, { ...parseCtx, componentNames }),
          )
        : []),
      ...(schedules
        ? withUrl(schedules.url, () => parseCachetSchedules(schedules.body, vendor, parseCtx, ctx.now))
        : []),
    ];
    // Unchanged components (a 304) keep the stored status; the store keeps incidents it does not see again.
    return {
      notModified: false,
      status: rows ? cachetStatus(vendor, rows, found, ctx.now) : null,
      incidents: found,
    };
  },
  detect,
};

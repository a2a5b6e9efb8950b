import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import {
  toInstant,
  type ComponentStatus,
  type Impact,
  type IncidentUpdate,
  type Indicator,
  type VendorComponent,
  type VendorIncident,
  type VendorStatus,
} from '../src/core/model.js';
import { htmlToText, plainBody } from '../src/core/text.js';
import { describeIssue, earliest, latest, list, parseJson, raiseForOpen, text, withUrl } from './support.js';
import type { Detection, DetectContext, Provider } from './types.js';

/** `options` of a Statuspal vendor: the page's subdomain (Statuspal admin → status page settings → Domain name). */
export const statuspalOptionsSchema = z.object({
  subdomain: z
    .string({ error: 'subdomain is required: the Statuspal status page subdomain, e.g. "exoscale"' })
    .regex(
      /^[a-z0-9][a-z0-9-]*$/i,
      'subdomain must be letters, digits and dashes, as in <subdomain>.statuspal.io',
    ),
});

// Statuspal documents every datetime as UTC without an offset ("2022-01-01T00:00:00"); `new Date()` would
// read that as local time, so a bare value gets its Z here.
const bareIsoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const utc = (value: string | null | undefined): string | null =>
  value ? toInstant(bareIsoPattern.test(value) ? `${value}Z` : value) : null;
const time = z
  .string()
  .refine((v) => utc(v) !== null, 'expected an ISO-8601 timestamp')
  .nullish();
const idish = z.union([z.number(), z.string()]).nullish();

interface StatuspalService {
  id?: string | number | null | undefined;
  name?: string | null | undefined;
  current_incident_type?: string | null | undefined;
  children?: StatuspalService[] | null | undefined;
}
const serviceSchema: z.ZodType<StatuspalService> = z.looseObject({
  id: idish,
  name: text,
  current_incident_type: text,
  get children() {
    return list(serviceSchema);
  },
});
const updateSchema = z.looseObject({
  id: idish,
  type: text,
  description: text,
  inserted_at: time,
  posted_at: time,
});
const incidentSchema = z.looseObject({
  id: z.union([z.number(), z.string().min(1)]).transform(String),
  title: text,
  type: text,
  starts_at: time,
  ends_at: time,
  inserted_at: time,
  updated_at: time,
  url: text,
  service_ids: list(z.union([z.number(), z.string()])),
  services: list(z.looseObject({ id: idish, name: text })),
  updates: list(updateSchema),
  current_status: z.looseObject({ description: text, type: text }).nullish(),
});
export const statuspalStatusSchema = z.looseObject({
  status_page: z.looseObject({ name: text, url: text, subdomain: text, current_incident_type: text }),
  services: list(serviceSchema),
  incidents: list(incidentSchema),
  maintenances: list(incidentSchema),
});
type StatuspalIncident = z.infer<typeof incidentSchema>;

// Statuspal's types are incident severities, not component states: "minor" reads as degraded, "major" as an
// outage. Custom types a page defines are something happening, so they read as minor, never as operational.
const types: Record<string, { component: ComponentStatus; indicator: Indicator; impact: Impact }> = {
  minor: { component: 'degraded_performance', indicator: 'minor', impact: 'minor' },
  major: { component: 'major_outage', indicator: 'major', impact: 'major' },
  scheduled: { component: 'under_maintenance', indicator: 'maintenance', impact: 'none' },
};
const custom = { component: 'degraded_performance', indicator: 'minor', impact: 'unknown' } as const;
const operational = { component: 'operational', indicator: 'operational', impact: 'none' } as const;
const typeOf = (type: string | null | undefined) => (type ? (types[type] ?? custom) : operational);
const resolving = new Set(['resolve', 'resolved']);
// Update types that say the problem is back; a plain "update" after the resolution is a note, not a reopening.
const reopening = new Set(['issue', 'escalate', 'deescalate']);

/** `GET /api/v2/status_pages/<subdomain>/status`: services (children grouped under their parent), incidents and maintenances. */
export function parseStatuspalStatus(
  body: string,
  vendor: string,
  now: Date,
): { status: VendorStatus; incidents: VendorIncident[] } {
  const data = parseJson(body, statuspalStatusSchema, 'statuspal status');
  const byId = new Map<string, { name: string; parent: string | null }>();
  const components: VendorComponent[] = [];
  // Parents with children are aggregates (often a zone or region): their leaves are the components.
  const walk = (services: StatuspalService[], parent: string | null) => {
    for (const s of services) {
      if (!s.name) continue;
      if (s.id !== null && s.id !== undefined) byId.set(String(s.id), { name: s.name, parent });
      if (s.children?.length) walk(s.children, s.name);
      else
        components.push({
          ...(s.id !== null && s.id !== undefined ? { id: String(s.id) } : {}),
          name: s.name,
          group: parent,
          status: typeOf(s.current_incident_type).component,
        });
    }
  };
  walk(data.services ?? [], null);
  const seen = new Set<string>();
  const incidents = [...(data.incidents ?? []), ...(data.maintenances ?? [])].flatMap((raw) => {
    if (seen.has(raw.id)) return [];
    seen.add(raw.id);
    return [toIncident(raw, vendor, byId, now)];
  });
  const indicator = raiseForOpen(typeOf(data.status_page.current_incident_type).indicator, incidents);
  return {
    status: { vendor, indicator, components, fetchedAt: now.toISOString(), health: 'ok' },
    incidents,
  };
}

function toIncident(
  raw: StatuspalIncident,
  vendor: string,
  services: Map<string, { name: string; parent: string | null }>,
  now: Date,
): VendorIncident {
  const kind = raw.type === 'scheduled' ? 'maintenance' : 'incident';
  const timed = (raw.updates ?? []).flatMap((u) => {
    const at = utc(u.posted_at) ?? utc(u.inserted_at);
    return at === null ? [] : [{ u, at }];
  });
  timed.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const updates = timed.map(({ u, at }): IncidentUpdate => ({
    ...(u.id !== null && u.id !== undefined ? { id: String(u.id) } : {}),
    at,
    status: u.type ?? 'update',
    ...plainBody(u.description ?? ''),
  }));
  const startsAt = utc(raw.starts_at);
  const endsAt = utc(raw.ends_at);
  const inserted = utc(raw.inserted_at);
  const postedAt = earliest([updates[0]?.at ?? null, inserted]) ?? startsAt;
  // Backfilled incidents start before they were posted; maintenance starts when it was planned to.
  const startedAt = kind === 'maintenance' ? (startsAt ?? postedAt) : earliest([startsAt, postedAt]);
  if (startedAt === null || postedAt === null)
    throw new FetchError(
      'parse',
      `statuspal status: incident ${raw.id}: no starts_at, inserted_at or timed update`,
    );
  const ended = endsAt !== null && Date.parse(endsAt) <= now.getTime() ? endsAt : null;
  const resolveIndex = updates.findLastIndex((u) => resolving.has(u.status));
  const reopened = resolveIndex >= 0 && updates.slice(resolveIndex + 1).some((u) => reopening.has(u.status));
  const resolvedAt = ended ?? (resolveIndex < 0 || reopened ? null : updates[resolveIndex]!.at);
  const status =
    kind === 'maintenance'
      ? resolvedAt !== null
        ? 'completed'
        : Date.parse(startedAt) <= now.getTime()
          ? 'in_progress'
          : 'scheduled'
      : resolvedAt !== null
        ? 'resolved'
        : (updates.at(-1)?.status ?? raw.current_status?.type ?? 'investigating');
  const names = (raw.services?.length ? raw.services.map((s) => ({ id: s.id, name: s.name })) : [])
    .concat((raw.service_ids ?? []).map((sid) => ({ id: sid, name: undefined })))
    .flatMap((s) => {
      const known = s.id !== null && s.id !== undefined ? services.get(String(s.id)) : undefined;
      const name = s.name ?? known?.name;
      if (!name) return [];
      // A child's name repeats across parents (the same product in every zone): keep the pair as well.
      return known?.parent ? [name, `${known.parent} / ${name}`] : [name];
    });
  if (updates.length === 0 && raw.current_status?.description)
    updates.push({ at: postedAt, status, ...plainBody(raw.current_status.description) });
  return {
    vendor,
    id: raw.id,
    title: raw.title ?? '',
    impact: kind === 'maintenance' ? 'none' : typeOf(raw.type).impact,
    status,
    kind,
    startedAt: resolvedAt !== null && Date.parse(resolvedAt) < Date.parse(startedAt) ? resolvedAt : startedAt,
    postedAt,
    updatedAt: latest([utc(raw.updated_at), postedAt, ...updates.map((u) => u.at)]) ?? postedAt,
    resolvedAt,
    scheduledFor: kind === 'maintenance' ? startsAt : null,
    scheduledUntil: kind === 'maintenance' ? endsAt : null,
    components: [...new Set(names)],
    regions: [],
    updates,
    // Statuspal's public incident URLs are not documented: only a URL the payload gives is kept.
    url: raw.url ?? null,
  };
}

const apiUrlPattern = /(https?:\/\/[a-z0-9.:[\]-]+)\/api\/v[12]\/status_pages\/([a-z0-9-]+)/i;
const hostPattern = /^([a-z0-9-]+)\.statuspal\.(io|eu)$/i;
const mentionPattern = /\b([a-z0-9-]+)\.statuspal\.(io|eu)\b/gi;
const notSubdomains = new Set(['www', 'cdn', 'assets', 'api', 'app', 'static', 'images']);

/**
 * Where a page says its Statuspal API is: the subdomain from the host (`<sub>.statuspal.io`), an embedded
 * API URL (which also names the API host, how tests point detection at a local server) or a mention in the HTML.
 */
export function findStatuspalPage(
  host: string,
  html: string,
): { subdomain: string; apiBase: string; hint: string } | null {
  const embedded = apiUrlPattern.exec(html);
  const fromHost = hostPattern.exec(host);
  const mention = [...html.matchAll(mentionPattern)].find((m) => !notSubdomains.has(m[1]!.toLowerCase()));
  const subdomain = fromHost?.[1] ?? embedded?.[2] ?? mention?.[1];
  if (!subdomain) return null;
  const region = (fromHost ?? mention)?.[2]?.toLowerCase() === 'eu' ? 'eu' : 'io';
  const hint = fromHost
    ? `the page is served from ${host}`
    : embedded
      ? `the page embeds the Statuspal API URL ${embedded[0]}`
      : `the page mentions ${mention?.[0]}`;
  return { subdomain, apiBase: embedded?.[1] ?? `https://statuspal.${region}`, hint };
}

/** Finds the subdomain, then asks the API: only a page the API confirms is a Statuspal page. */
async function detect(ctx: DetectContext): Promise<Detection | null> {
  const found = findStatuspalPage(new URL(ctx.pageUrl).hostname, (await ctx.home())?.body ?? '');
  if (!found) return null;
  const { subdomain, apiBase: base } = found;
  const evidence = [found.hint];
  try {
    const path = `/api/v2/status_pages/${subdomain}/status`;
    const answer = await ctx.getUrl(`${base}${path}`, { accept: 'application/json' });
    const name = z
      .looseObject({ status_page: z.looseObject({ name: text }) })
      .safeParse(JSON.parse(answer.body)).data?.status_page.name;
    const { status } = parseStatuspalStatus(answer.body, 'detect', new Date());
    evidence.push(`${base}${path} answered a Statuspal status with ${status.components.length} services`);
    return {
      provider: 'statuspal',
      confidence: 1,
      url: base,
      options: { subdomain },
      ...(name ? { name: htmlToText(name) } : {}),
      evidence,
    };
  } catch {
    // The API did not confirm the subdomain: a page that only mentions Statuspal is not one.
    return null;
  }
}

/** Statuspal public status API: `url` = `https://statuspal.io` (or `https://statuspal.eu`), `options.subdomain` required. */
export const statuspalProvider: Provider = {
  id: 'statuspal',
  name: 'Statuspal',
  optionsSchema: statuspalOptionsSchema,
  async poll(ctx) {
    const options = statuspalOptionsSchema.safeParse(ctx.vendor.options ?? {});
    if (!options.success) throw new FetchError('parse', `statuspal options: ${describeIssue(options.error)}`);
    const response = await ctx.get(`/api/v2/status_pages/${options.data.subdomain}/status`, {
      accept: 'application/json',
    });
    if (response.status === 304) return { notModified: true, status: null, incidents: [] };
    const { status, incidents } = withUrl(response.url, () =>
      parseStatuspalStatus(response.body, ctx.vendor.id, ctx.now),
    );
    // Complete: the status endpoint lists only current incidents and maintenances; resolved ones vanish.
    return { notModified: false, status, incidents, openSetComplete: true };
  },
  detect,
};

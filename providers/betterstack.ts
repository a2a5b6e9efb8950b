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
import { plainBody } from '../src/core/text.js';
import { resolutionTime } from './statuspage.js';
import {
  describeIssue,
  earliest,
  feedParser,
  getOptional,
  latest,
  list,
  parseJson,
  raiseForOpen,
  readFeed,
  text,
  time,
  withUrl,
  withUrlAsync,
} from './support.js';
import type { DetectContext, Detection, Provider } from './types.js';

const id = z.union([z.string().min(1), z.number()]).transform(String);
const affectedSchema = list(z.looseObject({ status_page_resource_id: id.nullish(), status: text }));
const itemSchema = z.looseObject({ id, type: z.string(), attributes: z.looseObject({}).nullish() });
export const betterstackIndexSchema = z.looseObject({
  data: z.looseObject({
    id,
    type: z.literal('status_page'),
    attributes: z.looseObject({
      company_name: text,
      subdomain: text,
      custom_domain: text,
      timezone: text,
      aggregate_state: text,
    }),
  }),
  included: list(itemSchema),
});
// Each included type is checked on its own, so drift names the item; unknown types are skipped.
const includedSchemas = {
  status_page_section: z.looseObject({ attributes: z.looseObject({ name: text }) }),
  status_page_resource: z.looseObject({
    attributes: z.looseObject({ public_name: text, status_page_section_id: id.nullish(), status: text }),
  }),
  status_report: z.looseObject({
    attributes: z.looseObject({
      title: text,
      report_type: text,
      starts_at: time,
      ends_at: time,
      aggregate_state: text,
      affected_resources: affectedSchema,
    }),
    relationships: z
      .looseObject({ status_updates: z.looseObject({ data: list(z.looseObject({ id })) }).nullish() })
      .nullish(),
  }),
  status_update: z.looseObject({
    attributes: z.looseObject({
      message: text,
      published_at: time,
      status_report_id: id.nullish(),
      affected_resources: affectedSchema,
    }),
  }),
};
type Included = {
  [K in keyof typeof includedSchemas]: z.infer<(typeof includedSchemas)[K]> & { id: string };
};

const states = ['operational', 'maintenance', 'degraded', 'downtime'] as const;
type State = (typeof states)[number];
const stateOf = (word: string | null | undefined): State | null =>
  states.find((s) => s === word?.toLowerCase()) ?? null;
const worst = (words: (string | null | undefined)[]): State | null =>
  words.reduce<State | null>((w, word) => {
    const s = stateOf(word);
    return s && (w === null || states.indexOf(s) > states.indexOf(w)) ? s : w;
  }, null);
// "downtime" is Better Stack's only outage level, partial or full: read as major, not critical.
const impacts: Record<State, Impact> = {
  operational: 'none',
  maintenance: 'none',
  degraded: 'minor',
  downtime: 'major',
};
const componentStatuses: Record<string, ComponentStatus> = {
  operational: 'operational',
  degraded: 'degraded_performance',
  downtime: 'major_outage',
  maintenance: 'under_maintenance',
};
const indicators: Record<State, Indicator> = {
  operational: 'operational',
  maintenance: 'maintenance',
  degraded: 'minor',
  downtime: 'major',
};

/** index.json (JSON:API): the page's aggregate state, its resources by section, and its status reports. */
export function parseIndex(
  body: string,
  vendor: string,
  now: Date,
): { status: VendorStatus; incidents: VendorIncident[] } {
  const { data, included } = parseJson(body, betterstackIndexSchema, 'index.json');
  const byType = {
    status_page_section: [],
    status_page_resource: [],
    status_report: [],
    status_update: [],
  } as {
    [K in keyof Included]: Included[K][];
  };
  (included ?? []).forEach((item, index) => {
    const type = item.type as keyof typeof includedSchemas;
    if (!(type in includedSchemas)) return;
    const result = includedSchemas[type].safeParse(item);
    if (!result.success)
      throw new FetchError('parse', `index.json: included[${index}].${describeIssue(result.error)}`, {
        cause: result.error,
      });
    (byType[type] as unknown[]).push({ ...result.data, id: item.id });
  });
  const sections = new Map(byType.status_page_section.map((s) => [s.id, s.attributes.name ?? null]));
  const resources = new Map(byType.status_page_resource.map((r) => [r.id, r.attributes]));
  const components = byType.status_page_resource.flatMap((r): VendorComponent[] => {
    const a = r.attributes;
    if (!a.public_name) return [];
    const group = a.status_page_section_id ? (sections.get(a.status_page_section_id) ?? null) : null;
    // not_monitored and unknown words: we cannot say it is up.
    return [{ id: r.id, name: a.public_name, group, status: componentStatuses[a.status ?? ''] ?? 'unknown' }];
  });
  const attrs = data.attributes;
  const site = attrs.custom_domain ?? (attrs.subdomain ? `${attrs.subdomain}.betteruptime.com` : null);
  const incidents = byType.status_report.map((report) => {
    const linked = new Set((report.relationships?.status_updates?.data ?? []).map((d) => d.id));
    const updates = byType.status_update.filter(
      (u) => linked.has(u.id) || u.attributes.status_report_id === report.id,
    );
    return toIncident(report, updates, {
      vendor,
      now,
      site,
      names: (rid) => resources.get(rid)?.public_name,
    });
  });
  // With no aggregate_state the resources decide; with none of either we cannot say the page is up.
  const page = attrs.aggregate_state
    ? stateOf(attrs.aggregate_state)
    : worst(byType.status_page_resource.map((r) => r.attributes.status));
  const indicator = raise(page ? indicators[page] : 'unknown', incidents);
  return { status: { vendor, indicator, components, fetchedAt: now.toISOString(), health: 'ok' }, incidents };
}

// Better Stack's feed carries no severity: an open incident of unknown weight must not read as operational.
const raise = (indicator: Indicator, incidents: VendorIncident[]): Indicator =>
  raiseForOpen(indicator, incidents, 'unknown');

function toIncident(
  report: Included['status_report'],
  rawUpdates: Included['status_update'][],
  ctx: { vendor: string; now: Date; site: string | null; names: (id: string) => string | null | undefined },
): VendorIncident {
  const a = report.attributes;
  const kind = a.report_type === 'maintenance' ? 'maintenance' : 'incident';
  const done = kind === 'maintenance' ? 'completed' : 'resolved';
  // An update sets resources' states; one that leaves them all operational is the resolution.
  const updates: IncidentUpdate[] = [];
  const timed = rawUpdates
    .flatMap((u) => {
      const at = toInstant(u.attributes.published_at);
      return at ? [{ u, at }] : [];
    })
    .sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  for (const { u, at } of timed) {
    const state = worst((u.attributes.affected_resources ?? []).map((r) => r.status));
    const status = state === 'operational' ? done : (state ?? updates.at(-1)?.status ?? 'update');
    updates.push({ id: u.id, at, status, ...plainBody(u.attributes.message ?? '') });
  }
  const from = toInstant(a.starts_at);
  const until = toInstant(a.ends_at);
  const last = updates.at(-1)?.status;
  const state = stateOf(a.aggregate_state) ?? (last === done ? 'operational' : stateOf(last));
  const status =
    kind === 'maintenance'
      ? maintenanceStatus(state, from, until, last === done, ctx.now.getTime())
      : state === 'operational'
        ? 'resolved'
        : (state ?? 'unknown');
  let startedAt = (kind === 'maintenance' ? from : null) ?? earliest([from, updates[0]?.at ?? null]);
  if (startedAt === null)
    throw new FetchError('parse', `index.json: status report ${report.id}: no starts_at or published update`);
  // ends_at stays null on resolved manual reports: the resolving update dates the end.
  const resolvedAt =
    status === done
      ? ((kind === 'incident' ? until : null) ??
        resolutionTime(updates) ??
        until ??
        updates.at(-1)?.at ??
        startedAt)
      : null;
  if (resolvedAt !== null && Date.parse(resolvedAt) < Date.parse(startedAt)) startedAt = resolvedAt;
  const postedAt = updates[0]?.at ?? startedAt;
  const affected = [
    ...(a.affected_resources ?? []),
    ...rawUpdates.flatMap((u) => u.attributes.affected_resources ?? []),
  ];
  const seen = worst([a.aggregate_state, ...affected.map((r) => r.status)]);
  const names = affected.flatMap((r) => {
    const name = r.status_page_resource_id ? ctx.names(r.status_page_resource_id) : null;
    return name ? [name] : [];
  });
  return {
    vendor: ctx.vendor,
    id: report.id,
    title: a.title ?? '',
    impact: kind === 'maintenance' ? 'none' : seen ? impacts[seen] : 'unknown',
    status,
    kind,
    startedAt,
    postedAt,
    updatedAt: latest([postedAt, resolvedAt, ...updates.map((u) => u.at)]) ?? postedAt,
    resolvedAt,
    scheduledFor: kind === 'maintenance' ? from : null,
    scheduledUntil: kind === 'maintenance' ? until : null,
    components: [...new Set(names)],
    regions: [],
    updates,
    url: ctx.site && kind === 'incident' ? `https://${ctx.site}/incidents/${report.id}` : null,
  };
}

/** Before its window: scheduled; in the window until an update ends it: in progress; then completed. */
function maintenanceStatus(
  state: State | null,
  from: string | null,
  until: string | null,
  ended: boolean,
  now: number,
): string {
  if (state === 'maintenance') return 'in_progress';
  if (from && Date.parse(from) > now) return 'scheduled';
  if (until && Date.parse(until) > now && !ended) return 'in_progress';
  return 'completed';
}

const parser = feedParser();
const labelled = /^\s*\[([^\]]+)\]\s*(.*)$/s;
const reportPath = /\/(?:incidents?|maintenances?|reports?)\/([^/?#]+)/;

/** feed.rss: one item per update, titled "[Label] Report title"; items are grouped into reports by link. */
export async function parseFeed(
  xml: string,
  vendor: string,
  now: Date,
): Promise<{ status: VendorStatus; incidents: VendorIncident[] }> {
  const feed = await readFeed(parser, xml, 'feed.rss');
  const groups = new Map<string, { link: string | null; title: string; updates: IncidentUpdate[] }>();
  feed.items.forEach((item, index) => {
    const link = item.link ?? null;
    const key = [link, item.guid].map((l) => l?.match(reportPath)?.[1]).find(Boolean) ?? item.guid;
    const at = toInstant(item.isoDate ?? item.pubDate);
    if (!key || !at) throw new FetchError('parse', `feed.rss: item ${index} has no link or no pubDate`);
    const [, label = 'update', title = item.title ?? ''] = labelled.exec(item.title ?? '') ?? [];
    const group = groups.get(key) ?? { link, title, updates: [] };
    group.updates.push({
      ...(item.guid ? { id: item.guid } : {}),
      at,
      status: label.trim().toLowerCase().replace(/\s+/g, '_'),
      ...plainBody(item.content ?? item.contentSnippet ?? ''),
    });
    groups.set(key, group);
  });
  const incidents = [...groups].map(([key, g]): VendorIncident => {
    const updates = g.updates.sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
    const first = updates[0]!.at;
    const last = updates.at(-1)!;
    const kind =
      /maintenance/i.test(g.link ?? '') || updates.some((u) => /maintenance|scheduled/.test(u.status))
        ? 'maintenance'
        : 'incident';
    const resolvedAt = ['resolved', 'completed'].includes(last.status)
      ? (resolutionTime(updates) ?? last.at)
      : null;
    return {
      vendor,
      id: key,
      // Items are newest first: the first one seen carries the current title.
      title: g.title,
      impact: kind === 'maintenance' ? 'none' : 'unknown',
      status: last.status,
      kind,
      startedAt: first,
      postedAt: first,
      updatedAt: last.at,
      resolvedAt,
      components: [],
      regions: [],
      updates,
      url: g.link,
    };
  });
  // The feed has no severities: an open incident makes the page unknown, never operational.
  const indicator = raise('operational', incidents);
  return {
    status: { vendor, indicator, components: [], fetchedAt: now.toISOString(), health: 'ok' },
    incidents,
  };
}

/** Polls index.json; a page whose JSON endpoint is missing (404) is read from feed.rss instead. */
export const betterstackProvider: Provider = {
  id: 'betterstack',
  name: 'Better Stack status pages',
  async poll(ctx) {
    const vendor = ctx.vendor.id;
    const res = await getOptional(ctx, '/index.json', { accept: 'application/json' });
    if (res === null) {
      const feed = await ctx.get('/feed.rss', { accept: 'application/rss+xml, application/xml;q=0.9' });
      if (feed.status === 304) return { notModified: true, status: null, incidents: [] };
      return {
        notModified: false,
        ...(await withUrlAsync(feed.url, () => parseFeed(feed.body, vendor, ctx.now))),
      };
    }
    if (res.status === 304) return { notModified: true, status: null, incidents: [] };
    const { url, body } = res;
    return { notModified: false, ...withUrl(url, () => parseIndex(body, vendor, ctx.now)) };
  },
  detect,
};

async function detect(ctx: DetectContext): Promise<Detection | null> {
  const page = new URL(ctx.pageUrl);
  // A page under a path serves index.json there; a deep link's origin serves the page's.
  for (const base of new Set([page.pathname.replace(/\/+$/, ''), ''])) {
    try {
      const res = await ctx.get(`${base}/index.json`, { accept: 'application/json' });
      const { data } = parseJson(res.body, betterstackIndexSchema, 'index.json');
      return {
        provider: 'betterstack',
        confidence: 0.95,
        url: `${page.origin}${base}`,
        ...(data.attributes.company_name ? { name: data.attributes.company_name } : {}),
        evidence: [`${base}/index.json answered a JSON:API status_page document, as Better Stack pages do.`],
      };
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
    }
  }
  const home = await ctx.home();
  if (!home || !/betteruptime|betterstack|better stack/i.test(home.body)) return null;
  return {
    provider: 'betterstack',
    confidence: 0.5,
    url: ctx.pageUrl,
    evidence: ['The page mentions Better Stack / Better Uptime, but index.json did not answer in its shape.'],
  };
}

import { load } from 'cheerio';
import Parser from 'rss-parser';
import { z } from 'zod';
import { FetchError } from '../src/errors.js';
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
} from '../src/model.js';
import { plainBody } from '../src/text.js';
import { describeIssue, earliest, latest, list, parseJson, text, withUrl } from './support.js';
import type { Detection, DetectContext, PollContext, Provider } from './types.js';

/** Base URL of the AWS Health Dashboard, whose /public/currentevents lists the open public events. */
export const AWS_HEALTH_URL = 'https://health.aws.amazon.com';
/** Base URL of the legacy Service Health Dashboard, which still publishes the RSS feeds. */
export const AWS_STATUS_URL = 'https://status.aws.amazon.com';

// AWS's scale, in every status field: 0 operational/resolved, 1 informational, 2 degradation
// ("Performance issues"), 3 disruption. Each step maps onto one level of the model, as for GCP;
// informational posts describe real customer impact, so they are minor rather than none.
type Code = 0 | 1 | 2 | 3;
const statusWords = ['resolved', 'informational', 'degraded', 'disruption'] as const;
const impacts: Impact[] = ['none', 'minor', 'major', 'critical'];
const componentStatuses: ComponentStatus[] = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
];
const rssPrefixes: Record<string, Code> = {
  'service is operating normally': 0,
  'informational message': 1,
  'performance issues': 2,
  'service disruption': 3,
};

// §5 of the formats reference: `<service>-<region>` where the region is a partition-qualified code.
const regionSuffix = /^(.+?)-((?:us|eu|ap|sa|ca|me|af|il|mx|cn)(?:-gov|-iso[a-z]?)?-[a-z]+-\d+|us-standard)$/;

/** Splits `ec2-us-east-1` into service and region; a slug with no region (`billingconsole`) is a global service. */
export function splitServiceSlug(slug: string): { service: string; region: string | null } {
  const m = regionSuffix.exec(slug);
  if (!m) return { service: slug, region: null };
  // "US Standard" was S3's name for us-east-1 until 2016; old slugs still carry it.
  return { service: m[1]!, region: m[2] === 'us-standard' ? 'us-east-1' : m[2]! };
}

const asCode = (value: unknown): Code | null => {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  return n === 0 || n === 1 || n === 2 || n === 3 ? n : null;
};
const worst = (codes: (Code | null)[]): Code | null =>
  codes.reduce<Code | null>((w, c) => (c !== null && (w === null || c > w) ? c : w), null);
// AWS gives epochs as strings or numbers, seconds in `date`/`event_log`, milliseconds in some status changes.
const epochInstant = (value: string | number | null | undefined): string | null => {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? toInstant(n > 1e11 ? n : n * 1000) : null;
};
// Open events whose weight is unknown still mean the page is not all green.
const indicatorOf = (impact: Impact): Indicator =>
  impact === 'unknown' ? 'minor' : indicatorForImpact(impact);

// ---- health.aws.amazon.com/public/currentevents (JSON, served as UTF-16 with a BOM) ----

const epoch = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, 'expected epoch seconds')]);
const code = z.union([z.number(), z.string()]).nullish();
export const awsEventSchema = z.looseObject({
  arn: z.string().min(1),
  date: epoch,
  end_time: epoch.nullish(),
  region_name: text,
  status: code,
  service: text,
  service_name: text,
  summary: text,
  event_log: list(z.looseObject({ summary: text, message: text, status: code, timestamp: epoch })),
  impacted_services: z
    .record(z.string(), z.looseObject({ service_name: text, current: code, max: code }))
    .nullish(),
  impacted_service_status_changes: list(
    z.looseObject({ service: text, current_status: code, previous_status: code, timestamp: epoch.nullish() }),
  ),
});
export const awsCurrentEventsSchema = z.array(awsEventSchema);
export type AwsEvent = z.infer<typeof awsEventSchema>;

/** currentevents: the open public events (an empty array when all is well) and the status they imply. */
export function parseAwsCurrentEvents(
  body: string,
  vendor: string,
  now: Date,
): { status: VendorStatus; incidents: VendorIncident[] } {
  const events = parseJson(body, awsCurrentEventsSchema, 'currentevents');
  const incidents = events.map((event) => eventToIncident(event, vendor));
  let indicator: Indicator = 'operational';
  const components = new Map<string, VendorComponent>();
  events.forEach((event, index) => {
    if (incidents[index]!.resolvedAt !== null) return;
    const services = Object.entries(event.impacted_services ?? {});
    // The top-level status is the event's peak; the services' `current` says how it stands now.
    const current =
      worst(services.map(([, s]) => asCode(s.current))) ?? asCode(event.event_log?.at(-1)?.status);
    const impact = current === null ? incidents[index]!.impact : impacts[current]!;
    indicator = worseIndicator(
      indicator,
      incidents[index]!.kind === 'maintenance' ? 'maintenance' : indicatorOf(impact),
    );
    for (const [key, service] of services) {
      const c = asCode(service.current);
      const status = c === null ? 'unknown' : componentStatuses[c]!;
      const seen = components.get(key);
      if (!seen || componentStatuses.indexOf(status) > componentStatuses.indexOf(seen.status))
        components.set(key, {
          id: key,
          name: service.service_name ?? key,
          group: splitServiceSlug(key).region,
          status,
        });
    }
  });
  return {
    status: {
      vendor,
      indicator,
      components: [...components.values()],
      fetchedAt: now.toISOString(),
      health: 'ok',
    },
    incidents,
  };
}

function eventToIncident(event: AwsEvent, vendor: string): VendorIncident {
  const log = (event.event_log ?? [])
    .map((entry) => ({ entry, at: epochInstant(entry.timestamp), code: asCode(entry.status) }))
    .filter((e): e is typeof e & { at: string } => e.at !== null)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const updates = log.map(({ entry, at, code: c }): IncidentUpdate => ({
    at,
    status: c === null ? 'unknown' : statusWords[c],
    ...plainBody(entry.message || entry.summary || ''),
  }));
  const posted = epochInstant(event.date);
  const changes = (event.impacted_service_status_changes ?? []).map((c) => epochInstant(c.timestamp));
  const services = Object.values(event.impacted_services ?? {});
  const startedAt = earliest([posted, updates[0]?.at ?? null]);
  if (startedAt === null) throw new FetchError('parse', `currentevents: event ${event.arn}: no date`);
  const updatedAt = latest([
    startedAt,
    epochInstant(event.end_time),
    ...updates.map((u) => u.at),
    ...changes,
  ])!;
  const allRecovered = services.length > 0 && services.every((s) => asCode(s.current) === 0);
  const resolvedAt =
    epochInstant(event.end_time) ??
    (asCode(event.status) === 0 || log.at(-1)?.code === 0 || allRecovered ? updatedAt : null);
  const peak = worst([
    asCode(event.status),
    ...services.map((s) => asCode(s.max)),
    ...log.map((l) => l.code),
  ]);
  const [, , , arnRegion = '', , rest = ''] = event.arn.split(':');
  const typeCode = rest.split('/')[2] ?? '';
  const region = arnRegion || (event.service ? splitServiceSlug(event.service).region : null);
  const names = services.flatMap((s) => (s.service_name ? [s.service_name] : []));
  return {
    vendor,
    id: event.arn,
    title: event.summary ?? event.service_name ?? '',
    impact: peak === null ? 'unknown' : impacts[peak]!,
    status: resolvedAt !== null ? 'resolved' : (updates.at(-1)?.status ?? 'unknown'),
    // The Health API's event type codes name planned work `…_MAINTENANCE_SCHEDULED`.
    kind: /MAINTENANCE|_SCHEDULED$/.test(typeCode) ? 'maintenance' : 'incident',
    startedAt,
    postedAt: posted ?? startedAt,
    updatedAt,
    resolvedAt,
    components: [...new Set(names.length > 0 ? names : event.service_name ? [event.service_name] : [])],
    regions: region ? [region] : [],
    updates,
    url: `${AWS_HEALTH_URL}/health/status`,
  };
}

/** Polls /public/currentevents; the HTTP edge decodes its UTF-16 by the BOM. */
export const awsProvider: Provider = {
  id: 'aws',
  name: 'AWS Health Dashboard',
  async poll(ctx) {
    const response = await ctx.get('/public/currentevents', { accept: 'application/json' });
    if (response.status === 304) return { notModified: true, status: null, incidents: [] };
    const { status, incidents } = withUrl(response.url, () =>
      parseAwsCurrentEvents(response.body, ctx.vendor.id, ctx.now),
    );
    // Complete: currentevents lists only current events; finished ones vanish without an end.
    return { notModified: false, status, incidents, openSetComplete: true };
  },
  detect: (ctx) =>
    detectBy(ctx, 'health.aws.amazon.com', AWS_HEALTH_URL, 'aws', async (base) => {
      const response = await ctx.getUrl(`${base}/public/currentevents`, { accept: 'application/json' });
      const events = parseJson(response.body, awsCurrentEventsSchema, 'currentevents');
      if (events.length > 0 && !events.every((e) => e.arn.startsWith('arn:aws'))) return null;
      // An empty array is the healthy state, but any JSON API could answer one.
      return events.length > 0
        ? {
            confidence: 0.9,
            evidence: `${base}/public/currentevents lists ${events.length} AWS Health events (arn:aws:health ARNs)`,
          }
        : {
            confidence: 0.5,
            evidence: `${base}/public/currentevents answers an empty JSON array, as AWS does when all is well`,
          };
    }),
};

// ---- status.aws.amazon.com/rss/*.rss ----

const parser = new Parser();
const guidPattern = /#([a-z0-9][a-z0-9-]*)_(\d{9,13})$/i;

interface RssEntry {
  guid: string;
  slug: string;
  epoch: string;
  at: string;
  code: Code | null;
  resolved: boolean;
  summary: string;
  description: string;
  link: string | null;
}

/**
 * An AWS feed: every item is one update (its guid carries `<service>-<region>_<epoch of the update>`).
 * Updates with the same service and summary form one incident, which a resolved update closes; its id
 * `<service>-<region>_<epoch of its first update>` is the event key of the legacy data.json.
 */
export async function parseAwsRss(xml: string, vendor: string): Promise<VendorIncident[]> {
  const entries = await rssEntries(xml);
  const open = new Map<string, RssEntry[]>();
  const groups: RssEntry[][] = [];
  for (const entry of entries) {
    const key = `${entry.slug}\n${entry.summary.toLowerCase()}`;
    const group = open.get(key);
    if (group && !group.at(-1)!.resolved) group.push(entry);
    else {
      const fresh = [entry];
      groups.push(fresh);
      open.set(key, fresh);
    }
  }
  return groups.map((group) => rssIncident(group, vendor));
}

async function rssEntries(xml: string): Promise<RssEntry[]> {
  if (/^\s*(<!doctype html|<html)/i.test(xml))
    throw new FetchError('parse', 'aws rss: got an HTML page instead of RSS');
  let feed;
  try {
    feed = await parser.parseString(xml);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new FetchError('parse', `aws rss: not a readable RSS feed (${detail})`, { cause });
  }
  const entries = feed.items.map((item, index): RssEntry => {
    const guid = item.guid ?? '';
    const m = guidPattern.exec(guid);
    if (!m)
      throw new FetchError(
        'parse',
        `aws rss: item ${index}: guid "${guid}" is not …#<service>-<region>_<epoch>`,
      );
    const at = pacificInstant(item.pubDate) ?? epochInstant(m[2]);
    if (at === null) throw new FetchError('parse', `aws rss: item ${index}: no readable pubDate`);
    const [, prefix = '', rest = ''] = /^([^:[]*):\s*(.*)$/s.exec(item.title ?? '') ?? [];
    const known = rssPrefixes[prefix.trim().toLowerCase()];
    const title = known === undefined ? (item.title ?? '') : rest;
    const resolved = known === 0 || /^\s*\[RESOLVED\]/i.test(title);
    return {
      guid,
      slug: m[1]!,
      epoch: m[2]!,
      at,
      code: known ?? null,
      resolved,
      summary: title.replace(/^\s*\[RESOLVED\]\s*/i, '').trim(),
      description: item.content ?? item.contentSnippet ?? '',
      link: item.link ?? null,
    };
  });
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function rssIncident(group: RssEntry[], vendor: string): VendorIncident {
  const first = group[0]!;
  const last = group.at(-1)!;
  const peak = worst(group.map((e) => (e.code === 0 ? null : e.code)));
  const { service, region } = splitServiceSlug(first.slug);
  return {
    vendor,
    id: `${first.slug}_${first.epoch}`,
    title: last.summary,
    // A feed item that only ever said "operating normally" tells us nothing about the impact.
    impact: peak === null ? 'unknown' : impacts[peak]!,
    status: last.resolved ? 'resolved' : last.code === null ? 'unknown' : statusWords[last.code],
    kind: 'incident',
    startedAt: first.at,
    postedAt: first.at,
    updatedAt: last.at,
    resolvedAt: last.resolved ? last.at : null,
    components: [service],
    regions: region ? [region] : [],
    updates: group.map((e) => ({
      id: e.guid,
      at: e.at,
      status: e.resolved ? 'resolved' : e.code === null ? 'unknown' : statusWords[e.code],
      ...plainBody(e.description),
    })),
    url: last.link,
  };
}

/** The status a set of feeds implies: worst open incident, one component per per-service feed. */
export function awsRssStatus(
  incidents: VendorIncident[],
  feeds: string[],
  vendor: string,
  now: Date,
): VendorStatus {
  const open = incidents.filter((i) => i.resolvedAt === null);
  const indicator = open.reduce<Indicator>((w, i) => worseIndicator(w, indicatorOf(i.impact)), 'operational');
  const components = feeds.flatMap((feed): VendorComponent[] => {
    const slug = /\/rss\/([a-z0-9-]+)\.rss$/i.exec(feed)?.[1];
    if (!slug || slug === 'all') return [];
    const { service, region } = splitServiceSlug(slug);
    const mine = open.filter((i) => i.id.startsWith(`${slug}_`));
    const impact = mine.reduce<Impact>(
      (w, i) => (impacts.indexOf(i.impact) > impacts.indexOf(w) ? i.impact : w),
      'none',
    );
    const status =
      mine.length === 0
        ? 'operational'
        : impact === 'none'
          ? 'unknown'
          : componentStatuses[impacts.indexOf(impact)]!;
    return [{ id: slug, name: service, group: region, status }];
  });
  return { vendor, indicator, components, fetchedAt: now.toISOString(), health: 'ok' };
}

export const awsRssOptionsSchema = z.object({
  feeds: z
    .array(z.string().regex(/^\/[^/\s]\S*$/, 'expected a feed path such as /rss/ec2-us-east-1.rss'))
    .min(1, 'list at least one feed path, e.g. /rss/all.rss')
    .default(['/rss/all.rss']),
});

/** Polls the configured RSS feeds (default /rss/all.rss); an empty channel is the healthy state. */
export const awsRssProvider: Provider = {
  id: 'aws-rss',
  name: 'AWS Service Health Dashboard RSS',
  optionsSchema: awsRssOptionsSchema,
  async poll(ctx) {
    const options = awsRssOptionsSchema.safeParse(ctx.vendor.options ?? {});
    if (!options.success) throw new FetchError('parse', `aws-rss options: ${describeIssue(options.error)}`);
    const { feeds } = options.data;
    const fetched = await Promise.all(feeds.map((feed) => fetchFeed(ctx, feed)));
    if (fetched.every((f) => f === null)) return { notModified: true, status: null, incidents: [] };
    const incidents = fetched.flatMap((f) => f ?? []);
    // With some feeds unchanged (304) their open incidents are unknown here: keep the last status.
    const complete = fetched.every((f) => f !== null);
    return {
      notModified: false,
      status: complete ? awsRssStatus(incidents, feeds, ctx.vendor.id, ctx.now) : null,
      incidents,
    };
  },
  detect: (ctx) =>
    detectBy(ctx, 'status.aws.amazon.com', AWS_STATUS_URL, 'aws-rss', async (base) => {
      const response = await ctx.getUrl(`${base}/rss/all.rss`, {
        accept: 'application/rss+xml, application/xml',
      });
      if (
        !/AWS Service Health Dashboard RSS Generator|Amazon Web Services Service Status/.test(response.body)
      )
        return null;
      await rssEntries(response.body);
      return { confidence: 0.9, evidence: `${base}/rss/all.rss is the AWS Service Health Dashboard feed` };
    }),
};

async function fetchFeed(ctx: PollContext, path: string): Promise<VendorIncident[] | null> {
  const response = await ctx.get(path, { accept: 'application/rss+xml, application/xml;q=0.9' });
  if (response.status === 304) return null;
  try {
    return await parseAwsRss(response.body, ctx.vendor.id);
  } catch (error) {
    // Parsers do not know where the text came from; the log should name the feed.
    if (error instanceof FetchError && error.url === undefined)
      throw new FetchError(error.kind, error.message, { url: response.url, cause: error.cause });
    throw error;
  }
}

// ---- legacy status.aws.amazon.com/data.json (the only AWS incident history we have recorded) ----

const legacyEventSchema = z.looseObject({
  service: z.string().min(1),
  service_name: text,
  summary: text,
  date: epoch,
  status: code,
  details: text,
  description: text,
});
export const awsLegacyStatusSchema = z.looseObject({
  archive: list(legacyEventSchema),
  current: list(legacyEventSchema),
});

/** Legacy data.json: one event per item, its updates in `description` HTML with Pacific wall times. */
export function parseLegacyStatusData(body: string, vendor: string): VendorIncident[] {
  const data = parseJson(body, awsLegacyStatusSchema, 'data.json');
  return [...(data.archive ?? []), ...(data.current ?? [])].map((event) => {
    const id = `${event.service}_${event.date}`;
    const posted = epochInstant(event.date);
    if (posted === null) throw new FetchError('parse', `data.json: event ${id}: date is not an epoch`);
    const updates = legacyUpdates(event.description ?? '', posted, id);
    const resolved = /^\s*\[RESOLVED\]/i.test(event.summary ?? '');
    const c = asCode(event.status);
    const word = c === null ? 'unknown' : statusWords[c];
    for (const [k, update] of updates.entries())
      update.status = resolved && k === updates.length - 1 ? 'resolved' : word;
    const { region } = splitServiceSlug(event.service);
    const last = updates.at(-1)?.at ?? posted;
    return {
      vendor,
      id,
      title: (event.summary ?? '').replace(/^\s*\[RESOLVED\]\s*/i, ''),
      impact: c === null ? 'unknown' : impacts[c]!,
      status: resolved ? 'resolved' : word,
      kind: 'incident',
      startedAt: earliest([posted, updates[0]?.at ?? null])!,
      postedAt: posted,
      updatedAt: latest([posted, last])!,
      resolvedAt: resolved ? latest([posted, last]) : null,
      // "Amazon Elastic Compute Cloud (Frankfurt)": the region is in `service`; the name alone is the product.
      components: event.service_name
        ? [region ? event.service_name.replace(/\s*\([^()]*\)$/, '') : event.service_name]
        : [],
      regions: region ? [region] : [],
      updates,
      url: `${AWS_STATUS_URL}/`,
    };
  });
}

const pacific: Record<string, number> = { PST: -8 * 60, PDT: -7 * 60 };
const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const stampPattern = /^(?:([a-z]{3})\s+(\d{1,2}),\s*)?(\d{1,2}):(\d{2})\s*(AM|PM)\s+(PST|PDT)$/i;

/** RFC 822 dates with AWS's PST/PDT labels, which name the offset in force. */
function pacificInstant(value: string | undefined): string | null {
  if (!value) return null;
  return toInstant(
    value
      .trim()
      .replace(/\s(PST|PDT)$/i, (_m, zone: string) => (zone.toUpperCase() === 'PST' ? ' -0800' : ' -0700')),
  );
}

/**
 * `<div><span class="yellowfg">5:29 AM PDT</span>&nbsp;text</div>` per update. The stamps carry no date
 * (only when the day changes, "Nov 23, 12:04 AM PST"): the first is the day nearest the event's epoch,
 * and each later one the first day that does not put it before the update above.
 */
function legacyUpdates(html: string, posted: string, id: string): IncidentUpdate[] {
  const $ = load(html, null, false);
  const updates: IncidentUpdate[] = [];
  let previous = Date.parse(posted);
  $('div').each((index, element) => {
    const div = $(element);
    const label = div.find('span.yellowfg').first();
    const stamp = label.text().replace(/\s+/g, ' ').trim();
    const m = stampPattern.exec(stamp);
    if (!m)
      throw new FetchError(
        'parse',
        `data.json: event ${id}: update ${index}: cannot read the time "${stamp}"`,
      );
    const [, month, day, hour = '', minute = '', half = '', zone = ''] = m;
    const offset = pacific[zone.toUpperCase()]!;
    const hours = (Number(hour) % 12) + (half.toUpperCase() === 'PM' ? 12 : 0);
    const local = new Date(previous + offset * 60_000);
    const wall = (year: number, monthIndex: number, date: number) =>
      Date.UTC(year, monthIndex, date, hours, Number(minute)) - offset * 60_000;
    let at: number;
    if (month) {
      // A stamp with a date has no year: the one that keeps it after the update above (December → January).
      at = wall(local.getUTCFullYear(), months.indexOf(month.toLowerCase()), Number(day));
      if (at < previous - 180 * 86_400_000)
        at = wall(local.getUTCFullYear() + 1, months.indexOf(month.toLowerCase()), Number(day));
    } else if (index === 0) {
      const candidates = [-1, 0, 1].map((shift) =>
        wall(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + shift),
      );
      at = candidates.reduce((a, b) => (Math.abs(b - previous) < Math.abs(a - previous) ? b : a));
      // The stamp has minute precision and the epoch has seconds: the epoch when they agree.
      if (Math.abs(at - previous) < 60_000) at = previous;
    } else {
      at = wall(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
      if (at < previous - 60_000) at += 86_400_000;
    }
    previous = at;
    label.remove();
    const body = (div.html() ?? '').replace(/^\s*(?:&nbsp;|\u00a0)\s*/, '').trim();
    updates.push({ at: new Date(at).toISOString(), status: 'unknown', ...plainBody(body) });
  });
  return updates.length > 0 ? updates : [{ at: posted, status: 'unknown', ...plainBody(html) }];
}

// ---- detection shared by both AWS providers ----

async function detectBy(
  ctx: DetectContext,
  host: string,
  canonical: string,
  provider: string,
  probe: (base: string) => Promise<{ confidence: number; evidence: string } | null>,
): Promise<Detection | null> {
  const origin = new URL(ctx.pageUrl).origin;
  if (new URL(ctx.pageUrl).hostname === host)
    return {
      provider,
      confidence: 0.95,
      url: canonical,
      name: 'AWS',
      evidence: [`${host} is an AWS Health Dashboard host`],
    };
  try {
    const found = await probe(origin);
    return found ? { provider, confidence: found.confidence, url: origin, evidence: [found.evidence] } : null;
  } catch (error) {
    if (error instanceof FetchError) return null;
    throw error;
  }
}

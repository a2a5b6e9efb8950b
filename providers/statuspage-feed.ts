import { load } from 'cheerio';
import type Parser from 'rss-parser';
import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import { toInstant, type IncidentUpdate, type VendorIncident, type VendorStatus } from '../src/core/model.js';
import { plainBody } from '../src/core/text.js';
import {
  nearestYearWallTime,
  parseOffset,
  resolveZoneLabel,
  writtenZoneSource,
} from '../src/core/time/time-zones.js';
import { resolutionTime, statuspageSummarySchema } from './statuspage.js';
import { describeIssue, feedParser, parseJson, raiseForOpen, readFeed, withUrlAsync } from './support.js';
import type { Detection, DetectContext, Provider } from './types.js';

interface FeedItem {
  id?: string;
  updated?: string;
}
const parser = feedParser<Record<string, unknown>, FeedItem>({ customFields: { item: ['updated'] } });

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const maintenanceLabels = new Set(['scheduled', 'in_progress', 'verifying', 'completed']);
const workLabels = new Set(['in_progress', 'verifying', 'completed']);
const terminalLabels = new Set(['resolved', 'completed', 'postmortem']);
const incidentLink = /\/incidents\/([a-z0-9]+)/i;
const stamp = /([a-z]{3})[a-z]*\.?\s+(\d{1,2}),\s*(\d{1,2}):(\d{2})/i;
// Zones are labels ("PDT") or numeric offsets ("GMT+08:00", "UTC-5", "+05:30").
const zoneAfter = new RegExp(`^\\s*(${writtenZoneSource}(?![a-z])|\\S+)`, 'i');
const windowPattern = new RegExp(
  `SCHEDULED EVENT\\s+${stamp.source}\\s*(?:${writtenZoneSource}\\s*)?-\\s*(?:([a-z]{3})[a-z]*\\.?\\s+(\\d{1,2}),\\s*)?(\\d{1,2}):(\\d{2})\\s*(${writtenZoneSource})?`,
  'i',
);

/** history.atom / history.rss: one incident per entry, updates read from the entry's HTML (no impact, no components). */
export async function parseHistoryFeed(xml: string, vendor: string): Promise<VendorIncident[]> {
  return (await readHistoryFeed(xml, vendor)).incidents;
}

/**
 * The incidents of a history feed, the feed's title and whether it has Statuspage's shape: every entry
 * links /incidents/<id> and carries timestamped updates.
 */
async function readHistoryFeed(
  xml: string,
  vendor: string,
): Promise<{ incidents: VendorIncident[]; title: string | null; statuspageShape: boolean }> {
  const feed = await readFeed(parser, xml, 'history feed', 'RSS/Atom');
  const incidents = feed.items.map((item, index) => toIncident(item, index, vendor));
  return {
    incidents,
    title: typeof feed.title === 'string' ? feed.title.trim() || null : null,
    statuspageShape:
      feed.items.every((item) => incidentLink.test(item.link ?? item.guid ?? '')) &&
      incidents.every((incident) => incident.updates.length > 0),
  };
}

type Item = Parser.Item & FeedItem;

function toIncident(item: Item, index: number, vendor: string): VendorIncident {
  const link = item.link ?? item.guid ?? null;
  const id = link?.match(incidentLink)?.[1] ?? item.guid ?? item.id;
  if (!id) throw new FetchError('parse', `history feed: entry ${index} has no incident link`);
  const published = toInstant(item.isoDate) ?? toInstant(item.updated);
  if (published === null)
    throw new FetchError('parse', `history feed: entry ${id} has no published date to date its updates`);
  // RSS pubDates carry the page's own offset: the fallback for a zone label we do not know, and the
  // hint that picks the reading of a label with several (IST, CST, BST).
  const fallbackOffset =
    item.pubDate
      ?.match(/([+-]\d{2}):?(\d{2})\s*$/)
      ?.slice(1)
      .join(':') ?? 'UTC';
  const clock = (wall: WallTime): string => {
    const at = wallTimeNear(wall, published, fallbackOffset);
    if (at === null)
      throw new FetchError('parse', `history feed: entry ${id}: cannot read the time "${wall.text}"`);
    return at;
  };

  const $ = load(item.content ?? item.summary ?? '', null, false);
  const newestFirst: IncidentUpdate[] = [];
  let scheduledEvent = false;
  let schedule: { from: string; until: string } | null = null;
  for (const element of $.root().children('p').toArray()) {
    const p = $(element);
    const strong = p.children('strong').first().text().replace(/\s+/g, ' ').trim();
    const small = p.children('small').first().text().replace(/\s+/g, ' ').trim();
    if (!small) {
      if (/THIS IS A SCHEDULED EVENT/i.test(strong)) {
        scheduledEvent = true;
        const w = windowPattern.exec(strong);
        if (w) schedule = windowOf(w, clock);
      } else if (p.text().trim()) appendBody(newestFirst.at(-1), p.html() ?? '');
      continue;
    }
    const s = stamp.exec(small);
    if (!s)
      throw new FetchError('parse', `history feed: entry ${id}: cannot read the update time "${small}"`);
    const zone = zoneAfter.exec(small.slice(s.index + s[0].length))?.[1];
    const html = (p.html() ?? '').replace(/^[\s\S]*?<\/strong>\s*-?\s*/, '').trim();
    const status = strong.toLowerCase().replace(/\s+/g, '_');
    newestFirst.push({ at: clock(wallTime(s, zone, small)), status, ...plainBody(html) });
  }

  // "Update" means the status did not change: carry the previous one forward.
  const updates: IncidentUpdate[] = [];
  for (const update of newestFirst.reverse()) {
    updates.push(
      update.status === 'update' && updates.length > 0
        ? { ...update, status: updates[updates.length - 1]!.status }
        : update,
    );
  }
  // Feed times have minute precision and the feed's order within a minute is not reliable: a
  // resolution and a later "Investigating - … operating normally" can share 09:00 in either order.
  // Within a minute the closing update goes last, so such an entry reads resolved.
  const closing = (u: IncidentUpdate) => (terminalLabels.has(u.status) ? 1 : 0);
  updates.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || closing(a) - closing(b));
  const status = updates.at(-1)?.status ?? 'unknown';
  const kind =
    scheduledEvent || updates.some((u) => maintenanceLabels.has(u.status)) ? 'maintenance' : 'incident';
  const resolvedAt = terminalLabels.has(status) ? sharpen(resolutionTime(updates), published) : null;
  // A maintenance starts at its window, else when work began ("In progress"); "Scheduled" only announced it.
  const began = updates.find((u) => workLabels.has(u.status))?.at;
  let startedAt =
    (kind === 'maintenance' ? (schedule?.from ?? began) : undefined) ?? updates[0]?.at ?? published;
  if (resolvedAt !== null && Date.parse(resolvedAt) < Date.parse(startedAt)) startedAt = resolvedAt;
  const times = [published, toInstant(item.updated), updates.at(-1)?.at ?? null].flatMap((t) =>
    t ? [Date.parse(t)] : [],
  );
  return {
    vendor,
    id,
    title: item.title ?? '',
    impact: 'unknown',
    status,
    kind,
    startedAt,
    postedAt: updates[0]?.at ?? published,
    updatedAt: new Date(Math.max(...times)).toISOString(),
    resolvedAt,
    scheduledFor: schedule?.from ?? null,
    scheduledUntil: schedule?.until ?? null,
    components: [],
    regions: [],
    updates,
    url: link,
  };
}

/** A paragraph with no timestamp belongs to the update above it (a body with paragraphs of its own). */
function appendBody(update: IncidentUpdate | undefined, html: string): void {
  if (!update) return;
  const combined = `${update.html ?? update.body}<br>${html}`;
  Object.assign(update, plainBody(combined));
}

interface WallTime {
  month: string;
  day: string;
  hour: string;
  minute: string;
  zone: string | undefined;
  text: string;
}

function wallTime(m: RegExpExecArray, zone: string | undefined, text: string): WallTime {
  const [, month = '', day = '', hour = '', minute = ''] = m;
  return { month, day, hour, minute, zone, text };
}

/** "THIS IS A SCHEDULED EVENT Apr 7, 13:00 - 17:00 UTC", with a second date when the window spans days. */
function windowOf(m: RegExpExecArray, clock: (wall: WallTime) => string): { from: string; until: string } {
  const [, , , , , endMonth, endDay, endHour = '', endMinute = '', zone] = m;
  const from = wallTime(m, zone, m[0]);
  const until = {
    ...from,
    month: endMonth ?? from.month,
    day: endDay ?? from.day,
    hour: endHour,
    minute: endMinute,
  };
  return { from: clock(from), until: clock(until) };
}

/** Feed times have minute precision; the entry's published time is the same moment to the second when it matches. */
function sharpen(minute: string | null, published: string): string | null {
  if (minute === null) return null;
  const delta = Date.parse(published) - Date.parse(minute);
  return delta >= 0 && delta < 60_000 ? published : minute;
}

/**
 * The feed prints no year: take the year that puts this wall time nearest the entry's published date.
 * The label is the page's zone, not the offset in force: Parse's 2014 feed prints "PST" on October
 * updates whose pubDate is -0700, so the offset comes from the zone's rules (see src/core/time/time-zones.ts).
 */
function wallTimeNear(wall: WallTime, reference: string, fallbackOffset: string): string | null {
  const [month, day, hour, minute] = [
    months.indexOf(wall.month.toLowerCase()),
    +wall.day,
    +wall.hour,
    +wall.minute,
  ];
  if (month < 0 || !(day >= 1 && day <= 31 && hour <= 23 && minute <= 59)) return null;
  const near = Date.parse(reference);
  const written =
    wall.zone === undefined ? null : resolveZoneLabel(wall.zone, { hint: fallbackOffset, at: near });
  const zone = written ?? { offsetMinutes: parseOffset(fallbackOffset) ?? 0 };
  return new Date(nearestYearWallTime({ month, day, hour, minute }, zone, near)).toISOString();
}

export const statuspageFeedOptionsSchema = z.object({
  feed: z
    .string({ error: 'expected the feed path under url, e.g. "/history.atom"' })
    .regex(
      /^\/(?!\/)/,
      'expected a path under url starting with one "/", e.g. "/history.atom" or "/history.rss"',
    )
    .default('/history.atom'),
});

function feedOptions(
  options: Record<string, unknown> | undefined,
): z.infer<typeof statuspageFeedOptionsSchema> {
  const parsed = statuspageFeedOptionsSchema.safeParse(options ?? {});
  if (!parsed.success)
    throw new FetchError('parse', `statuspage-feed options: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

/**
 * The page's state from its history feed alone: no components and no impact, so an open incident
 * counts as minor and a maintenance in progress as maintenance.
 */
function feedStatus(vendor: string, incidents: VendorIncident[], now: Date): VendorStatus {
  const open = incidents.filter((i) => i.kind === 'incident' && i.resolvedAt === null).length;
  return {
    vendor,
    indicator: raiseForOpen('operational', incidents, 'minor'),
    description:
      open > 0
        ? `${open} open incident${open === 1 ? '' : 's'} in the history feed`
        : 'No open incidents in the history feed',
    components: [],
    fetchedAt: now.toISOString(),
    health: 'ok',
  };
}

const feedAccept =
  'application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';
const historyFeedHref = /\/history\.(?:atom|rss)(?:[?#].*)?$/i;
const statuspageMarkers =
  /Powered by Statuspage|statuspage\.io|stspg\.io|dka575ofm4ao0\.cloudfront\.net|SP\.pollForChanges/i;

/**
 * A Statuspage page read through its history feed (`options.feed`, default `/history.atom`): incident
 * ids, updates, maintenance windows and times as the Statuspage providers read them. For pages whose
 * JSON API and HTML cannot be read.
 */
export const statuspageFeedProvider: Provider = {
  id: 'statuspage-feed',
  name: 'Atlassian Statuspage (history feed)',
  optionsSchema: statuspageFeedOptionsSchema,
  async poll(ctx) {
    const { feed } = feedOptions(ctx.vendor.options);
    const response = await ctx.get(feed, { accept: feedAccept });
    if (response.status === 304) return { notModified: true, status: null, incidents: [] };
    const incidents = await withUrlAsync(response.url, () => parseHistoryFeed(response.body, ctx.vendor.id));
    // The feed lists the latest incidents, not every open one: absence says nothing.
    return { notModified: false, status: feedStatus(ctx.vendor.id, incidents, ctx.now), incidents };
  },
  detect: detectHistoryFeed,
};

/** The history feed the page links (or `/history.atom` under it), when it reads as a Statuspage history feed. */
async function detectHistoryFeed(ctx: DetectContext): Promise<Detection | null> {
  const home = await ctx.home();
  const linked = home ? linkedHistoryFeeds(home.body, home.url) : [];
  const candidates = [...new Set([...linked, `${ctx.pageUrl}/history.atom`])];
  for (const candidate of candidates) {
    let read;
    let answered;
    try {
      const response = await ctx.getUrl(candidate, { accept: feedAccept });
      answered = new URL(response.url);
      read = await readHistoryFeed(response.body, 'detect');
    } catch (error) {
      if (error instanceof FetchError) continue;
      throw error;
    }
    const titled = read.title !== null && /incident history$/i.test(read.title);
    const marked = home !== null && statuspageMarkers.test(home.body);
    if (!(read.statuspageShape && (read.incidents.length > 0 || titled)) || !(titled || marked)) continue;
    // When the JSON API answers, the statuspage provider reads impact and components as well.
    const api = await ctx
      .get('/api/v2/summary.json', { accept: 'application/json' })
      .then((r) => {
        const data = parseJson(r.body, statuspageSummarySchema, 'summary.json');
        return Boolean(data.page && (data.status || data.components));
      })
      .catch(() => false);
    const name = read.title?.replace(/\s*-\s*incident history$/i, '').trim();
    return {
      provider: 'statuspage-feed',
      confidence: api ? 0.3 : 0.6,
      url: answered.origin,
      options: { feed: `${answered.pathname}${answered.search}` },
      ...(name ? { name } : {}),
      evidence: [
        `${answered.href} reads as a Statuspage history feed (${read.incidents.length} incidents linked to /incidents/<id>)`,
        api
          ? '/api/v2/summary.json answers: prefer the statuspage provider'
          : '/api/v2/summary.json does not answer',
      ],
    };
  }
  return null;
}

function linkedHistoryFeeds(html: string, base: string): string[] {
  if (!/<link/i.test(html)) return [];
  const $ = load(html);
  return $('link[rel~="alternate"]')
    .toArray()
    .flatMap((el) => {
      const href = $(el).attr('href') ?? '';
      if (!historyFeedHref.test(href)) return [];
      try {
        const url = new URL(href, base);
        return url.protocol === 'http:' || url.protocol === 'https:' ? [url.href] : [];
      } catch {
        return [];
      }
    });
}

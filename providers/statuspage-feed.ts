import { load } from 'cheerio';
import type Parser from 'rss-parser';
import { FetchError } from '../src/core/errors.js';
import { toInstant, type IncidentUpdate, type VendorIncident } from '../src/core/model.js';
import { plainBody } from '../src/core/text.js';
import {
  nearestYearWallTime,
  parseOffset,
  resolveZoneLabel,
  writtenZoneSource,
} from '../src/core/time/time-zones.js';
import { resolutionTime } from './statuspage.js';
import { feedParser, readFeed } from './support.js';

interface FeedItem {
  id?: string;
  updated?: string;
}
const parser = feedParser<Record<string, unknown>, FeedItem>({ customFields: { item: ['updated'] } });

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const maintenanceLabels = new Set(['scheduled', 'in_progress', 'verifying', 'completed']);
const workLabels = new Set(['in_progress', 'verifying', 'completed']);
const terminalLabels = new Set(['resolved', 'completed', 'postmortem']);
const stamp = /([a-z]{3})[a-z]*\.?\s+(\d{1,2}),\s*(\d{1,2}):(\d{2})/i;
// Zones are labels ("PDT") or numeric offsets ("GMT+08:00", "UTC-5", "+05:30").
const zoneAfter = new RegExp(`^\\s*(${writtenZoneSource}(?![a-z])|\\S+)`, 'i');
const windowPattern = new RegExp(
  `SCHEDULED EVENT\\s+${stamp.source}\\s*(?:${writtenZoneSource}\\s*)?-\\s*(?:([a-z]{3})[a-z]*\\.?\\s+(\\d{1,2}),\\s*)?(\\d{1,2}):(\\d{2})\\s*(${writtenZoneSource})?`,
  'i',
);

/** history.atom / history.rss: one incident per entry, updates read from the entry's HTML (no impact, no components). */
export async function parseHistoryFeed(xml: string, vendor: string): Promise<VendorIncident[]> {
  const feed = await readFeed(parser, xml, 'history feed', 'RSS/Atom');
  return feed.items.map((item, index) => toIncident(item, index, vendor));
}

type Item = Parser.Item & FeedItem;

function toIncident(item: Item, index: number, vendor: string): VendorIncident {
  const link = item.link ?? item.guid ?? null;
  const id = link?.match(/\/incidents\/([a-z0-9]+)/i)?.[1] ?? item.guid ?? item.id;
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

import { createHash } from 'node:crypto';
import { load } from 'cheerio';
import type Parser from 'rss-parser';
import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import { toInstant, type Indicator, type VendorIncident, type VendorStatus } from '../src/core/model.js';
import { plainBody, safeHtml } from '../src/core/text.js';
import { describeIssue, earliest, feedParser, latest, readFeed, withUrlAsync } from './support.js';
import type { Detection, DetectContext, Provider } from './types.js';

export const rssOptionsSchema = z.object({
  feed: z
    .string({ error: 'expected the feed path under url, e.g. "/history.rss"' })
    .regex(/^\/(?!\/)/, 'expected a path under url starting with one "/", e.g. "/history.rss"'),
});

interface ItemExtras {
  id?: string;
  updated?: string;
  'content:encoded'?: string;
}
const parser = feedParser<{ updated?: string; lastBuildDate?: string }, ItemExtras>({
  customFields: { feed: ['updated'], item: ['updated'] },
});
type Item = Parser.Item & ItemExtras;

// An item counts against the vendor only while it is fresh: generic feeds rarely say "resolved", and
// an item nobody closed must not keep a vendor degraded for weeks.
const openWindowMs = 24 * 60 * 60 * 1000;
const terminal = new Set(['resolved', 'completed', 'postmortem']);
const maintenanceLabels = new Set(['scheduled', 'in_progress', 'verifying', 'completed']);
// "Resolved - text" is how Statuspage and its imitators print updates, newest first.
const labelPattern =
  /(?:^|\n)\s*(resolved|completed|postmortem|investigating|identified|monitoring|update|scheduled|in progress|verifying)\s+[-–]\s/gi;
const statusField =
  /\bstatus\s*:\s*(resolved|completed|investigating|identified|monitoring|scheduled|in progress)\b/i;
const resolvedTitle =
  /\[(?:resolved|completed)\]|^\s*(?:resolved|completed)\s*[:\-–]|\boperating normally\b/i;
// Recovery notices as feeds word them: "has been resolved", "X is now operational", "Recovered",
// "back to normal". A sentence that hedges before the phrase ("not", "until", "once", "will") does
// not count; "unresolved" never matches, as "resolved" must start a word.
const resolvedPhrase =
  /\b(?:has|have) (?:now )?(?:fully )?been (?:resolved|fixed|restored|completed|mitigated)\b|\b(?:is|are|was|were) (?:now )?(?:fully )?(?:resolved|fixed|restored)\b|\b(?:has|have|is|are) (?:now )?(?:fully )?recovered\b|\b(?:is|are) (?:now )?(?:fully )?(?:operational|available) again\b|\b(?:is|are) now (?:fully )?operational\b|\bback to normal\b|\b(?:issue|incident|problem|outage) (?:is |was |now )?resolved\b|^\s*(?:resolved|recovered)\b/i;
const recoveredTitle = /\b(?:resolved|recovered)\s*[\])]|[-–:]\s*(?:resolved|recovered)\s*$/i;
const conditional =
  /\b(?:until|unless|once|if|whether|before|as soon as|will|would|should|may|might|expect\w*|hope\w*)\b|[’']ll\b/i;
const negation = /\b(?:not|never|no longer|yet to)\b|n[’']t\b/i;
// Titles announce maintenance; bodies only count with Statuspage's explicit banner, since incident
// write-ups often blame "a planned maintenance".
const maintenanceTitle =
  /\b(?:scheduled|planned|upcoming)\s+(?:maintenance|upgrade|downtime|work)\b|^\W*maintenance\b|\bmaintenance\s+(?:window|notice|notification)\b/i;
const maintenanceBanner = /\bthis is a scheduled event\b/i;

/**
 * Any RSS 2.0, RSS 1.0 or Atom feed: one incident per item. The status comes from the newest
 * "Label - text" line, a "Status: X" field, a [RESOLVED] title or a "has been resolved" sentence, in
 * that order; an item is maintenance when that label, its title or Statuspage's "scheduled event"
 * banner says so. Impact is always unknown: feeds do not carry one.
 */
export async function parseFeed(
  xml: string,
  vendor: string,
  now: Date,
): Promise<{ status: VendorStatus; incidents: VendorIncident[]; title: string | null }> {
  const feed = await readFeed(parser, xml, 'feed', 'RSS/Atom');
  // A feed's own date stands in for items that carry none (rare, and never better than a guess).
  const feedDate = toInstant(feed.lastBuildDate ?? feed.updated ?? null);
  const incidents = feed.items.map((item) =>
    toIncident(item, vendor, sane(feedDate, now) ?? now.toISOString(), now),
  );
  const open = incidents.filter(
    (i) =>
      i.kind === 'incident' &&
      i.resolvedAt === null &&
      now.getTime() - Date.parse(i.updatedAt) < openWindowMs,
  );
  // Feeds carry no impact: a fresh open item means "something is wrong", the least of which is minor.
  const indicator: Indicator = open.length > 0 ? 'minor' : 'operational';
  const description =
    open.length > 0
      ? `${open.length} open item${open.length === 1 ? '' : 's'} in the feed`
      : 'No open items in the feed';
  return {
    status: { vendor, indicator, description, components: [], fetchedAt: now.toISOString(), health: 'ok' },
    incidents,
    title: feed.title?.trim() || null,
  };
}

function toIncident(item: Item, vendor: string, fallbackDate: string, now: Date): VendorIncident {
  const title = (item.title ?? '').trim();
  const raw = item['content:encoded'] ?? item.content ?? item.summary ?? '';
  const published = sane(toInstant(item.isoDate ?? null), now);
  const updated = sane(toInstant(item.updated ?? null), now);
  const id = item.guid ?? item.id ?? item.link ?? hashOf(title, published ?? '');
  const startedAt = earliest([published, updated]) ?? fallbackDate;
  const updatedAt = latest([published, updated]) ?? startedAt;
  // Feed markup is the vendor's: sanitized before it is kept, as cheerio and rss-parser do not.
  const content = plainBody(/<[a-z!/]/i.test(raw) ? safeHtml(raw) : raw);
  const { status, label } = statusOf(title, content.body);
  const kind =
    (label && maintenanceLabels.has(status)) ||
    maintenanceTitle.test(title) ||
    maintenanceBanner.test(content.body)
      ? 'maintenance'
      : 'incident';
  return {
    vendor,
    id,
    title,
    impact: 'unknown',
    status,
    kind,
    startedAt,
    postedAt: startedAt,
    updatedAt,
    resolvedAt: terminal.has(status) ? updatedAt : null,
    components: [],
    // Generic feeds give no structured region; free-text extraction happens downstream.
    regions: [],
    updates: [{ at: updatedAt, status, ...content }],
    url: item.link ?? null,
  };
}

/** The item's current status word and whether it came from a "Label - text" line. */
export function statusOf(title: string, text: string): { status: string; label: boolean } {
  const word = (w: string) => w.toLowerCase().replace(/\s+/g, '_');
  // Newest first: "Update" repeats the status before it, so the first other label is the current one.
  for (const match of text.matchAll(labelPattern)) {
    const status = word(match[1] ?? '');
    if (status !== 'update') return { status, label: true };
  }
  const field = statusField.exec(text);
  if (field?.[1]) return { status: word(field[1]), label: false };
  if (
    resolvedTitle.test(title) ||
    saysRecovered(title, recoveredTitle) ||
    saysRecovered(text, resolvedPhrase)
  )
    return { status: 'resolved', label: false };
  return { status: 'unknown', label: false };
}

/**
 * True when a sentence of `text` states a recovery with `pattern`, with no condition before it in the
 * sentence ("once", "until", "will") and no negation in its clause ("not", "never").
 */
function saysRecovered(text: string, pattern: RegExp): boolean {
  return text.split(/(?<=[.!?])\s+|\n+/).some((sentence) => {
    const match = pattern.exec(sentence);
    if (match === null) return false;
    const before = sentence.slice(0, match.index + match[0].length);
    const clause = before.slice(Math.max(before.lastIndexOf(','), before.lastIndexOf(';')) + 1);
    return !conditional.test(before) && !negation.test(clause);
  });
}

/** Rejects dates a broken feed invents (milliseconds read as seconds give year 58120). */
function sane(instant: string | null, now: Date): string | null {
  if (instant === null) return null;
  const ms = Date.parse(instant);
  return ms > Date.UTC(1990, 0, 1) && ms < now.getTime() + 400 * 86_400_000 ? instant : null;
}

function hashOf(title: string, date: string): string {
  return createHash('sha256').update(`${title}\n${date}`).digest('hex').slice(0, 16);
}

function optionsOf(options: Record<string, unknown> | undefined): z.infer<typeof rssOptionsSchema> {
  const parsed = rssOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw new FetchError('parse', `rss options: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

const feedAccept =
  'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

/** Any RSS/Atom feed (`options.feed` under `url`); the fallback for pages whose platform has no provider. */
export const rssProvider: Provider = {
  id: 'rss',
  name: 'RSS/Atom feed',
  optionsSchema: rssOptionsSchema,
  async poll(ctx) {
    const { feed } = optionsOf(ctx.vendor.options);
    const response = await ctx.get(feed, { accept: feedAccept });
    if (response.status === 304) return { notModified: true, status: null, incidents: [] };
    const { status, incidents } = await withUrlAsync(response.url, () =>
      parseFeed(response.body, ctx.vendor.id, ctx.now),
    );
    return { notModified: false, status, incidents };
  },
  async detect(ctx) {
    const home = await ctx.home();
    if (!home || !/<link/i.test(home.body)) return null;
    const $ = load(home.body);
    const links = $('link[rel~="alternate"]')
      .toArray()
      .filter((el) => /^application\/(rss|atom)\+xml$/i.test($(el).attr('type')?.trim() ?? ''))
      .flatMap((el) => {
        try {
          return [new URL($(el).attr('href') ?? '', home.url)];
        } catch {
          return [];
        }
      })
      .filter((url) => url.protocol === 'http:' || url.protocol === 'https:');
    for (const link of links) {
      const found = await confirm(ctx, link);
      if (found) return found;
    }
    return null;
  },
};

async function confirm(ctx: DetectContext, link: URL): Promise<Detection | null> {
  try {
    const response = await ctx.getUrl(link.href, { accept: feedAccept });
    const { incidents, title } = await parseFeed(response.body, 'detect', new Date());
    const answered = new URL(response.url);
    return {
      provider: 'rss',
      confidence: 0.5,
      url: answered.origin,
      options: { feed: `${answered.pathname}${answered.search}` },
      ...(title ? { name: title } : {}),
      evidence: [`the page links a feed at ${answered.href} that parses (${incidents.length} items)`],
    };
  } catch (error) {
    if (error instanceof FetchError) return null;
    throw error;
  }
}

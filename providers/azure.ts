import type Parser from 'rss-parser';
import { FetchError } from '../src/core/errors.js';
import {
  toInstant,
  worseIndicator,
  type IncidentUpdate,
  type Indicator,
  type VendorIncident,
  type VendorStatus,
} from '../src/core/model.js';
import { plainBody } from '../src/core/text.js';
import { earliest, feedParser, readFeed } from './support.js';
import type { Detection, DetectContext, Provider } from './types.js';

/** Azure status; older hosts (status.azure.com, azurestatuscdn.azureedge.net) serve the same feed. */
export const AZURE_URL = 'https://azure.status.microsoft';
/** The RSS feed, relative to the base URL. */
export const AZURE_FEED_PATH = '/en-us/status/feed/';

const parser = feedParser();
const knownHosts = new Set(['azure.status.microsoft', 'status.azure.com', 'azurestatuscdn.azureedge.net']);
// Azure appends the state to the title ("Azure Databricks - North Central US - Investigating").
const titleStatus = /(?:\s+-)?\s+(investigating|mitigating|mitigated|resolved|monitoring|active)\s*$/i;
const ended = new Set(['mitigated', 'resolved']);
const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// Azure's incident template dates the impact in UTC prose: "Summary of impact: Between 09:15 UTC on
// 04 Sep 2018 and 16:45 UTC on 05 Sep 2018" once mitigated, "Starting at 14:20 UTC on 06 Aug 2026" before.
const clock = String.raw`(\d{1,2}):(\d{2})(?:\s*UTC)?`;
const day = String.raw`(\d{1,2})\s+([a-z]{3})[a-z]*\s+(\d{4})`;
const windowPattern = new RegExp(
  String.raw`summary of impact:\s*between\s+${clock}(?:\s+on\s+${day})?\s+and\s+${clock}\s+on\s+${day}`,
  'i',
);
const onsetPattern = new RegExp(String.raw`starting\s+(?:at\s+)?${clock}\s+on\s+${day}`, 'i');

/** The RSS feed: one item per open (or just mitigated) issue; an empty channel is the healthy state. */
export async function parseAzureFeed(
  xml: string,
  vendor: string,
  now: Date,
): Promise<{ status: VendorStatus; incidents: VendorIncident[] }> {
  const feed = await readFeed(parser, xml, 'azure feed');
  // Items without a pubDate are as old as the channel's last build.
  const lastBuild: unknown = feed.lastBuildDate;
  const built = rfc822(typeof lastBuild === 'string' ? lastBuild : undefined) ?? now.toISOString();
  const incidents = feed.items.map((item, index): VendorIncident => {
    const title = (item.title ?? '').trim();
    if (!title) throw new FetchError('parse', `azure feed: item ${index} has no title`);
    const at = rfc822(item.pubDate) ?? built;
    const status = titleStatus.exec(title)?.[1]?.toLowerCase() ?? 'active';
    const body = plainBody(item.content ?? '');
    const window = windowOf(body.body);
    const onset = window?.from ?? onsetOf(body.body);
    // A closed impact window in the text, or a title saying so, ends the issue.
    const resolvedAt = window?.until ?? (ended.has(status) ? at : null);
    const update: IncidentUpdate = { at, status, ...body };
    const categories = (item.categories ?? []).join(' ');
    return {
      vendor,
      id: idOf(item, title, feed.link),
      title,
      impact: 'unknown',
      status: resolvedAt !== null && !ended.has(status) ? 'mitigated' : status,
      kind: /planned maintenance/i.test(`${title} ${categories}`) ? 'maintenance' : 'incident',
      startedAt: earliest([onset, at, resolvedAt])!,
      postedAt: at,
      updatedAt: at,
      resolvedAt,
      components: [],
      // Azure names regions only in prose ("East US 2"); reading them is the region matcher's job.
      regions: [],
      updates: [update],
      url: item.link ?? null,
    };
  });
  return { status: azureStatus(incidents, vendor, now), incidents };
}

/** Worst open issue; the feed gives no severity, so an open issue counts as minor. */
export function azureStatus(incidents: VendorIncident[], vendor: string, now: Date): VendorStatus {
  const indicator = incidents.reduce<Indicator>(
    (worst, i) =>
      i.resolvedAt !== null
        ? worst
        : worseIndicator(worst, i.kind === 'maintenance' ? 'maintenance' : 'minor'),
    'operational',
  );
  return { vendor, indicator, components: [], fetchedAt: now.toISOString(), health: 'ok' };
}

/** RFC 822 with Azure's nonstandard `Z` zone ("Thu, 06 Aug 2026 01:09:00 Z"). */
function rfc822(value: string | undefined): string | null {
  if (!value) return null;
  return toInstant(value.trim().replace(/\s+Z$/i, ' +0000'));
}

// Items have no stable id of their own: the guid or an item link when there is one, else the title
// without its state suffix, so "… - Investigating" and "… - Mitigated" stay one issue.
function idOf(item: Parser.Item, title: string, channelLink: string | undefined): string {
  if (item.guid) return item.guid;
  if (item.link && item.link.replace(/\/+$/, '') !== channelLink?.replace(/\/+$/, '')) return item.link;
  const slug = title
    .replace(titleStatus, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return slug || 'untitled';
}

function utc(hour: string, minute: string, date: string, month: string, year: string): number {
  return Date.UTC(
    Number(year),
    monthNames.indexOf(month.toLowerCase()),
    Number(date),
    Number(hour),
    Number(minute),
  );
}

function windowOf(text: string): { from: string; until: string } | null {
  const m = windowPattern.exec(text);
  if (!m) return null;
  const [, h1 = '', m1 = '', d1, mo1, y1, h2 = '', m2 = '', d2 = '', mo2 = '', y2 = ''] = m;
  const until = utc(h2, m2, d2, mo2, y2);
  let from = d1 && mo1 && y1 ? utc(h1, m1, d1, mo1, y1) : utc(h1, m1, d2, mo2, y2);
  // "Between 23:10 and 01:05 UTC on 05 Sep" crossed midnight.
  if (!d1 && from > until) from -= 86_400_000;
  if (!Number.isFinite(from) || !Number.isFinite(until)) return null;
  return { from: new Date(from).toISOString(), until: new Date(until).toISOString() };
}

function onsetOf(text: string): string | null {
  const m = onsetPattern.exec(text);
  if (!m) return null;
  const [, hour = '', minute = '', date = '', month = '', year = ''] = m;
  return toInstant(utc(hour, minute, date, month, year));
}

/** Polls the RSS feed at /en-us/status/feed/. */
export const azureProvider: Provider = {
  id: 'azure',
  name: 'Azure status',
  async poll(ctx) {
    const response = await ctx.get(AZURE_FEED_PATH, { accept: 'application/rss+xml, application/xml;q=0.9' });
    if (response.status === 304) return { notModified: true, status: null, incidents: [] };
    try {
      // The feed shows only current events; finished ones drop out of it.
      return {
        notModified: false,
        ...(await parseAzureFeed(response.body, ctx.vendor.id, ctx.now)),
        openSetComplete: true,
      };
    } catch (error) {
      // Parsers do not know where the text came from; the log should name the feed.
      if (error instanceof FetchError && error.url === undefined)
        throw new FetchError(error.kind, error.message, { url: response.url, cause: error.cause });
      throw error;
    }
  },
  detect: detectAzure,
};

/** Recognizes the Azure status hosts by name, or an "Azure Status" RSS feed at the usual path. */
async function detectAzure(ctx: DetectContext): Promise<Detection | null> {
  const page = new URL(ctx.pageUrl);
  if (knownHosts.has(page.hostname))
    return {
      provider: 'azure',
      confidence: 0.95,
      url: AZURE_URL,
      name: 'Azure',
      evidence: [`${page.hostname} is the Azure status page`],
    };
  try {
    const response = await ctx.get(AZURE_FEED_PATH, { accept: 'application/rss+xml, application/xml' });
    const feed = await parser.parseString(response.body).catch(() => null);
    if (!feed || !/^Azure Status/i.test(feed.title ?? '')) return null;
    return {
      provider: 'azure',
      confidence: 0.85,
      url: page.origin,
      evidence: [`${page.origin}${AZURE_FEED_PATH} is an RSS feed titled "${feed.title}"`],
    };
  } catch (error) {
    if (error instanceof FetchError) return null;
    throw error;
  }
}

import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import {
  toInstant,
  worseIndicator,
  type Impact,
  type Indicator,
  type VendorComponent,
  type VendorIncident,
  type VendorStatus,
} from '../src/core/model.js';
import { plainBody } from '../src/core/text.js';
import {
  componentStatuses,
  detectBy,
  epochInstant,
  impacts,
  indicatorOf,
  splitServiceSlug,
  statusWords,
  worst,
  type Code,
} from './aws-shared.js';
import { describeIssue, feedParser, readFeed } from './support.js';
import type { PollContext, Provider } from './types.js';

/** Base URL of the legacy Service Health Dashboard, which still publishes the RSS feeds. */
export const AWS_STATUS_URL = 'https://status.aws.amazon.com';

// ---- status.aws.amazon.com/rss/*.rss ----

const rssPrefixes: Record<string, Code> = {
  'service is operating normally': 0,
  'informational message': 1,
  'performance issues': 2,
  'service disruption': 3,
};

const parser = feedParser();
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
  const feed = await readFeed(parser, xml, 'aws rss');
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

/** RFC 822 dates with AWS's PST/PDT labels, which name the offset in force. */
function pacificInstant(value: string | undefined): string | null {
  if (!value) return null;
  return toInstant(
    value
      .trim()
      .replace(/\s(PST|PDT)$/i, (_m, zone: string) => (zone.toUpperCase() === 'PST' ? ' -0800' : ' -0700')),
  );
}

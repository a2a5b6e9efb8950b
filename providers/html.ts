import { createHash } from 'node:crypto';
import { load } from 'cheerio';
import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import {
  toInstant,
  worseIndicator,
  type Indicator,
  type VendorIncident,
  type VendorStatus,
} from '../src/core/model.js';
import { capHtmlDepth } from '../src/core/html-depth.js';
import { plainBody, safeHtml } from '../src/core/text.js';
import { splitTrailingOffset } from '../src/core/time/time-zones.js';
import { statusOf } from './rss.js';
import { describeIssue, withUrl } from './support.js';
import type { Provider } from './types.js';

const selector = z.string({ error: 'expected a CSS selector' }).refine((value) => {
  try {
    load('<p></p>')(value);
    return value.trim() !== '';
  } catch {
    return false;
  }
}, 'expected a valid CSS selector');

export const htmlOptionsSchema = z.object({
  path: z
    .string({ error: 'expected the page path under url, e.g. "/" or "/status"' })
    .regex(/^\/(?!\/)/, 'expected a path under url starting with one "/", e.g. "/status"'),
  selectors: z.object(
    {
      /** One element per incident; the others are looked up inside it. */
      incident: selector,
      title: selector,
      time: selector.optional(),
      status: selector.optional(),
      body: selector.optional(),
      link: selector.optional(),
      /** The page-wide banner; when set it must match, or the layout is taken to have changed. */
      overall: selector.optional(),
    },
    { error: 'expected selectors {incident, title, time?, status?, body?, link?, overall?}' },
  ),
});
export type HtmlOptions = z.infer<typeof htmlOptionsSchema>;

const resolvedWords = /\b(resolved|completed|closed|fixed|restored|ended|operational)\b/i;
const maintenanceWords = /\b(maintenance|scheduled)\b/i;
// Banner wording: explicit "all good" phrases first, since "No issues" contains "issues".
const bannerRules: [RegExp, Indicator][] = [
  [
    /all systems (?:are )?(?:operational|go)|no (?:known )?(?:issues|incidents|problems)|fully operational/i,
    'operational',
  ],
  [/\b(?:major|critical|outage|down|unavailable|disruption)\b/i, 'major'],
  [/\b(?:degraded|partial|minor|issues?|incidents?|delays?|slow)\b/i, 'minor'],
  [/maintenance/i, 'maintenance'],
  [/\b(?:operational|normal|ok|online|available)\b/i, 'operational'],
];

/** A page with no feed or API, read with the vendor's CSS selectors; only text and sanitized markup are kept. */
export function parseHtmlPage(
  html: string,
  vendor: string,
  now: Date,
  options: { selectors: HtmlOptions['selectors']; pageUrl?: string },
): { status: VendorStatus; incidents: VendorIncident[] } {
  const { selectors, pageUrl } = options;
  const trimmed = html.trim();
  if (/^[[{]/.test(trimmed)) throw new FetchError('parse', 'html page: got JSON instead of an HTML page');
  if (!/<[a-z!]/i.test(trimmed)) throw new FetchError('parse', 'html page: not an HTML page');
  // Nesting past what real pages use is unwrapped first: the tree builder slows down quadratically with it.
  const $ = load(capHtmlDepth(trimmed));
  let indicator: Indicator = 'operational';
  let description: string | undefined;
  if (selectors.overall) {
    const banner = $(selectors.overall).first();
    if (banner.length === 0)
      throw new FetchError(
        'parse',
        `html page: overall selector "${selectors.overall}" matched nothing (layout changed?)`,
      );
    description = squash(banner.text());
    indicator = bannerRules.find(([pattern]) => pattern.test(description ?? ''))?.[1] ?? 'unknown';
  }
  const incidents = $(selectors.incident)
    .toArray()
    .map((element, index) => {
      const item = $(element);
      const find = (css: string | undefined) => (css ? item.find(css).first() : null);
      const title = find(selectors.title);
      const time = find(selectors.time);
      const body = find(selectors.body);
      const found: Extracted = {
        title: title?.length ? squash(title.text()) : null,
        time: time ? (time.attr('datetime') ?? time.attr('data-datetime-unix') ?? squash(time.text())) : null,
        status: squash(find(selectors.status)?.text() ?? ''),
        // cheerio keeps the vendor's markup as is: sanitized before anything is stored.
        body: body?.length ? safeHtml(body.html() ?? '').trim() : '',
        href: find(selectors.link)?.attr('href') ?? null,
      };
      return toIncident(found, index, { vendor, now, selectors, pageUrl });
    });
  const open = incidents.filter((i) => i.kind === 'incident' && i.resolvedAt === null);
  // The banner can lag the list; an open incident of unknown impact counts as at least minor.
  if (open.length > 0) indicator = worseIndicator(indicator, 'minor');
  return {
    status: {
      vendor,
      indicator,
      ...(description ? { description } : {}),
      components: [],
      fetchedAt: now.toISOString(),
      health: 'ok',
    },
    incidents,
  };
}

interface ItemContext {
  vendor: string;
  now: Date;
  selectors: HtmlOptions['selectors'];
  pageUrl: string | undefined;
}

/** What the selectors found inside one incident element, as text (the body as sanitized markup). */
interface Extracted {
  title: string | null;
  time: string | null;
  status: string;
  body: string;
  href: string | null;
}

function toIncident(found: Extracted, index: number, ctx: ItemContext): VendorIncident {
  const { selectors } = ctx;
  if (found.title === null)
    throw new FetchError(
      'parse',
      `html page: incident ${index}: title selector "${selectors.title}" matched nothing`,
    );
  const title = found.title;
  let at: string | null = null;
  if (found.time !== null) {
    at = readTime(found.time);
    if (at === null)
      throw new FetchError(
        'parse',
        `html page: incident ${index}: cannot read the time "${found.time}" (${selectors.time})`,
      );
  }
  const content = plainBody(found.body);
  const statusText = found.status;
  const status = statusText
    ? statusText.toLowerCase().replace(/\s+/g, '_')
    : statusOf(title, content.body).status;
  const resolved = statusText ? resolvedWords.test(statusText) : ['resolved', 'completed'].includes(status);
  const url = found.href ? absolute(found.href, ctx.pageUrl) : null;
  // Without a time the first sight is all we know; the store keeps the first postedAt it saw.
  const when = at ?? ctx.now.toISOString();
  return {
    vendor: ctx.vendor,
    id:
      url ??
      createHash('sha256')
        .update(`${title}\n${at ?? ''}`)
        .digest('hex')
        .slice(0, 16),
    title,
    impact: 'unknown',
    status,
    kind: maintenanceWords.test(`${statusText} ${title}`) ? 'maintenance' : 'incident',
    startedAt: when,
    postedAt: when,
    updatedAt: when,
    resolvedAt: resolved ? when : null,
    components: [],
    regions: [],
    updates: at === null ? [] : [{ at, status, ...content }],
    url,
  };
}

/** Epoch seconds or milliseconds, ISO-8601, or a date with a zone; a time without a zone is read as UTC. */
export function readTime(raw: string): string | null {
  const text = squash(raw);
  if (/^\d{10}$/.test(text)) return toInstant(Number(text) * 1000);
  if (/^\d{13}$/.test(text)) return toInstant(Number(text));
  if (!/\d/.test(text)) return null;
  // "GMT+08:00", "UTC-5", "GMT-0330", "+05:30": Date.parse misreads some and drops others.
  const offset = splitTrailingOffset(text);
  if (offset) {
    const wall = readTime(offset.rest);
    return wall === null ? null : toInstant(Date.parse(wall) - offset.offsetMinutes * 60_000);
  }
  const zoned = /(?:Z|[+-]\d{2}:?\d{2}|\b(?:UTC|GMT|[ECMP][SD]T))$/i.test(text);
  return toInstant(zoned ? text : /^\d{4}-\d{2}-\d{2}T/.test(text) ? `${text}Z` : `${text} UTC`);
}

function absolute(href: string, base: string | undefined): string | null {
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function optionsOf(options: Record<string, unknown> | undefined): HtmlOptions {
  const parsed = htmlOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw new FetchError('parse', `html options: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

/** Any HTML status page (`options.path` under `url`), read with per-vendor CSS selectors; the last resort. */
export const htmlProvider: Provider = {
  id: 'html',
  name: 'HTML page (CSS selectors)',
  optionsSchema: htmlOptionsSchema,
  async poll(ctx) {
    const { path, selectors } = optionsOf(ctx.vendor.options);
    const response = await ctx.get(path, { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5' });
    if (response.status === 304) return { notModified: true, status: null, incidents: [] };
    const { status, incidents } = withUrl(response.url, () =>
      parseHtmlPage(response.body, ctx.vendor.id, ctx.now, { selectors, pageUrl: response.url }),
    );
    return { notModified: false, status, incidents };
  },
  // Any HTML page can be read this way, but only with selectors a person picks: the lowest confidence,
  // and no selectors, so the entry fails config validation until someone fills them in.
  async detect(ctx) {
    const home = await ctx.home();
    if (!home || !/<html[\s>]|<body[\s>]/i.test(home.body)) return null;
    const page = new URL(home.url);
    const title = squash(load(capHtmlDepth(home.body))('title').first().text());
    return {
      provider: 'html',
      confidence: 0.1,
      url: page.origin,
      options: { path: `${page.pathname}${page.search}` },
      ...(title ? { name: title } : {}),
      evidence: [
        'the page is HTML; generic scraping needs options.selectors (incident, title, time, status, overall) filled in by hand',
      ],
    };
  },
};

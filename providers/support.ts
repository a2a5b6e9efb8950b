import Parser from 'rss-parser';
import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import {
  indicatorForImpact,
  indicatorSchema,
  toInstant,
  worseIndicator,
  type ComponentStatus,
  type Indicator,
  type VendorComponent,
  type VendorIncident,
  type VendorStatus,
} from '../src/core/model.js';
import type { FetchResponse } from '../src/http/client.js';
import type { DetectContext, GetOptions, PollContext } from './types.js';

// Real pages and imitators omit fields and send null arrays, so schemas built from these require
// little; a field that is present must still have the right type.
export const text = z.string().nullish();
export const time = z
  .string()
  .refine((v) => toInstant(v) !== null, 'expected an ISO-8601 timestamp')
  .nullish();
export const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();

/** `components[3].status: expected string, received number` (+ how many other problems there were). */
export function describeIssue(error: z.ZodError): string {
  const [issue, ...rest] = error.issues;
  if (!issue) return 'does not match the expected shape';
  const path = issue.path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
  return `${path || 'body'}: ${issue.message.replace(/^Invalid input: /, '')}${more}`;
}

/** Decodes a JSON body and validates it; anything else (HTML error pages, drift) is a `parse` FetchError naming `what`. */
export function parseJson<T extends z.ZodType>(body: string, schema: T, what: string): z.output<T> {
  return validateJson(decodeJson(body, what), schema, what);
}

/** The decoding half of parseJson: the body's JSON value, or a `parse` FetchError naming `what`. */
export function decodeJson(body: string, what: string): unknown {
  const trimmed = body.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new FetchError('parse', `${what}: empty body`);
  if (trimmed.startsWith('<'))
    throw new FetchError('parse', `${what}: got HTML/XML instead of JSON (an error or login page?)`);
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (cause) {
    throw new FetchError(
      'parse',
      `${what}: not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`,
      { cause },
    );
  }
}

/** The validating half of parseJson: `data` as `schema` reads it, or a `parse` FetchError naming `what`. */
export function validateJson<T extends z.ZodType>(data: unknown, schema: T, what: string): z.output<T> {
  const result = schema.safeParse(data);
  if (!result.success)
    throw new FetchError('parse', `${what}: ${describeIssue(result.error)}`, { cause: result.error });
  return result.data;
}

const ms = (instant: string): number => Date.parse(instant);

/** The earliest of some instants, ignoring nulls. */
export const earliest = (values: (string | null)[]): string | null =>
  values.reduce<string | null>(
    (best, v) => (v !== null && (best === null || ms(v) < ms(best)) ? v : best),
    null,
  );

/** The latest of some instants, ignoring nulls. */
export const latest = (values: (string | null)[]): string | null =>
  values.reduce<string | null>(
    (best, v) => (v !== null && (best === null || ms(v) > ms(best)) ? v : best),
    null,
  );

/** Parsers do not know where the text came from; the poll adds the URL so the log names the endpoint. */
export function withUrl<T>(url: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FetchError && error.url === undefined) {
      throw new FetchError(error.kind, error.message, { url, cause: error.cause });
    }
    throw error;
  }
}

/** withUrl for an async parser: names the feed URL in a parse error. */
export async function withUrlAsync<T>(url: string, parse: () => Promise<T>): Promise<T> {
  try {
    return await parse();
  } catch (error) {
    return withUrl(url, () => {
      throw error;
    });
  }
}

// Statuspage and its imitators keep a maintenance on the page through "verifying" as well.
const activeMaintenance = new Set(['in_progress', 'verifying']);

/**
 * The page indicator lags its own open incidents, so the worst of both is reported. An incident counts
 * while it is not resolved (`resolvedAt` null); a maintenance counts while unresolved and in progress
 * or verifying. `unknownImpact` is what an open incident of unknown severity weighs.
 */
export function raiseForOpen(
  indicator: Indicator,
  incidents: VendorIncident[],
  unknownImpact: Indicator = 'operational',
): Indicator {
  for (const i of incidents) {
    if (i.resolvedAt !== null) continue;
    if (i.kind === 'incident')
      indicator = worseIndicator(
        indicator,
        i.impact === 'unknown' ? unknownImpact : indicatorForImpact(i.impact),
      );
    else if (activeMaintenance.has(i.status)) indicator = worseIndicator(indicator, 'maintenance');
  }
  return indicator;
}

// Statuspage's own wording: degraded = "Partially Degraded Service" (minor), partial = "Partial System Outage" (major).
const componentIndicators: Record<ComponentStatus, Indicator> = {
  operational: 'operational',
  unknown: 'unknown',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
  under_maintenance: 'maintenance',
};

/**
 * A Statuspage page's status, read from its API or its HTML: the page's own indicator word ("none" is
 * operational; a word we do not know is unknown), else the worst component; then raised by the open
 * incidents it lags (raiseForOpen).
 */
export function statuspageStatus(page: {
  vendor: string;
  word: string | undefined;
  description: string | undefined;
  components: VendorComponent[];
  incidents: VendorIncident[];
  now: Date;
}): VendorStatus {
  const { vendor, word, description, components, incidents, now } = page;
  const stated: Indicator = word
    ? (indicatorSchema.safeParse(word === 'none' ? 'operational' : word).data ?? 'unknown')
    : components.reduce<Indicator>(
        (worst, c) => worseIndicator(worst, componentIndicators[c.status]),
        'operational',
      );
  return {
    vendor,
    indicator: raiseForOpen(stated, incidents),
    ...(description ? { description } : {}),
    components,
    fetchedAt: now.toISOString(),
    health: 'ok',
  };
}

/** Several endpoints list the same incident: one copy per id, the most recently updated. */
export function mergeById(incidents: VendorIncident[]): VendorIncident[] {
  const byId = new Map<string, VendorIncident>();
  for (const incident of incidents) {
    const seen = byId.get(incident.id);
    if (!seen || Date.parse(incident.updatedAt) > Date.parse(seen.updatedAt)) byId.set(incident.id, incident);
  }
  return [...byId.values()];
}

/** GET through the poll context; an endpoint this page does not have (404 or 410) gives null, other failures stand. */
export async function getOptional(
  ctx: Pick<PollContext, 'get'>,
  path: string,
  options?: GetOptions,
): Promise<FetchResponse | null> {
  try {
    return await ctx.get(path, options);
  } catch (error) {
    if (error instanceof FetchError && error.kind === 'http' && [404, 410].includes(error.status ?? 0))
      return null;
    throw error;
  }
}

/** Reads feeds with rss-parser, each parse on a parser of its own. */
export interface FeedParser<F, I> {
  parseString(xml: string): Promise<F & Parser.Output<I>>;
}

/**
 * A feed reader that builds a fresh rss-parser for every parse: one instance carries the state of a
 * failed parse into the next, so a hostile feed would read differently depending on what came before
 * (an error once, an item titled with an unexpanded entity the next time).
 */
export function feedParser<F = Record<string, unknown>, I = Record<string, unknown>>(
  options?: Parser.ParserOptions<F, I>,
): FeedParser<F, I> {
  return { parseString: (xml) => new Parser<F, I>(options).parseString(xml) };
}

/**
 * Reads an RSS/Atom body with rss-parser; an HTML page or unreadable XML is a `parse` FetchError
 * naming `what` (e.g. `feed.rss`) and the `format` it expected.
 */
export async function readFeed<F, I>(
  parser: FeedParser<F, I>,
  xml: string,
  what: string,
  format = 'RSS',
): Promise<F & Parser.Output<I>> {
  if (/^\s*(<!doctype html|<html)/i.test(xml))
    throw new FetchError('parse', `${what}: got an HTML page instead of ${format}`);
  try {
    return await parser.parseString(xml);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new FetchError('parse', `${what}: not a readable ${format} feed (${detail})`, { cause });
  }
}

/**
 * Probes `/api/v2/summary.json` under the page's own path, then at its origin, yielding each answer
 * that parses with `schema`; bases that fail (404, HTML, drift, unreachable) are skipped.
 */
export async function* probeSummaries<T extends z.ZodType>(
  ctx: Pick<DetectContext, 'pageUrl' | 'getUrl'>,
  schema: T,
): AsyncGenerator<{ base: string; url: string; data: z.output<T> }> {
  for (const base of new Set([ctx.pageUrl, new URL(ctx.pageUrl).origin])) {
    let answer;
    try {
      const response = await ctx.getUrl(`${base}/api/v2/summary.json`, { accept: 'application/json' });
      answer = { base, url: response.url, data: parseJson(response.body, schema, 'summary.json') };
    } catch (error) {
      if (error instanceof FetchError) continue;
      throw error;
    }
    yield answer;
  }
}

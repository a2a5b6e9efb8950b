import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import {
  indicatorForImpact,
  toInstant,
  type ComponentStatus,
  type Impact,
  type Indicator,
} from '../src/core/model.js';
import type { Detection, DetectContext } from './types.js';

// What the AWS providers read the same way: currentevents (aws.ts), the RSS feeds (aws-rss.ts) and the
// legacy data.json (aws-legacy.ts).

/**
 * AWS's scale, in every status field: 0 operational/resolved, 1 informational, 2 degradation
 * ("Performance issues"), 3 disruption. Each step maps onto one level of the model, as for GCP;
 * informational posts describe real customer impact, so they are minor rather than none.
 */
export type Code = 0 | 1 | 2 | 3;
/** The update status word for each step of the scale. */
export const statusWords = ['resolved', 'informational', 'degraded', 'disruption'] as const;
/** The incident impact for each step of the scale. */
export const impacts: Impact[] = ['none', 'minor', 'major', 'critical'];
/** The component status for each step of the scale. */
export const componentStatuses: ComponentStatus[] = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
];

// §5 of the formats reference: `<service>-<region>` where the region is a partition-qualified code.
const regionSuffix = /^(.+?)-((?:us|eu|ap|sa|ca|me|af|il|mx|cn)(?:-gov|-iso[a-z]?)?-[a-z]+-\d+|us-standard)$/;

/** Splits `ec2-us-east-1` into service and region; a slug with no region (`billingconsole`) is a global service. */
export function splitServiceSlug(slug: string): { service: string; region: string | null } {
  const m = regionSuffix.exec(slug);
  if (!m) return { service: slug, region: null };
  // "US Standard" was S3's name for us-east-1 until 2016; old slugs still carry it.
  return { service: m[1]!, region: m[2] === 'us-standard' ? 'us-east-1' : m[2]! };
}

/** A status field (number or numeric string) as a step of the scale; null for anything else. */
export const asCode = (value: unknown): Code | null => {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  return n === 0 || n === 1 || n === 2 || n === 3 ? n : null;
};
/** The highest step among `codes`, ignoring nulls. */
export const worst = (codes: (Code | null)[]): Code | null =>
  codes.reduce<Code | null>((w, c) => (c !== null && (w === null || c > w) ? c : w), null);
/**
 * An AWS epoch as an ISO instant; AWS gives strings or numbers, seconds in `date`/`event_log`,
 * milliseconds in some status changes.
 */
export const epochInstant = (value: string | number | null | undefined): string | null => {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? toInstant(n > 1e11 ? n : n * 1000) : null;
};
/** The page indicator an open incident implies; one of unknown weight still means not all green. */
export const indicatorOf = (impact: Impact): Indicator =>
  impact === 'unknown' ? 'minor' : indicatorForImpact(impact);

/** An epoch field in AWS JSON: a number or a numeric string. */
export const epoch = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, 'expected epoch seconds')]);
/** A status field in AWS JSON, read with `asCode`. */
export const code = z.union([z.number(), z.string()]).nullish();

/** Detection for both AWS providers: the AWS host itself, else what `probe` finds at the page's origin. */
export async function detectBy(
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

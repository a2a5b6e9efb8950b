import { z } from 'zod';
import { instantSchema } from '../model.js';

/*
 * The vendor-risk digest: what each vendor cost us over a period (a day by default), against the
 * periods before it. This file is the contract between the store (which gathers the data), the pure
 * computation (src/core/digest/compute.ts), the renderers (Markdown, HTML, JSON, Slack) and delivery.
 * The JSON format and the webhook body are this schema, so it is public: extend it, never rename.
 */

export const digestFormats = ['md', 'html', 'json', 'slack'] as const;
export const digestFormatSchema = z.enum(digestFormats);
export type DigestFormat = z.infer<typeof digestFormatSchema>;

/** A calendar day, `YYYY-MM-DD`. */
export const dayStringSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2024-04-05')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'expected a real calendar date',
    },
  );

/** `upcause digest` and `GET /v1/digest`: which period, in which form. */
export const digestQuerySchema = z.strictObject({
  /** The last day of the period, in the digest's time zone (default: yesterday there). */
  date: dayStringSchema.optional(),
  /** Days the period covers, ending with `date` (default: the config's `digest.days`, 1). */
  days: z.coerce
    .number()
    .int()
    .min(1, 'days must be at least 1')
    .max(31, 'days must be at most 31')
    .optional(),
  format: digestFormatSchema.default('json'),
});
export type DigestQuery = z.output<typeof digestQuerySchema>;

/** The period a digest covers: whole days in one IANA time zone. */
export const digestPeriodSchema = z.strictObject({
  /** `2024-04-05` for one day, `2024-03-30..2024-04-05` for several: the per-period delivery key. */
  id: z.string().min(1),
  /** First and last day, in `timeZone`. */
  firstDay: z.string(),
  lastDay: z.string(),
  days: z.number().int().min(1),
  timeZone: z.string().min(1),
  /** Local midnight starting the first day, and the one ending the last day, as UTC instants. */
  from: instantSchema,
  to: instantSchema,
});
export type DigestPeriod = z.infer<typeof digestPeriodSchema>;

/** The same figures for one vendor over any stretch of time (the period, or an average over earlier ones). */
export const vendorFiguresSchema = z.strictObject({
  /** Incidents (not maintenance) the vendor published that overlap the stretch. */
  incidents: z.number(),
  byImpact: z.strictObject({
    critical: z.number(),
    major: z.number(),
    minor: z.number(),
    none: z.number(),
    unknown: z.number(),
  }),
  /** Minutes of those incidents inside the stretch (overlaps counted once per incident). */
  incidentMinutes: z.number(),
  maintenance: z.number(),
  maintenanceMinutes: z.number(),
  /** Our incidents whose latest annotation names this vendor as the likely upstream cause. */
  explained: z.number(),
  /** Minutes with at least one failed call of ours to the vendor (client errors, 4xx, left out). */
  errorMinutes: z.number(),
  /** Of those, minutes inside a vendor incident or a suspected issue of the vendor: the cost it caused. */
  attributableErrorMinutes: z.number(),
  /** Failed calls to the vendor (client errors left out). */
  failedCalls: z.number(),
  /** Calls made, where producers report call volume; null when none did. */
  calls: z.number().nullable(),
  /** failedCalls / calls, when calls are known. */
  errorRatio: z.number().nullable(),
  /** Distinct customers whose calls to the vendor failed (estimated); null when no event named one. */
  customers: z.number().nullable(),
  /** Suspected issues of the vendor (from our errors) starting in the stretch, and those it never posted about. */
  suspected: z.number(),
  unposted: z.number(),
  /** Acknowledgment lag of suspects the vendor did post about, in minutes. */
  ackLagMedianMinutes: z.number().nullable(),
  ackLagWorstMinutes: z.number().nullable(),
  /** Minutes we could not read the vendor's status page. */
  unreadableMinutes: z.number(),
  risk: z.number(),
});
export type VendorFigures = z.infer<typeof vendorFiguresSchema>;

/** One acknowledgment-lag case: our errors showed it at `since`, the vendor posted at `postedAt`. */
export const ackCaseSchema = z.strictObject({
  suspect: z.string(),
  region: z.string(),
  services: z.array(z.string()),
  since: instantSchema,
  postedAt: instantSchema,
  lagMinutes: z.number(),
  vendorIncidentId: z.string(),
  vendorIncidentTitle: z.string().nullable(),
  url: z.string().nullable(),
});
export type AckCase = z.infer<typeof ackCaseSchema>;

export const vendorDigestSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** The vendor's status page. */
  url: z.string(),
  period: vendorFiguresSchema,
  /** Averages over the 7 and 30 days before the period, scaled to the period's length. */
  previous7: vendorFiguresSchema,
  previous30: vendorFiguresSchema,
  /** Risk against the previous 7 days: up, down, flat, or new (nothing in the previous 30 days). */
  trend: z.enum(['up', 'down', 'flat', 'new']),
  /** What the vendor published in the period, oldest first. */
  incidents: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      kind: z.enum(['incident', 'maintenance']),
      impact: z.enum(['none', 'minor', 'major', 'critical', 'unknown']),
      startedAt: instantSchema,
      resolvedAt: instantSchema.nullable(),
      /** Minutes inside the period. */
      minutes: z.number(),
      regions: z.array(z.string()),
      url: z.string().nullable(),
    }),
  ),
  /** Our incidents it explained, with a console link when `api.console.publicUrl` is set. */
  explained: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      service: z.string(),
      startedAt: instantSchema,
      confidence: z.number(),
      vendorIncidentId: z.string().nullable(),
      link: z.string().nullable(),
    }),
  ),
  /** Our services whose calls to the vendor failed, most failures first. */
  services: z.array(z.strictObject({ service: z.string(), failedCalls: z.number() })),
  /** Failed calls per hour across the period (the sparkline). */
  hourlyFailedCalls: z.array(z.number()),
  ackLag: z.strictObject({
    byRegion: z.array(
      z.strictObject({
        region: z.string(),
        cases: z.number(),
        medianMinutes: z.number(),
        worstMinutes: z.number(),
      }),
    ),
    cases: z.array(ackCaseSchema),
  }),
  /** Suspected issues starting in the period that the vendor never posted about. */
  unposted: z.array(
    z.strictObject({
      suspect: z.string(),
      region: z.string(),
      services: z.array(z.string()),
      since: instantSchema,
      closedAt: instantSchema.nullable(),
      peakPerMin: z.number(),
      baselinePerMin: z.number(),
    }),
  ),
  /** Stretches we could not read its page, clipped to the period. */
  unreadable: z.array(
    z.strictObject({
      since: instantSchema,
      until: instantSchema.nullable(),
      minutes: z.number(),
      reason: z.string(),
    }),
  ),
});
export type VendorDigest = z.infer<typeof vendorDigestSchema>;

export const digestSchema = z.strictObject({
  type: z.literal('digest'),
  period: digestPeriodSchema,
  generatedAt: instantSchema,
  /** Vendors with something to report, highest risk first. */
  vendors: z.array(vendorDigestSchema),
  /** Watched vendors with nothing to report in the period (one line in every format). */
  quiet: z.array(z.strictObject({ id: z.string(), name: z.string() })),
  totals: z.strictObject({
    vendors: z.number(),
    incidents: z.number(),
    explained: z.number(),
    errorMinutes: z.number(),
    attributableErrorMinutes: z.number(),
    unposted: z.number(),
    unreadableMinutes: z.number(),
  }),
  /** The risk formula in words, printed in every format's footer. */
  riskFormula: z.string(),
  /** Limits of the data behind the numbers (e.g. a period past the error retention). */
  notes: z.array(z.string()),
  /** The console's base URL, when configured. */
  consoleUrl: z.string().nullable(),
});
export type Digest = z.infer<typeof digestSchema>;

/**
 * The risk score's weights. risk = explained × 10 + attributable error-minutes ÷ 10 + unposted × 5
 * + worst acknowledgment lag (minutes) ÷ 10 + weighted incident-minutes ÷ 60 + unreadable minutes ÷ 60,
 * where incident-minutes weigh critical 1, major 0.5, minor 0.25, other 0.1 (maintenance 0).
 */
export const riskWeights = {
  explained: 10,
  attributableErrorMinutesPer: 10,
  unposted: 5,
  worstAckLagMinutesPer: 10,
  incidentMinutesPer: 60,
  impact: { critical: 1, major: 0.5, minor: 0.25, none: 0.1, unknown: 0.1 },
  unreadableMinutesPer: 60,
} as const;

export const riskFormulaText =
  'risk = 10 × our incidents it explained + attributable error-minutes ÷ 10 + 5 × suspected issues it never posted + worst acknowledgment lag (min) ÷ 10 + incident-minutes ÷ 60 (critical ×1, major ×0.5, minor ×0.25, other ×0.1; maintenance 0) + minutes its page was unreadable ÷ 60. Trend: up when the risk exceeds 1.25 × the previous 7 days’ average by at least 1, down below 0.8 × by at least 1, new when the previous 30 days scored 0.';

import { z } from 'zod';

/*
 * The support check's contract: "is a vendor at fault for this customer, region and time?". The API
 * (`GET /v1/check`), the CLI (`upcause check`) and the console's form all answer with a CheckAnswer.
 */

const text = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(200, `${what} is longer than 200 characters`);

/** What an agent asks; every field optional. `at` is ISO-8601 or a time with a zone name ("2024-04-04 21:00 CEST"). */
export const checkQuerySchema = z.strictObject({
  vendor: text('vendor').optional(),
  region: text('region').optional(),
  at: text('at').optional(),
  service: text('service').optional(),
  customer: text('customer').optional(),
});
export type CheckQuery = z.infer<typeof checkQuerySchema>;

/** Per vendor, most to least damning. */
export const vendorVerdicts = [
  'vendor-incident',
  'vendor-suspected',
  'vendor-unknown',
  'vendor-degraded-no-impact',
  'vendor-clear',
] as const;
export type VendorVerdict = (typeof vendorVerdicts)[number];

/** Our errors on one vendor around `at`, against the baseline before. */
export interface OurErrors {
  /** Errors per minute in the window around `at`. */
  ratePerMin: number;
  /** Errors per minute in the baseline before the window. */
  baselinePerMin: number;
  /** Calls per minute where producers report call volume; null when none do. */
  callsPerMin: number | null;
  /** Failed share of calls in the window (0..1); null without call volume. */
  failureRatio: number | null;
  /** Services of ours whose errors name the vendor in the window. */
  services: string[];
  /** Distinct customers with errors (HyperLogLog estimate) in the window. */
  customers: number;
}

/** How fresh what we know about the vendor is. */
export interface Freshness {
  /** Last successful read of its status page, ISO; null when never read. */
  lastReadAt: string | null;
  /** Minutes between the last successful read and `at` (or now); null when never read. */
  ageMinutes: number | null;
  /** True when the page could not be read recently enough to trust its silence. */
  stale: boolean;
  /** The reason of the current unreadable span ("HTTP 503"), when any. */
  blindReason: string | null;
}

/** One vendor's answer. */
export interface VendorCheck {
  vendor: string;
  name: string;
  verdict: VendorVerdict;
  /** One plain sentence about this vendor. */
  summary: string;
  /** 0..1, for ranking; the most likely culprit first. */
  score: number;
  /** Vendor incidents covering `at` (and the region when given), as the vendor posted them. */
  incidents: Array<{
    id: string;
    title: string;
    impact: string;
    status: string;
    startedAt: string;
    resolvedAt: string | null;
    url?: string;
    regions: string[];
  }>;
  /** A suspected issue (our errors spiking, vendor silent) covering `at`, if any. */
  suspect: {
    id: string;
    region: string;
    since: string;
    closedAt: string | null;
    ackLagMinutes: number | null;
  } | null;
  ourErrors: OurErrors;
  /** With `customer`: that customer's failed requests on this vendor in the window. */
  customer: { id: string; failures: number; firstAt: string | null; lastAt: string | null } | null;
  freshness: Freshness;
  /** Sentences with the numbers. */
  evidence: string[];
}

/** The whole answer. */
export interface CheckAnswer {
  /** The most damning vendor verdict, or `vendor-clear` when every vendor is clear. */
  verdict: VendorVerdict;
  /** One plain sentence an agent can paste to a customer. */
  summary: string;
  /** The question as understood: `at` resolved to UTC, region canonicalized. */
  query: {
    at: string;
    vendor: string | null;
    region: string | null;
    regions: string[];
    service: string | null;
    customer: string | null;
  };
  /** Ranked, most likely culprit first. */
  vendors: VendorCheck[];
  /** Sentences with the numbers, across vendors. */
  evidence: string[];
  /** Our errors across the vendors checked. */
  ourErrors: { ratePerMin: number; baselinePerMin: number; services: string[] };
  /** The stalest vendor data behind the answer. */
  freshness: { oldestReadAt: string | null; staleVendors: string[] };
}

/** A query that does not validate (unknown vendor or service, unreadable time); the message says which field. */
export class CheckQueryError extends Error {
  override readonly name = 'CheckQueryError';
  constructor(
    readonly field: keyof CheckQuery,
    message: string,
  ) {
    super(message);
  }
}

import type { ErrorClass } from '../contracts.js';

/*
 * What every signal file shares: the thresholds, the Signal shape, and the vendor key. Kept apart from
 * signals.ts (the public barrel) so the signal files can import it without a cycle.
 */

/** Time windows and error thresholds the signals read; minutes unless named otherwise. */
export const RULES = {
  /** Errors this long before our incident's start belong to it: our alerts fire 3–15 min after onset. */
  leadMinutes: 30,
  /** Baseline: this long, ending where the lead begins, so the start of an outage does not inflate it. */
  baselineMinutes: 60,
  /** A quiet baseline is read as this rate, so 2 errors against 0 is not an "infinite" spike. */
  baselineFloorPerMin: 0.5,
  /** A spike: at least this many vendor-pointing errors at this multiple of the baseline. */
  spikeRatio: 3,
  spikeMinErrors: 10,
  /** A rise: weaker than a spike, still not baseline. */
  riseRatio: 1.5,
  riseMinErrors: 5,
  /** Client errors (4xx, bad credentials) outweigh the vendor-pointing ones from this many on. */
  clientMinErrors: 5,
  /** Rate limits with our successful calls at this multiple of their baseline rate: our own surge. */
  trafficSurgeRatio: 2,
  /** Vendors post 10–60 min after onset and their start is often the post: a start this late still aligns. */
  postLagMinutes: 60,
  /** A vendor incident starting later than this after our onset cannot explain it. */
  tooLateMinutes: 120,
  /** A vendor incident started up to this long before our onset is aligned with it. */
  alignedBeforeMinutes: 30,
  /** Slack on window edges (resolved just before our onset, maintenance ending a little late). */
  edgeMinutes: 15,
  /** A change of the failing service in [onset - 60, onset + 5] competes with the vendor. */
  changeBeforeMinutes: 60,
  changeAfterMinutes: 5,
  /** Timeouts only, beginning this soon after a change of the service: the change may have caused them. */
  timeoutAfterChangeMinutes: 15,
  /** Vendors whose errors start within this many minutes of each other fail "at once". */
  commonModeSpreadMinutes: 5,
  /** Of the errors failing at once, this share as timeouts/resets/DNS means our network, not theirs. */
  commonModeNetworkShare: 0.6,
  /**
   * One service is enough to blame a silent vendor when its spike is this strong: this multiple of
   * the baseline, this rate (or, where call volume is known, this share of its calls failing), held
   * this many minutes, with this share of its errors naming the vendor.
   */
  strongRatio: 10,
  strongPerMin: 10,
  strongFailedShare: 0.05,
  strongMinutes: 5,
  strongShare: 0.6,
} as const;

export type SignalName =
  | 'time'
  | 'region'
  | 'component'
  | 'impact'
  | 'errors'
  | 'untagged'
  | 'peers'
  | 'internal'
  | 'commonMode'
  | 'corroboration'
  | 'recovery';

/** One fact about a candidate. */
export interface Signal {
  name: SignalName;
  /** -1 (away from the vendor) … +1 (towards it); 0 says nothing either way. */
  value: number;
  evidence: string;
  /** True when this fact alone rules the candidate out. */
  veto?: boolean;
}

/** Error classes that say the vendor failed; client errors say the caller did, unknown says nothing. */
export const VENDOR_POINTING: ReadonlySet<ErrorClass> = new Set([
  'server',
  'timeout',
  'network',
  'rate-limit',
]);

export const MINUTE = 60_000;

/** Vendor ids are compared without case: "100ms" in errors, "100MS" in a config. */
export function vendorKey(vendor: string): string {
  return vendor.trim().toLowerCase();
}

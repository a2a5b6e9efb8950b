import { z } from 'zod';
import type { ChangeEvent, InternalIncident } from '../contracts.js';
import type { Series } from '../series.js';
import type { VendorIncident } from '../model.js';

/** A service of ours as the config declares it. */
export interface ServiceSpec {
  name: string;
  /** Region labels as the team writes them ("eu-west-1", "eu"); canonicalized by the scorer. */
  regions: string[];
  dependsOn: { vendor: string; components: string[] }[];
}

/** Errors of one series in one minute (minute = epoch ms / 60000). */
export interface MinuteCount {
  minute: number;
  series: Series;
  count: number;
}

/**
 * Calls one service of ours made to one vendor in one minute, failures included, as producers that
 * report call volume send it. Absent for producers that only report failures.
 */
export interface CallCount {
  /** Epoch ms / 60000. */
  minute: number;
  service: string;
  vendor: string;
  /** As the caller wrote it ('' when absent). */
  region: string;
  calls: number;
}

/**
 * A stretch during which we could not read a vendor's status page (unreachable, unparseable,
 * blocked): what the vendor posted meanwhile is unknown to us, so its silence proves nothing.
 */
export interface BlindSpan {
  vendor: string;
  /** First failed read (or the last good one before it), ISO. */
  since: string;
  /** First good read after it, ISO; null while still blind. */
  until: string | null;
  /** Why, in words: "HTTP 503", "parse error: …", "timeout after 10 s". */
  reason: string;
}

/** A vendor outage inferred from our own errors before (or without) the vendor saying so. */
export interface SuspectedIssue {
  id: string;
  vendor: string;
  /** Canonical region id, or '' when the errors carry no region. */
  region: string;
  /** First spiking minute, ISO. */
  since: string;
  detectedAt: string;
  closedAt: string | null;
  services: string[];
  ratePerMin: number;
  baselinePerMin: number;
  vendorIncidentId?: string;
  vendorPostedAt?: string;
  ackLagMinutes?: number;
}

/**
 * Everything the scorer may know about one of our incidents at `now` — the same shape whether it
 * comes from Redis (live, backtest) or from a scenario file (replay). Callers must not pass what was
 * not yet knowable at `now`: vendor incidents before their first post, errors after `now`.
 */
export interface CorrelationInput {
  now: Date;
  incident: InternalIncident;
  /** The failing service's spec; absent when the config does not know it. */
  service?: ServiceSpec;
  /** All declared services (to count how many of ours a vendor problem hits). */
  services: ServiceSpec[];
  /** Vendor incidents and maintenances of candidate vendors, as known at `now`. */
  vendorIncidents: VendorIncident[];
  /**
   * Other watched vendors' incidents around ours that name a candidate vendor as their cause
   * ("due to a Cloudflare outage"), as known at `now`: corroboration, never candidates themselves.
   */
  related?: VendorIncident[];
  suspects: SuspectedIssue[];
  /** Per-minute error counts from a lookback before the incident's start up to `now`. */
  errors: MinuteCount[];
  /** Our changes (deploys, config, flags) around the incident. */
  changes: ChangeEvent[];
  /** Per-minute call volume where producers report it, same window as `errors`. */
  calls?: CallCount[];
  /** Times we could not read candidate vendors' status pages, as known at `now`. */
  blind?: BlindSpan[];
}

export type Verdict = 'upstream' | 'unclear' | 'internal';

/** A candidate as stored and delivered (see Candidate). */
export const candidateSchema = z.object({
  vendor: z.string().min(1),
  vendorIncidentId: z.string().optional(),
  suspectedIssueId: z.string().optional(),
  confidence: z.number().min(0).max(1),
  evidence: z.array(z.string()),
});

/** One possible upstream cause, ranked. */
export interface Candidate {
  vendor: string;
  vendorIncidentId?: string;
  suspectedIssueId?: string;
  /** 0..1. */
  confidence: number;
  /** Human-readable sentences with the numbers. */
  evidence: string[];
}

/** The scorer's answer for one incident at one time (the replay contract's `incidents[]` item). */
export interface Annotation {
  id: string;
  verdict: Verdict;
  /** Simulated or wall time at which this verdict was first reached. */
  annotatedAt: string;
  candidates: Candidate[];
  /** Why the verdict is what it is, beyond the candidates (e.g. "deploy v812 of webinar-room 5 min before onset"). */
  notes?: string[];
}

import type { ErrorClass } from '../contracts.js';
import type { Impact, VendorIncident } from '../model.js';
import type { RegionRelation } from '../regions/types.js';
import {
  count,
  list,
  percent,
  percentFine,
  rate,
  ratio,
  relative,
  thousands,
  utc,
  utcRange,
} from './evidence.js';
import {
  ratioElevated,
  callsHealthy,
  callsMeasuredHealthy,
  clientDominated,
  selfLimited,
  type ErrorWindow,
  type VendorErrorStats,
} from './signal-error-stats.js';
import { MINUTE, RULES, type Signal } from './signal-shared.js';
import type { SuspectedIssue } from './types.js';

// What our errors say about a candidate vendor, as signals.

const round2 = (x: number): number => Math.round(x * 100) / 100;

const CLASS_WORDS: Record<ErrorClass, string> = {
  server: '5xx',
  timeout: 'timeouts',
  network: 'network errors',
  'rate-limit': 'rate limits',
  client: 'client errors',
  unknown: 'unclassified',
};

export function classBreakdown(stats: VendorErrorStats): string {
  const parts = (['server', 'timeout', 'network', 'rate-limit'] as const)
    .filter((c) => stats.byClass[c] > 0)
    .map((c) => `${stats.byClass[c]} ${CLASS_WORDS[c]}`);
  return parts.join(', ');
}

function windowText(w: ErrorWindow): string {
  return utcRange(w.from * MINUTE, w.to * MINUTE);
}

/** "3.1% of 41,200 calls to twilio failed (0.02% before)". */
export function callsText(stats: VendorErrorStats): string {
  const c = stats.calls;
  if (!c) return '';
  const before =
    c.baseTotal > 0
      ? ` (${percentFine(c.baseRatio)} of ${thousands(c.baseTotal)} before)`
      : ' (no calls counted before)';
  return `${percentFine(c.ratio)} of ${thousands(c.total)} calls to ${stats.vendor} failed${before}`;
}

export { ratioElevated };

/**
 * Our errors on the vendor: a spike of vendor-pointing errors confirms it; client errors clear it; our
 * calls at baseline clear it only when we know the service calls the vendor (call volume or errors
 * it tagged with the vendor). A service that never tags the vendor says nothing either way.
 */
export function errorsSignal(stats: VendorErrorStats): Signal {
  const { service, vendor, pointing } = stats;
  const path = `${service}→${vendor}`;
  const where = stats.regions.length > 0 ? ` in ${list(stats.regions)}` : '';
  const calls = stats.calls && stats.calls.total > 0 ? stats.calls : null;
  if (selfLimited(stats)) {
    return {
      name: 'errors',
      value: -1,
      evidence: `${surgeText(stats)} say the caller is wrong, not ${vendor}`,
    };
  }
  if (clientDominated(stats)) {
    const codes = stats.clientCodes.length > 0 ? ` (${list(stats.clientCodes)})` : '';
    const also = pointing.count > 0 ? `; only ${pointing.count} point at ${vendor}` : '';
    return {
      name: 'errors',
      value: -1,
      evidence: `${count(stats.byClass.client, 'client error')} from ${path}${where}${codes} in ${windowText(stats.window)} say the caller is wrong, not ${vendor}${also}`,
    };
  }
  if ((pointing.level === 'spike' || pointing.level === 'rise') && pointing.since !== null) {
    const spike = pointing.level === 'spike';
    const peak = pointing.peak
      ? `, peak ${pointing.peak.count}/min at ${utc(pointing.peak.minute * MINUTE)}`
      : '';
    const parts = [
      `${count(pointing.count, 'error')} from ${path}${where} since ${utc(pointing.since * MINUTE)} (${classBreakdown(stats)}) vs a baseline of ${rate(pointing.baselinePerMin)}: ${rate(pointing.ratePerMin)}, ${ratio(pointing.ratio)}${peak}${spike ? '' : ' — a rise, not a clear spike'}`,
    ];
    if (calls) parts.push(callsText(stats));
    if (stats.share > 0) parts.push(`${percent(stats.share)} of ${service}'s errors name ${vendor}`);
    if (stats.servicesHit.length > 1)
      parts.push(`${stats.servicesHit.length} of our services hit (${list(stats.servicesHit)})`);
    let value = spike
      ? Math.min(1, 0.6 + (stats.share >= 0.5 ? 0.2 : 0) + (stats.servicesHit.length > 1 ? 0.2 : 0))
      : 0.25;
    // More errors only because we made more calls: the failure ratio is what says the vendor failed.
    if (calls && !ratioElevated(calls)) {
      value = 0;
      parts.push('the failure ratio is not above its baseline, so the count rose with our traffic');
    }
    return { name: 'errors', value, evidence: parts.join('; ') };
  }
  if (stats.unknown.level === 'spike') {
    const codes = stats.unknownCodes.length > 0 ? ` (${list(stats.unknownCodes)})` : '';
    // Codes that do not say whose fault it is still count for an aligned vendor, by their size.
    const size = Math.min(1, stats.unknown.count / 100) * Math.min(1, stats.unknown.ratio / 10);
    return {
      name: 'errors',
      value: round2(0.2 + 0.3 * size),
      evidence: `${count(stats.unknown.count, 'unclassified error')} from ${path}${where}${codes} since ${utc((stats.unknown.since ?? stats.window.from) * MINUTE)} vs a baseline of ${rate(stats.unknown.baselinePerMin)} (${rate(stats.unknown.ratePerMin)}, ${ratio(stats.unknown.ratio)}); their codes do not say whose fault it is`,
    };
  }
  if (calls) {
    return {
      name: 'errors',
      value: -0.9,
      evidence: `our calls to ${vendor} are at baseline: ${callsText(stats)} from ${service} in ${windowText(stats.window)}`,
    };
  }
  if (pointing.level === 'baseline') {
    return {
      name: 'errors',
      value: -0.9,
      evidence: `our calls to ${vendor} are at baseline (${rate(pointing.baselinePerMin)} before, ${rate(pointing.ratePerMin)} in ${windowText(stats.window)}, ${count(pointing.count, 'error')} from ${service})`,
    };
  }
  return {
    name: 'errors',
    value: 0,
    evidence: `${service} reports no calls to ${vendor} (no error of it names ${vendor} and it sends no call counts), so our side neither confirms nor clears ${vendor}`,
  };
}

/** "2812 rate limits from chat-assist→anthropic while its successful calls rose to 290/min from 40/min (×7.2)". */
export function surgeText(stats: VendorErrorStats): string {
  const c = stats.calls!;
  return `${count(stats.byClass['rate-limit'], 'rate limit')} from ${stats.service}→${stats.vendor} while its successful calls to ${stats.vendor} rose to ${rate(c.okPerMin)} from ${rate(c.baseOkPerMin)} (${ratio(c.okPerMin / c.baseOkPerMin)}): ${stats.vendor} is limiting a surge of our own traffic`;
}

/**
 * Our tagged calls to the vendor at baseline, read beside an untagged spike that counts for one of its
 * incidents: the paths we tag are fine, but the vendor may fail us through one we do not tag.
 */
export function softenedBaseline(stats: VendorErrorStats, errors: Signal): Signal {
  if (errors.value >= 0 || stats.measured !== 'tagged' || clientDominated(stats)) return errors;
  return {
    name: 'errors',
    value: -0.4,
    evidence: `${errors.evidence}; those are the calls we tag, and errors naming no vendor may come from a ${stats.vendor} path we do not tag`,
  };
}

/**
 * The failing service's own errors (naming no vendor) spike while its calls to the vendor are known
 * to be fine: the trouble is in our code path. Only where we know the service calls the vendor
 * (tagged errors or call volume); otherwise untagged errors could be anyone's.
 */
export function ownErrorsSignal(stats: VendorErrorStats): Signal | null {
  const { own, pointing, vendor, service } = stats;
  if (!callsHealthy(stats) || own.level.level !== 'spike' || own.level.since === null) return null;
  const codes = own.codes.length > 0 ? ` (${list(own.codes)})` : '';
  const calls =
    stats.calls && stats.calls.total > 0 ? ` (${callsText(stats)})` : ` at ${rate(pointing.ratePerMin)}`;
  return {
    name: 'internal',
    value: -0.7,
    evidence: `${service}'s own errors, naming no vendor${codes}, rose to ${rate(own.level.ratePerMin)} from a baseline of ${rate(own.level.baselinePerMin)} since ${utc(own.level.since * MINUTE)} while its calls to ${vendor} stayed healthy${calls}: the trouble is in our own code path`,
  };
}

// 'none': the vendor says nothing was affected, so errors that name nobody cannot be put on it.
const IMPACT_FACTOR: Record<Impact, number> = { critical: 1, major: 1, minor: 0.6, unknown: 0.7, none: 0 };
const REGION_FACTOR: Record<RegionRelation, number> = {
  exact: 1,
  contains: 1,
  within: 1,
  nearby: 0.9,
  // Most incidents name no region; a broad one (a CDN's "elevated errors") is where untagged errors come from.
  unknown: 1,
  disjoint: 0,
};

/**
 * Untagged errors (a CDN in front answering 503, logged as our own HTTP_503) that spike as a vendor
 * incident begins, where that incident covers our region or names none, are evidence for it: weighed
 * by how well the onsets align, the vendor's impact rating, and how many of our services spike at
 * once. Never when our tagged calls to that vendor are known to be fine (then it is our code path).
 * A change of ours just before onset leaves it ambiguous (the caller caps the candidate).
 */
export function untaggedSignal(
  stats: VendorErrorStats,
  v: Pick<VendorIncident, 'vendor' | 'kind' | 'impact' | 'startedAt' | 'resolvedAt'> & { start?: number },
  region: RegionRelation,
  /** Other services of ours behind the same vendor whose untagged errors stay at baseline meanwhile. */
  quietPeers: readonly string[] = [],
): Signal | null {
  const u = stats.untagged;
  if (u.level.level !== 'spike' || u.level.firstSpike === null || callsMeasuredHealthy(stats)) return null;
  if (u.client >= u.level.count) return null;
  const onset = u.level.firstSpike * MINUTE;
  const start = v.start ?? Date.parse(v.startedAt);
  const resolved = v.resolvedAt ? Date.parse(v.resolvedAt) : null;
  if (resolved !== null && resolved < onset - RULES.edgeMinutes * MINUTE) return null;
  const lead = (start - onset) / MINUTE;
  const alignment =
    lead > RULES.tooLateMinutes
      ? 0
      : lead > RULES.postLagMinutes
        ? 0.5
        : lead >= -RULES.alignedBeforeMinutes
          ? 1
          : 0.3;
  // A peer behind the same vendor staying calm says the trouble is particular to this service.
  const calmPeers = u.alsoSpiking.length === 0 && quietPeers.length > 0;
  const base =
    ((u.pointingShare >= 0.5 ? 0.6 : 0.35) + (u.alsoSpiking.length > 0 ? 0.2 : 0)) * (calmPeers ? 0.5 : 1);
  const factor = v.kind === 'maintenance' ? 0.5 : IMPACT_FACTOR[v.impact];
  const value = round2(base * factor * REGION_FACTOR[region] * alignment);
  const codes = u.codes.length > 0 ? ` (${list(u.codes)})` : '';
  const others =
    u.alsoSpiking.length > 0
      ? `; ${list(u.alsoSpiking)} spiked at the same time`
      : calmPeers
        ? `; ${list([...quietPeers])}, also depending on ${v.vendor}, stayed at baseline`
        : '';
  const head = `${count(u.level.count, 'error')} of ${stats.service} that name no vendor${codes} rose to ${rate(u.level.ratePerMin)} from ${rate(u.level.baselinePerMin)} since ${utc(onset)}, ${relative(-lead, `${v.vendor}'s incident began`)}${others}`;
  if (value <= 0) {
    const why =
      alignment === 0
        ? `${v.vendor}'s incident began too late to explain them`
        : `${v.vendor}'s incident does not cover our region`;
    return { name: 'untagged', value: 0, evidence: `${head}; ${why}` };
  }
  return {
    name: 'untagged',
    value,
    evidence: `${head}: errors that name no vendor can be ${v.vendor}'s (a service in front of us failing shows up as our own ${u.pointingShare >= 0.5 ? '5xx and timeouts' : 'errors'})`,
  };
}

/**
 * Our calls to the vendor fail from the failing service only, while other services of ours calling it
 * in the same region stay at baseline: the failure is particular to that service. Weighs double right
 * after a change of that service (a deploy shipping a bad query times out on a healthy database).
 */
export function peersSignal(stats: VendorErrorStats, changed: boolean): Signal | null {
  if (stats.pointing.level !== 'spike' || stats.quietPeers.length === 0) return null;
  const peers = stats.quietPeers.map(
    (p) => `${p.service} (${rate(p.ratePerMin)} vs ${rate(p.baselinePerMin)} before)`,
  );
  return {
    name: 'peers',
    value: changed ? -1 : -0.5,
    // Our change, then only the changed service failing on a vendor its peers call fine: ours.
    ...(changed ? { veto: true } : {}),
    evidence: `calls to ${stats.vendor} from ${list(peers)} stay at baseline in the same minutes: the failure is particular to ${stats.service}${changed ? ', right after its own change' : ''}`,
  };
}

/**
 * The failing service's calls say nothing against the vendor (they do not rise, or it does not tag
 * them), while another service of ours using the same components of the vendor in the same region
 * reports its calls to it at baseline: what the vendor's incident broke does not reach us there.
 */
export function calmPeerSignal(stats: VendorErrorStats, peers: readonly string[]): Signal | null {
  if (peers.length === 0) return null;
  const byName = new Map(stats.quietPeers.map((p) => [p.service, p]));
  const text = peers.map((name) => {
    const p = byName.get(name);
    return p ? `${name} (${rate(p.ratePerMin)} vs ${rate(p.baselinePerMin)} before)` : name;
  });
  return {
    name: 'peers',
    value: -1,
    evidence: `${list(text)}, using the same ${stats.vendor} components in the same region, ${peers.length === 1 ? 'reports its' : 'report their'} calls to ${stats.vendor} at baseline: its trouble does not reach us there`,
  };
}

/** Our error evidence for a suspected issue: input errors first, else the detector's own numbers. */
export function suspectErrorsSignal(s: SuspectedIssue, stats: VendorErrorStats): Signal {
  // The detector read the same errors; when the input carries none on this vendor, trust its numbers.
  if (stats.pointing.level !== 'none' || stats.unknown.level !== 'none' || clientDominated(stats))
    return errorsSignal(stats);
  const r = s.ratePerMin / Math.max(s.baselinePerMin, RULES.baselineFloorPerMin);
  const value = r >= RULES.spikeRatio ? 0.6 + (s.services.length > 1 ? 0.2 : 0) : 0.2;
  return {
    name: 'errors',
    value,
    evidence: `the detector saw ${rate(s.ratePerMin)} errors on ${s.vendor} vs a baseline of ${rate(s.baselinePerMin)} (${ratio(r)}) from ${list(s.services)}`,
  };
}

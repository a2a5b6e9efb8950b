import type { ErrorClass } from '../contracts.js';
import { count, list, percent, rate, ratio, utc, utcRange } from './evidence.js';
import { clientDominated, type ErrorWindow, type VendorErrorStats } from './signal-error-stats.js';
import { MINUTE, RULES, type Signal } from './signal-shared.js';
import type { SuspectedIssue } from './types.js';

// What our errors say about a candidate vendor, as signals.

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

/** Our errors on the vendor: a spike of vendor-pointing errors confirms it; baseline or 4xx clears it. */
export function errorsSignal(stats: VendorErrorStats): Signal {
  const { service, vendor, pointing } = stats;
  const path = `${service}→${vendor}`;
  const where = stats.regions.length > 0 ? ` in ${list(stats.regions)}` : '';
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
    if (stats.share > 0) parts.push(`${percent(stats.share)} of ${service}'s errors name ${vendor}`);
    if (stats.servicesHit.length > 1)
      parts.push(`${stats.servicesHit.length} of our services hit (${list(stats.servicesHit)})`);
    const value = spike
      ? Math.min(1, 0.6 + (stats.share >= 0.5 ? 0.2 : 0) + (stats.servicesHit.length > 1 ? 0.2 : 0))
      : 0.25;
    return { name: 'errors', value, evidence: parts.join('; ') };
  }
  if (stats.unknown.level === 'spike') {
    const codes = stats.unknownCodes.length > 0 ? ` (${list(stats.unknownCodes)})` : '';
    return {
      name: 'errors',
      value: 0.3,
      evidence: `${count(stats.unknown.count, 'unclassified error')} from ${path}${where}${codes} vs a baseline of ${rate(stats.unknown.baselinePerMin)} (${ratio(stats.unknown.ratio)}); their codes do not say whose fault it is`,
    };
  }
  if (pointing.level === 'baseline') {
    return {
      name: 'errors',
      value: -0.9,
      evidence: `our calls to ${vendor} are at baseline (${rate(pointing.baselinePerMin)} before, ${rate(pointing.ratePerMin)} in ${windowText(stats.window)}, ${count(pointing.count, 'error')} from ${service})`,
    };
  }
  if (stats.instrumented) {
    return {
      name: 'errors',
      value: -0.6,
      evidence: `no error of ${service} names ${vendor} in ${windowText(stats.window)} while it reports errors on other vendors: our calls to ${vendor} are at baseline (0/min)`,
    };
  }
  return {
    name: 'errors',
    value: 0,
    evidence: `no error event of ${service} names a vendor, so our errors neither confirm nor clear ${vendor}`,
  };
}

/**
 * The failing service's own errors (naming no vendor) spike while its calls to the vendor stay at
 * baseline: the trouble is in our code path. Only for a service that tags vendors at all; otherwise
 * untagged errors could be anyone's.
 */
export function ownErrorsSignal(stats: VendorErrorStats): Signal | null {
  const { own, pointing, vendor, service } = stats;
  if (!stats.instrumented || own.level.level !== 'spike' || own.level.since === null) return null;
  if (pointing.level === 'spike' || pointing.level === 'rise' || stats.unknown.level === 'spike') return null;
  const codes = own.codes.length > 0 ? ` (${list(own.codes)})` : '';
  return {
    name: 'internal',
    value: -0.7,
    evidence: `${service}'s own errors, naming no vendor${codes}, rose to ${rate(own.level.ratePerMin)} from a baseline of ${rate(own.level.baselinePerMin)} since ${utc(own.level.since * MINUTE)} while its calls to ${vendor} stayed at ${rate(pointing.ratePerMin)}: the trouble is in our own code path`,
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
    evidence: `calls to ${stats.vendor} from ${list(peers)} stay at baseline in the same minutes: the failure is particular to ${stats.service}${changed ? ', right after its own change' : ''}`,
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

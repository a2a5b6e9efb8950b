import {
  callsHealthy,
  clientDominated,
  errorsSignal,
  ratioElevated,
  vendorErrorStats,
  vendorKey,
  type ErrorIndex,
  type VendorErrorStats,
} from '../correlate/signals.js';
import type { CommonMode } from '../correlate/signal-common-mode.js';
import { commonModeOf, commonModeSignal } from '../correlate/signal-common-mode.js';
import type { ServiceSpec } from '../correlate/types.js';
import { declaredBy } from './spec-index.js';

/*
 * What our own errors say about one vendor around `at`: read through the scorer's error index, levels
 * and class rules (signal-error-stats.ts), so the check and the incident annotations agree.
 */

/**
 * spike: our vendor-pointing errors on it are clearly above baseline; rise: somewhat above, or a spike
 * of codes that do not say whose fault it is; healthy: we know we call it and those calls are at
 * baseline (or only our traffic rose); client: our errors on it say the caller is wrong; none: no
 * record of calls to it (no call volume, no error naming it).
 */
export type ImpactLevel = 'spike' | 'rise' | 'healthy' | 'client' | 'none';

export interface VendorImpact {
  level: ImpactLevel;
  /** Per service considered, the scorer's statistics. */
  stats: VendorErrorStats[];
  /** The service whose numbers speak for the vendor (the most hit, else the first measured). */
  lead: VendorErrorStats | null;
  /** Services whose errors on the vendor spike, by the scorer's reading. */
  servicesHit: string[];
  /** Services calling the vendor whose calls stay at baseline while `lead`'s spike: the failure is theirs alone. */
  quietPeers: string[];
  /** Every vendor failing at once from the lead service: the common factor is us. */
  commonMode: CommonMode | null;
  /** The scorer's sentence on our errors for the lead service. */
  sentence: string | null;
  /** Services of ours whose errors name the vendor in the window. */
  services: string[];
}

/** Whether `stats` shows the vendor failing us: a vendor-pointing spike that the caller or our traffic does not explain. */
export function spikeConfirmed(stats: VendorErrorStats): boolean {
  if (stats.pointing.level !== 'spike' || clientDominated(stats)) return false;
  const calls = stats.calls && stats.calls.total > 0 ? stats.calls : null;
  return calls === null || ratioElevated(calls);
}

function rank(stats: VendorErrorStats): number {
  if (spikeConfirmed(stats)) return 4 + Math.min(stats.pointing.ratio, 1000) / 1000;
  if (stats.pointing.level === 'rise' || stats.unknown.level === 'spike') return 3;
  if (clientDominated(stats)) return 2;
  if (stats.measured !== null) return 1;
  return 0;
}

/**
 * The services to read for a vendor: the one asked about, else every service declaring the vendor or
 * naming it in its errors (window or baseline).
 */
export function servicesFor(
  index: ErrorIndex,
  vendor: string,
  service: string | null,
  specs: readonly ServiceSpec[],
): string[] {
  if (service !== null) return [service];
  const key = vendorKey(vendor);
  const out = new Set<string>();
  for (const s of declaredBy(specs, vendor).specs) out.add(s.name);
  for (const [name, tallies] of index.byService) if (tallies.has(key)) out.add(name);
  for (const [name, vendors] of index.calls) if (vendors.has(key)) out.add(name);
  return [...out].sort();
}

const commonModes = new WeakMap<ErrorIndex, Map<string, CommonMode | null>>();

function commonModeFor(index: ErrorIndex, service: string, specs: readonly ServiceSpec[]): CommonMode | null {
  let cache = commonModes.get(index);
  if (!cache) commonModes.set(index, (cache = new Map()));
  if (!cache.has(service)) {
    const declared = specs.find((s) => s.name === service)?.dependsOn.map((d) => d.vendor) ?? [];
    cache.set(service, commonModeOf(index, service, declared));
  }
  return cache.get(service) ?? null;
}

/** Reads our errors on `vendor` from `services` (see servicesFor) into one level with its evidence. */
export function vendorImpact(
  index: ErrorIndex,
  vendor: string,
  services: readonly string[],
  specs: readonly ServiceSpec[],
  /** The vendor's display name, for the sentences. */
  name = vendor,
): VendorImpact {
  const key = vendorKey(vendor);
  const stats = services.map((s) => vendorErrorStats(index, s, vendor));
  const ordered = [...stats].sort((a, b) => rank(b) - rank(a) || a.service.localeCompare(b.service));
  const lead = ordered[0] ?? null;
  const hit = stats.filter(spikeConfirmed);
  let level: ImpactLevel = 'none';
  if (hit.length > 0) level = 'spike';
  else if (stats.some((s) => s.pointing.level === 'rise' || s.unknown.level === 'spike')) level = 'rise';
  else if (stats.some((s) => clientDominated(s))) level = 'client';
  else if (stats.some((s) => s.measured !== null && (callsHealthy(s) || s.pointing.level === 'spike')))
    level = 'healthy';
  const servicesHit = [...new Set(stats.flatMap((s) => (spikeConfirmed(s) ? s.servicesHit : [])))].sort();
  const quietPeers =
    lead && level === 'spike' && servicesHit.length < 2 ? lead.quietPeers.map((p) => p.service) : [];
  const cm = lead && level === 'spike' ? commonModeFor(index, lead.service, specs) : null;
  const commonMode = cm && cm.vendors.includes(key) ? cm : null;
  const named = new Set<string>();
  for (const [name, tallies] of index.byService)
    if ((tallies.get(key)?.entries.length ?? 0) > 0) named.add(name);
  return {
    level,
    stats,
    lead: lead && (lead.measured !== null || level !== 'none') ? lead : null,
    servicesHit,
    quietPeers,
    commonMode,
    sentence: lead && lead.measured !== null ? errorsSignal({ ...lead, vendor: name }).evidence : null,
    services: [...named].sort(),
  };
}

/** The common-mode sentence, when every vendor fails at once. */
export function commonModeSentence(cm: CommonMode): string {
  return commonModeSignal(cm).evidence;
}

/** True when the common factor is our network (mostly timeouts and connection errors). */
export function networkCommonMode(cm: CommonMode | null): boolean {
  return cm !== null && commonModeSignal(cm).veto === true;
}

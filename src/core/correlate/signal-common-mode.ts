import { duration, list, percent, utcRange } from './evidence.js';
import { failingLevel, pointingLevel, type ErrorIndex } from './signal-error-stats.js';
import { MINUTE, RULES, vendorKey, type Signal } from './signal-shared.js';

/** Calls to several vendors failing in the same minutes. */
export interface CommonMode {
  service: string;
  vendors: string[];
  fromMinute: number;
  toMinute: number;
  /** Timeouts and network errors among those vendor-pointing errors. */
  networkShare: number;
}

/**
 * When the failing service's calls to every vendor it uses (at least 2), or to 3 or more vendors, start
 * failing within 5 min of each other (others may have been failing before), the common factor is us;
 * so are 2 vendors failing together with mostly timeouts and network errors right after a change of
 * the service (`changed`). Returns null otherwise.
 */
export function commonModeOf(
  index: ErrorIndex,
  service: string,
  declared: readonly string[],
  changed = false,
): CommonMode | null {
  const vendors = index.byService.get(service);
  if (!vendors) return null;
  const failing: { vendor: string; first: number; network: number; total: number }[] = [];
  for (const [key, tally] of vendors) {
    if (key === '') continue;
    // Every class but client: a local trust error (an unknown code) on every vendor is failing too.
    const pointing = pointingLevel(tally, index.window);
    const level = pointing.level === 'spike' ? pointing : failingLevel(tally, index.window);
    if (level.level !== 'spike' || level.firstSpike === null) continue;
    let network = 0;
    for (const e of tally.entries) {
      if (e.minute >= level.firstSpike && (e.errorClass === 'timeout' || e.errorClass === 'network'))
        network += e.count;
    }
    failing.push({ vendor: key, first: level.firstSpike, network, total: level.count });
  }
  const declaredKeys = new Set(declared.map(vendorKey));
  // The largest group of vendors whose failures began within the spread of each other: a vendor that
  // was already failing earlier (its own incident) does not hide the rest failing together.
  failing.sort((a, b) => a.first - b.first || a.vendor.localeCompare(b.vendor));
  let best: typeof failing = [];
  for (let i = 0; i < failing.length; i++) {
    const group = failing.filter(
      (f, j) => j >= i && f.first - failing[i]!.first <= RULES.commonModeSpreadMinutes,
    );
    if (group.length > best.length) best = group;
  }
  const everyDeclared =
    declaredKeys.size >= 2 && [...declaredKeys].every((d) => best.some((f) => f.vendor === d));
  const total = best.reduce((sum, f) => sum + f.total, 0);
  const networkShare = total > 0 ? best.reduce((sum, f) => sum + f.network, 0) / total : 0;
  // Two vendors refusing or timing out together right after a change of ours: our network change.
  const afterOurChange = changed && networkShare >= RULES.commonModeNetworkShare;
  if (best.length < 2 || (best.length < 3 && !everyDeclared && !afterOurChange)) return null;
  const firsts = best.map((f) => f.first);
  return {
    service,
    vendors: best.map((f) => f.vendor).sort(),
    fromMinute: Math.min(...firsts),
    toMinute: Math.max(...firsts),
    networkShare,
  };
}

/**
 * Every vendor failing at once points at us. Mostly timeouts, resets and DNS failures (we could not
 * reach them): veto. Mostly 5xx (they answered, badly): a strong push away, which two real vendor
 * incidents can still outweigh.
 */
export function commonModeSignal(cm: CommonMode): Signal {
  const network = cm.networkShare >= RULES.commonModeNetworkShare;
  const when = utcRange(cm.fromMinute * MINUTE, cm.toMinute * MINUTE);
  return {
    name: 'commonMode',
    value: -1,
    ...(network ? { veto: true } : {}),
    evidence: `calls from ${cm.service} to ${cm.vendors.length} vendors (${list(cm.vendors, 4)}) started failing within ${duration(cm.toMinute - cm.fromMinute)} of each other (${when}), ${percent(cm.networkShare)} timeouts and network errors: the common factor is ${network ? 'us (network, DNS, egress)' : 'likely us'}`,
  };
}

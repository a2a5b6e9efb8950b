import { RULES, VENDOR_POINTING, vendorKey, type ErrorIndex } from '../correlate/signals.js';
import type { OurErrors } from './types.js';
import { spikeConfirmed, type VendorImpact } from './impact.js';

/**
 * The numbers of OurErrors for one vendor: while our errors spike, the lead service's rate from the
 * spike on against its baseline (what an agent quotes); otherwise the window's average across the
 * services read. Vendor-pointing errors only (5xx, timeouts, network, rate limits): client errors say
 * the caller is wrong and are reported apart.
 */
export function ourErrorsOf(index: ErrorIndex, vendor: string, impact: VendorImpact): OurErrors {
  const key = vendorKey(vendor);
  const w = index.window;
  const minutes = Math.max(1, w.to - w.from + 1);
  let pointing = 0;
  let base = 0;
  let calls = 0;
  let failedWithCalls = 0;
  let withCalls = false;
  for (const s of impact.stats) {
    const tally = index.byService.get(s.service)?.get(key);
    let failed = 0;
    for (const e of tally?.entries ?? []) if (VENDOR_POINTING.has(e.errorClass)) failed += e.count;
    pointing += failed;
    base += tally?.basePointing ?? 0;
    const volume = index.calls.get(s.service)?.get(key);
    if (volume) {
      let n = 0;
      for (const c of volume.perMinute.values()) n += c;
      if (n > 0) {
        withCalls = true;
        calls += n;
        failedWithCalls += failed;
      }
    }
  }
  const lead = impact.lead;
  const spiking = lead !== null && spikeConfirmed(lead);
  return {
    ratePerMin: round(spiking ? lead.pointing.ratePerMin : pointing / minutes),
    baselinePerMin: round(spiking ? lead.pointing.baselinePerMin : base / RULES.baselineMinutes),
    callsPerMin: withCalls ? round(calls / minutes) : null,
    failureRatio:
      withCalls && calls > 0 ? Math.min(1, Math.round((failedWithCalls / calls) * 10_000) / 10_000) : null,
    services: impact.services,
    customers: 0,
  };
}

const round = (x: number): number => Math.round(x * 100) / 100;

import type { ChangeEvent, InternalIncident } from '../contracts.js';
import type { Suspect } from '../detect/suspect.js';
import type { VendorIncident } from '../model.js';
import { minuteOf } from '../series.js';
import { BLIND_LOOKBACK_MS, blindSpansKnownAt } from './blind-spans.js';
import { cutInput, incidentKnownAt, suspectKnownAt } from './known-at.js';
import { blamingSentence } from './signal-corroboration.js';
import { RULES, vendorKey } from './signals.js';
import type { BlindSpan, CallCount, CorrelationInput, MinuteCount, ServiceSpec } from './types.js';
import { vendorResolver, type HostOwner, type NamedVendor } from '../vendor-names.js';

/*
 * What the scorer is given about one of our incidents at `now`: which vendors, which of their
 * incidents, which minutes, then the knowledge cut. Pure, so the live worker (which reads the sources
 * through store/correlation-input.ts), `upcause backtest` and the benchmark select the same way.
 */

const ms = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

/** How far around our incident the loader looks. */
export const INPUT_WINDOWS = {
  /** Vendor incidents and suspects starting this long before ours: vendors backdate and start early. */
  vendorLookbackMs: 6 * HOUR,
  /** Our changes this long before the start; the scorer picks the ones that compete. */
  changeLookbackMs: 6 * HOUR,
  /** Blind spans of candidate vendors' pages still open this long before the start. */
  blindLookbackMs: BLIND_LOOKBACK_MS,
  /** Error minutes before the start: the scorer's lead (30) and baseline (60), with slack. */
  errorLookbackMinutes: 120,
  /** Error minutes read at most: an incident open for weeks is judged on its last week. */
  maxErrorMinutes: 7 * 24 * 60,
} as const;

/** The config the loader needs: service specs and the watched vendors' ids and names. */
export interface InputConfig {
  services: readonly ServiceSpec[];
  vendors: readonly NamedVendor[];
}

// ─── vendor incident index (pure) ───────────────────────────────────────────────────────────

/** Incidents longer than this (or never resolved) are kept aside, so the time search stays narrow. */
const LONG_MS = 24 * HOUR;

interface VendorShelf {
  /** Short incidents sorted by start, with their starts alongside for the binary search. */
  starts: number[];
  short: VendorIncident[];
  long: VendorIncident[];
}

/** Vendor incidents by vendor and time: a window query costs a binary search plus what it returns. */
export interface VendorIncidentIndex {
  /** Incidents of `vendor` whose [start, end] overlaps [fromMs, toMs] (an unresolved one never ends). */
  select(vendor: string, fromMs: number, toMs: number): VendorIncident[];
  readonly size: number;
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const endOf = (v: VendorIncident) => (v.resolvedAt === null ? Infinity : ms(v.resolvedAt));

/** Indexes vendor incidents by vendor key, then start time; a later copy of an id replaces an earlier one. */
export function indexVendorIncidents(incidents: Iterable<VendorIncident>): VendorIncidentIndex {
  const byId = new Map<string, VendorIncident>();
  for (const v of incidents) byId.set(`${vendorKey(v.vendor)}\u0000${v.id}`, v);
  const shelves = new Map<string, VendorShelf>();
  for (const v of byId.values()) {
    const key = vendorKey(v.vendor);
    let shelf = shelves.get(key);
    if (!shelf) shelves.set(key, (shelf = { starts: [], short: [], long: [] }));
    if (endOf(v) - ms(v.startedAt) > LONG_MS) shelf.long.push(v);
    else shelf.short.push(v);
  }
  for (const shelf of shelves.values()) {
    shelf.short.sort((a, b) => ms(a.startedAt) - ms(b.startedAt));
    shelf.starts = shelf.short.map((v) => ms(v.startedAt));
  }
  return {
    size: byId.size,
    select(vendor, fromMs, toMs) {
      const shelf = shelves.get(vendorKey(vendor));
      if (!shelf) return [];
      const out: VendorIncident[] = [];
      // A short incident overlapping the window started at most LONG_MS before it.
      for (let i = lowerBound(shelf.starts, fromMs - LONG_MS); i < shelf.short.length; i++) {
        if (shelf.starts[i]! > toMs) break;
        const v = shelf.short[i]!;
        if (endOf(v) >= fromMs) out.push(v);
      }
      for (const v of shelf.long) if (ms(v.startedAt) <= toMs && endOf(v) >= fromMs) out.push(v);
      return out;
    },
  };
}

// ─── selection (pure) ────────────────────────────────────────────────────────────────────────

/**
 * Maps a vendor as errors and configs write it to its id: id or display name in any case, a variant
 * (`Discord API`), an SDK package or a host it serves (src/core/vendor-names.ts); others unchanged.
 */
export function vendorIdOf(vendors: InputConfig['vendors'], owner?: HostOwner): (name: string) => string {
  return vendorResolver(vendors, owner);
}

/**
 * The vendors to consider for an incident: its service's dependencies, then vendors its own errors
 * name from the scorer's lead before the start on. Error names are mapped to configured vendor ids
 * (by id or display name, without case), so "Twilio" in an error finds the incidents of `twilio`.
 */
export function candidateVendors(
  incident: InternalIncident,
  spec: ServiceSpec | undefined,
  errors: readonly MinuteCount[],
  vendors: InputConfig['vendors'],
): string[] {
  const idOf = vendorResolver(vendors);
  const out = new Set<string>();
  const add = (name: string) => {
    if (vendorKey(name)) out.add(idOf(name.trim()));
  };
  for (const d of spec?.dependsOn ?? []) add(d.vendor);
  const from = minuteOf(incident.startedAt) - RULES.leadMinutes;
  for (const e of errors) if (e.series.service === incident.service && e.minute >= from) add(e.series.vendor);
  return [...out];
}

/** What the loader read, before selection and the knowledge cut. */
export interface InputSources {
  incident: InternalIncident;
  config: InputConfig;
  /** Error minutes of every series from the lookback before the start on. */
  errors: readonly MinuteCount[];
  vendorIncidents: VendorIncidentIndex;
  suspects: readonly Suspect[];
  changes: readonly ChangeEvent[];
  /** Call volume of every (service, vendor, region) in the same minutes as `errors`, where reported. */
  calls?: readonly CallCount[];
  /** Blind spans of the candidate vendors' pages, as stored. */
  blind?: readonly BlindSpan[];
  /** Incidents of the other watched vendors in the same window, where one may blame a candidate. */
  others?: readonly VendorIncident[];
}

/** Other vendors' incidents whose title or updates name one of `vendors` as their cause. */
export function relatedIncidents(
  others: readonly VendorIncident[],
  vendors: readonly string[],
): VendorIncident[] {
  const keys = new Set(vendors.map(vendorKey));
  return others.filter(
    (v) =>
      v.kind === 'incident' &&
      !keys.has(vendorKey(v.vendor)) &&
      [v.title, ...v.updates.map((u) => u.body)].some((text) =>
        vendors.some((name) => blamingSentence(text, name) !== null),
      ),
  );
}

/**
 * Assembles the scorer's input at `now` from what was read: candidate vendors, their incidents in
 * [start − 6 h, now], their suspects, the errors of our service and of those vendors, our service's
 * changes in [start − 6 h, now]; then the knowledge cut. Pure.
 */
export function selectInput(src: InputSources, now: Date): CorrelationInput {
  const t = now.getTime();
  const incident = incidentKnownAt(src.incident, t);
  const start = ms(incident.startedAt);
  const spec = src.config.services.find((s) => s.name === incident.service);
  const vendors = candidateVendors(incident, spec, src.errors, src.config.vendors);
  const keys = new Set(vendors.map(vendorKey));
  const from = start - INPUT_WINDOWS.vendorLookbackMs;
  const input: CorrelationInput = {
    now,
    incident,
    ...(spec ? { service: spec } : {}),
    services: [...src.config.services],
    vendorIncidents: vendors.flatMap((v) => src.vendorIncidents.select(v, from, t)),
    ...(src.others ? { related: relatedIncidents(src.others, vendors) } : {}),
    suspects: src.suspects
      .filter(
        (s) =>
          keys.has(vendorKey(s.vendor)) &&
          ms(s.since) <= t &&
          (s.closedAt === null || ms(s.closedAt) >= from),
      )
      .flatMap((s) => suspectKnownAt(s, t) ?? []),
    errors: src.errors.filter(
      (e) => e.series.service === incident.service || keys.has(vendorKey(e.series.vendor)),
    ),
    changes: src.changes.filter(
      (c) => c.service === incident.service && ms(c.at) >= start - INPUT_WINDOWS.changeLookbackMs,
    ),
    // Call volume is selected as the errors are: our service's, and the candidate vendors'.
    ...(src.calls
      ? {
          calls: src.calls.filter((c) => c.service === incident.service || keys.has(vendorKey(c.vendor))),
        }
      : {}),
    ...(src.blind
      ? {
          blind: blindSpansKnownAt(
            src.blind.filter((s) => keys.has(vendorKey(s.vendor))),
            t,
            start - INPUT_WINDOWS.blindLookbackMs,
          ),
        }
      : {}),
  };
  return cutInput(input, now);
}

/** The error minutes to read for an incident at `now`: lookback before the start to its end (or now). */
export function errorMinutes(incident: InternalIncident, now: number): { from: number; to: number } {
  const known = incidentKnownAt(incident, now);
  const end = known.resolvedAt === null ? now : Math.min(now, ms(known.resolvedAt));
  const to = minuteOf(Math.max(end, ms(incident.startedAt)));
  const from = Math.max(
    minuteOf(incident.startedAt) - INPUT_WINDOWS.errorLookbackMinutes,
    to - INPUT_WINDOWS.maxErrorMinutes,
  );
  return { from, to };
}

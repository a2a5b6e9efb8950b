import { day, hm, shape, type Builder, type Verdict, type VendorEvent } from './builder.js';
import { MINUTE, type Code } from './series.js';
import { isoZ, vendorOfPage } from './stactus.js';

// The common shape of a scenario's synthetic side: some services, each calling a few vendors, where
// some (service, vendor) pairs — or a service's own untagged errors — spike at the onset while the
// other pairs stay at their baseline. Recipes say what differs; this fills in the rest.

/** An error spike in one service: tagged with `vendor`, or untagged when `vendor` is absent. */
export interface Hit {
  vendor?: string;
  codes: Code[];
  /** Codes at baseline (default: `codes`). */
  quietCodes?: Code[];
  /** Peak errors per minute. */
  peak: number;
  /** Minutes after the story's onset this hit starts (default 0). */
  lag?: number;
  /** Length of this spike in minutes (default: the story's). */
  minutes?: number;
  /** Label the events carry (default: the service's first region). */
  region?: string | null;
  endpoint?: string;
  /** Per-minute call volume: the series then reports one event a minute, `calls` included. */
  calls?: number;
  baseline?: number;
  /** Rate after the spike (default: its baseline). */
  after?: number;
  /** Minutes from the onset to the peak (default 1–3, drawn). */
  ramp?: number;
  /** Further spikes of the same series (a recurrence), each after the previous one has ended. */
  again?: { lag: number; minutes: number; peak: number }[];
}

export interface Dep {
  vendor: string;
  components?: string[];
  /** Background errors this service reports on the vendor (default: timeouts and 5xx at 0.1–0.4/min). */
  quiet?: Code[] | false;
  /** Per-minute call volume reported for this (service, vendor) pair. */
  calls?: number;
}

export interface Svc {
  name: string;
  regions: string[];
  deps: Dep[];
  hits?: Hit[];
  endpoint?: string;
}

export interface StoryOptions {
  onset: number;
  /** Our spike's length in minutes (each hit may override). */
  minutes: number;
  services: Svc[];
  /** Minutes of history kept after the spike ends (default 25–45). */
  tail?: number;
  /** Call volumes are reported from this many minutes before the onset (default 45). */
  callsLead?: number;
}

const defaultQuiet: Code[] = [
  { code: 'ETIMEDOUT', weight: 2 },
  { code: 'HTTP_503', status: 503, weight: 1 },
];

/** Adds the services and their error series; returns the span of the history and the spike's end. */
export function story(b: Builder, o: StoryOptions) {
  const from = b.at(o.onset, -b.rng.int(85, 100));
  // The spike ends with the last hit (recurrences included), not necessarily after `minutes`.
  const last = Math.max(
    o.minutes,
    ...o.services.flatMap((s) =>
      (s.hits ?? []).flatMap((h) => [
        (h.lag ?? 0) + (h.minutes ?? o.minutes),
        ...(h.again ?? []).map((a) => a.lag + a.minutes),
      ]),
    ),
  );
  const end = b.at(o.onset, last);
  const until = b.at(end, o.tail ?? b.rng.int(25, 45));
  const callsFrom = b.at(o.onset, -(o.callsLead ?? 45));
  for (const s of o.services) {
    b.service(
      s.name,
      s.regions,
      s.deps.map((d) => ({ vendor: d.vendor, components: d.components ?? [] })),
    );
    const hits = s.hits ?? [];
    for (const d of s.deps) {
      if (d.quiet === false || hits.some((h) => h.vendor === d.vendor)) continue;
      const baseline = b.rng.uniform(0.1, 0.4);
      b.errors({
        service: s.name,
        vendor: d.vendor,
        region: s.regions[0],
        codes: d.quiet ?? defaultQuiet,
        baseline,
        knots: [],
        from,
        until,
        ...(d.calls ? { calls: { perMin: d.calls, from: callsFrom } } : {}),
      });
    }
    for (const h of hits) {
      const baseline = h.baseline ?? b.rng.uniform(0.1, 0.5);
      const onset = b.at(o.onset, h.lag ?? 0);
      const region = h.region === null ? undefined : (h.region ?? s.regions[0]);
      b.errors({
        service: s.name,
        ...(h.vendor ? { vendor: h.vendor } : {}),
        ...(region ? { region } : {}),
        ...(h.endpoint || s.endpoint ? { endpoint: h.endpoint ?? s.endpoint } : {}),
        codes: h.codes,
        ...(h.quietCodes ? { quietCodes: h.quietCodes } : {}),
        baseline,
        knots: [
          ...shape(b, {
            onset,
            baseline,
            peak: h.peak,
            minutes: h.minutes ?? o.minutes,
            ...(h.ramp !== undefined ? { ramp: h.ramp } : {}),
            ...(h.after !== undefined ? { after: h.after } : {}),
          }),
          ...(h.again ?? []).flatMap((a) =>
            shape(b, { onset: b.at(o.onset, a.lag), baseline, peak: a.peak, minutes: a.minutes }),
          ),
        ],
        from,
        until,
        ...(h.calls ? { calls: { perMin: h.calls, from: callsFrom } } : {}),
      });
    }
  }
  return { from, end, until };
}

/** Opens our incident on the story's onset and closes it 5–25 minutes after the spike ends. */
export function ourIncident(
  b: Builder,
  o: {
    service: string;
    title: string;
    onset: number;
    end: number;
    expect: Verdict;
    regions?: string[];
    customers?: string[];
    delay?: number;
    open?: boolean;
    /** Minutes from the spike's end to our resolution (default 5–25). */
    closeAfter?: number;
  },
) {
  const end = o.open ? null : b.at(o.end, o.closeAfter ?? b.rng.int(5, 25));
  const made = b.incident({
    service: o.service,
    title: o.title,
    onset: o.onset,
    end,
    expect: o.expect,
    ...(o.regions ? { regions: o.regions } : {}),
    ...(o.customers ? { customers: o.customers } : {}),
    ...(o.delay !== undefined ? { delay: o.delay } : {}),
  });
  return { ...made, end };
}

/** Minutes between two instants, rounded. */
export const minutes = (from: number, to: number) => Math.round((to - from) / MINUTE);

/** Our own failures: codes that name our components, not a vendor. */
export const own = {
  dbPool: [
    { code: 'DB_POOL_EXHAUSTED', weight: 3 },
    { code: 'PG_TOO_MANY_CONNECTIONS', weight: 1 },
  ],
  oom: [
    { code: 'OUT_OF_MEMORY', weight: 2 },
    { code: 'WORKER_CRASHED', weight: 1 },
  ],
  nullRef: [
    { code: 'NULL_REFERENCE', weight: 3 },
    { code: 'UNHANDLED_EXCEPTION', weight: 1 },
  ],
  render: [
    { code: 'TEMPLATE_RENDER_FAILED', weight: 2 },
    { code: 'UNHANDLED_EXCEPTION', weight: 1 },
  ],
  cache: [
    { code: 'CACHE_STAMPEDE', weight: 2 },
    { code: 'REDIS_MAXMEMORY', weight: 1 },
  ],
  queue: [
    { code: 'QUEUE_FULL', weight: 2 },
    { code: 'CONSUMER_LAG_EXCEEDED', weight: 1 },
  ],
  schema: [
    { code: 'SCHEMA_MISMATCH', weight: 2 },
    { code: 'DESERIALIZATION_FAILED', weight: 1 },
  ],
  lock: [
    { code: 'MIGRATION_LOCK_HELD', weight: 2 },
    { code: 'DEADLOCK_DETECTED', weight: 1 },
  ],
} satisfies Record<string, Code[]>;

/** "Cloudflare 25r9t0vz99rp (2025-06-12, critical) "Broad Cloudflare service outages": first post 18:19Z, resolved 21:31Z" */
export function intro(v: VendorEvent): string {
  const name = Object.values(vendorOfPage).find((p) => p.id === v.vendor)?.name ?? v.vendor;
  const resolved =
    v.resolved === null
      ? 'never resolved'
      : `resolved ${day(v.resolved) === day(v.post) ? hm(v.resolved) : isoZ(v.resolved)}`;
  return `${name} ${v.raw.id} (${day(v.post)}, impact ${v.raw.impact}) "${v.raw.name.trim()}": first post ${hm(v.post)}, ${resolved}`;
}

import { createRng, seedOf, type Rng } from './rng.js';
import { errorPages, summaryBody } from './pages.js';
import { MINUTE, synthesize, type Code, type ErrorEventOut, type Knot, type SeriesSpec } from './series.js';
import {
  firstPostOf,
  isoZ,
  toVendorIncident,
  vendorOfPage,
  type ScenarioVendorIncident,
  type Stactus,
  type StactusIncident,
  type VendorIncidentOptions,
} from './stactus.js';

// One scenario under construction: the real vendor side from stactus, our synthetic side (services,
// error series, changes, incidents) and the expected verdicts, plus the checks that keep a file
// internally consistent (our incident opens 3–15 minutes after our errors do and overlaps them,
// every name it uses is declared, the file stays under the event budget).

export type Verdict = 'upstream' | 'unclear' | 'internal';

/** What each scenario tests; the eval reports its numbers per class. */
export const scenarioClasses = [
  'seed',
  'vendor-tagged-multi',
  'vendor-tagged-single',
  'vendor-untagged',
  'vendor-late-post',
  'vendor-backdated',
  'vendor-silent-strong',
  'vendor-silent-weak',
  'vendor-datacenter',
  'vendor-blind',
  'deploy-during-vendor-outage',
  'maintenance',
  'ours-4xx-during-vendor-incident',
  'ours-egress-all-vendors',
  'ours-other-region',
  'ours-other-component',
  'ours-calls-healthy',
  'ours-vendor-later',
] as const;
export type ScenarioClass = (typeof scenarioClasses)[number];

export interface Recipe {
  name: string;
  class: ScenarioClass;
  build(b: Builder): void;
}

/** Error events per file stay under this many. */
export const EVENT_BUDGET = 290;

interface ServiceOut {
  name: string;
  regions: string[];
  dependsOn: { vendor: string; components: string[] }[];
}

interface IncidentOut {
  id: string;
  service: string;
  title: string;
  startedAt: string;
  resolvedAt: string | null;
  regions: string[];
  customers: string[];
}

interface ChangeOut {
  at: string;
  service: string;
  kind: 'deploy' | 'config' | 'flag';
  ref?: string;
  description?: string;
}

export interface SourceUse {
  page: string;
  id: string;
  how: string;
}

/** An incident of the vendor with its timeline in epoch ms. */
export interface VendorEvent {
  vendor: string;
  raw: StactusIncident;
  /** First post. */
  post: number;
  resolved: number | null;
  out: ScenarioVendorIncident | null;
}

export const hm = (t: number) => isoZ(t).slice(11, 16) + 'Z';
export const day = (t: number) => isoZ(t).slice(0, 10);

export class Builder {
  readonly rng: Rng;
  readonly sources: SourceUse[] = [];
  private readonly services: ServiceOut[] = [];
  private readonly vendors = new Map<string, { id: string; name: string; provider: string }>();
  private readonly vendorIncidents: ScenarioVendorIncident[] = [];
  private readonly snapshots: {
    vendor: string;
    at: string;
    provider: string;
    contentType: string;
    status?: number;
    body: string;
  }[] = [];
  private readonly health: { vendor: string; at: string; state: string; reason?: string }[] = [];
  private readonly series: SeriesSpec[] = [];
  private readonly changes: ChangeOut[] = [];
  private readonly incidents: (IncidentOut & { onset: number })[] = [];
  private readonly expect: Record<string, Verdict> = {};
  private readonly usedIds = new Set<number>();
  private suspected: { vendor: string; region?: string }[] | undefined;
  private top: Record<string, string> | undefined;
  private text = '';

  constructor(
    readonly name: string,
    readonly cls: ScenarioClass,
    private readonly stactus: Stactus,
  ) {
    this.rng = createRng(seedOf(name));
  }

  /** `t` moved by `minutes`. */
  at(t: number, minutes: number): number {
    return t + Math.round(minutes * MINUTE);
  }

  /** Declares a vendor we depend on (a stactus page, or another vendor by id and name). */
  vendor(pageOrId: string, name?: string): string {
    const known = vendorOfPage[pageOrId];
    const id = known?.id ?? pageOrId;
    if (!this.vendors.has(id))
      this.vendors.set(id, { id, name: known?.name ?? name ?? id, provider: 'statuspage' });
    return id;
  }

  /** A real incident of the page. `hidden` keeps it out of the file (a vendor that never posted it, or a page we could not read). */
  source(
    page: string,
    id: string,
    how: string,
    options: VendorIncidentOptions & { hidden?: boolean } = {},
  ): VendorEvent {
    const raw = this.stactus.incident(page, id);
    const vendor = this.vendor(page);
    this.sources.push({ page, id, how });
    const out = options.hidden ? null : toVendorIncident(raw, vendor, options);
    if (out) this.vendorIncidents.push(out);
    return {
      vendor,
      raw,
      post: firstPostOf(raw),
      resolved: raw.resolved_at ? Date.parse(raw.resolved_at) : null,
      out,
    };
  }

  /** The vendor's status page answered `status` with an HTML error page at `at`. */
  pageDown(vendor: string, at: number, status: 502 | 503) {
    const bodies = errorPages[status];
    this.snapshots.push({
      vendor,
      at: isoZ(at),
      provider: 'statuspage',
      contentType: 'text/html',
      status,
      body: bodies[this.rng.int(0, bodies.length - 1)]!,
    });
  }

  /** The vendor's summary.json as read at `at` (it shows `event` while open). */
  pageUp(event: VendorEvent, page: string, at: number) {
    this.snapshots.push({
      vendor: event.vendor,
      at: isoZ(at),
      provider: 'statuspage',
      contentType: 'application/json',
      body: summaryBody(this.stactus.page(page), event.raw, at),
    });
  }

  /** The `vendorHealth` form of the same knowledge: the page unreachable from `from`, readable again at `until`. */
  pageHealth(vendor: string, from: number, until: number | null, reason: string) {
    this.health.push({ vendor, at: isoZ(from), state: 'unreachable', reason });
    if (until !== null) this.health.push({ vendor, at: isoZ(until), state: 'ok' });
  }

  service(name: string, regions: string[], dependsOn: { vendor: string; components?: string[] }[]) {
    this.services.push({
      name,
      regions,
      dependsOn: dependsOn.map((d) => ({ vendor: d.vendor, components: d.components ?? [] })),
    });
  }

  /**
   * One error series. `from` defaults to 90 minutes (±10) before the first knot; `until` to 30 minutes
   * after the last one.
   */
  errors(spec: Omit<SeriesSpec, 'from' | 'until'> & { from?: number; until?: number }) {
    const first = spec.knots[0]?.at;
    const last = spec.knots.at(-1)?.at;
    const from = spec.from ?? (first ?? Date.now()) - this.rng.int(80, 100) * MINUTE;
    const until = spec.until ?? (last ?? from + 120 * MINUTE) + this.rng.int(20, 40) * MINUTE;
    this.series.push({ ...spec, from, until });
  }

  /** A quiet series (background errors at baseline), e.g. another vendor the service calls. */
  quiet(o: {
    service: string;
    vendor?: string;
    region?: string;
    codes: Code[];
    baseline?: number;
    from: number;
    until: number;
    endpoint?: string;
  }) {
    this.series.push({
      service: o.service,
      codes: o.codes,
      baseline: o.baseline ?? this.rng.uniform(0.1, 0.4),
      from: o.from,
      until: o.until,
      knots: [],
      ...(o.vendor ? { vendor: o.vendor } : {}),
      ...(o.region ? { region: o.region } : {}),
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    });
  }

  change(at: number, service: string, kind: ChangeOut['kind'], ref: string, description: string) {
    this.changes.push({ at: isoZ(at), service, kind, ref, description });
  }

  private incidentId(): string {
    let n = this.rng.int(1000, 9899);
    while (this.usedIds.has(n)) n++;
    this.usedIds.add(n);
    return `INC-${n}`;
  }

  /**
   * One of our incidents, opened `delay` minutes (3–15, random when absent) after `onset`, the first
   * minute of its errors; `end` null while still open at the end of the history.
   */
  incident(o: {
    service: string;
    title: string;
    onset: number;
    delay?: number;
    end: number | null;
    regions?: string[];
    customers?: string[];
    expect: Verdict;
  }): { id: string; start: number } {
    const delay = o.delay ?? this.rng.int(3, 15);
    const start = this.at(o.onset, delay);
    const id = this.incidentId();
    this.incidents.push({
      id,
      service: o.service,
      title: o.title,
      startedAt: isoZ(start),
      resolvedAt: o.end === null ? null : isoZ(o.end),
      regions: o.regions ?? [],
      customers: o.customers ?? [],
      onset: o.onset,
    });
    this.expect[id] = o.expect;
    return { id, start };
  }

  suspects(list: { vendor: string; region?: string }[]) {
    this.suspected = list;
  }

  expectTop(incident: string, vendor: string) {
    this.top = { ...this.top, [incident]: vendor };
  }

  describe(text: string) {
    this.text = text.replace(/\s+/g, ' ').trim();
  }

  /** The scenario file's content, after the consistency checks. */
  build(): Record<string, unknown> {
    const errors = synthesize(this.series, this.rng, EVENT_BUDGET);
    this.check(errors);
    const out: Record<string, unknown> = {
      name: this.name,
      class: this.cls,
      description: this.text,
      expect: this.expect,
    };
    if (this.suspected !== undefined) out.suspectedExpected = this.suspected;
    if (this.top !== undefined) out.expectTop = this.top;
    out.services = this.services;
    out.vendors = [...this.vendors.values()];
    out.vendorIncidents = this.vendorIncidents;
    if (this.snapshots.length > 0) out.vendorSnapshots = this.snapshots;
    if (this.health.length > 0) out.vendorHealth = this.health;
    out.changes = this.changes.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    out.incidents = this.incidents.map(({ onset: _onset, ...i }) => i);
    out.errors = errors;
    return out;
  }

  private check(errors: ErrorEventOut[]) {
    const fail = (what: string) => {
      throw new Error(`${this.name}: ${what}`);
    };
    if (!this.text) fail('no description');
    if (this.incidents.length === 0) fail('no incident of ours');
    if (errors.length >= 300) fail(`${errors.length} error events (limit 300)`);
    const services = new Set(this.services.map((s) => s.name));
    const vendors = new Set(this.vendors.keys());
    for (const e of errors) {
      if (!services.has(e.service)) fail(`errors name undeclared service ${e.service}`);
      if (e.vendor && !vendors.has(e.vendor)) fail(`errors name undeclared vendor ${e.vendor}`);
      if (e.calls !== undefined && e.count !== undefined && e.calls < e.count)
        fail(`calls < count at ${e.at}`);
    }
    for (const s of this.services)
      for (const d of s.dependsOn)
        if (!vendors.has(d.vendor)) fail(`${s.name} depends on undeclared ${d.vendor}`);
    for (const c of this.changes) if (!services.has(c.service)) fail(`change of undeclared ${c.service}`);
    for (const i of this.incidents) {
      if (!services.has(i.service)) fail(`${i.id} on undeclared ${i.service}`);
      const start = Date.parse(i.startedAt);
      const lag = (start - i.onset) / MINUTE;
      if (lag < 3 || lag > 15) fail(`${i.id} opens ${lag} min after its errors (3–15 expected)`);
      const end = i.resolvedAt ? Date.parse(i.resolvedAt) : Infinity;
      if (end <= start) fail(`${i.id} resolves before it starts`);
      // Our incident overlaps raised errors: more errors in its first 30 minutes than a baseline gives.
      const during = errors
        .filter((e) => e.count !== undefined)
        .filter((e) => Date.parse(e.at) >= i.onset && Date.parse(e.at) < Math.min(end, start + 30 * MINUTE))
        .reduce((a, e) => a + e.count!, 0);
      if (during < 15) fail(`${i.id}: only ${during} errors from onset through its first 30 minutes`);
      const firstError = Math.min(...errors.map((e) => Date.parse(e.at)));
      if (i.onset - firstError < 45 * MINUTE) fail(`${i.id}: less than 45 minutes of history before onset`);
    }
    for (const v of this.vendorIncidents) {
      if (v.updates.length === 0) fail(`${v.id} has no updates`);
      if (v.resolvedAt && Date.parse(v.resolvedAt) < Date.parse(v.startedAt))
        fail(`${v.id} resolves before start`);
    }
    for (const s of this.snapshots) if (!vendors.has(s.vendor)) fail(`snapshot of undeclared ${s.vendor}`);
  }
}

/** Code lists for the stories. */
export const codes = {
  /** A vendor's 5xx as our client logs them, with the status the vendor answered. */
  server: [
    { code: 'HTTP_503', status: 503, weight: 4 },
    { code: 'HTTP_502', status: 502, weight: 2 },
    { code: 'HTTP_500', status: 500, weight: 1 },
  ],
  timeouts: [
    { code: 'ETIMEDOUT', weight: 4 },
    { code: 'UPSTREAM_TIMEOUT', weight: 2 },
    { code: 'HTTP_504', status: 504, weight: 1 },
  ],
  resets: [
    { code: 'ECONNRESET', weight: 3 },
    { code: 'ECONNREFUSED', weight: 2 },
    { code: 'SOCKET_HANG_UP', weight: 1 },
  ],
  /** What our own front logs when the failing hop is not named: ambiguous by itself. */
  untagged: [
    { code: 'HTTP_503', status: 503, weight: 4 },
    { code: 'TIMEOUT', weight: 2 },
    { code: 'HTTP_5XX', weight: 2 },
    { code: 'UPSTREAM_TIMEOUT', weight: 2 },
    { code: 'ECONNRESET', weight: 1 },
  ],
  /** The caller is wrong. */
  client: [
    { code: 'INVALID_CREDENTIALS', status: 401, weight: 3 },
    { code: 'BAD_REQUEST', status: 400, weight: 2 },
    { code: 'INVALID_PARAMETER', status: 422, weight: 2 },
  ],
} satisfies Record<string, Code[]>;

/** Shorthand for a spike's knots with this builder's randomness on the shape. */
export function shape(
  b: Builder,
  o: {
    onset: number;
    baseline: number;
    peak: number;
    minutes: number;
    ramp?: number;
    decay?: number;
    after?: number;
  },
): Knot[] {
  const ramp = o.ramp ?? b.rng.int(1, 3);
  const decay = o.decay ?? b.rng.int(4, 10);
  const hold = Math.max(1, o.minutes - ramp - decay);
  return [
    { at: o.onset, rate: o.baseline },
    { at: b.at(o.onset, ramp), rate: o.peak },
    { at: b.at(o.onset, ramp + hold * b.rng.uniform(0.3, 0.6)), rate: o.peak * b.rng.uniform(0.8, 1.2) },
    { at: b.at(o.onset, ramp + hold), rate: o.peak * b.rng.uniform(0.6, 1) },
    { at: b.at(o.onset, ramp + hold + decay), rate: o.after ?? o.baseline },
  ];
}

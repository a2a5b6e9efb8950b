import { describe, expect, test } from 'vitest';
import type { MinuteCounts } from '../src/core/detect/baseline.js';
import type { ErrorClass } from '../src/core/contracts.js';
import type { Series } from '../src/core/series.js';
import type { VendorIncident } from '../src/core/model.js';
import {
  evaluateSuspects,
  linkIncident,
  type InternalWideNote,
  type Suspect,
  type SuspectEvaluation,
} from '../src/core/detect/suspect.js';

const T0 = Math.floor(Date.parse('2024-04-04T19:00:00Z') / 60_000);
const iso = (minute: number) => new Date(minute * 60_000).toISOString();
/** ~2 errors a minute, never the same few minutes in a row. */
const flat = (i: number) => [1, 2, 3, 2, 2, 3, 1, 2, 2, 2][i % 10]!;

/** Per-minute buckets built the way the ingest worker lays them out. */
class Buckets {
  private readonly byMinute = new Map<number, Map<string, { series: Series; count: number }>>();

  add(
    minute: number,
    s: { service: string; vendor: string; region: string; code?: string; errorClass?: ErrorClass },
    count: number,
  ) {
    const series: Series = { code: 'HTTP_502', errorClass: 'server', ...s };
    const bucket = this.byMinute.get(minute) ?? new Map();
    const key = JSON.stringify(series);
    bucket.set(key, { series, count: (bucket.get(key)?.count ?? 0) + count });
    this.byMinute.set(minute, bucket);
  }

  private readonly callsByMinute = new Map<
    number,
    Array<{ service: string; vendor: string; region: string; calls: number }>
  >();

  /** Calls (failures included) one service made to one vendor that minute: a volume report. */
  addCalls(minute: number, c: { service: string; vendor: string; region: string; calls: number }) {
    const list = this.callsByMinute.get(minute) ?? [];
    list.push(c);
    this.callsByMinute.set(minute, list);
  }

  minutes(): MinuteCounts[] {
    const all = new Set([...this.byMinute.keys(), ...this.callsByMinute.keys()]);
    return [...all].map((minute) => ({
      minute,
      counts: [...(this.byMinute.get(minute)?.values() ?? [])],
      calls: this.callsByMinute.get(minute) ?? [],
    }));
  }
}

interface Step {
  judged: number;
  result: SuspectEvaluation;
}

/** Runs the detector once a minute (5 s past it) for judged minutes [from, to], carrying open suspects. */
function replay(
  buckets: Buckets,
  from: number,
  to: number,
  changes: Array<{ service: string; at: string }> = [],
): Step[] {
  let open: Suspect[] = [];
  const steps: Step[] = [];
  const minutes = buckets.minutes();
  for (let judged = from; judged <= to; judged++) {
    const now = new Date((judged + 1) * 60_000 + 5_000);
    const result = evaluateSuspects({ now, minutes, open, changes });
    const changed = new Set([...result.updated, ...result.closed].map((s) => s.id));
    open = [...open.filter((s) => !changed.has(s.id)), ...result.updated, ...result.opened];
    steps.push({ judged, result });
  }
  return steps;
}

const opened = (steps: Step[]) =>
  steps.flatMap((s) => s.result.opened.map((o) => ({ judged: s.judged, suspect: o })));
const closed = (steps: Step[]) =>
  steps.flatMap((s) => s.result.closed.map((c) => ({ judged: s.judged, suspect: c })));

/**
 * Two services in eu-west-1 call 100ms, Stripe and Twilio; each sees ~2 errors a minute per vendor.
 * `spike` raises chosen (service, vendor) pairs to `rate` for minutes [T0+60, T0+60+length).
 */
function scenario(options: {
  spike: Array<{ service: string; vendor: string; region?: string; code?: string; errorClass?: ErrorClass }>;
  rate?: number;
  length?: number;
  regions?: Record<string, string>;
}): Buckets {
  const buckets = new Buckets();
  const services = ['backstage', 'webinar'];
  const regions = options.regions ?? { backstage: 'eu-west-1', webinar: 'eu-west-1' };
  for (let i = 0; i < 100; i++) {
    for (const [k, service] of services.entries())
      for (const [v, vendor] of ['100ms', 'stripe', 'twilio'].entries())
        buckets.add(T0 + i, { service, vendor, region: regions[service]! }, flat(i + 3 * k + v));
  }
  const length = options.length ?? 12;
  for (let i = 60; i < 60 + length; i++)
    for (const s of options.spike)
      buckets.add(T0 + i, { region: regions[s.service] ?? 'eu-west-1', ...s }, options.rate ?? 80);
  return buckets;
}

const both100ms = [
  { service: 'backstage', vendor: '100ms' },
  { service: 'webinar', vendor: '100ms' },
];

describe('evaluateSuspects() on a replayed outage', () => {
  const steps = replay(scenario({ spike: both100ms }), T0 + 55, T0 + 90);

  test('opens one suspect at the second spiking minute, dated from the first', () => {
    const found = opened(steps);
    expect(found).toHaveLength(1);
    const { judged, suspect } = found[0]!;
    expect(judged).toBe(T0 + 61);
    expect(suspect).toMatchObject({
      vendor: '100ms',
      region: 'aws:eu-west-1',
      since: iso(T0 + 60),
      services: ['backstage', 'webinar'],
      rule: 'multi-service',
      detectedAt: new Date((T0 + 62) * 60_000 + 5_000).toISOString(),
      closedAt: null,
      vendorIncidentId: null,
    });
    expect(suspect.baselinePerMin).toBeGreaterThanOrEqual(3);
    expect(suspect.baselinePerMin).toBeLessThanOrEqual(5);
    expect(suspect.ratePerMin).toBeGreaterThanOrEqual(160);
    expect(suspect.ratio).toBeGreaterThan(30);
  });

  test('keeps it open through the spike and closes it dated from the first calm minute', () => {
    const found = closed(steps);
    expect(found).toHaveLength(1);
    // Spike minutes are T0+60..71; five calm minutes T0+72..76 close it.
    expect(found[0]!.judged).toBe(T0 + 76);
    expect(found[0]!.suspect).toMatchObject({ closedAt: iso(T0 + 72), lastSpikeAt: iso(T0 + 71) });
    expect(found[0]!.suspect.peakPerMin).toBeGreaterThanOrEqual(160);
    const updates = steps.filter((s) => s.judged > T0 + 61 && s.judged < T0 + 76);
    expect(updates.every((s) => s.result.updated.length === 1)).toBe(true);
  });

  test('a worker that missed the first minutes still dates the suspect from the first spiking minute', () => {
    const late = replay(scenario({ spike: both100ms }), T0 + 66, T0 + 66);
    expect(opened(late)[0]?.suspect.since).toBe(iso(T0 + 60));
  });

  test('services in eu-west-1 and eu-central-1 make one suspect for Europe', () => {
    const buckets = scenario({
      spike: both100ms,
      regions: { backstage: 'eu-west-1', webinar: 'eu-central-1' },
    });
    const found = opened(replay(buckets, T0 + 58, T0 + 64));
    expect(found.map((f) => [f.judged, f.suspect.region, f.suspect.services])).toEqual([
      [T0 + 61, 'macro:europe', ['backstage', 'webinar']],
    ]);
  });

  test('unclassified vendor codes count half', () => {
    const spike = both100ms.map((s) => ({ ...s, code: '1026', errorClass: 'unknown' as const }));
    const found = opened(replay(scenario({ spike }), T0 + 58, T0 + 64));
    expect(found).toHaveLength(1);
    const rate = found[0]!.suspect.ratePerMin - found[0]!.suspect.baselinePerMin;
    expect(rate).toBeGreaterThan(75);
    expect(rate).toBeLessThan(85);
  });
});

describe('evaluateSuspects() does not blame a vendor', () => {
  test('for client errors: 401s and invalid credentials say the caller is wrong', () => {
    const spike = [
      { service: 'backstage', vendor: '100ms', code: 'HTTP_401', errorClass: 'client' as const },
      { service: 'webinar', vendor: '100ms', code: 'INVALID_CREDENTIALS', errorClass: 'client' as const },
    ];
    expect(opened(replay(scenario({ spike }), T0 + 58, T0 + 80))).toEqual([]);
  });

  test('for a one-service spike until it has held five minutes (the higher single-service bar)', () => {
    const steps = replay(scenario({ spike: [{ service: 'backstage', vendor: '100ms' }] }), T0 + 58, T0 + 75);
    const found = opened(steps);
    expect(found).toHaveLength(1);
    expect(found[0]!.judged).toBe(T0 + 64);
    expect(found[0]!.suspect).toMatchObject({
      rule: 'single-service',
      services: ['backstage'],
      region: 'aws:eu-west-1',
      since: iso(T0 + 60),
    });
  });

  test('for a one-service spike that began right after that service changed', () => {
    const spike = [{ service: 'backstage', vendor: '100ms' }];
    const deploy = { service: 'backstage', at: iso(T0 + 52) };
    const steps = replay(scenario({ spike }), T0 + 58, T0 + 75, [deploy]);
    expect(opened(steps)).toEqual([]);
    expect(steps.flatMap((s) => s.result.heldForChange)[0]).toEqual({
      vendor: '100ms',
      region: 'aws:eu-west-1',
      service: 'backstage',
      changeAt: deploy.at,
    });
    // A change long before, another service's change, or a second service failing too: suspected.
    expect(
      opened(replay(scenario({ spike }), T0 + 58, T0 + 75, [{ ...deploy, at: iso(T0 + 25) }])),
    ).toHaveLength(1);
    expect(
      opened(replay(scenario({ spike }), T0 + 58, T0 + 75, [{ ...deploy, service: 'webinar' }])),
    ).toHaveLength(1);
    expect(opened(replay(scenario({ spike: both100ms }), T0 + 58, T0 + 75, [deploy]))[0]!.suspect.rule).toBe(
      'multi-service',
    );
  });

  test('for 429s while the calls that succeed run at twice their baseline or more: our own surge', () => {
    const limited = {
      service: 'backstage',
      vendor: '100ms',
      code: 'HTTP_429',
      errorClass: 'rate-limit' as const,
    };
    const withCalls = (
      spike: Array<typeof limited | { service: string; vendor: string }>,
      during: number,
    ) => {
      const buckets = scenario({ spike });
      for (let i = 0; i < 100; i++) {
        const calls = i >= 60 && i < 72 ? during : 1000 + (i % 7) * 10;
        buckets.addCalls(T0 + i, { service: 'backstage', vendor: '100ms', region: 'eu-west-1', calls });
      }
      return opened(replay(buckets, T0 + 58, T0 + 80));
    };
    // A broadcast: 3,000 calls a minute against 1,000, the extra ones answered 429.
    expect(withCalls([limited], 3000)).toEqual([]);
    // The same 429s with our calls at their usual rate: the vendor is limiting us harder than before.
    expect(withCalls([limited], 1000)).toHaveLength(1);
    // 5xx during a surge of ours still point at the vendor (it fails, it does not limit).
    expect(withCalls([{ service: 'backstage', vendor: '100ms' }], 3000)).toHaveLength(1);
    // Without volume reports nothing is known of our traffic: suspected as before.
    expect(opened(replay(scenario({ spike: [limited] }), T0 + 58, T0 + 80))).toHaveLength(1);
  });

  test('a low-volume service: a sustained rise of a few errors a minute is suspected; a burst, its usual rate or our egress is not', () => {
    // One service sends a few calls a minute: ~0.1 errors a minute for an hour, then ~3 for 15 minutes.
    const lowVolume = (rise: (k: number) => number, otherVendor?: (k: number) => number) => {
      const buckets = new Buckets();
      for (let i = 0; i < 100; i++) {
        const n = i >= 60 ? rise(i - 60) : i % 10 === 0 ? 1 : 0;
        if (n > 0) buckets.add(T0 + i, { service: 'login-api', vendor: 'twilio', region: 'us-east-1' }, n);
        const m = i >= 60 && otherVendor ? otherVendor(i - 60) : 0;
        if (m > 0) buckets.add(T0 + i, { service: 'login-api', vendor: 'sendgrid', region: 'us-east-1' }, m);
      }
      return buckets;
    };
    const rate = [2, 3, 4, 3, 2, 5, 3, 1, 3, 4, 2, 3, 3, 4, 2];
    const steady = lowVolume((k) => rate[k] ?? 0);
    const found = opened(replay(steady, T0 + 58, T0 + 80));
    expect(found).toHaveLength(1);
    expect(found[0]!.suspect).toMatchObject({
      rule: 'single-service',
      services: ['login-api'],
      since: iso(T0 + 60),
    });
    expect(found[0]!.judged).toBe(T0 + 67);
    // Kept open while the rise holds, though most of its minutes are under the per-minute calm level.
    const closedAt = closed(replay(steady, T0 + 58, T0 + 90))[0]?.suspect.closedAt ?? null;
    expect(closedAt === null || Date.parse(closedAt) >= Date.parse(iso(T0 + 72))).toBe(true);
    // 30 errors in three minutes, then quiet: a burst, not a sustained rise.
    expect(
      opened(
        replay(
          lowVolume((k) => (k < 3 ? 10 : 0)),
          T0 + 58,
          T0 + 80,
        ),
      ),
    ).toEqual([]);
    // One error a minute: above an hour of near silence, but under the 2/min floor.
    expect(
      opened(
        replay(
          lowVolume((k) => (k < 20 ? 1 : 0)),
          T0 + 58,
          T0 + 85,
        ),
      ),
    ).toEqual([]);
    // The same service failing toward another vendor in the same minutes: our egress, not twilio.
    expect(
      opened(
        replay(
          lowVolume(
            (k) => rate[k] ?? 0,
            (k) => rate[k] ?? 0,
          ),
          T0 + 58,
          T0 + 80,
        ),
      ),
    ).toEqual([]);
    // The same rise right after the service's own deploy: held for the change.
    const steps = replay(steady, T0 + 58, T0 + 80, [{ service: 'login-api', at: iso(T0 + 55) }]);
    expect(opened(steps)).toEqual([]);
    expect(new Set(steps.flatMap((s) => s.result.heldForChange).map((h) => h.service))).toEqual(
      new Set(['login-api']),
    );
  });

  test('for a one-service spike of three minutes at all', () => {
    const buckets = scenario({ spike: [{ service: 'backstage', vendor: '100ms' }], length: 3 });
    expect(opened(replay(buckets, T0 + 58, T0 + 75))).toEqual([]);
  });

  test('when calls to every vendor spike in the same minute: the common factor is us', () => {
    // Six services, two per vendor and one vendor each, so only the cross-vendor rule can explain it.
    const buckets = new Buckets();
    const pairs = [
      ['s1', '100ms'],
      ['s2', '100ms'],
      ['s3', 'stripe'],
      ['s4', 'stripe'],
      ['s5', 'twilio'],
      ['s6', 'twilio'],
    ] as const;
    for (let i = 0; i < 90; i++)
      for (const [k, [service, vendor]] of pairs.entries())
        buckets.add(T0 + i, { service, vendor, region: 'eu-west-1' }, i >= 60 && i < 72 ? 80 : flat(i + k));
    const steps = replay(buckets, T0 + 58, T0 + 85);
    expect(opened(steps)).toEqual([]);
    const notes: InternalWideNote[] = steps.find((s) => s.judged === T0 + 60)!.result.internalWide;
    expect(notes).toEqual([
      { minute: iso(T0 + 60), region: 'global', vendors: ['100ms', 'stripe', 'twilio'] },
    ]);
    expect(steps.find((s) => s.judged === T0 + 59)!.result.internalWide).toEqual([]);
  });

  test('when one service fails toward every vendor it calls: the service is the common factor', () => {
    const spike = ['100ms', 'stripe', 'twilio'].map((vendor) => ({ service: 'backstage', vendor }));
    expect(opened(replay(scenario({ spike }), T0 + 58, T0 + 80))).toEqual([]);
  });

  test('a spike on one vendor while the others stay at baseline is not internal-wide', () => {
    const steps = replay(scenario({ spike: both100ms }), T0 + 60, T0 + 61);
    expect(steps.every((s) => s.result.internalWide.length === 0)).toBe(true);
    expect(opened(steps).map((o) => o.suspect.vendor)).toEqual(['100ms']);
  });
});

describe('linkIncident()', () => {
  const since = iso(T0 + 60);
  const suspect: Suspect = {
    id: 'sus-100ms-x',
    vendor: '100ms',
    region: 'aws:eu-west-1',
    since,
    services: ['backstage', 'webinar'],
    rule: 'multi-service',
    ratePerMin: 160,
    baselinePerMin: 4,
    ratio: 40,
    peakPerMin: 162,
    detectedAt: iso(T0 + 62),
    updatedAt: iso(T0 + 62),
    lastSpikeAt: iso(T0 + 61),
    closedAt: null,
    vendorIncidentId: null,
    vendorPostedAt: null,
    ackLagMinutes: null,
    regionMatch: null,
  };
  const incident = (over: Partial<VendorIncident>): VendorIncident => ({
    vendor: '100ms',
    id: 'ww76zjqsj6j9',
    title: 'Recording failures in Europe',
    impact: 'major',
    status: 'investigating',
    kind: 'incident',
    startedAt: iso(T0 + 70),
    postedAt: iso(T0 + 85),
    updatedAt: iso(T0 + 85),
    resolvedAt: null,
    components: ['Recording'],
    regions: ['macro:europe'],
    updates: [],
    url: null,
    ...over,
  });

  test('a vendor post 25 minutes after our first errors records an ack lag of 25 minutes', () => {
    const d = linkIncident(suspect, incident({}));
    expect(d.linked).toBe(true);
    expect(d.suspect).toMatchObject({
      vendorIncidentId: 'ww76zjqsj6j9',
      vendorPostedAt: iso(T0 + 85),
      ackLagMinutes: 25,
      regionMatch: 'contains',
    });
  });

  test('an incident in a region that excludes ours does not link', () => {
    const d = linkIncident(suspect, incident({ regions: ['aws:us-east-1'] }));
    expect(d).toMatchObject({ linked: false, suspect });
    expect(d.reason).toMatch(/do not overlap/);
  });

  test('an incident naming no region links and says the region is unknown', () => {
    const d = linkIncident(suspect, incident({ regions: [] }));
    expect(d.linked).toBe(true);
    expect(d.suspect.regionMatch).toBe('unknown');
    expect(d.reason).toMatch(/no region/);
  });

  test('an incident starting more than an hour outside the window does not link', () => {
    expect(linkIncident(suspect, incident({ startedAt: iso(T0 - 1) })).linked).toBe(false);
    const closedSuspect = { ...suspect, closedAt: iso(T0 + 72) };
    expect(linkIncident(closedSuspect, incident({ startedAt: iso(T0 + 140) })).linked).toBe(false);
    expect(linkIncident(closedSuspect, incident({ startedAt: iso(T0 + 130) })).linked).toBe(true);
  });

  test('the earliest post wins, and another vendor or a maintenance never links', () => {
    const first = linkIncident(suspect, incident({})).suspect;
    expect(linkIncident(first, incident({ id: 'later', postedAt: iso(T0 + 95) })).linked).toBe(false);
    const earlier = linkIncident(first, incident({ id: 'earlier', postedAt: iso(T0 + 75) }));
    expect(earlier.suspect).toMatchObject({ vendorIncidentId: 'earlier', ackLagMinutes: 15 });
    expect(linkIncident(suspect, incident({ vendor: 'stripe' })).linked).toBe(false);
    expect(linkIncident(suspect, incident({ kind: 'maintenance' })).linked).toBe(false);
  });
});

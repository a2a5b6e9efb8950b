import { describe, expect, test } from 'vitest';
import type { BlindSpan } from '../src/core/correlate/types.js';
import type { Suspect } from '../src/core/detect/suspect.js';
import {
  computeDigest,
  type DigestInput,
  type DigestVendorInput,
  type OurIncidentInput,
} from '../src/core/digest/compute.js';
import type { CallsRow, ErrorRow } from '../src/core/digest/figures.js';
import { digestPeriod } from '../src/core/digest/period.js';
import { riskTrend } from '../src/core/digest/risk.js';
import { digestSchema, riskFormulaText } from '../src/core/digest/types.js';
import type { VendorIncident } from '../src/core/model.js';

// Every expected number below is worked out by hand in the comment beside it, from the inputs here.

const day = 86_400_000;
const minuteOf = (iso: string) => Date.parse(iso) / 60_000;

function incident(over: Partial<VendorIncident> & Pick<VendorIncident, 'id' | 'startedAt'>): VendorIncident {
  return {
    vendor: 'acme',
    title: `Incident ${over.id}`,
    impact: 'minor',
    status: 'resolved',
    kind: 'incident',
    postedAt: over.startedAt,
    updatedAt: over.startedAt,
    resolvedAt: null,
    components: [],
    regions: [],
    updates: [],
    url: `https://status.acme.test/incidents/${over.id}`,
    ...over,
  };
}

function suspect(over: Partial<Suspect> & Pick<Suspect, 'id' | 'since'>): Suspect {
  return {
    vendor: 'acme',
    region: 'eu',
    services: ['checkout'],
    rule: 'multi-service',
    ratePerMin: 20,
    baselinePerMin: 1,
    ratio: 20,
    peakPerMin: 30,
    detectedAt: over.since,
    updatedAt: over.since,
    lastSpikeAt: over.since,
    closedAt: null,
    vendorIncidentId: null,
    vendorPostedAt: null,
    ackLagMinutes: null,
    regionMatch: null,
    ...over,
  };
}

function vendor(
  over: Partial<DigestVendorInput> & Pick<DigestVendorInput, 'id' | 'name'>,
): DigestVendorInput {
  return {
    url: `https://status.${over.id}.test`,
    incidents: [],
    errors: [],
    calls: [],
    customers: { period: null, previous7: null, previous30: null },
    blindSpans: [],
    ...over,
  };
}

const err = (at: string, service: string, errorClass: ErrorRow['errorClass'], count: number): ErrorRow => ({
  minute: minuteOf(at),
  service,
  errorClass,
  count,
});
const calls = (at: string, service: string, n: number): CallsRow => ({
  minute: minuteOf(at),
  service,
  calls: n,
});

function ours(
  id: string,
  startedAt: string,
  resolvedAt: string | null,
  verdict: 'upstream' | 'unclear' | 'internal',
  topVendor: string,
): OurIncidentInput {
  return {
    incident: { id, title: `Ours ${id}`, service: 'checkout', startedAt, resolvedAt },
    annotation: {
      verdict,
      candidates: [
        { vendor: topVendor, vendorIncidentId: 'A', confidence: 0.8, evidence: [] },
        { vendor: 'zeta', confidence: 0.1, evidence: [] },
      ],
    },
  };
}

// The main day: 5 Apr 2026 in UTC, made at 06:00 the next morning. Previous 7 days: 29 Mar–4 Apr;
// previous 30: 6 Mar–4 Apr.
const period = digestPeriod('2026-04-05', 1, 'UTC');
const now = '2026-04-06T06:00:00.000Z';

const acme = vendor({
  id: 'acme',
  name: 'Acme',
  incidents: [
    // Period 00:00–01:30 = 90 min; previous 7 days 23:00–24:00 = 60 min.
    incident({
      id: 'A',
      impact: 'major',
      startedAt: '2026-04-04T23:00:00Z',
      resolvedAt: '2026-04-05T01:30:00Z',
    }),
    // Still open: runs to now, clipped at the period's end: 23:30–24:00 = 30 min.
    incident({ id: 'B', impact: 'critical', status: 'investigating', startedAt: '2026-04-05T23:30:00Z' }),
    // Maintenance, 02:00–04:00 = 120 min: counted apart, weighs nothing.
    incident({
      id: 'M',
      kind: 'maintenance',
      impact: 'none',
      startedAt: '2026-04-05T02:00:00Z',
      resolvedAt: '2026-04-05T04:00:00Z',
    }),
    // After the period: not in it.
    incident({ id: 'C', startedAt: '2026-04-06T01:00:00Z', resolvedAt: '2026-04-06T02:00:00Z' }),
    // Ends exactly when the period starts: previous 7 days only, 22:00–24:00 = 120 min (minor).
    incident({ id: 'D', startedAt: '2026-04-04T22:00:00Z', resolvedAt: '2026-04-05T00:00:00Z' }),
  ],
  errors: [
    err('2026-04-05T00:10:00Z', 'checkout', 'server', 5), // inside A
    err('2026-04-05T00:10:00Z', 'checkout', 'client', 7), // client: left out
    err('2026-04-05T00:11:00Z', 'api', 'timeout', 3), // inside A
    err('2026-04-05T12:00:00Z', 'api', 'server', 2), // inside nothing
    err('2026-04-05T13:05:00Z', 'checkout', 'server', 4), // inside suspect s1 (13:00–13:30)
    err('2026-04-05T20:00:00Z', 'api', 'client', 9), // client only: not an error-minute
    err('2026-04-01T10:00:00Z', 'api', 'server', 7), // previous 7 (and 30) days
    err('2026-03-10T10:00:00Z', 'api', 'server', 3), // previous 30 days only
  ],
  calls: [calls('2026-04-05T00:10:00Z', 'checkout', 100), calls('2026-04-05T12:00:00Z', 'api', 50)],
  customers: { period: 3, previous7: 14, previous30: 30 },
  blindSpans: [
    // Clipped at the period's start: 00:00–00:20 = 20 min; 10 min in the previous days.
    { vendor: 'acme', since: '2026-04-04T23:50:00Z', until: '2026-04-05T00:20:00Z', reason: 'HTTP 503' },
    // Still open at `now`: runs to the period's end, 23:00–24:00 = 60 min.
    { vendor: 'acme', since: '2026-04-05T23:00:00Z', until: null, reason: 'timeout after 10 s' },
  ] satisfies BlindSpan[],
});

const suspects: Suspect[] = [
  suspect({
    id: 's1',
    since: '2026-04-05T13:00:00.000Z',
    closedAt: '2026-04-05T13:30:00.000Z',
    vendorIncidentId: 'B',
    vendorPostedAt: '2026-04-05T13:20:00.000Z',
    ackLagMinutes: 20,
  }),
  suspect({
    id: 's2',
    since: '2026-04-05T15:00:00.000Z',
    closedAt: '2026-04-05T15:10:00.000Z',
    vendorIncidentId: 'gone',
    vendorPostedAt: '2026-04-05T15:40:00.000Z',
    ackLagMinutes: 40,
  }),
  suspect({
    id: 's3',
    vendor: 'ACME',
    region: 'us',
    since: '2026-04-05T16:00:00.000Z',
    closedAt: '2026-04-05T16:20:00.000Z',
    vendorIncidentId: 'A',
    vendorPostedAt: '2026-04-05T16:05:00.000Z',
    ackLagMinutes: 5,
  }),
  suspect({ id: 's4', region: 'us', since: '2026-04-05T18:00:00.000Z', services: ['api', 'checkout'] }),
  suspect({ id: 's5', since: '2026-04-02T10:00:00.000Z', closedAt: '2026-04-02T10:30:00.000Z' }),
  suspect({ id: 'other', vendor: 'zeta', since: '2026-04-05T01:00:00.000Z' }),
];

const ourIncidents: OurIncidentInput[] = [
  ours('inc/1', '2026-04-05T00:05:00.000Z', '2026-04-05T00:40:00.000Z', 'upstream', 'ACME'),
  ours('inc-2', '2026-04-05T03:00:00.000Z', null, 'unclear', 'acme'),
  ours('inc-3', '2026-04-05T04:00:00.000Z', '2026-04-05T05:00:00.000Z', 'upstream', 'zeta'),
  ours('inc-4', '2026-04-02T04:00:00.000Z', '2026-04-02T05:00:00.000Z', 'upstream', 'acme'),
  {
    incident: {
      id: 'inc-5',
      title: '',
      service: 'x',
      startedAt: '2026-04-05T06:00:00.000Z',
      resolvedAt: null,
    },
    annotation: null,
  },
];

const mainInput: DigestInput = {
  period,
  now,
  vendors: [
    acme,
    vendor({ id: 'quietco', name: 'QuietCo' }),
    vendor({
      id: 'beta',
      name: 'Beta',
      incidents: [
        incident({
          id: 'bm',
          vendor: 'beta',
          kind: 'maintenance',
          startedAt: '2026-04-05T08:00:00Z',
          resolvedAt: '2026-04-05T09:00:00Z',
        }),
      ],
    }),
    vendor({
      id: 'gamma',
      name: 'Gamma',
      incidents: [
        incident({
          id: 'g1',
          vendor: 'gamma',
          startedAt: '2026-04-05T10:00:00Z',
          resolvedAt: '2026-04-05T11:00:00Z',
        }),
      ],
    }),
    vendor({
      id: 'delta',
      name: 'Delta',
      incidents: [
        incident({
          id: 'd1',
          vendor: 'delta',
          startedAt: '2026-04-05T10:00:00Z',
          resolvedAt: '2026-04-05T11:00:00Z',
        }),
        // 30 Mar 00:00 to 31 Mar 11:00 = 35 h = 2100 min, critical, in the previous 7 days.
        incident({
          id: 'd0',
          vendor: 'delta',
          impact: 'critical',
          startedAt: '2026-03-30T00:00:00Z',
          resolvedAt: '2026-03-31T11:00:00Z',
        }),
      ],
    }),
    vendor({ id: 'aardvark', name: 'Aardvark' }),
  ],
  ourIncidents,
  suspects,
  consoleUrl: 'https://console.example',
  retentionMs: 30 * day,
};

describe('computeDigest()', () => {
  const digest = computeDigest(mainInput);
  const a = digest.vendors.find((v) => v.id === 'acme')!;

  test('is a valid digest', () => {
    expect(digestSchema.parse(digest)).toEqual(digest);
    expect(digest.riskFormula).toBe(riskFormulaText);
    expect(digest.generatedAt).toBe(now);
    expect(digest.consoleUrl).toBe('https://console.example');
  });

  test('clips incidents at the period edges and keeps maintenance apart', () => {
    expect(a.period.incidents).toBe(2); // A and B; C after, D ends at the start, M is maintenance
    expect(a.period.byImpact).toEqual({ critical: 1, major: 1, minor: 0, none: 0, unknown: 0 });
    expect(a.period.incidentMinutes).toBe(120); // 90 (A) + 30 (B)
    expect(a.period.maintenance).toBe(1);
    expect(a.period.maintenanceMinutes).toBe(120);
    expect(a.incidents.map((i) => [i.id, i.kind, i.minutes])).toEqual([
      ['A', 'incident', 90],
      ['M', 'maintenance', 120],
      ['B', 'incident', 30],
    ]);
  });

  test('leaves client errors out and tells attributable error-minutes from all of them', () => {
    expect(a.period.errorMinutes).toBe(4); // 00:10, 00:11, 12:00, 13:05 (20:00 had client errors only)
    expect(a.period.attributableErrorMinutes).toBe(3); // 00:10, 00:11 in A; 13:05 in s1
    expect(a.period.failedCalls).toBe(14); // 5 + 3 + 2 + 4
    expect(a.period.calls).toBe(150); // 100 + 50
    expect(a.period.errorRatio).toBe(14 / 150);
    expect(a.period.customers).toBe(3);
    expect(a.services).toEqual([
      { service: 'checkout', failedCalls: 9 }, // 5 + 4
      { service: 'api', failedCalls: 5 }, // 3 + 2
    ]);
    const hours = Array.from({ length: 24 }, () => 0);
    hours[0] = 8; // 5 + 3
    hours[12] = 2;
    hours[13] = 4;
    expect(a.hourlyFailedCalls).toEqual(hours);
  });

  test('counts suspects and acknowledgment lag: median, worst and per region', () => {
    expect(a.period.suspected).toBe(4); // s1–s4 (s5 is earlier, "other" is another vendor)
    expect(a.period.unposted).toBe(1); // s4
    expect(a.period.ackLagMedianMinutes).toBe(20); // median of 20, 40, 5
    expect(a.period.ackLagWorstMinutes).toBe(40);
    expect(a.ackLag.byRegion).toEqual([
      { region: 'eu', cases: 2, medianMinutes: 30, worstMinutes: 40 }, // 20 and 40
      { region: 'us', cases: 1, medianMinutes: 5, worstMinutes: 5 },
    ]);
    expect(a.ackLag.cases.map((c) => [c.suspect, c.lagMinutes, c.vendorIncidentTitle, c.url])).toEqual([
      ['s1', 20, 'Incident B', 'https://status.acme.test/incidents/B'],
      ['s2', 40, null, null], // its vendor incident is not stored
      ['s3', 5, 'Incident A', 'https://status.acme.test/incidents/A'],
    ]);
    expect(a.unposted).toEqual([
      {
        suspect: 's4',
        region: 'us',
        services: ['api', 'checkout'],
        since: '2026-04-05T18:00:00.000Z',
        closedAt: null,
        peakPerMin: 30,
        baselinePerMin: 1,
      },
    ]);
  });

  test('clips unreadable spans to the period, an open one running until the period ends', () => {
    expect(a.period.unreadableMinutes).toBe(80); // 20 + 60
    expect(a.unreadable).toEqual([
      {
        since: '2026-04-05T00:00:00.000Z',
        until: '2026-04-05T00:20:00.000Z',
        minutes: 20,
        reason: 'HTTP 503',
      },
      {
        since: '2026-04-05T23:00:00.000Z',
        until: '2026-04-06T00:00:00.000Z',
        minutes: 60,
        reason: 'timeout after 10 s',
      },
    ]);
  });

  test('explained: only our incidents whose latest verdict is upstream with this vendor on top', () => {
    expect(a.period.explained).toBe(1); // inc/1; inc-2 unclear, inc-3 another vendor, inc-4 earlier
    expect(a.explained).toEqual([
      {
        id: 'inc/1',
        title: 'Ours inc/1',
        service: 'checkout',
        startedAt: '2026-04-05T00:05:00.000Z',
        confidence: 0.8,
        vendorIncidentId: 'A',
        link: 'https://console.example/incidents/inc%2F1',
      },
    ]);
  });

  test('risk follows the formula, and the previous days are scaled to the period', () => {
    // 10×1 + 3/10 + 5×1 + 40/10 + (90×0.5 + 30×1)/60 + 80/60 = 10 + 0.3 + 5 + 4 + 1.25 + 1.333 = 21.88
    expect(a.period.risk).toBe(21.9);
    // Previous 7 days, each count ÷ 7: incidents A (60 min major) and D (120 min minor): 2/7 = 0.29;
    // 180/7 = 25.71 min; inc-4 explained 1/7; error-minute 04-01 10:00 (7 calls); s5 unposted;
    // 10 blind minutes; 14 customers.
    expect(a.previous7).toEqual({
      incidents: 0.3,
      byImpact: { critical: 0, major: 0.1, minor: 0.1, none: 0, unknown: 0 },
      incidentMinutes: 25.7,
      maintenance: 0,
      maintenanceMinutes: 0,
      explained: 0.1,
      errorMinutes: 0.1,
      attributableErrorMinutes: 0,
      failedCalls: 1, // 7/7
      calls: null,
      errorRatio: null,
      customers: 2, // 14/7
      suspected: 0.1,
      unposted: 0.1,
      ackLagMedianMinutes: null,
      ackLagWorstMinutes: null,
      unreadableMinutes: 1.4, // 10/7
      // (10 + 5 + (60×0.5 + 120×0.25)/60 + 10/60) / 7 = (15 + 1 + 0.1667)/7 = 2.31
      risk: 2.3,
    });
    // Previous 30 days ÷ 30: the same plus 3 failed calls on 10 Mar: 2 error-minutes, 10 calls.
    expect(a.previous30).toMatchObject({
      incidents: 0.1, // 2/30 = 0.067
      byImpact: { critical: 0, major: 0, minor: 0, none: 0, unknown: 0 },
      incidentMinutes: 6, // 180/30
      explained: 0, // 1/30 = 0.033
      errorMinutes: 0.1, // 2/30
      failedCalls: 0.3, // 10/30
      customers: 1, // 30/30
      unreadableMinutes: 0.3, // 10/30
      risk: 0.5, // 16.1667/30 = 0.54
    });
    expect(a.trend).toBe('up'); // 21.9 − 1.25 × 2.3 ≥ 1
  });

  test('trend: new when the previous 30 days scored 0, down when well below the previous 7 days', () => {
    const gamma = digest.vendors.find((v) => v.id === 'gamma')!;
    expect(gamma.period.risk).toBe(0.3); // 60 min minor: 60 × 0.25 / 60 = 0.25
    expect(gamma.trend).toBe('new');
    const delta = digest.vendors.find((v) => v.id === 'delta')!;
    expect(delta.previous7.risk).toBe(5); // 2100 min critical / 7 / 60
    expect(delta.previous30.risk).toBe(1.2); // 2100 / 30 / 60 = 1.17
    expect(delta.trend).toBe('down'); // 0.8 × 5 − 0.3 = 3.7 ≥ 1
    const beta = digest.vendors.find((v) => v.id === 'beta')!;
    expect(beta.period.risk).toBe(0); // maintenance only
    expect(beta.trend).toBe('flat'); // nothing before and nothing now is not "new"
  });

  test('riskTrend() at its edges', () => {
    expect(riskTrend(5, 2, 3)).toBe('up'); // 5 − 2.5 = 2.5
    expect(riskTrend(2.2, 1.6, 1)).toBe('flat'); // above 1.25 × 1.6 = 2 but only by 0.2
    expect(riskTrend(3, 1.6, 1)).toBe('up'); // 3 − 2 = 1 exactly
    expect(riskTrend(1, 10, 10)).toBe('down'); // 8 − 1 = 7
    expect(riskTrend(7.4, 10, 10)).toBe('flat'); // 8 − 7.4 = 0.6
    expect(riskTrend(3, 0, 0)).toBe('new');
    expect(riskTrend(0, 0, 0)).toBe('flat');
  });

  test('quiet vendors collapse; the rest go by risk, then name', () => {
    expect(digest.vendors.map((v) => [v.id, v.period.risk])).toEqual([
      ['acme', 21.9],
      ['delta', 0.3],
      ['gamma', 0.3],
      ['beta', 0],
    ]);
    expect(digest.quiet).toEqual([
      { id: 'aardvark', name: 'Aardvark' },
      { id: 'quietco', name: 'QuietCo' },
    ]);
    expect(digest.totals).toEqual({
      vendors: 4,
      incidents: 4, // acme 2, gamma 1, delta 1
      explained: 1,
      errorMinutes: 4,
      attributableErrorMinutes: 3,
      unposted: 1,
      unreadableMinutes: 80,
    });
  });

  test('notes the comparison days past the error retention, naming the date', () => {
    // now − 30 days = 2026-03-07T06:00Z; the previous 30 days start on 6 Mar.
    expect(digest.notes).toEqual([
      'Our error data before 2026-03-07 has expired (kept 30 days): error figures for the previous 30 days count only what is left.',
    ]);
    const early = computeDigest({ ...mainInput, now: '2026-04-05T12:00:00.000Z', retentionMs: 90 * day });
    expect(early.notes).toEqual([
      'The period is not over yet (generated at 2026-04-05T12:00:00.000Z): its figures are partial.',
    ]);
  });

  test('no console URL: no links', () => {
    const plain = computeDigest({ ...mainInput, consoleUrl: null });
    expect(plain.vendors.find((v) => v.id === 'acme')!.explained[0]!.link).toBeNull();
  });
});

describe('computeDigest() in a time zone other than UTC', () => {
  test('an incident the vendor left open counts until 48 h after its last word, not for ever', () => {
    const digest = computeDigest({
      ...mainInput,
      vendors: [
        vendor({
          id: 'acme',
          name: 'Acme',
          incidents: [
            // Open since 1 Mar, last updated 3 Apr 12:00: counts until 5 Apr 12:00, 720 min of the day.
            incident({
              id: 'left',
              impact: 'major',
              status: 'investigating',
              startedAt: '2026-03-01T00:00:00Z',
              updatedAt: '2026-04-03T12:00:00Z',
            }),
            // Open and silent since 10 Mar: over by 12 Mar, nothing in the day.
            incident({ id: 'forgotten', status: 'investigating', startedAt: '2026-03-10T00:00:00Z' }),
          ],
        }),
      ],
    });
    const acme = digest.vendors.find((v) => v.id === 'acme')!;
    expect(acme.incidents.map((i) => [i.id, i.minutes])).toEqual([['left', 720]]);
    expect(acme.period.incidentMinutes).toBe(720);
    // Previous 7 days (29 Mar–4 Apr): 'left' ran all 7 days (7 × 1440), a daily average of 1440.
    expect(acme.previous7.incidentMinutes).toBe(1440);
  });

  test('America/New_York on the day clocks go forward: a 23-hour day', () => {
    const ny = digestPeriod('2026-03-08', 1, 'America/New_York');
    // EST (−5) at the start, EDT (−4) at the end.
    expect([ny.from, ny.to]).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    const digest = computeDigest({
      period: ny,
      now: '2026-03-09T12:00:00.000Z',
      vendors: [
        vendor({
          id: 'acme',
          name: 'Acme',
          incidents: [
            // 04:00–06:00Z: 05:00–06:00 in the day (60 min), 04:00–05:00 the evening before.
            incident({
              id: 'x',
              impact: 'major',
              startedAt: '2026-03-08T04:00:00Z',
              resolvedAt: '2026-03-08T06:00:00Z',
            }),
          ],
          errors: [
            err('2026-03-08T04:59:00Z', 'api', 'server', 2), // 23:59 on 7 Mar local: the day before
            err('2026-03-08T05:00:00Z', 'api', 'server', 1), // 00:00 local: hour 0
            err('2026-03-08T08:30:00Z', 'api', 'server', 6), // 04:30 EDT local, 3.5 h in: hour 3
            err('2026-03-09T03:59:00Z', 'api', 'server', 4), // 23:59 EDT: the last hour, 22
            err('2026-03-09T04:00:00Z', 'api', 'server', 8), // midnight of 9 Mar: the next day
          ],
        }),
      ],
      ourIncidents: [],
      suspects: [],
      consoleUrl: null,
      retentionMs: 30 * day,
    });
    const a = digest.vendors[0]!;
    expect(a.hourlyFailedCalls).toHaveLength(23);
    expect(a.hourlyFailedCalls[0]).toBe(1);
    expect(a.hourlyFailedCalls[3]).toBe(6);
    expect(a.hourlyFailedCalls[22]).toBe(4);
    expect(a.period.failedCalls).toBe(11); // 1 + 6 + 4
    expect(a.period.errorMinutes).toBe(3);
    expect(a.period.attributableErrorMinutes).toBe(1); // 05:00Z inside x
    expect(a.period.incidentMinutes).toBe(60);
    // The previous 7 days are 1 Mar 05:00Z to 8 Mar 05:00Z: they hold the 04:59Z minute and 60 min of x.
    expect(a.previous7.errorMinutes).toBe(0.1); // 1/7
    expect(a.previous7.failedCalls).toBe(0.3); // 2/7
    expect(a.previous7.incidentMinutes).toBe(8.6); // 60/7
  });

  test('Asia/Kolkata: the day starts at 18:30 UTC', () => {
    const kol = digestPeriod('2026-04-05', 1, 'Asia/Kolkata');
    expect([kol.from, kol.to]).toEqual(['2026-04-04T18:30:00.000Z', '2026-04-05T18:30:00.000Z']);
    const digest = computeDigest({
      period: kol,
      now: '2026-04-06T00:00:00.000Z',
      vendors: [
        vendor({
          id: 'acme',
          name: 'Acme',
          errors: [
            err('2026-04-04T18:29:00Z', 'api', 'server', 5), // 23:59 on 4 Apr local
            err('2026-04-04T18:30:00Z', 'api', 'server', 1), // 00:00 local: hour 0
            err('2026-04-05T18:29:00Z', 'api', 'network', 2), // 23:59 local: hour 23
          ],
        }),
      ],
      ourIncidents: [],
      suspects: [],
      consoleUrl: null,
      retentionMs: 30 * day,
    });
    const a = digest.vendors[0]!;
    expect(a.hourlyFailedCalls).toHaveLength(24);
    expect([a.hourlyFailedCalls[0], a.hourlyFailedCalls[23]]).toEqual([1, 2]);
    expect(a.period.failedCalls).toBe(3);
    expect(a.previous7.failedCalls).toBe(0.7); // 5/7
  });
});

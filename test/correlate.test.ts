import { describe, expect, test } from 'vitest';
import { classifyError, type ChangeEvent, type InternalIncident } from '../src/core/contracts.js';
import { minuteOf } from '../src/core/series.js';
import type { VendorIncident } from '../src/core/model.js';
import { correlate, CorrelationInputError, SCORING } from '../src/core/correlate/score.js';
import type {
  CallCount,
  CorrelationInput,
  MinuteCount,
  ServiceSpec,
  SuspectedIssue,
} from '../src/core/correlate/types.js';

// Scenarios are built in code from the seed postmortems' shapes; times are UTC on 2024-04-04.
const at = (hhmm: string): string => `2024-04-04T${hhmm}:00.000Z`;

function errors(
  service: string,
  vendor: string,
  region: string,
  code: string,
  from: string,
  to: string,
  perMin: number,
): MinuteCount[] {
  const status = /^HTTP_(\d{3})$/.exec(code);
  const errorClass = classifyError(status ? { status: Number(status[1]) } : { code });
  const out: MinuteCount[] = [];
  for (let m = minuteOf(at(from)); m <= minuteOf(at(to)); m++) {
    out.push({ minute: m, series: { service, vendor, region, code, errorClass }, count: perMin });
  }
  return out;
}

function vendorIncident(
  over: Partial<VendorIncident> & Pick<VendorIncident, 'vendor' | 'id'>,
): VendorIncident {
  const postedAt = over.postedAt ?? at('20:58');
  return {
    title: 'Recording failures in Europe',
    impact: 'major',
    status: 'investigating',
    kind: 'incident',
    startedAt: postedAt,
    postedAt,
    updatedAt: postedAt,
    resolvedAt: null,
    components: [],
    regions: [],
    updates: [{ at: postedAt, status: 'investigating', body: 'We are investigating.' }],
    url: null,
    ...over,
  };
}

const backstage: ServiceSpec = {
  name: 'backstage',
  regions: ['eu-west-1'],
  dependsOn: [
    { vendor: '100ms', components: ['Recording', 'RTMP Streaming'] },
    { vendor: 'twilio', components: ['SMS'] },
  ],
};

function incident(over: Partial<InternalIncident> = {}): InternalIncident {
  return {
    id: 'INC-4211',
    service: 'backstage',
    title: 'Go Live button resets',
    startedAt: at('20:50'),
    resolvedAt: null,
    regions: [],
    customers: ['acme'],
    ...over,
  };
}

function input(over: Partial<CorrelationInput> = {}): CorrelationInput {
  const service = over.service ?? backstage;
  return {
    now: new Date(at('21:00')),
    incident: incident(),
    service,
    services: [service],
    vendorIncidents: [],
    suspects: [],
    errors: [],
    changes: [],
    ...over,
  };
}

/** A quiet baseline of 3 5xx/min on backstage→100ms, and the outage from 20:47. */
const swapcardErrors = [
  ...errors('backstage', '100ms', 'eu-west-1', 'HTTP_502', '19:15', '20:46', 3),
  ...errors('backstage', '100ms', 'eu-west-1', 'HTTP_502', '20:47', '21:00', 30),
  ...errors('backstage', 'twilio', 'eu-west-1', 'HTTP_500', '19:15', '21:00', 1),
];

const recordingEurope = vendorIncident({
  vendor: '100ms',
  id: 'ww76zjqsj6j9',
  components: ['Recording & Streaming (EU)'],
  regions: ['macro:europe'],
  regionEvidence: [{ id: 'macro:europe', raw: 'Europe', from: 'title' }],
});

describe('correlate(): vendor incidents', () => {
  test('the Swapcard shape (100ms Recording in Europe, our 5xx on 100ms from eu-west-1) is upstream with numbers', () => {
    const result = correlate(input({ vendorIncidents: [recordingEurope], errors: swapcardErrors }));
    expect(result.verdict).toBe('upstream');
    const top = result.candidates[0]!;
    expect(top).toMatchObject({ vendor: '100ms', vendorIncidentId: 'ww76zjqsj6j9' });
    expect(top.confidence).toBeGreaterThanOrEqual(0.9);
    const text = top.evidence.join(' | ');
    expect(text).toContain(
      "100ms 'Recording failures in Europe' posted 20:58 UTC, 11 min after our first error on 100ms (20:47 UTC)",
    );
    expect(text).toContain('regions match (Europe ⊃ eu-west-1)');
    expect(text).toContain("components match: 'Recording & Streaming (EU)' (our 'Recording')");
    expect(text).toMatch(
      /420 errors from backstage→100ms in eu-west-1 .* vs a baseline of 3\/min: 30\/min, ×10/,
    );
  });

  test('a vendor incident scoped to customers in another region, with our calls healthy, is ruled out', () => {
    const us = vendorIncident({
      vendor: '100ms',
      id: 'us1',
      title: 'Recording failures for customers in US East',
      components: ['Recording & Streaming (US)'],
      regions: ['country:us'],
      regionEvidence: [{ id: 'country:us', raw: 'US East', from: 'title' }],
    });
    const healthy = errors('backstage', '100ms', 'eu-west-1', 'HTTP_502', '19:20', '21:00', 0.2);
    const result = correlate(input({ vendorIncidents: [us], errors: healthy }));
    expect(result.verdict).toBe('internal');
    const candidate = result.candidates.find((c) => c.vendorIncidentId === 'us1')!;
    expect(candidate.confidence).toBeLessThanOrEqual(SCORING.vetoCap);
    expect(candidate.evidence.join(' ')).toContain(
      'regions differ: 100ms scopes customer impact to US East, we are in eu-west-1, and our calls to it stay healthy',
    );
  });

  test('a region mismatch does not veto when our errors on the vendor spike strongly at the same time', () => {
    const us = vendorIncident({
      vendor: '100ms',
      id: 'us1',
      title: 'Recording failures in US East',
      components: ['Recording & Streaming (US)'],
      regions: ['country:us'],
      regionEvidence: [{ id: 'country:us', raw: 'US East', from: 'title' }],
    });
    const result = correlate(input({ vendorIncidents: [us], errors: swapcardErrors }));
    const candidate = result.candidates.find((c) => c.vendorIncidentId === 'us1')!;
    expect(candidate.evidence.join(' ')).toContain(
      'regions differ: 100ms names US East, we are in eu-west-1',
    );
    expect(candidate.confidence).toBeGreaterThan(SCORING.vetoCap);
    expect(result.verdict).toBe('upstream');
  });

  test("a vendor's own datacenter elsewhere weighs only a little against it", () => {
    const sjc = vendorIncident({
      vendor: '100ms',
      id: 'sjc',
      title: 'Recording failures in the SJC datacenter',
      regions: ['site:sjc'],
      regionEvidence: [{ id: 'site:sjc', raw: 'SJC', from: 'title' }],
    });
    const result = correlate(input({ vendorIncidents: [sjc], errors: swapcardErrors }));
    const candidate = result.candidates.find((c) => c.vendorIncidentId === 'sjc')!;
    expect(candidate.evidence.join(' ')).toContain("100ms's trouble is in its own SJC infrastructure");
    expect(result.verdict).toBe('upstream');
  });

  test('a vendor incident on a component we do not use is ruled out', () => {
    const dashboard = vendorIncident({
      vendor: '100ms',
      id: 'dash',
      title: 'Dashboard slow in Europe',
      components: ['Dashboard'],
      regions: ['macro:europe'],
    });
    const result = correlate(input({ vendorIncidents: [dashboard] }));
    expect(result.verdict).toBe('internal');
    const candidate = result.candidates.find((c) => c.vendorIncidentId === 'dash')!;
    expect(candidate.confidence).toBeLessThanOrEqual(SCORING.vetoCap);
    expect(candidate.evidence.join(' ')).toContain("not a component we use: 100ms names 'Dashboard'");
  });

  test('a vendor incident that started 3 h after ours is not upstream', () => {
    const late = vendorIncident({
      vendor: '100ms',
      id: 'late',
      startedAt: at('23:50'),
      postedAt: at('23:50'),
      components: ['Recording & Streaming (EU)'],
      regions: ['macro:europe'],
    });
    const result = correlate(
      input({ now: new Date(at('23:59')), vendorIncidents: [late], errors: swapcardErrors }),
    );
    expect(result.verdict).not.toBe('upstream');
    const text = result.candidates.find((c) => c.vendorIncidentId === 'late')!.evidence.join(' ');
    expect(text).toContain(
      'started 23:50 UTC, 3 h 3 min after our first error on 100ms (20:47 UTC): too late',
    );
  });

  test('a vendor incident posted after we closed ours, stating its window in prose, is upstream', () => {
    const retro = vendorIncident({
      vendor: '100ms',
      id: 'retro',
      title: 'Recording failures',
      impact: 'none',
      status: 'resolved',
      startedAt: at('23:40'),
      postedAt: at('23:40'),
      resolvedAt: at('23:40'),
      components: ['Recording & Streaming (EU)'],
      regions: ['macro:europe'],
      updates: [
        {
          at: at('23:40'),
          status: 'resolved',
          body: 'Recordings failed in Europe from 20:45 UTC to 21:15 UTC.',
        },
      ],
    });
    const result = correlate(
      input({
        now: new Date(at('23:41')),
        incident: incident({ resolvedAt: at('21:10') }),
        vendorIncidents: [retro],
        errors: swapcardErrors.filter((e) => e.minute <= minuteOf(at('21:10'))),
      }),
    );
    expect(result.verdict).toBe('upstream');
    expect(result.candidates[0]!.evidence[0]).toContain('stating impact 20:45–21:15 UTC');
  });

  test('a vendor incident not yet posted at now is not known', () => {
    const result = correlate(
      input({ now: new Date(at('20:55')), vendorIncidents: [recordingEurope], errors: swapcardErrors }),
    );
    expect(result.candidates.some((c) => c.vendorIncidentId === 'ww76zjqsj6j9')).toBe(false);
    expect(result.candidates[0]?.evidence.join(' ')).not.toContain('Recording failures in Europe');
  });

  test("impact 'none' weighs less than major and, without our errors confirming, is not upstream", () => {
    const none = { ...recordingEurope, impact: 'none' as const, regions: [], regionEvidence: [] };
    const major = { ...none, impact: 'major' as const };
    const baseline = errors('backstage', '100ms', 'eu-west-1', 'HTTP_502', '19:15', '21:00', 3);
    const weak = correlate(input({ vendorIncidents: [none], errors: baseline }));
    const strong = correlate(input({ vendorIncidents: [major], errors: baseline }));
    expect(weak.verdict).not.toBe('upstream');
    expect(weak.candidates[0]!.confidence).toBeLessThan(strong.candidates[0]!.confidence);
    expect(weak.candidates[0]!.evidence).toContain("100ms rates its impact 'none'");
  });
});

describe('correlate(): competing internal explanations', () => {
  // Demio / iAdvize: our own deploy, then the caller's errors (4xx, missing credentials).
  const room: ServiceSpec = {
    name: 'webinar-room',
    regions: ['us-east-1'],
    dependsOn: [
      { vendor: 'twilio', components: ['Programmable Video'] },
      { vendor: 'stripe', components: ['API'] },
    ],
  };
  const roomIncident = incident({ id: 'INC-812', service: 'webinar-room', startedAt: at('21:00') });
  const deploy: ChangeEvent = { at: at('20:55'), service: 'webinar-room', kind: 'deploy', ref: 'v812' };

  test('a deploy just before onset with 4xx errors on the vendor is internal, with the deploy named', () => {
    const result = correlate(
      input({
        now: new Date(at('21:15')),
        incident: roomIncident,
        service: room,
        services: [room],
        changes: [deploy],
        errors: [
          ...errors('webinar-room', 'twilio', 'us-east-1', 'HTTP_200', '19:30', '19:30', 0),
          ...errors('webinar-room', 'twilio', 'us-east-1', 'INVALID_CREDENTIALS', '20:56', '21:15', 12),
          ...errors('webinar-room', 'twilio', 'us-east-1', 'HTTP_503', '19:30', '21:15', 1),
        ],
      }),
    );
    expect(result.verdict).toBe('internal');
    expect(result.notes).toContain(
      'deploy v812 of webinar-room at 20:55 UTC, 5 min before our incident began',
    );
    const twilio = result.candidates.find((c) => c.vendor === 'twilio')!;
    expect(twilio.confidence).toBeLessThanOrEqual(SCORING.vetoCap);
    expect(twilio.evidence.join(' ')).toMatch(
      /240 client errors from webinar-room→twilio .*INVALID_CREDENTIALS/,
    );
  });

  test('a deploy at the same time as an unrelated vendor incident is not upstream for that vendor', () => {
    const stripeIncident = vendorIncident({
      vendor: 'stripe',
      id: 'stripe-api',
      title: 'Elevated API errors',
      startedAt: at('20:58'),
      postedAt: at('21:05'),
      components: ['API'],
      regions: [],
    });
    const result = correlate(
      input({
        now: new Date(at('21:15')),
        incident: roomIncident,
        service: room,
        services: [room],
        changes: [deploy],
        vendorIncidents: [stripeIncident],
        errors: [
          ...errors('webinar-room', '', 'us-east-1', 'HTTP_500', '20:56', '21:15', 40),
          ...errors('webinar-room', 'stripe', 'us-east-1', 'HTTP_502', '19:30', '21:15', 2),
        ],
      }),
    );
    expect(['internal', 'unclear']).toContain(result.verdict);
    const stripe = result.candidates.find((c) => c.vendorIncidentId === 'stripe-api')!;
    expect(stripe.confidence).toBeLessThan(SCORING.upstreamAt);
    // Untagged 500s right after our deploy: the deploy or stripe, the evidence cannot tell.
    expect(stripe.evidence.join(' ')).toContain(
      "deploy v812 of webinar-room at 20:55 UTC, 5 min before our incident began; webinar-room's errors name no vendor, so they could be the change or stripe: ambiguous",
    );
  });

  test('a deploy at the same time as a real vendor incident our errors confirm stays upstream', () => {
    const sameTime: ChangeEvent = { at: at('20:45'), service: 'backstage', kind: 'deploy', ref: 'v77' };
    const result = correlate(
      input({ vendorIncidents: [recordingEurope], errors: swapcardErrors, changes: [sameTime] }),
    );
    expect(result.verdict).toBe('upstream');
    expect(result.candidates[0]!.evidence.join(' ')).toContain('deploy v77 of backstage at 20:45 UTC');
    expect(result.candidates[0]!.evidence.join(' ')).toContain('but our calls to 100ms fail with');
  });

  test('a deploy after which one service times out on a vendor its other services call fine is internal', () => {
    const search: ServiceSpec = {
      name: 'search-api',
      regions: ['eu-west-1'],
      dependsOn: [{ vendor: 'mongodb', components: [] }],
    };
    const reports: ServiceSpec = { ...search, name: 'report-worker' };
    const result = correlate(
      input({
        incident: incident({ id: 'INC-2650', service: 'search-api' }),
        service: search,
        services: [search, reports],
        changes: [{ at: at('20:40'), service: 'search-api', kind: 'deploy', ref: 'v5.2.0' }],
        errors: [
          ...errors('search-api', 'mongodb', 'eu-west-1', 'HTTP_502', '19:15', '20:43', 0.2),
          ...errors('search-api', 'mongodb', 'eu-west-1', 'ETIMEDOUT', '20:44', '21:00', 25),
          ...errors('report-worker', 'mongodb', 'eu-west-1', 'ETIMEDOUT', '19:15', '21:00', 1),
        ],
      }),
    );
    expect(result.verdict).toBe('internal');
    expect(result.candidates[0]!.evidence.join(' ')).toContain(
      'calls to mongodb from report-worker (1/min vs 1/min before) stay at baseline in the same minutes',
    );
  });

  test("a matching vendor incident with impact 'none' while our own untagged errors spike is internal", () => {
    const center: ServiceSpec = {
      name: 'contact-center',
      regions: ['eu-west-1'],
      dependsOn: [{ vendor: 'twilio', components: ['Flex Application Platform'] }],
    };
    const flex = vendorIncident({
      vendor: 'twilio',
      id: 'flex',
      title: 'Investigating an Issue with Flex in the IE1 region',
      impact: 'none',
      postedAt: at('20:54'),
      components: ['FLEX / Flex Application Platform'],
      regions: ['IE1'],
    });
    const result = correlate(
      input({
        incident: incident({ id: 'INC-5531', service: 'contact-center', regions: ['eu-west-1'] }),
        service: center,
        services: [center],
        vendorIncidents: [flex],
        errors: [
          ...errors('contact-center', 'twilio', 'eu-west-1', 'HTTP_503', '19:15', '21:00', 1),
          ...errors('contact-center', '', '', 'CRM_LOOKUP_TIMEOUT', '20:45', '21:00', 8),
        ],
      }),
    );
    expect(result.verdict).toBe('internal');
    const text = result.candidates[0]!.evidence.join(' ');
    expect(text).toContain('our calls to twilio are at baseline (1/min before');
    expect(text).toContain("contact-center's own errors, naming no vendor (CRM_LOOKUP_TIMEOUT)");
  });

  test('calls to every vendor failing in the same minutes with timeouts is internal', () => {
    const stripeWide = vendorIncident({
      vendor: 'twilio',
      id: 'tw',
      title: 'SMS delays',
      components: ['SMS'],
    });
    const result = correlate(
      input({
        vendorIncidents: [stripeWide],
        errors: [
          ...errors('backstage', '100ms', 'eu-west-1', 'ETIMEDOUT', '20:48', '21:00', 20),
          ...errors('backstage', 'twilio', 'eu-west-1', 'ENOTFOUND', '20:49', '21:00', 15),
        ],
      }),
    );
    expect(result.verdict).toBe('internal');
    expect(result.notes!.join(' ')).toContain(
      'calls from backstage to 2 vendors (100ms and twilio) started failing within 1 min of each other (20:48–20:49 UTC), 100% timeouts and network errors: the common factor is us',
    );
    for (const c of result.candidates) expect(c.confidence).toBeLessThanOrEqual(SCORING.vetoCap);
  });

  test('with no vendor evidence at all the verdict is internal and says our calls are at baseline', () => {
    const result = correlate(
      input({ errors: errors('backstage', '100ms', 'eu-west-1', 'HTTP_502', '19:15', '21:00', 2) }),
    );
    expect(result.verdict).toBe('internal');
    const hundred = result.candidates.find((c) => c.vendor === '100ms')!;
    expect(hundred.evidence).toContain('no 100ms incident or suspected issue is known at 21:00 UTC');
    expect(hundred.evidence.join(' ')).toContain('our calls to 100ms are at baseline (2/min before');
  });
});

describe('correlate(): suspected issues and maintenance', () => {
  const suspect = (over: Partial<SuspectedIssue> = {}): SuspectedIssue => ({
    id: 'sus-1',
    vendor: '100ms',
    region: 'macro:europe',
    since: at('20:47'),
    detectedAt: at('20:50'),
    closedAt: null,
    services: ['backstage', 'studio'],
    ratePerMin: 30,
    baselinePerMin: 3,
    ...over,
  });
  const studioErrors = [
    ...errors('studio', '100ms', 'eu-west-1', 'HTTP_503', '19:15', '20:46', 1),
    ...errors('studio', '100ms', 'eu-west-1', 'HTTP_503', '20:48', '21:00', 12),
  ];

  test('a silent vendor with a strong multi-service suspect is upstream via the suspect', () => {
    const result = correlate(input({ suspects: [suspect()], errors: [...swapcardErrors, ...studioErrors] }));
    expect(result.verdict).toBe('upstream');
    expect(result.candidates[0]).toMatchObject({ vendor: '100ms', suspectedIssueId: 'sus-1' });
    const text = result.candidates[0]!.evidence.join(' ');
    expect(text).toContain('100ms has posted nothing');
    expect(text).toContain('2 of our services hit (backstage and studio)');
  });

  test("a suspect's numbers from the detector's last minute never contradict the window's", () => {
    // The detector closed it (its last minute was calm): 0/min vs 0/min is not what the window shows.
    const closed = suspect({ ratePerMin: 0, baselinePerMin: 0, closedAt: at('21:00') });
    const result = correlate(input({ suspects: [closed], errors: [...swapcardErrors, ...studioErrors] }));
    expect(result.verdict).toBe('upstream');
    const text = result.candidates[0]!.evidence.join(' ');
    expect(text).not.toContain('0/min vs a baseline of 0/min');
    expect(text).toContain('vs a baseline of 3/min: 30/min');
  });

  test('a suspect seen by one service with a modest rise stays unclear at best', () => {
    const modest = errors('backstage', '100ms', 'eu-west-1', 'HTTP_502', '20:47', '21:00', 4);
    const result = correlate(input({ suspects: [suspect({ services: ['backstage'] })], errors: modest }));
    expect(result.verdict).not.toBe('upstream');
    expect(result.candidates[0]!.confidence).toBeLessThanOrEqual(SCORING.weakSuspectCap);
    expect(result.candidates[0]!.evidence.join(' ')).toContain('here: 1 service');
  });

  test('one service is enough when its spike is large and sustained and names the vendor', () => {
    const result = correlate(
      input({ suspects: [suspect({ services: ['backstage'] })], errors: swapcardErrors }),
    );
    expect(result.verdict).toBe('upstream');
    expect(result.candidates[0]).toMatchObject({ vendor: '100ms', suspectedIssueId: 'sus-1' });
  });

  test('the same spike right after our deploy of that service is not enough alone', () => {
    const deploy: ChangeEvent = { at: at('20:40'), service: 'backstage', kind: 'deploy', ref: 'v9' };
    const result = correlate(
      input({ suspects: [suspect({ services: ['backstage'] })], errors: swapcardErrors, changes: [deploy] }),
    );
    expect(result.verdict).not.toBe('upstream');
  });

  test('with no vendor incident and no stored suspect, strong errors of one service are inferred as one', () => {
    const result = correlate(input({ errors: swapcardErrors }));
    expect(result.verdict).toBe('upstream');
    expect(result.candidates[0]).toMatchObject({ vendor: '100ms' });
    expect(result.candidates[0]!.suspectedIssueId).toBeUndefined();
    expect(result.candidates[0]!.evidence.join(' ')).toContain('inferred from our own errors');
  });

  const maintenance = vendorIncident({
    vendor: '100ms',
    id: 'maint',
    kind: 'maintenance',
    impact: 'none',
    title: 'Recording cluster upgrade (EU)',
    postedAt: at('10:00'),
    startedAt: at('20:30'),
    scheduledFor: at('20:30'),
    scheduledUntil: at('22:00'),
    components: ['Recording & Streaming (EU)'],
    regions: ['macro:europe'],
  });

  test('a maintenance window covering our onset on our region and component is upstream when our errors spike', () => {
    const result = correlate(input({ vendorIncidents: [maintenance], errors: swapcardErrors }));
    expect(result.verdict).toBe('upstream');
    expect(result.candidates[0]!.evidence[0]).toContain(
      'is a maintenance window 20:30–22:00 UTC covering our onset',
    );
  });

  test('the same maintenance window without our errors confirming is unclear', () => {
    const result = correlate(input({ vendorIncidents: [maintenance] }));
    expect(result.verdict).toBe('unclear');
    expect(result.candidates[0]!.confidence).toBeLessThanOrEqual(SCORING.unconfirmedMaintenanceCap);
  });

  test('a maintenance window naming neither our region nor our components is ruled out', () => {
    const elsewhere = { ...maintenance, components: [], regions: [] };
    const result = correlate(input({ vendorIncidents: [elsewhere], errors: swapcardErrors }));
    expect(result.verdict).not.toBe('upstream');
    expect(result.candidates.find((c) => c.vendorIncidentId === 'maint')!.confidence).toBeLessThanOrEqual(
      SCORING.vetoCap,
    );
  });
});

describe('correlate(): input', () => {
  test('rejects input that breaks the contract, naming the field', () => {
    const bad = input({ errors: [{ minute: 1.5, series: swapcardErrors[0]!.series, count: 1 }] });
    expect(() => correlate(bad)).toThrow(CorrelationInputError);
    expect(() => correlate(bad)).toThrow(/errors\.0\.minute: minute must be whole epoch minutes/);
    expect(() => correlate(input({ now: new Date('nope') }))).toThrow(/now/);
  });

  test('is deterministic: the same input gives the same annotation', () => {
    const i = input({ vendorIncidents: [recordingEurope], errors: swapcardErrors });
    expect(correlate(i)).toEqual(correlate(i));
  });
});

describe('correlate(): untagged errors', () => {
  // A CDN in front of backstage: our code logs its 503s as our own, naming no vendor.
  const edge: ServiceSpec = {
    name: 'backstage',
    regions: ['eu-west-1'],
    dependsOn: [{ vendor: 'fastly', components: [] }],
  };
  const untagged = [
    ...errors('backstage', '', 'eu-west-1', 'HTTP_503', '19:20', '20:46', 0.2),
    ...errors('backstage', '', 'eu-west-1', 'HTTP_503', '20:47', '21:00', 40),
  ];
  const fastly = vendorIncident({
    vendor: 'fastly',
    id: 'fastly-1',
    title: 'Elevated errors across the network',
    impact: 'major',
    startedAt: at('20:45'),
    postedAt: at('20:58'),
  });

  test('an untagged 5xx spike starting with a major vendor incident counts for that vendor', () => {
    const result = correlate(input({ service: edge, vendorIncidents: [fastly], errors: untagged }));
    expect(result.verdict).toBe('upstream');
    const text = result.candidates[0]!.evidence.join(' ');
    expect(text).toContain('errors that name no vendor can be fastly');
    expect(text).toContain('backstage reports no calls to fastly');
    expect(text).not.toContain('our own code path');
  });

  test('with a deploy of ours just before onset the same spike stays ambiguous: unclear', () => {
    const deploy: ChangeEvent = { at: at('20:40'), service: 'backstage', kind: 'deploy', ref: 'v7' };
    const result = correlate(
      input({ service: edge, vendorIncidents: [fastly], errors: untagged, changes: [deploy] }),
    );
    expect(result.verdict).toBe('unclear');
    expect(result.candidates[0]!.evidence.join(' ')).toContain('the evidence cannot tell');
  });

  test('an untagged spike during a minor incident elsewhere is not blamed', () => {
    const elsewhere = vendorIncident({
      ...fastly,
      title: 'Degraded performance for customers in Sydney',
      impact: 'minor',
      regions: ['city:sydney'],
      regionEvidence: [{ id: 'city:sydney', raw: 'Sydney', from: 'title' }],
    });
    const result = correlate(input({ service: edge, vendorIncidents: [elsewhere], errors: untagged }));
    expect(result.verdict).not.toBe('upstream');
  });

  test('untagged errors while call volume shows our calls to that vendor succeed are our code path', () => {
    const calls: CallCount[] = [];
    for (let m = minuteOf(at('19:20')); m <= minuteOf(at('21:00')); m++)
      calls.push({ minute: m, service: 'backstage', vendor: 'fastly', region: 'eu-west-1', calls: 2000 });
    const result = correlate(input({ service: edge, vendorIncidents: [fastly], errors: untagged, calls }));
    expect(result.verdict).not.toBe('upstream');
    const text = result.candidates[0]!.evidence.join(' ');
    expect(text).toContain('the trouble is in our own code path');
    expect(text).toContain('0% of 82,000 calls to fastly failed');
  });

  test('a trickle of tagged errors at baseline only softens the untagged evidence: those are the paths we tag', () => {
    const tagged = errors('backstage', 'fastly', 'eu-west-1', 'HTTP_503', '19:20', '21:00', 0.5);
    const result = correlate(
      input({ service: edge, vendorIncidents: [fastly], errors: [...untagged, ...tagged] }),
    );
    expect(result.verdict).toBe('upstream');
    expect(result.candidates[0]!.evidence.join(' ')).toContain(
      'errors naming no vendor may come from a fastly path we do not tag',
    );
  });

  test('untagged errors count only for a vendor the service declares: an unknown service blames nobody', () => {
    const result = correlate({
      ...input({ incident: incident({ service: 'bridge' }), vendorIncidents: [fastly] }),
      service: undefined,
      services: [edge],
      errors: untagged.map((e) => ({ ...e, series: { ...e.series, service: 'bridge' } })),
    });
    expect(result.verdict).toBe('unclear');
    expect(result.candidates[0]!.evidence.join(' ')).not.toContain('can be fastly');
  });

  test('a peer behind the same vendor staying calm halves the untagged evidence and says so', () => {
    const web: ServiceSpec = { ...edge, name: 'web' };
    const calm = errors('web', '', 'eu-west-1', 'HTTP_503', '19:20', '21:00', 0.3);
    const alone = correlate(input({ service: edge, vendorIncidents: [fastly], errors: untagged }));
    const withPeer = correlate(
      input({
        service: edge,
        services: [edge, web],
        vendorIncidents: [fastly],
        errors: [...untagged, ...calm],
      }),
    );
    expect(withPeer.candidates[0]!.confidence).toBeLessThan(alone.candidates[0]!.confidence);
    expect(withPeer.candidates[0]!.evidence.join(' ')).toContain(
      'web, also depending on fastly, stayed at baseline',
    );
  });

  test('untagged client errors (4xx) never count for a vendor', () => {
    const clientErrors = [
      ...errors('backstage', '', 'eu-west-1', 'HTTP_401', '19:20', '20:46', 0.2),
      ...errors('backstage', '', 'eu-west-1', 'HTTP_401', '20:47', '21:00', 40),
    ];
    const result = correlate(input({ service: edge, vendorIncidents: [fastly], errors: clientErrors }));
    expect(result.verdict).not.toBe('upstream');
    expect(result.candidates[0]!.evidence.join(' ')).not.toContain('can be fastly');
  });
});

describe('correlate(): blind to a vendor, and unknown services', () => {
  test('a vendor whose page we could not read is never cleared by its silence', () => {
    const result = correlate(
      input({
        errors: errors('backstage', '', 'eu-west-1', 'TIMEOUT', '20:47', '21:00', 5),
        blind: [{ vendor: '100ms', since: at('20:41'), until: null, reason: 'HTTP 503' }],
      }),
    );
    expect(result.verdict).toBe('unclear');
    const top = result.candidates[0]!;
    expect(top.vendor).toBe('100ms');
    expect(top.evidence[0]).toBe(
      "we could not read 100ms's status page since 20:41 UTC (HTTP 503): what 100ms posted meanwhile is unknown to us, so its silence clears nothing",
    );
  });

  test('a blind span that ended before our window, or starts after now, changes nothing', () => {
    const healthy = errors('backstage', '100ms', 'eu-west-1', 'HTTP_502', '19:20', '21:00', 0.2);
    const before = correlate(
      input({
        errors: healthy,
        blind: [{ vendor: '100ms', since: at('17:00'), until: at('17:30'), reason: 'timeout' }],
      }),
    );
    expect(before.verdict).toBe('internal');
    const later = correlate(
      input({
        errors: healthy,
        blind: [{ vendor: '100ms', since: at('21:05'), until: null, reason: 'timeout' }],
      }),
    );
    expect(later.verdict).toBe('internal');
  });

  test('while blind, strong errors of ours on the vendor still decide: upstream', () => {
    const result = correlate(
      input({
        errors: swapcardErrors,
        blind: [{ vendor: '100ms', since: at('20:30'), until: null, reason: 'parse error' }],
      }),
    );
    expect(result.verdict).toBe('upstream');
    expect(result.candidates[0]!.evidence.join(' ')).toContain("we could not read 100ms's status page");
  });

  test('an incident of a service the config does not know is unclear, with a note saying so', () => {
    const result = correlate({
      ...input({ incident: incident({ service: 'mystery' }) }),
      service: undefined,
    });
    expect(result.verdict).toBe('unclear');
    expect(result.notes?.[0]).toContain('mystery is not in the config');
  });

  test('a blind span that ends before it starts is refused, naming the field', () => {
    expect(() =>
      correlate(input({ blind: [{ vendor: '100ms', since: at('20:41'), until: at('20:00'), reason: 'x' }] })),
    ).toThrow(/blind\.0\.until: until is before since/);
  });
});

describe('correlate(): mismatches our errors outweigh, and unexplained rises', () => {
  test('a vendor incident listing components we do not use is not vetoed while our errors on it spike', () => {
    const dashboard = vendorIncident({
      vendor: '100ms',
      id: 'dash',
      title: 'Service issues',
      impact: 'critical',
      components: ['Dashboard'],
    });
    const result = correlate(input({ vendorIncidents: [dashboard], errors: swapcardErrors }));
    const candidate = result.candidates.find((c) => c.vendorIncidentId === 'dash')!;
    expect(candidate.evidence.join(' ')).toContain('an incident can be wider than the components listed');
    expect(candidate.confidence).toBeGreaterThan(SCORING.vetoCap);
  });

  test('a modest rise of our errors on a silent vendor, with nothing of ours to explain it, is unclear', () => {
    const rise = [
      ...errors('backstage', '100ms', 'eu-west-1', 'HTTP_502', '19:20', '20:46', 0.3),
      ...errors('backstage', '100ms', 'eu-west-1', 'HTTP_502', '20:47', '21:00', 2),
    ];
    const result = correlate(input({ errors: rise }));
    expect(result.verdict).toBe('unclear');
    const top = result.candidates[0]!;
    expect(top.confidence).toBeGreaterThanOrEqual(SCORING.risingFloor);
    expect(top.confidence).toBeLessThanOrEqual(SCORING.silentVendorCap);
    // Read from where the rise begins, not from the first background error of the lead.
    expect(top.evidence.join(' ')).toContain('since 20:47 UTC');
  });
});

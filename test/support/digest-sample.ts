import {
  digestSchema,
  riskFormulaText,
  type Digest,
  type VendorDigest,
  type VendorFigures,
} from '../../src/core/digest/types.js';

/*
 * Hand-built digests for the renderers: a realistic day (5 Apr 2026, Europe/Berlin) with a high-risk
 * vendor, one with only maintenance, one rising and one new; an all-quiet day; and a huge day of 40
 * busy vendors. Each is parsed with the digest schema so it stays a valid digest.
 */

const period = {
  id: '2026-04-05',
  firstDay: '2026-04-05',
  lastDay: '2026-04-05',
  days: 1,
  timeZone: 'Europe/Berlin',
  from: '2026-04-04T22:00:00.000Z',
  to: '2026-04-05T22:00:00.000Z',
};

/** Figures with every count at zero, overridden by `over`. */
export function figures(over: Partial<VendorFigures> = {}): VendorFigures {
  return {
    incidents: 0,
    byImpact: { critical: 0, major: 0, minor: 0, none: 0, unknown: 0 },
    incidentMinutes: 0,
    maintenance: 0,
    maintenanceMinutes: 0,
    explained: 0,
    errorMinutes: 0,
    attributableErrorMinutes: 0,
    failedCalls: 0,
    calls: null,
    errorRatio: null,
    customers: null,
    suspected: 0,
    unposted: 0,
    ackLagMedianMinutes: null,
    ackLagWorstMinutes: null,
    unreadableMinutes: 0,
    risk: 0,
    ...over,
  };
}

const noHours = () => Array.from({ length: 24 }, () => 0);

function hours(at: Record<number, number>): number[] {
  const list = noHours();
  for (const [hour, n] of Object.entries(at)) list[Number(hour)] = n;
  return list;
}

const twilio: VendorDigest = {
  id: 'twilio',
  name: 'Twilio',
  url: 'https://status.twilio.com',
  period: figures({
    incidents: 3,
    byImpact: { critical: 1, major: 1, minor: 1, none: 0, unknown: 0 },
    incidentMinutes: 250,
    explained: 2,
    errorMinutes: 96,
    attributableErrorMinutes: 81,
    failedCalls: 1234,
    calls: 98_765,
    errorRatio: 1234 / 98_765,
    customers: 37,
    suspected: 4,
    unposted: 1,
    ackLagMedianMinutes: 18,
    ackLagWorstMinutes: 42,
    unreadableMinutes: 35,
    risk: 39.92,
  }),
  previous7: figures({
    incidents: 0.43,
    byImpact: { critical: 0, major: 0.14, minor: 0.29, none: 0, unknown: 0 },
    incidentMinutes: 31.4,
    maintenance: 0.14,
    maintenanceMinutes: 17.1,
    explained: 0.29,
    errorMinutes: 12.6,
    attributableErrorMinutes: 9.9,
    failedCalls: 140.3,
    calls: 97_120.6,
    errorRatio: 0.00144,
    customers: 5.4,
    suspected: 0.57,
    unposted: 0.14,
    ackLagMedianMinutes: 11,
    ackLagWorstMinutes: 14,
    unreadableMinutes: 2.1,
    risk: 6.2,
  }),
  previous30: figures({
    incidents: 0.3,
    byImpact: { critical: 0.03, major: 0.07, minor: 0.2, none: 0, unknown: 0 },
    incidentMinutes: 22.8,
    maintenance: 0.1,
    maintenanceMinutes: 12,
    explained: 0.17,
    errorMinutes: 8.7,
    attributableErrorMinutes: 6.1,
    failedCalls: 96.5,
    calls: 95_310.2,
    errorRatio: 0.00101,
    customers: 3.2,
    suspected: 0.4,
    unposted: 0.1,
    ackLagMedianMinutes: 9,
    ackLagWorstMinutes: 26,
    unreadableMinutes: 1.2,
    risk: 4.8,
  }),
  trend: 'up',
  incidents: [
    {
      id: 'tw-sms-eu',
      title: 'SMS delivery failures to European carriers',
      kind: 'incident',
      impact: 'critical',
      startedAt: '2026-04-05T07:14:00.000Z',
      resolvedAt: '2026-04-05T08:19:00.000Z',
      minutes: 65,
      regions: ['eu'],
      url: 'https://status.twilio.com/incidents/tw-sms-eu',
    },
    {
      id: 'tw-webhooks',
      title: 'Delayed inbound message webhooks',
      kind: 'incident',
      impact: 'minor',
      startedAt: '2026-04-05T11:00:00.000Z',
      resolvedAt: '2026-04-05T13:20:00.000Z',
      minutes: 140,
      regions: ['us-east'],
      url: 'https://status.twilio.com/incidents/tw-webhooks',
    },
    {
      id: 'tw-verify-eu',
      title: 'Elevated error rates on the Verify API in Europe',
      kind: 'incident',
      impact: 'major',
      startedAt: '2026-04-05T16:20:00.000Z',
      resolvedAt: '2026-04-05T17:05:00.000Z',
      minutes: 45,
      regions: ['eu'],
      url: 'https://status.twilio.com/incidents/tw-verify-eu',
    },
  ],
  explained: [
    {
      id: 'INC-5120',
      title: 'Password reset SMS not arriving',
      service: 'auth',
      startedAt: '2026-04-05T07:20:00.000Z',
      confidence: 0.86,
      vendorIncidentId: 'tw-sms-eu',
      link: 'https://upcause.example.com/incidents/INC-5120',
    },
    {
      id: 'INC-5124',
      title: 'OTP login failures in Germany',
      service: 'login',
      startedAt: '2026-04-05T16:25:00.000Z',
      confidence: 0.72,
      vendorIncidentId: 'tw-verify-eu',
      link: null,
    },
  ],
  services: [
    { service: 'auth', failedCalls: 802 },
    { service: 'login', failedCalls: 402 },
    { service: 'notifications', failedCalls: 30 },
  ],
  hourlyFailedCalls: hours({
    4: 28,
    5: 6,
    6: 4,
    7: 5,
    8: 20,
    9: 402,
    10: 355,
    11: 41,
    12: 9,
    13: 38,
    14: 36,
    15: 22,
    16: 12,
    17: 8,
    18: 147,
    19: 85,
    20: 10,
    21: 6,
  }),
  ackLag: {
    byRegion: [
      { region: 'eu', cases: 2, medianMinutes: 30, worstMinutes: 42 },
      { region: 'us-east', cases: 1, medianMinutes: 12, worstMinutes: 12 },
    ],
    cases: [
      {
        suspect: 'sus-twilio-eu-0705',
        region: 'eu',
        services: ['auth', 'login'],
        since: '2026-04-05T07:02:00.000Z',
        postedAt: '2026-04-05T07:44:00.000Z',
        lagMinutes: 42,
        vendorIncidentId: 'tw-sms-eu',
        vendorIncidentTitle: 'SMS delivery failures to European carriers',
        url: 'https://status.twilio.com/incidents/tw-sms-eu',
      },
      {
        suspect: 'sus-twilio-us-0552',
        region: 'us-east',
        services: ['notifications'],
        since: '2026-04-05T10:52:00.000Z',
        postedAt: '2026-04-05T11:04:00.000Z',
        lagMinutes: 12,
        vendorIncidentId: 'tw-webhooks',
        vendorIncidentTitle: 'Delayed inbound message webhooks',
        url: 'https://status.twilio.com/incidents/tw-webhooks',
      },
      {
        suspect: 'sus-twilio-eu-1810',
        region: 'eu',
        services: ['login'],
        since: '2026-04-05T16:10:00.000Z',
        postedAt: '2026-04-05T16:28:00.000Z',
        lagMinutes: 18,
        vendorIncidentId: 'tw-verify-eu',
        vendorIncidentTitle: 'Elevated error rates on the Verify API in Europe',
        url: 'https://status.twilio.com/incidents/tw-verify-eu',
      },
    ],
  },
  unposted: [
    {
      suspect: 'sus-twilio-ap-0431',
      region: 'ap-southeast',
      services: ['notifications'],
      since: '2026-04-05T02:31:00.000Z',
      closedAt: '2026-04-05T02:58:00.000Z',
      peakPerMin: 31,
      baselinePerMin: 0.4,
    },
  ],
  unreadable: [
    {
      since: '2026-04-05T19:10:00.000Z',
      until: '2026-04-05T19:45:00.000Z',
      minutes: 35,
      reason: 'HTTP 503 from status.twilio.com',
    },
  ],
};

const stripe: VendorDigest = {
  id: 'stripe',
  name: 'Stripe',
  url: 'https://status.stripe.com',
  period: figures({
    incidents: 1,
    byImpact: { critical: 0, major: 0, minor: 1, none: 0, unknown: 0 },
    incidentMinutes: 30,
    errorMinutes: 80,
    attributableErrorMinutes: 64,
    failedCalls: 310,
    calls: 120_400,
    errorRatio: 310 / 120_400,
    customers: 12,
    suspected: 1,
    ackLagMedianMinutes: 9,
    ackLagWorstMinutes: 9,
    risk: 7.43,
  }),
  previous7: figures({
    incidents: 0.14,
    byImpact: { critical: 0, major: 0, minor: 0.14, none: 0, unknown: 0 },
    incidentMinutes: 6.4,
    errorMinutes: 21.3,
    attributableErrorMinutes: 15.7,
    failedCalls: 61.2,
    calls: 118_020,
    errorRatio: 0.00052,
    customers: 2.1,
    suspected: 0.29,
    ackLagMedianMinutes: 6,
    ackLagWorstMinutes: 7,
    risk: 2.1,
  }),
  previous30: figures({
    incidents: 0.1,
    byImpact: { critical: 0, major: 0.03, minor: 0.07, none: 0, unknown: 0 },
    incidentMinutes: 4.1,
    errorMinutes: 14.8,
    attributableErrorMinutes: 9.6,
    failedCalls: 44.9,
    calls: 116_870,
    errorRatio: 0.00038,
    customers: 1.5,
    suspected: 0.2,
    ackLagMedianMinutes: 8,
    ackLagWorstMinutes: 15,
    risk: 1.7,
  }),
  trend: 'up',
  incidents: [
    {
      id: 'st-latency',
      title: 'Increased API latency for PaymentIntents',
      kind: 'incident',
      impact: 'minor',
      startedAt: '2026-04-05T14:05:00.000Z',
      resolvedAt: '2026-04-05T14:35:00.000Z',
      minutes: 30,
      regions: [],
      url: 'https://status.stripe.com/incidents/st-latency',
    },
  ],
  explained: [],
  services: [
    { service: 'checkout', failedCalls: 288 },
    { service: 'billing', failedCalls: 22 },
  ],
  hourlyFailedCalls: hours({ 9: 3, 12: 6, 15: 4, 16: 166, 17: 90, 18: 24, 20: 17 }),
  ackLag: {
    byRegion: [{ region: 'us-east', cases: 1, medianMinutes: 9, worstMinutes: 9 }],
    cases: [
      {
        suspect: 'sus-stripe-us-1556',
        region: 'us-east',
        services: ['checkout'],
        since: '2026-04-05T13:56:00.000Z',
        postedAt: '2026-04-05T14:05:00.000Z',
        lagMinutes: 9,
        vendorIncidentId: 'st-latency',
        vendorIncidentTitle: 'Increased API latency for PaymentIntents',
        url: 'https://status.stripe.com/incidents/st-latency',
      },
    ],
  },
  unposted: [],
  unreadable: [],
};

const mapbox: VendorDigest = {
  id: 'mapbox',
  name: 'Mapbox',
  url: 'https://status.mapbox.com',
  period: figures({ errorMinutes: 6, failedCalls: 14, unreadableMinutes: 25, risk: 0.42 }),
  previous7: figures(),
  previous30: figures(),
  trend: 'new',
  incidents: [],
  explained: [],
  services: [{ service: 'tracking', failedCalls: 14 }],
  hourlyFailedCalls: hours({ 11: 9, 12: 5 }),
  ackLag: { byRegion: [], cases: [] },
  unposted: [],
  unreadable: [
    {
      since: '2026-04-05T21:35:00.000Z',
      until: null,
      minutes: 25,
      reason: 'timed out after 10000 ms',
    },
  ],
};

const cloudflare: VendorDigest = {
  id: 'cloudflare',
  name: 'Cloudflare',
  url: 'https://www.cloudflarestatus.com',
  period: figures({ maintenance: 1, maintenanceMinutes: 120 }),
  previous7: figures({
    incidents: 0.29,
    byImpact: { critical: 0, major: 0, minor: 0.29, none: 0, unknown: 0 },
    incidentMinutes: 11.4,
    maintenance: 0.71,
    maintenanceMinutes: 85.7,
    risk: 0.4,
  }),
  previous30: figures({
    incidents: 0.23,
    byImpact: { critical: 0, major: 0.03, minor: 0.2, none: 0, unknown: 0 },
    incidentMinutes: 14.2,
    maintenance: 0.6,
    maintenanceMinutes: 70,
    risk: 0.6,
  }),
  trend: 'flat',
  incidents: [
    {
      id: 'cf-fra-maint',
      title: 'Scheduled maintenance in FRA (Frankfurt) data centre',
      kind: 'maintenance',
      impact: 'none',
      startedAt: '2026-04-05T00:00:00.000Z',
      resolvedAt: '2026-04-05T02:00:00.000Z',
      minutes: 120,
      regions: ['eu'],
      url: 'https://www.cloudflarestatus.com/incidents/cf-fra-maint',
    },
  ],
  explained: [],
  services: [],
  hourlyFailedCalls: noHours(),
  ackLag: { byRegion: [], cases: [] },
  unposted: [],
  unreadable: [],
};

/** 5 Apr 2026 in Europe/Berlin: Twilio high risk, Stripe rising, Mapbox new, Cloudflare maintenance only. */
export const sampleDigest: Digest = digestSchema.parse({
  type: 'digest',
  period,
  generatedAt: '2026-04-06T05:00:00.000Z',
  vendors: [twilio, stripe, mapbox, cloudflare],
  quiet: [
    { id: 'github', name: 'GitHub' },
    { id: 'auth0', name: 'Auth0' },
    { id: 'segment', name: 'Segment' },
  ],
  totals: {
    vendors: 4,
    incidents: 4,
    explained: 2,
    errorMinutes: 182,
    attributableErrorMinutes: 145,
    unposted: 1,
    unreadableMinutes: 60,
  },
  riskFormula: riskFormulaText,
  notes: ['Call volume is reported by checkout, auth and login only; error ratios cover those calls.'],
  consoleUrl: 'https://upcause.example.com',
});

/** A day on which every watched vendor was quiet. */
export const quietDigest: Digest = digestSchema.parse({
  type: 'digest',
  period,
  generatedAt: '2026-04-06T05:00:00.000Z',
  vendors: [],
  quiet: [
    { id: 'twilio', name: 'Twilio' },
    { id: 'stripe', name: 'Stripe' },
    { id: 'cloudflare', name: 'Cloudflare' },
    { id: 'github', name: 'GitHub' },
  ],
  totals: {
    vendors: 0,
    incidents: 0,
    explained: 0,
    errorMinutes: 0,
    attributableErrorMinutes: 0,
    unposted: 0,
    unreadableMinutes: 0,
  },
  riskFormula: riskFormulaText,
  notes: [],
  consoleUrl: null,
});

/** 40 busy vendors, each with many incidents, explained incidents and ack-lag cases, long titles. */
export function hugeDigest(): Digest {
  const vendors: VendorDigest[] = Array.from({ length: 40 }, (_, v) => {
    const id = `vendor-${String(v + 1).padStart(2, '0')}`;
    const at = (hour: number) => new Date(Date.parse(period.from) + hour * 3_600_000).toISOString();
    return {
      ...twilio,
      id,
      name: `Vendor ${v + 1} Communications & Cloud Platform Services Incorporated`,
      url: `https://status.${id}.example.com`,
      period: { ...twilio.period, risk: 400 - v * 7 },
      incidents: Array.from({ length: 30 }, (_, i) => ({
        ...twilio.incidents[0]!,
        id: `${id}-inc-${i}`,
        title:
          `Degraded performance of the messaging, voice and verification APIs in every region, part ${i + 1} `.repeat(
            3,
          ),
        startedAt: at(i % 23),
        resolvedAt: at((i % 23) + 1),
      })),
      explained: Array.from({ length: 12 }, (_, i) => ({
        ...twilio.explained[0]!,
        id: `INC-${v * 100 + i}`,
      })),
      ackLag: {
        byRegion: twilio.ackLag.byRegion,
        cases: Array.from({ length: 20 }, (_, i) => ({
          ...twilio.ackLag.cases[0]!,
          suspect: `sus-${id}-${i}`,
        })),
      },
      unposted: Array.from({ length: 10 }, () => twilio.unposted[0]!),
      unreadable: Array.from({ length: 10 }, () => twilio.unreadable[0]!),
    };
  });
  return digestSchema.parse({
    ...sampleDigest,
    vendors,
    quiet: Array.from({ length: 60 }, (_, i) => ({ id: `q${i}`, name: `Quiet vendor number ${i + 1}` })),
    totals: { ...sampleDigest.totals, vendors: 40, incidents: 1200 },
  });
}

import { describe, expect, test } from 'vitest';
import { checkAnswer, type CheckConfig, type CheckData } from '../src/core/check/answer.js';
import type { PageState } from '../src/core/check/judge.js';
import { parseCheckTime, resolveCheckQuery } from '../src/core/check/query.js';
import { CheckQueryError, type CheckQuery } from '../src/core/check/types.js';
import type { CallCount, MinuteCount } from '../src/core/correlate/types.js';
import type { Suspect } from '../src/core/detect/suspect.js';
import type { VendorIncident } from '../src/core/model.js';
import { withRegions } from '../src/core/regions/incident-regions.js';
import { minuteOf, type Series } from '../src/core/series.js';

/*
 * The check's rules on hand-built data with an injected `now`: the pure core, no Redis. Each case is
 * a rule of src/core/check/judge.ts that keeps the check from blaming a vendor for what was ours, or
 * from clearing one we cannot see.
 */

const MINUTE = 60_000;
const now = Date.parse('2024-04-04T21:30:00Z');
const at = Date.parse('2024-04-04T21:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const config: CheckConfig = {
  vendors: [
    { id: 'twilio', name: 'Twilio' },
    { id: 'stripe', name: 'Stripe' },
    { id: 'sendgrid', name: 'SendGrid' },
    { id: 'cloudflare', name: 'Cloudflare' },
  ],
  services: [
    {
      name: 'notify',
      regions: ['eu-west-1'],
      dependsOn: [
        { vendor: 'twilio', components: [] },
        { vendor: 'sendgrid', components: [] },
        { vendor: 'stripe', components: [] },
      ],
    },
    { name: 'web', regions: ['eu-west-1'], dependsOn: [{ vendor: 'cloudflare', components: [] }] },
  ],
  staleAfterMs: 10 * MINUTE,
};

const readable: PageState = {
  state: 'ok',
  lastSuccessAt: iso(now - MINUTE),
  blindSince: null,
  blindReason: null,
  lastErrorMessage: null,
};

function incident(over: Partial<VendorIncident> & Pick<VendorIncident, 'vendor' | 'title'>): VendorIncident {
  const startedAt = over.startedAt ?? iso(at - 20 * MINUTE);
  const v: VendorIncident = {
    id: 'inc-1',
    impact: 'major',
    status: 'investigating',
    kind: 'incident',
    startedAt,
    postedAt: startedAt,
    updatedAt: startedAt,
    resolvedAt: null,
    components: [],
    regions: [],
    updates: [{ at: startedAt, status: 'investigating', body: over.title }],
    url: null,
    ...over,
  };
  return withRegions({ status: null, incidents: [v] }, 'statuspage').incidents[0]!;
}

/** `perMin` errors of a series each minute in [from, to) (ms). */
function errors(
  s: Partial<Series> & Pick<Series, 'service'>,
  from: number,
  to: number,
  perMin: number,
): MinuteCount[] {
  const series: Series = { vendor: '', region: 'eu-west-1', code: 'HTTP_503', errorClass: 'server', ...s };
  const out: MinuteCount[] = [];
  for (let m = minuteOf(from); m < minuteOf(to); m++) out.push({ minute: m, series, count: perMin });
  return out;
}

function calls(service: string, vendor: string, from: number, to: number, perMin: number): CallCount[] {
  const out: CallCount[] = [];
  for (let m = minuteOf(from); m < minuteOf(to); m++)
    out.push({ minute: m, service, vendor, region: 'eu-west-1', calls: perMin });
  return out;
}

/** Calm errors on `vendor` from notify for the two hours around `at`: we call it, at baseline. */
const calm = (vendor: string, service = 'notify') =>
  errors({ service, vendor, code: 'HTTP_500' }, at - 120 * MINUTE, at + 20 * MINUTE, 1);

function data(over: Partial<CheckData> = {}): CheckData {
  return {
    errors: [],
    calls: [],
    incidents: new Map(),
    suspects: [],
    blind: new Map(),
    pages: new Map(config.vendors.map((v) => [v.id, readable])),
    customerFailures: null,
    ...over,
  };
}

function answer(query: CheckQuery, d: CheckData, t = now) {
  const q = resolveCheckQuery(query, { now: t, vendors: config.vendors, services: config.services });
  return checkAnswer(config, q, d, t);
}

describe('parseCheckTime()', () => {
  test('reads a time with a zone name as agents paste it', () => {
    expect(iso(parseCheckTime('2024-04-04 21:00 CEST', now))).toBe('2024-04-04T19:00:00.000Z');
    expect(iso(parseCheckTime('Apr 4, 2024 2:05pm PDT', now))).toBe('2024-04-04T21:05:00.000Z');
  });

  test('reads ISO-8601 with an offset, epoch ms and epoch seconds; a time without zone is UTC', () => {
    expect(iso(parseCheckTime('2024-04-04T23:00:00+02:00', now))).toBe('2024-04-04T21:00:00.000Z');
    expect(iso(parseCheckTime(String(at), now))).toBe(iso(at));
    expect(iso(parseCheckTime(String(at / 1000), now))).toBe(iso(at));
    expect(iso(parseCheckTime('2024-04-04 20:15', now))).toBe('2024-04-04T20:15:00.000Z');
  });

  test('a clock time without a date is the latest one not after now', () => {
    const morning = Date.parse('2024-04-05T08:00:00Z');
    expect(iso(parseCheckTime('21:00 CEST', morning))).toBe('2024-04-04T19:00:00.000Z');
  });

  test('an unreadable or future time is a CheckQueryError on `at`', () => {
    for (const text of ['soon', '2024-04-05 21:00 UTC']) {
      const error = (() => {
        try {
          parseCheckTime(text, now);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(CheckQueryError);
      expect((error as CheckQueryError).field).toBe('at');
    }
  });
});

describe('resolveCheckQuery()', () => {
  test('maps a vendor display name to its id, a service without case, and free-text regions to the taxonomy', () => {
    const q = resolveCheckQuery(
      { vendor: 'SendGrid', service: 'NOTIFY', region: 'Frankfurt' },
      { now, vendors: config.vendors, services: config.services },
    );
    expect(q).toMatchObject({ vendor: 'sendgrid', service: 'notify', region: 'Frankfurt', at: now });
    expect(q.regions).toEqual(['city:frankfurt']);
  });
});

describe('checkAnswer(): the rules', () => {
  test('a vendor whose page we cannot read is unknown, never clear, though our calls are at baseline', () => {
    const blind: PageState = {
      ...readable,
      state: 'unreachable',
      blindSince: iso(now - 50 * MINUTE),
      blindReason: 'timeout',
      lastSuccessAt: iso(now - 51 * MINUTE),
    };
    const a = answer(
      { vendor: 'twilio', at: iso(at) },
      data({ errors: calm('twilio'), pages: new Map([['twilio', blind]]) }),
    );
    expect(a.verdict).toBe('vendor-unknown');
    expect(a.vendors[0]?.freshness).toEqual({
      lastReadAt: iso(now - 51 * MINUTE),
      ageMinutes: 51,
      stale: true,
      blindReason: 'timeout',
    });
    expect(a.summary).toMatch(/we cannot read Twilio's status page since 20:40 UTC \(timeout\)/);
  });

  test('a page last read longer ago than staleAfterMs is stale too, and a page never read is unknown', () => {
    const old: PageState = { ...readable, lastSuccessAt: iso(now - 30 * MINUTE) };
    const a = answer(
      { vendor: 'twilio', at: iso(at) },
      data({ errors: calm('twilio'), pages: new Map([['twilio', old]]) }),
    );
    expect(a.verdict).toBe('vendor-unknown');
    const never = answer(
      { vendor: 'twilio', at: iso(at) },
      data({ errors: calm('twilio'), pages: new Map() }),
    );
    expect(never.verdict).toBe('vendor-unknown');
    expect(never.summary).toMatch(/we have never read Twilio's status page/);
  });

  test('maintenance covering `at` is not a vendor incident: degraded with no impact at baseline, suspected when our errors spike', () => {
    const maint = incident({
      vendor: 'twilio',
      title: 'Scheduled SMS carrier maintenance',
      kind: 'maintenance',
      impact: 'none',
      status: 'in_progress',
    });
    const incidents = new Map([['twilio', [maint]]]);
    expect(
      answer({ vendor: 'twilio', at: iso(at) }, data({ errors: calm('twilio'), incidents })).verdict,
    ).toBe('vendor-degraded-no-impact');
    const spiking = [
      ...errors({ service: 'notify', vendor: 'twilio' }, at - 120 * MINUTE, at - 30 * MINUTE, 1),
      ...errors({ service: 'notify', vendor: 'twilio' }, at - 15 * MINUTE, at + 20 * MINUTE, 40),
    ];
    const a = answer({ vendor: 'twilio', at: iso(at) }, data({ errors: spiking, incidents }));
    expect(a.verdict).toBe('vendor-suspected');
    expect(a.vendors[0]?.evidence.join('\n')).toMatch(/Twilio announced maintenance/);
  });

  test('calls to every vendor timing out at once point at us: no vendor is suspected', () => {
    const spike = (vendor: string) => [
      ...errors(
        { service: 'notify', vendor, code: 'ETIMEDOUT', errorClass: 'timeout' },
        at - 120 * MINUTE,
        at - 30 * MINUTE,
        1,
      ),
      ...errors(
        { service: 'notify', vendor, code: 'ETIMEDOUT', errorClass: 'timeout' },
        at - 10 * MINUTE,
        at + 20 * MINUTE,
        30,
      ),
    ];
    const a = answer(
      { service: 'notify', at: iso(at) },
      data({ errors: [...spike('twilio'), ...spike('sendgrid'), ...spike('stripe')] }),
    );
    expect(a.vendors.map((v) => v.verdict)).toEqual(['vendor-clear', 'vendor-clear', 'vendor-clear']);
    expect(a.vendors[0]?.summary).toMatch(/the common factor is us \(network, DNS\)/);
  });

  test('more errors only because we made more calls is not a spike: the failure ratio decides', () => {
    const d = data({
      errors: [
        ...errors({ service: 'notify', vendor: 'stripe' }, at - 120 * MINUTE, at - 30 * MINUTE, 1),
        ...errors({ service: 'notify', vendor: 'stripe' }, at - 15 * MINUTE, at + 20 * MINUTE, 20),
      ],
      calls: [
        ...calls('notify', 'stripe', at - 120 * MINUTE, at - 30 * MINUTE, 100),
        ...calls('notify', 'stripe', at - 15 * MINUTE, at + 20 * MINUTE, 2000),
      ],
    });
    const a = answer({ vendor: 'stripe', at: iso(at) }, d);
    expect(a.verdict).toBe('vendor-clear');
    expect(a.vendors[0]?.evidence.join('\n')).toMatch(/the failure ratio is not above its baseline/);
  });

  test('a suspected issue the detector stored makes the vendor suspected though the errors read here are calm', () => {
    const suspect: Suspect = {
      id: 'sus-1',
      vendor: 'sendgrid',
      region: 'macro:europe',
      since: iso(at - 25 * MINUTE),
      services: ['notify', 'web'],
      rule: 'multi-service',
      ratePerMin: 42,
      baselinePerMin: 1,
      ratio: 42,
      peakPerMin: 60,
      detectedAt: iso(at - 20 * MINUTE),
      updatedAt: iso(at),
      lastSpikeAt: iso(at),
      closedAt: null,
      vendorIncidentId: null,
      vendorPostedAt: null,
      ackLagMinutes: null,
      regionMatch: null,
    };
    const a = answer(
      { vendor: 'sendgrid', at: iso(at) },
      data({ errors: calm('sendgrid'), suspects: [suspect] }),
    );
    expect(a.verdict).toBe('vendor-suspected');
    expect(a.vendors[0]?.suspect).toMatchObject({ id: 'sus-1', region: 'macro:europe' });
    expect(a.summary).toMatch(/our errors on it spiked since 20:35 UTC \(42\/min vs 1\/min\)/);
  });

  test("errors naming no vendor do not confirm an incident the vendor scopes to another region's customers", () => {
    const usOnly = incident({
      vendor: 'cloudflare',
      title: 'Elevated 5xx errors for customers in North America',
      impact: 'major',
    });
    const d = data({
      incidents: new Map([['cloudflare', [usOnly]]]),
      errors: [
        ...errors({ service: 'web' }, at - 120 * MINUTE, at - 22 * MINUTE, 1),
        ...errors({ service: 'web' }, at - 20 * MINUTE, at + 20 * MINUTE, 50),
      ],
    });
    const a = answer({ vendor: 'cloudflare', service: 'web', at: iso(at) }, d);
    expect(a.verdict).not.toBe('vendor-incident');
    const eu = answer(
      { vendor: 'cloudflare', service: 'web', at: iso(at) },
      { ...d, incidents: new Map([['cloudflare', [{ ...usOnly, regions: [], regionEvidence: [] }]]]) },
    );
    expect(eu.verdict).toBe('vendor-incident');
  });

  test('a vendor only our errors name (not watched) is judged, and said to be unwatched', () => {
    const d = data({
      errors: [
        ...errors({ service: 'notify', vendor: 'mailgun' }, at - 120 * MINUTE, at - 30 * MINUTE, 1),
        ...errors({ service: 'notify', vendor: 'mailgun' }, at - 15 * MINUTE, at + 20 * MINUTE, 40),
      ],
    });
    const a = answer({ vendor: 'mailgun', at: iso(at) }, d);
    expect(a.verdict).toBe('vendor-suspected');
    expect(a.summary).toMatch(/^We do not watch mailgun's status page, but our failed calls/);
    expect(() => answer({ vendor: 'nobody', at: iso(at) }, d)).toThrow(CheckQueryError);
  });

  test('vendors are ranked most damning first, and the answer takes the top verdict', () => {
    const d = data({
      incidents: new Map([['stripe', [incident({ vendor: 'stripe', title: 'Elevated API errors' })]]]),
      errors: [
        ...calm('twilio'),
        ...errors({ service: 'notify', vendor: 'stripe' }, at - 120 * MINUTE, at - 30 * MINUTE, 1),
        ...errors({ service: 'notify', vendor: 'stripe' }, at - 15 * MINUTE, at + 20 * MINUTE, 40),
      ],
    });
    const a = answer({ service: 'notify', at: iso(at) }, d);
    expect(a.vendors.map((v) => [v.vendor, v.verdict])).toEqual([
      ['stripe', 'vendor-incident'],
      ['sendgrid', 'vendor-unknown'],
      ['twilio', 'vendor-clear'],
    ]);
    expect(a.verdict).toBe('vendor-incident');
    expect(a.summary).toMatch(
      /^Stripe has reported a major outage \('Elevated API errors'\) since 20:40 UTC/,
    );
  });
});

import { describe, expect, test } from 'vitest';
import { classifyError, type ChangeEvent } from '../src/core/contracts.js';
import { minuteOf } from '../src/core/series.js';
import { duration, list, rate, utc, utcRange } from '../src/core/correlate/evidence.js';
import { combine, SCORING } from '../src/core/correlate/score.js';
import {
  commonModeOf,
  commonModeSignal,
  componentSignal,
  errorsSignal,
  errorWindow,
  impactSignal,
  indexErrors,
  internalSignal,
  ownErrorsSignal,
  peersSignal,
  statedWindow,
  ourRegions,
  recentChanges,
  regionSignal,
  suspectTimeSignal,
  timeSignal,
  vendorErrorStats,
  type OurTimes,
  type VendorTimes,
} from '../src/core/correlate/signals.js';
import type { CallCount, MinuteCount, SuspectedIssue } from '../src/core/correlate/types.js';

const at = (hhmm: string, day = '04'): string => `2024-04-${day}T${hhmm}:00.000Z`;
const ms = (hhmm: string): number => Date.parse(at(hhmm));

function errors(
  service: string,
  vendor: string,
  code: string,
  from: string,
  to: string,
  perMin: number,
): MinuteCount[] {
  const status = /^HTTP_(\d{3})$/.exec(code);
  const errorClass = classifyError(status ? { status: Number(status[1]) } : { code });
  const out: MinuteCount[] = [];
  for (let m = minuteOf(at(from)); m <= minuteOf(at(to)); m++) {
    out.push({
      minute: m,
      series: { service, vendor, region: 'eu-west-1', code, errorClass },
      count: perMin,
    });
  }
  return out;
}

/** Call volume of one service to one vendor: `perMin` calls every minute from `from` to `to`. */
function callCounts(service: string, vendor: string, from: string, to: string, perMin: number): CallCount[] {
  const out: CallCount[] = [];
  for (let m = minuteOf(at(from)); m <= minuteOf(at(to)); m++)
    out.push({ minute: m, service, vendor, region: 'eu-west-1', calls: perMin });
  return out;
}

/** Stats for backstage→vendor with our incident starting 20:50 and now 21:00. */
function statsOf(list: MinuteCount[], vendor = '100ms', service = 'backstage', calls: CallCount[] = []) {
  const index = indexErrors(list, errorWindow(ms('20:50'), ms('21:00')), calls);
  return vendorErrorStats(index, service, vendor);
}

const ours: OurTimes = { start: ms('20:50'), firstError: ms('20:47'), end: ms('21:00'), resolved: false };

function vendorTimes(over: Partial<VendorTimes> = {}): VendorTimes {
  return {
    vendor: '100ms',
    title: 'Recording failures in Europe',
    kind: 'incident',
    startedAt: at('20:58'),
    postedAt: at('20:58'),
    resolvedAt: null,
    ...over,
  };
}

describe('evidence formatting', () => {
  test('times are UTC, dated only when on another day than the reference', () => {
    expect(utc(ms('20:58'))).toBe('20:58 UTC');
    expect(utc(Date.parse(at('01:05', '05')), ms('20:58'))).toBe('Apr 5 01:05 UTC');
    expect(utcRange(ms('20:30'), ms('22:00'))).toBe('20:30–22:00 UTC');
    expect(utcRange(ms('20:30'), null)).toBe('since 20:30 UTC');
    expect(utcRange(ms('23:50'), Date.parse(at('09:37', '05')))).toBe('Apr 4 23:50–Apr 5 09:37 UTC');
  });

  test('durations, rates and lists read as people write them', () => {
    expect(duration(11)).toBe('11 min');
    expect(duration(183)).toBe('3 h 3 min');
    expect(duration(3 * 1440 + 120)).toBe('3 d 2 h');
    expect(rate(3)).toBe('3/min');
    expect(rate(0.45)).toBe('0.5/min');
    expect(rate(27.4)).toBe('27/min');
    expect(list(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
  });
});

describe('timeSignal()', () => {
  test('a vendor incident posted 11 min after our first error aligns fully and says so', () => {
    const s = timeSignal(vendorTimes(), ours);
    expect(s.value).toBe(1);
    expect(s.veto).toBeUndefined();
    expect(s.evidence).toBe(
      "100ms 'Recording failures in Europe' posted 20:58 UTC, 11 min after our first error on 100ms (20:47 UTC), still open",
    );
  });

  test('a backdated vendor incident shows both its start and its post', () => {
    const s = timeSignal(vendorTimes({ startedAt: at('20:40'), postedAt: at('21:20') }), ours);
    expect(s.value).toBe(1);
    expect(s.evidence).toContain('started 20:40 UTC, posted 21:20 UTC, 33 min after our first error');
  });

  test('a vendor incident starting 90 min after our onset is half way to a veto', () => {
    const s = timeSignal(vendorTimes({ startedAt: at('22:17'), postedAt: at('22:17') }), ours);
    expect(s.value).toBeCloseTo(0, 5);
    expect(s.veto).toBeUndefined();
  });

  test('a vendor incident starting 3 h after ours is vetoed as too late', () => {
    const s = timeSignal(vendorTimes({ startedAt: at('23:50'), postedAt: at('23:50') }), ours);
    expect(s).toMatchObject({ value: -1, veto: true });
    expect(s.evidence).toContain('3 h 3 min after our first error on 100ms (20:47 UTC): too late');
  });

  test('a vendor incident resolved before our onset is vetoed', () => {
    const s = timeSignal(vendorTimes({ startedAt: at('18:00'), resolvedAt: at('19:00') }), ours);
    expect(s).toMatchObject({ value: -1, veto: true });
    expect(s.evidence).toContain('was resolved at 19:00 UTC, 1 h 47 min before our first error');
  });

  test('a vendor incident open for hours before our onset still overlaps but says less', () => {
    const s = timeSignal(vendorTimes({ startedAt: at('15:00'), postedAt: at('15:10') }), ours);
    expect(s.value).toBe(0.5);
    expect(s.evidence).toContain('had been open since 15:00 UTC, 5 h 47 min before');
  });

  test('a maintenance window counts only when it covers our onset', () => {
    const window = { kind: 'maintenance' as const, postedAt: at('08:00'), scheduledFor: at('20:30') };
    const covering = timeSignal(vendorTimes({ ...window, scheduledUntil: at('22:00') }), ours);
    expect(covering.value).toBe(1);
    expect(covering.evidence).toContain('maintenance window 20:30–22:00 UTC covering our onset (20:47 UTC)');
    const over = timeSignal(
      vendorTimes({ ...window, scheduledFor: at('18:00'), scheduledUntil: at('19:00') }),
      ours,
    );
    expect(over).toMatchObject({ value: -1, veto: true });
  });

  test('a suspected issue starting an hour after our incident is vetoed; one starting with it aligns', () => {
    const suspect: SuspectedIssue = {
      id: 's',
      vendor: '100ms',
      region: '',
      since: at('20:47'),
      detectedAt: at('20:50'),
      closedAt: null,
      services: ['backstage'],
      ratePerMin: 30,
      baselinePerMin: 3,
    };
    expect(suspectTimeSignal(suspect, ours).value).toBe(1);
    const late = suspectTimeSignal({ ...suspect, since: at('22:00'), detectedAt: at('22:03') }, ours);
    expect(late).toMatchObject({ value: -1, veto: true });
  });
});

describe('regionSignal()', () => {
  const euWest = ourRegions(['eu-west-1']);

  test('a vendor region containing ours matches with the taxonomy score and both names', () => {
    const s = regionSignal('100ms', ['macro:europe'], euWest, {
      evidence: [{ id: 'macro:europe', raw: 'EU', from: 'title' }],
    });
    expect(s.value).toBe(0.85);
    expect(s.evidence).toBe('regions match (EU ⊃ eu-west-1)');
  });

  test('a region scoped to customers elsewhere vetoes only while our calls to the vendor stay healthy', () => {
    const context = {
      evidence: [{ id: 'country:us', raw: 'US East', from: 'title' as const }],
      text: 'Customers in US East may see failed recordings',
    };
    const healthy = regionSignal('100ms', ['country:us'], euWest, { ...context, callsHealthy: true });
    expect(healthy).toMatchObject({ value: -1, veto: true, scope: 'customer' });
    expect(healthy.evidence).toBe(
      'regions differ: 100ms scopes customer impact to US East, we are in eu-west-1, and our calls to it stay healthy',
    );
    const failing = regionSignal('100ms', ['country:us'], euWest, { ...context, callsHealthy: false });
    expect(failing).toMatchObject({ value: -1, scope: 'customer' });
    expect(failing.veto).toBeUndefined();
  });

  test('a named region elsewhere pushes away without a veto', () => {
    const s = regionSignal('100ms', ['country:us'], euWest, {
      evidence: [{ id: 'country:us', raw: 'US East', from: 'title' }],
      text: 'Recording failures in US East',
      callsHealthy: true,
    });
    expect(s).toMatchObject({ value: -0.8, scope: 'named' });
    expect(s.veto).toBeUndefined();
    expect(s.evidence).toBe('regions differ: 100ms names US East, we are in eu-west-1');
  });

  test("the vendor's own datacenter or PoP elsewhere weighs little: customers anywhere are routed there", () => {
    const s = regionSignal('tokbox', ['site:sjc'], ourRegions(['us-east-1']), {
      evidence: [{ id: 'site:sjc', raw: 'SJC', from: 'title' }],
      text: 'Connection errors after a deployment in the SJC datacenter',
      callsHealthy: true,
    });
    expect(s).toMatchObject({ value: -0.3, scope: 'infrastructure' });
    expect(s.veto).toBeUndefined();
    expect(
      regionSignal('x', ['city:frankfurt'], ourRegions(['us-east-1']), {
        evidence: [{ id: 'city:frankfurt', raw: 'Frankfurt', from: 'title' }],
        text: 'Degraded performance of our Frankfurt cluster',
      }).scope,
    ).toBe('infrastructure');
  });

  test('a vendor site in the same metro area as our region is nearby, never disjoint', () => {
    const s = regionSignal('tokbox', ['site:sjc'], ourRegions(['us-west-1']));
    expect(s.overlap.relation).toBe('nearby');
    expect(s.value).toBe(0.8);
    expect(s.evidence).toContain('nearby');
    expect(regionSignal('x', ['site:sjc'], ourRegions(['eu-west-1'])).overlap.relation).toBe('disjoint');
  });

  test('a region only mentioned in an update is against the vendor but no veto', () => {
    const s = regionSignal('100ms', ['country:us'], euWest, {
      evidence: [{ id: 'country:us', raw: 'US', from: 'update' }],
      text: 'Customers in the US see errors',
      callsHealthy: true,
    });
    expect(s.value).toBe(-0.5);
    expect(s.veto).toBeUndefined();
  });

  test('no vendor region is neutral, never global; a global incident matches', () => {
    const none = regionSignal('100ms', [], euWest);
    expect(none.value).toBe(0);
    expect(none.evidence).toContain('not read as global');
    expect(regionSignal('100ms', ['global'], euWest).value).toBeGreaterThan(0.5);
  });

  test('free-text team labels resolve: "eu" is Europe', () => {
    expect(regionSignal('100ms', ['aws:eu-west-1'], ourRegions(['eu'])).overlap.relation).toBe('within');
  });

  test('without any region of ours the region says nothing', () => {
    expect(regionSignal('100ms', ['country:us'], []).value).toBe(0);
  });
});

describe('componentSignal()', () => {
  test('a vendor component we declared confirms', () => {
    const s = componentSignal('100ms', ['Recording & Streaming (EU)'], ['Recording', 'RTMP Streaming']);
    expect(s.value).toBe(1);
  });

  test('only components we do not use veto the vendor incident', () => {
    const s = componentSignal('100ms', ['Dashboard', 'Billing'], ['Recording']);
    expect(s).toMatchObject({ value: -1, veto: true });
    expect(s.evidence).toBe(
      "not a component we use: 100ms names 'Dashboard' and 'Billing', we use 'Recording'",
    );
  });

  test('no components on either side is neutral', () => {
    expect(componentSignal('100ms', [], ['Recording']).value).toBe(0);
    expect(componentSignal('100ms', ['Dashboard'], []).value).toBe(0);
  });
});

describe('impactSignal()', () => {
  test('critical > major > minor > unknown > none', () => {
    const values = (['critical', 'major', 'minor', 'unknown', 'none'] as const).map(
      (i) => impactSignal('x', i, 'incident').value,
    );
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    expect(impactSignal('x', 'none', 'incident').value).toBeLessThan(0);
  });
});

describe('vendorErrorStats() and errorsSignal()', () => {
  const baseline = errors('backstage', '100ms', 'HTTP_502', '19:15', '20:46', 3);
  const outage = errors('backstage', '100ms', 'HTTP_502', '20:47', '21:00', 30);

  test('a spike of 5xx against the baseline confirms the vendor, with the numbers', () => {
    const stats = statsOf([...baseline, ...outage]);
    expect(stats.pointing).toMatchObject({ level: 'spike', count: 420, baselinePerMin: 3, ratePerMin: 30 });
    const s = errorsSignal(stats);
    expect(s.value).toBe(0.8);
    expect(s.evidence).toContain(
      '420 errors from backstage→100ms in eu-west-1 since 20:47 UTC (420 5xx) vs a baseline of 3/min: 30/min, ×10',
    );
  });

  test('a modest rise after a sparse background is read from where it begins, not diluted by the lead', () => {
    // One 5xx every 5 min all along (0.2/min), and 2/min more from 20:38 to 20:48.
    const background = errors('backstage', '100ms', 'HTTP_502', '19:15', '21:00', 1).filter(
      (e) => e.minute % 5 === 0,
    );
    expect(statsOf(background).pointing.level).toBe('baseline');
    const rise = errors('backstage', '100ms', 'HTTP_502', '20:38', '20:48', 2);
    const stats = statsOf([...background, ...rise]);
    // From 20:38: 22 + 5 background errors over 23 min = 1.17/min against the 0.5/min floor.
    expect(stats.pointing).toMatchObject({ level: 'rise', since: minuteOf(at('20:38')), count: 27 });
    expect(stats.pointing.ratio).toBeCloseTo(27 / 23 / 0.5, 5);
  });

  test('another service failing on the same vendor counts as a service hit', () => {
    const studio = errors('studio', '100ms', 'ETIMEDOUT', '20:48', '21:00', 10);
    const stats = statsOf([...baseline, ...outage, ...studio]);
    expect(stats.servicesHit).toEqual(['backstage', 'studio']);
    expect(errorsSignal(stats).value).toBe(1);
  });

  test('client errors do not make a spike: they say the caller is wrong and push away', () => {
    const stats = statsOf([...baseline, ...errors('backstage', '100ms', 'HTTP_401', '20:47', '21:00', 30)]);
    expect(stats.pointing.level).not.toBe('spike');
    const s = errorsSignal(stats);
    expect(s.value).toBe(-1);
    expect(s.evidence).toContain('420 client errors from backstage→100ms in eu-west-1 (HTTP_401)');
  });

  test('calls at baseline push away; no tagged errors at all say nothing', () => {
    expect(
      errorsSignal(statsOf(baseline.concat(errors('backstage', '100ms', 'HTTP_502', '20:47', '21:00', 3)))),
    ).toMatchObject({ value: -0.9 });
    const untagged = statsOf(errors('backstage', '', 'HTTP_500', '20:47', '21:00', 30));
    expect(untagged.measured).toBeNull();
    expect(errorsSignal(untagged).value).toBe(0);
  });

  test('a vendor the service never tags is not "at baseline": silence says nothing', () => {
    const stats = statsOf(errors('backstage', 'twilio', 'HTTP_500', '19:15', '21:00', 1));
    expect(stats.measured).toBeNull();
    const s = errorsSignal(stats);
    expect(s.value).toBe(0);
    expect(s.evidence).toContain('backstage reports no calls to 100ms');
    expect(s.evidence).toContain('neither confirms nor clears');
  });

  test('call volume makes "at baseline" a measured fact, with the failure ratio', () => {
    const calls = callCounts('backstage', '100ms', '19:15', '21:00', 3000);
    const stats = statsOf(
      [...errors('backstage', 'twilio', 'HTTP_500', '19:15', '21:00', 1)],
      '100ms',
      'backstage',
      calls,
    );
    expect(stats.measured).toBe('calls');
    const s = errorsSignal(stats);
    expect(s.value).toBe(-0.9);
    expect(s.evidence).toContain('0% of 123,000 calls to 100ms failed (0% of 180,000 before)');
  });

  test('with call volume, a spike of failures quotes the failure ratio against its baseline', () => {
    const calls = callCounts('backstage', '100ms', '19:15', '21:00', 1000);
    const stats = statsOf([...baseline, ...outage], '100ms', 'backstage', calls);
    const s = errorsSignal(stats);
    expect(s.value).toBe(0.8);
    expect(s.evidence).toContain('3% of 14,000 calls to 100ms failed (0.3% of 60,000 before)');
  });

  test('more failures only because we made more calls is not a vendor spike', () => {
    const quiet = callCounts('backstage', '100ms', '19:15', '20:46', 1000);
    const busy = callCounts('backstage', '100ms', '20:47', '21:00', 10000);
    const stats = statsOf([...baseline, ...outage], '100ms', 'backstage', [...quiet, ...busy]);
    const s = errorsSignal(stats);
    expect(s.value).toBe(0);
    expect(s.evidence).toContain('the failure ratio is not above its baseline');
  });

  test('a lone burst of background errors before the outage is not our first error', () => {
    const burst = errors('backstage', '100ms', 'HTTP_502', '20:25', '20:25', 6);
    const stats = statsOf([...burst, ...outage]);
    expect(stats.pointing.firstSpike).toBe(minuteOf(at('20:47')));
  });

  test('a few errors in the minute just judged are not a rise yet', () => {
    const lone = errors('backstage', '100ms', 'HTTP_502', '21:00', '21:00', 3);
    const stats = statsOf([...errors('backstage', '100ms', 'HTTP_502', '19:15', '20:59', 1), ...lone]);
    expect(stats.pointing.level).toBe('baseline');
    expect(stats.pointing.firstSpike).toBeNull();
  });

  test('a spike of unclassified codes (TokBox 1026) counts weakly', () => {
    const s = errorsSignal(
      statsOf(errors('partner-app', 'tokbox', '1026', '20:40', '21:00', 20), 'tokbox', 'partner-app'),
    );
    expect(s.value).toBeGreaterThanOrEqual(0.2);
    expect(s.value).toBeLessThanOrEqual(0.5);
    expect(s.evidence).toContain('(1026)');
    expect(s.evidence).toContain('their codes do not say whose fault it is');
  });
});

describe('internalSignal()', () => {
  const deploy: ChangeEvent = { at: at('20:45'), service: 'backstage', kind: 'deploy', ref: 'v812' };
  const changes = recentChanges([deploy], 'backstage', ms('20:50'));

  test('only changes of the failing service in the hour before onset compete', () => {
    expect(changes).toHaveLength(1);
    expect(recentChanges([{ ...deploy, service: 'other' }], 'backstage', ms('20:50'))).toHaveLength(0);
    expect(recentChanges([{ ...deploy, at: at('19:30') }], 'backstage', ms('20:50'))).toHaveLength(0);
    expect(internalSignal([], statsOf([]), ms('20:50'))).toBeNull();
  });

  test('a deploy with our calls to the vendor at baseline is the better explanation (veto)', () => {
    const s = internalSignal(
      changes,
      statsOf(errors('backstage', '100ms', 'HTTP_502', '19:15', '21:00', 2)),
      ms('20:50'),
    );
    expect(s).toMatchObject({ value: -1, veto: true });
    expect(s!.evidence).toBe(
      'deploy v812 of backstage at 20:45 UTC, 5 min before our incident began, and our calls to 100ms stay at baseline (2/min): the change is the better explanation',
    );
  });

  test('a deploy while our 5xx on the vendor spike only weakens the vendor', () => {
    const stats = statsOf([
      ...errors('backstage', '100ms', 'HTTP_502', '19:15', '20:46', 3),
      ...errors('backstage', '100ms', 'HTTP_502', '20:47', '21:00', 30),
    ]);
    const s = internalSignal(changes, stats, ms('20:50'));
    expect(s!.veto).toBeUndefined();
    expect(s!.value).toBe(-0.3);
  });
});

describe('ownErrorsSignal() and peersSignal()', () => {
  const twilioBaseline = errors('contact-center', 'twilio', 'HTTP_503', '19:15', '21:00', 1);
  const crm = errors('contact-center', '', 'CRM_LOOKUP_TIMEOUT', '20:45', '21:00', 20);

  test("the service's own untagged errors spiking while its vendor calls stay at baseline point at us", () => {
    const s = ownErrorsSignal(statsOf([...twilioBaseline, ...crm], 'twilio', 'contact-center'));
    expect(s).toMatchObject({ name: 'internal', value: -0.7 });
    expect(s!.evidence).toContain(
      "contact-center's own errors, naming no vendor (CRM_LOOKUP_TIMEOUT), rose to 20/min",
    );
  });

  test('untagged errors say nothing for a service that never tags vendors', () => {
    expect(ownErrorsSignal(statsOf(crm, 'twilio', 'contact-center'))).toBeNull();
  });

  test('one service failing on a vendor while another calling it in the same region is quiet', () => {
    const stats = statsOf(
      [
        ...errors('search-api', 'mongodb', 'ETIMEDOUT', '20:44', '21:00', 20),
        ...errors('report-worker', 'mongodb', 'ETIMEDOUT', '19:15', '21:00', 1),
      ],
      'mongodb',
      'search-api',
    );
    expect(stats.quietPeers.map((p) => p.service)).toEqual(['report-worker']);
    expect(peersSignal(stats, true)).toMatchObject({ name: 'peers', value: -1 });
    expect(peersSignal(stats, false)!.value).toBe(-0.5);
    expect(peersSignal(stats, true)!.evidence).toContain(
      'the failure is particular to search-api, right after its own change',
    );
  });
});

describe('statedWindow()', () => {
  const update = (atIso: string, body: string) => ({ at: atIso, status: 'resolved', body });

  test("reads the vendor's own impact window from its prose, converted to UTC", () => {
    const w = statedWindow({
      updates: [
        update(
          '2025-06-13T12:36:42Z',
          'Customers may have experienced failures during the following time windows:\nJune 12 23:32 PT - June 13 00:07 PT\nJune 13 01:30 PT - June 13 01:35 PT',
        ),
      ],
    });
    expect(w).toEqual({
      from: Date.parse('2025-06-13T06:32:00Z'),
      to: Date.parse('2025-06-13T08:35:00Z'),
      ranges: [
        { from: Date.parse('2025-06-13T06:32:00Z'), to: Date.parse('2025-06-13T07:07:00Z') },
        { from: Date.parse('2025-06-13T08:30:00Z'), to: Date.parse('2025-06-13T08:35:00Z') },
      ],
    });
  });

  test('a promised next update and a time without a zone are not impact', () => {
    expect(
      statedWindow({ updates: [update('2024-01-29T19:32:00Z', 'We will post another update at 2:30 CST.')] }),
    ).toBeNull();
    expect(statedWindow({ updates: [update('2024-01-29T19:32:00Z', 'Errors since 10:00.')] })).toBeNull();
  });

  test('a vendor incident posted hours later but stating a window at our onset aligns', () => {
    const s = timeSignal(
      vendorTimes({
        startedAt: at('23:50'),
        postedAt: at('23:50'),
        resolvedAt: at('23:50'),
        updates: [update(at('23:50'), 'Messages failed between 20:45 UTC and 21:20 UTC.')],
      }),
      ours,
    );
    expect(s.value).toBe(1);
    expect(s.evidence).toContain('stating impact 20:45–21:20 UTC');
  });
});

describe('commonModeOf()', () => {
  const w = errorWindow(ms('20:50'), ms('21:00'));

  test('three vendors failing within 5 min with timeouts is us, and vetoes', () => {
    const index = indexErrors(
      [
        ...errors('backstage', 'a', 'ETIMEDOUT', '20:47', '21:00', 10),
        ...errors('backstage', 'b', 'ENOTFOUND', '20:48', '21:00', 10),
        ...errors('backstage', 'c', 'HTTP_503', '20:50', '21:00', 10),
      ],
      w,
    );
    const cm = commonModeOf(index, 'backstage', ['a', 'b', 'c', 'd']);
    expect(cm).toMatchObject({ vendors: ['a', 'b', 'c'] });
    expect(cm!.networkShare).toBeCloseTo(270 / 380, 5);
    expect(commonModeSignal(cm!).veto).toBe(true);
  });

  test('two of three declared vendors failing, or failing 20 min apart, is not common mode', () => {
    const two = indexErrors(
      [
        ...errors('backstage', 'a', 'HTTP_503', '20:47', '21:00', 10),
        ...errors('backstage', 'b', 'HTTP_503', '20:48', '21:00', 10),
      ],
      w,
    );
    expect(commonModeOf(two, 'backstage', ['a', 'b', 'c'])).toBeNull();
    const apart = indexErrors(
      [
        ...errors('backstage', 'a', 'HTTP_503', '20:30', '21:00', 10),
        ...errors('backstage', 'b', 'HTTP_503', '20:50', '21:00', 10),
      ],
      w,
    );
    expect(commonModeOf(apart, 'backstage', ['a', 'b'])).toBeNull();
  });

  test('a vendor already failing earlier does not hide three others failing together', () => {
    const index = indexErrors(
      [
        ...errors('backstage', 'a', 'HTTP_503', '20:25', '21:00', 10),
        ...errors('backstage', 'b', 'ECONNREFUSED', '20:50', '21:00', 10),
        ...errors('backstage', 'c', 'ECONNREFUSED', '20:51', '21:00', 10),
        ...errors('backstage', 'd', 'EHOSTUNREACH', '20:52', '21:00', 10),
      ],
      w,
    );
    expect(commonModeOf(index, 'backstage', ['a', 'b', 'c', 'd', 'e'])).toMatchObject({
      vendors: ['b', 'c', 'd'],
    });
  });

  test('two vendors refusing connections together right after our change is us', () => {
    const index = indexErrors(
      [
        ...errors('backstage', 'a', 'ECONNREFUSED', '20:50', '21:00', 10),
        ...errors('backstage', 'b', 'EHOSTUNREACH', '20:51', '21:00', 10),
      ],
      w,
    );
    expect(commonModeOf(index, 'backstage', ['a', 'b', 'c'])).toBeNull();
    expect(commonModeOf(index, 'backstage', ['a', 'b', 'c'], true)).toMatchObject({ vendors: ['a', 'b'] });
  });

  test('every declared vendor failing at once with codes of no class (a local trust error) is common mode too', () => {
    const index = indexErrors(
      [
        ...errors('backstage', 'a', 'LOCAL_TRUST_FAILURE', '20:47', '21:00', 10),
        ...errors('backstage', 'b', 'LOCAL_TRUST_FAILURE', '20:48', '21:00', 10),
      ],
      w,
    );
    expect(commonModeOf(index, 'backstage', ['a', 'b'])).toMatchObject({ vendors: ['a', 'b'] });
  });

  test('a peer whose unclassified errors on the vendor spike is hit, not quiet', () => {
    const stats = statsOf([
      ...errors('backstage', '100ms', 'ECONNREFUSED', '20:47', '21:00', 20),
      ...errors('studio', '100ms', 'SQLSTATE_2002', '20:47', '21:00', 12),
    ]);
    expect(stats.quietPeers).toEqual([]);
    expect(stats.servicesHit).toEqual(['backstage', 'studio']);
  });

  test('every declared vendor answering 5xx at once pushes away without a veto', () => {
    const index = indexErrors(
      [
        ...errors('backstage', 'a', 'HTTP_503', '20:47', '21:00', 10),
        ...errors('backstage', 'b', 'HTTP_500', '20:48', '21:00', 10),
      ],
      w,
    );
    const cm = commonModeOf(index, 'backstage', ['a', 'b']);
    expect(cm).not.toBeNull();
    expect(commonModeSignal(cm!)).toMatchObject({ value: -1 });
    expect(commonModeSignal(cm!).veto).toBeUndefined();
  });
});

describe('combine()', () => {
  test('is the logistic of bias plus weighted values, and a veto caps it', () => {
    const time = { name: 'time' as const, value: 1, evidence: '' };
    expect(combine([time])).toBeCloseTo(1 / (1 + Math.exp(-(SCORING.bias + SCORING.weights.time))), 2);
    expect(
      combine([time, { name: 'errors', value: 1, evidence: '' }, { name: 'region', value: 1, evidence: '' }]),
    ).toBeGreaterThan(SCORING.upstreamAt);
    expect(combine([time, { name: 'region', value: -1, evidence: '', veto: true }])).toBeLessThanOrEqual(
      SCORING.vetoCap,
    );
    expect(combine([time], 0.05)).toBe(0.05);
  });
});

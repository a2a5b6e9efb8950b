import { describe, expect, test } from 'vitest';
import { findTimes, parseProseTime } from '../src/core/time/prose-time.js';
import {
  parseOffset,
  resolveZoneLabel,
  splitTrailingOffset,
  wallTimeToUtc,
  writtenZoneSource,
  zoneOffsetMinutes,
} from '../src/core/time/time-zones.js';
import { hasSharedFixtures, readShared } from './support/fixtures.js';

const at = (text: string, reference: string, zoneHint?: string) =>
  parseProseTime(text, { reference: new Date(reference), ...(zoneHint ? { zoneHint } : {}) });

describe('parseProseTime() on the forms status pages and postmortems write', () => {
  test.each([
    ['Posted Aug 21, 2024 - 09:28 EDT', '2024-08-21T13:28:00.000Z'],
    ['Posted Apr 04, 2024 - 20:46 UTC', '2024-04-04T20:46:00.000Z'],
    ['On 2/23/2017, 12:08pm Pacific Time, TokBox began', '2017-02-23T20:08:00.000Z'],
    ['2024-01-29 14:05 UTC', '2024-01-29T14:05:00.000Z'],
    ['2024-01-29T14:05:00Z', '2024-01-29T14:05:00.000Z'],
    ['2024-01-29T14:05:00.000-07:00', '2024-01-29T21:05:00.000Z'],
    ['from 14:00 UTC on Jan 29, 2024', '2024-01-29T14:00:00.000Z'],
    ['Monday, January 29, 2024, at approximately 11:20am EST', '2024-01-29T16:20:00.000Z'],
    ['25 January 2024 at 9:00 CET', '2024-01-25T08:00:00.000Z'],
    ['at 10:00 (UTC+2)', '2024-06-01T08:00:00.000Z'],
    ['at 10:00 Europe/Paris', '2024-06-01T08:00:00.000Z'],
    ['at 3 p.m. ET', '2024-06-01T19:00:00.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(at(text, '2024-06-01T12:00:00Z')).toBe(expected);
  });

  test('a date with no year takes the year nearest the reference, across December → January', () => {
    const reference = '2014-01-09T16:00:23-08:00';
    expect(at('Jan  1, 09:09 PST', reference)).toBe('2014-01-01T17:09:00.000Z');
    expect(at('Dec 29, 12:20 PST', reference)).toBe('2013-12-29T20:20:00.000Z');
  });

  test('"PST" written on a summer date reads as Pacific daylight time (-07:00), as the zone rules say', () => {
    expect(at('Oct 21, 16:27 PST', '2013-10-21T16:27:30-07:00')).toBe('2013-10-21T23:27:00.000Z');
    expect(at('Jul 22, 15:04 PST', '2013-07-22T15:04:43-07:00')).toBe('2013-07-22T22:04:00.000Z');
  });

  test('a bare time takes the reference day and the 12-hour reading nearest the reference', () => {
    // Serraview, posted 16:26 UTC (10:26 CST): "another update at 2:30 CST" is that afternoon.
    expect(at('We will post another update at 2:30 CST.', '2024-01-29T16:26:00Z')).toBe(
      '2024-01-29T20:30:00.000Z',
    );
    // Posted a few minutes after midnight UTC: 23:50 is the evening before.
    expect(at('resolved at 23:50 UTC', '2024-01-30T00:05:00Z')).toBe('2024-01-29T23:50:00.000Z');
  });

  test('with no zone written, the hint zone applies, else UTC', () => {
    expect(at('at 10:00', '2024-06-01T12:00:00Z', 'America/New_York')).toBe('2024-06-01T14:00:00.000Z');
    expect(at('at 10:00', '2024-06-01T12:00:00Z', '-07:00')).toBe('2024-06-01T17:00:00.000Z');
    expect(at('at 10:00', '2024-06-01T12:00:00Z')).toBe('2024-06-01T10:00:00.000Z');
  });

  test('lower-case abbreviations are words, not zones ("est" is not EST)', () => {
    const [mention] = findTimes('at 9:00 est today', { reference: new Date('2024-06-01T12:00:00Z') });
    expect(mention).toMatchObject({ raw: '9:00', zoneFrom: 'default', at: '2024-06-01T09:00:00.000Z' });
  });

  test('a date alone is not an instant', () => {
    expect(at('Thursday, January 25, 2024', '2024-02-01T00:00:00Z')).toBeNull();
    expect(at('We are investigating.', '2024-02-01T00:00:00Z')).toBeNull();
  });

  test('numbers that are not times or dates are left alone', () => {
    const text =
      'error code 1026, 24/7 support, 99.99% uptime, v1.2.3, 10hrs 35mins, a 15:1 ratio, 2/23 - Deployment, host:8080';
    expect(findTimes(text, { reference: new Date('2024-06-01T12:00:00Z') })).toEqual([]);
  });
});

describe('findTimes() spans, ranges and carried context', () => {
  const reference = new Date('2023-08-17T16:03:00Z');

  test('"August 11th : 9:35 > 10:42 CEST" is one range in CEST, in the year of the reference', () => {
    expect(
      findTimes('These instabilities occurred :\n- August 11th : 9:35 > 10:42 CEST', { reference }),
    ).toEqual([
      {
        at: '2023-08-11T07:35:00.000Z',
        end: '2023-08-11T08:42:00.000Z',
        raw: 'August 11th : 9:35 > 10:42 CEST',
        span: { from: 33, to: 64 },
        precision: 'minute',
        zoneFrom: 'text',
      },
    ]);
  });

  test('"1:05 PT to 2:10 PT" after "12:08pm Pacific Time" is the same afternoon', () => {
    const mentions = findTimes(
      'On 2/23/2017, 12:08pm Pacific Time, we deployed. Errors rose from 1:05 PT to 2:10 PT.',
    );
    expect(mentions.map((m) => [m.at, m.end])).toEqual([
      ['2017-02-23T20:08:00.000Z', undefined],
      ['2017-02-23T21:05:00.000Z', '2017-02-23T22:10:00.000Z'],
    ]);
  });

  test('"between 3:05 PM and 4:40 PM Pacific" is a range whose zone covers both ends', () => {
    const [mention] = findTimes('sent between 3:05 PM and 4:40 PM Pacific might', {
      reference: new Date('2013-08-12T16:49:00-07:00'),
    });
    expect(mention).toMatchObject({ at: '2013-08-12T22:05:00.000Z', end: '2013-08-12T23:40:00.000Z' });
  });

  test('times in UTC, at an offset or after an ISO date are a 24-hour clock: "1:30 UTC" is 01:30', () => {
    const reference = new Date('2026-01-08T01:32:48Z');
    const mentions = findTimes(
      'On January 8th, 2026, between approximately 00:00 and 1:30 UTC, errors rose.',
      {
        reference,
      },
    );
    expect(mentions.map((m) => [m.precision, m.at, m.end])).toEqual([
      ['day', '2026-01-08T00:00:00.000Z', undefined],
      ['minute', '2026-01-08T00:00:00.000Z', '2026-01-08T01:30:00.000Z'],
    ]);
    expect(at('2021-12-08 1:55 resolved', '2021-12-16T16:56:37Z')).toBe('2021-12-08T01:55:00.000Z');
  });

  test("a range's start takes the date written at its end; each end keeps its own zone", () => {
    const reference = new Date('2026-06-08T13:56:31Z');
    expect(findTimes('between 9:02 and 9:11 UTC on May 25, errors rose', { reference })).toMatchObject([
      { at: '2026-05-25T09:02:00.000Z', end: '2026-05-25T09:11:00.000Z' },
    ]);
    expect(findTimes('Jan 7, 2025 from 17:00 UTC through 9:30am PT', { reference })).toMatchObject([
      { at: '2025-01-07T17:00:00.000Z', end: '2025-01-07T17:30:00.000Z' },
    ]);
  });

  test('"UTC - 11:23" is a range separator, not an offset; "UTC-7" is an offset', () => {
    const reference = new Date('2025-07-15T12:00:00Z');
    expect(findTimes('2025-07-14 22:00UTC - 11:23UTC', { reference })).toMatchObject([
      { at: '2025-07-14T22:00:00.000Z', end: '2025-07-15T11:23:00.000Z' },
    ]);
    expect(findTimes('2025-07-14 22:00 UTC-7', { reference })).toMatchObject([
      { at: '2025-07-15T05:00:00.000Z' },
    ]);
  });

  test('a range that ends past midnight ends the next day', () => {
    const [mention] = findTimes('Maintenance Apr 7, 22:00 - 02:00 UTC', { reference });
    expect(mention).toMatchObject({ at: '2023-04-07T22:00:00.000Z', end: '2023-04-08T02:00:00.000Z' });
  });

  test('a bare time takes the last written date and zone; evening after evening stays the same day', () => {
    const text =
      'Thursday, January 25, 2024\nAt 4:11pm EST teams investigated. At 8:08pm, customers were told.';
    expect(findTimes(text).map((m) => [m.precision, m.at, m.zoneFrom])).toEqual([
      ['day', '2024-01-25T00:00:00.000Z', 'default'],
      ['minute', '2024-01-25T21:11:00.000Z', 'text'],
      ['minute', '2024-01-26T01:08:00.000Z', 'carried'],
    ]);
  });

  test('a 12-hour time with no am/pm on a written date takes working hours', () => {
    const mentions = findTimes('Jan 25, 2024 at 9:30 ET; Jan 25, 2024 at 4:15 ET');
    expect(mentions.map((m) => m.at)).toEqual(['2024-01-25T14:30:00.000Z', '2024-01-25T21:15:00.000Z']);
  });

  test('with no reference, a year-less date waits for the first fully dated mention', () => {
    const mentions = findTimes('Started Aug 11, 9:35 CEST. Posted Aug 17, 2023 - 18:03 CEST');
    expect(mentions.map((m) => m.at)).toEqual(['2023-08-11T07:35:00.000Z', '2023-08-17T16:03:00.000Z']);
    expect(findTimes('Started Aug 11, 9:35 CEST.')).toEqual([]);
  });
});

describe('zone labels and their ambiguity rule', () => {
  const july = Date.parse('2024-07-01T12:00:00Z');
  const zoneOf = (label: string, hint?: string) =>
    resolveZoneLabel(label, { ...(hint ? { hint } : {}), at: july });

  test('IST is India unless the hint says Ireland or Israel', () => {
    expect(zoneOf('IST')).toEqual({ zone: 'Asia/Kolkata' });
    expect(zoneOf('IST', 'Europe/Dublin')).toEqual({ zone: 'Europe/Dublin' });
    expect(zoneOf('IST', 'country:ie')).toEqual({ zone: 'Europe/Dublin' });
    expect(zoneOf('IST', 'il')).toEqual({ zone: 'Asia/Jerusalem' });
    // An unrelated European zone still picks the European reading.
    expect(zoneOf('IST', 'Europe/Paris')).toEqual({ zone: 'Europe/Dublin' });
  });

  test('CST is US Central unless the hint is China or a zone at China time', () => {
    expect(zoneOf('CST')).toEqual({ zone: 'America/Chicago' });
    expect(zoneOf('CST', 'cn')).toEqual({ zone: 'Asia/Shanghai' });
    expect(zoneOf('CST', 'Asia/Taipei')).toEqual({ zone: 'Asia/Shanghai' });
    expect(zoneOf('CST', '+08:00')).toEqual({ zone: 'Asia/Shanghai' });
    expect(zoneOf('CST', 'America/Chicago')).toEqual({ zone: 'America/Chicago' });
  });

  test('BST is British Summer Time unless the hint is Bangladesh', () => {
    expect(zoneOf('BST')).toEqual({ zone: 'Europe/London' });
    expect(zoneOf('BST', 'Asia/Dhaka')).toEqual({ zone: 'Asia/Dhaka' });
  });

  test('MST follows Denver rules; the America/Phoenix hint keeps Arizona off DST', () => {
    expect(at('July 1, 2024 10:00 MST', '2024-07-01T00:00:00Z')).toBe('2024-07-01T16:00:00.000Z');
    expect(at('July 1, 2024 10:00 MST', '2024-07-01T00:00:00Z', 'America/Phoenix')).toBe(
      '2024-07-01T17:00:00.000Z',
    );
  });

  test('names, offsets and IANA zones resolve; unknown labels do not', () => {
    expect(resolveZoneLabel('Pacific Time')).toEqual({ zone: 'America/Los_Angeles' });
    expect(resolveZoneLabel('central european summer time')).toEqual({ zone: 'Europe/Berlin' });
    expect(resolveZoneLabel('UTC+5:30')).toEqual({ offsetMinutes: 330 });
    expect(resolveZoneLabel('Asia/Tokyo')).toEqual({ zone: 'Asia/Tokyo' });
    expect(resolveZoneLabel('XYZ')).toBeNull();
  });

  test('offsets come from the zone rules on the date', () => {
    expect(zoneOffsetMinutes('America/Los_Angeles', Date.parse('2024-01-15T00:00:00Z'))).toBe(-480);
    expect(zoneOffsetMinutes('America/Los_Angeles', july)).toBe(-420);
    expect(zoneOffsetMinutes('Asia/Kolkata', july)).toBe(330);
    expect(parseOffset('GMT−07:00')).toBe(-420);
    expect(parseOffset('+0545')).toBe(345);
    expect(parseOffset('+25:00')).toBeNull();
    // Noon on the day Europe/Berlin falls back is already CET (+01:00): the offset is taken at the instant, not at midnight.
    const fallBack = wallTimeToUtc(Date.UTC(2024, 9, 27, 12, 0), { zone: 'Europe/Berlin' });
    expect(new Date(fallBack).toISOString()).toBe('2024-10-27T11:00:00.000Z');
  });
});

describe('numeric zones after a page time', () => {
  const written = new RegExp(`^${writtenZoneSource}$`, 'i');

  test('reads GMT+08:00, UTC-5, GMT-0330, GMT +08:00, +05:30, -0700 and +08 as fixed offsets', () => {
    const forms: [string, number][] = [
      ['GMT+08:00', 480],
      ['UTC-5', -300],
      ['GMT-0330', -210],
      ['GMT +08:00', 480],
      ['+05:30', 330],
      ['-0700', -420],
      ['+08', 480],
    ];
    for (const [form, minutes] of forms) {
      expect(written.test(form), form).toBe(true);
      expect(resolveZoneLabel(form), form).toEqual({ offsetMinutes: minutes });
    }
    expect(written.test('PDT')).toBe(true);
  });

  test('splits the offset off the end of a time, and only after a time', () => {
    expect(splitTrailingOffset('Feb 10, 2026 09:00 GMT+08:00')).toEqual({
      rest: 'Feb 10, 2026 09:00',
      offsetMinutes: 480,
    });
    expect(splitTrailingOffset('Feb 10, 2026 09:00 UTC-5')?.offsetMinutes).toBe(-300);
    expect(splitTrailingOffset('2026-02-10T09:00:00+05:30')).toEqual({
      rest: '2026-02-10T09:00:00',
      offsetMinutes: 330,
    });
    expect(splitTrailingOffset('Feb 10, 2026 09:00 GMT-0330')?.offsetMinutes).toBe(-210);
    expect(splitTrailingOffset('2026-02-10')).toBeNull();
    expect(splitTrailingOffset('Feb 10, 2026 09:00 PST')).toBeNull();
  });

  test('reads the numeric zone after a time in prose, a spaced "+" offset included', () => {
    const reference = new Date('2026-02-11T00:00:00Z');
    const read = (text: string) => findTimes(text, { reference }).map((m) => [m.at, m.zoneFrom]);
    expect(read('Feb 10, 09:00 GMT+08:00')).toEqual([['2026-02-10T01:00:00.000Z', 'text']]);
    expect(read('Feb 10, 09:00 GMT +08:00')).toEqual([['2026-02-10T01:00:00.000Z', 'text']]);
    expect(read('Feb 10, 09:00 UTC-5')).toEqual([['2026-02-10T14:00:00.000Z', 'text']]);
    expect(read('Feb 10, 09:00 GMT-0330')).toEqual([['2026-02-10T12:30:00.000Z', 'text']]);
    expect(read('Feb 10, 09:00 +05:30')).toEqual([['2026-02-10T03:30:00.000Z', 'text']]);
    expect(read('Jul 10, 09:00 +05:30')).toEqual([['2026-07-10T03:30:00.000Z', 'text']]);
    // A "-" after a time still starts a range.
    expect(findTimes('9:35-10:42 PDT', { reference }).map((m) => m.end !== null)).toEqual([true]);
  });

  test('a fixed offset gives the same UTC time in January and July (no DST applies)', () => {
    for (const month of [0, 6]) {
      const wall = Date.UTC(2025, month, 10, 9, 0);
      const at = wallTimeToUtc(wall, resolveZoneLabel('UTC-5')!);
      expect(at - wall).toBe(5 * 3_600_000);
      expect(wallTimeToUtc(wall, resolveZoneLabel('+05:30')!) - wall).toBe(-330 * 60_000);
    }
  });
});

describe.skipIf(!hasSharedFixtures)('the 2014 Statuspage RSS (Parse): "PST" labels on -0700 dates', () => {
  test("each entry's newest status change equals its pubDate, to the minute", async () => {
    const rss = await readShared('real/statuspage/parse_history_2014-01-09.rss');
    const items = [...rss.matchAll(/<item>([\s\S]*?)<\/item>/g)].map((m) => m[1]!);
    const checked = items.flatMap((item) => {
      const pubDate = /<pubDate>([^<]+)<\/pubDate>/.exec(item)?.[1];
      // pubDate is the latest status change; a postmortem posted later is not one.
      const updates = [...item.matchAll(/&lt;small&gt;(.*?)&lt;\/small&gt;&lt;br&gt;&lt;strong&gt;(\w+)/g)];
      const small = updates.find((u) => u[2] !== 'Postmortem')?.[1];
      if (!pubDate || !small) return [];
      const published = new Date(pubDate);
      const expected = new Date(Math.floor(published.getTime() / 60_000) * 60_000).toISOString();
      return [[small, parseProseTime(small, { reference: published }), expected]];
    });
    expect(checked.length).toBeGreaterThan(10);
    expect(checked.some(([small]) => small!.startsWith('Jul'))).toBe(true);
    for (const [small, got, expected] of checked) expect(got, small!).toBe(expected);
  });
});

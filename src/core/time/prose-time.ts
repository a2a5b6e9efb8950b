import {
  hintZone,
  offsetAt,
  resolveZoneLabel,
  wallTimeToUtc,
  zoneLabels,
  type ZoneRef,
} from './time-zones.js';

/**
 * Times as status texts and postmortems write them: "Posted Aug 21, 2024 - 09:28 EDT",
 * "On 2/23/2017, 12:08pm Pacific Time", "At 1:05 PT", "August 11th : 9:35 > 10:42 CEST",
 * "Jan  1, 09:09 PST", "2024-01-29 14:05 UTC", ISO strings.
 *
 * What is not written is inferred, in this order:
 * - Zone: the label next to the time (or the other end of its range), else the last label earlier in
 *   the text, else the hint when it is a zone or offset, else UTC (`zoneFrom` says which).
 * - Year: the one that puts the date nearest the previous mention, or the reference before any.
 * - Date: a bare time takes the last date written before it ("Thursday, January 25, 2024" … "at 4:11pm"),
 *   else the day, the day before or the day after the previous mention (or the reference), whichever
 *   lands nearest it; after a mention, going back counts double, because timelines move forward.
 * - am/pm: "1:05" (hour 1–12, no leading zero, no seconds, no am/pm) is a 12-hour clock and takes the
 *   reading the date rule picks; with a written date it takes working hours (7–11 am, 12 noon, 1–6 pm).
 *   "09:09", "13:00", times after an ISO date and times labelled UTC or with an offset (there or
 *   earlier in the text) are a 24-hour clock.
 *   A range's end is the first reading at or after its start.
 * - Ranges: "9:35 > 10:42", "1:05 PT to 2:10 PT", "13:00 - 17:00 UTC", "between 3:05 PM and 4:40 PM
 *   Pacific"; a zone or date written at one end applies to both.
 * - Numeric dates are US month/day/year ("2/23/2017") unless the first number exceeds 12; a numeric date
 *   without a year ("2/23") is not read, as it is too easily a fraction.
 */

/** Options for reading times: the reference (when the text was written) and the page's zone or country. */
export interface ProseTimeOptions {
  reference?: Date;
  /** The vendor page's IANA time zone, a fixed offset ("-07:00"), or a country ("us", "country:in"). */
  zoneHint?: string;
}

/** One time found in a text: its instant (and end, for a range) and where it was written. */
export interface TimeMention {
  at: string;
  end?: string;
  raw: string;
  span: { from: number; to: number };
  /** `day` for a date with no clock time ("Thursday, January 25, 2024"): `at` is its midnight. */
  precision: 'minute' | 'day';
  zoneFrom: 'text' | 'carried' | 'hint' | 'default';
}

interface DateAtom {
  year?: number;
  month: number;
  day: number;
}
interface TimeAtom {
  hour: number;
  minute: number;
  second: number;
  meridiem?: 'a' | 'p';
  ambiguous: boolean;
  zone?: string;
}
interface Atom {
  from: number;
  to: number;
  date?: DateAtom;
  time?: TimeAtom;
}
interface Item extends Atom {
  end?: Atom;
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const monthNames =
  'Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?';
const weekday = '(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\\.?,?\\s+)?';
const datePatterns: { pattern: RegExp; read: (m: RegExpExecArray) => DateAtom | null }[] = [
  {
    pattern: new RegExp(
      `\\b${weekday}(${monthNames})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s*(\\d{4})\\b)?`,
      'gi',
    ),
    read: (m) => namedDate(m[1], m[2], m[3]),
  },
  {
    pattern: new RegExp(
      `\\b${weekday}(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${monthNames})\\b\\.?(?:,?\\s+(\\d{4})\\b)?`,
      'gi',
    ),
    read: (m) => namedDate(m[2], m[1], m[3]),
  },
  {
    pattern: /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/g,
    read: (m) => ({ year: +m[1]!, month: +m[2]! - 1, day: +m[3]! }),
  },
  {
    pattern: /(?<![\d/.])(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?![\d/])/g,
    read: ([, a = '', b = '', y = '']) => {
      const [month, day] = +a > 12 ? [+b, +a] : [+a, +b];
      return { year: y.length === 2 ? 2000 + +y : +y, month: month - 1, day };
    },
  },
];

const timePattern =
  /(?<![\d:.A-SU-Za-z_])(?:(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?!\d|:\d)(?:\s*([aApP])\.?[mM]\.?(?![A-Za-z]))?|(\d{1,2})\s*([aApP])\.?[mM]\.?(?![A-Za-z]))/g;
const labelSource = Object.keys(zoneLabels)
  .filter((label) => label !== 'Z')
  .sort((a, b) => b.length - a.length)
  .map((label) => label.replace(/ /g, '\\s+'))
  .join('|');
const zonePattern = new RegExp(
  `[ \\t]*\\(?[ \\t]*((?:UTC|GMT) ?[+\\-−]\\d{1,2}(?::?\\d{2})?(?![\\d:])|(?:${labelSource})(?![A-Za-z])|[A-Z][a-z]+\\/[A-Za-z_]+(?:\\/[A-Za-z_]+)?)\\)?`,
  'iy',
);
const attachedZone = /(Z|[+-]\d{2}:?\d{2})(?![\w:])/y;
// A plus-signed offset after a space ("09:00 +05:30") cannot start a range, unlike "-".
const spacedPlusOffset = /[ \t]+(\+\d{2}(?::?\d{2})?)(?![\w:])/y;
const dateTimeGap =
  /^[ \t]*(?:(?:[,:@~–—-]|at|approx(?:imately|\.)?|about|around|from|starting)[ \t]*)*$|^T$/i;
const timeDateGap = /^[ \t]*(?:,|on|,[ \t]*on)?[ \t]*$/i;
const rangeGap = /^[ \t]*(?:[>–—-]|to|until|till|through|thru)[ \t]*$/i;

function namedDate(month = '', day = '', year?: string): DateAtom | null {
  if (!/^[A-Z]/.test(month)) return null;
  return {
    month: months.indexOf(month.slice(0, 3).toLowerCase()),
    day: +day,
    ...(year ? { year: +year } : {}),
  };
}

/** Every date and time in `text`, in order, resolved to UTC under the rules in this file's header. */
export function findTimes(text: string, options: ProseTimeOptions = {}): TimeMention[] {
  const items = combine(text, atoms(text));
  let reference = options.reference?.getTime() ?? null;
  if (reference === null) {
    // No reference: the first mention that writes its full date stands in for one.
    const first = items.find((item) => item.date?.year !== undefined);
    reference = first ? (resolve(first, newContext(null), options.zoneHint)?.at ?? null) : null;
  }
  const context = newContext(reference);
  const mentions: TimeMention[] = [];
  for (const item of items) {
    const resolved = resolve(item, context, options.zoneHint);
    if (!resolved) continue;
    const to = item.end?.to ?? item.to;
    mentions.push({
      at: new Date(resolved.at).toISOString(),
      ...(resolved.end !== undefined ? { end: new Date(resolved.end).toISOString() } : {}),
      raw: text.slice(item.from, to),
      span: { from: item.from, to },
      precision: item.time ? 'minute' : 'day',
      zoneFrom: resolved.zoneFrom,
    });
  }
  return mentions;
}

/** The first clock time in `text` as an ISO UTC instant, or null when there is none (a date alone is not an instant). */
export function parseProseTime(text: string, options: ProseTimeOptions & { reference: Date }): string | null {
  return findTimes(text, options).find((m) => m.precision === 'minute')?.at ?? null;
}

function atoms(text: string): Atom[] {
  const found: Atom[] = [];
  for (const { pattern, read } of datePatterns) {
    for (const m of text.matchAll(pattern)) {
      const date = read(m as RegExpExecArray);
      if (date && validDate(date)) found.push({ from: m.index, to: m.index + m[0].length, date });
    }
  }
  for (const m of text.matchAll(timePattern)) {
    const atom = timeAtom(text, m as RegExpExecArray);
    if (atom) found.push(atom);
  }
  found.sort((a, b) => a.from - b.from || b.to - a.to);
  const kept: Atom[] = [];
  for (const atom of found) if (atom.from >= (kept.at(-1)?.to ?? 0)) kept.push(atom);
  return kept;
}

function timeAtom(text: string, m: RegExpExecArray): Atom | null {
  const [, h1, minute = '0', second, ap1, h2, ap2] = m;
  const hourText = h1 ?? h2 ?? '';
  const ap = (ap1 ?? ap2)?.toLowerCase() as 'a' | 'p' | undefined;
  const hour = +hourText;
  if (+minute > 59 || (ap ? hour < 1 || hour > 12 : hour > 23)) return null;
  let to = m.index + m[0].length;
  let zone: string | undefined;
  // Attached offsets only after seconds or an ISO "T", where "9:35-10:42" cannot be a range.
  attachedZone.lastIndex = to;
  const attached = (second !== undefined || text[m.index - 1] === 'T') && attachedZone.exec(text);
  if (attached) [zone, to] = [attached[1], to + attached[0].length];
  else {
    spacedPlusOffset.lastIndex = to;
    const plus = spacedPlusOffset.exec(text);
    if (plus) [zone, to] = [plus[1], to + plus[0].length];
  }
  zonePattern.lastIndex = to;
  const label = zone === undefined ? zonePattern.exec(text) : null;
  if (label?.[1] && isZoneLabel(label[1])) {
    zone = label[1];
    to += label[0].length - (label[0].endsWith(')') && !label[0].includes('(') ? 1 : 0);
  }
  const ambiguous = !ap && hour >= 1 && hour <= 12 && !hourText.startsWith('0') && second === undefined;
  return {
    from: m.index,
    to,
    time: { hour, minute: +minute, second: +(second ?? 0), ...(ap ? { meridiem: ap } : {}), ambiguous, zone },
  };
}

// Abbreviations count only in capitals ("EST", not "est"), one-word names and IANA names capitalized
// ("Pacific", not "central servers"), longer names, UTC/GMT and offsets in any case.
function isZoneLabel(label: string): boolean {
  const written =
    label === label.toUpperCase() ||
    /\s|^(?:utc|gmt)/i.test(label) ||
    (/^[A-Z][a-z]/.test(label) && (label.length > 5 || label.includes('/')));
  return written && resolveZoneLabel(label) !== null;
}

function combine(text: string, list: Atom[]): Item[] {
  const merged: Item[] = [];
  for (let i = 0; i < list.length; i++) {
    const [a, b] = [list[i]!, list[i + 1]];
    const gap = b ? text.slice(a.to, b.from) : '';
    if (b && a.date && !a.time && b.time && !b.date && gap.length <= 30 && dateTimeGap.test(gap)) {
      // After an ISO date ("2021-12-08 1:55") the clock is 24-hour.
      const iso = /^\d{4}-/.test(text.slice(a.from, a.to));
      merged.push({
        from: a.from,
        to: b.to,
        date: a.date,
        time: iso ? { ...b.time, ambiguous: false } : b.time,
      });
      i++;
    } else if (b && a.time && !a.date && b.date && !b.time && timeDateGap.test(gap)) {
      merged.push({ from: a.from, to: b.to, date: b.date, time: a.time });
      i++;
    } else merged.push(a);
  }
  const items: Item[] = [];
  for (let i = 0; i < merged.length; i++) {
    const [a, b] = [merged[i]!, merged[i + 1]];
    const gap = b ? text.slice(a.to, b.from) : '';
    const between =
      /^[ \t]*and[ \t]*$/i.test(gap) &&
      /\bbetween[ \t]+(?:(?:approximately|approx\.?|about|around)[ \t]+)?$/i.test(text.slice(0, a.from));
    if (b && a.time && b.time && (rangeGap.test(gap) || between)) {
      items.push({ ...a, end: b });
      i++;
    } else items.push(a);
  }
  return items;
}

interface Context {
  anchor: number | null;
  /** What the anchor is: the reference, the previous mention, or a date written with no time. */
  anchorFrom: 'reference' | 'mention' | 'date';
  date: DateAtom | null;
  zone: ZoneRef | null;
}

function newContext(reference: number | null): Context {
  return { anchor: reference, anchorFrom: 'reference', date: null, zone: null };
}

type Resolved = { at: number; end?: number; zoneFrom: TimeMention['zoneFrom'] };

function resolve(item: Item, context: Context, hint: string | undefined): Resolved | null {
  const read = (label: string | undefined) =>
    label
      ? resolveZoneLabel(label, { hint, ...(context.anchor !== null ? { at: context.anchor } : {}) })
      : null;
  // A zone written at one end of a range applies to both; each end keeps its own when both have one.
  const startZone = read(item.time?.zone);
  const endZone = read(item.end?.time?.zone);
  const written = startZone ?? endZone;
  const hinted = hintZone(hint);
  const zone = written ?? context.zone ?? hinted ?? { zone: 'UTC' };
  const zoneFrom = written ? 'text' : context.zone ? 'carried' : hinted ? 'hint' : 'default';

  // "14:00 and 15:30 UTC on July 29": a range's start takes the date written at its end.
  const writtenDate = item.date ?? (item.time ? item.end?.date : undefined);
  const date = writtenDate ? withYear(writtenDate, zone, context.anchor) : null;
  if (writtenDate && !date) return null;
  // Only a zone someone wrote says which clock they used; a hint or the UTC default does not.
  const said = written ?? context.zone;
  const time = item.time && (said ? clock(item.time, said) : item.time);
  let at: number | null;
  if (!time) at = date && wall(date, 0, 0, 0, zone);
  else if (date || context.anchorFrom === 'date') at = onDate((date ?? context.date)!, time, zone);
  else at = nearAnchor(time, zone, context);
  if (at === null) return null;

  let end: number | undefined;
  if (item.end?.time) {
    const ending = endZone ?? zone;
    const endDate = item.end.date ? withYear(item.end.date, ending, at) : null;
    const endTime = (endZone ?? said) ? clock(item.end.time, ending) : item.end.time;
    end = firstAtOrAfter(endTime, endDate, ending, at);
  }
  if (written) context.zone = endZone ?? written;
  if (item.time) Object.assign(context, { anchor: end ?? at, anchorFrom: 'mention', date: null });
  else Object.assign(context, { anchor: at, anchorFrom: 'date', date });
  return { at, ...(end !== undefined ? { end } : {}), zoneFrom };
}

/** Times written in UTC or at an offset are on a 24-hour clock: "1:55 UTC" is 01:55. */
function clock(time: TimeAtom, zone: ZoneRef): TimeAtom {
  return 'offsetMinutes' in zone || zone.zone === 'UTC' ? { ...time, ambiguous: false } : time;
}

function withYear(date: DateAtom, zone: ZoneRef, anchor: number | null): Required<DateAtom> | null {
  if (date.year !== undefined) return { ...date, year: date.year };
  if (anchor === null) return null;
  const year = new Date(anchor).getUTCFullYear();
  const years = [year - 1, year, year + 1].filter((y) => validDate({ ...date, year: y }));
  const distance = (y: number) => Math.abs(wall({ ...date, year: y }, 12, 0, 0, zone) - anchor);
  const best = years.reduce((a, b) => (distance(b) < distance(a) ? b : a), years[0] ?? year);
  return { ...date, year: best };
}

function hours(time: TimeAtom): number[] {
  if (time.meridiem) return [(time.hour % 12) + (time.meridiem === 'p' ? 12 : 0)];
  return time.ambiguous ? [time.hour % 12, (time.hour % 12) + 12] : [time.hour];
}

/** A time on a known date; a bare 12-hour reading takes working hours (7–11 am, 12 noon, 1–6 pm). */
function onDate(date: DateAtom, time: TimeAtom, zone: ZoneRef): number {
  const hour =
    time.ambiguous && (time.hour < 7 || time.hour === 12) ? (time.hour % 12) + 12 : hours(time)[0]!;
  return wall(date, hour, time.minute, time.second, zone);
}

function nearAnchor(time: TimeAtom, zone: ZoneRef, context: Context): number | null {
  const anchor = context.anchor;
  if (anchor === null) return null;
  const back = context.anchorFrom === 'mention' ? 2 : 1;
  const cost = (t: number) => (t >= anchor ? t - anchor : (anchor - t) * back);
  return candidates(time, localDate(anchor, zone), zone).reduce((a, b) => (cost(b) < cost(a) ? b : a));
}

function firstAtOrAfter(time: TimeAtom, date: DateAtom | null, zone: ZoneRef, start: number): number {
  const all = candidates(time, date ?? localDate(start, zone), zone, date ? [0] : [0, 1]);
  const later = all.filter((t) => t >= start);
  const pool = later.length > 0 ? later : all;
  return pool.reduce((a, b) => (Math.abs(b - start) < Math.abs(a - start) ? b : a));
}

function candidates(time: TimeAtom, date: DateAtom, zone: ZoneRef, days = [-1, 0, 1]): number[] {
  const base = Date.UTC(date.year!, date.month, date.day);
  return days.flatMap((offset) => {
    const d = new Date(base + offset * 86_400_000);
    const day = { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate() };
    return hours(time).map((hour) => wall(day, hour, time.minute, time.second, zone));
  });
}

function localDate(instant: number, zone: ZoneRef): DateAtom {
  const local = new Date(instant + offsetAt(zone, instant) * 60_000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth(), day: local.getUTCDate() };
}

function wall(date: DateAtom, hour: number, minute: number, second: number, zone: ZoneRef): number {
  return wallTimeToUtc(Date.UTC(date.year!, date.month, date.day, hour, minute, second), zone);
}

function validDate({ year = 2000, month, day }: DateAtom): boolean {
  const d = new Date(Date.UTC(year, month, day));
  return month >= 0 && d.getUTCMonth() === month && d.getUTCDate() === day && year >= 1970 && year < 2200;
}

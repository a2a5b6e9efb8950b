/**
 * Zone labels as status pages and postmortems write them, mapped to IANA zones.
 *
 * Rules, in order:
 * 1. Every label maps to an IANA zone, never to a fixed offset, so the offset comes from the zone's
 *    rules on the date. The standard/daylight letter of a label is not trusted: Statuspage's 2014 feeds
 *    print "PST" on July updates whose pubDate is -0700, and people write "EST" all summer. So "PST" in
 *    July reads as -07:00 and "EDT" in January as -05:00. Generic names (PT, "Pacific Time", ET, CET) are
 *    the same case.
 * 2. A label with several meanings (IST, CST, BST, AST, MST, SST) is settled by the hint (the vendor
 *    page's IANA time zone, a fixed offset, or a country): a meaning whose zone is the hint, then one
 *    for the hint's country, then one whose offset on that date equals the hint's, then one in the
 *    hint's IANA area ("Europe/…" picks Irish IST). With no hint, or none of these, the first meaning
 *    is taken, which is the one most common on English status pages: IST = India, CST = US Central,
 *    BST = British Summer Time, AST = Atlantic, MST = US Mountain (with DST; Arizona needs the
 *    America/Phoenix hint), SST = Singapore.
 */

/** One reading of a zone label. */
export interface ZoneMeaning {
  /** IANA zone whose rules give the offset on the date. */
  zone: string;
  /** Countries (ISO 3166-1 alpha-2, lowercase) where this is the local reading; a country hint picks it. */
  countries: readonly string[];
  /** What the label stands for in this reading. */
  name: string;
}

/** A zone as arithmetic needs it: an IANA zone, or a fixed offset in minutes east of UTC. */
export type ZoneRef = { zone: string } | { offsetMinutes: number };

const meaning = (zone: string, countries: string[], name: string): ZoneMeaning => ({ zone, countries, name });

const utc = meaning('UTC', [], 'Coordinated Universal Time');
const pacific = meaning('America/Los_Angeles', ['us', 'ca'], 'US Pacific');
const mountain = meaning('America/Denver', ['us', 'ca'], 'US Mountain');
const arizona = meaning('America/Phoenix', [], 'US Mountain, no DST (Arizona)');
const central = meaning('America/Chicago', ['us', 'ca'], 'US Central');
const eastern = meaning('America/New_York', ['us', 'ca'], 'US Eastern');
const atlantic = meaning('America/Halifax', ['ca', 'pr', 'bm'], 'Atlantic');
const newfoundland = meaning('America/St_Johns', ['ca'], 'Newfoundland');
const alaska = meaning('America/Anchorage', ['us'], 'Alaska');
const hawaii = meaning('Pacific/Honolulu', ['us'], 'Hawaii');
const brazil = meaning('America/Sao_Paulo', ['br'], 'Brasília');
const argentina = meaning('America/Argentina/Buenos_Aires', ['ar'], 'Argentina');
const london = meaning('Europe/London', ['gb'], 'British');
const irish = meaning('Europe/Dublin', ['ie'], 'Irish Standard Time');
const western = meaning('Europe/Lisbon', ['pt'], 'Western European');
const centralEurope = meaning(
  'Europe/Berlin',
  ['de', 'fr', 'nl', 'es', 'it', 'pl', 'se', 'at', 'ch'],
  'Central European',
);
const easternEurope = meaning('Europe/Athens', ['gr', 'fi', 'ro', 'bg', 'ua'], 'Eastern European');
const moscow = meaning('Europe/Moscow', ['ru'], 'Moscow');
const israel = meaning('Asia/Jerusalem', ['il'], 'Israel');
const arabia = meaning('Asia/Riyadh', ['sa', 'bh', 'kw', 'qa', 'iq', 'ye'], 'Arabia');
const gulf = meaning('Asia/Dubai', ['ae', 'om'], 'Gulf');
const india = meaning('Asia/Kolkata', ['in', 'lk'], 'India');
const bangladesh = meaning('Asia/Dhaka', ['bd'], 'Bangladesh');
const indochina = meaning('Asia/Bangkok', ['th', 'vn', 'la', 'kh'], 'Indochina');
const jakarta = meaning('Asia/Jakarta', ['id'], 'Western Indonesia');
const china = meaning('Asia/Shanghai', ['cn', 'tw', 'mo'], 'China');
const hongKong = meaning('Asia/Hong_Kong', ['hk'], 'Hong Kong');
const singapore = meaning('Asia/Singapore', ['sg'], 'Singapore');
const malaysia = meaning('Asia/Kuala_Lumpur', ['my'], 'Malaysia');
const philippines = meaning('Asia/Manila', ['ph'], 'Philippines');
const japan = meaning('Asia/Tokyo', ['jp'], 'Japan');
const korea = meaning('Asia/Seoul', ['kr'], 'Korea');
const sydney = meaning('Australia/Sydney', ['au'], 'Australian Eastern');
const adelaide = meaning('Australia/Adelaide', [], 'Australian Central');
const perth = meaning('Australia/Perth', [], 'Australian Western');
const auckland = meaning('Pacific/Auckland', ['nz'], 'New Zealand');
const samoa = meaning('Pacific/Pago_Pago', ['as'], 'Samoa');
const southAfrica = meaning('Africa/Johannesburg', ['za'], 'South Africa');
const eastAfrica = meaning('Africa/Nairobi', ['ke', 'tz', 'ug', 'et'], 'East Africa');
const westAfrica = meaning('Africa/Lagos', ['ng'], 'West Africa');

/**
 * Labels (upper case) to their meanings, most common on status pages first. In prose, abbreviations
 * count only as written in capitals, one-word names ("Pacific") capitalized, longer names in any case.
 */
export const zoneLabels: Readonly<Record<string, readonly ZoneMeaning[]>> = {
  UTC: [utc],
  GMT: [utc],
  Z: [utc],
  'COORDINATED UNIVERSAL TIME': [utc],
  'GREENWICH MEAN TIME': [utc],
  PST: [pacific],
  PDT: [pacific],
  PT: [pacific],
  PACIFIC: [pacific],
  'PACIFIC TIME': [pacific],
  'PACIFIC STANDARD TIME': [pacific],
  'PACIFIC DAYLIGHT TIME': [pacific],
  'US PACIFIC': [pacific],
  MST: [mountain, arizona],
  MDT: [mountain],
  MT: [mountain],
  MOUNTAIN: [mountain],
  'MOUNTAIN TIME': [mountain],
  'MOUNTAIN STANDARD TIME': [mountain, arizona],
  'MOUNTAIN DAYLIGHT TIME': [mountain],
  CST: [central, china],
  CDT: [central],
  CT: [central],
  CENTRAL: [central],
  'CENTRAL TIME': [central],
  'CENTRAL STANDARD TIME': [central],
  'CENTRAL DAYLIGHT TIME': [central],
  EST: [eastern],
  EDT: [eastern],
  ET: [eastern],
  EASTERN: [eastern],
  'EASTERN TIME': [eastern],
  'EASTERN STANDARD TIME': [eastern],
  'EASTERN DAYLIGHT TIME': [eastern],
  AST: [atlantic, arabia],
  ADT: [atlantic],
  NST: [newfoundland],
  NDT: [newfoundland],
  AKST: [alaska],
  AKDT: [alaska],
  HST: [hawaii],
  BRT: [brazil],
  ART: [argentina],
  BST: [london, bangladesh],
  'BRITISH SUMMER TIME': [london],
  'UK TIME': [london],
  IST: [india, irish, israel],
  'INDIA STANDARD TIME': [india],
  'IRISH STANDARD TIME': [irish],
  'ISRAEL STANDARD TIME': [israel],
  IDT: [israel],
  WET: [western],
  WEST: [western],
  CET: [centralEurope],
  CEST: [centralEurope],
  'CENTRAL EUROPEAN TIME': [centralEurope],
  'CENTRAL EUROPEAN SUMMER TIME': [centralEurope],
  EET: [easternEurope],
  EEST: [easternEurope],
  MSK: [moscow],
  GST: [gulf],
  ICT: [indochina],
  WIB: [jakarta],
  HKT: [hongKong],
  SGT: [singapore],
  SST: [singapore, samoa],
  MYT: [malaysia],
  PHT: [philippines],
  JST: [japan],
  KST: [korea],
  AEST: [sydney],
  AEDT: [sydney],
  AET: [sydney],
  ACST: [adelaide],
  ACDT: [adelaide],
  AWST: [perth],
  NZST: [auckland],
  NZDT: [auckland],
  SAST: [southAfrica],
  EAT: [eastAfrica],
  WAT: [westAfrica],
};

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function offsetFormat(zone: string): Intl.DateTimeFormat | null {
  let format = offsetFormats.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    } catch {
      return null;
    }
    offsetFormats.set(zone, format);
  }
  return format;
}

/** True when the runtime knows `name` as an IANA time zone ("Europe/Berlin", "Etc/UTC"). */
export function isIanaZone(name: string): boolean {
  return /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(name) && offsetFormat(name) !== null;
}

/** The offset, in minutes east of UTC, of an IANA zone at an instant (epoch ms), from the runtime's zone rules. */
export function zoneOffsetMinutes(zone: string, at: number): number {
  const format = offsetFormat(zone);
  if (!format) throw new RangeError(`unknown time zone "${zone}"`);
  const name = format.formatToParts(new Date(at)).find((part) => part.type === 'timeZoneName')?.value;
  return (name && parseOffset(name.replace(/^GMT/, ''))) || 0;
}

/** The offset of a zone reference at an instant, in minutes east of UTC. */
export function offsetAt(ref: ZoneRef, at: number): number {
  return 'zone' in ref ? zoneOffsetMinutes(ref.zone, at) : ref.offsetMinutes;
}

/**
 * The UTC instant (epoch ms) of a wall-clock time in a zone; `wall` is the wall time written as if it
 * were UTC, i.e. `Date.UTC(year, month, day, hour, minute)`.
 */
export function wallTimeToUtc(wall: number, ref: ZoneRef): number {
  // Two passes settle the offset for wall times next to a DST switch.
  const first = wall - offsetAt(ref, wall) * 60_000;
  return wall - offsetAt(ref, first) * 60_000;
}

/**
 * A wall time printed without a year ("Jan  1, 09:09 PST"), as the UTC instant (epoch ms) in the year
 * before, of or after `near`'s UTC year that lands nearest `near`; on a tie, the earlier year.
 */
export function nearestYearWallTime(
  wall: { month: number; day: number; hour: number; minute: number },
  ref: ZoneRef,
  near: number,
): number {
  const year = new Date(near).getUTCFullYear();
  return [year - 1, year, year + 1]
    .map((y) => wallTimeToUtc(Date.UTC(y, wall.month, wall.day, wall.hour, wall.minute), ref))
    .reduce((a, b) => (Math.abs(b - near) < Math.abs(a - near) ? b : a));
}

/** Minutes east of UTC for "+02:00", "-0700", "+5", "UTC+2", "GMT-07:00" (also with "−"); null otherwise. */
export function parseOffset(text: string): number | null {
  const m = /^(?:UTC|GMT)?\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?$/i.exec(text.trim());
  if (!m) return null;
  const [, sign, hours = '0', minutes = '0'] = m;
  if (+hours > 14 || +minutes > 59) return null;
  return (sign === '+' ? 1 : -1) * (+hours * 60 + +minutes);
}

/**
 * Regex source (use with the `i` flag) for the zone a status page prints after a time: a label ("PDT"),
 * UTC or GMT with an offset ("GMT+08:00", "UTC-5", "GMT -0330") or a bare signed offset ("+05:30",
 * "-0700", "+08"). Every match reads with `resolveZoneLabel`.
 */
export const writtenZoneSource =
  '(?:(?:UTC|GMT)\\s?[+\\-−]\\d{1,2}(?::?\\d{2})?(?![\\d:])|[+\\-−]\\d{2}(?::?\\d{2})?(?![\\d:])|[a-z]{2,5})';

const trailingOffsetPattern =
  /(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*((?:UTC|GMT)\s?[+\-−]\d{1,2}(?::?\d{2})?|[+\-−]\d{2}(?::?\d{2})?)$/i;

/**
 * A time that ends in a numeric zone ("Feb 10, 2026 09:00 GMT+08:00", "… 09:00 UTC-5", "… 09:00 GMT-0330",
 * "… 09:00 +05:30"): the text up to the time and the offset in minutes east of UTC; null otherwise.
 */
export function splitTrailingOffset(text: string): { rest: string; offsetMinutes: number } | null {
  const m = trailingOffsetPattern.exec(text.trim());
  if (!m) return null;
  const offsetMinutes = parseOffset(m[2] ?? '');
  if (offsetMinutes === null) return null;
  return { rest: text.trim().slice(0, m.index + (m[1] ?? '').length), offsetMinutes };
}

/** A hint as a zone: an IANA name or a fixed offset; null for a country or anything else. */
export function hintZone(hint: string | undefined): ZoneRef | null {
  if (!hint) return null;
  const offset = parseOffset(hint);
  if (offset !== null) return { offsetMinutes: offset };
  return isIanaZone(hint) ? { zone: hint } : null;
}

function hintCountry(hint: string): string | null {
  return /^(?:country:)?([a-z]{2})$/i.exec(hint.trim())?.[1]?.toLowerCase() ?? null;
}

/**
 * The meaning of a zone label ("PST", "Pacific Time", "IST", "UTC+2", "Europe/Berlin") under the rule
 * in this file's header; `at` (epoch ms, approximate) lets an offset hint decide between meanings.
 */
export function resolveZoneLabel(
  label: string,
  options: { hint?: string; at?: number } = {},
): ZoneRef | null {
  const key = label.trim().replace(/\s+/g, ' ').toUpperCase();
  const meanings = zoneLabels[key];
  if (!meanings) {
    const offset = parseOffset(key);
    if (offset !== null) return { offsetMinutes: offset };
    return isIanaZone(label.trim()) ? { zone: label.trim() } : null;
  }
  const chosen = meanings.length > 1 && options.hint ? pick(meanings, options.hint, options.at) : meanings[0];
  return chosen ? { zone: chosen.zone } : null;
}

function pick(
  meanings: readonly ZoneMeaning[],
  hint: string,
  at: number | undefined,
): ZoneMeaning | undefined {
  const zone = hintZone(hint);
  const country = hintCountry(hint);
  const hintArea = zone && 'zone' in zone ? zone.zone.split('/')[0] : undefined;
  return (
    meanings.find((m) => zone !== null && 'zone' in zone && m.zone === zone.zone) ??
    meanings.find((m) => country !== null && m.countries.includes(country)) ??
    meanings.find(
      (m) => zone !== null && at !== undefined && zoneOffsetMinutes(m.zone, at) === offsetAt(zone, at),
    ) ??
    meanings.find((m) => hintArea !== undefined && m.zone.split('/')[0] === hintArea) ??
    meanings[0]
  );
}

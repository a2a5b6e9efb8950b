import { wallTimeToUtc, zoneOffsetMinutes } from '../time/time-zones.js';
import type { DigestPeriod } from './types.js';

const dayMs = 86_400_000;

/** The calendar day (`YYYY-MM-DD`) an instant falls on in a time zone. */
export function dayIn(at: number, timeZone: string): string {
  const local = at + zoneOffsetMinutes(timeZone, at) * 60_000;
  return new Date(local).toISOString().slice(0, 10);
}

/** The UTC instant (epoch ms) of local midnight starting `day` in `timeZone`. */
export function localMidnight(day: string, timeZone: string): number {
  return wallTimeToUtc(Date.parse(`${day}T00:00:00Z`), { zone: timeZone });
}

/** `day` moved by `delta` calendar days. */
export function addDays(day: string, delta: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + delta * dayMs).toISOString().slice(0, 10);
}

/** The period of `days` whole local days ending with `lastDay`, in `timeZone`. */
export function digestPeriod(lastDay: string, days: number, timeZone: string): DigestPeriod {
  const firstDay = addDays(lastDay, -(days - 1));
  return {
    id: days === 1 ? lastDay : `${firstDay}..${lastDay}`,
    firstDay,
    lastDay,
    days,
    timeZone,
    from: new Date(localMidnight(firstDay, timeZone)).toISOString(),
    to: new Date(localMidnight(addDays(lastDay, 1), timeZone)).toISOString(),
  };
}

/** The default period: the `days` local days ending yesterday (in `timeZone`) as seen at `now`. */
export function defaultDigestPeriod(now: Date, days: number, timeZone: string): DigestPeriod {
  return digestPeriod(addDays(dayIn(now.getTime(), timeZone), -1), days, timeZone);
}

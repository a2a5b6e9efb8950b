import { getRegion } from '../regions/taxonomy.js';

/*
 * Formatting for evidence sentences. A support agent reads these without the data behind them, so
 * every sentence carries its numbers and every time is UTC with the zone written out.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** "20:58 UTC"; "Apr 5 20:58 UTC" when the instant is not on the reference's UTC day. */
export function utc(ms: number, referenceMs?: number): string {
  const d = new Date(ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
  if (referenceMs === undefined) return time;
  const r = new Date(referenceMs);
  const sameDay =
    d.getUTCFullYear() === r.getUTCFullYear() &&
    d.getUTCMonth() === r.getUTCMonth() &&
    d.getUTCDate() === r.getUTCDate();
  return sameDay ? time : `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${time}`;
}

/** "20:30–22:00 UTC", dated when off the reference's UTC day or across midnight; "since 20:30 UTC" when open. */
export function utcRange(fromMs: number, toMs: number | null, referenceMs?: number): string {
  if (toMs === null || !Number.isFinite(toMs)) return `since ${utc(fromMs, referenceMs)}`;
  // A range across midnight dates both ends, so "23:50–09:37" is never read backwards.
  if (!sameUtcDay(fromMs, toMs)) return `${utc(fromMs, toMs).replace(/ UTC$/, '')}–${utc(toMs, fromMs)}`;
  return `${utc(fromMs, referenceMs).replace(/ UTC$/, '')}–${utc(toMs)}`;
}

function sameUtcDay(a: number, b: number): boolean {
  return new Date(a).toISOString().slice(0, 10) === new Date(b).toISOString().slice(0, 10);
}

/** A span of minutes as people say it: "11 min", "3 h", "3 h 5 min", "2 d 4 h". */
export function duration(minutes: number): string {
  const m = Math.round(Math.abs(minutes));
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) {
    const h = Math.floor(m / 60);
    const rest = m % 60;
    return rest === 0 ? `${h} h` : `${h} h ${rest} min`;
  }
  const d = Math.floor(m / 1440);
  const h = Math.round((m % 1440) / 60);
  return h === 0 ? `${d} d` : `${d} d ${h} h`;
}

/** "11 min after" / "7 min before" / "at the same minute as". */
export function relative(minutes: number, what: string): string {
  if (Math.round(minutes) === 0) return `at the same minute as ${what}`;
  return `${duration(minutes)} ${minutes > 0 ? 'after' : 'before'} ${what}`;
}

/** A per-minute rate: "3/min", "0.5/min", "<0.1/min". */
export function rate(perMin: number): string {
  if (perMin === 0) return '0/min';
  if (perMin < 0.1) return '<0.1/min';
  return `${perMin < 10 ? Math.round(perMin * 10) / 10 : Math.round(perMin)}/min`;
}

/** "85%". */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** A failure ratio with the precision small ones need: "3.1%", "0.02%", "0%". */
export function percentFine(share: number): string {
  const p = share * 100;
  if (p === 0) return '0%';
  if (p >= 10) return `${Math.round(p)}%`;
  if (p >= 1) return `${Math.round(p * 10) / 10}%`;
  return `${Number(p.toPrecision(1))}%`;
}

/** "41,200". */
export function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "×9", "×2.5". */
export function ratio(x: number): string {
  return `×${x < 10 ? Math.round(x * 10) / 10 : Math.round(x)}`;
}

/** A vendor's title in quotes, cut to a readable length. */
export function quote(text: string, max = 80): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return `'${t.length > max ? `${t.slice(0, max - 1)}…` : t}'`;
}

/** "a", "a and b", "a, b and c", "a, b and 3 more". */
export function list(items: readonly string[], max = 3): string {
  if (items.length === 0) return '';
  if (items.length === 1) return items[0]!;
  if (items.length <= max) return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** A canonical region id's display name ("macro:europe" → "Europe"); unknown ids as written. */
export function regionName(id: string): string {
  return getRegion(id)?.name ?? id;
}

/** "deploy v812 of webinar-room", "config change of desk", "flag change of desk". */
export function changeName(change: { kind: string; service: string; ref?: string | undefined }): string {
  const what = change.kind === 'deploy' ? 'deploy' : `${change.kind} change`;
  return `${what}${change.ref ? ` ${change.ref}` : ''} of ${change.service}`;
}

/** A numbered count with its noun: "1 error", "412 errors". */
export function count(n: number, noun: string): string {
  return `${Math.round(n)} ${noun}${Math.round(n) === 1 ? '' : 's'}`;
}

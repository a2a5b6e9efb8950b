import type { Digest, VendorDigest, VendorFigures } from './types.js';

/*
 * Wording and number formats every digest format shares, so Markdown, HTML and Slack say the same
 * thing in the same words: counts with thousands separators, ratios as "12.5 %", durations as
 * "1 h 05 min", times in the digest's time zone.
 */

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const averages = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** A count: `1,234`. */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** An average or a score: one decimal below 100 (`0.4`, `12.5`), whole numbers above (`1,234`). */
export function formatAverage(n: number): string {
  return Math.abs(n) >= 100 ? counts.format(n) : averages.format(n);
}

/** A ratio as a percentage: `12.5 %`; below 10 % two decimals (`1.25 %`, `0.04 %`). */
export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  if (pct === 0) return '0 %';
  const digits = pct < 10 ? 2 : 1;
  return `${new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }).format(pct)} %`;
}

/** Minutes for people: `45 min`, `1 h 05 min`, `26 h`; fractions (averages) round to the minute. */
export function formatMinutes(minutes: number): string {
  const total = Math.round(minutes);
  if (total < 60) return `${total} min`;
  const h = Math.floor(total / 60);
  const m = total % 60;
  return m === 0 ? `${formatCount(h)} h` : `${formatCount(h)} h ${String(m).padStart(2, '0')} min`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant in the digest's time zone: `Sat 5 Apr 09:14`. */
export function formatTime(iso: string, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    timeFormats.set(timeZone, format);
  }
  return format.format(new Date(iso)).replace(',', '');
}

/** The period in words: `5 Apr 2026` or `30 Mar – 5 Apr 2026`. */
export function periodTitle(digest: Digest): string {
  const day = (d: string, year: boolean) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'short',
      ...(year ? { year: 'numeric' } : {}),
    }).format(new Date(`${d}T00:00:00Z`));
  const { firstDay, lastDay } = digest.period;
  return firstDay === lastDay ? day(lastDay, true) : `${day(firstDay, false)} – ${day(lastDay, true)}`;
}

/** The digest's title line. */
export function digestTitle(digest: Digest): string {
  return `Vendor-risk digest · ${periodTitle(digest)}`;
}

/** The period and its zone, for headers and footers. */
export function periodLine(digest: Digest): string {
  const p = digest.period;
  const days = p.days === 1 ? '1 day' : `${p.days} days`;
  return `${p.id} (${days}, ${p.timeZone})`;
}

/** The totals in one sentence of parts. */
export function totalsParts(digest: Digest): string[] {
  const t = digest.totals;
  return [
    `${formatCount(t.vendors)} ${t.vendors === 1 ? 'vendor' : 'vendors'} to report`,
    `${formatCount(t.incidents)} vendor ${t.incidents === 1 ? 'incident' : 'incidents'}`,
    `${formatCount(t.explained)} of our incidents explained`,
    `${formatCount(t.errorMinutes)} error-minutes (${formatCount(t.attributableErrorMinutes)} attributable)`,
    `${formatCount(t.unposted)} ${t.unposted === 1 ? 'suspect' : 'suspects'} never posted`,
    `${formatMinutes(t.unreadableMinutes)} unreadable`,
  ];
}

/** The one line naming the quiet vendors, or null when there are none. */
export function quietLine(digest: Digest): string | null {
  if (digest.quiet.length === 0) return null;
  return `No incidents, errors or unreadable minutes: ${digest.quiet.map((q) => q.name).join(', ')}`;
}

export type RiskLevel = 'high' | 'elevated' | 'low' | 'none';

/** How worrying a risk score is; the badge colour in HTML. */
export function riskLevel(risk: number): RiskLevel {
  if (risk >= 20) return 'high';
  if (risk >= 5) return 'elevated';
  if (risk > 0) return 'low';
  return 'none';
}

export const trendArrows: Record<VendorDigest['trend'], string> = {
  up: '▲',
  down: '▼',
  flat: '▶',
  new: '✦',
};

/** `Risk 48.2 ▲ up`. */
export function riskText(vendor: VendorDigest): string {
  return `Risk ${formatAverage(vendor.period.risk)} ${trendArrows[vendor.trend]} ${vendor.trend}`;
}

/** `previous 7 days 12.1 · previous 30 days 8.4` (daily averages scaled to the period). */
export function riskHistoryText(vendor: VendorDigest): string {
  return `avg previous 7 days ${formatAverage(vendor.previous7.risk)} · avg previous 30 days ${formatAverage(vendor.previous30.risk)}`;
}

function impactBreakdown(f: VendorFigures, round: (n: number) => string): string {
  const parts = (['critical', 'major', 'minor', 'none', 'unknown'] as const)
    // Averages too small to show (0.03 rounds to 0) are left out of the breakdown.
    .filter((k) => round(f.byImpact[k]) !== '0')
    .map((k) => `${round(f.byImpact[k])} ${k === 'none' ? 'no impact' : k}`);
  return parts.length ? `${round(f.incidents)} (${parts.join(', ')})` : round(f.incidents);
}

/** One row of the figures table: a label and the value for the period and both averages. */
export interface FigureRow {
  label: string;
  values: [string, string, string];
}

/** The figures table's columns. */
export const figureColumns = ['This period', 'Avg previous 7 days', 'Avg previous 30 days'] as const;

/** The figures table: the period against the previous 7 and 30 days. */
export function figureRows(vendor: VendorDigest): FigureRow[] {
  const sets = [vendor.period, vendor.previous7, vendor.previous30] as const;
  const row = (label: string, cell: (f: VendorFigures, n: (x: number) => string) => string): FigureRow => ({
    label,
    values: [cell(sets[0], formatCount), cell(sets[1], formatAverage), cell(sets[2], formatAverage)],
  });
  return [
    row('Incidents (by impact)', (f, n) => impactBreakdown(f, n)),
    row('Incident minutes', (f) => formatMinutes(f.incidentMinutes)),
    row('Maintenance (minutes)', (f, n) => `${n(f.maintenance)} (${formatMinutes(f.maintenanceMinutes)})`),
    row('Our incidents explained', (f, n) => n(f.explained)),
    row('Error-minutes (attributable)', (f, n) => `${n(f.errorMinutes)} (${n(f.attributableErrorMinutes)})`),
    row('Failed calls / calls (error ratio)', (f, n) =>
      f.calls === null
        ? `${n(f.failedCalls)} / calls unknown`
        : `${n(f.failedCalls)} / ${n(f.calls)} (${f.errorRatio === null ? 'n/a' : formatPercent(f.errorRatio)})`,
    ),
    row('Customers affected', (f, n) => (f.customers === null ? 'unknown' : n(f.customers))),
    row('Suspects never posted', (f, n) => `${n(f.unposted)} of ${n(f.suspected)}`),
    row('Acknowledgment lag worst / median', (f) =>
      f.ackLagWorstMinutes === null || f.ackLagMedianMinutes === null
        ? '—'
        : `${formatMinutes(f.ackLagWorstMinutes)} / ${formatMinutes(f.ackLagMedianMinutes)}`,
    ),
    row('Unreadable minutes', (f) => formatMinutes(f.unreadableMinutes)),
  ];
}

/** The sparkline's text alternative: peak hour and total. */
export function hourlyText(vendor: VendorDigest, from: string, timeZone: string): string {
  const hours = vendor.hourlyFailedCalls;
  const total = hours.reduce((a, b) => a + b, 0);
  if (total === 0) return 'No failed calls in the period.';
  let peak = 0;
  for (let i = 1; i < hours.length; i++) if (hours[i]! > hours[peak]!) peak = i;
  const at = new Date(Date.parse(from) + peak * 3_600_000).toISOString();
  return `Failed calls per hour: peak ${formatCount(hours[peak]!)} in the hour from ${formatTime(at, timeZone)}, ${formatCount(total)} in all.`;
}

/** An incident's span: `Sat 5 Apr 09:14 – 10:19` or `… – ongoing`. */
export function spanText(since: string, until: string | null, timeZone: string): string {
  const start = formatTime(since, timeZone);
  if (until === null) return `${start} – ongoing`;
  const end = formatTime(until, timeZone);
  // Same day: the end needs only its clock time.
  return end.slice(0, -5) === start.slice(0, -5) ? `${start} – ${end.slice(-5)}` : `${start} – ${end}`;
}

/** The URL when it is an absolute http(s) link, normalised; null for anything else (javascript:, relative). */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Vendor text on one line: newlines and runs of spaces folded, so it cannot break a table or a list. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The footer's generated line. */
export function generatedLine(digest: Digest): string {
  return `Generated ${formatTime(digest.generatedAt, digest.period.timeZone)} (${digest.period.timeZone}) · period ${periodLine(digest)}`;
}

import { clipText, escapeMrkdwn, slackLimits } from '../slack-text.js';
import {
  digestTitle,
  formatAverage,
  formatCount,
  formatMinutes,
  formatPercent,
  formatTime,
  generatedLine,
  oneLine,
  quietLine,
  riskHistoryText,
  riskText,
  safeUrl,
  spanText,
  totalsParts,
} from './render-shared.js';
import type { Digest, VendorDigest } from './types.js';

/*
 * The digest as a Slack Block Kit message: a header, the totals, one section per top vendor and one
 * line for the rest, within Slack's limits (50 blocks, 150-character header, 3000-character sections).
 * Vendor text is escaped and its emphasis characters swapped for look-alikes, so a title can neither
 * mention a channel, link, nor restyle the message.
 */

/** Vendors given their own section; the rest share one line. */
export const slackTopVendors = 10;

/** Vendor text safe in mrkdwn: escaped, on one line, and unable to bold, strike or code-format. */
export function slackText(text: string): string {
  return escapeMrkdwn(oneLine(text)).replace(/\*/g, '∗').replace(/~/g, '∼').replace(/`/g, 'ˋ');
}

/** `<url|label>` for an http(s) URL; the label alone otherwise. Long labels are clipped for chat. */
function link(label: string, url: string | null): string {
  const safe = safeUrl(url);
  const text = slackText(clipText(oneLine(label), 120));
  return safe ? `<${escapeMrkdwn(safe).replace(/\|/g, '%7C')}|${text}>` : text;
}

/** Escaped plain text cut to `max` characters after escaping, never inside an entity. */
function escapedWithin(text: string, max: number): string {
  let cut = max;
  let out = escapeMrkdwn(clipText(text, cut));
  while (out.length > max) {
    cut -= out.length - max;
    out = escapeMrkdwn(clipText(text, cut));
  }
  return out;
}

/** Whole lines joined while they fit in `max`, then a line saying how many were left out. */
function linesWithin(lines: string[], max: number): string {
  const kept: string[] = [];
  let length = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = clipText(lines[i]!, max - 40);
    const more = `_…and ${formatCount(lines.length - i)} more lines_`;
    const room = max - length - (kept.length ? 1 : 0);
    // Keep space for the "more" line unless this is the last line.
    if (line.length > room || (i < lines.length - 1 && line.length + more.length + 1 > room)) {
      kept.push(more);
      break;
    }
    kept.push(line);
    length += line.length + (kept.length > 1 ? 1 : 0);
  }
  return kept.join('\n');
}

/** Items listed per kind in a vendor's section, so one long list cannot crowd out the others. */
export const slackItemsPerList = 3;

/** The first few items, and a line counting the rest. */
function capped<T>(items: T[], line: (item: T) => string): string[] {
  const shown = items.slice(0, slackItemsPerList).map(line);
  const rest = items.length - shown.length;
  return rest > 0 ? [...shown, `• _…and ${formatCount(rest)} more_`] : shown;
}

function section(text: string): Record<string, unknown> {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function vendorLines(digest: Digest, v: VendorDigest): string[] {
  const zone = digest.period.timeZone;
  const at = (iso: string) => formatTime(iso, zone);
  const f = v.period;
  const figures = [
    `incidents ${formatCount(f.incidents)} (${formatMinutes(f.incidentMinutes)})`,
    `maintenance ${formatCount(f.maintenance)}`,
    `explained ${formatCount(f.explained)}`,
    `error-minutes ${formatCount(f.errorMinutes)} (${formatCount(f.attributableErrorMinutes)} attributable)`,
    f.calls === null
      ? `failed calls ${formatCount(f.failedCalls)}`
      : `failed calls ${formatCount(f.failedCalls)} / ${formatCount(f.calls)}${f.errorRatio === null ? '' : ` (${formatPercent(f.errorRatio)})`}`,
    ...(f.customers === null ? [] : [`customers ${formatCount(f.customers)}`]),
    `never posted ${formatCount(f.unposted)} of ${formatCount(f.suspected)}`,
    ...(f.ackLagWorstMinutes === null || f.ackLagMedianMinutes === null
      ? []
      : [
          `ack lag worst ${formatMinutes(f.ackLagWorstMinutes)} / median ${formatMinutes(f.ackLagMedianMinutes)}`,
        ]),
    `unreadable ${formatMinutes(f.unreadableMinutes)}`,
  ];
  const lines = [`*${link(v.name, v.url)}* · *${riskText(v)}* (${riskHistoryText(v)})`, figures.join(' · ')];
  if (v.incidents.length) {
    lines.push(`*Incidents* (${zone})`);
    lines.push(
      ...capped(v.incidents, (i) => {
        const kind = i.kind === 'maintenance' ? 'maintenance' : i.impact;
        return `• ${kind} ${link(i.title, i.url)} — ${spanText(i.startedAt, i.resolvedAt, zone)}`;
      }),
    );
  }
  if (v.explained.length) {
    lines.push('*Our incidents it explained*');
    lines.push(
      ...capped(
        v.explained,
        (e) =>
          `• ${link(`${e.id} ${e.title}`, e.link)} — ${slackText(e.service)}, confidence ${formatPercent(e.confidence)}`,
      ),
    );
  }
  if (v.ackLag.cases.length) {
    const regions = v.ackLag.byRegion
      .map(
        (r) =>
          `${slackText(r.region)} ${formatCount(r.cases)} (median ${formatMinutes(r.medianMinutes)}, worst ${formatMinutes(r.worstMinutes)})`,
      )
      .join('; ');
    lines.push(`*Acknowledgment lag* ${regions}`);
    lines.push(
      ...capped(
        v.ackLag.cases,
        (c) =>
          `• ${slackText(c.region)}: ${formatMinutes(c.lagMinutes)} late — errors since ${at(c.since)}, posted ${at(c.postedAt)} · ${link(c.vendorIncidentTitle ?? c.vendorIncidentId, c.url)}`,
      ),
    );
  }
  if (v.unposted.length) {
    lines.push('*Suspected issues it never posted*');
    lines.push(
      ...capped(
        v.unposted,
        (u) =>
          `• ${slackText(u.region)} ${spanText(u.since, u.closedAt, zone)}, peak ${formatAverage(u.peakPerMin)}/min against ${formatAverage(u.baselinePerMin)}/min`,
      ),
    );
  }
  if (v.unreadable.length) {
    lines.push('*Status page unreadable*');
    lines.push(
      ...capped(
        v.unreadable,
        (u) => `• ${spanText(u.since, u.until, zone)} (${formatMinutes(u.minutes)}): ${slackText(u.reason)}`,
      ),
    );
  }
  return lines;
}

/** The digest as a Slack Block Kit message. */
export function renderSlackDigest(digest: Digest): { text: string; blocks: unknown[] } {
  const title = digestTitle(digest);
  const totals = totalsParts(digest).join(' · ');
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clipText(title, slackLimits.header), emoji: true } },
    section(
      linesWithin(
        [
          escapeMrkdwn(`${totals}.`),
          ...(safeUrl(digest.consoleUrl) ? [link('Open the console', digest.consoleUrl)] : []),
        ],
        slackLimits.section,
      ),
    ),
  ];
  for (const v of digest.vendors.slice(0, slackTopVendors)) {
    blocks.push({ type: 'divider' }, section(linesWithin(vendorLines(digest, v), slackLimits.section)));
  }
  const rest = digest.vendors.slice(slackTopVendors);
  if (rest.length) {
    const names = rest.map((v) => `${slackText(v.name)} (risk ${formatAverage(v.period.risk)})`);
    blocks.push(
      { type: 'divider' },
      section(
        linesWithin([`*${formatCount(rest.length)} more vendors to report*`, ...names], slackLimits.section),
      ),
    );
  }
  const quiet = quietLine(digest);
  if (quiet) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: slackQuiet(digest) }] });
  blocks.push({
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: escapedWithin(`Risk formula: ${digest.riskFormula}`, 2000) },
      ...digest.notes.slice(0, 8).map((n) => ({ type: 'mrkdwn', text: escapedWithin(oneLine(n), 2000) })),
      { type: 'mrkdwn', text: escapedWithin(generatedLine(digest), 2000) },
    ],
  });
  // The notification preview: the totals and the top vendors.
  const top = digest.vendors
    .slice(0, 3)
    .map((v) => `${oneLine(v.name)} (risk ${formatAverage(v.period.risk)})`)
    .join(', ');
  return {
    text: escapedWithin(`${title}: ${totals}${top ? `. Top: ${top}` : ''}`, slackLimits.section),
    blocks: blocks.slice(0, slackLimits.blocks),
  };
}

/** The quiet vendors on one line, as many names as fit. */
function slackQuiet(digest: Digest): string {
  const head = 'No incidents, errors or unreadable minutes: ';
  let text = head;
  for (let i = 0; i < digest.quiet.length; i++) {
    const name = slackText(digest.quiet[i]!.name);
    const next = `${text}${i ? ', ' : ''}${name}`;
    if (next.length > 1900) return `${text} and ${formatCount(digest.quiet.length - i)} more`;
    text = next;
  }
  return text;
}

import {
  digestTitle,
  formatAverage,
  figureColumns,
  figureRows,
  formatCount,
  formatMinutes,
  formatPercent,
  formatTime,
  generatedLine,
  hourlyText,
  oneLine,
  periodLine,
  quietLine,
  riskHistoryText,
  riskText,
  safeUrl,
  spanText,
  totalsParts,
} from './render-shared.js';
import type { Digest, VendorDigest } from './types.js';

/*
 * The digest as GitHub-flavoured Markdown. Vendor text is escaped so a title cannot open a table
 * cell, a link, emphasis or raw HTML. It always follows other text on its line, so only the inline
 * markup characters need escaping.
 */

/** Vendor text made literal in Markdown (and on one line). */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** `[text](url)` for an http(s) URL; the escaped text alone otherwise. */
function link(text: string, url: string | null): string {
  const safe = safeUrl(url);
  const label = escapeMarkdown(text);
  return safe ? `[${label}](${safe.replace(/\(/g, '%28').replace(/\)/g, '%29')})` : label;
}

/** A GFM table; the columns in `right` are right-aligned (numbers). */
function table(head: string[], rows: string[][], right: number[]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (right.includes(i) ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function vendorSection(digest: Digest, v: VendorDigest): string[] {
  const zone = digest.period.timeZone;
  const at = (iso: string) => formatTime(iso, zone);
  const out: string[] = [
    `## ${link(v.name, v.url)}`,
    '',
    `**${riskText(v)}** (${riskHistoryText(v)})`,
    '',
    ...table(
      ['', ...figureColumns],
      figureRows(v).map((r) => [r.label, ...r.values]),
      [1, 2, 3],
    ),
    '',
    hourlyText(v, digest.period.from, zone),
  ];
  if (v.services.length) {
    out.push(
      '',
      `Failed calls by service: ${v.services.map((s) => `${escapeMarkdown(s.service)} ${formatCount(s.failedCalls)}`).join(', ')}`,
    );
  }
  if (v.incidents.length) {
    out.push('', `### Incidents (times in ${zone})`, '');
    for (const i of v.incidents) {
      const what = i.kind === 'maintenance' ? 'maintenance' : i.impact;
      const regions = i.regions.length ? ` · ${i.regions.map(escapeMarkdown).join(', ')}` : '';
      out.push(
        `- **${what}** ${link(i.title, i.url)} — ${spanText(i.startedAt, i.resolvedAt, zone)} (${formatMinutes(i.minutes)} in the period)${regions}`,
      );
    }
  }
  if (v.explained.length) {
    out.push('', '### Our incidents it explained', '');
    for (const e of v.explained) {
      const vendorIncident = e.vendorIncidentId
        ? ` · vendor incident ${escapeMarkdown(e.vendorIncidentId)}`
        : '';
      out.push(
        `- ${link(`${e.id} ${e.title}`, e.link)} — ${escapeMarkdown(e.service)}, since ${at(e.startedAt)}, confidence ${formatPercent(e.confidence)}${vendorIncident}`,
      );
    }
  }
  if (v.ackLag.cases.length) {
    out.push('', `### Acknowledgment lag by region (times in ${zone})`, '');
    for (const r of v.ackLag.byRegion) {
      out.push(
        `- **${escapeMarkdown(r.region)}**: ${formatCount(r.cases)} ${r.cases === 1 ? 'case' : 'cases'}, median ${formatMinutes(r.medianMinutes)}, worst ${formatMinutes(r.worstMinutes)}`,
      );
    }
    out.push(
      '',
      ...table(
        ['Region', 'Our errors since', 'Vendor posted', 'Lag', 'Vendor incident'],
        v.ackLag.cases.map((c) => [
          escapeMarkdown(c.region),
          at(c.since),
          at(c.postedAt),
          formatMinutes(c.lagMinutes),
          link(c.vendorIncidentTitle ?? c.vendorIncidentId, c.url),
        ]),
        [3],
      ),
    );
  }
  if (v.unposted.length) {
    out.push('', `### Suspected issues it never posted (times in ${zone})`, '');
    for (const u of v.unposted) {
      out.push(
        `- **${escapeMarkdown(u.region)}** ${spanText(u.since, u.closedAt, zone)} — peak ${formatAverage(u.peakPerMin)}/min against a baseline of ${formatAverage(u.baselinePerMin)}/min · ${u.services.map(escapeMarkdown).join(', ')}`,
      );
    }
  }
  if (v.unreadable.length) {
    out.push('', `### Status page unreadable (times in ${zone})`, '');
    for (const u of v.unreadable) {
      out.push(
        `- ${spanText(u.since, u.until, zone)} (${formatMinutes(u.minutes)}): ${escapeMarkdown(u.reason)}`,
      );
    }
  }
  return out;
}

/** The digest as GitHub-flavoured Markdown. */
export function renderMarkdownDigest(digest: Digest): string {
  const out: string[] = [
    `# ${digestTitle(digest)}`,
    '',
    `Period ${periodLine(digest)}. ${totalsParts(digest).join(' · ')}.`,
  ];
  if (digest.consoleUrl && safeUrl(digest.consoleUrl)) {
    out.push('', link('Open the console', digest.consoleUrl));
  }
  for (const v of digest.vendors) out.push('', ...vendorSection(digest, v));
  const quiet = quietLine(digest);
  if (quiet) out.push('', escapeMarkdown(quiet));
  out.push('', '---', '', `**Risk formula.** ${escapeMarkdown(digest.riskFormula)}`);
  if (digest.notes.length) {
    out.push('', '**Notes**', '', ...digest.notes.map((n) => `- ${escapeMarkdown(n)}`));
  }
  out.push('', generatedLine(digest));
  return `${out.join('\n')}\n`;
}

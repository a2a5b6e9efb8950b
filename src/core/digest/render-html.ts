import {
  digestTitle,
  figureColumns,
  figureRows,
  formatAverage,
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
  riskLevel,
  trendArrows,
  safeUrl,
  spanText,
  totalsParts,
  type RiskLevel,
} from './render-shared.js';
import { sparklineSvg } from './sparkline-svg.js';
import type { Digest, VendorDigest } from './types.js';

/*
 * The digest as one HTML document that survives mail clients: table layout, inline styles only (many
 * clients drop <style> and every external resource), at most 680 px wide and readable on a phone.
 * Vendor text is escaped; only absolute http(s) links are emitted.
 */

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made literal in HTML, including inside a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

const font = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const colors = {
  text: '#111827',
  muted: '#4b5563',
  faint: '#6b7280',
  line: '#e5e7eb',
  page: '#f3f4f6',
  link: '#1d4ed8',
};
const badgeColors: Record<RiskLevel, { fg: string; bg: string }> = {
  high: { fg: '#991b1b', bg: '#fee2e2' },
  elevated: { fg: '#92400e', bg: '#fef3c7' },
  low: { fg: '#1e40af', bg: '#dbeafe' },
  none: { fg: '#374151', bg: '#f3f4f6' },
};
const impactColors: Record<string, { fg: string; bg: string }> = {
  critical: { fg: '#991b1b', bg: '#fee2e2' },
  major: { fg: '#9a3412', bg: '#ffedd5' },
  minor: { fg: '#854d0e', bg: '#fef9c3' },
  none: { fg: '#374151', bg: '#f3f4f6' },
  unknown: { fg: '#374151', bg: '#f3f4f6' },
  maintenance: { fg: '#1e40af', bg: '#dbeafe' },
};
const trendColors: Record<VendorDigest['trend'], string> = {
  up: '#b91c1c',
  down: '#15803d',
  flat: '#4b5563',
  new: '#6d28d9',
};

/** `<a>` for an http(s) URL; the escaped text alone otherwise. */
function link(text: string, url: string | null, style = `color:${colors.link}`): string {
  const safe = safeUrl(url);
  const label = escapeHtml(oneLine(text));
  return safe ? `<a href="${escapeHtml(safe)}" style="${style}">${label}</a>` : label;
}

function pill(text: string, c: { fg: string; bg: string }): string {
  return `<span style="display:inline-block;padding:1px 8px;border-radius:9px;background:${c.bg};color:${c.fg};font-size:12px;font-weight:600;line-height:18px;white-space:nowrap">${escapeHtml(text)}</span>`;
}

/** A section heading, with an optional note (the time zone) in normal case after it. */
function heading(text: string, note?: string): string {
  const after = note
    ? ` <span style="font-weight:normal;letter-spacing:0;text-transform:none;color:${colors.faint}">· ${escapeHtml(note)}</span>`
    : '';
  return `<h3 style="margin:18px 0 6px;font-size:12px;font-weight:700;letter-spacing:0.05em;text-transform:uppercase;color:${colors.muted}">${escapeHtml(text)}${after}</h3>`;
}

/** A list item: a first line and a muted detail line. */
function item(first: string, detail: string): string {
  return `<div style="margin:0 0 8px;padding-left:10px;overflow-wrap:anywhere;border-left:3px solid ${colors.line}"><div style="font-size:14px;line-height:20px;color:${colors.text}">${first}</div><div style="font-size:13px;line-height:18px;color:${colors.muted}">${detail}</div></div>`;
}

/** Escaped text whose numbers stay on one line with their units (`4 h 10 min`, `1.25 %`). */
function figureText(text: string): string {
  return escapeHtml(text)
    .replace(/(\d) (?=h\b|min\b|%)/g, '$1&nbsp;')
    .replace(/(\d&nbsp;h) (?=\d)/g, '$1&nbsp;');
}

/** A figure with its parenthetical detail on a second, smaller line: narrow columns stay readable. */
function figureCell(value: string, strong: boolean): string {
  const parts = /^(.*?) \((.*)\)$/.exec(value);
  const main = figureText(parts ? parts[1]! : value);
  const detail = parts
    ? `<br><span style="font-size:11px;font-weight:normal;color:${colors.faint}">${figureText(parts[2]!)}</span>`
    : '';
  return `<span style="${strong ? `font-weight:600;color:${colors.text}` : `color:${colors.muted}`}">${main}</span>${detail}`;
}

function figuresTable(v: VendorDigest): string {
  const cell = 'padding:5px 4px;border-bottom:1px solid #eef0f3;vertical-align:top';
  const head = figureColumns
    .map(
      (c) =>
        `<th scope="col" align="right" style="padding:5px 4px;border-bottom:2px solid ${colors.line};font-size:12px;font-weight:600;color:${colors.faint};text-align:right;vertical-align:bottom">${escapeHtml(c)}</th>`,
    )
    .join('');
  const rows = figureRows(v)
    .map(
      (r) =>
        `<tr><th scope="row" align="left" style="${cell};font-weight:normal;color:${colors.muted};text-align:left;width:30%">${escapeHtml(r.label).replace('Acknowledgment', 'Acknowledg&shy;ment')}</th>` +
        r.values
          .map(
            (value, i) =>
              `<td align="right" style="${cell};text-align:right">${figureCell(value, i === 0)}</td>`,
          )
          .join('') +
        '</tr>',
    )
    .join('');
  return `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;font-size:13px;line-height:17px;margin:12px 0 4px"><tr><th scope="col" style="border-bottom:2px solid ${colors.line}"></th>${head}</tr>${rows}</table>`;
}

function sparkline(digest: Digest, v: VendorDigest, level: RiskLevel): string {
  const text = hourlyText(v, digest.period.from, digest.period.timeZone);
  const svg = sparklineSvg(v.hourlyFailedCalls, {
    width: 240,
    height: 40,
    color: level === 'high' ? '#dc2626' : '#2563eb',
    label: text,
  });
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:10px 0 0"><tr><td style="padding:0 0 4px">${svg}</td></tr><tr><td style="font-size:12px;line-height:16px;color:${colors.faint}">${escapeHtml(text)}</td></tr></table>`;
}

function vendorBlock(digest: Digest, v: VendorDigest): string {
  const zone = digest.period.timeZone;
  const at = (iso: string) => escapeHtml(formatTime(iso, zone));
  const level = riskLevel(v.period.risk);
  const parts: string[] = [
    `<h2 style="margin:0 0 6px;font-size:20px;line-height:26px;color:${colors.text}">${link(v.name, v.url, `color:${colors.text};text-decoration:none`)}</h2>`,
    `<div style="font-size:13px;line-height:22px;color:${colors.muted}">${pill(`Risk ${formatAverage(v.period.risk)}`, badgeColors[level])} <span style="color:${trendColors[v.trend]};font-weight:600;white-space:nowrap">${escapeHtml(`${trendArrows[v.trend]} ${v.trend}`)}</span> · ${escapeHtml(riskHistoryText(v))}</div>`,
    figuresTable(v),
    sparkline(digest, v, level),
  ];
  if (v.services.length) {
    parts.push(
      `<p style="margin:8px 0 0;font-size:13px;line-height:18px;color:${colors.muted}">Failed calls by service: ${v.services.map((s) => `<strong style="color:${colors.text}">${escapeHtml(oneLine(s.service))}</strong> ${formatCount(s.failedCalls)}`).join(', ')}</p>`,
    );
  }
  if (v.incidents.length) {
    parts.push(heading('Incidents', `times in ${zone}`));
    for (const i of v.incidents) {
      const kind = i.kind === 'maintenance' ? 'maintenance' : i.impact;
      const regions = i.regions.length ? ` · ${escapeHtml(i.regions.map(oneLine).join(', '))}` : '';
      parts.push(
        item(
          `${pill(kind, impactColors[kind]!)} ${link(i.title, i.url)}`,
          `${escapeHtml(spanText(i.startedAt, i.resolvedAt, zone))} · ${formatMinutes(i.minutes)} in the period${regions}`,
        ),
      );
    }
  }
  if (v.explained.length) {
    parts.push(heading('Our incidents it explained'));
    for (const e of v.explained) {
      const vendorIncident = e.vendorIncidentId
        ? ` · vendor incident ${escapeHtml(oneLine(e.vendorIncidentId))}`
        : '';
      parts.push(
        item(
          link(`${e.id} ${e.title}`, e.link),
          `${escapeHtml(oneLine(e.service))} · since ${at(e.startedAt)} · confidence ${formatPercent(e.confidence)}${vendorIncident}`,
        ),
      );
    }
  }
  if (v.ackLag.cases.length) {
    parts.push(heading('Acknowledgment lag', `times in ${zone}`));
    const regions = v.ackLag.byRegion
      .map(
        (r) =>
          `<strong style="color:${colors.text}">${escapeHtml(oneLine(r.region))}</strong>: ${formatCount(r.cases)} ${r.cases === 1 ? 'case' : 'cases'}, median ${formatMinutes(r.medianMinutes)}, worst ${formatMinutes(r.worstMinutes)}`,
      )
      .join('<br>');
    parts.push(
      `<p style="margin:0 0 8px;font-size:13px;line-height:19px;color:${colors.muted}">${regions}</p>`,
    );
    for (const c of v.ackLag.cases) {
      parts.push(
        item(
          `<strong>${formatMinutes(c.lagMinutes)}</strong> late in ${escapeHtml(oneLine(c.region))} · ${link(c.vendorIncidentTitle ?? c.vendorIncidentId, c.url)}`,
          `our errors since ${at(c.since)} · vendor posted ${at(c.postedAt)} · ${escapeHtml(c.services.map(oneLine).join(', '))}`,
        ),
      );
    }
  }
  if (v.unposted.length) {
    parts.push(heading('Suspected issues it never posted', `times in ${zone}`));
    for (const u of v.unposted) {
      parts.push(
        item(
          `${escapeHtml(oneLine(u.region))} · ${escapeHtml(spanText(u.since, u.closedAt, zone))}`,
          `peak ${formatAverage(u.peakPerMin)}/min against a baseline of ${formatAverage(u.baselinePerMin)}/min · ${escapeHtml(u.services.map(oneLine).join(', '))}`,
        ),
      );
    }
  }
  if (v.unreadable.length) {
    parts.push(heading('Status page unreadable', `times in ${zone}`));
    for (const u of v.unreadable) {
      parts.push(
        item(
          `${escapeHtml(spanText(u.since, u.until, zone))} · ${formatMinutes(u.minutes)}`,
          escapeHtml(oneLine(u.reason)),
        ),
      );
    }
  }
  return row(parts.join(''), `border-top:1px solid ${colors.line}`);
}

/** One row of the main column. */
function row(content: string, style = ''): string {
  return `<tr><td style="padding:18px 16px;${style}">${content}</td></tr>`;
}

/** The digest as one email-safe HTML document. */
export function renderHtmlDigest(digest: Digest): string {
  const title = digestTitle(digest);
  const consoleLink = safeUrl(digest.consoleUrl)
    ? ` · ${link('Open the console', digest.consoleUrl, 'color:#bfdbfe')}`
    : '';
  const header = `<tr><td style="padding:18px 16px;background:#111827;color:#f9fafb;border-radius:8px 8px 0 0"><div style="font-size:12px;letter-spacing:0.06em;text-transform:uppercase;color:#9ca3af">upcause</div><h1 style="margin:2px 0 4px;font-size:22px;line-height:28px;color:#ffffff">${escapeHtml(title)}</h1><div style="font-size:13px;color:#d1d5db">Period ${escapeHtml(periodLine(digest))}${consoleLink}</div></td></tr>`;
  const totals = row(
    `<p style="margin:0;font-size:14px;line-height:22px;color:${colors.text}">${totalsParts(digest)
      .map((p) => figureText(p))
      .join(` <span style="color:#9ca3af">·</span> `)}</p>`,
    `background:#f9fafb`,
  );
  const vendors = digest.vendors.map((v) => vendorBlock(digest, v)).join('');
  const quiet = quietLine(digest);
  const quietRow = quiet
    ? row(
        `<p style="margin:0;font-size:14px;line-height:20px;color:${colors.muted}">${escapeHtml(quiet)}</p>`,
        `border-top:1px solid ${colors.line}`,
      )
    : '';
  const notes = digest.notes.length
    ? `<p style="margin:10px 0 0"><strong>Notes</strong></p>${digest.notes.map((n) => `<p style="margin:4px 0 0">${escapeHtml(oneLine(n))}</p>`).join('')}`
    : '';
  const footer = row(
    `<div style="font-size:12px;line-height:17px;color:${colors.faint}"><p style="margin:0"><strong>Risk formula.</strong> ${escapeHtml(digest.riskFormula)}</p>${notes}<p style="margin:10px 0 0">${escapeHtml(generatedLine(digest))}</p></div>`,
    `border-top:1px solid ${colors.line};background:#f9fafb;border-radius:0 0 8px 8px`,
  );
  return (
    '<!doctype html>\n' +
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light"><title>${escapeHtml(title)}</title></head>` +
    `<body style="margin:0;padding:0;background:${colors.page};font-family:${font};color:${colors.text};-webkit-text-size-adjust:100%">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;background:${colors.page}"><tr><td align="center" style="padding:12px 6px">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:680px;border-collapse:separate;border-spacing:0;background:#ffffff;border:1px solid ${colors.line};border-radius:8px;text-align:left;font-family:${font}">` +
    header +
    totals +
    vendors +
    quietRow +
    footer +
    '</table></td></tr></table></body></html>\n'
  );
}

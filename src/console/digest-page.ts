import { digestPeriodFor } from '../api/digest-route.js';
import { dayIn } from '../core/digest/period.js';
import { escapeHtml } from '../core/digest/render-html.js';
import { renderDigest } from '../core/digest/render.js';
import { digestQuerySchema } from '../core/digest/types.js';
import { buildDigest } from '../store/digest.js';
import { securityHeaders } from './error-page.js';
import type { ConsoleStores } from './pages.js';

/*
 * The console's digest page serves the digest's email HTML as it is, with a bar on top: a link back
 * to the console and a small form to pick the period. The email HTML styles itself inline, so this
 * page allows inline styles; like every console page it runs no script.
 */

/** The console's headers, with inline styles allowed (the email HTML's own). */
export const digestPageHeaders = {
  ...securityHeaders,
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

export interface DigestPage {
  status: number;
  html: string;
}

const escape = escapeHtml;

function field(query: unknown, name: string): string {
  const raw = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const value = Array.isArray(raw[name]) ? (raw[name] as unknown[])[0] : raw[name];
  return typeof value === 'string' ? value.trim() : '';
}

function bar(
  form: { date: string; days: string },
  today: string,
  note: string,
  error: string | null,
): string {
  const input = 'font:inherit;padding:2px 4px;margin-left:4px';
  return `<div style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:14px;background:#f3f4f6;border-bottom:1px solid #d1d5db;padding:10px 16px;color:#111827">
<a href="/" style="color:#1d4ed8">&larr; Back to the console</a>
<form method="get" action="/digest" style="display:inline-block;margin-left:24px" aria-label="Digest period">
<label for="digest-date">Last day</label><input type="date" id="digest-date" name="date" value="${escape(form.date)}" max="${escape(today)}" style="${input}">
<label for="digest-days" style="margin-left:12px">Days</label><input type="number" id="digest-days" name="days" value="${escape(form.days)}" min="1" max="31" style="${input};width:4em">
<button type="submit" style="font:inherit;margin-left:8px">Show</button>
</form>
<span style="margin-left:16px;color:#4b5563">${escape(note)}</span>
${error ? `<p role="alert" style="margin:8px 0 0;color:#b91c1c"><strong>${escape(error)}</strong></p>` : ''}
</div>`;
}

function refused(form: { date: string; days: string }, today: string, error: string): DigestPage {
  return {
    status: 400,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Digest · upcause</title></head><body style="margin:0">${bar(form, today, 'Pick the last day and the number of days.', error)}</body></html>`,
  };
}

/** The digest of the period the query asks for (`date`, `days`), as a whole HTML page. */
export async function loadDigestPage(s: ConsoleStores, query: unknown, now: Date): Promise<DigestPage> {
  const form = { date: field(query, 'date'), days: field(query, 'days') };
  const today = dayIn(now.getTime(), s.config.digest.timeZone);
  const parsed = digestQuerySchema.safeParse({
    ...(form.date ? { date: form.date } : {}),
    ...(form.days ? { days: form.days } : {}),
    format: 'html',
  });
  if (!parsed.success) {
    return refused(
      form,
      today,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const chosen = digestPeriodFor(parsed.data, s.config.digest, now);
  if ('field' in chosen) return refused(form, today, `${chosen.field}: ${chosen.message}`);
  const { period } = chosen;
  const digest = await buildDigest({ redis: s.redis, keys: s.keys, config: s.config }, period, now);
  const html = renderDigest(digest, 'html').body;
  const filled = { date: form.date || period.lastDay, days: form.days || String(period.days) };
  const span =
    period.firstDay === period.lastDay ? period.lastDay : `${period.firstDay} to ${period.lastDay}`;
  const top = bar(filled, today, `${span} (${period.timeZone})`, null);
  // The bar goes first inside the email's body.
  const body = /<body[^>]*>/i.exec(html);
  const at = body ? body.index + body[0].length : 0;
  return { status: 200, html: `${html.slice(0, at)}${top}${html.slice(at)}` };
}

import { load } from 'cheerio';
import { z } from 'zod';
import { FetchError } from '../src/core/errors.js';
import type { IncidentUpdate, VendorIncident } from '../src/core/model.js';
import { plainBody } from '../src/core/text.js';
import { AWS_STATUS_URL } from './aws-rss.js';
import { asCode, code, epoch, epochInstant, impacts, splitServiceSlug, statusWords } from './aws-shared.js';
import { earliest, latest, list, parseJson, text } from './support.js';

// ---- legacy status.aws.amazon.com/data.json (the only AWS incident history we have recorded) ----

const legacyEventSchema = z.looseObject({
  service: z.string().min(1),
  service_name: text,
  summary: text,
  date: epoch,
  status: code,
  details: text,
  description: text,
});
export const awsLegacyStatusSchema = z.looseObject({
  archive: list(legacyEventSchema),
  current: list(legacyEventSchema),
});

/** Legacy data.json: one event per item, its updates in `description` HTML with Pacific wall times. */
export function parseLegacyStatusData(body: string, vendor: string): VendorIncident[] {
  const data = parseJson(body, awsLegacyStatusSchema, 'data.json');
  return [...(data.archive ?? []), ...(data.current ?? [])].map((event) => {
    const id = `${event.service}_${event.date}`;
    const posted = epochInstant(event.date);
    if (posted === null) throw new FetchError('parse', `data.json: event ${id}: date is not an epoch`);
    const updates = legacyUpdates(event.description ?? '', posted, id);
    const resolved = /^\s*\[RESOLVED\]/i.test(event.summary ?? '');
    const c = asCode(event.status);
    const word = c === null ? 'unknown' : statusWords[c];
    for (const [k, update] of updates.entries())
      update.status = resolved && k === updates.length - 1 ? 'resolved' : word;
    const { region } = splitServiceSlug(event.service);
    const last = updates.at(-1)?.at ?? posted;
    return {
      vendor,
      id,
      title: (event.summary ?? '').replace(/^\s*\[RESOLVED\]\s*/i, ''),
      impact: c === null ? 'unknown' : impacts[c]!,
      status: resolved ? 'resolved' : word,
      kind: 'incident',
      startedAt: earliest([posted, updates[0]?.at ?? null])!,
      postedAt: posted,
      updatedAt: latest([posted, last])!,
      resolvedAt: resolved ? latest([posted, last]) : null,
      // "Amazon Elastic Compute Cloud (Frankfurt)": the region is in `service`; the name alone is the product.
      components: event.service_name
        ? [region ? event.service_name.replace(/\s*\([^()]*\)$/, '') : event.service_name]
        : [],
      regions: region ? [region] : [],
      updates,
      url: `${AWS_STATUS_URL}/`,
    };
  });
}

const pacific: Record<string, number> = { PST: -8 * 60, PDT: -7 * 60 };
const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const stampPattern = /^(?:([a-z]{3})\s+(\d{1,2}),\s*)?(\d{1,2}):(\d{2})\s*(AM|PM)\s+(PST|PDT)$/i;

/**
 * `<div><span class="yellowfg">5:29 AM PDT</span>&nbsp;text</div>` per update. The stamps carry no date
 * (only when the day changes, "Nov 23, 12:04 AM PST"): the first is the day nearest the event's epoch,
 * and each later one the first day that does not put it before the update above.
 */
function legacyUpdates(html: string, posted: string, id: string): IncidentUpdate[] {
  const $ = load(html, null, false);
  const updates: IncidentUpdate[] = [];
  let previous = Date.parse(posted);
  $('div').each((index, element) => {
    const div = $(element);
    const label = div.find('span.yellowfg').first();
    const stamp = label.text().replace(/\s+/g, ' ').trim();
    const m = stampPattern.exec(stamp);
    if (!m)
      throw new FetchError(
        'parse',
        `data.json: event ${id}: update ${index}: cannot read the time "${stamp}"`,
      );
    const [, month, day, hour = '', minute = '', half = '', zone = ''] = m;
    const offset = pacific[zone.toUpperCase()]!;
    const hours = (Number(hour) % 12) + (half.toUpperCase() === 'PM' ? 12 : 0);
    const local = new Date(previous + offset * 60_000);
    const wall = (year: number, monthIndex: number, date: number) =>
      Date.UTC(year, monthIndex, date, hours, Number(minute)) - offset * 60_000;
    let at: number;
    if (month) {
      // A stamp with a date has no year: the one that keeps it after the update above (December → January).
      at = wall(local.getUTCFullYear(), months.indexOf(month.toLowerCase()), Number(day));
      if (at < previous - 180 * 86_400_000)
        at = wall(local.getUTCFullYear() + 1, months.indexOf(month.toLowerCase()), Number(day));
    } else if (index === 0) {
      const candidates = [-1, 0, 1].map((shift) =>
        wall(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + shift),
      );
      at = candidates.reduce((a, b) => (Math.abs(b - previous) < Math.abs(a - previous) ? b : a));
      // The stamp has minute precision and the epoch has seconds: the epoch when they agree.
      if (Math.abs(at - previous) < 60_000) at = previous;
    } else {
      at = wall(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
      if (at < previous - 60_000) at += 86_400_000;
    }
    previous = at;
    label.remove();
    const body = (div.html() ?? '').replace(/^\s*(?:&nbsp;|\u00a0)\s*/, '').trim();
    updates.push({ at: new Date(at).toISOString(), status: 'unknown', ...plainBody(body) });
  });
  return updates.length > 0 ? updates : [{ at: posted, status: 'unknown', ...plainBody(html) }];
}

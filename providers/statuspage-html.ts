import { load, type CheerioAPI } from 'cheerio';
import { FetchError } from '../src/core/errors.js';
import {
  componentStatusSchema,
  impactSchema,
  toInstant,
  type ComponentStatus,
  type IncidentUpdate,
  type VendorComponent,
  type VendorIncident,
  type VendorStatus,
} from '../src/core/model.js';
import { plainBody, safeHtml } from '../src/core/text.js';
import {
  nearestYearWallTime,
  resolveZoneLabel,
  wallTimeToUtc,
  writtenZoneSource,
} from '../src/core/time/time-zones.js';
import { resolutionTime, statuspageSummarySchema } from './statuspage.js';
import { parseJson, statuspageStatus, withUrl } from './support.js';
import type { Provider } from './types.js';

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const colours: Record<string, ComponentStatus> = {
  green: 'operational',
  yellow: 'degraded_performance',
  orange: 'partial_outage',
  red: 'major_outage',
  blue: 'under_maintenance',
};
const terminal = new Set(['resolved', 'postmortem', 'completed']);
const updateLabels =
  /^(?:investigating|identified|monitoring|update|resolved|postmortem|scheduled|in progress|verifying|completed)$/i;
const maintenanceLabels = new Set(['scheduled', 'in_progress', 'verifying', 'completed']);
// The zone is a label ("PDT") or a numeric offset ("GMT+08:00", "UTC-5", "+05:30"), as pages in zones
// without an abbreviation print it.
const stamp = new RegExp(
  `([a-z]{3})[a-z]*\\.?\\s+(\\d{1,2})(?:,\\s*(\\d{4}))?[\\s,-]+(\\d{1,2}):(\\d{2})(?:\\s*-\\s*(\\d{1,2}):(\\d{2}))?\\s*(${writtenZoneSource})?`,
  'i',
);

/**
 * A Statuspage page whose JSON API is switched off, read from its home page: the banner, the
 * component rows, unresolved incidents, announced maintenances and the past incidents of the last days.
 */
export function parseStatuspageHtml(
  html: string,
  vendor: string,
  now: Date,
  pageUrl?: string,
): { status: VendorStatus; incidents: VendorIncident[] } {
  if (!/^\s*</.test(html)) throw new FetchError('parse', 'statuspage page: not an HTML page');
  const $ = load(html);
  const banner = $('.page-status').first();
  const rows = $('.component-inner-container');
  if (banner.length === 0 && rows.length === 0 && $('.unresolved-incident').length === 0)
    throw new FetchError(
      'parse',
      'statuspage page: no .page-status, .unresolved-incident or .component-inner-container (not a Statuspage page, or its layout changed)',
    );
  const issued = Number($('meta[name="issued"]').attr('content'));
  const reference = Number.isFinite(issued) && issued > 0 ? issued * 1000 : now.getTime();
  const components = rows.toArray().flatMap((element): VendorComponent[] => {
    const row = $(element);
    const container = row.parent('.component-container');
    if (container.hasClass('is-group')) return []; // the group's own row: an aggregate of its children
    const name = squash(row.find('.name').first().text());
    if (!name) return [];
    const group = row.closest('.component-container.is-group').children('.component-inner-container').first();
    const colour = /status-(\w+)/.exec(row.attr('class') ?? '')?.[1] ?? '';
    const id = row.attr('data-component-id');
    return [
      {
        ...(id ? { id } : {}),
        name,
        group: group.length ? squash(group.find('.name').text()) : null,
        status:
          componentStatusSchema.safeParse(row.attr('data-component-status')).data ??
          colours[colour] ??
          'unknown',
      },
    ];
  });

  const link = (a: ReturnType<CheerioAPI>) => {
    const href = a.attr('href') ?? '';
    return { id: /\/incidents\/([a-z0-9]+)/i.exec(href)?.[1], url: absolute(href, pageUrl) };
  };
  const byId = new Map<string, VendorIncident>();
  const add = (incident: VendorIncident) => {
    if (!byId.has(incident.id)) byId.set(incident.id, incident);
  };
  $('.unresolved-incident').each((_, element) => {
    const block = $(element);
    const a = block.find('.incident-title a').not('.subscribe').first();
    add(
      build($, block, {
        vendor,
        title: squash(a.text()),
        ...link(a),
        reference,
        impactClass: block.attr('class'),
      }),
    );
  });
  $('.scheduled-maintenance, .scheduled-incident').each((_, element) => {
    const block = $(element);
    const a = block.find('.incident-title a').first();
    const window = block.find('.incident-title small').first();
    const start = Number(window.attr('data-unix-time'));
    const range = readWindow(
      squash(window.text()),
      Number.isFinite(start) && start > 0 ? start * 1000 : reference,
    );
    add(build($, block, { vendor, title: squash(a.text()), ...link(a), reference, maintenance: range }));
  });
  $('.incidents-list .status-day').each((_, element) => {
    const day = $(element);
    const date = readStamp(`${squash(day.find('.date').first().text())} 12:00 UTC`, reference);
    day.find('.incident-container').each((__, container) => {
      const block = $(container);
      const a = block.find('.incident-title a').first();
      const impactClass = block.find('.incident-title').attr('class');
      add(
        build($, block, {
          vendor,
          title: squash(a.text()),
          ...link(a),
          reference: date ? Date.parse(date) : reference,
          impactClass,
        }),
      );
    });
  });
  const incidents = [...byId.values()];

  const word = /status-(none|minor|major|critical|maintenance)/.exec(banner.attr('class') ?? '')?.[1];
  // Without a banner (an incident replaces it) the rows and open incidents decide; both lag each other.
  const status = statuspageStatus({
    vendor,
    word,
    description: squash(banner.find('.status').first().text() || banner.text()) || undefined,
    components,
    incidents,
    now,
  });
  return { status, incidents };
}

interface BlockInfo {
  vendor: string;
  title: string;
  id: string | undefined;
  url: string | null;
  reference: number;
  impactClass?: string | undefined;
  maintenance?: { from: string; until: string | null };
}

function build($: CheerioAPI, block: ReturnType<CheerioAPI>, info: BlockInfo): VendorIncident {
  if (!info.id)
    throw new FetchError('parse', `statuspage page: incident "${info.title}" has no /incidents/<id> link`);
  const newestFirst = block
    .find('.update')
    .toArray()
    .map((element): IncidentUpdate => {
      const update = $(element).clone();
      // An update body with unclosed tags (a <p> or <li> never closed, a <b> left open) makes the
      // parser nest the timestamp, or the next update's label, inside that markup: then the label is
      // the update's first <strong> and the stamp its last <small>, wherever they sit.
      const ownLabel = update.children('strong').first();
      const labelElement =
        ownLabel.length > 0
          ? ownLabel
          : update
              .find('strong')
              .filter((_, el) => updateLabels.test(squash($(el).text())))
              .first();
      const label = squash(labelElement.text()).toLowerCase().replace(/\s+/g, '_');
      const direct = update.children('small').first();
      const small = direct.length > 0 ? direct : update.find('small').last();
      const unix = Number(small.find('[data-datetime-unix]').attr('data-datetime-unix'));
      const at =
        Number.isFinite(unix) && unix > 0 ? toInstant(unix) : readStamp(squash(small.text()), info.reference);
      if (at === null)
        throw new FetchError(
          'parse',
          `statuspage page: incident ${info.id}: cannot read the time "${squash(small.text())}"`,
        );
      if (direct.length === 0) small.prev('br').remove();
      small.remove();
      const dash = labelElement.get(0)?.nextSibling;
      if (ownLabel.length === 0 && dash && 'data' in dash && typeof dash.data === 'string')
        dash.data = dash.data.replace(/^\s*-\s*/, '');
      labelElement.remove();
      update.children('strong, small, br').remove();
      // cheerio keeps the vendor's markup as is: sanitized before it is stored.
      const markup = safeHtml((update.html() ?? '').replace(/^\s*-\s*/, '').trim());
      return { at, status: label || (info.maintenance ? 'scheduled' : 'update'), ...plainBody(markup) };
    });
  // "Update" means the status did not change: carry the previous one forward, oldest first.
  const updates: IncidentUpdate[] = [];
  for (const update of newestFirst.reverse()) {
    const previous = updates.at(-1)?.status;
    updates.push(update.status === 'update' && previous ? { ...update, status: previous } : update);
  }
  // Page times have minute precision: within a minute the closing update goes last, so an incident
  // resolved in the same minute as an "Investigating - … operating normally" post reads resolved.
  const closing = (u: IncidentUpdate) => (terminal.has(u.status) ? 1 : 0);
  updates.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || closing(a) - closing(b));
  const impactWord = /impact-(none|minor|major|critical|maintenance)/.exec(info.impactClass ?? '')?.[1];
  const maintenance =
    Boolean(info.maintenance) ||
    impactWord === 'maintenance' ||
    updates.some((u) => maintenanceLabels.has(u.status));
  const first = updates[0]?.at ?? info.maintenance?.from ?? null;
  if (first === null)
    throw new FetchError('parse', `statuspage page: incident ${info.id}: no readable update time`);
  const status = updates.at(-1)?.status ?? 'scheduled';
  const resolvedAt = terminal.has(status) ? resolutionTime(updates) : null;
  // A maintenance starts at its window, else when it went in progress; the first post only announced it.
  const began = updates.find((u) => ['in_progress', 'verifying', 'completed'].includes(u.status))?.at;
  let startedAt = (maintenance ? (info.maintenance?.from ?? began) : undefined) ?? first;
  if (resolvedAt !== null && Date.parse(resolvedAt) < Date.parse(startedAt)) startedAt = resolvedAt;
  return {
    vendor: info.vendor,
    id: info.id,
    title: info.title,
    impact: maintenance ? 'none' : (impactSchema.safeParse(impactWord).data ?? 'unknown'),
    status,
    kind: maintenance ? 'maintenance' : 'incident',
    startedAt,
    postedAt: first,
    updatedAt: updates.at(-1)?.at ?? first,
    resolvedAt,
    scheduledFor: info.maintenance?.from ?? null,
    scheduledUntil: info.maintenance?.until ?? null,
    components: [],
    regions: [],
    updates,
    url: info.url,
  };
}

/** "Apr 4, 14:05 PDT" or "Sep 13, 2022 - 23:01 CEST": the year, when missing, is the one nearest `reference`. */
function readStamp(text: string, reference: number): string | null {
  const m = stamp.exec(text);
  if (!m) return null;
  const [, mon = '', day = '', year, hour = '', minute = '', , , zone = 'UTC'] = m;
  const wall = { month: months.indexOf(mon.toLowerCase()), day: +day, hour: +hour, minute: +minute };
  return wallTime(wall, year ? +year : null, zone, reference);
}

/** "Apr 4, 14:00-15:00 PDT" under a start given in epoch seconds. */
function readWindow(text: string, start: number): { from: string; until: string | null } {
  const m = stamp.exec(text);
  const from = new Date(start).toISOString();
  if (!m?.[6] || !m[7]) return { from, until: null };
  const [, mon = '', day = '', , , , endHour = '', endMinute = '', zone = 'UTC'] = m;
  const wall = { month: months.indexOf(mon.toLowerCase()), day: +day, hour: +endHour, minute: +endMinute };
  let until = wallTime(wall, null, zone, start);
  if (until !== null && Date.parse(until) < start)
    until = new Date(Date.parse(until) + 86_400_000).toISOString();
  return { from, until };
}

// The label names the page's zone, and the offset comes from that zone's rules on the date
// (src/core/time/time-zones.ts): "PDT" in April is -07:00, "CET" in January +01:00.
function wallTime(
  wall: { month: number; day: number; hour: number; minute: number },
  year: number | null,
  label: string,
  reference: number,
): string | null {
  const zone = resolveZoneLabel(label);
  if (wall.month < 0 || zone === null || wall.hour > 23 || wall.minute > 59) return null;
  const at = year
    ? wallTimeToUtc(Date.UTC(year, wall.month, wall.day, wall.hour, wall.minute), zone)
    : nearestYearWallTime(wall, zone, reference);
  return new Date(at).toISOString();
}

function absolute(href: string, base: string | undefined): string | null {
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();
const markers =
  /Powered by Statuspage|statuspage\.io|stspg\.io|dka575ofm4ao0\.cloudfront\.net|SP\.pollForChanges/i;

/** Statuspage pages with the JSON API switched off (url = the page base): the public HTML home page. */
export const statuspageHtmlProvider: Provider = {
  id: 'statuspage-html',
  name: 'Atlassian Statuspage (HTML page)',
  async poll(ctx) {
    const response = await ctx.get('/', { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5' });
    if (response.status === 304) return { notModified: true, status: null, incidents: [] };
    const { status, incidents } = withUrl(response.url, () =>
      parseStatuspageHtml(response.body, ctx.vendor.id, ctx.now, response.url),
    );
    return { notModified: false, status, incidents };
  },
  async detect(ctx) {
    const home = await ctx.home();
    if (!home || !markers.test(home.body)) return null;
    let parsed;
    try {
      parsed = parseStatuspageHtml(home.body, 'detect', new Date(), home.url);
    } catch (error) {
      if (error instanceof FetchError) return null;
      throw error;
    }
    const evidence = [
      `the page has Statuspage markup (${parsed.status.components.length} component rows, ${parsed.incidents.length} incidents)`,
    ];
    // When the JSON API answers, the statuspage provider reads more, and more exactly.
    const api = await ctx
      .get('/api/v2/summary.json', { accept: 'application/json' })
      .then((r) => {
        const data = parseJson(r.body, statuspageSummarySchema, 'summary.json');
        return Boolean(data.page && (data.status || data.components));
      })
      .catch(() => false);
    evidence.push(
      api
        ? '/api/v2/summary.json answers: prefer the statuspage provider'
        : '/api/v2/summary.json does not answer',
    );
    const name = squash(load(home.body)('title').first().text());
    return {
      provider: 'statuspage-html',
      confidence: api ? 0.3 : 0.7,
      url: ctx.pageUrl,
      ...(name ? { name } : {}),
      evidence,
    };
  },
};

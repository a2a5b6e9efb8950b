import { seedOf } from './rng.js';
import { componentNames, isoZ, updatesOf, type StactusIncident, type StactusPage } from './stactus.js';

// What a poll of a vendor's status page would have read at one instant, for scenarios where the page
// went dark: an HTML error page while it was down, then a Statuspage summary.json once it answered
// again. The summary is assembled in the API's shape from the stactus incident (its updates up to
// that instant); the error pages are the plain ones load balancers and proxies serve.

/** A Statuspage-style 12-character id, stable for a given text. */
export function idFor(text: string): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  let h = seedOf(text);
  let out = '';
  for (let i = 0; i < 12; i++) {
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
    out += alphabet[h % alphabet.length];
  }
  return out;
}

const componentStatus = {
  critical: 'major_outage',
  major: 'partial_outage',
  minor: 'degraded_performance',
  none: 'operational',
} as const;
const indicatorText = {
  critical: 'Major System Outage',
  major: 'Partial System Outage',
  minor: 'Minor Service Outage',
  none: 'All Systems Operational',
} as const;

/**
 * `GET /api/v2/summary.json` as served at `at`: the incident with the updates published by then while
 * it is open, its components degraded; nothing open once it is resolved (or before its first post).
 */
export function summaryBody(page: StactusPage, incident: StactusIncident, at: number): string {
  const pageId = idFor(page.name);
  const when = isoZ(at);
  const posted = updatesOf(incident).filter((u) => Date.parse(u.created_at) <= at);
  const open = posted.length > 0 && (incident.resolved_at === null || Date.parse(incident.resolved_at) > at);
  const leafOf = (name: string) => name.split(' / ').at(-1)!;
  const groupOf = (name: string) => (name.includes(' / ') ? name.split(' / ')[0]! : null);
  const names = componentNames(incident);
  const groups = [...new Set(names.flatMap((n) => groupOf(n) ?? []))];
  const status = open ? componentStatus[incident.impact] : 'operational';
  const components = [
    ...groups.map((g, i) => ({
      id: idFor(`${page.name}/${g}`),
      name: g,
      status,
      created_at: '2019-01-01T00:00:00Z',
      updated_at: when,
      position: i + 1,
      description: null,
      showcase: false,
      start_date: null,
      group_id: null,
      page_id: pageId,
      group: true,
      only_show_if_degraded: false,
      components: names.filter((n) => groupOf(n) === g).map((n) => idFor(`${page.name}/${n}`)),
    })),
    ...names.map((n, i) => ({
      id: idFor(`${page.name}/${n}`),
      name: leafOf(n),
      status,
      created_at: '2019-01-01T00:00:00Z',
      updated_at: when,
      position: groups.length + i + 1,
      description: null,
      showcase: true,
      start_date: null,
      group_id: groupOf(n) ? idFor(`${page.name}/${groupOf(n)}`) : null,
      page_id: pageId,
      group: false,
      only_show_if_degraded: false,
    })),
  ];
  const incidentComponents = components.flatMap((c) => ('components' in c ? [] : [c]));
  const latest = posted.at(-1);
  const incidents = open
    ? [
        {
          id: incident.id,
          name: incident.name,
          status: latest!.status === 'update' ? 'identified' : latest!.status,
          created_at: isoZ(incident.created_at),
          updated_at: isoZ(latest!.created_at),
          monitoring_at: null,
          resolved_at: null,
          impact: incident.impact,
          shortlink: incident.shortlink,
          started_at: isoZ(incident.started_at),
          page_id: pageId,
          incident_updates: [...posted].reverse().map((u) => ({
            id: idFor(`${incident.id}/${u.created_at}`),
            status: u.status === 'update' ? 'identified' : u.status,
            body: u.body,
            incident_id: incident.id,
            created_at: isoZ(u.created_at),
            updated_at: isoZ(u.created_at),
            display_at: isoZ(u.created_at),
            affected_components: incidentComponents.map((c) => ({
              code: c.id,
              name: c.name,
              old_status: 'operational',
              new_status: status,
            })),
            deliver_notifications: true,
            custom_tweet: null,
            tweet_id: null,
          })),
          components: incidentComponents,
        },
      ]
    : [];
  return JSON.stringify({
    page: { id: pageId, name: page.name, url: page.url, time_zone: 'Etc/UTC', updated_at: when },
    components,
    incidents,
    scheduled_maintenances: [],
    status: open
      ? { indicator: incident.impact, description: indicatorText[incident.impact] }
      : { indicator: 'none', description: indicatorText.none },
  });
}

/** The error pages a status page's front door serves while it is down. */
export const errorPages = {
  502: [
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Error 502</title></head>\n<body><h1>Bad gateway</h1><p>The web server reported a bad gateway error.</p></body>\n</html>\n',
  ],
  503: [
    '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n',
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>503 Service Unavailable</title>\n</head><body>\n<h1>Service Unavailable</h1>\n<p>The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.</p>\n</body></html>\n',
  ],
} as const;

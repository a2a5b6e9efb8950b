import { readFileSync } from 'node:fs';
import path from 'node:path';

// The real vendor side of every generated scenario: incidents read from the stactus histories
// (../shared/fixtures/real/stactus/<page>.jsonl, Statuspage API v2 shape, one incident a line,
// updates newest first). Nothing here invents vendor text: titles, components, update bodies and
// times are copied; only the choice of which updates to keep and where to cut a long body is ours.

export interface StactusUpdate {
  status: string;
  body: string;
  created_at: string;
}

export interface StactusIncident {
  id: string;
  name: string;
  impact: 'none' | 'minor' | 'major' | 'critical';
  status: string;
  created_at: string;
  started_at: string;
  resolved_at: string | null;
  components: { id: string; name: string }[];
  incident_updates: StactusUpdate[];
  shortlink: string;
}

export interface StactusPage {
  file: string;
  name: string;
  url: string;
  incidents: Map<string, StactusIncident>;
}

/** Our vendor id and display name for each stactus page (ids as in providers/catalog.json where listed). */
export const vendorOfPage: Record<string, { id: string; name: string }> = {
  atlassianstatuspage: { id: 'statuspage', name: 'Atlassian Statuspage' },
  bambulab: { id: 'bambulab', name: 'Bambu Lab' },
  claude: { id: 'claude', name: 'Anthropic (Claude)' },
  cloudflare: { id: 'cloudflare', name: 'Cloudflare' },
  datadog: { id: 'datadog', name: 'Datadog (US1)' },
  digitalocean: { id: 'digitalocean', name: 'DigitalOcean' },
  discord: { id: 'discord', name: 'Discord' },
  figma: { id: 'figma', name: 'Figma' },
  flyio: { id: 'flyio', name: 'Fly.io' },
  github: { id: 'github', name: 'GitHub' },
  grafana: { id: 'grafana-cloud', name: 'Grafana Cloud' },
  hashicorp: { id: 'hashicorp', name: 'HashiCorp Services' },
  laravel: { id: 'laravel-cloud', name: 'Laravel Cloud' },
  mit: { id: 'mit-ist', name: 'MIT IS&T' },
  mongodb: { id: 'mongodb', name: 'MongoDB Cloud (Atlas)' },
  newrelic: { id: 'newrelic', name: 'New Relic' },
  onepassword: { id: 'onepassword', name: '1Password' },
  reddit: { id: 'reddit', name: 'Reddit' },
  redislabs: { id: 'redis-cloud', name: 'Redis Cloud' },
  twilio: { id: 'twilio', name: 'Twilio' },
  twitch: { id: 'twitch', name: 'Twitch' },
  uber: { id: 'uber', name: 'Uber' },
  ubiquiti: { id: 'ubiquiti', name: 'Ubiquiti (UniFi)' },
  vercel: { id: 'vercel', name: 'Vercel' },
  zoom: { id: 'zoom', name: 'Zoom' },
};

/** Reads every page lazily, once. Lines are split on "\n" only: some bodies hold U+2028. */
export function createStactus(fixtures: string) {
  const dir = path.join(fixtures, 'real', 'stactus');
  const pages = new Map<string, StactusPage>();
  return {
    dir,
    page(file: string): StactusPage {
      const cached = pages.get(file);
      if (cached) return cached;
      const lines = readFileSync(path.join(dir, `${file}.jsonl`), 'utf8').split('\n');
      const head = JSON.parse(lines[0]!) as { page: { name: string; url: string } };
      const incidents = new Map<string, StactusIncident>();
      for (const line of lines.slice(1)) {
        if (!line.trim()) continue;
        const incident = JSON.parse(line) as StactusIncident;
        incidents.set(incident.id, incident);
      }
      const page = { file, name: head.page.name, url: head.page.url, incidents };
      pages.set(file, page);
      return page;
    },
    incident(file: string, id: string): StactusIncident {
      const found = this.page(file).incidents.get(id);
      if (!found) throw new Error(`stactus: no incident ${id} in ${file}.jsonl`);
      return found;
    },
  };
}
export type Stactus = ReturnType<typeof createStactus>;

/** Updates oldest first. */
export const updatesOf = (incident: StactusIncident): StactusUpdate[] =>
  [...incident.incident_updates].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));

/** When the vendor first published the incident (its first update; stactus's started_at is the same). */
export const firstPostOf = (incident: StactusIncident): number =>
  Math.min(
    Date.parse(incident.created_at),
    ...incident.incident_updates.map((u) => Date.parse(u.created_at)),
  );

// Some histories list a component by its bare id where the page no longer names it: not a name.
const bareId = /^[a-z0-9]{12}$/;
export const componentNames = (incident: StactusIncident): string[] =>
  incident.components.map((c) => c.name).filter((n) => !bareId.test(n));

const MAX_BODY = 1100;

/** A long body cut at the last sentence end before the limit, marked with "…". */
export function trimBody(body: string): string {
  if (body.length <= MAX_BODY) return body;
  const head = body.slice(0, MAX_BODY);
  const cut = Math.max(head.lastIndexOf('. '), head.lastIndexOf('.\n'));
  return `${(cut > MAX_BODY / 2 ? head.slice(0, cut + 1) : head).trimEnd()} …`;
}

/** The first post, the resolution and evenly spaced ones between, at most `max` in all. */
export function keepUpdates(updates: StactusUpdate[], max: number): StactusUpdate[] {
  if (updates.length <= max) return updates;
  const keep = new Set<number>([0, updates.length - 1]);
  const inner = max - 2;
  for (let k = 1; k <= inner; k++) keep.add(Math.round((k * (updates.length - 1)) / (inner + 1)));
  return updates.filter((_, i) => keep.has(i));
}

export interface ScenarioVendorIncident {
  vendor: string;
  id: string;
  title: string;
  impact: string;
  kind: 'incident' | 'maintenance';
  status: string;
  startedAt: string;
  resolvedAt: string | null;
  components: string[];
  regions: string[];
  updates: { at: string; status: string; body: string }[];
  url: string;
}

export interface VendorIncidentOptions {
  /** The vendor's own words for a place; each must occur in the title or a component name. */
  regions?: string[];
  /** At most this many updates (first and last always kept). */
  maxUpdates?: number;
  /** Onset as the vendor later dated it in its own text; the updates keep their real times. */
  backdateTo?: string;
  kind?: 'incident' | 'maintenance';
}

export const isoZ = (t: number | string) =>
  new Date(typeof t === 'string' ? Date.parse(t) : t).toISOString().replace('.000Z', 'Z');

/** The scenario contract's vendor incident for one stactus incident. */
export function toVendorIncident(
  incident: StactusIncident,
  vendor: string,
  options: VendorIncidentOptions = {},
): ScenarioVendorIncident {
  const components = componentNames(incident);
  const haystack = [incident.name, ...components].join(' \n ').toLowerCase();
  for (const word of options.regions ?? [])
    if (!haystack.includes(word.toLowerCase()))
      throw new Error(
        `${vendor}/${incident.id}: region word "${word}" is in neither the title nor a component`,
      );
  const updates = keepUpdates(updatesOf(incident), options.maxUpdates ?? 6);
  const startedAt = options.backdateTo ?? incident.created_at;
  if (options.backdateTo && Date.parse(options.backdateTo) >= firstPostOf(incident))
    throw new Error(`${vendor}/${incident.id}: backdateTo is not before the first post`);
  return {
    vendor,
    id: incident.id,
    title: incident.name,
    impact: incident.impact,
    kind: options.kind ?? 'incident',
    status: incident.status,
    startedAt: isoZ(startedAt),
    resolvedAt: incident.resolved_at ? isoZ(incident.resolved_at) : null,
    components,
    regions: options.regions ?? [],
    updates: updates.map((u) => ({ at: isoZ(u.created_at), status: u.status, body: trimBody(u.body) })),
    url: incident.shortlink,
  };
}

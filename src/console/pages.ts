import type { Config } from '../config.js';
import type { Suspect } from '../core/detect/suspect.js';
import type { InternalIncident } from '../core/contracts.js';
import type { VendorIncident } from '../core/model.js';
import type { AnnotationStore, AnnotationVersion } from '../store/annotations.js';
import type { IncidentStore } from '../store/incidents.js';
import type { Keys } from '../store/keys.js';
import type { SuspectStore } from '../store/suspects.js';
import { loadVendorDetail, type VendorDetail } from '../store/vendor-detail.js';
import { staleAfterMs } from '../store/check.js';
import type { PollHealth, VendorStore } from '../store/vendors.js';
import { readErrorRates } from './error-rate.js';
import { freshnessBadge, indicatorBadge, type Badge, type Tone } from './format.js';
import { sparkline, type Sparkline } from './sparkline.js';
import type { RedisClient } from '../store/redis.js';

/*
 * What each console page shows, read from the stores. Pages render these with the templates in
 * views/; nothing here knows HTML.
 */

export interface ConsoleStores {
  config: Config;
  redis: RedisClient;
  keys: Keys;
  vendors: VendorStore;
  incidents: IncidentStore;
  annotations: AnnotationStore;
  suspects: SuspectStore;
}

const toneOrder: Record<Tone, number> = { bad: 0, unknown: 1, warn: 2, info: 3, ok: 4 };

export interface BoardRow {
  id: string;
  name: string;
  url: string;
  status: Badge;
  description: string | null;
  health: PollHealth;
  freshness: Badge;
  openIncidents: VendorIncident[];
  spark: Sparkline;
  /** Errors of ours on the vendor in the last 24 h (client errors left out). */
  errors24h: number;
}

/** Every watched vendor, the worst first (incidents, then unknown), each with its last 24 h of our errors. */
export async function loadBoard(s: ConsoleStores, now: number): Promise<BoardRow[]> {
  const ids = s.config.vendors.map((v) => v.id);
  const [views, rates] = await Promise.all([
    Promise.all(ids.map((id) => s.vendors.view(id))),
    readErrorRates(s.redis, s.keys, ids, now),
  ]);
  const rows = s.config.vendors.map((vendor, i): BoardRow => {
    const view = views[i]!;
    return {
      id: vendor.id,
      name: vendor.name,
      url: vendor.url,
      status: indicatorBadge(view.status.indicator),
      description: view.status.description ?? null,
      health: view.health,
      freshness: freshnessBadge(view.health.state, view.health.lastSuccessAt, now, staleAfterMs(s.config)),
      openIncidents: view.openIncidents,
      spark: sparkline(rates.byVendor.get(vendor.id) ?? []),
      errors24h: rates.totals.get(vendor.id) ?? 0,
    };
  });
  return rows
    .map((row, index) => ({ row, index }))
    .sort(
      (a, b) =>
        toneOrder[a.row.status.tone] - toneOrder[b.row.status.tone] ||
        b.row.openIncidents.length - a.row.openIncidents.length ||
        a.index - b.index,
    )
    .map(({ row }) => row);
}

export interface IncidentRow {
  incident: InternalIncident;
  annotation: AnnotationVersion | null;
}

/** Our incidents, newest first, each with its current annotation. */
export async function loadIncidents(s: ConsoleStores, limit = 100): Promise<IncidentRow[]> {
  const incidents = await s.incidents.list({ limit });
  const annotations = await Promise.all(incidents.map((incident) => s.annotations.latest(incident.id)));
  return incidents.map((incident, i) => ({ incident, annotation: annotations[i] ?? null }));
}

export interface CandidateView {
  vendor: string;
  vendorName: string;
  confidence: number;
  evidence: string[];
  vendorIncident: VendorIncident | null;
  vendorIncidentId: string | null;
  suspect: Suspect | null;
}

export interface IncidentPage {
  incident: InternalIncident;
  annotation: AnnotationVersion | null;
  candidates: CandidateView[];
  /** Every version, newest first. */
  versions: AnnotationVersion[];
}

function vendorName(config: Config, id: string): string {
  return config.vendors.find((v) => v.id === id)?.name ?? id;
}

/** One incident with its annotation's candidates resolved to the vendor incidents and suspects they name. */
export async function loadIncident(s: ConsoleStores, id: string): Promise<IncidentPage | null> {
  const [incident, annotation, versions] = await Promise.all([
    s.incidents.get(id),
    s.annotations.latest(id),
    s.annotations.versions(id),
  ]);
  if (!incident) return null;
  const candidates = await Promise.all(
    (annotation?.candidates ?? []).map(async (c): Promise<CandidateView> => {
      const [vendorIncident, suspect] = await Promise.all([
        c.vendorIncidentId ? s.vendors.getIncident(c.vendor, c.vendorIncidentId) : null,
        c.suspectedIssueId ? s.suspects.get(c.suspectedIssueId) : null,
      ]);
      return {
        vendor: c.vendor,
        vendorName: vendorName(s.config, c.vendor),
        confidence: c.confidence,
        evidence: c.evidence,
        vendorIncident,
        vendorIncidentId: c.vendorIncidentId ?? null,
        suspect,
      };
    }),
  );
  return { incident, annotation, candidates, versions: [...versions].reverse() };
}

export interface VendorPage {
  detail: VendorDetail;
  status: Badge;
  freshness: Badge;
  /** Our errors per minute in 10-minute steps over the last 24 h. */
  spark: Sparkline;
}

/**
 * One watched vendor: status, incident history, suspected issues and acknowledgment lag, our errors
 * on it, as the API's `GET /v1/vendors/:id` reads them.
 */
export async function loadVendor(s: ConsoleStores, id: string, now: number): Promise<VendorPage | null> {
  const detail = await loadVendorDetail(
    { redis: s.redis, keys: s.keys, config: s.config, store: s.vendors },
    id,
    new Date(now),
    { step: 'minute' },
  );
  if (!detail) return null;
  // Minute points averaged over 10-minute steps: fine enough to see an onset, smooth enough to read.
  const perStep: number[] = [];
  const points = detail.errorRate.points;
  for (let i = 0; i < points.length; i += 10) {
    const step = points.slice(i, i + 10);
    perStep.push(step.reduce((sum, p) => sum + p.errors, 0) / step.length);
  }
  return {
    detail,
    status: indicatorBadge(detail.status.indicator),
    freshness: freshnessBadge(detail.poll.state, detail.poll.lastSuccessAt, now, staleAfterMs(s.config)),
    spark: sparkline(perStep, 640, 64),
  };
}

import type { VendorComponent, VendorIncident, VendorStatus } from '../model.js';
import { canonicalRegions, extractRegions, mostSpecific, resolveRegionLabel } from './extract.js';
import { getRegion } from './taxonomy.js';
import type { RegionId } from './types.js';

/** Where a region of a vendor incident was read from, with the words as the vendor wrote them. */
export interface RegionEvidence {
  id: RegionId;
  raw: string;
  from: 'structured' | 'component' | 'group' | 'title' | 'update';
}

// Platforms that give region codes without a namespace: GCP "us", AWS "us-east-1".
const namespaces: Record<string, string> = { gcp: 'gcp', aws: 'aws', 'aws-rss': 'aws' };

/** A platform's structured region code as a canonical id (GCP `us` → `gcp:us`), or none. */
export function structuredRegion(code: string, provider: string): RegionId[] {
  if (getRegion(code)) return [code];
  const namespace = namespaces[provider];
  if (namespace && getRegion(`${namespace}:${code}`)) return [`${namespace}:${code}`];
  return resolveRegionLabel(code);
}

/**
 * The regions a vendor incident concerns, read from (in order of trust) the platform's structured
 * codes, the affected components and their groups, and the title. Update bodies are read only when
 * those say nothing: bodies also mention where traffic was moved to, or who was not affected.
 */
export function incidentRegions(
  incident: Pick<VendorIncident, 'regions' | 'components' | 'title' | 'updates'>,
  provider: string,
  groupOf: ReadonlyMap<string, string | null> = new Map(),
): { regions: RegionId[]; evidence: RegionEvidence[] } {
  const evidence: RegionEvidence[] = [];
  const add = (from: RegionEvidence['from'], raw: string, id: RegionId) => {
    if (!evidence.some((e) => e.id === id && e.from === from)) evidence.push({ id, raw, from });
  };
  const read = (from: RegionEvidence['from'], text: string) => {
    for (const mention of extractRegions(text)) if (!mention.negated) add(from, mention.raw, mention.id);
  };
  for (const code of incident.regions)
    for (const id of structuredRegion(code, provider)) add('structured', code, id);
  for (const name of incident.components) {
    read('component', name);
    const group = groupOf.get(name);
    if (group) read('group', group);
  }
  read('title', incident.title);
  if (evidence.length === 0) for (const update of incident.updates) read('update', update.body);
  const regions = mostSpecific([...new Set(evidence.map((e) => e.id))]);
  return { regions, evidence: evidence.filter((e) => regions.includes(e.id)) };
}

/** The regions a status component names (its own name or its group's). */
export function componentRegions(component: Pick<VendorComponent, 'name' | 'group'>): RegionId[] {
  return canonicalRegions(component.group ? [component.name, component.group] : [component.name]);
}

/** Fills the regions of every incident and component of a poll, from the provider's output. */
export function withRegions<T extends { status: VendorStatus | null; incidents: VendorIncident[] }>(
  result: T,
  provider: string,
): T {
  const groupOf = new Map((result.status?.components ?? []).map((c) => [c.name, c.group] as const));
  return {
    ...result,
    status: result.status && {
      ...result.status,
      components: result.status.components.map((c) => ({ ...c, regions: componentRegions(c) })),
    },
    incidents: result.incidents.map((incident) => {
      const { regions, evidence } = incidentRegions(incident, provider, groupOf);
      return { ...incident, regions, regionEvidence: evidence };
    }),
  };
}

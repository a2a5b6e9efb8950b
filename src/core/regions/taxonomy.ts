import { AWS_REGIONS, type CloudRegionEntry } from './data/aws.js';
import { AZURE_REGIONS } from './data/azure.js';
import { CITIES } from './data/cities.js';
import { COUNTRIES, ISO_CODE_ALIASES } from './data/countries.js';
import { EXTRA_ALIASES } from './data/extra-aliases.js';
import { GCP_MULTI_REGIONS, GCP_REGIONS } from './data/gcp.js';
import { GLOBAL_ALIASES, MACROS } from './data/macros.js';
import { METROS } from './data/metros.js';
import { SITES } from './data/sites.js';
import type { RegionId, RegionNode } from './types.js';

// The tree is built once at module load from the data files; lookups afterwards are map reads.
const nodes = new Map<RegionId, RegionNode>();
/** Macro-regions a country is also counted in (Mexico in LATAM), keyed by country id. */
const alsoIn = new Map<RegionId, RegionId[]>();

function add(id: RegionId, name: string, parent: RegionId | null, aliases: string[]): void {
  if (nodes.has(id)) throw new Error(`region taxonomy: duplicate id ${id}`);
  nodes.set(id, { id, name, parent, aliases: [...new Set(aliases)] });
}

function addCloud(prefix: string, entries: CloudRegionEntry[], codeIsAlias: boolean): void {
  for (const r of entries) {
    const aliases = codeIsAlias ? [r.code, r.name, ...(r.aliases ?? [])] : [r.name, ...(r.aliases ?? [])];
    add(`${prefix}:${r.code}`, r.name, r.parent, aliases);
  }
}

add('global', 'Global', null, GLOBAL_ALIASES);
for (const m of MACROS) add(`macro:${m.slug}`, m.name, 'global', [m.name, ...m.aliases]);
for (const c of COUNTRIES) {
  add(`country:${c.code}`, c.name, `macro:${c.macro}`, [c.name, ...(c.aliases ?? [])]);
  if (c.also)
    alsoIn.set(
      `country:${c.code}`,
      c.also.map((m) => `macro:${m}`),
    );
}
for (const c of CITIES) {
  const aliases = c.matchName === false ? (c.aliases ?? []) : [c.name, ...(c.aliases ?? [])];
  add(`city:${c.slug}`, c.name, `country:${c.country}`, aliases);
}
for (const [code, parent] of SITES) {
  const parentName = nodes.get(parent)?.name ?? parent;
  add(`site:${code.toLowerCase()}`, `${parentName} (${code})`, parent, [code]);
}
addCloud('aws', AWS_REGIONS, true);
addCloud('gcp', GCP_REGIONS, true);
addCloud('gcp', GCP_MULTI_REGIONS, false);
addCloud('azure', AZURE_REGIONS, true);
for (const code of ISO_CODE_ALIASES) nodes.get(`country:${code}`)?.aliases.push(code.toUpperCase());
for (const { alias, id } of EXTRA_ALIASES) {
  const node = nodes.get(id);
  if (!node) throw new Error(`region taxonomy: alias "${alias}" points at unknown ${id}`);
  node.aliases.push(alias);
}

const ancestorCache = new Map<RegionId, RegionId[]>();
for (const node of nodes.values()) {
  if (node.parent !== null && !nodes.has(node.parent)) {
    throw new Error(`region taxonomy: ${node.id} has unknown parent ${node.parent}`);
  }
  const chain: RegionId[] = [];
  for (let p = node.parent; p !== null; p = nodes.get(p)?.parent ?? null) chain.push(p);
  ancestorCache.set(node.id, chain);
}

/** The node for a canonical id, or undefined when the id is not in the taxonomy. */
export function getRegion(id: RegionId): RegionNode | undefined {
  return nodes.get(id);
}

/** Ancestors of `id`, nearest first and ending with 'global'; [] for 'global' and unknown ids. */
export function ancestors(id: RegionId): RegionId[] {
  return [...(ancestorCache.get(id) ?? [])];
}

/** True when `id` is `ancestorId` or lies inside it in the tree (inclusive: a region is within itself). */
export function isWithin(id: RegionId, ancestorId: RegionId): boolean {
  if (!nodes.has(id)) return false;
  return id === ancestorId || (ancestorCache.get(id) ?? []).includes(ancestorId);
}

/**
 * Ancestors plus the macro-regions a country on the chain is also counted in (Sydney is in
 * Oceania and, loosely, in Asia-Pacific); the tree ancestors come first, nearest first.
 */
export function broadAncestors(id: RegionId): RegionId[] {
  const chain = ancestorCache.get(id) ?? [];
  const extra: RegionId[] = [];
  for (const a of [id, ...chain]) for (const m of alsoIn.get(a) ?? []) if (!chain.includes(m)) extra.push(m);
  return [...chain, ...extra];
}

const metroOf = new Map<RegionId, number>();
METROS.forEach((cities, index) => {
  for (const slug of cities) {
    const id = `city:${slug}`;
    if (!nodes.has(id)) throw new Error(`region taxonomy: metro ${index} names unknown city ${id}`);
    metroOf.set(id, Math.min(metroOf.get(id) ?? index, index));
  }
});
const metroIndexes = (city: RegionId): number[] =>
  METROS.flatMap((cities, index) => (cities.includes(city.slice('city:'.length)) ? [index] : []));

/** The city an id sits in (itself for a city), or null above city level. */
function cityOf(id: RegionId): RegionId | null {
  if (id.startsWith('city:')) return nodes.has(id) ? id : null;
  return (ancestorCache.get(id) ?? []).find((a) => a.startsWith('city:')) ?? null;
}

/**
 * Two regions in different cities of one metro area (SJC ↔ San Francisco ↔ aws:us-west-1): a vendor
 * site in one serves customers in the other.
 */
export function isNearby(a: RegionId, b: RegionId): boolean {
  const ca = cityOf(a);
  const cb = cityOf(b);
  if (ca === null || cb === null || ca === cb || !metroOf.has(ca) || !metroOf.has(cb)) return false;
  const ma = metroIndexes(ca);
  return metroIndexes(cb).some((m) => ma.includes(m));
}

/** Every node of the taxonomy, parents before children. */
export function allRegions(): RegionNode[] {
  return [...nodes.values()];
}

import { matchComponents } from '../components.js';
import type { Impact, VendorIncident } from '../model.js';
import { resolveRegionLabel } from '../regions/extract.js';
import { regionOverlap } from '../regions/overlap.js';
import type { RegionOverlap } from '../regions/types.js';
import { list, quote, regionName } from './evidence.js';
import type { Signal } from './signal-shared.js';

// What the vendor says it hit (regions, components, impact) against what we use.

/** One of our regions: the canonical id and the label the team wrote. */
export interface OurRegion {
  id: string;
  label: string;
}

const labelCache = new Map<string, string[]>();

/** Resolves team labels ("eu-west-1", "eu") to canonical ids, keeping the label for sentences. */
export function ourRegions(labels: readonly string[]): OurRegion[] {
  const out: OurRegion[] = [];
  for (const label of labels) {
    let ids = labelCache.get(label);
    if (!ids) labelCache.set(label, (ids = resolveRegionLabel(label)));
    for (const id of ids) if (!out.some((r) => r.id === id)) out.push({ id, label });
  }
  return out;
}

const RELATION_SYMBOL = { exact: '=', contains: '⊃', within: '⊂' } as const;

/** The region part of a candidate's evidence, with the overlap it was computed from. */
export interface RegionSignal extends Signal {
  overlap: RegionOverlap;
}

/**
 * Region overlap: a match counts its taxonomy score; a vendor naming no region is slightly against
 * (never read as global); disjoint regions push hard away and veto when the vendor's regions are
 * confident (read from anything but a passing mention in an update's prose).
 */
export function regionSignal(
  vendor: string,
  vendorRegions: readonly string[],
  ours: readonly OurRegion[],
  regionEvidence?: VendorIncident['regionEvidence'],
): RegionSignal {
  const overlap = regionOverlap(
    [...vendorRegions],
    ours.map((r) => r.id),
  );
  const vendorName = (id: string | null): string => {
    if (id === null) return '?';
    return regionEvidence?.find((e) => e.id === id)?.raw ?? regionName(id);
  };
  const ourLabel = (id: string | null): string => ours.find((r) => r.id === id)?.label ?? '?';
  const oursText = list(
    ours.map((r) => r.label).filter((l, i, all) => all.indexOf(l) === i),
    4,
  );
  if (ours.length === 0) {
    return {
      name: 'region',
      value: 0,
      overlap,
      evidence: `we have no region for this incident or service, so regions neither confirm nor clear ${vendor}`,
    };
  }
  if (overlap.relation === 'unknown') {
    return {
      name: 'region',
      value: -0.2,
      overlap,
      evidence: `${vendor} names no region, so it is not confirmed for ${oursText} (not read as global)`,
    };
  }
  if (overlap.relation === 'disjoint') {
    const theirs = list(
      vendorRegions.map((r) => vendorName(ourRegions([r])[0]?.id ?? r)),
      4,
    );
    const confident = !regionEvidence?.length || regionEvidence.some((e) => e.from !== 'update');
    return {
      name: 'region',
      value: -1,
      overlap,
      ...(confident ? { veto: true } : {}),
      evidence: `regions differ: ${vendor} names ${theirs}, we are in ${oursText}${confident ? '' : ' (the vendor only mentions its region in passing)'}`,
    };
  }
  const theirName = vendorName(overlap.vendorRegion);
  const ourName = ourLabel(overlap.ourRegion);
  const match =
    overlap.relation === 'exact' && theirName.toLowerCase() === ourName.toLowerCase()
      ? ourName
      : `${theirName} ${RELATION_SYMBOL[overlap.relation]} ${ourName}`;
  return { name: 'region', value: overlap.score, overlap, evidence: `regions match (${match})` };
}

/**
 * Components: a vendor incident on a component we declared confirms it; one naming only components we
 * do not use is vetoed; no components on either side says nothing.
 */
export function componentSignal(
  vendor: string,
  vendorComponents: readonly string[],
  wanted: readonly string[],
): Signal {
  if (vendorComponents.length === 0) {
    return { name: 'component', value: 0, evidence: `${vendor} names no component` };
  }
  if (wanted.length === 0) {
    return {
      name: 'component',
      value: 0,
      evidence: `we declared no ${vendor} components, so ${list(vendorComponents.map((c) => quote(c, 40)))} neither confirms nor clears it`,
    };
  }
  const matches = matchComponents(vendorComponents, wanted);
  if (matches.length === 0) {
    return {
      name: 'component',
      value: -1,
      veto: true,
      evidence: `not a component we use: ${vendor} names ${list(vendorComponents.map((c) => quote(c, 40)))}, we use ${list(wanted.map((c) => quote(c, 40)))}`,
    };
  }
  const direct = matches.some((m) => m.how !== 'group');
  return {
    name: 'component',
    value: direct ? 1 : 0.6,
    evidence: `components match: ${list(matches.map((m) => `${quote(m.name, 40)} (our ${quote(m.pattern, 40)})`))}`,
  };
}

const IMPACT_VALUE: Record<Impact, number> = { critical: 1, major: 0.7, minor: 0.3, none: -0.4, unknown: 0 };

/** The vendor's own rating: critical/major > minor > unknown > none ("nothing affected" is weak). */
export function impactSignal(vendor: string, impact: Impact, kind: VendorIncident['kind']): Signal {
  if (kind === 'maintenance') {
    return { name: 'impact', value: 0.2, evidence: `${vendor} announced it as scheduled maintenance` };
  }
  const evidence =
    impact === 'unknown'
      ? `${vendor}'s page gives no impact rating`
      : impact === 'none'
        ? `${vendor} rates its impact 'none'`
        : `${vendor} rates it ${impact} impact`;
  return { name: 'impact', value: IMPACT_VALUE[impact], evidence };
}

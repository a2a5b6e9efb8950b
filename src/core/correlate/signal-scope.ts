import { matchComponents } from '../components/components.js';
import { matchKinds } from '../components/kinds.js';
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

const RELATION_SYMBOL = { exact: '=', contains: '⊃', within: '⊂', nearby: '≈' } as const;

/** The region part of a candidate's evidence, with the overlap it was computed from. */
export interface RegionSignal extends Signal {
  overlap: RegionOverlap;
  /** What the vendor's region is: where its customers are hit, its own infrastructure, or just named. */
  scope: RegionScope | null;
}

/**
 * customer: the vendor scopes customer impact to the region ("customers in the EU", a cloud region
 * that customers choose); infrastructure: the vendor's own datacenter, PoP or cluster ("the SJC
 * datacenter"), which customers anywhere can be routed to; named: a region named without either.
 */
export type RegionScope = 'customer' | 'infrastructure' | 'named';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const WHO = String.raw`(?:customers?|users?|merchants?|accounts?|clients?|developers?|organi[sz]ations?|tenants?|workspaces?|projects?|subscribers?|sites?|apps?)`;
const INFRA = String.raw`(?:data ?cent(?:er|re)s?|DCs?|PoPs?|points? of presence|clusters?|facilit(?:y|ies)|edge (?:locations?|nodes?)|nodes?|colo(?:cation)?s?|hosts?|servers?|racks?|availability zones?|zones?)`;

/** How the vendor's words present one of its regions (see RegionScope). */
export function regionScope(
  id: string,
  raw: string,
  from: 'structured' | 'component' | 'group' | 'title' | 'update' | null,
  text: string,
): RegionScope {
  const r = escape(raw.trim());
  if (r) {
    const customer = new RegExp(
      String.raw`\b${WHO}\b[^.;:]{0,40}?\b(?:in|within|located in|based in|from|hosted in|on|using|across)\s+(?:the\s+)?${r}\b|\b${r}(?:-based)?\s+${WHO}\b`,
      'i',
    );
    if (customer.test(text)) return 'customer';
    const infra = new RegExp(
      String.raw`\b${r}\b\W{0,3}(?:\w+\W+){0,2}?${INFRA}\b|\b${INFRA}\b\W+(?:\w+\W+){0,2}?(?:in\s+|at\s+)?(?:the\s+)?${r}\b`,
      'i',
    );
    if (infra.test(text)) return 'infrastructure';
  }
  if (id.startsWith('site:')) return 'infrastructure';
  // A cloud region is one customers choose for their resources: its impact is scoped to them.
  if (from === 'structured' && /^(aws|gcp|azure):/.test(id)) return 'customer';
  return 'named';
}

/** What we know of the vendor incident's words, to read how it scopes a region. */
export interface RegionContext {
  evidence?: VendorIncident['regionEvidence'];
  /** Title and update bodies. */
  text?: string;
  /** Our tagged calls to the vendor are known to be fine (see callsHealthy). */
  callsHealthy?: boolean;
}

/**
 * Region overlap: a match counts its taxonomy score; a vendor naming no region says nothing (most
 * incidents name none; never read as global). Disjoint regions push away by what the vendor's region
 * is: its own datacenter or PoP a little (customers anywhere are routed there), a named region more,
 * a region it scopes customer impact to most — and only that vetoes, when our tagged calls to the
 * vendor stay healthy. A strong spike of our errors on the vendor can outweigh a mismatch.
 */
export function regionSignal(
  vendor: string,
  vendorRegions: readonly string[],
  ours: readonly OurRegion[],
  context: RegionContext = {},
): RegionSignal {
  const regionEvidence = context.evidence;
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
      scope: null,
      evidence: `we have no region for this incident or service, so regions neither confirm nor clear ${vendor}`,
    };
  }
  if (overlap.relation === 'unknown') {
    return {
      name: 'region',
      value: 0,
      overlap,
      scope: null,
      evidence: `${vendor} names no region, so regions neither confirm nor clear it for ${oursText} (not read as global)`,
    };
  }
  if (overlap.relation === 'disjoint') {
    const ids = [...vendorRegions].map((r) => ourRegions([r])[0]?.id ?? r);
    const theirs = list(ids.map(vendorName), 4);
    const text = context.text ?? '';
    const scopes = ids.map((id) => {
      const e = regionEvidence?.find((x) => x.id === id);
      return regionScope(id, e?.raw ?? '', e?.from ?? null, text);
    });
    const scope: RegionScope = scopes.includes('customer')
      ? 'customer'
      : scopes.length > 0 && scopes.every((x) => x === 'infrastructure')
        ? 'infrastructure'
        : 'named';
    const passing = !!regionEvidence?.length && regionEvidence.every((e) => e.from === 'update');
    const veto = scope === 'customer' && context.callsHealthy === true && !passing;
    const base = scope === 'customer' ? -1 : scope === 'infrastructure' ? -0.3 : -0.8;
    const how =
      scope === 'customer'
        ? `${vendor} scopes customer impact to ${theirs}`
        : scope === 'infrastructure'
          ? `${vendor}'s trouble is in its own ${theirs} infrastructure, which customers elsewhere can be routed to`
          : `${vendor} names ${theirs}`;
    return {
      name: 'region',
      value: passing ? base / 2 : base,
      overlap,
      scope,
      ...(veto ? { veto: true } : {}),
      evidence: `regions differ: ${how}, we are in ${oursText}${passing ? ' (the vendor only mentions its region in passing)' : ''}${veto ? ', and our calls to it stay healthy' : ''}`,
    };
  }
  const theirName = vendorName(overlap.vendorRegion);
  const ourName = ourLabel(overlap.ourRegion);
  const match =
    overlap.relation === 'exact' && theirName.toLowerCase() === ourName.toLowerCase()
      ? ourName
      : `${theirName} ${RELATION_SYMBOL[overlap.relation]} ${ourName}`;
  const words = overlap.relation === 'nearby' ? 'regions are nearby, one metro area' : 'regions match';
  return { name: 'region', value: overlap.score, overlap, scope: null, evidence: `${words} (${match})` };
}

/** A component standing for the vendor's whole network or platform ("Network", "Global Network"). */
const WHOLE_PLATFORM =
  /^(?:(?:global |core |edge )?network|platform|all (?:systems|services|regions)|core services|infrastructure|connectivity)$/i;

function isWholePlatform(component: string): boolean {
  const leaf = component.split('/').pop()!.trim();
  return WHOLE_PLATFORM.test(leaf);
}

/** Whether a component is named after a place the vendor's own region words found in it. */
function namesPlace(component: string, places: readonly string[]): boolean {
  const text = component.toLowerCase();
  return places.some((p) => p.length >= 2 && text.includes(p.toLowerCase()));
}

/**
 * Components: a vendor incident on a component we declared confirms it, and less one on the same kind
 * of product under another name ("R2" for our "object storage"); one naming only components we
 * do not use is vetoed — unless our own errors fail hard with it (`confirmed`): vendors list a few
 * components first and the incident can be wider, so then it only weighs against. No components on
 * either side says nothing.
 */
export function componentSignal(
  vendor: string,
  vendorComponents: readonly string[],
  wanted: readonly string[],
  confirmed = false,
  places: readonly string[] = [],
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
  if (matches.length === 0 && vendorComponents.some(isWholePlatform)) {
    const whole = vendorComponents.find(isWholePlatform)!;
    return {
      name: 'component',
      value: 0,
      evidence: `${vendor} names ${quote(whole, 40)}, its whole network or platform: it covers what we use, so components neither confirm nor clear it`,
    };
  }
  if (matches.length === 0 && places.length > 0 && vendorComponents.every((c) => namesPlace(c, places))) {
    return {
      name: 'component',
      value: 0,
      evidence: `${vendor}'s components name places (${list(vendorComponents.slice(0, 3).map((c) => quote(c, 40)))}), not products: they neither confirm nor clear it; its regions decide`,
    };
  }
  const kinds = matches.length === 0 ? matchKinds(vendorComponents, wanted) : [];
  if (kinds.length > 0) {
    return {
      name: 'component',
      value: 0.6,
      evidence: `components match by kind: ${list(kinds.map((k) => `${quote(k.vendorComponent, 40)} and our ${quote(k.ours, 40)} are both ${k.kind}`))}`,
    };
  }
  if (matches.length === 0) {
    const head = `not a component we use: ${vendor} names ${list(vendorComponents.map((c) => quote(c, 40)))}, we use ${list(wanted.map((c) => quote(c, 40)))}`;
    if (confirmed)
      return {
        name: 'component',
        value: -0.5,
        evidence: `${head}; but our errors fail hard with it, and an incident can be wider than the components listed`,
      };
    return { name: 'component', value: -1, veto: true, evidence: head };
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

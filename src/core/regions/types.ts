/**
 * Canonical region ids, one namespace per level, so vendor names and ours meet in one taxonomy:
 *
 *   global
 *   macro:<name>     europe | north-america | latin-america | asia-pacific | middle-east | africa | oceania
 *   country:<iso2>   ISO 3166-1 alpha-2, lowercase (country:de, country:us, country:gb)
 *   city:<slug>      city:frankfurt, city:ashburn, city:sao-paulo
 *   site:<iata>      datacenter / PoP codes as vendors write them (site:fra, site:sjc, site:iad)
 *   aws:<code>       aws:eu-central-1 (also aws:us-gov-west-1, aws:cn-north-1)
 *   gcp:<code>       gcp:europe-west3; GCP multi-regions gcp:us, gcp:eu, gcp:asia
 *   azure:<code>     azure:westeurope, azure:eastus2
 *
 * Every id except `global` has exactly one parent; a cloud region or site's parent is its city (or
 * country when the city is not known), a city's its country, a country's its macro-region, a
 * macro-region's `global`. Sub-national areas vendors name ("US East", "N. Virginia", "EU West") are
 * aliases that resolve to the nearest node (US East → country:us; N. Virginia → city:ashburn).
 */
export type RegionId = string;

/** One node of the taxonomy. */
export interface RegionNode {
  id: RegionId;
  /** Display name, e.g. "Europe (Frankfurt)" for aws:eu-central-1. */
  name: string;
  parent: RegionId | null;
  /** Extra names and codes that mean this node, matched case-insensitively on word boundaries. */
  aliases: string[];
}

/** A region found in free text, with the exact words that named it. */
export interface RegionMention {
  id: RegionId;
  /** The substring as written, e.g. "EU (Frankfurt)" or "SJC". */
  raw: string;
  /** True when the text says the region is NOT affected ("not affecting Europe", "outside the EU"). */
  negated: boolean;
}

/** How a vendor incident's regions relate to ours. */
export type RegionRelation = 'exact' | 'contains' | 'within' | 'nearby' | 'disjoint' | 'unknown';

export interface RegionOverlap {
  /**
   * exact: the same region; contains: the vendor's region contains ours (Europe ⊃ aws:eu-west-1);
   * within: the vendor's region lies inside ours (site:fra inside our macro:europe);
   * nearby: different cities of one metro area (SJC ↔ San Francisco);
   * disjoint: no overlap; unknown: the vendor named no region (never read as global).
   */
  relation: RegionRelation;
  /** 0..1 — 1 for exact, high for contains/within, 0 for disjoint; unknown sits in between. */
  score: number;
  /** The pair that decided it, for evidence sentences. */
  vendorRegion: RegionId | null;
  ourRegion: RegionId | null;
}

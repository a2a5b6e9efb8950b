import { resolveRegionLabel } from './extract.js';
import { ancestors, broadAncestors, getRegion, isNearby } from './taxonomy.js';
import type { RegionId, RegionOverlap, RegionRelation } from './types.js';

/*
 * Scores, so a correlator can weigh region evidence:
 *   exact     1.0   the same node
 *   exact     0.9   two nodes in the same city (Cloudflare's FRA PoP and AWS eu-central-1)
 *   contains  1.0 - 0.05 × levels between them, at least 0.7 (Europe ⊃ aws:eu-west-1: 3 levels, 0.85)
 *   within    0.95 - 0.05 × levels, at least 0.7 (a vendor PoP inside our macro-region hits part of us)
 *   contains/within through a loose membership (Sydney in Asia-Pacific, Mexico in LATAM): 0.7
 *   nearby    0.8   different cities of one metro area (a vendor's SJC site and our San Francisco region)
 *   unknown   0.3   the vendor named no region (or we have none): neither cleared nor confirmed
 *   disjoint  0
 */
const SCORE_SAME_CITY = 0.9;
const SCORE_LOOSE = 0.7;
const SCORE_UNKNOWN = 0.3;
const SCORE_NEARBY = 0.8;
const RANK: Record<RegionRelation, number> = {
  exact: 4,
  contains: 3,
  within: 3,
  nearby: 2,
  unknown: 1,
  disjoint: 0,
};

const round = (x: number): number => Math.round(x * 100) / 100;

interface Pair {
  relation: RegionRelation;
  score: number;
}

function relate(vendor: RegionId, ours: RegionId): Pair {
  if (vendor === ours) return { relation: 'exact', score: 1 };
  const oursUp = ancestors(ours);
  const vendorUp = ancestors(vendor);
  const down = oursUp.indexOf(vendor);
  if (down >= 0) return { relation: 'contains', score: round(Math.max(0.7, 1 - 0.05 * (down + 1))) };
  const up = vendorUp.indexOf(ours);
  if (up >= 0) return { relation: 'within', score: round(Math.max(0.7, 0.95 - 0.05 * (up + 1))) };
  const city = vendorUp[0];
  if (city?.startsWith('city:') && city === oursUp[0]) return { relation: 'exact', score: SCORE_SAME_CITY };
  if (broadAncestors(ours).includes(vendor)) return { relation: 'contains', score: SCORE_LOOSE };
  if (broadAncestors(vendor).includes(ours)) return { relation: 'within', score: SCORE_LOOSE };
  if (isNearby(vendor, ours)) return { relation: 'nearby', score: SCORE_NEARBY };
  return { relation: 'disjoint', score: 0 };
}

/** Canonical ids stay; free-text labels ("eu", "Europe") are resolved; unknown ones are dropped. */
function normalize(ids: RegionId[]): RegionId[] {
  const out: RegionId[] = [];
  for (const id of ids) {
    for (const r of getRegion(id) ? [id] : resolveRegionLabel(id)) if (!out.includes(r)) out.push(r);
  }
  return out;
}

/**
 * How a vendor incident's regions relate to ours: the best pair wins (exact, then contains/within,
 * then nearby, then disjoint; higher score breaks ties). No vendor region means unknown, never global.
 */
export function regionOverlap(vendorRegions: RegionId[], ourRegions: RegionId[]): RegionOverlap {
  const vendor = normalize(vendorRegions);
  const ours = normalize(ourRegions);
  if (vendor.length === 0 || ours.length === 0) {
    return {
      relation: 'unknown',
      score: SCORE_UNKNOWN,
      vendorRegion: vendor[0] ?? null,
      ourRegion: ours[0] ?? null,
    };
  }
  let best: RegionOverlap | null = null;
  for (const v of vendor) {
    for (const o of ours) {
      const { relation, score } = relate(v, o);
      if (
        !best ||
        RANK[relation] > RANK[best.relation] ||
        (RANK[relation] === RANK[best.relation] && score > best.score)
      ) {
        best = { relation, score, vendorRegion: v, ourRegion: o };
      }
    }
  }
  return best as RegionOverlap;
}

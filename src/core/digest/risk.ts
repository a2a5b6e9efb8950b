import type { RawFigures } from './figures.js';
import { riskWeights, type VendorDigest } from './types.js';

/** The parts of a stretch's figures the risk reads, already scaled to the period's length. */
export type RiskParts = Pick<
  RawFigures,
  'explained' | 'attributableErrorMinutes' | 'unposted' | 'weightedIncidentMinutes' | 'unreadableMinutes'
> & { worstAckLagMinutes: number | null };

/**
 * The risk score of riskFormulaText, rounded to one decimal. A negative worst lag (the vendor posted
 * before our errors showed it) adds nothing rather than lowering the score.
 */
export function riskScore(p: RiskParts): number {
  const w = riskWeights;
  const score =
    p.explained * w.explained +
    p.attributableErrorMinutes / w.attributableErrorMinutesPer +
    p.unposted * w.unposted +
    Math.max(0, p.worstAckLagMinutes ?? 0) / w.worstAckLagMinutesPer +
    p.weightedIncidentMinutes / w.incidentMinutesPer +
    p.unreadableMinutes / w.unreadableMinutesPer;
  return Math.round(score * 10) / 10;
}

/**
 * The trend of riskFormulaText: new when the previous 30 days scored 0 (and the period did not),
 * up when the risk is at least 1 above 1.25 × the previous 7 days' average, down when at least 1
 * below 0.8 × it, else flat.
 */
export function riskTrend(risk: number, previous7: number, previous30: number): VendorDigest['trend'] {
  if (previous30 === 0 && risk > 0) return 'new';
  // The epsilon keeps a margin of exactly 1 from failing on binary fractions (1.25 × 0.3).
  if (risk - 1.25 * previous7 >= 1 - 1e-9) return 'up';
  if (0.8 * previous7 - risk >= 1 - 1e-9) return 'down';
  return 'flat';
}

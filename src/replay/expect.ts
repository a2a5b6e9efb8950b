import type { Verdict } from '../core/correlate/types.js';
import { regionOverlap } from '../core/regions/overlap.js';
import type { Scenario } from './scenario.js';

/** How a replay compares with what its scenario says should happen (for evaluation suites). */
export interface Expectations {
  passed: boolean;
  incidents: { id: string; expected: Verdict; actual: Verdict | null; ok: boolean }[];
  /** Expected `internal`, got `upstream`: the one mistake the product must never make. */
  falseBlame: string[];
  suspected: { vendor: string; region: string | null; found: string | null }[];
  /** Suspects nobody expected (only judged when the scenario lists `suspectedExpected`). */
  unexpectedSuspects: string[];
}

interface Found {
  id: string;
  vendor: string;
  region: string;
}

// A suspect in the expected region or inside or around it counts ("eu" expected, aws:eu-west-1 found).
const regionFits = (found: string, wanted: string) =>
  ['exact', 'contains', 'within', 'nearby'].includes(regionOverlap([found], [wanted]).relation);

/** Compares the replay with `expect` and `suspectedExpected`; null when the scenario states neither. */
export function checkExpectations(
  scenario: Pick<Scenario, 'expect' | 'suspectedExpected'>,
  incidents: readonly { id: string; verdict: Verdict }[],
  suspected: readonly Found[],
): Expectations | null {
  if (!scenario.expect && !scenario.suspectedExpected) return null;
  const verdicts = Object.entries(scenario.expect ?? {}).map(([id, expected]) => {
    const actual = incidents.find((i) => i.id === id)?.verdict ?? null;
    return { id, expected, actual, ok: actual === expected };
  });
  const falseBlame = verdicts
    .filter((v) => v.expected === 'internal' && v.actual === 'upstream')
    .map((v) => v.id);
  const used = new Set<string>();
  const wanted = (scenario.suspectedExpected ?? []).map((w) => {
    const match = suspected.find(
      (s) =>
        !used.has(s.id) &&
        s.vendor.toLowerCase() === w.vendor.toLowerCase() &&
        (w.region === undefined || regionFits(s.region, w.region)),
    );
    if (match) used.add(match.id);
    return { vendor: w.vendor, region: w.region ?? null, found: match?.id ?? null };
  });
  const unexpectedSuspects = scenario.suspectedExpected
    ? suspected
        .filter((s) => !used.has(s.id) && !wanted.some((w) => w.found && sameVendor(s, w)))
        .map((s) => s.id)
    : [];
  return {
    passed:
      verdicts.every((v) => v.ok) && wanted.every((w) => w.found !== null) && unexpectedSuspects.length === 0,
    incidents: verdicts,
    falseBlame,
    suspected: wanted,
    unexpectedSuspects,
  };
}

// A second suspect of an expected vendor (the detector split one outage by region) is not a surprise.
const sameVendor = (s: Found, w: { vendor: string }) => s.vendor.toLowerCase() === w.vendor.toLowerCase();

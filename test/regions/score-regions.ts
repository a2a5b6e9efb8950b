/**
 * Precision and recall of region extraction on the hand-labeled table (labeled-regions.json).
 *   npx tsx test/regions/score-regions.ts [--all]      (--all lists every miss, not just the first 60)
 *
 * How the table is labeled (the ground truth `canonicalRegions(text)` is held to, as a set):
 * - Expected = the regions the text names as where something happens, minus those it plainly says
 *   are unaffected ("not affecting Europe", "customers outside the EU", "Local GRU traffic is
 *   unaffected"), reduced to the most specific: an id that is an ancestor of another expected id
 *   drops out ("Europe / Amsterdam, Netherlands - (AMS)" → site:ams). Double negations count as
 *   affirmations ("regions other than IAD are not impacted" → site:iad).
 * - Cloud codes by shape: eu-west-1 → aws, europe-west3 → gcp, westeurope / "West Europe" → azure.
 *   AWS display names count only in AWS's exact form ("US East (Ohio)", "Asia Pacific (Sydney)",
 *   "Europe (Frankfurt)", "Middle East (UAE)"); any other "(City)" form is that city, and the words
 *   inside a display name are not separate mentions (no macro:asia-pacific from "Asia Pacific (Sydney)").
 * - PoP and datacenter codes are sites (site:fra). A vendor's numbered code built on its city's IATA
 *   code is that site (DigitalOcean FRA1, Vercel dub1); other numbered codes are the city (NYC3,
 *   LON1, SGP1, TOR1). Vendor home regions name their country (Twilio US1 / IE1 / AU1, Datadog US1).
 * - Sub-national areas resolve to the nearest node: US states, "US East", "US Central", "Eastern US"
 *   → country:us; N./North/Northern Virginia → city:ashburn (contract), plain "Virginia" → country:us.
 *   City-states are their city node (city:singapore, city:hong-kong).
 * - Macro aliases: EU, EMEA (→ europe + middle-east + africa), APAC, Asia, SE Asia → asia-pacific,
 *   LATAM and South America → latin-america, NA / NAMER → north-america; Cloudflare location hints
 *   WEUR / EEUR → europe, ENAM / WNAM → north-america ("Western Europe" is not azure:westeurope).
 * - Vendor names that imitate cloud codes are not cloud regions: Grafana's prod-eu-west-2 runs in
 *   AWS Germany, so only its display part ("AWS Germany" → country:de) or "EU"/"US" counts.
 * - Not regions: time zones (PT, CEST, US/Pacific, Beijing time), product names ("Global Protect",
 *   "eShip Global", "China Network"), "global" as a plain adjective ("a global value"), domains and
 *   words that merely contain a code ("status", "zoom.us"); "global", "globally", "worldwide" and
 *   "all regions" as a scope are `global`.
 * Rows whose label needed such a call carry a `note`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { canonicalRegions } from '../../src/core/regions/extract.js';
import type { RegionId } from '../../src/core/regions/types.js';

/** One hand-labeled string: where it was quoted from and the canonical ids it must yield. */
export const labeledRegionSchema = z.object({
  text: z.string().min(1),
  source: z.string().regex(/^[^#]+#.+$/, 'expected "<fixture file>#<incident, component or line id>"'),
  kind: z.enum(['component', 'group', 'title', 'body']),
  expected: z.array(z.string().min(1)),
  note: z.string().min(1).optional(),
});
export type LabeledRegion = z.infer<typeof labeledRegionSchema>;

/** Where the table lives, next to this script. */
export const labeledRegionsPath = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'labeled-regions.json',
);

/** Reads and validates the labeled table. */
export function loadLabeledRegions(file: string = labeledRegionsPath): LabeledRegion[] {
  return z.array(labeledRegionSchema).parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** The fixture a row was quoted from: the part of `source` before '#'. */
export function sourceFile(row: LabeledRegion): string {
  return row.source.slice(0, row.source.indexOf('#'));
}

export interface RegionMiss {
  text: string;
  source: string;
  expected: RegionId[];
  got: RegionId[];
}

export interface RegionScore {
  rows: number;
  /** Rows whose predicted id set equals the expected set. */
  exact: number;
  tp: number;
  fp: number;
  fn: number;
  /** Micro-averaged over ids: tp / (tp + fp), 1 when nothing was predicted. */
  precision: number;
  /** Micro-averaged over ids: tp / (tp + fn), 1 when nothing was expected. */
  recall: number;
  /** Exact rows per kind, as [exact, total]. */
  byKind: Record<LabeledRegion['kind'], [number, number]>;
  misses: RegionMiss[];
}

/** Scores an extractor against labeled rows: each row's ids compared as sets, counts summed over rows. */
export function scoreRegions(rows: LabeledRegion[], extract: (text: string) => RegionId[]): RegionScore {
  const score: RegionScore = {
    rows: rows.length,
    exact: 0,
    tp: 0,
    fp: 0,
    fn: 0,
    precision: 1,
    recall: 1,
    byKind: { component: [0, 0], group: [0, 0], title: [0, 0], body: [0, 0] },
    misses: [],
  };
  for (const row of rows) {
    const expected = new Set(row.expected);
    const got = new Set(extract(row.text));
    const tp = [...got].filter((id) => expected.has(id)).length;
    score.tp += tp;
    score.fp += got.size - tp;
    score.fn += expected.size - tp;
    const kind = score.byKind[row.kind];
    kind[1] += 1;
    if (tp === got.size && tp === expected.size) {
      score.exact += 1;
      kind[0] += 1;
    } else {
      score.misses.push({ text: row.text, source: row.source, expected: [...expected], got: [...got] });
    }
  }
  score.precision = score.tp + score.fp === 0 ? 1 : score.tp / (score.tp + score.fp);
  score.recall = score.tp + score.fn === 0 ? 1 : score.tp / (score.tp + score.fn);
  return score;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function report(score: RegionScore, showAll: boolean): string {
  const lines = [
    `rows ${score.rows}   exact ${score.exact} (${pct(score.exact / Math.max(score.rows, 1))})`,
    `ids  tp ${score.tp}  fp ${score.fp}  fn ${score.fn}`,
    `precision ${score.precision.toFixed(3)}   recall ${score.recall.toFixed(3)}`,
    `exact by kind: ${Object.entries(score.byKind)
      .map(([kind, [ok, total]]) => `${kind} ${ok}/${total}`)
      .join('  ')}`,
  ];
  if (score.misses.length > 0) {
    const shown = showAll ? score.misses : score.misses.slice(0, 60);
    lines.push(
      '',
      `misses (${score.misses.length}${shown.length < score.misses.length ? `, first ${shown.length}` : ''}):`,
    );
    for (const m of shown) {
      const missing = m.expected.filter((id) => !m.got.includes(id));
      const extra = m.got.filter((id) => !m.expected.includes(id));
      lines.push(
        `- ${JSON.stringify(m.text)}  [${m.source}]`,
        `    expected [${m.expected.join(', ')}]  got [${m.got.join(', ')}]` +
          (missing.length ? `  missing ${missing.join(', ')}` : '') +
          (extra.length ? `  extra ${extra.join(', ')}` : ''),
      );
    }
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const score = scoreRegions(loadLabeledRegions(), (text) => canonicalRegions(text));
  console.log(report(score, process.argv.includes('--all')));
}

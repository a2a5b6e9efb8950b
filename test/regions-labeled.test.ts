import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalRegions } from '../src/core/regions/extract.js';
import { ancestors, getRegion } from '../src/core/regions/taxonomy.js';
import { hasSharedFixtures, sharedFixturesDir } from './support/fixtures.js';
import { loadLabeledRegions, scoreRegions, sourceFile, type LabeledRegion } from './regions/score-regions.js';

// The team's ground truth for region extraction: real strings quoted from the recorded status
// pages and postmortems, each labeled by hand (see the rules in test/regions/score-regions.ts).
const rows = loadLabeledRegions();

/** Every string value in a fixture, with HTML tags stripped and common entities decoded, so a row can be found. */
function fixtureText(relative: string): string {
  const raw = readFileSync(path.join(sharedFixturesDir, relative), 'utf8');
  const strings: string[] = [raw];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  if (relative.endsWith('.jsonl')) {
    for (const line of raw.split('\n')) if (line.trim() !== '') collect(JSON.parse(line));
  } else if (relative.endsWith('.json')) {
    collect(JSON.parse(raw));
  }
  const text = strings.join('\n');
  const stripped = text
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
  return `${text}\n${stripped}\n${stripped.replace(/\u00a0/g, ' ')}`;
}

describe('labeled region table', () => {
  it('has at least 300 rows from at least 8 sources', () => {
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(new Set(rows.map(sourceFile)).size).toBeGreaterThanOrEqual(8);
  });

  it('names only ids that exist in the taxonomy', () => {
    const unknown = rows.flatMap((r) =>
      r.expected.filter((id) => getRegion(id) === undefined).map((id) => `${id} ← ${r.text}`),
    );
    expect(unknown).toEqual([]);
  });

  it('labels the most specific regions only (no expected id is an ancestor of another)', () => {
    const redundant = rows.flatMap((r) =>
      r.expected
        .filter((a) => r.expected.some((b) => b !== a && ancestors(b).includes(a)))
        .map((a) => `${a} ← ${r.text}`),
    );
    expect(redundant).toEqual([]);
  });

  it('has no duplicate rows', () => {
    const keys = rows.map((r: LabeledRegion) => `${r.kind}\u0000${r.text}`);
    expect(keys.length - new Set(keys).size).toBe(0);
  });

  it.skipIf(!hasSharedFixtures)('quotes every text verbatim from its source fixture', () => {
    const cache = new Map<string, string>();
    const notFound = rows
      .filter((r) => {
        const file = sourceFile(r);
        if (!cache.has(file)) cache.set(file, fixtureText(file));
        return !cache.get(file)!.includes(r.text);
      })
      .map((r) => `${r.source}: ${r.text}`);
    expect(notFound).toEqual([]);
  });
});

describe('canonicalRegions() on the labeled table', () => {
  const score = scoreRegions(rows, (text) => canonicalRegions(text));
  const summary = `tp ${score.tp} fp ${score.fp} fn ${score.fn}, ${score.misses.length} rows wrong (npx tsx test/regions/score-regions.ts lists them)`;

  it('reaches precision ≥ 0.95 over region ids', () => {
    expect(score.precision, summary).toBeGreaterThanOrEqual(0.95);
  });

  it('reaches recall ≥ 0.95 over region ids', () => {
    expect(score.recall, summary).toBeGreaterThanOrEqual(0.95);
  });
});

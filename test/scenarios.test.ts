import { beforeAll, describe, expect, test } from 'vitest';
import {
  checkSuspects,
  evaluateScenario,
  isSeed,
  loadScenario,
  loadScenarios,
  regionFits,
  summarize,
  type IncidentRow,
  type ScenarioResult,
} from './eval/run-eval.js';

// The evaluation set (test/scenarios/, built as test/scenarios/README.md says): every scenario is
// replayed through the same code the workers run, and each of our incidents must get the verdict a
// careful responder would give from the evidence in the file. Labels are never tuned to the scorer.

const loaded = loadScenarios();
const results = new Map<string, ScenarioResult>();

beforeAll(() => {
  for (const scenario of loaded) results.set(scenario.file, evaluateScenario(scenario));
}, 180_000);

const resultOf = (file: string): ScenarioResult => {
  const result = results.get(file);
  if (!result) throw new Error(`${file} was not replayed`);
  return result;
};

describe('the scenario set', () => {
  test('holds the five seed postmortems and at least twenty scenarios built from real incidents', () => {
    const seeds = loaded.filter((s) => isSeed(s.file)).map((s) => s.file);
    expect(seeds.sort()).toEqual([
      'seed-demio-join-links.json',
      'seed-iadvize-missing-env.json',
      'seed-serraview-booking-saturation.json',
      'seed-swapcard-100ms-eu.json',
      'seed-tokbox-1026-sjc.json',
    ]);
    expect(loaded.length - seeds.length).toBeGreaterThanOrEqual(20);
  });

  test('every scenario replays without warnings and keeps its error events aggregated (≤ 200)', () => {
    for (const s of loaded) {
      expect(s.warnings, s.file).toEqual([]);
      expect(s.scenario.errors.length, s.file).toBeLessThanOrEqual(200);
      expect(s.scenario.name, s.file).toBe(s.file.replace(/\.json$/, ''));
    }
  });

  test('the labels cover every verdict, and ours-only cases are not a token few', () => {
    const labels = loaded.flatMap((s) => Object.values(s.wanted.expect));
    expect(new Set(labels)).toEqual(new Set(['upstream', 'unclear', 'internal']));
    expect(labels.filter((l) => l !== 'upstream').length).toBeGreaterThanOrEqual(10);
  });

  test('an incident without an expected verdict is refused, naming the file and the incident', () => {
    const text = JSON.stringify({
      name: 'x',
      expect: {},
      incidents: [{ id: 'INC-1', service: 'api', startedAt: '2025-01-01T00:00:00Z' }],
    });
    expect(() => loadScenario('x.json', text)).toThrow(/x\.json: no expected verdict for INC-1/);
  });

  test('a verdict outside upstream|unclear|internal is refused with its path', () => {
    const text = JSON.stringify({ expect: { 'INC-1': 'vendor' } });
    expect(() => loadScenario('bad.json', text)).toThrow(/bad\.json[\s\S]*expect\.INC-1/);
  });
});

describe('evaluation arithmetic', () => {
  const row = (expected: IncidentRow['expected'], got: IncidentRow['got'], seed = false): IncidentRow => ({
    file: `${seed ? 'seed-' : ''}f.json`,
    seed,
    id: `INC-${expected}-${got}`,
    expected,
    got,
    topVendor: got === 'upstream' ? 'v' : null,
    topRef: null,
    confidence: null,
    minutesToAnnotation: 10,
    expectedTop: null,
    firstUpstreamAt: got === 'upstream' ? '2025-01-01T00:10:00.000Z' : null,
  });

  test('precision and recall count upstream as the positive class; unclear→upstream is false blame too', () => {
    const t = summarize([
      {
        file: 'f.json',
        suspects: null,
        rows: [
          row('upstream', 'upstream'),
          row('upstream', 'unclear'),
          row('internal', 'upstream', true),
          row('unclear', 'upstream'),
          row('internal', 'internal'),
        ],
      },
    ]);
    expect(t.precision).toBeCloseTo(1 / 3);
    expect(t.recall).toBeCloseTo(1 / 2);
    expect(t.accuracy).toBeCloseTo(2 / 5);
    expect(t.falseBlame.map((r) => r.expected)).toEqual(['internal', 'unclear']);
    expect(t.seedFalseBlame).toHaveLength(1);
  });

  test('an expected suspect matches inside or around its region; [] expects none at all', () => {
    const found = [
      { vendor: '100ms', region: 'aws:eu-west-1', id: 's1' },
      { vendor: 'zoom', region: 'global', id: 's2' },
    ] as Parameters<typeof checkSuspects>[2];
    expect(checkSuspects('f', [{ vendor: '100ms', region: 'eu' }], found)?.ok).toBe(true);
    expect(checkSuspects('f', [{ vendor: '100ms', region: 'us-east-1' }], found)?.ok).toBe(false);
    expect(checkSuspects('f', [], found)?.unexpected).toEqual(['100ms@aws:eu-west-1', 'zoom@global']);
    expect(checkSuspects('f', undefined, found)).toBeNull();
    expect(regionFits('site:sfo', 'sfo3')).toBe(true);
    expect(regionFits('aws:ap-south-1', 'eu-west-1')).toBe(false);
  });
});

describe.each(loaded.map((s) => [s.file.replace(/\.json$/, ''), s] as const))('%s', (_name, scenario) => {
  for (const [id, verdict] of Object.entries(scenario.wanted.expect))
    test(`${id} is ${verdict}`, () => {
      const row = resultOf(scenario.file).rows.find((r) => r.id === id);
      expect(row?.got, `${scenario.file} ${id}: top ${row?.topVendor ?? '-'} ${row?.confidence ?? ''}`).toBe(
        verdict,
      );
    });

  for (const [id, vendor] of Object.entries(scenario.wanted.top))
    test(`${id} ranks ${vendor} first`, () => {
      expect(resultOf(scenario.file).rows.find((r) => r.id === id)?.topVendor).toBe(vendor);
    });

  const suspected = scenario.wanted.suspected;
  if (suspected !== undefined)
    test(
      suspected.length === 0
        ? 'no vendor is suspected'
        : `suspects ${suspected.map((s) => `${s.vendor}${s.region ? ` in ${s.region}` : ''}`).join(', ')}`,
      () => {
        const check = resultOf(scenario.file).suspects;
        expect(check?.unexpected).toEqual([]);
        expect(check?.wanted.filter((w) => w.found === null)).toEqual([]);
      },
    );
});

describe('totals over the whole set', () => {
  test('no seed postmortem that was ours is blamed on a vendor', () => {
    const t = summarize([...results.values()]);
    expect(t.seedFalseBlame.map((r) => `${r.file} ${r.id} → ${r.topVendor}`)).toEqual([]);
  });

  test('no seed postmortem that was ours is ever annotated upstream, not even for a minute', () => {
    const t = summarize([...results.values()]);
    const seeds = t.transientFalseBlame.filter((r) => r.seed);
    expect(seeds.map((r) => `${r.file} ${r.id} upstream at ${r.firstUpstreamAt}`)).toEqual([]);
  });

  test('upstream precision is at least 0.9', () => {
    const t = summarize([...results.values()]);
    expect(
      t.precision,
      `false blame: ${t.falseBlame.map((r) => `${r.file} ${r.id}`).join(', ')}`,
    ).toBeGreaterThanOrEqual(0.9);
  });

  test('upstream recall is at least 0.9', () => {
    const t = summarize([...results.values()]);
    expect(t.recall).toBeGreaterThanOrEqual(0.9);
  });
});

import type { IncidentRow, ScenarioResult } from './run-eval.js';

// The bar the scorer is held to, and the per-class view that shows where it falls short. Precision and
// false blame are over every incident; recall over vendor-caused incidents whose vendor posted (made an
// incident known at some point); silent vendors are judged instead by the five-minute mark: our own
// errors must reach `upstream` or a suspected issue of that vendor within 5 minutes of our incident.

export const BAR = { precision: 0.97, recall: 0.95 } as const;

export interface ClassLine {
  cls: string;
  incidents: number;
  correct: number;
  truePositives: number;
  /** Called upstream. */
  calledUpstream: number;
  /** Expected upstream. */
  expectedUpstream: number;
  falseBlame: number;
  medianMinutesToAnnotation: number | null;
}

export interface Bar {
  precision: number;
  /** Over vendor-caused incidents whose vendor posted. */
  recallPosted: number;
  postedUpstream: number;
  postedFound: number;
  falseBlame: IncidentRow[];
  seeds: IncidentRow[];
  silent: IncidentRow[];
  silentMissed: IncidentRow[];
  internalWhileBlind: IncidentRow[];
  reasons: string[];
  pass: boolean;
}

const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function lineOf(cls: string, rows: readonly IncidentRow[]): ClassLine {
  const upstream = rows.filter((r) => r.got === 'upstream');
  return {
    cls,
    incidents: rows.length,
    correct: rows.filter((r) => r.got === r.expected).length,
    truePositives: upstream.filter((r) => r.expected === 'upstream').length,
    calledUpstream: upstream.length,
    expectedUpstream: rows.filter((r) => r.expected === 'upstream').length,
    falseBlame: upstream.filter((r) => r.expected !== 'upstream').length,
    medianMinutesToAnnotation: median(
      rows.flatMap((r) => (r.minutesToAnnotation === null ? [] : [r.minutesToAnnotation])),
    ),
  };
}

// Seeds first, then the vendor's faults, then ours; alphabetical within each group.
const groupOf = (cls: string) =>
  cls === 'seed' ? 0 : /^(vendor-|deploy-|maintenance)/.test(cls) ? 1 : cls.startsWith('ours-') ? 2 : 3;

/** One line per class, then the overall line. */
export function byClass(results: readonly ScenarioResult[]): ClassLine[] {
  const rows = results.flatMap((r) => r.rows);
  const classes = [...new Set(rows.map((r) => r.cls))].sort(
    (a, b) => groupOf(a) - groupOf(b) || a.localeCompare(b),
  );
  return [
    ...classes.map((c) =>
      lineOf(
        c,
        rows.filter((r) => r.cls === c),
      ),
    ),
    lineOf('overall', rows),
  ];
}

/** Whether the results clear the bar, and why not. */
export function judge(results: readonly ScenarioResult[]): Bar {
  const rows = results.flatMap((r) => r.rows);
  const called = rows.filter((r) => r.got === 'upstream');
  const tp = called.filter((r) => r.expected === 'upstream').length;
  const posted = rows.filter((r) => r.expected === 'upstream' && r.vendorPosted);
  const postedFound = posted.filter((r) => r.got === 'upstream').length;
  const falseBlame = called.filter((r) => r.expected !== 'upstream');
  const seeds = rows.filter((r) => r.seed);
  const silent = rows.filter((r) => r.silentAtMark);
  const silentMissed = silent.filter((r) => r.markReached === null);
  const precision = ratio(tp, called.length);
  const recallPosted = ratio(postedFound, posted.length);
  const reasons: string[] = [];
  if (precision < BAR.precision) reasons.push(`precision ${pct(precision)} < ${pct(BAR.precision)}`);
  if (recallPosted < BAR.recall)
    reasons.push(`recall (vendor posted) ${pct(recallPosted)} < ${pct(BAR.recall)}`);
  if (falseBlame.length > 0) reasons.push(`${falseBlame.length} false blame(s)`);
  const seedsWrong = seeds.filter((r) => r.got !== r.expected);
  if (seedsWrong.length > 0) reasons.push(`${seedsWrong.length} seed(s) wrong`);
  if (silentMissed.length > 0)
    reasons.push(`${silentMissed.length} silent-vendor case(s) missed the 5-minute mark`);
  return {
    precision,
    recallPosted,
    postedUpstream: posted.length,
    postedFound,
    falseBlame,
    seeds,
    silent,
    silentMissed,
    internalWhileBlind: rows.filter((r) => r.internalWhileBlind !== null),
    reasons,
    pass: reasons.length === 0,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const frac = (n: number, d: number) => (d === 0 ? '-' : `${pct(n / d)} (${n}/${d})`);

/** Rows under a header and a dashed rule, each column padded to its widest cell. */
export function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Per class, the silent-vendor mark, the seeds, the failures by name and the verdict on the bar. */
export function formatReport(results: readonly ScenarioResult[], bar: Bar): string {
  const classes = table(
    ['class', 'incidents', 'accuracy', 'precision', 'recall', 'false blame', 'median min→annot'],
    byClass(results).map((c) => [
      c.cls,
      String(c.incidents),
      frac(c.correct, c.incidents),
      frac(c.truePositives, c.calledUpstream),
      frac(c.truePositives, c.expectedUpstream),
      String(c.falseBlame),
      c.medianMinutesToAnnotation === null ? '-' : String(c.medianMinutesToAnnotation),
    ]),
  );
  const rows = results.flatMap((r) => r.rows);
  const wrong = rows.filter((r) => r.got !== r.expected);
  const name = (r: IncidentRow) => `${r.file.replace(/\.json$/, '')} ${r.id}`;
  const lines = [
    'per class:',
    classes,
    '',
    `silent-vendor cases reaching upstream or a suspected link within 5 min of our incident's start: ${bar.silent.length - bar.silentMissed.length}/${bar.silent.length}`,
    ...bar.silent.map(
      (r) => `  ${r.markReached ? 'ok  ' : 'MISS'} ${name(r)}${r.markReached ? `: ${r.markReached}` : ''}`,
    ),
    '',
    `seeds: ${bar.seeds.filter((r) => r.got === r.expected).length}/${bar.seeds.length} as expected`,
    ...bar.seeds.map(
      (r) =>
        `  ${r.got === r.expected ? 'ok   ' : 'WRONG'} ${name(r)}: expected ${r.expected}, got ${r.got ?? '(none)'}`,
    ),
    '',
    `internal while a vendor page was unreadable: ${bar.internalWhileBlind.length}`,
    ...bar.internalWhileBlind.map((r) => `  ${name(r)} (${r.cls}): internal at ${r.internalWhileBlind}`),
    '',
    `wrong verdicts: ${wrong.length}`,
    ...wrong.map((r) => `  ${name(r)} [${r.cls}]: expected ${r.expected}, got ${r.got ?? '(none)'}`),
    '',
    `bar: precision ${pct(bar.precision)} (≥ ${pct(BAR.precision)}) · recall where the vendor posted ${frac(bar.postedFound, bar.postedUpstream)} (≥ ${pct(BAR.recall)}) · false blame ${bar.falseBlame.length} (0) · seeds ${bar.seeds.length - bar.seeds.filter((r) => r.got !== r.expected).length}/${bar.seeds.length} · silent-vendor mark ${bar.silent.length - bar.silentMissed.length}/${bar.silent.length}`,
    bar.pass ? 'PASS: at or above the bar' : `UNDER THE BAR: ${bar.reasons.join('; ')}`,
  ];
  return lines.join('\n');
}

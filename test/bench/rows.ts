/**
 * The figures a benchmark script reports to `npm run bench` (test/bench/report.ts): each a value and,
 * where there is one, a reference measured in the same run on the same machine. A script run alone
 * prints its own lines; run by the report it is given `--rows <file>` and also writes its rows there.
 */
import { writeFileSync } from 'node:fs';

export interface BenchRow {
  /** The script: poll, ingest, correlate, check, digest, html. */
  bench: string;
  /** What was measured, e.g. "CPU per changed page (parse, regions, store)". */
  figure: string;
  value: number;
  unit: string;
  /** Whether more (throughput) or less (time, CPU, memory) is better. */
  better: 'higher' | 'lower';
  /** The same kind of figure for something simpler this run measured too, in the same unit. */
  reference?: { what: string; value: number };
  /** A stated target, in the same unit, when there is one. */
  target?: number;
}

/** value ÷ reference, when both are there. */
export function ratioOf(row: BenchRow): number | null {
  if (!row.reference || !Number.isFinite(row.reference.value) || row.reference.value === 0) return null;
  return row.value / row.reference.value;
}

/** Writes `rows` to the file named by `--rows`, when the script was given one. */
export function emitRows(rows: BenchRow[]): void {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--rows');
  const file = at >= 0 ? argv[at + 1] : undefined;
  if (file) writeFileSync(file, JSON.stringify(rows.filter((r) => Number.isFinite(r.value))));
}

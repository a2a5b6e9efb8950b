/**
 * Every benchmark in one report: each script runs in a process of its own (as `npm run bench:<name>`
 * would run it, at a quick size unless `--full`), writes its figures with a reference measured in the
 * same run, and this prints one table: figure, value, reference, ratio.
 *   npm run bench [-- --full] [--only poll,ingest] [--json | --markdown] [--limit <seconds per script>]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ratioOf, type BenchRow } from './rows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const full = argv.includes('--full');
const only = argv.includes('--only') ? (argv[argv.indexOf('--only') + 1] ?? '').split(',') : null;
const format = argv.includes('--json') ? 'json' : argv.includes('--markdown') ? 'markdown' : 'text';

/** Each benchmark: its script, and the arguments of the quick run (the full run uses the script's own defaults). */
const benches: Array<{ name: string; script: string; quick: string[] }> = [
  { name: 'poll', script: 'poll.ts', quick: ['--vendors', '300', '--pages', '200'] },
  { name: 'ingest', script: 'ingest.ts', quick: ['--events', '300000', '--latency-seconds', '5'] },
  {
    name: 'correlate',
    script: 'correlate.ts',
    quick: ['--incidents', '2000', '--sizes', '1,2', '--trials', '2'],
  },
  {
    name: 'check',
    script: 'check.ts',
    quick: ['--vendors', '50', '--days', '2', '--duration', '5', '--rate', '200', '--burst-vendors', '300'],
  },
  { name: 'digest', script: 'digest.ts', quick: ['--vendors', '20', '--days', '8', '--runs', '1'] },
  { name: 'html', script: 'deep-html.ts', quick: ['--levels', '4000,16000'] },
];

const rowSchema = z.array(
  z.object({
    bench: z.string(),
    figure: z.string(),
    value: z.number(),
    unit: z.string(),
    better: z.enum(['higher', 'lower']),
    reference: z.object({ what: z.string(), value: z.number() }).optional(),
    target: z.number().optional(),
  }),
);

// A script that has not ended by then is stopped and counted as failed (its rows, if written, are kept).
const limitSeconds = Number(argv.includes('--limit') ? argv[argv.indexOf('--limit') + 1] : full ? 5400 : 900);

/** Runs one script; its own lines go to stderr so that `--json` leaves stdout to the report. */
function run(
  bench: (typeof benches)[number],
  rowsFile: string,
): Promise<{ ok: boolean; seconds: number; timedOut: boolean }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, bench.script), ...(full ? [] : bench.quick), '--rows', rowsFile],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.stderr.write(`${bench.name}: still running after ${limitSeconds} s, stopped\n`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, limitSeconds * 1000);
    child.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0 && !timedOut, seconds: (performance.now() - started) / 1000, timedOut });
    });
  });
}

const number = (value: number): string => {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

function cells(row: BenchRow): string[] {
  const ratio = ratioOf(row);
  return [
    row.bench,
    row.figure,
    `${number(row.value)} ${row.unit}`,
    row.reference ? `${number(row.reference.value)} ${row.unit} (${row.reference.what})` : '—',
    ratio === null ? '—' : `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`,
    row.target === undefined ? '' : `${row.better === 'lower' ? '<' : '≥'} ${number(row.target)}`,
  ];
}

const header = ['bench', 'figure', 'value', 'reference, same run', 'ratio', 'target'];

function printText(rows: BenchRow[]) {
  const table = [header, ...rows.map(cells)];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  for (const [n, r] of table.entries()) {
    console.log(
      r.map((c, i) => (i === 2 || i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  '),
    );
    if (n === 0) console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  }
}

function printMarkdown(rows: BenchRow[]) {
  const escape = (c: string) => c.replace(/\|/g, '\\|');
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map((_, i) => (i === 2 || i === 4 ? '---:' : '---')).join(' | ')} |`);
  for (const r of rows) console.log(`| ${cells(r).map(escape).join(' | ')} |`);
}

async function main() {
  const began = performance.now();
  const loadBefore = loadavg()[0]!.toFixed(1);
  const dir = mkdtempSync(path.join(tmpdir(), 'upcause-bench-report-'));
  const rows: BenchRow[] = [];
  const failed: string[] = [];
  const took: Record<string, number> = {};
  try {
    for (const bench of benches.filter((b) => !only || only.includes(b.name))) {
      process.stderr.write(`\n── ${bench.name} (${full ? 'full size' : 'quick size'}) ──\n`);
      const file = path.join(dir, `${bench.name}.json`);
      const { ok, seconds, timedOut } = await run(bench, file);
      took[bench.name] = Math.round(seconds);
      let found: BenchRow[] = [];
      try {
        found = rowSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      } catch {
        // No rows: the script failed before writing them.
      }
      if (!ok || found.length === 0)
        failed.push(timedOut ? `${bench.name} (stopped after ${limitSeconds} s)` : bench.name);
      rows.push(...found);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const totalSeconds = Math.round((performance.now() - began) / 1000);
  const durations = Object.entries(took)
    .map(([name, seconds]) => `${name} ${seconds} s`)
    .join(', ');
  const machine =
    `${cpus().length} cores, Node ${process.version}, load average ${loadBefore} at the start, ` +
    `${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end`;
  if (format === 'json') {
    console.log(
      JSON.stringify(
        { size: full ? 'full' : 'quick', machine, totalSeconds, seconds: took, failed, rows },
        null,
        2,
      ),
    );
  } else {
    console.log('');
    if (format === 'markdown') printMarkdown(rows);
    else printText(rows);
    console.log(
      `\n${full ? 'full' : 'quick'} sizes; ${machine}; ratio = value ÷ reference; ` +
        `took ${totalSeconds} s (${durations})` +
        (failed.length ? `; FAILED: ${failed.join(', ')}` : ''),
    );
  }
  if (failed.length) process.exitCode = 1;
}

await main();

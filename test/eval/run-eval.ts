/**
 * `npm run eval`: replays every scenario in test/scenarios/ through the same code the workers run and
 * compares the verdicts with the scenarios' `expect`. Prints one row per incident of ours, the totals
 * the product is judged on (precision and recall of `upstream`, false blames listed by name, accuracy,
 * time to annotation), the same per scenario class, the silent-vendor five-minute mark and the seeds.
 *
 * Exit 1 when the result is under the bar (see bar.ts), exit 2 when a scenario cannot be read or
 * replayed (the others are still evaluated and printed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Verdict } from '../../src/core/correlate/types.js';
import { resolveRegionLabel } from '../../src/core/regions/extract.js';
import { ancestors } from '../../src/core/regions/taxonomy.js';
import { replayScenario, type ReplayOutput } from '../../src/replay/run.js';
import { parseScenarioText, type Scenario } from '../../src/replay/scenario.js';
import { formatReport, judge, table } from './bar.js';
import { evidenceOf, overlapsBlind, type ScenarioEvidence } from './evidence.js';

export const scenarioDir = fileURLToPath(new URL('../scenarios/', import.meta.url));
/**
 * Scenarios written apart from the scorer, by someone who read neither it nor the generator: a check
 * that the rules hold on cases they were not shaped on. Evaluated with the rest, reported apart too.
 */
export const holdoutDir = fileURLToPath(new URL('../scenarios-holdout/', import.meta.url));

const verdictSchema = z.enum(['upstream', 'unclear', 'internal']);
const suspectWantedSchema = z.strictObject({
  vendor: z.string().min(1, 'a suspected vendor id must not be empty'),
  /** A canonical region id ("aws:eu-west-1") or a team label ("eu-west-1"); any region when absent. */
  region: z.string().min(1, 'a suspected region must not be empty').optional(),
});

/**
 * The evaluation extension of a scenario file: what a careful responder concludes from its evidence.
 * `suspectedExpected: []` says no vendor should be suspected at all. `expectSuspected` is read as an
 * alias of `suspectedExpected` (the name the evaluation brief used).
 */
export const evalExtensionSchema = z
  .looseObject({
    expect: z.record(z.string(), verdictSchema, { error: 'expected "expect": { "<incident id>": verdict }' }),
    suspectedExpected: z.array(suspectWantedSchema).optional(),
    expectSuspected: z.array(suspectWantedSchema).optional(),
    /** The vendor that must rank first for an incident when several are degraded at once. */
    expectTop: z.record(z.string(), z.string().min(1)).optional(),
    /** What the scenario tests (test/scenarios/README.md lists the classes). */
    class: z.string().min(1, 'a scenario class must not be empty').optional(),
  })
  .transform(({ expect, suspectedExpected, expectSuspected, expectTop, class: cls }) => ({
    expect,
    suspected: suspectedExpected ?? expectSuspected,
    top: expectTop ?? {},
    cls: cls ?? 'unclassified',
  }));
export type EvalExtension = z.output<typeof evalExtensionSchema>;

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
  wanted: EvalExtension;
  warnings: string[];
  evidence: ScenarioEvidence;
}

/** Reads and validates one scenario file and its evaluation extension; errors name the file and path. */
export function loadScenario(file: string, text: string): LoadedScenario {
  let parsed: ReturnType<typeof parseScenarioText>;
  try {
    parsed = parseScenarioText(text, file);
  } catch (cause) {
    throw new Error(`${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const { scenario, warnings } = parsed;
  const raw: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  const ext = evalExtensionSchema.safeParse(raw);
  if (!ext.success)
    throw new Error(
      `${file}: ${ext.error.issues.map((i) => `${i.path.join('.') || 'scenario'}: ${i.message}`).join('; ')}`,
    );
  const missing = scenario.incidents.filter((i) => !(i.id in ext.data.expect)).map((i) => i.id);
  if (missing.length > 0) throw new Error(`${file}: no expected verdict for ${missing.join(', ')}`);
  // expectTop and class are this suite's extensions; the replay warns about them, nothing else is expected to be unknown.
  return {
    file,
    scenario,
    wanted: ext.data,
    warnings: warnings.filter((w) => !w.startsWith('expectTop:') && !w.startsWith('class:')),
    evidence: evidenceOf(raw),
  };
}

/** Every scenario of the suite, in file-name order. */
export function loadScenarios(dir = scenarioDir): LoadedScenario[] {
  return scenarioFiles(dir).map((f) => loadScenario(f, readFileSync(path.join(dir, f), 'utf8')));
}

/** The scenario file names of a directory, sorted. */
export const scenarioFiles = (dir = scenarioDir): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();

/** Seed scenarios (the five postmortems of ../shared/fixtures/seeds) are named `seed-…`. */
export const isSeed = (file: string) => path.basename(file).startsWith('seed-');

/** One incident of ours: what was expected and what the replay said. */
export interface IncidentRow {
  file: string;
  seed: boolean;
  id: string;
  expected: Verdict;
  got: Verdict | null;
  topVendor: string | null;
  /** The vendor incident or suspected issue of the top candidate. */
  topRef: string | null;
  confidence: number | null;
  /** From our incident's start to the simulated time the final verdict was first reached. */
  minutesToAnnotation: number | null;
  expectedTop: string | null;
  /** The first simulated time any evaluation said upstream (a live annotator would have delivered it). */
  firstUpstreamAt: string | null;
  /** The scenario's class. */
  cls: string;
  /** The vendor made an incident known at some point of the history (posted, or a readable page showed one). */
  vendorPosted: boolean;
  /**
   * Expected upstream with a suspected vendor, and that vendor had made nothing known by our incident's
   * start + 5 min: our own errors must carry the alarm by then (see `markReached`).
   */
  silentAtMark: boolean;
  /** How the silent-vendor mark was reached ("upstream 13:05Z", "suspect 13:04Z"), null when it was not. */
  markReached: string | null;
  /** The first time a verdict of `internal` was in force while a vendor page was unreadable. */
  internalWhileBlind: string | null;
}

/** The suspected-issue part of a scenario's expectation. */
export interface SuspectCheck {
  file: string;
  wanted: { vendor: string; region: string | null; found: string | null }[];
  /** Suspects reported when the scenario says none (`suspectedExpected: []`). */
  unexpected: string[];
  ok: boolean;
}

export interface ScenarioResult {
  file: string;
  rows: IncidentRow[];
  suspects: SuspectCheck | null;
}

/** A region label or canonical id as canonical ids ("eu-west-1" → aws:eu-west-1). */
function canonical(region: string): string[] {
  return region.includes(':') || region === 'global' ? [region] : resolveRegionLabel(region);
}

/** A suspect found in `found` fits an expected region when one contains the other (or they are equal). */
export function regionFits(found: string, wanted: string): boolean {
  const chain = (id: string) => [id, ...ancestors(id)];
  return canonical(wanted).some(
    (w) => found === w || chain(found).includes(w) || chain(w).includes(found) || w === 'global',
  );
}

/** Compares the replay's suspected issues with the scenario's expectation; null when it states none. */
export function checkSuspects(
  file: string,
  wanted: EvalExtension['suspected'],
  suspected: ReplayOutput['suspected'],
): SuspectCheck | null {
  if (wanted === undefined) return null;
  const used = new Set<string>();
  const rows = wanted.map((w) => {
    const match = suspected.find(
      (s) =>
        !used.has(s.id) &&
        s.vendor.toLowerCase() === w.vendor.toLowerCase() &&
        (w.region === undefined || regionFits(s.region, w.region)),
    );
    if (match) used.add(match.id);
    return {
      vendor: w.vendor,
      region: w.region ?? null,
      found: match ? `${match.vendor}@${match.region}` : null,
    };
  });
  const unexpected = wanted.length === 0 ? suspected.map((s) => `${s.vendor}@${s.region}`) : [];
  return {
    file,
    wanted: rows,
    unexpected,
    ok: rows.every((r) => r.found !== null) && unexpected.length === 0,
  };
}

const minutesBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 60_000);
/** The five-minute mark for silent vendors: from our incident's start. */
export const SILENT_MARK_MINUTES = 5;
const hhmm = (t: number) => `${new Date(t).toISOString().slice(11, 16)}Z`;

/** How (and whether) our errors raised the alarm on a silent vendor by the mark. */
function markOf(
  loaded: LoadedScenario,
  output: ReplayOutput,
  revisions: readonly { at: string; verdict: string; top: string | null }[],
  mark: number,
): string | null {
  const wanted = loaded.wanted.suspected ?? [];
  const upstream = revisions.find((r) => r.verdict === 'upstream' && Date.parse(r.at) <= mark);
  if (upstream) return `upstream ${hhmm(Date.parse(upstream.at))}`;
  const suspect = output.suspected
    .filter((s) => Date.parse(s.detectedAt) <= mark)
    .find((s) =>
      wanted.some(
        (w) =>
          w.vendor.toLowerCase() === s.vendor.toLowerCase() &&
          (w.region === undefined || regionFits(s.region, w.region)),
      ),
    );
  if (suspect) return `suspect ${hhmm(Date.parse(suspect.detectedAt))}`;
  const linked = revisions.find(
    (r) => Date.parse(r.at) <= mark && output.suspected.some((s) => r.top === `${s.vendor}/${s.id}`),
  );
  return linked ? `suspect link ${hhmm(Date.parse(linked.at))}` : null;
}

/** Replays one loaded scenario and lines its answers up with the expectation. */
export function evaluateScenario(loaded: LoadedScenario): ScenarioResult {
  const output = replayScenario(loaded.scenario);
  const { firstKnown, blind } = loaded.evidence;
  const rows = loaded.scenario.incidents.map((incident): IncidentRow => {
    const got = output.incidents.find((i) => i.id === incident.id);
    const top = got?.candidates[0];
    const expected = loaded.wanted.expect[incident.id]!;
    const revisions = got?.revisions ?? [];
    const mark = Date.parse(incident.startedAt) + SILENT_MARK_MINUTES * 60_000;
    const wantedVendors = (loaded.wanted.suspected ?? []).map((w) => w.vendor);
    const silentAtMark =
      expected === 'upstream' &&
      wantedVendors.length > 0 &&
      wantedVendors.every((v) => (firstKnown.get(v) ?? Infinity) > mark);
    const blindInternal = revisions.find(
      (r, i) =>
        r.verdict === 'internal' &&
        overlapsBlind(blind, Date.parse(r.at), Date.parse(revisions[i + 1]?.at ?? '9999-12-31T00:00:00Z')),
    );
    return {
      file: loaded.file,
      seed: isSeed(loaded.file),
      id: incident.id,
      expected,
      got: got?.verdict ?? null,
      topVendor: top?.vendor ?? null,
      topRef: top ? (top.vendorIncidentId ?? top.suspectedIssueId ?? null) : null,
      confidence: top?.confidence ?? null,
      minutesToAnnotation: got ? minutesBetween(incident.startedAt, got.annotatedAt) : null,
      expectedTop: loaded.wanted.top[incident.id] ?? null,
      firstUpstreamAt: got?.revisions.find((r) => r.verdict === 'upstream')?.at ?? null,
      cls: loaded.wanted.cls,
      vendorPosted: firstKnown.size > 0,
      silentAtMark,
      markReached: silentAtMark ? markOf(loaded, output, revisions, mark) : null,
      internalWhileBlind: blindInternal?.at ?? null,
    };
  });
  return {
    file: loaded.file,
    rows,
    suspects: checkSuspects(loaded.file, loaded.wanted.suspected, output.suspected),
  };
}

export interface Totals {
  incidents: number;
  correct: number;
  accuracy: number;
  /** Of the incidents called upstream, the share expected upstream (1 when none was called). */
  precision: number;
  /** Of the incidents expected upstream, the share called upstream (1 when none was expected). */
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Expected internal or unclear, got upstream: a vendor blamed for what was not (shown to be) theirs. */
  falseBlame: IncidentRow[];
  seedFalseBlame: IncidentRow[];
  /**
   * Expected internal or unclear, and some revision along the way said upstream even if the final
   * verdict did not: a live annotator would have posted that blame to the incident channel.
   */
  transientFalseBlame: IncidentRow[];
  /** Expected a vendor on top and another (or none) ranked first. */
  wrongTop: IncidentRow[];
  /** Median minutes from our incident's start to its final annotation, over every incident replayed. */
  medianMinutesToAnnotation: number | null;
  /** The same over incidents correctly called upstream: how fast the right vendor is named. */
  medianMinutesToCorrectUpstream: number | null;
  suspectChecks: number;
  suspectFailures: SuspectCheck[];
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);

/** Precision and recall of `upstream` (the positive class), false blame, accuracy and timing. */
export function summarize(results: readonly ScenarioResult[]): Totals {
  const rows = results.flatMap((r) => r.rows);
  const tp = rows.filter((r) => r.expected === 'upstream' && r.got === 'upstream').length;
  const fp = rows.filter((r) => r.expected !== 'upstream' && r.got === 'upstream');
  const fn = rows.filter((r) => r.expected === 'upstream' && r.got !== 'upstream').length;
  const correct = rows.filter((r) => r.got === r.expected).length;
  const timed = (list: IncidentRow[]) =>
    median(list.flatMap((r) => (r.minutesToAnnotation === null ? [] : [r.minutesToAnnotation])));
  const checks = results.flatMap((r) => (r.suspects ? [r.suspects] : []));
  return {
    incidents: rows.length,
    correct,
    accuracy: ratio(correct, rows.length),
    precision: ratio(tp, tp + fp.length),
    recall: ratio(tp, tp + fn),
    truePositives: tp,
    falsePositives: fp.length,
    falseNegatives: fn,
    falseBlame: fp,
    seedFalseBlame: fp.filter((r) => r.seed),
    transientFalseBlame: rows.filter(
      (r) => r.expected !== 'upstream' && r.got !== 'upstream' && r.firstUpstreamAt !== null,
    ),
    wrongTop: rows.filter((r) => r.expectedTop !== null && r.topVendor !== r.expectedTop),
    medianMinutesToAnnotation: timed(rows),
    medianMinutesToCorrectUpstream: timed(
      rows.filter((r) => r.expected === 'upstream' && r.got === 'upstream'),
    ),
    suspectChecks: checks.length,
    suspectFailures: checks.filter((c) => !c.ok),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The per-incident table. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const header = ['scenario', 'incident', 'expected', 'got', '', 'top candidate', 'conf', 'min→annot'];
  const body = results.flatMap((r) =>
    r.rows.map((row) => [
      row.file.replace(/\.json$/, ''),
      row.id,
      row.expected,
      row.got ?? '(none)',
      row.got === row.expected ? 'ok' : row.got === 'upstream' ? 'FALSE BLAME' : 'MISS',
      row.topVendor ? `${row.topVendor}${row.topRef ? `/${row.topRef}` : ''}` : '-',
      row.confidence === null ? '-' : row.confidence.toFixed(2),
      row.minutesToAnnotation === null ? '-' : String(row.minutesToAnnotation),
    ]),
  );
  return table(header, body);
}

/** The totals, with every false blame, wrong ranking and suspect miss listed by name. */
export function formatTotals(t: Totals): string {
  const lines = [
    `incidents ${t.incidents} · correct ${t.correct} · accuracy ${pct(t.accuracy)}`,
    `upstream: precision ${pct(t.precision)} (${t.truePositives}/${t.truePositives + t.falsePositives}) · recall ${pct(t.recall)} (${t.truePositives}/${t.truePositives + t.falseNegatives})`,
    `false blame: ${t.falseBlame.length} (seed internal cases: ${t.seedFalseBlame.length}) · transient (a revision said upstream, the final verdict did not): ${t.transientFalseBlame.length}`,
    `median minutes from incident start to annotation: ${t.medianMinutesToAnnotation ?? '-'} (correct upstream calls: ${t.medianMinutesToCorrectUpstream ?? '-'})`,
    `suspected issues: ${t.suspectChecks - t.suspectFailures.length}/${t.suspectChecks} scenarios as expected`,
  ];
  if (t.falseBlame.length > 0) {
    lines.push(
      '',
      '!!! FALSE BLAME: a vendor was named the cause of an outage that was not shown to be theirs !!!',
    );
    for (const r of t.falseBlame)
      lines.push(
        `!!!   ${r.seed ? '[SEED] ' : ''}${r.file} ${r.id}: expected ${r.expected}, got upstream → ${r.topVendor ?? '?'} (${r.confidence?.toFixed(2) ?? '-'})`,
      );
  }
  for (const r of t.transientFalseBlame)
    lines.push(
      `!!! transient false blame: ${r.seed ? '[SEED] ' : ''}${r.file} ${r.id}: upstream at ${r.firstUpstreamAt}, final ${r.got ?? '-'}`,
    );
  for (const r of t.wrongTop)
    lines.push(
      `wrong top candidate: ${r.file} ${r.id}: expected ${r.expectedTop}, got ${r.topVendor ?? '(none)'}`,
    );
  for (const c of t.suspectFailures) {
    const missing = c.wanted
      .filter((w) => w.found === null)
      .map((w) => `${w.vendor}${w.region ? `@${w.region}` : ''}`);
    lines.push(
      `suspects: ${c.file}: ${missing.length ? `missing ${missing.join(', ')}` : ''}${c.unexpected.length ? `${missing.length ? '; ' : ''}none expected, got ${c.unexpected.join(', ')}` : ''}`,
    );
  }
  return lines.join('\n');
}

/** Exit codes: 0 at or above the bar, 1 under it, 2 when a scenario could not be read or replayed. */
function main(): void {
  const results: ScenarioResult[] = [];
  const unreadable: string[] = [];
  const files = [
    ...scenarioFiles().map((file) => ({ dir: scenarioDir, file })),
    ...scenarioFiles(holdoutDir).map((file) => ({ dir: holdoutDir, file: `holdout/${file}` })),
  ];
  for (const { dir, file } of files) {
    let scenario: LoadedScenario;
    try {
      scenario = loadScenario(file, readFileSync(path.join(dir, path.basename(file)), 'utf8'));
      for (const w of scenario.warnings) console.error(`${scenario.file}: ${w}`);
      results.push(evaluateScenario(scenario));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      unreadable.push(file);
      console.error(`eval: ${message.startsWith(file) ? '' : `${file}: `}${message}`);
    }
  }
  console.log(formatTable(results));
  console.log('');
  console.log(formatTotals(summarize(results)));
  const bar = judge(results);
  console.log('');
  console.log(formatReport(results, bar));
  const holdout = results.filter((r) => r.file.startsWith('holdout/'));
  if (holdout.length > 0) {
    console.log('');
    console.log(
      `holdout (${holdout.length} scenarios written apart from the scorer, in test/scenarios-holdout/):`,
    );
    console.log(formatTotals(summarize(holdout)));
  }
  if (unreadable.length > 0) {
    console.error(
      `\neval: ${unreadable.length} scenario(s) could not be read or replayed: ${unreadable.join(', ')}`,
    );
    process.exit(2);
  }
  if (!bar.pass) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();

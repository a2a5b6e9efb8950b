import { duration, regionName, utc } from '../core/correlate/evidence.js';
import type { ReplayOutput } from './run.js';
import type { Scenario } from './scenario.js';

/*
 * The human report of `upcause replay`: for each of our incidents the verdict with when it was
 * reached, the ranked candidates with their evidence, and how the verdict evolved as vendors posted;
 * then the vendor issues our own errors revealed, with how late the vendor acknowledged them.
 */

const ms = (iso: string) => Date.parse(iso);
const label = { upstream: 'UPSTREAM', unclear: 'UNCLEAR', internal: 'INTERNAL' } as const;

function minutesBetween(from: string, to: string): number {
  return (ms(to) - ms(from)) / 60_000;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** Renders a replay for a terminal; `scenario` supplies titles and times the output does not carry. */
export function formatReplay(
  scenario: Scenario,
  output: ReplayOutput,
  warnings: readonly string[] = [],
): string {
  const lines: string[] = [];
  const first = scenario.incidents[0]?.startedAt;
  const ref = first ? ms(first) : undefined;
  const at = (iso: string) => utc(ms(iso), ref);
  lines.push(`Replay of "${scenario.name}"${first ? ` (${day(first)})` : ''} — simulated clock, no network`);
  if (scenario.description) lines.push(scenario.description);
  for (const w of warnings) lines.push(`warning: ${w}`);

  if (output.incidents.length === 0) lines.push('', 'No incidents of ours in this scenario.');
  for (const result of output.incidents) {
    const incident = scenario.incidents.find((i) => i.id === result.id);
    lines.push('');
    const window = incident
      ? `${at(incident.startedAt)} → ${incident.resolvedAt ? at(incident.resolvedAt) : 'still open'}`
      : '';
    lines.push(
      `${result.id}  ${incident?.service ?? ''}${incident?.title ? `  "${incident.title}"` : ''}  ${window}`.trimEnd(),
    );
    const lag = incident ? minutesBetween(incident.startedAt, result.annotatedAt) : null;
    const after = lag === null ? '' : lag < 1 ? ' (as it opened)' : ` (${duration(lag)} after it opened)`;
    const expected = output.expectations?.incidents.find((e) => e.id === result.id);
    const check = expected ? `   expected ${expected.expected}: ${expected.ok ? 'ok' : 'MISMATCH'}` : '';
    lines.push(`  verdict: ${label[result.verdict]} since ${at(result.annotatedAt)}${after}${check}`);
    if (result.candidates.length === 0) lines.push('  no candidate vendor');
    result.candidates.forEach((c, index) => {
      const what = c.vendorIncidentId
        ? `incident ${c.vendorIncidentId}`
        : c.suspectedIssueId
          ? `suspected issue ${c.suspectedIssueId}`
          : 'no vendor incident';
      lines.push(`  ${index + 1}. ${c.vendor} — ${what} — confidence ${c.confidence.toFixed(2)}`);
      for (const e of c.evidence) lines.push(`       · ${e}`);
    });
    for (const note of result.notes ?? []) lines.push(`  note: ${note}`);
    if (result.revisions.length > 1) {
      lines.push('  how it evolved:');
      for (const r of result.revisions)
        lines.push(
          `    ${at(r.at).padEnd(9)} ${r.verdict.padEnd(9)} ${r.top ? `${r.top} (${(r.confidence ?? 0).toFixed(2)})` : '—'}`,
        );
    }
  }

  lines.push('', 'Suspected vendor issues (from our own errors):');
  if (output.suspected.length === 0) lines.push('  none');
  for (const s of output.suspected) {
    const where = s.region ? ` in ${regionName(s.region)}` : '';
    const posted = s.vendorPostedAt
      ? `vendor posted ${at(s.vendorPostedAt)} (${duration(minutesBetween(s.since, s.vendorPostedAt))} after our errors began)`
      : 'the vendor has not posted';
    lines.push(
      `  ${s.vendor}${where}: errors since ${at(s.since)}, detected ${at(s.detectedAt)}, ${posted}` +
        `${s.closedAt ? `; calm again ${at(s.closedAt)}` : ''}; services ${s.services.join(', ') || '—'}`,
    );
  }

  const x = output.expectations;
  if (x) {
    lines.push('', `Expectations: ${x.passed ? 'all met' : 'NOT met'}`);
    for (const b of x.falseBlame) lines.push(`  FALSE BLAME: ${b} was ours, the replay blames a vendor`);
    for (const s of x.suspected)
      lines.push(
        `  suspected ${s.vendor}${s.region ? ` in ${s.region}` : ''}: ${s.found ? `found (${s.found})` : 'MISSING'}`,
      );
    for (const id of x.unexpectedSuspects) lines.push(`  unexpected suspect: ${id}`);
  }
  return lines.join('\n');
}

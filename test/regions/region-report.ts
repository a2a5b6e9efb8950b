/**
 * Region coverage of the stactus Statuspage histories, so extraction gaps are visible.
 *   npx tsx test/regions/region-report.ts [--top 8]
 * For each vendor: how many incidents got at least one region from their title, component names and
 * update bodies, and the most frequent region-looking strings that produced none — component and
 * group names, "in <Place>" title fragments, codes in parentheses, cloud-code-like tokens.
 * Reads the shared fixtures (env UPCAUSE_FIXTURES, default ../shared/fixtures).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { canonicalRegions } from '../../src/core/regions/extract.js';
import { hasSharedFixtures, sharedFixturesDir } from '../support/fixtures.js';

// Only the fields the report reads; the histories hold more.
const incidentSchema = z.object({
  id: z.string(),
  name: z.string(),
  components: z.array(z.object({ name: z.string() })).nullish(),
  incident_updates: z.array(z.object({ body: z.string().nullish() })).nullish(),
});
type Incident = z.infer<typeof incidentSchema>;

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1] ?? 8) : 8;

// Capitalized words that follow "in"/"to" in status titles without being places: noise for this report.
const NOT_PLACES = new Set(
  (
    'the a an some certain multiple several all select specific our your other new dashboard console api ui app apps ' +
    'production progress beta chrome safari error errors load building inability enable initialize fail link users ' +
    'real dial jan january feb february mar march apr april may jun june jul july aug august sep sept september oct ' +
    'october nov november dec december'
  ).split(' '),
);
// Technical acronyms that look like three-letter PoP codes.
const NOT_CODES = new Set(
  (
    'API SMS MMS DNS CDN SSL TLS SSO CLI SDK RUM APM LLM MFA VPN WAF TCP UDP SIP RCS IAM ACM ECS EKS EBS EC2 VPC ' +
    'NAT BGP HTTP URL ISP PSTN IVR AIC ZCC CRC ZRA MPG PDC IRM SLO OTLP CNI SFU TTS STT VOD SLA RTMP AWS GCP GCE GKE AKS'
  ).split(' '),
);

const PAREN_CODE = /\(\s*([A-Z]{3}\d?)\s*\)/g;
const CLOUDISH = /\b[a-z]{2,}(?:-[a-z]+)+-?\d+[a-z]?\b/gi;
const IN_PLACE = /\b(?:in|at|from|to|near)\s+((?:[A-Z][\p{L}'.-]+)(?:[ ,]+[A-Z][\p{L}'.-]+){0,2})/gu;
const BEFORE_REGION =
  /\b([A-Z][\p{L}'.-]*(?:\s+[A-Z][\p{L}'.-]*)?)\s+(?:region|regions|datacenter|data center|colo|PoP)\b/gu;

function stripHtml(s: string): string {
  return s.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ');
}

/** "Data Loss Prevention (DLP)": the code spells the words right before it, so it is an acronym, not a PoP. */
function isAcronymExpansion(text: string, index: number, code: string): boolean {
  const before = text.slice(0, index);
  if (/[-,–]\s*$/.test(before)) return false; // "Frankfurt, Germany - (FRA)" is a PoP label
  const letters = before.split(/\s+/).slice(-4).join('').toLowerCase();
  let at = 0;
  for (const ch of code.toLowerCase()) {
    at = letters.indexOf(ch, at);
    if (at < 0) return false;
    at += 1;
  }
  return true;
}

/** Region-looking fragments of a title or a component name; `vocabulary` holds the vendor's product words. */
function fragments(text: string, vocabulary: Set<string>): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PAREN_CODE)) {
    if (!NOT_CODES.has(m[1]!) && !isAcronymExpansion(text, m.index, m[1]!)) out.push(m[0].trim());
  }
  for (const m of text.matchAll(CLOUDISH)) out.push(m[0]);
  for (const [re, minLength] of [
    [IN_PLACE, 3],
    [BEFORE_REGION, 2],
  ] as const) {
    for (const m of text.matchAll(re)) {
      const phrase = m[1]!.replace(/[,.]+$/, '').trim();
      const first = phrase.split(/[\s,]+/)[0]!.toLowerCase();
      if (
        phrase.length >= minLength &&
        !NOT_PLACES.has(first) &&
        !vocabulary.has(first) &&
        !NOT_CODES.has(phrase)
      ) {
        out.push(phrase);
      }
    }
  }
  return out;
}

function looksRegional(name: string, vocabulary: Set<string>): boolean {
  return (
    fragments(name, vocabulary).length > 0 ||
    /\b(?:regions?|datacenter|data center)\b/i.test(name) ||
    /\b(?:EU|US)\b/.test(name)
  );
}

interface VendorReport {
  vendor: string;
  incidents: number;
  withRegion: number;
  unrecognized: Map<string, number>;
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function reportVendor(vendor: string, incidents: Incident[]): VendorReport {
  const report: VendorReport = {
    vendor,
    incidents: incidents.length,
    withRegion: 0,
    unrecognized: new Map(),
  };
  // Components repeat across incidents; classify each distinct name once.
  const componentRegions = new Map<string, number>();
  const regionsOf = (name: string): number => {
    let n = componentRegions.get(name);
    if (n === undefined) componentRegions.set(name, (n = canonicalRegions(name).length));
    return n;
  };
  const parts = (incident: Incident): string[] =>
    (incident.components ?? []).flatMap((c) => c.name.split(' / '));
  // The vendor's product words ("Copilot", "Workers"): "issues in Copilot" names a product, not a place.
  const vocabulary = new Set<string>([vendor.toLowerCase()]);
  for (const part of incidents.flatMap(parts)) {
    if (regionsOf(part) > 0) continue;
    for (const word of part.toLowerCase().split(/[^\p{L}\d.]+/u)) if (word.length >= 3) vocabulary.add(word);
  }
  for (const incident of incidents) {
    const components = (incident.components ?? []).map((c) => c.name);
    const bodies = (incident.incident_updates ?? []).map((u) => stripHtml(u.body ?? ''));
    if (canonicalRegions([incident.name, ...components, ...bodies]).length > 0) report.withRegion += 1;
    // "Group / Name": the group and the name are judged apart, as either may carry the region.
    for (const part of parts(incident)) {
      if (regionsOf(part) === 0 && looksRegional(part, new Set())) bump(report.unrecognized, part);
    }
    if (canonicalRegions(incident.name).length === 0) {
      for (const f of fragments(incident.name, vocabulary)) {
        if (canonicalRegions(f).length === 0) bump(report.unrecognized, f);
      }
    }
  }
  return report;
}

function readVendor(file: string): Incident[] {
  const lines = readFileSync(path.join(sharedFixturesDir, 'real/stactus', file), 'utf8').split('\n');
  return lines
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown)
    .filter((d) => !(typeof d === 'object' && d !== null && 'page' in d))
    .map((d) => incidentSchema.parse(d));
}

function main(): void {
  if (!hasSharedFixtures) {
    console.error(`shared fixtures not found at ${sharedFixturesDir} (set UPCAUSE_FIXTURES)`);
    process.exitCode = 1;
    return;
  }
  const files = readdirSync(path.join(sharedFixturesDir, 'real/stactus'))
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  const reports = files.map((f) => reportVendor(f.replace(/\.jsonl$/, ''), readVendor(f)));
  const width = Math.max(...reports.map((r) => r.vendor.length), 6);
  console.log(
    `${'vendor'.padEnd(width)}  incidents  with region      unrecognized region-looking strings (count)`,
  );
  let total = 0;
  let withRegion = 0;
  for (const r of reports) {
    total += r.incidents;
    withRegion += r.withRegion;
    const share = r.incidents === 0 ? 0 : (100 * r.withRegion) / r.incidents;
    const gaps = [...r.unrecognized]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, top)
      .map(([s, n]) => `${JSON.stringify(s)}×${n}`)
      .join(', ');
    console.log(
      `${r.vendor.padEnd(width)}  ${String(r.incidents).padStart(9)}  ${String(r.withRegion).padStart(5)} ${share
        .toFixed(0)
        .padStart(3)}%       ${gaps || '-'}`,
    );
  }
  console.log(
    `${'total'.padEnd(width)}  ${String(total).padStart(9)}  ${String(withRegion).padStart(5)} ${(
      (100 * withRegion) /
      Math.max(total, 1)
    )
      .toFixed(0)
      .padStart(3)}%`,
  );
}

main();

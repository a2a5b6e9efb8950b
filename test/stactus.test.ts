import { describe, expect, it } from 'vitest';
import { normalizeIncident } from '../providers/statuspage.js';
import type { VendorIncident } from '../src/core/model.js';
import { hasSharedFixtures, listShared, readShared } from './support/fixtures.js';

// ~10,000 real Statuspage incidents from 25 pages (slok/stactus-showcase, converted to API shape):
// the normalizer must keep every one of them and every invariant.
const files = hasSharedFixtures
  ? (await listShared('real/stactus')).filter((f) => f.endsWith('.jsonl'))
  : ['(shared fixtures absent)'];
const counted = new Map<string, number>();

function problemsOf(incidents: VendorIncident[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const i of incidents) {
    if (ids.has(i.id)) problems.push(`${i.id}: duplicate id`);
    ids.add(i.id);
    const times = i.updates.map((u) => Date.parse(u.at));
    if (times.some((t, k) => k > 0 && t < times[k - 1]!)) problems.push(`${i.id}: updates not oldest first`);
    if (i.resolvedAt !== null && Date.parse(i.resolvedAt) < Date.parse(i.startedAt))
      problems.push(`${i.id}: resolved before start`);
    if (Date.parse(i.postedAt) > Date.parse(i.updatedAt)) problems.push(`${i.id}: postedAt after updatedAt`);
    if (![i.startedAt, i.postedAt, i.updatedAt, ...i.updates.map((u) => u.at)].every((t) => t.endsWith('Z')))
      problems.push(`${i.id}: non-UTC time`);
  }
  return problems;
}

describe.skipIf(!hasSharedFixtures)('normalizeIncident() over the stactus Statuspage histories', () => {
  it.each(files)('%s: every incident is kept and well-formed', async (file) => {
    const lines = (await readShared(`real/stactus/${file}`)).split('\n').filter((line) => line.trim() !== '');
    const header = JSON.parse(lines[0]!) as { page?: { url?: string } };
    expect(header.page).toBeDefined();
    const incidents = lines
      .slice(1)
      .map((line) => normalizeIncident(JSON.parse(line), file, header.page?.url ?? null));
    expect(incidents).toHaveLength(lines.length - 1);
    expect(problemsOf(incidents)).toEqual([]);
    // Resolved in the source means resolved here: none left open by a missing resolution time.
    const open = incidents.filter((i) => i.resolvedAt === null).map((i) => i.status);
    expect(open.every((status) => status !== 'resolved')).toBe(true);
    counted.set(file, incidents.length);
  });

  it('covered 25 pages and 10,088 incidents', () => {
    expect(counted.size).toBe(25);
    expect([...counted.values()].reduce((a, b) => a + b, 0)).toBe(10_088);
  });
});

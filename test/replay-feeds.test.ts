import { describe, expect, test } from 'vitest';
import { replayScenario, replayScenarioAsync } from '../src/replay/run.js';
import { parseScenario, type ScenarioInput } from '../src/replay/scenario.js';
import { isFeed, readSnapshotPageAsync } from '../src/replay/snapshots.js';
import { hasSharedFixtures, readOwn, readShared } from './support/fixtures.js';

// Feed snapshots (Statuspage's history.atom/.rss, generic RSS, the AWS and Azure feeds) are read with
// the providers' own parsers before the replay, as a live poll of that feed would have read them.

function scenarioWith(snapshot: Record<string, unknown>): ScenarioInput {
  return {
    name: 'feed',
    vendorSnapshots: [
      snapshot as ScenarioInput['vendorSnapshots'] extends (infer T)[] | undefined ? T : never,
    ],
  };
}

describe('feed snapshots', () => {
  test('isFeed() knows Atom and RSS from an HTML error page', () => {
    expect(isFeed('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>')).toBe(true);
    expect(isFeed('<rss version="2.0"><channel></channel></rss>')).toBe(true);
    expect(isFeed('<!doctype html><html><body>502 Bad Gateway</body></html>')).toBe(false);
  });

  test('a Statuspage Atom feed written from the docs is read, not taken for an unreadable page', async () => {
    const body = await readOwn('statuspage/history-from-docs.atom');
    const snapshot = {
      vendor: 'acme',
      at: '2026-01-01T00:00:00Z',
      provider: 'statuspage',
      contentType: 'application/atom+xml',
      body,
    };
    const read = await readSnapshotPageAsync(
      parseScenario(scenarioWith(snapshot)).scenario.vendorSnapshots[0]!,
    );
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.reading.incidents.length).toBeGreaterThan(0);
  });

  test('the synchronous replay refuses a feed with a message pointing at the async one', () => {
    const snapshot = {
      vendor: 'acme',
      at: '2026-01-01T00:00:00Z',
      provider: 'rss',
      contentType: 'application/rss+xml',
      body: '<rss version="2.0"><channel><title>x</title></channel></rss>',
    };
    expect(() => replayScenario(parseScenario(scenarioWith(snapshot)).scenario)).toThrow(
      /replayScenarioAsync/,
    );
  });

  test('a broken feed is a blind read with the parser complaint, never a crash', async () => {
    const snapshot = {
      vendor: 'acme',
      at: '2026-01-01T00:00:00Z',
      provider: 'statuspage',
      contentType: 'application/atom+xml',
      body: '<?xml version="1.0"?><feed><entry><title>unterminated',
    };
    const read = await readSnapshotPageAsync(
      parseScenario(scenarioWith(snapshot)).scenario.vendorSnapshots[0]!,
    );
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toMatch(/^parse error/);
  });

  test.skipIf(!hasSharedFixtures)(
    'real recorded feeds replay: GitHub history.atom and the AWS RSS',
    async () => {
      const atom = await readShared('real/statuspage/githubstatus_history_2026-07-31.atom');
      const aws = await readShared('real/aws/all_rss_2023-02-13_two_items.xml');
      const { scenario } = parseScenario({
        name: 'feeds',
        vendorSnapshots: [
          {
            vendor: 'github',
            at: '2026-07-31T12:00:00Z',
            provider: 'statuspage',
            contentType: 'application/atom+xml',
            body: atom,
          },
          {
            vendor: 'aws',
            at: '2023-02-13T12:00:00Z',
            provider: 'aws-rss',
            contentType: 'application/rss+xml',
            body: aws,
          },
        ],
      });
      const reads = await Promise.all(scenario.vendorSnapshots.map(readSnapshotPageAsync));
      expect(reads.map((r) => r.ok)).toEqual([true, true]);
      const byVendor = reads.map((r) => (r.ok ? r.reading.incidents.length : 0));
      expect(byVendor[0]).toBeGreaterThan(0);
      expect(byVendor[1]).toBe(2);
      const output = await replayScenarioAsync(scenario);
      expect(output).toEqual({ incidents: [], suspected: [] });
    },
  );
});

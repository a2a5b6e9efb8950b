import { describe, expect, test } from 'vitest';
import { canonicalRegions } from '../src/core/regions/extract.js';
import { ancestors } from '../src/core/regions/taxonomy.js';
import { parseTimeline, type TimelineEntry } from '../src/core/time/timeline.js';
import { hasSharedFixtures, readShared } from './support/fixtures.js';

// The five postmortems of ../shared/fixtures/seeds: each must give the UTC instants it states.
const seed = (file: string) => readShared(`seeds/${file}`);
const instants = (entries: TimelineEntry[]) => entries.map((e) => [e.at, e.end ?? null, e.status ?? null]);

describe.skipIf(!hasSharedFixtures)('seed postmortems parse into UTC timelines', () => {
  test('Swapcard (UTC posts): investigating 20:46, resolved 21:52, postmortem the next day', async () => {
    const entries = parseTimeline(await seed('swapcard-2024-04-04-backstage-go-live.txt'));
    expect(instants(entries)).toEqual([
      ['2024-04-04T20:46:00.000Z', null, 'investigating'],
      ['2024-04-04T21:52:00.000Z', null, 'resolved'],
      ['2024-04-05T14:55:00.000Z', null, 'postmortem'],
    ]);
    expect(entries[0]!.text).toMatch(/^Investigating: .*100ms infrastructure in Europe/);
  });

  test('TokBox (prose, Pacific): 12:08pm → 20:08Z, 1:05 PT → 21:05Z, 2:10 PT → 22:10Z, and both failure windows', async () => {
    const entries = parseTimeline(await seed('tokbox-2017-02-23-deployment.txt'));
    const said = (start: string) => entries.find((e) => e.text.startsWith(start));
    expect(said('On 2/23/2017, 12:08pm Pacific Time')).toMatchObject({ at: '2017-02-23T20:08:00.000Z' });
    expect(said('At 12:08 PT')).toMatchObject({ at: '2017-02-23T20:08:00.000Z' });
    expect(said('At 1:05 PT')).toMatchObject({ at: '2017-02-23T21:05:00.000Z' });
    expect(said('At 2:10 PT')).toMatchObject({ at: '2017-02-23T22:10:00.000Z' });
    expect(said('After TokBox pushed')).toMatchObject({
      at: '2017-02-23T20:08:00.000Z',
      end: '2017-02-23T21:05:00.000Z',
    });
    expect(said('After the rollback')).toMatchObject({
      at: '2017-02-23T21:05:00.000Z',
      end: '2017-02-23T22:10:00.000Z',
    });
    expect(entries.every((e) => e.at.startsWith('2017-02-23T2'))).toBe(true);
  });

  test('iAdvize (CEST = UTC+2): the 9:35 > 10:42 window and every post', async () => {
    const entries = parseTimeline(await seed('iadvize-2023-08-11-desk-loading.txt'));
    expect(instants(entries)).toEqual([
      ['2023-08-11T07:35:00.000Z', '2023-08-11T08:42:00.000Z', null],
      ['2023-08-11T08:04:00.000Z', null, 'investigating'],
      ['2023-08-11T08:22:00.000Z', null, 'identified'],
      ['2023-08-11T08:45:00.000Z', null, 'monitoring'],
      ['2023-08-11T13:38:00.000Z', null, 'resolved'],
      ['2023-08-17T16:03:00.000Z', null, 'postmortem'],
    ]);
    expect(entries[0]!.text).toBe('August 11th : 9:35 > 10:42 CEST');
  });

  test('Demio (EDT = UTC-4): six posts from Aug 19 20:25 EDT to the postmortem', async () => {
    const entries = parseTimeline(await seed('demio-2024-08-19-join-links.txt'));
    expect(instants(entries)).toEqual([
      ['2024-08-20T00:25:00.000Z', null, 'investigating'],
      ['2024-08-20T02:01:00.000Z', null, 'update'],
      ['2024-08-20T08:21:00.000Z', null, 'identified'],
      ['2024-08-20T09:07:00.000Z', null, 'monitoring'],
      ['2024-08-20T09:37:00.000Z', null, 'resolved'],
      ['2024-08-21T13:28:00.000Z', null, 'postmortem'],
    ]);
  });

  test('Serraview (EST prose, CST in updates, UTC posts): both days of the outage', async () => {
    const entries = parseTimeline(await seed('serraview-2024-01-29-engage-access.txt'));
    expect(instants(entries)).toEqual([
      ['2024-01-25T14:33:00.000Z', null, null], // 9:33am EST, Thursday: first reports
      ['2024-01-25T21:11:00.000Z', null, null], // 4:11pm EST: Booking Service suspected
      ['2024-01-25T22:33:00.000Z', null, null], // 5:33pm EST: restart resolves it
      ['2024-01-26T01:08:00.000Z', null, null], // 8:08pm EST: customers told
      ['2024-01-29T16:20:00.000Z', null, null], // 11:20am EST, Monday: it recurs
      ['2024-01-29T16:26:00.000Z', null, 'investigating'],
      ['2024-01-29T19:32:00.000Z', null, 'identified'],
      ['2024-01-29T19:33:00.000Z', null, null], // 2:33pm EST: issue identified
      ['2024-01-29T20:00:00.000Z', null, null], // maintenance "@ 2:00pm CST"
      ['2024-01-29T20:21:00.000Z', null, 'monitoring'],
      ['2024-01-29T20:30:00.000Z', null, null], // "another update at 2:30 CST", read as 2:30 pm
      ['2024-01-29T22:39:00.000Z', null, 'resolved'],
      ['2024-01-30T00:39:00.000Z', null, null], // "At 7:39pm EST, all customers were notified"
      ['2024-02-02T18:04:00.000Z', null, 'postmortem'],
    ]);
  });
});

describe.skipIf(!hasSharedFixtures)('seed postmortems name the right regions', () => {
  test('Swapcard: "rooms located in the Europe region" → macro:europe only', async () => {
    expect(canonicalRegions(await seed('swapcard-2024-04-04-backstage-go-live.txt'))).toEqual([
      'macro:europe',
    ]);
  });

  test('TokBox: "the SJC datacenter" → site:sjc, inside North America', async () => {
    expect(canonicalRegions(await seed('tokbox-2017-02-23-deployment.txt'))).toEqual(['site:sjc']);
    expect(ancestors('site:sjc')).toContain('macro:north-america');
  });

  test.each([
    'demio-2024-08-19-join-links.txt',
    'iadvize-2023-08-11-desk-loading.txt',
    'serraview-2024-01-29-engage-access.txt',
  ])('%s names no region', async (file) => {
    expect(canonicalRegions(await seed(file))).toEqual([]);
  });
});

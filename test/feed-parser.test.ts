import { describe, expect, it } from 'vitest';
import { parseAzureFeed } from '../providers/azure.js';
import { parseFeed as parseBetterstackFeed } from '../providers/betterstack.js';
import { parseFeed } from '../providers/rss.js';
import { parseHistoryFeed } from '../providers/statuspage-feed.js';
import { feedParser, readFeed } from '../providers/support.js';
import { FetchError } from '../src/core/errors.js';
import { readOwn } from './support/fixtures.js';

const now = new Date('2024-04-04T21:30:00Z');

/** Entities defined in terms of each other, ten times over per level: expanded, a few gigabytes. */
const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  ${Array.from({ length: 9 }, (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level || ''};`.repeat(10)}">`).join('\n  ')}
]>
<rss version="2.0"><channel><title>Status</title><link>https://status.example.com/</link>
  <item>
    <title>&lol9;</title>
    <link>https://status.example.com/incidents/1</link>
    <pubDate>Mon, 01 Apr 2024 10:00:00 GMT</pubDate>
    <description>&lol9;</description>
  </item>
</channel></rss>`;

/** What a parse came to, comparable across runs: the titles it read, or the kind of error. */
async function outcome(parse: () => Promise<unknown>): Promise<string> {
  try {
    return JSON.stringify(await parse());
  } catch (error) {
    return error instanceof FetchError ? `${error.kind}: ${error.message}` : `crash: ${String(error)}`;
  }
}

describe('feed parsing does not depend on what was parsed before', () => {
  const parsers: Array<[string, (xml: string) => Promise<unknown>]> = [
    ['rss', async (xml) => (await parseFeed(xml, 'acme', now)).incidents.map((i) => i.title)],
    ['statuspage history', async (xml) => (await parseHistoryFeed(xml, 'acme')).map((i) => i.title)],
    ['azure', async (xml) => (await parseAzureFeed(xml, 'azure', now)).incidents.map((i) => i.title)],
    [
      'better stack',
      async (xml) =>
        (await parseBetterstackFeed(xml, 'acme', now)).incidents.map((i: { title: string }) => i.title),
    ],
  ];

  for (const [name, parse] of parsers) {
    it(`${name}: a billion-laughs feed reads the same twice in a row and after a normal feed, never expanded`, async () => {
      const normal = await readOwn('rss/feed-from-docs.rss');
      const first = await outcome(() => parse(billionLaughs));
      const second = await outcome(() => parse(billionLaughs));
      await outcome(() => parse(normal));
      const third = await outcome(() => parse(billionLaughs));
      expect(second).toBe(first);
      expect(third).toBe(first);
      expect(first).toMatch(/^parse: /);
      expect(first).not.toContain('lollol');
    });
  }

  it('a normal feed reads the same before and after a hostile one', async () => {
    const normal = await readOwn('rss/feed-from-docs.rss');
    const before = await outcome(async () => (await parseFeed(normal, 'acme', now)).incidents);
    await outcome(() => parseFeed(billionLaughs, 'acme', now));
    const after = await outcome(async () => (await parseFeed(normal, 'acme', now)).incidents);
    expect(after).toBe(before);
    expect(JSON.parse(before)).toHaveLength(4);
  });

  it('readFeed() names an undefined entity as unreadable XML', async () => {
    const parser = feedParser();
    for (let run = 0; run < 3; run += 1) {
      await expect(readFeed(parser, billionLaughs, 'feed')).rejects.toMatchObject({
        kind: 'parse',
        message: expect.stringMatching(/not a readable RSS feed \(Invalid character entity/),
      });
    }
  });
});

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { renderDigest, renderHtml, renderMarkdown, renderSlack } from '../src/core/digest/render.js';
import { digestSchema, type Digest } from '../src/core/digest/types.js';
import { slackLimits } from '../src/core/slack-text.js';
import { hugeDigest, quietDigest, sampleDigest } from './support/digest-sample.js';

/*
 * The digest's renderers on a hand-built day: every format carries the sample's key figures in the
 * words and number formats people read, collapses quiet vendors into one line, keeps vendor text
 * inert, and the Slack message stays within Block Kit's limits even for a huge day.
 * With UPCAUSE_SCREENSHOTS=1 the Markdown rendering is saved as docs/digest-sample.md.
 */

const hostileTitle = '<script>alert(1)</script> SMS | *down* <!channel> [click](javascript:alert(1))';

/** The sample with vendor-supplied text that tries to break out of every format. */
function hostileDigest(): Digest {
  const d = structuredClone(sampleDigest);
  const twilio = d.vendors[0]!;
  twilio.name = 'Twilio <!here> & *Co*';
  twilio.incidents[0]!.title = hostileTitle;
  twilio.incidents[1]!.url = 'javascript:alert(1)';
  twilio.explained[0]!.title = `Reset | <img src=x onerror=alert(1)> *bold*`;
  twilio.ackLag.cases[0]!.vendorIncidentTitle = hostileTitle;
  twilio.unreadable[0]!.reason = 'HTTP 503 <!channel> | `code`';
  return digestSchema.parse(d);
}

/** Every text in a Block Kit message, by block. */
function blockTexts(blocks: unknown[]): string[] {
  return blocks.flatMap((b) => {
    const block = b as { text?: { text: string }; elements?: { text: string }[] };
    return [...(block.text ? [block.text.text] : []), ...(block.elements ?? []).map((e) => e.text)];
  });
}

function expectWithinSlackLimits(digest: Digest): void {
  const message = renderSlack(digest);
  expect(message.blocks.length).toBeLessThanOrEqual(slackLimits.blocks);
  const header = message.blocks[0] as { type: string; text: { text: string } };
  expect(header.type).toBe('header');
  expect(header.text.text.length).toBeLessThanOrEqual(slackLimits.header);
  for (const b of message.blocks as { type: string; text?: { text: string } }[]) {
    if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(slackLimits.section);
  }
  for (const text of blockTexts(message.blocks)) expect(text.length).toBeLessThanOrEqual(slackLimits.section);
  expect(message.text.length).toBeLessThanOrEqual(slackLimits.section);
}

describe('renderMarkdown()', () => {
  const md = renderMarkdown(sampleDigest);

  test('puts the sample figures in a table against the previous 7 and 30 days', () => {
    expect(md).toContain('# Vendor-risk digest · 5 Apr 2026');
    expect(md).toContain('## [Twilio](https://status.twilio.com/)');
    expect(md).toContain('**Risk 39.9 ▲ up** (avg previous 7 days 6.2 · avg previous 30 days 4.8)');
    expect(md).toContain('|  | This period | Avg previous 7 days | Avg previous 30 days |');
    expect(md).toContain(
      '| Incidents (by impact) | 3 (1 critical, 1 major, 1 minor) | 0.4 (0.1 major, 0.3 minor) | 0.3 (0.1 major, 0.2 minor) |',
    );
    expect(md).toContain('| Incident minutes | 4 h 10 min | 31 min | 23 min |');
    expect(md).toContain(
      '| Failed calls / calls (error ratio) | 1,234 / 98,765 (1.25 %) | 140 / 97,121 (0.14 %) |',
    );
    expect(md).toContain('| Customers affected | 37 | 5.4 | 3.2 |');
    expect(md).toContain('| Suspects never posted | 1 of 4 |');
    expect(md).toContain('| Acknowledgment lag worst / median | 42 min / 18 min |');
    expect(md).toContain('| Maintenance (minutes) | 1 (2 h) |');
    expect(md).toContain('| Error-minutes (attributable) | 96 (81) | 12.6 (9.9) | 8.7 (6.1) |');
  });

  test('lists incidents, explained incidents, ack-lag cases per region, unposted suspects and unreadable spans in the digest time zone', () => {
    expect(md).toContain(
      '- **critical** [SMS delivery failures to European carriers](https://status.twilio.com/incidents/tw-sms-eu) — Sun 5 Apr 09:14 – 10:19 (1 h 05 min in the period) · eu',
    );
    expect(md).toContain('### Incidents (times in Europe/Berlin)');
    expect(md).toContain(
      '- [INC-5120 Password reset SMS not arriving](https://upcause.example.com/incidents/INC-5120) — auth, since Sun 5 Apr 09:20, confidence 86 %',
    );
    // No console link: the title stays plain text.
    expect(md).toContain('- INC-5124 OTP login failures in Germany — login');
    expect(md).toContain('- **eu**: 2 cases, median 30 min, worst 42 min');
    expect(md).toContain('- **us-east**: 1 case, median 12 min, worst 12 min');
    expect(md).toContain(
      '| eu | Sun 5 Apr 09:02 | Sun 5 Apr 09:44 | 42 min | [SMS delivery failures to European carriers](https://status.twilio.com/incidents/tw-sms-eu) |',
    );
    expect(md).toContain(
      '- **ap-southeast** Sun 5 Apr 04:31 – 04:58 — peak 31/min against a baseline of 0.4/min · notifications',
    );
    expect(md).toContain('- Sun 5 Apr 21:10 – 21:45 (35 min): HTTP 503 from status.twilio.com');
    expect(md).toContain('- Sun 5 Apr 23:35 – ongoing (25 min): timed out after 10000 ms');
    expect(md).toContain('Failed calls per hour: peak 402 in the hour from Sun 5 Apr 09:00, 1,234 in all.');
  });

  test('orders vendors by risk and collapses quiet vendors into one line', () => {
    const order = ['## [Twilio]', '## [Stripe]', '## [Mapbox]', '## [Cloudflare]'].map((h) => md.indexOf(h));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(md.match(/No incidents, errors or unreadable minutes: GitHub, Auth0, Segment/g)).toHaveLength(1);
    expect(md).not.toContain('## [GitHub');
  });

  test('ends with the risk formula, the notes, the generated time and the period', () => {
    const footer = md.slice(md.lastIndexOf('\n---\n'));
    expect(footer).toContain('**Risk formula.** risk = 10 × our incidents it explained');
    expect(footer).toContain('- Call volume is reported by checkout, auth and login only');
    expect(footer).toContain(
      'Generated Mon 6 Apr 07:00 (Europe/Berlin) · period 2026-04-05 (1 day, Europe/Berlin)',
    );
  });

  test('keeps vendor text inert: no HTML, no table cell, no link, no emphasis', () => {
    const hostile = renderMarkdown(hostileDigest());
    expect(hostile).not.toContain('<script>');
    expect(hostile).not.toContain('<img');
    expect(hostile).not.toContain('<!channel>');
    // The title's [click](javascript:…) stays text: its brackets are escaped.
    expect(hostile).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(hostile).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; SMS \\| \\*down\\* &lt;!channel&gt; \\[click\\](javascript:alert(1))',
    );
    expect(hostile).toContain('## [Twilio &lt;!here&gt; &amp; \\*Co\\*](https://status.twilio.com/)');
    // The ack-lag row keeps its five cells: the title's | is escaped.
    const row = hostile.split('\n').find((l) => l.startsWith('| eu | Sun 5 Apr 09:02'))!;
    expect(row.split(/(?<!\\)\|/)).toHaveLength(7);
    // A javascript: link is dropped, its text kept.
    expect(hostile).toContain('- **minor** Delayed inbound message webhooks —');
  });

  test('an all-quiet day is one line of vendors and the footer', () => {
    const quiet = renderMarkdown(quietDigest);
    expect(quiet).toContain('No incidents, errors or unreadable minutes: Twilio, Stripe, Cloudflare, GitHub');
    expect(quiet).not.toContain('## ');
    expect(quiet).toContain('0 vendors to report');
  });

  test('docs/digest-sample.md is the sample as rendered now', () => {
    if (process.env.UPCAUSE_SCREENSHOTS === '1') {
      mkdirSync('docs', { recursive: true });
      writeFileSync('docs/digest-sample.md', md);
    }
    if (existsSync('docs/digest-sample.md')) expect(readFileSync('docs/digest-sample.md', 'utf8')).toBe(md);
  });
});

describe('renderHtml()', () => {
  const html = renderHtml(sampleDigest);

  test('carries the sample figures formatted for people', () => {
    expect(html).toContain('Vendor-risk digest · 5 Apr 2026');
    expect(html).toContain('>Risk 39.9</span>');
    expect(html).toContain('>▲ up</span>');
    expect(html).toContain('avg previous 7 days 6.2 · avg previous 30 days 4.8');
    // Figures keep their units on the same line; details go on a second, smaller line.
    expect(html).toMatch(/>1,234 \/ 98,765<\/span><br><span [^>]*>1\.25&nbsp;%<\/span>/);
    expect(html).toContain('>4&nbsp;h&nbsp;10&nbsp;min<');
    expect(html).toMatch(/>3<\/span><br><span [^>]*>1 critical, 1 major, 1 minor<\/span>/);
    expect(html).toContain('>42&nbsp;min / 18&nbsp;min<');
    expect(html).toContain('Sun 5 Apr 09:14 – 10:19 · 1 h 05 min in the period · eu');
    expect(html).toContain('our errors since Sun 5 Apr 09:02 · vendor posted Sun 5 Apr 09:44');
    expect(html).toMatch(/>Incidents <span [^>]*>· times in Europe\/Berlin<\/span><\/h3>/);
    expect(html).toContain('Generated Mon 6 Apr 07:00 (Europe/Berlin)');
    expect(html).toContain('<strong>Risk formula.</strong> risk = 10 × our incidents it explained');
  });

  test('is one email-safe document: inline styles, no script, no external resources, 680 px wide', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<html/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script|<style|<link|<img|<iframe|@import|url\(/i);
    expect(html).toContain('max-width:680px');
    for (const [, attr, value] of html.matchAll(/\s(href|src)="([^"]*)"/g)) {
      expect(value, attr).toMatch(/^https?:\/\//);
    }
    const tables = html.match(/<table[^>]*>/g)!;
    expect(tables.length).toBeGreaterThan(4);
    for (const t of tables) expect(t).toMatch(/ style="[^"]+"/);
    const layout = tables.filter((t) => t.includes('role="presentation"'));
    expect(layout.length).toBeGreaterThanOrEqual(2 + sampleDigest.vendors.length);
  });

  test('draws one sparkline per vendor with a text alternative next to it', () => {
    expect(html.match(/<svg /g)).toHaveLength(sampleDigest.vendors.length);
    expect(html).toContain(
      'aria-label="Failed calls per hour: peak 402 in the hour from Sun 5 Apr 09:00, 1,234 in all."',
    );
    expect(html).toContain(
      '>Failed calls per hour: peak 402 in the hour from Sun 5 Apr 09:00, 1,234 in all.</td>',
    );
    expect(html).toContain('>No failed calls in the period.</td>');
  });

  test('collapses quiet vendors into one line', () => {
    expect(html.match(/No incidents, errors or unreadable minutes: GitHub, Auth0, Segment/g)).toHaveLength(1);
    expect(html).not.toContain('>GitHub</a>');
  });

  test('escapes vendor text and emits only http(s) links', () => {
    const hostile = renderHtml(hostileDigest());
    expect(hostile).not.toMatch(/<script|<img|javascript:alert\(1\)"/);
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt; SMS | *down* &lt;!channel&gt;');
    expect(hostile).toContain('Twilio &lt;!here&gt; &amp; *Co*');
    expect(hostile).not.toContain('href="javascript:');
    for (const [, value] of hostile.matchAll(/\shref="([^"]*)"/g)) expect(value).toMatch(/^https?:\/\//);
  });
});

describe('renderSlack()', () => {
  const message = renderSlack(sampleDigest);
  const all = blockTexts(message.blocks).join('\n');

  test('opens with a header and the totals, then one section per vendor', () => {
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Vendor-risk digest · 5 Apr 2026', emoji: true },
    });
    expect(all).toContain('4 vendors to report · 4 vendor incidents · 2 of our incidents explained');
    expect(all).toContain(
      '*<https://status.twilio.com/|Twilio>* · *Risk 39.9 ▲ up* (avg previous 7 days 6.2',
    );
    expect(all).toContain('failed calls 1,234 / 98,765 (1.25 %)');
    expect(all).toContain('ack lag worst 42 min / median 18 min');
    expect(all).toContain(
      '• critical <https://status.twilio.com/incidents/tw-sms-eu|SMS delivery failures to European carriers> — Sun 5 Apr 09:14 – 10:19',
    );
    expect(all).toContain('• eu: 42 min late — errors since Sun 5 Apr 09:02, posted Sun 5 Apr 09:44');
    expect(all).toContain(
      '*Acknowledgment lag* eu 2 (median 30 min, worst 42 min); us-east 1 (median 12 min, worst 12 min)',
    );
    expect(all.match(/No incidents, errors or unreadable minutes: GitHub, Auth0, Segment/g)).toHaveLength(1);
    expect(all).toContain('Risk formula: risk = 10 × our incidents it explained');
    expect(message.text).toContain('Vendor-risk digest · 5 Apr 2026: 4 vendors to report');
    expect(message.text).toContain('Top: Twilio (risk 39.9), Stripe (risk 7.4), Mapbox (risk 0.4)');
    expectWithinSlackLimits(sampleDigest);
  });

  test('keeps a huge day within Block Kit limits and summarises the vendors past the top ten', () => {
    const huge = hugeDigest();
    expectWithinSlackLimits(huge);
    const texts = blockTexts(renderSlack(huge).blocks).join('\n');
    expect(texts).toContain('*30 more vendors to report*');
    // Each list shows its first three items and counts the rest, so every kind keeps its place.
    expect(texts).toContain('• _…and 27 more_');
    expect(texts).toContain('• _…and 17 more_');
    expect(texts).toContain('*Status page unreadable*');
    // Lines too many for one section end with a count of those left out.
    const wordy = structuredClone(huge);
    for (const u of wordy.vendors[0]!.unreadable)
      u.reason = `connection reset ${'while reading the page '.repeat(60)}`;
    expectWithinSlackLimits(wordy);
    expect(blockTexts(renderSlack(wordy).blocks).join('\n')).toMatch(/_…and \d+ more lines_/);
    expect(texts).toMatch(
      /No incidents, errors or unreadable minutes: Quiet vendor number 1, .* and \d+ more|Quiet vendor number 60/,
    );
  });

  test('escapes vendor text and the fallback: no mention, link or emphasis from a vendor', () => {
    const hostile = renderSlack(hostileDigest());
    const json = JSON.stringify(hostile);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<script>');
    expect(json).not.toContain('*down*');
    expect(json).not.toContain('<javascript:');
    const texts = blockTexts(hostile.blocks).join('\n');
    expect(texts).toContain('&lt;script&gt;alert(1)&lt;/script&gt; SMS | ∗down∗ &lt;!channel&gt;');
    expect(hostile.text).toContain('Top: Twilio &lt;!here&gt; &amp; *Co* (risk 39.9)');
    expect(hostile.text).not.toContain('<!here>');
  });
});

describe('a period of several days', () => {
  test('is titled by its first and last day in every format', () => {
    const week = digestSchema.parse({
      ...quietDigest,
      period: {
        ...quietDigest.period,
        id: '2026-03-30..2026-04-05',
        firstDay: '2026-03-30',
        days: 7,
        from: '2026-03-29T22:00:00.000Z',
      },
    });
    expect(renderMarkdown(week)).toContain('# Vendor-risk digest · 30 Mar – 5 Apr 2026');
    expect(renderMarkdown(week)).toContain('period 2026-03-30..2026-04-05 (7 days, Europe/Berlin)');
    expect(renderHtml(week)).toContain('<title>Vendor-risk digest · 30 Mar – 5 Apr 2026</title>');
    expect(renderSlack(week).blocks[0]).toMatchObject({
      text: { text: 'Vendor-risk digest · 30 Mar – 5 Apr 2026' },
    });
  });
});

describe('renderDigest()', () => {
  test('JSON is the digest as it is', () => {
    const { contentType, body } = renderDigest(sampleDigest, 'json');
    expect(contentType).toBe('application/json; charset=utf-8');
    expect(digestSchema.parse(JSON.parse(body))).toEqual(sampleDigest);
  });

  test('each format names its content type', () => {
    expect(renderDigest(sampleDigest, 'md').contentType).toBe('text/markdown; charset=utf-8');
    expect(renderDigest(sampleDigest, 'html').contentType).toBe('text/html; charset=utf-8');
    const slack = renderDigest(sampleDigest, 'slack');
    expect(JSON.parse(slack.body)).toEqual(renderSlack(sampleDigest));
  });

  test('an all-quiet day renders in every format', () => {
    expect(renderHtml(quietDigest)).toContain(
      'No incidents, errors or unreadable minutes: Twilio, Stripe, Cloudflare, GitHub',
    );
    expect(renderHtml(quietDigest)).not.toContain('<svg');
    expectWithinSlackLimits(quietDigest);
    expect(renderSlack(quietDigest).text).not.toContain('Top:');
  });
});

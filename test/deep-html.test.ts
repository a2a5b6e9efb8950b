import { load } from 'cheerio';
import type { AnyNode } from 'domhandler';
import { describe, expect, it } from 'vitest';
import { parseHtmlPage } from '../providers/html.js';
import { FetchError } from '../src/core/errors.js';
import { capHtmlDepth, maxHtmlDepth } from '../src/core/html-depth.js';
import { htmlToText, plainBody, safeHtml } from '../src/core/text.js';
import { readOwn } from './support/fixtures.js';
import { customPageSelectors } from './support/provider-checks.js';

const levels = 100_000;
const now = new Date('2024-04-04T21:30:00Z');

/** `inner` wrapped in `depth` elements, closed or not. */
function nested(depth: number, inner: string, { tag = 'div', close = true } = {}): string {
  return `<${tag}>`.repeat(depth) + inner + (close ? `</${tag}>`.repeat(depth) : '');
}

/** How deep the tree a parser builds from `html` goes, walked without recursion. */
function treeDepth(html: string): number {
  const $ = load(html);
  let deepest = 0;
  const stack: Array<[AnyNode, number]> = [[$.root()[0]!, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if ('children' in node) for (const child of node.children) stack.push([child, depth + 1]);
  }
  return deepest;
}

describe('htmlToText() on markup nested past any real page', () => {
  it(`reads text nested ${levels} levels deep without overflowing the stack`, () => {
    expect(htmlToText(nested(levels, 'Deep <b>down</b> &amp; out'))).toBe('Deep down & out');
  });

  it('reads unclosed and self-closed nesting, keeping only the text', () => {
    expect(htmlToText(nested(levels, 'open ended', { close: false }))).toBe('open ended');
    expect(htmlToText(`${'<div/>'.repeat(levels)}slashes`)).toBe('slashes');
    expect(htmlToText(`${nested(levels, 'x', { close: false })}${'</i>'.repeat(levels)}`)).toBe('x');
  });

  it('keeps blocks and <br> as line breaks and drops scripts and styles, as before', () => {
    const html =
      '<p>First <b>line</b><br>second</p><ul><li>one<li>two</ul><script>alert("no")</script>' +
      '<style>p{}</style><div>Fixed &lt;now&gt;</div>';
    expect(htmlToText(html)).toBe('First line\nsecond\n\none\ntwo\n\nFixed <now>');
  });
});

describe('capHtmlDepth()', () => {
  it('returns markup within the limit as the very same string', async () => {
    const page = await readOwn('html/custom-page-from-docs.html');
    expect(capHtmlDepth(page)).toBe(page);
    const deepButFine = nested(maxHtmlDepth, 'x');
    expect(capHtmlDepth(deepButFine)).toBe(deepButFine);
  });

  it(`unwraps elements deeper than the limit, keeping their text, on ${levels}-deep markup`, () => {
    const html = nested(levels, 'Deep <b>bold</b> text');
    const capped = capHtmlDepth(html);
    // Tags of the unwrapped levels are gone: the result is a few kilobytes, not megabytes.
    expect(capped.length).toBeLessThan(maxHtmlDepth * 12 + 100);
    expect(treeDepth(capped)).toBeLessThanOrEqual(maxHtmlDepth + 3);
    expect(htmlToText(capped)).toBe('Deep bold text');
  });

  it('bounds nesting built from unclosed, self-closed and mixed tags alike', () => {
    for (const html of [
      nested(levels, 'x', { close: false }),
      `${'<span/>'.repeat(levels)}x`,
      `${'<b><i><u>'.repeat(levels / 4)}x`,
      `<ul>${'<li><ul>'.repeat(levels / 2)}x`,
    ]) {
      const capped = capHtmlDepth(html);
      expect(treeDepth(capped)).toBeLessThanOrEqual(maxHtmlDepth + 3);
      expect(htmlToText(capped)).toBe('x');
    }
  });

  it('drops the content of scripts it unwraps, and leaves siblings alone however many', () => {
    const capped = capHtmlDepth(nested(3, '<script>alert(1)</script>kept<b>too</b>'), 2);
    expect(capped).toBe('<div><div>kepttoo</div></div>');
    const flat = '<p>x</p>'.repeat(levels);
    expect(capHtmlDepth(flat)).toBe(flat);
  });
});

describe('markup made safe or stored from a deeply nested body', () => {
  it(`safeHtml() sanitizes ${levels}-deep markup and keeps its text`, () => {
    const out = safeHtml(`<p>Shallow</p>${nested(levels, '<p>Fixed</p><script>x()</script>')}`);
    expect(out).toContain('<p>Shallow</p>');
    expect(out).toContain('Fixed');
    expect(out).not.toContain('script');
    expect(out.length).toBeLessThan(maxHtmlDepth * 12 + 100);
  });

  it('plainBody() stores the markup unwrapped to the limit, with its text', () => {
    const stored = plainBody(nested(levels, 'We are <b>investigating</b>.'));
    expect(stored.body).toBe('We are investigating.');
    expect(stored.html?.length).toBeLessThan(maxHtmlDepth * 12 + 100);
    expect(treeDepth(stored.html ?? '')).toBeLessThanOrEqual(maxHtmlDepth + 3);
  });
});

describe('parseHtmlPage() on a hostile page', () => {
  it(`reads the incidents of a page whose one incident body nests ${levels} levels deep`, async () => {
    const page = await readOwn('html/custom-page-from-docs.html');
    const hostile = page.replace(
      'Webhook deliveries were delayed by up to ten minutes.',
      nested(levels, 'Webhook deliveries were delayed.'),
    );
    const parsed = parseHtmlPage(hostile, 'acme', now, { selectors: customPageSelectors });
    expect(parsed.incidents).toHaveLength(3);
    const update = parsed.incidents[1]!.updates[0]!;
    expect(update.body).toBe('Webhook deliveries were delayed.');
    expect(update.html?.length ?? 0).toBeLessThan(maxHtmlDepth * 12 + 100);
  });

  it(`fails a page nested ${levels} levels deep around everything as a parse error, not a stack overflow`, async () => {
    const page = await readOwn('html/custom-page-from-docs.html');
    const body = page.slice(page.indexOf('<body>') + 6, page.indexOf('</body>'));
    const hostile = `<!doctype html><html><body>${nested(levels, body)}</body></html>`;
    const failure = (() => {
      try {
        parseHtmlPage(hostile, 'acme', now, { selectors: customPageSelectors });
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(FetchError);
    expect((failure as FetchError).kind).toBe('parse');
    expect((failure as FetchError).message).toMatch(/overall selector/);
  });
});

/**
 * Deep-markup benchmark: how long reading vendor markup nested thousands of levels deep takes — the text
 * of an update body, the same markup made safe, and a whole `html` provider page — at 4k, 16k and
 * 100k levels (the median of three runs each), to show the cost grows linearly with the nesting and
 * never overflows the stack. The reference: htmlparser2's tokenizer alone over the same markup, every
 * callback empty.
 *   npm run bench:html [-- --levels 4000,16000,100000]
 */
import { Tokenizer } from 'htmlparser2';
import { parseHtmlPage } from '../../providers/html.js';
import { capHtmlDepth, ignoredTokens } from '../../src/core/html-depth.js';
import { htmlToText, safeHtml } from '../../src/core/text.js';
import { customPageSelectors } from '../support/provider-checks.js';
import { emitRows, type BenchRow } from './rows.js';

const argv = process.argv.slice(2);
const levelsArg = argv[argv.indexOf('--levels') + 1];
const levelList = (argv.includes('--levels') && levelsArg ? levelsArg : '4000,16000,100000')
  .split(',')
  .map(Number);
const now = new Date('2024-04-04T21:30:00Z');

const elapsed = (start: number) => performance.now() - start;
const timed = (work: () => unknown) => {
  const start = performance.now();
  work();
  return elapsed(start);
};
/** The median of three runs: one garbage collection landing in a run does not make the figure. */
const median = (run: () => number) => [run(), run(), run()].sort((a, b) => a - b)[1]!;
const fmt = (value: number) => `${Math.round(value).toLocaleString('en')} ms`;
const rows: BenchRow[] = [];

/** The tokenizer alone, every callback empty: the least any reading of the markup costs. */
function bareTokenizer(html: string): number {
  const start = performance.now();
  const none = () => {};
  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      onopentagname: none,
      onclosetag: none,
      ontext: none,
      ontextentity: none,
      onselfclosingtag: none,
      onopentagend: none,
      ...ignoredTokens,
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return elapsed(start);
}

function page(levels: number): string {
  const body = `${'<div>'.repeat(levels)}Delayed webhooks${'</div>'.repeat(levels)}`;
  return `<!doctype html><html><body><div id="overall">All systems operational</div>
    <article class="event"><h3 class="event-title">Delayed webhooks</h3><span class="event-state">Resolved</span>
    <time>2024-04-02 09:30 UTC</time><div class="event-body">${body}</div></article></body></html>`;
}

// Every reader once on small markup first, so the first size is not timed while the code compiles.
for (let i = 0; i < 20; i++) {
  const small = `${'<div>'.repeat(200)}x${'</div>'.repeat(200)}`;
  bareTokenizer(small);
  htmlToText(small);
  capHtmlDepth(small);
  safeHtml(small);
  parseHtmlPage(page(200), 'acme', now, { selectors: customPageSelectors });
}

for (const levels of levelList) {
  const markup = `${'<div>'.repeat(levels)}We are <b>investigating</b>.${'</div>'.repeat(levels)}`;
  const reference = median(() => bareTokenizer(markup));
  let text = '';
  const textTime = median(() => timed(() => (text = htmlToText(markup))));
  let capped = '';
  const capTime = median(() => timed(() => (capped = capHtmlDepth(markup))));
  let safe = '';
  const safeTime = median(() => timed(() => (safe = safeHtml(markup))));
  const whole = page(levels);
  const pageReference = median(() => bareTokenizer(whole));
  let parsed = { incidents: [] as unknown[] };
  const pageTime = median(() =>
    timed(() => (parsed = parseHtmlPage(whole, 'acme', now, { selectors: customPageSelectors }))),
  );
  const depth = `${levels.toLocaleString('en')} levels`;
  const tokens = { what: 'htmlparser2 tokenizer alone', value: reference };
  rows.push(
    {
      bench: 'html',
      figure: `htmlToText, ${depth}`,
      value: textTime,
      unit: 'ms',
      better: 'lower',
      reference: tokens,
    },
    {
      bench: 'html',
      figure: `safeHtml, ${depth}`,
      value: safeTime,
      unit: 'ms',
      better: 'lower',
      reference: tokens,
    },
    {
      bench: 'html',
      figure: `html provider page, ${depth}`,
      value: pageTime,
      unit: 'ms',
      better: 'lower',
      reference: { what: 'htmlparser2 tokenizer alone', value: pageReference },
    },
  );
  console.log(
    `${levels.toLocaleString('en')} levels (${(markup.length / 1024).toFixed(0)} KiB): ` +
      `htmlToText ${fmt(textTime)} (${text.length} chars), capHtmlDepth ${fmt(capTime)} (${capped.length} chars), ` +
      `safeHtml ${fmt(safeTime)} (${safe.length} chars), html page ${fmt(pageTime)} (${parsed.incidents.length} incident); ` +
      `tokenizer alone ${fmt(reference)}`,
  );
}
emitRows(rows);

/**
 * Deep-markup benchmark: how long reading vendor markup nested thousands of levels deep takes — the text
 * of an update body, the same markup made safe, and a whole `html` provider page — at 4k, 16k and
 * 100k levels, to show the cost grows linearly with the nesting and never overflows the stack.
 *   npm run bench:html [-- --levels 4000,16000,100000]
 */
import { parseHtmlPage } from '../../providers/html.js';
import { capHtmlDepth } from '../../src/core/html-depth.js';
import { htmlToText, safeHtml } from '../../src/core/text.js';
import { customPageSelectors } from '../support/provider-checks.js';

const argv = process.argv.slice(2);
const levelsArg = argv[argv.indexOf('--levels') + 1];
const levelList = (argv.includes('--levels') && levelsArg ? levelsArg : '4000,16000,100000')
  .split(',')
  .map(Number);
const now = new Date('2024-04-04T21:30:00Z');

const ms = (start: number) => `${Math.round(performance.now() - start).toLocaleString('en')} ms`;

function page(levels: number): string {
  const body = `${'<div>'.repeat(levels)}Delayed webhooks${'</div>'.repeat(levels)}`;
  return `<!doctype html><html><body><div id="overall">All systems operational</div>
    <article class="event"><h3 class="event-title">Delayed webhooks</h3><span class="event-state">Resolved</span>
    <time>2024-04-02 09:30 UTC</time><div class="event-body">${body}</div></article></body></html>`;
}

for (const levels of levelList) {
  const markup = `${'<div>'.repeat(levels)}We are <b>investigating</b>.${'</div>'.repeat(levels)}`;
  let start = performance.now();
  const text = htmlToText(markup);
  const textTime = ms(start);
  start = performance.now();
  const capped = capHtmlDepth(markup);
  const capTime = ms(start);
  start = performance.now();
  const safe = safeHtml(markup);
  const safeTime = ms(start);
  start = performance.now();
  const parsed = parseHtmlPage(page(levels), 'acme', now, { selectors: customPageSelectors });
  const pageTime = ms(start);
  console.log(
    `${levels.toLocaleString('en')} levels (${(markup.length / 1024).toFixed(0)} KiB): ` +
      `htmlToText ${textTime} (${text.length} chars), capHtmlDepth ${capTime} (${capped.length} chars), ` +
      `safeHtml ${safeTime} (${safe.length} chars), html page ${pageTime} (${parsed.incidents.length} incident)`,
  );
}

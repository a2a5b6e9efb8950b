import { Tokenizer } from 'htmlparser2';

/**
 * How deep vendor markup may nest before the tree builders see it. Real status pages nest a few dozen
 * levels; the HTML tree builder and every recursive walk over its tree (text, selectors, serializing)
 * slow down or overflow the stack on pages nested thousands deep.
 */
export const maxHtmlDepth = 256;

/** Tokenizer callbacks for what neither reading of HTML here uses: attributes, comments, CDATA, … */
export const ignoredTokens = {
  onattribdata() {},
  onattribentity() {},
  onattribend() {},
  onattribname() {},
  oncdata() {},
  oncomment() {},
  ondeclaration() {},
  onend() {},
  onprocessinginstruction() {},
};

/** Elements that never hold content, so never deepen the tree. */
const voidElements = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Elements an open tag of the same kind closes (`<li>a<li>b` are siblings). */
const selfClosing = new Set(['li', 'p', 'dt', 'dd', 'option', 'tr', 'td', 'th']);
/** Elements whose content is not markup: when their tags are dropped, their content goes with them. */
const rawText = new Set(['script', 'style', 'template', 'noscript']);
/** How far down the open elements a close tag looks for its match: bounded, so the scan stays linear. */
const closeSearch = 256;

/**
 * The markup with every element nested deeper than `maxDepth` unwrapped: its tags are removed and its
 * text kept in place (raw-text elements such as scripts lose their content too). Markup within the
 * limit comes back unchanged, the very same string. One pass of a streaming tokenizer that builds no
 * tree, so the cost is linear in the input whatever its nesting.
 */
export function capHtmlDepth(html: string, maxDepth = maxHtmlDepth): string {
  // Open elements kept in the output, and open elements dropped (deeper than the limit) above them.
  const kept: string[] = [];
  const dropped: string[] = [];
  const cuts: Array<[number, number]> = [];
  let foreign = 0;
  /** The open tag being read: where it starts, its name, and whether it is dropped. */
  let open: { start: number; name: string; drop: boolean } | null = null;
  /** A dropped raw-text element whose content is being skipped. */
  let skipping: string | null = null;

  const push = (name: string) => {
    if (name === 'svg' || name === 'math') foreign += 1;
    (open?.drop ? dropped : kept).push(name);
  };
  const popTo = (stack: string[], length: number) => {
    while (stack.length > length) {
      const name = stack.pop();
      if (name === 'svg' || name === 'math') foreign -= 1;
    }
  };
  const finishOpen = (end: number, selfClosed: boolean) => {
    if (!open) return;
    const { start, name, drop } = open;
    if (drop) cuts.push([start, end + 1]);
    // In HTML `<div/>` still opens a div; only void elements and SVG/MathML content close themselves.
    if (!voidElements.has(name) && !(selfClosed && foreign > 0)) {
      push(name);
      if (drop && rawText.has(name)) skipping = name;
    }
    open = null;
  };

  const tokenizer = new Tokenizer(
    { decodeEntities: false },
    {
      onopentagname(start, end) {
        const name = html.slice(start, end).toLowerCase();
        if (dropped.length === 0 && selfClosing.has(name) && kept.at(-1) === name)
          popTo(kept, kept.length - 1);
        open = { start: start - 1, name, drop: dropped.length > 0 || kept.length >= maxDepth };
      },
      onopentagend(end) {
        finishOpen(end, false);
      },
      onselfclosingtag(end) {
        finishOpen(end, true);
      },
      onclosetag(start, end) {
        const name = html.slice(start, end).toLowerCase();
        const close = html.indexOf('>', end);
        const span: [number, number] = [start - 2, close === -1 ? html.length : close + 1];
        if (skipping !== null && name !== skipping) {
          cuts.push(span);
          return;
        }
        skipping = null;
        // The nearest open element of that name, dropped ones first (they are the innermost).
        const inDropped = lastIndexWithin(dropped, name, closeSearch);
        if (inDropped !== -1) {
          popTo(dropped, inDropped);
          cuts.push(span);
          return;
        }
        const inKept = lastIndexWithin(kept, name, closeSearch - Math.min(dropped.length, closeSearch));
        if (inKept === -1) return;
        popTo(dropped, 0);
        popTo(kept, inKept);
      },
      ontext(start, end) {
        if (skipping !== null) cuts.push([start, end]);
      },
      ...ignoredTokens,
      ontextentity() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  if (cuts.length === 0) return html;
  const parts: string[] = [];
  let from = 0;
  for (const [start, end] of cuts) {
    if (start < from) continue;
    parts.push(html.slice(from, start));
    from = end;
  }
  parts.push(html.slice(from));
  return parts.join('');
}

/** Index of the last `name` among the top `limit` entries of `stack`, or -1. */
function lastIndexWithin(stack: string[], name: string, limit: number): number {
  for (let i = stack.length - 1, seen = 0; i >= 0 && seen < limit; i -= 1, seen += 1) {
    if (stack[i] === name) return i;
  }
  return -1;
}

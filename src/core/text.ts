import { Tokenizer } from 'htmlparser2';
import sanitizeHtml from 'sanitize-html';
import { capHtmlDepth, ignoredTokens } from './html-depth.js';
import { memoByText } from './memo.js';

/** A tag or an entity: anything else is already plain text and skips the HTML parser. */
const markupPattern = /<[a-z!/]|&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);/i;
const blockElements = new Set([
  'p',
  'div',
  'li',
  'tr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'table',
]);
/** Elements whose content is not text a reader sees. */
const hiddenElements = new Set(['script', 'style']);

/**
 * Plain text of an HTML fragment: tags stripped, `<br>` and blocks as line breaks, entities decoded,
 * whitespace collapsed. Read with a streaming tokenizer that builds no tree: linear in the input and
 * free of recursion, however deep a hostile page nests its tags.
 */
export function htmlToText(html: string): string {
  if (!markupPattern.test(html)) return collapseWhitespace(html);
  const parts: string[] = [];
  let hidden: string | null = null;
  const tag = (start: number, end: number, closing: boolean) => {
    const name = html.slice(start, end).toLowerCase();
    if (hidden !== null) {
      if (closing && name === hidden) hidden = null;
      return;
    }
    if (!closing && hiddenElements.has(name)) hidden = name;
    else if (name === 'br' || blockElements.has(name)) parts.push('\n');
  };
  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      onopentagname: (start, end) => tag(start, end, false),
      onclosetag: (start, end) => tag(start, end, true),
      ontext(start, end) {
        if (hidden === null) parts.push(html.slice(start, end));
      },
      ontextentity(codepoint) {
        if (hidden === null) parts.push(String.fromCodePoint(codepoint));
      },
      // `<script/>` opens nothing the tokenizer then reads as script.
      onselfclosingtag() {
        hidden = null;
      },
      onopentagend() {},
      ...ignoredTokens,
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return collapseWhitespace(parts.join(''));
}

/**
 * An update body as the model stores it: plain `body`, and the vendor's markup in `html` only when it
 * had any, nested no deeper than the tree builders handle.
 */
export function plainBody(raw: string): { body: string; html?: string } {
  return { ...plainBodyOf(raw) };
}

// A page lists the same update bodies poll after poll: each is read once while it stays on the page.
const plainBodyOf = memoByText(
  (raw): Readonly<{ body: string; html?: string }> => {
    const body = htmlToText(raw);
    return body !== raw && markupPattern.test(raw) ? { body, html: capHtmlDepth(raw) } : { body };
  },
  { maxEntries: 50_000, maxChars: 16_000_000, maxKeyChars: 64_000 },
);

// Vendors write bodies with `\n` line breaks as well as `<br />`, so newlines are kept as paragraph
// structure while runs of other whitespace (including &nbsp;) become one space.
function collapseWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const safeHtmlOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    'ul',
    'ol',
    'li',
    'a',
    'code',
    'pre',
    'blockquote',
    'small',
    'var',
  ],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
};

/**
 * Vendor markup made safe to render: a short allowlist of text tags, links only to http(s)/mailto,
 * no attributes beyond href, no styles or scripts. cheerio does not sanitize; this does.
 */
export function safeHtml(html: string): string {
  return sanitizeHtml(capHtmlDepth(html), safeHtmlOptions);
}

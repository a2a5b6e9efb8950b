import { load } from 'cheerio';
import sanitizeHtml from 'sanitize-html';

/** A tag or an entity: anything else is already plain text and skips the HTML parser. */
const markupPattern = /<[a-z!/]|&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);/i;
const blockSelector = 'p, div, li, tr, h1, h2, h3, h4, h5, h6, blockquote, pre, ul, ol, table';

/** Plain text of an HTML fragment: tags stripped, `<br>` and blocks as line breaks, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  if (!markupPattern.test(html)) return collapseWhitespace(html);
  const $ = load(html, null, false);
  $('script, style').remove();
  $('br').replaceWith('\n');
  $(blockSelector).each((_, element) => {
    $(element).before('\n').after('\n');
  });
  return collapseWhitespace($.root().text());
}

/** An update body as the model stores it: plain `body`, and the vendor's markup in `html` only when it had any. */
export function plainBody(raw: string): { body: string; html?: string } {
  const body = htmlToText(raw);
  return body !== raw && markupPattern.test(raw) ? { body, html: raw } : { body };
}

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
  return sanitizeHtml(html, safeHtmlOptions);
}

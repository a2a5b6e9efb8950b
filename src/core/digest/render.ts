import { renderHtmlDigest } from './render-html.js';
import { renderMarkdownDigest } from './render-md.js';
import { renderSlackDigest } from './render-slack.js';
import type { Digest, DigestFormat } from './types.js';

/** A Slack Block Kit message (incoming webhook body). */
export interface SlackDigestMessage {
  text: string;
  blocks: unknown[];
}

/** The digest as Markdown. */
export function renderMarkdown(digest: Digest): string {
  return renderMarkdownDigest(digest);
}

/** The digest as one email-safe HTML document (inline CSS, inline SVG). */
export function renderHtml(digest: Digest): string {
  return renderHtmlDigest(digest);
}

/** The digest as a Slack Block Kit message within Slack's limits. */
export function renderSlack(digest: Digest): SlackDigestMessage {
  return renderSlackDigest(digest);
}

/** The digest in a format: the body and its content type. */
export function renderDigest(digest: Digest, format: DigestFormat): { contentType: string; body: string } {
  switch (format) {
    case 'md':
      return { contentType: 'text/markdown; charset=utf-8', body: renderMarkdown(digest) };
    case 'html':
      return { contentType: 'text/html; charset=utf-8', body: renderHtml(digest) };
    case 'json':
      return { contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(digest, null, 2)}\n` };
    case 'slack':
      return {
        contentType: 'application/json; charset=utf-8',
        body: `${JSON.stringify(renderSlack(digest), null, 2)}\n`,
      };
  }
}

/*
 * Text for Slack messages (annotations, alerts, the digest): escaping and clipping to Block Kit limits.
 */

/** Block Kit limits: header text, section text, blocks per message. */
export const slackLimits = { header: 150, section: 3000, blocks: 50 } as const;

/** Slack mrkdwn treats &, < and > as control characters; vendor prose must not become links or mentions. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text cut to at most `max` UTF-16 units with an ellipsis, never splitting a character in two. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  // A cut between the two halves of a surrogate pair would leave half an emoji.
  if (cut > 0 && /[\uD800-\uDBFF]/.test(text[cut - 1]!)) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

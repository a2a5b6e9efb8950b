/*
 * Text for Slack messages (annotations, alerts, the digest): escaping and clipping to Block Kit limits.
 */

/** Block Kit limits: header text, section text, blocks per message. */
export const slackLimits = { header: 150, section: 3000, blocks: 50 } as const;

/** Slack mrkdwn treats &, < and > as control characters; vendor prose must not become links or mentions. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Surrogate-safe clipping, shared with the other sinks (src/core/clip.ts). */
export { clipText } from './clip.js';

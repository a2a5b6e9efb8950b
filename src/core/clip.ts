/*
 * Clipping text for receivers with length limits (Slack blocks, PagerDuty and Opsgenie notes).
 */

/**
 * Text cut to at most `max` UTF-16 units, ending in `marker` when cut, never splitting a character in
 * two: a cut between the halves of a surrogate pair would leave half an emoji, which receivers show as
 * a replacement character or refuse as invalid UTF-8.
 */
export function clipText(text: string, max: number, marker = '…'): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - marker.length);
  if (cut > 0 && /[\uD800-\uDBFF]/.test(text[cut - 1]!)) cut -= 1;
  return `${text.slice(0, cut)}${marker}`;
}

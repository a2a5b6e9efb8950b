import { z } from 'zod';
import type { IncidentChange } from './incident-merge.js';

/** A resolution or reopening a page showed that has not yet held for enough polls in a row. */
export const pendingChangeSchema = z.object({
  target: z.enum(['open', 'resolved']),
  polls: z.number().int().min(1),
});
export type PendingChange = z.infer<typeof pendingChangeSchema>;

/**
 * Whether an incident's change seen in this poll takes effect. A resolution or a reopening counts
 * only once the page has shown it in `confirmPolls` polls in a row, so a page flipping between two
 * payloads does not resolve and reopen its incidents each minute; until then the incident stays as
 * stored and the change waits as `pending`. A first sighting and an update take effect at once.
 */
export function confirmChange(
  change: IncidentChange | null,
  pending: PendingChange | undefined,
  confirmPolls: number,
): { apply: boolean; pending: PendingChange | null } {
  if (change !== 'resolved' && change !== 'reopened') return { apply: true, pending: null };
  const target = change === 'resolved' ? 'resolved' : 'open';
  const polls = pending?.target === target ? pending.polls + 1 : 1;
  return polls >= confirmPolls
    ? { apply: true, pending: null }
    : { apply: false, pending: { target, polls } };
}

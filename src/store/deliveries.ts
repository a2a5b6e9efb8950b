import { z } from 'zod';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/*
 * Delivery state in Redis (see src/delivery/enqueue.ts for the exactly-once scheme), under the root:
 *   `<root>:dlv:<key>`               the done record (JSON), kept 30 days
 *   `<root>:dlv-claim:<key>`         a worker is sending it now (token, expires after the sink timeout)
 *   `<root>:sink:<name>:failures`    consecutive failed attempts of the sink (reset by a success)
 *   `<root>:sink:<name>:disabled`    set when the failures reach the limit, or at once when the receiver
 *                                    says the destination is gone (410); delete it to re-enable
 */

/** The Redis keys of delivery state. */
export function deliveryKeys(keys: Keys) {
  return {
    done: keys.deliveryDone,
    claim: keys.deliveryClaim,
    failures: keys.sinkFailures,
    disabled: keys.sinkDisabled,
  };
}

/** How long a done record blocks a resend; far longer than any job is kept or re-enqueued. */
export const DONE_TTL_SECONDS = 30 * 86_400;

/** A disabled sink's state, as stored. */
export const disabledStateSchema = z.object({
  since: z.string(),
  failures: z.number(),
  lastError: z.string(),
  /** Why it was disabled; absent in states written before reasons were kept (consecutive failures). */
  reason: z.string().optional(),
});
export type DisabledState = z.infer<typeof disabledStateSchema>;

/** How to re-enable a disabled sink, for the error log and the docs. */
export function reenableHint(keys: Keys, sink: string): string {
  return `run \`upcause sinks enable ${sink}\` or delete the Redis key ${deliveryKeys(keys).disabled(sink)}`;
}

/** Clears a sink's disabled flag and failure count; true when it was disabled or failing. */
export async function clearSinkState(redis: RedisClient, keys: Keys, sink: string): Promise<boolean> {
  const dk = deliveryKeys(keys);
  return (await redis.del(dk.disabled(sink), dk.failures(sink))) > 0;
}

/** The disabled state of each named sink (null when enabled), for status pages and the CLI. */
export async function sinkStates(
  redis: RedisClient,
  keys: Keys,
  sinks: ReadonlyArray<string>,
): Promise<Record<string, DisabledState | null>> {
  const dk = deliveryKeys(keys);
  const out: Record<string, DisabledState | null> = {};
  for (const sink of sinks) {
    const raw = await redis.get(dk.disabled(sink));
    let state: DisabledState | null = null;
    if (raw) {
      try {
        const parsed = disabledStateSchema.safeParse(JSON.parse(raw));
        state = parsed.success ? parsed.data : { since: '', failures: 0, lastError: raw };
      } catch {
        state = { since: '', failures: 0, lastError: raw };
      }
    }
    out[sink] = state;
  }
  return out;
}

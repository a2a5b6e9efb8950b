import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions<T> {
  /** When the read value counts as done; defaults to truthiness. */
  until?: (value: T) => boolean;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `read` until its value is done and returns that value; throws naming `what` and the last value on timeout.
 * The timeout is a safety net for a hung test, never an assertion on speed.
 */
export async function waitUntil<T>(
  what: string,
  read: () => T | Promise<T>,
  { until = Boolean, timeoutMs = 15_000, intervalMs = 20 }: WaitOptions<T> = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(value)}`);
    await sleep(intervalMs);
  }
}

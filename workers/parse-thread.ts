import type { MessagePort } from 'node:worker_threads';
import { providers } from '../providers/registry.js';
import type { WatchedVendor } from '../src/config.js';
import { FetchError } from '../src/core/errors.js';
import type { FetchResponse } from '../src/http/client.js';
import {
  asFetchError,
  fromWire,
  readVendorPage,
  requestKey,
  toWire,
  type PageAnswer,
  type PageRequest,
  type ParseReply,
} from './read-page.js';

/** One parse handed to a pool thread: the vendor, the poll's clock, and every page fetched so far. */
export interface ParseTask {
  vendor: WatchedVendor;
  now: Date;
  answers: PageAnswer[];
  /** Told once the parse begins, so its deadline counts this thread's time, not time in the queue. */
  started: MessagePort;
}

/**
 * Runs the vendor's provider on the pages fetched so far. A GET it asks for that was not fetched yet
 * ends this run: the main thread fetches it and runs the provider again from the start with the
 * answer, so this thread never waits on the network and a parse holds it only while it computes.
 */
export default async function parse(task: ParseTask): Promise<ParseReply> {
  task.started.postMessage('started');
  task.started.close();
  const { vendor, now } = task;
  const provider = providers.get(vendor.provider);
  if (!provider)
    return {
      error: toWire(new FetchError('parse', `vendor ${vendor.id}: no provider named "${vendor.provider}"`)),
    };
  const answers = new Map(task.answers.map((answer) => [answer.key, answer]));
  const needed = new Map<string, PageRequest>();
  const get = (path: string, options?: Parameters<typeof requestKey>[1]): Promise<FetchResponse> => {
    const key = requestKey(path, options);
    const answer = answers.get(key);
    if (answer)
      return 'error' in answer ? Promise.reject(fromWire(answer.error)) : Promise.resolve(answer.response);
    needed.set(key, { key, path, ...(options ? { options } : {}) });
    // Never settles: this run stops here and is run again once the page is fetched.
    return new Promise<FetchResponse>(() => {});
  };
  let reply: ParseReply | null = null;
  readVendorPage(vendor, provider, now, get).then(
    (result) => (reply = { done: result }),
    (error: unknown) => (reply = { error: toWire(asFetchError(error, vendor.id)) }),
  );
  // Providers parse synchronously between GETs: once a turn of the event loop passes with the
  // provider still pending and GETs asked for, it waits on those alone.
  while (reply === null) {
    await new Promise((resolve) => setImmediate(resolve));
    if (reply === null && needed.size > 0) return { need: [...needed.values()] };
  }
  return reply;
}

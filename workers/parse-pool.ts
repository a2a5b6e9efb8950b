import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { WatchedVendor } from '../src/config.js';
import { FetchError } from '../src/core/errors.js';
import type { PollContext, PollResult } from '../providers/types.js';
import type { ParseTask } from './parse-thread.js';
import { fromWire, toWire, type PageAnswer, type ParseReply } from './read-page.js';

/** Limits of the parse pool. */
export interface ParsePoolOptions {
  /** Threads parsing at once. */
  threads: number;
  /** Thread time one poll's parsing may take, summed over its runs, before it is stopped. */
  timeoutMs: number;
  /** Heap of one thread; a parse that needs more ends its thread and fails as `parse`. Default 512. */
  maxHeapMb?: number;
}

/** Worker threads that parse vendor pages, so a hostile page never stalls the process that polls. */
export interface ParsePool {
  /**
   * Reads a vendor's page: its provider runs on a pool thread while every GET it asks for is made
   * here through `get`. A parse past the deadline is stopped (its thread ended and replaced) and
   * fails as a `parse` FetchError of that vendor alone.
   */
  read(vendor: WatchedVendor, now: Date, get: PollContext['get']): Promise<PollResult>;
  /** Ends the threads; parses still running fail. */
  close(): Promise<void>;
}

/** A provider that keeps asking for more pages than any platform needs is not reading a status page. */
const maxRuns = 16;

export function createParsePool(options: ParsePoolOptions): ParsePool {
  const pool = new Piscina<ParseTask, ParseReply>({
    ...threadEntry(),
    minThreads: 1,
    maxThreads: options.threads,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 512 },
  });

  /** One run of the provider on a thread, with what is left of the poll's deadline. */
  async function run(
    vendor: WatchedVendor,
    now: Date,
    answers: PageAnswer[],
    budgetMs: number,
  ): Promise<{ reply: ParseReply; ms: number }> {
    const { port1, port2 } = new MessageChannel();
    const abort = new AbortController();
    let started: number | null = null;
    let timer: NodeJS.Timeout | undefined;
    port1.once('message', () => {
      started = performance.now();
      timer = setTimeout(() => abort.abort(), Math.max(budgetMs, 0));
    });
    try {
      const reply = await pool.run(
        { vendor, now, answers, started: port2 },
        { transferList: [port2], signal: abort.signal },
      );
      return { reply, ms: started === null ? 0 : performance.now() - started };
    } catch (cause) {
      if (abort.signal.aborted)
        throw new FetchError(
          'parse',
          `vendor ${vendor.id}: reading the page took longer than ${options.timeoutMs} ms and was stopped`,
          { cause },
        );
      // The thread died under the parse: out of memory, or the pool closing.
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new FetchError('parse', `vendor ${vendor.id}: reading the page failed: ${message}`, { cause });
    } finally {
      clearTimeout(timer);
      port1.close();
    }
  }

  return {
    async read(vendor, now, get) {
      const answers = new Map<string, PageAnswer>();
      let usedMs = 0;
      for (let runs = 1; ; runs += 1) {
        const { reply, ms } = await run(vendor, now, [...answers.values()], options.timeoutMs - usedMs);
        usedMs += ms;
        if ('done' in reply) return reply.done;
        if ('error' in reply) throw fromWire(reply.error);
        if (runs >= maxRuns)
          throw new FetchError(
            'parse',
            `vendor ${vendor.id}: the provider asked for more than ${maxRuns} rounds of pages`,
          );
        await Promise.all(
          reply.need.map(async ({ key, path, options: getOptions }) => {
            try {
              answers.set(key, { key, response: await get(path, getOptions) });
            } catch (error) {
              if (!(error instanceof FetchError)) throw error;
              answers.set(key, { key, error: toWire(error) });
            }
          }),
        );
      }
    },
    async close() {
      await pool.destroy();
    },
  };
}

/**
 * The thread's module: the built JavaScript next to this file, or, when running from the TypeScript
 * sources (development, tests), the source itself loaded through tsx as the main thread is.
 */
function threadEntry(): { filename: string; execArgv?: string[] } {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return { filename: fileURLToPath(new URL('./parse-thread.js', self)) };
  const filename = fileURLToPath(new URL('./parse-thread.ts', self));
  if (process.execArgv.some((arg) => arg.includes('tsx'))) return { filename };
  const tsx = pathToFileURL(createRequire(self).resolve('tsx')).href;
  return { filename, execArgv: [...process.execArgv, '--import', tsx] };
}

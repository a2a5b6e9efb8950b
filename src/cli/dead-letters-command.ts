import type { Command } from 'commander';
import { z } from 'zod';
import {
  listDeadLetters,
  purgeDeadLetters,
  retryDeadLetters,
  type DeadLetter,
} from '../store/dead-letters.js';
import { keysOf, type Keys } from '../store/keys.js';
import { connectRedis, type RedisClient } from '../store/redis.js';
import { CliExit, linesOf, type CliIo } from './io.js';
import { configFrom } from './program.js';
import { clip, renderTable } from './table.js';

const limitSchema = z.coerce
  .number({ error: 'expected a whole number' })
  .int('expected a whole number')
  .min(1, 'must be at least 1')
  .max(10_000, 'must be at most 10000');
const streamIdSchema = z.string().regex(/^\d+-\d+$/, 'expected a stream entry id like 1733390000000-0');

/** A stream key without its `{prefix}:` root, as the table shows it. */
const shortStream = (keys: Keys, stream: string) =>
  stream.startsWith(`${keys.root}:`) ? stream.slice(keys.root.length + 1) : stream;

/** The entry's own fields in a line: `service=checkout vendor=stripe …`. */
export function fieldPreview(letter: DeadLetter, max = 60): string {
  return clip(letter.fields.map(([name, value]) => `${name}=${value.replace(/\s+/g, ' ')}`).join(' '), max);
}

export function formatDeadLetters(keys: Keys, list: { total: number; entries: DeadLetter[] }): string {
  if (list.total === 0) return 'no dead letters';
  const rows = list.entries.map((d) => [
    d.at.replace('T', ' ').slice(0, 19),
    shortStream(keys, d.sourceStream),
    String(d.tries),
    d.id,
    clip(d.reason.replace(/\s+/g, ' '), 60),
    fieldPreview(d),
  ]);
  const table = renderTable(['SET ASIDE (UTC)', 'SOURCE', 'TRIES', 'ID', 'REASON', 'FIELDS'], rows);
  const shown =
    list.entries.length < list.total ? `\n\n${list.entries.length} of ${list.total}, newest first` : '';
  return `${table}${shown}`;
}

/**
 * `upcause dead-letters`: stream entries that kept failing to apply (ingest.maxTries), set aside in
 * the dead-letter stream: list them, put them back on their source stream, or delete them.
 */
export function registerDeadLettersCommand(program: Command, io: CliIo): void {
  const { out } = linesOf(io);

  async function withRedis<T>(command: Command, run: (redis: RedisClient, keys: Keys) => Promise<T>) {
    const config = configFrom(command, io.env);
    const redis = await connectRedis(config.redis, 'producer', 'upcause-cli');
    try {
      return await run(redis, keysOf(config));
    } finally {
      redis.disconnect();
    }
  }

  const deadLetters = program
    .command('dead-letters')
    .description('stream entries that kept failing to apply: list (default), retry, purge');

  deadLetters
    .command('list', { isDefault: true })
    .description('list dead letters, newest first: when, source stream, reason, tries, the fields')
    .option('--limit <n>', 'at most this many (default 50)')
    .option(
      '--json',
      'print JSON: { total, deadLetters: [{ id, at, reason, sourceStream, sourceId, tries, fields }] }',
    )
    .action(async (options: { limit?: string; json?: boolean }, command: Command) => {
      const limit = limitSchema.safeParse(options.limit ?? 50);
      if (!limit.success) command.error(`error: --limit: ${limit.error.issues[0]?.message}`, { exitCode: 2 });
      await withRedis(command, async (redis, keys) => {
        const list = await listDeadLetters(redis, keys, limit.data!);
        if (options.json) {
          const deadLetters = list.entries.map((d) => ({ ...d, fields: Object.fromEntries(d.fields) }));
          out(JSON.stringify({ total: list.total, deadLetters }, null, 2));
        } else {
          out(formatDeadLetters(keys, list));
        }
      });
    });

  deadLetters
    .command('retry [ids...]')
    .description('put dead letters back on their source stream (to be applied again) and delete them here')
    .option('--all', 'every dead letter, oldest first')
    .option('--json', 'print JSON: { retried: [{ id, sourceStream, newId }], skipped: [{ id, why }] }')
    .action(async (ids: string[], options: { all?: boolean; json?: boolean }, command: Command) => {
      if ((options.all === true) === ids.length > 0) {
        command.error('error: name dead-letter ids (see `upcause dead-letters`) or pass --all, not both', {
          exitCode: 2,
        });
      }
      const bad = ids.filter((id) => !streamIdSchema.safeParse(id).success);
      if (bad.length > 0) {
        command.error(`error: not a stream entry id (like 1733390000000-0): ${bad.join(', ')}`, {
          exitCode: 2,
        });
      }
      const outcome = await withRedis(command, (redis, keys) =>
        retryDeadLetters(redis, keys, options.all ? 'all' : ids),
      );
      if (options.json) {
        out(JSON.stringify(outcome, null, 2));
      } else {
        for (const r of outcome.retried) out(`${r.id}: back on ${r.sourceStream} as ${r.newId}`);
        for (const s of outcome.skipped) out(`${s.id}: not retried: ${s.why}`);
        out(`${outcome.retried.length} retried, ${outcome.skipped.length} skipped`);
      }
      // A named id that could not be retried is a failure; with --all, skipped ones are only reported.
      if (outcome.skipped.length > 0 && !options.all) throw new CliExit(1);
    });

  deadLetters
    .command('purge')
    .description('delete every dead letter')
    .option('--json', 'print JSON: { purged }')
    .action(async (options: { json?: boolean }, command: Command) => {
      const purged = await withRedis(command, (redis, keys) => purgeDeadLetters(redis, keys));
      out(options.json ? JSON.stringify({ purged }) : `${purged} dead letters deleted`);
    });
}

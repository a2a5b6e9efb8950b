import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { digestPeriodFor } from '../api/digest-route.js';
import { renderDigest } from '../core/digest/render.js';
import { digestQuerySchema } from '../core/digest/types.js';
import { buildDigest } from '../store/digest.js';
import { listDigestRuns, type DigestRun } from '../store/digest-runs.js';
import { keysOf } from '../store/keys.js';
import { connectRedis } from '../store/redis.js';
import { linesOf, type CliIo } from './io.js';
import { configFrom } from './program.js';
import { renderTable } from './table.js';

interface DigestOptions {
  date?: string;
  days?: string;
  format?: string;
  out?: string;
  runs?: boolean;
  limit?: string;
  json?: boolean;
}

const utc = (iso: string) => iso.replace('T', ' ').slice(0, 16);

/** The run records as a table, newest first. */
export function formatDigestRuns(runs: readonly DigestRun[]): string {
  if (runs.length === 0) return 'no digest runs recorded yet';
  const rows = runs.map((run) => [
    run.period.id,
    run.trigger,
    utc(run.finishedAt),
    run.by,
    String(run.vendors.length),
    run.deliveries.map((d) => d.sink).join(', ') || '-',
    run.files.map((f) => (f.error ? `${f.format} FAILED` : f.format)).join(', ') || '-',
  ]);
  return renderTable(['PERIOD', 'TRIGGER', 'FINISHED (UTC)', 'BY', 'VENDORS', 'SINKS', 'FILES'], rows);
}

/** `upcause digest`: renders the vendor-risk digest of any past period from stored data. */
export function registerDigestCommand(program: Command, io: CliIo): void {
  const { out, err } = linesOf(io);
  program
    .command('digest')
    .description(
      'the vendor-risk digest of a past period, from stored data (or, with --runs, the scheduled runs)',
    )
    .option('--date <day>', "the period's last day, YYYY-MM-DD in digest.timeZone (default: yesterday there)")
    .option('--days <n>', 'days the period covers, ending with --date (default: digest.days)')
    .option('--format <format>', 'md, html, json or slack (default: md; json with --json)')
    .option('--out <file>', 'write the digest to this file instead of standard output')
    .option('--runs', 'list the recent scheduled runs instead')
    .option('--limit <n>', 'with --runs: at most this many, newest first (default 30)')
    .option('--json', 'print JSON (the digest, or with --runs the run records)')
    .action(async (options: DigestOptions, command: Command) => {
      const fail: (issues: string[]) => never = (issues) =>
        command.error(`error: ${issues.join('; ')}`, { exitCode: 2 });
      const config = configFrom(command, io.env);
      if (options.runs) {
        const limit = Number(options.limit ?? 30);
        if (!Number.isInteger(limit) || limit < 1) fail(['--limit: expected a whole number of at least 1']);
        const redis = await connectRedis(config.redis, 'producer', 'upcause-cli');
        try {
          const runs = await listDigestRuns(redis, keysOf(config), limit);
          out(options.json ? JSON.stringify(runs, null, 2) : formatDigestRuns(runs));
        } finally {
          redis.disconnect();
        }
        return;
      }
      const parsed = digestQuerySchema.safeParse({
        ...(options.date !== undefined ? { date: options.date } : {}),
        ...(options.days !== undefined ? { days: options.days } : {}),
        format: options.format ?? (options.json ? 'json' : 'md'),
      });
      if (!parsed.success) {
        fail(parsed.error.issues.map((i) => `--${i.path.join('.') || 'options'}: ${i.message}`));
      }
      const now = new Date();
      const chosen = digestPeriodFor(parsed.data, config.digest, now);
      if ('field' in chosen) {
        fail([`--${chosen.field}: ${chosen.message}`]);
      }
      const redis = await connectRedis(config.redis, 'producer', 'upcause-cli');
      let body: string;
      try {
        const digest = await buildDigest({ redis, keys: keysOf(config), config }, chosen.period, now);
        body = renderDigest(digest, parsed.data.format).body;
      } finally {
        redis.disconnect();
      }
      if (options.out === undefined) {
        io.writeOut(body.endsWith('\n') ? body : `${body}\n`);
        return;
      }
      const path = resolve(options.out);
      await mkdir(dirname(path), { recursive: true });
      // Written whole and renamed, so a reader of the file never sees half a digest.
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, body);
      await rename(temp, path);
      err(`digest ${chosen.period.id} (${parsed.data.format}) written to ${path}`);
    });
}

import type { Command } from 'commander';
import { CheckQueryError, type CheckAnswer, type CheckQuery } from '../core/check/types.js';
import { runCheck } from '../store/check.js';
import { keysOf } from '../store/keys.js';
import { connectRedis } from '../store/redis.js';
import { CliExit, linesOf, type CliIo } from './io.js';
import { configFrom } from './program.js';
import { ago, clip, renderTable } from './table.js';

interface CheckOptions {
  region?: string;
  at?: string;
  service?: string;
  customer?: string;
  json?: boolean;
}

const rate = (perMin: number): string =>
  `${perMin < 10 ? Math.round(perMin * 10) / 10 : Math.round(perMin)}/min`;

/** The answer for people: the sentence first, then one row per vendor, then the evidence. */
export function formatCheck(answer: CheckAnswer, now: Date): string {
  const rows = answer.vendors.map((v) => [
    v.name,
    v.verdict,
    `${rate(v.ourErrors.ratePerMin)} (${rate(v.ourErrors.baselinePerMin)} before)`,
    v.freshness.stale ? `STALE ${ago(v.freshness.lastReadAt, now)}` : ago(v.freshness.lastReadAt, now),
    clip(v.incidents[0]?.title ?? '', 50),
  ]);
  const q = answer.query;
  const asked = [
    `at ${q.at}`,
    q.region ? `region ${q.region}` : null,
    q.service ? `service ${q.service}` : null,
    q.customer ? `customer ${q.customer}` : null,
  ].filter(Boolean);
  const evidence = answer.vendors
    .filter((v, i) => i === 0 || v.verdict === 'vendor-incident' || v.verdict === 'vendor-suspected')
    .slice(0, 5)
    .flatMap((v) => [`${v.name} (${v.verdict}):`, ...v.evidence.map((e) => `  - ${e}`)]);
  return [
    answer.summary,
    '',
    `Checked ${asked.join(', ')}: ${answer.verdict}`,
    '',
    renderTable(['VENDOR', 'VERDICT', 'OUR ERRORS', 'PAGE READ', 'VENDOR INCIDENT'], rows),
    '',
    'Evidence:',
    ...evidence,
  ].join('\n');
}

/** `upcause check`: is a vendor at fault right now (or at a time)? */
export function registerCheckCommand(program: Command, io: CliIo): void {
  const { out, err } = linesOf(io);
  program
    .command('check [vendor]')
    .description('is a vendor at fault? our errors on it against what its status page says (for support)')
    .option('--region <region>', 'where the customer is, as free text ("eu", "Frankfurt", "us-east-1")')
    .option('--at <time>', 'when, e.g. "2024-04-04 21:00 CEST", ISO-8601 or epoch ms (default: now)')
    .option('--service <name>', 'which service of ours the customer used')
    .option('--customer <id>', "whether this customer's requests failed on the vendor around then")
    .option('--json', 'print the answer as JSON')
    .action(async (vendor: string | undefined, options: CheckOptions, command: Command) => {
      const config = configFrom(command, io.env);
      const query: CheckQuery = {
        ...(vendor !== undefined ? { vendor } : {}),
        ...(options.region !== undefined ? { region: options.region } : {}),
        ...(options.at !== undefined ? { at: options.at } : {}),
        ...(options.service !== undefined ? { service: options.service } : {}),
        ...(options.customer !== undefined ? { customer: options.customer } : {}),
      };
      const redis = await connectRedis(config.redis, 'producer', 'upcause-cli');
      try {
        const now = new Date();
        const answer = await runCheck({ redis, keys: keysOf(config), config }, query, now);
        out(options.json ? JSON.stringify(answer, null, 2) : formatCheck(answer, now));
      } catch (error) {
        if (!(error instanceof CheckQueryError)) throw error;
        err(`upcause: ${error.message}`);
        throw new CliExit(2);
      } finally {
        redis.disconnect();
      }
    });
}

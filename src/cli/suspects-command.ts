import type { Command } from 'commander';
import { connectRedis } from '../store/redis.js';
import { keysOf } from '../store/keys.js';
import { listSuspects, suspectQuerySchema, type SuspectList } from '../store/vendor-detail.js';
import { linesOf, type CliIo } from './io.js';
import { configFrom } from './program.js';
import { renderTable } from './table.js';

interface SuspectsOptions {
  open?: boolean;
  vendor?: string;
  from?: string;
  to?: string;
  limit?: string;
  json?: boolean;
}

const minutes = (n: number) =>
  n < 90 ? `${n}m` : n < 36 * 60 ? `${(n / 60).toFixed(1)}h` : `${(n / 1440).toFixed(1)}d`;
const rate = (n: number) => (n >= 10 ? n.toFixed(0) : n.toFixed(1));
const utc = (iso: string) => iso.replace('T', ' ').slice(0, 16);

/** The suspects as a table: one row each, then the acknowledgment lag over all of them. */
export function formatSuspects(list: SuspectList): string {
  if (list.suspects.length === 0) return 'no suspected vendor issues';
  const rows = list.suspects.map((s) => [
    s.vendor,
    s.region,
    utc(s.since),
    s.open ? `open ${minutes(s.durationMinutes)}` : `closed after ${minutes(s.durationMinutes)}`,
    s.services.join(', '),
    `${rate(s.ratePerMin)}/min vs ${rate(s.baselinePerMin)}/min (${s.ratio >= 10 ? s.ratio.toFixed(0) : s.ratio.toFixed(1)}×)`,
    s.vendorPostedAt ? utc(s.vendorPostedAt) : s.unacknowledgedMinutes !== null ? 'not yet' : 'never',
    s.ackLagMinutes !== null
      ? minutes(s.ackLagMinutes)
      : s.unacknowledgedMinutes !== null
        ? `>${minutes(s.unacknowledgedMinutes)}`
        : '',
  ]);
  const { acknowledged, unacknowledged, medianMinutes, worstMinutes } = list.ackLag;
  const lag =
    medianMinutes === null || worstMinutes === null
      ? `no vendor acknowledged any of them (${unacknowledged} without a post)`
      : `vendor acknowledgment lag: median ${minutes(medianMinutes)}, worst ${minutes(worstMinutes)} ` +
        `over ${acknowledged} acknowledged; ${unacknowledged} without a post`;
  return `${renderTable(
    ['VENDOR', 'REGION', 'SINCE (UTC)', 'STATE', 'SERVICES', 'RATE VS BASELINE', 'VENDOR POSTED', 'ACK LAG'],
    rows,
  )}\n\n${lag}`;
}

/** `upcause suspects`: open and recent suspected vendor issues with acknowledgment lag. */
export function registerSuspectsCommand(program: Command, io: CliIo): void {
  const { out } = linesOf(io);
  program
    .command('suspects')
    .description(
      'open and recent suspected vendor issues (our errors spiking on a vendor), with acknowledgment lag',
    )
    .option('--open', 'only those still open')
    .option('--vendor <id>', 'only this vendor')
    .option(
      '--from <time>',
      'those started at or after this (ISO-8601 or epoch ms; default: open ones and the last 7 days)',
    )
    .option('--to <time>', 'those started at or before this')
    .option('--limit <n>', 'at most this many, newest first (default 100)')
    .option('--json', 'print JSON: { suspects, ackLag }')
    .action(async (options: SuspectsOptions, command: Command) => {
      const input = {
        ...(options.open ? { open: 'true' } : {}),
        ...(options.vendor !== undefined ? { vendor: options.vendor } : {}),
        ...(options.from !== undefined ? { from: options.from } : {}),
        ...(options.to !== undefined ? { to: options.to } : {}),
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
      };
      const parsed = suspectQuerySchema.safeParse(input);
      if (!parsed.success) {
        const reason = parsed.error.issues.map((i) => `--${i.path.join('.') || 'options'}: ${i.message}`);
        command.error(`error: ${reason.join('; ')}`, { exitCode: 2 });
      }
      const config = configFrom(command, io.env);
      const redis = await connectRedis(config.redis, 'producer', 'upcause-cli');
      try {
        const list = await listSuspects({ redis, keys: keysOf(config) }, parsed.data);
        out(options.json ? JSON.stringify(list, null, 2) : formatSuspects(list));
      } finally {
        redis.disconnect();
      }
    });
}

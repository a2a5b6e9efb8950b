import { Queue } from 'bullmq';
import { Command } from 'commander';
import { catalog } from '../../providers/catalog.js';
import { providers } from '../../providers/registry.js';
import { jobCatalog } from '../../workers/jobs.js';
import { fetchVendor } from '../../workers/poll.js';
import { httpClientFor, parsePoolFor } from '../app.js';
import { loadConfig, parseConfig, type Config, type WatchedVendor } from '../config.js';
import { registerBacktestCommand } from './backtest-command.js';
import { registerReplayCommand } from './replay-command.js';
import { registerStartCommand } from './start-command.js';
import { registerCheckCommand } from './check-command.js';
import { registerSuspectsCommand } from './suspects-command.js';
import { registerDigestCommand } from './digest-command.js';
import { registerDeadLettersCommand } from './dead-letters-command.js';
import { enableSink } from '../delivery/enqueue.js';
import { sinkStates } from '../store/deliveries.js';
import { createDetectContext, detectPlatform } from '../http/detect.js';
import { formatDetections, vendorEntry } from './detect-report.js';
import { ConfigError } from '../core/errors.js';
import { linesOf, CliExit, type CliIo } from './io.js';
import type { VendorIncident } from '../core/model.js';
import { connectRedis } from '../store/redis.js';
import { keysOf } from '../store/keys.js';
import { keySlot } from '../store/slots.js';
import { ago, clip, renderTable } from './table.js';
import { createVendorStore } from '../store/vendors.js';
import { packageVersion } from './version.js';

/** The config the global --config option (or the environment) names. */
export function configFrom(command: Command, env: NodeJS.ProcessEnv): Config {
  return loadConfig({ path: command.optsWithGlobals<{ config?: string }>().config, env });
}

/** A vendor named on the command line: from the config, else the catalog, else --url/--provider. */
function resolveVendor(
  config: Config,
  id: string,
  options: { url?: string; provider?: string },
): WatchedVendor {
  const configured = config.vendors.find((v) => v.id === id);
  if (configured && !options.url && !options.provider) return configured;
  const known = catalog.get(id);
  if (!configured && !known && !options.url) {
    throw new ConfigError(
      `unknown vendor "${id}": not in the config or the catalog; pass --url (and --provider)`,
    );
  }
  // Through the config parser, so catalog options and provider option checks apply here too.
  const entry = {
    id,
    name: configured?.name ?? known?.name ?? id,
    provider: options.provider ?? configured?.provider ?? known?.provider ?? 'statuspage',
    url: options.url ?? configured?.url ?? known?.url,
    ...(configured?.options ? { options: configured.options } : {}),
  };
  return parseConfig({ vendors: [entry], poll: {} }, {}, 'the command line').vendors[0]!;
}

function formatIncidents(incidents: VendorIncident[], limit: number): string {
  const rows = incidents
    .slice(0, limit)
    .map((i) => [
      i.startedAt.replace('T', ' ').slice(0, 16),
      i.resolvedAt ? 'resolved' : i.status,
      i.kind === 'maintenance' ? 'maint.' : i.impact,
      i.id,
      clip(i.title, 70),
    ]);
  return renderTable(['STARTED (UTC)', 'STATUS', 'IMPACT', 'ID', 'TITLE'], rows);
}

/**
 * The `upcause` program, printing through `io` and reading `io.env`. It never exits the process (bar
 * `start` on a signal): failures reject `parseAsync`; see reportFailure for the exit code.
 */
export function createProgram(io: CliIo): Command {
  const { env } = io;
  const { out: print } = linesOf(io);
  const program = new Command()
    .name('upcause')
    .description('Is it us or the vendor? Correlates vendor status pages with your own errors.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('-c, --config <path>', 'config file (default: UPCAUSE_CONFIG or ./upcause.yaml)')
    // Set before any subcommand is added: subcommands copy these settings when created.
    .configureOutput({ writeOut: (text) => io.writeOut(text), writeErr: (text) => io.writeErr(text) })
    .exitOverride()
    .showHelpAfterError();

  registerStartCommand(program, io);

  program
    .command('poll <vendor>')
    .description('poll one vendor now and print its normalized status and incidents (needs no Redis)')
    .option('--url <url>', 'status page base URL, for a vendor in neither the config nor the catalog')
    .option('--provider <id>', `platform of --url (${[...providers.keys()].join(', ')})`)
    .option('--limit <n>', 'incidents to list', (v) => Number.parseInt(v, 10), 20)
    .option('--json', 'print JSON')
    .action(
      async (
        id: string,
        options: { url?: string; provider?: string; limit: number; json?: boolean },
        command: Command,
      ) => {
        const config = configFrom(command, env);
        const vendor = resolveVendor(config, id, options);
        const http = httpClientFor(config);
        // Parsed as the worker does, under the same deadline: a hostile page fails as a parse error.
        const parsePool = parsePoolFor(config);
        try {
          const { result, latencyMs } = await fetchVendor(vendor, { http, providers, parsePool }, new Date());
          if (options.json) {
            print(
              JSON.stringify(
                { vendor: vendor.id, status: result.status, incidents: result.incidents },
                null,
                2,
              ),
            );
            return;
          }
          const status = result.status;
          print(
            `${vendor.name} (${vendor.url}) — ${status?.indicator ?? 'unknown'}${status?.description ? `: ${status.description}` : ''} [${Math.round(latencyMs)} ms]`,
          );
          const troubled = status?.components.filter((c) => c.status !== 'operational') ?? [];
          if (troubled.length) {
            print(
              `\n${renderTable(
                ['COMPONENT', 'GROUP', 'STATUS'],
                troubled.map((c) => [c.name, c.group ?? '', c.status]),
              )}`,
            );
          }
          const open = result.incidents.filter((i) => i.resolvedAt === null);
          print(`\n${result.incidents.length} incidents (${open.length} open), newest first:`);
          print(formatIncidents(result.incidents, options.limit));
        } finally {
          http.close();
          await parsePool.close();
        }
      },
    );

  program
    .command('partitions')
    .description(
      "show the ingest partitions (ingest.partitions): each one's error stream and Redis Cluster slot; " +
        'with --service (and --vendor), the stream an event of theirs goes to',
    )
    .option('--service <name>', 'a service as producers write it')
    .option('--vendor <name>', 'a vendor as producers write it (with --service)')
    .option('--json', 'print JSON')
    .action((options: { service?: string; vendor?: string; json?: boolean }, command: Command) => {
      const config = configFrom(command, env);
      const keys = keysOf(config);
      if (options.vendor !== undefined && options.service === undefined)
        command.error('error: --vendor needs --service (partitions are chosen by service and vendor)', {
          exitCode: 2,
        });
      const rows = keys.partitions.map((p) => ({
        partition: p.index,
        stream: p.errors,
        slot: keySlot(p.errors),
      }));
      const chosen =
        options.service === undefined ? null : keys.partitionOf(options.service, options.vendor).index;
      if (options.json) {
        print(JSON.stringify({ partitions: rows, ...(chosen === null ? {} : { chosen }) }, null, 2));
        return;
      }
      if (chosen !== null) {
        print(keys.partitions[chosen]!.errors);
        return;
      }
      print(
        renderTable(
          ['PARTITION', 'STREAM', 'SLOT'],
          rows.map((r) => [String(r.partition), r.stream, String(r.slot)]),
        ),
      );
    });

  program
    .command('vendors')
    .description('show each watched vendor: status, poll health and open incidents')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = configFrom(command, env);
      const redis = await connectRedis(config.redis, 'producer', 'upcause-cli');
      try {
        const store = createVendorStore(redis, keysOf(config));
        const views = await Promise.all(config.vendors.map((v) => store.view(v.id)));
        if (options.json) {
          print(JSON.stringify({ vendors: views }, null, 2));
          return;
        }
        const now = new Date();
        const rows = views.map((view) => [
          view.vendor,
          view.status.indicator,
          view.health.state,
          ago(view.health.lastSuccessAt, now),
          String(view.health.consecutiveFailures),
          view.health.latencyMs === null ? '' : `${view.health.latencyMs} ms`,
          view.openIncidents.map((i) => clip(i.title, 50)).join('; ') ||
            (view.health.state === 'ok' ? '' : clip(view.health.lastErrorMessage ?? '', 60)),
        ]);
        print(
          renderTable(
            ['VENDOR', 'STATUS', 'HEALTH', 'LAST OK', 'FAILS', 'LATENCY', 'OPEN INCIDENTS / LAST ERROR'],
            rows,
          ),
        );
      } finally {
        redis.disconnect();
      }
    });

  program
    .command('detect <url>')
    .description('find which status-page platform a URL runs on and print a ready vendor entry')
    .option('--json', 'print JSON')
    .action(async (url: string, options: { json?: boolean }, command: Command) => {
      const config = configFrom(command, env);
      const http = httpClientFor(config);
      try {
        const ctx = createDetectContext(http, url);
        const detections = await detectPlatform(ctx, providers.values());
        if (options.json) {
          const best = detections[0];
          print(
            JSON.stringify(
              { url: ctx.pageUrl, detections, entry: best ? vendorEntry(best, ctx.pageUrl) : null },
              null,
              2,
            ),
          );
        } else {
          print(formatDetections(ctx.pageUrl, detections));
        }
        if (detections.length === 0) throw new CliExit(1);
      } finally {
        http.close();
      }
    });

  program
    .command('catalog')
    .description('list the vendors that can be watched by id')
    .option('--search <term>', 'filter by id, name or URL')
    .option('--json', 'print JSON: { vendors: [catalog entry] }')
    .action((options: { search?: string; json?: boolean }) => {
      const term = options.search?.toLowerCase();
      const entries = [...catalog.values()].filter(
        (e) => !term || [e.id, e.name, e.url].some((f) => f.toLowerCase().includes(term)),
      );
      if (options.json) {
        print(JSON.stringify({ vendors: entries }, null, 2));
        return;
      }
      const rows = entries.map((e) => [e.id, e.name, e.provider, e.url]);
      print(renderTable(['ID', 'NAME', 'PLATFORM', 'STATUS PAGE'], rows));
    });

  const sinks = program
    .command('sinks')
    .description('annotation sinks: state, and re-enabling one that failed');

  sinks
    .command('status')
    .description('each configured sink and whether it was disabled, and why')
    .option('--json', 'print JSON: { sinks: [{ name, type, enabled, disabled }] }')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = configFrom(command, env);
      const redis = await connectRedis(config.redis, 'producer', 'upcause-cli');
      try {
        const states = await sinkStates(
          redis,
          keysOf(config),
          config.sinks.map((s) => s.name),
        );
        if (options.json) {
          const list = config.sinks.map((s) => {
            const disabled = states[s.name] ?? null;
            return { name: s.name, type: s.type, enabled: disabled === null, disabled };
          });
          print(JSON.stringify({ sinks: list }, null, 2));
          return;
        }
        const rows = config.sinks.map((s) => {
          const state = states[s.name];
          if (!state) return [s.name, s.type, 'enabled'];
          const why = state.reason ?? `after ${state.failures} consecutive failed delivery attempts`;
          return [s.name, s.type, `disabled since ${state.since}: ${why}; last error: ${state.lastError}`];
        });
        print(
          rows.length
            ? renderTable(['SINK', 'TYPE', 'STATE'], rows)
            : 'no sinks configured (see `sinks:` in upcause.yaml)',
        );
      } finally {
        redis.disconnect();
      }
    });

  sinks
    .command('enable <name>')
    .description('re-enable a disabled sink and retry its failed deliveries')
    .option('--json', 'print JSON: { sink, wasDisabled, retried }')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      const config = configFrom(command, env);
      if (!config.sinks.some((s) => s.name === name)) {
        throw new ConfigError(
          `no sink named "${name}" (configured: ${config.sinks.map((s) => s.name).join(', ') || 'none'})`,
        );
      }
      const redis = await connectRedis(config.redis, 'producer', 'upcause-cli');
      const keys = keysOf(config);
      const queue = new Queue(jobCatalog.deliver.queue, { connection: redis, prefix: keys.bull });
      try {
        const { wasDisabled, retried } = await enableSink({ redis, keys, queue }, name);
        if (options.json) {
          print(JSON.stringify({ sink: name, wasDisabled, retried }, null, 2));
          return;
        }
        print(
          `${name}: ${wasDisabled ? 're-enabled' : 'was not disabled'}; ${retried} failed deliveries queued again`,
        );
      } finally {
        await queue.close();
        redis.disconnect();
      }
    });

  registerCheckCommand(program, io);
  registerSuspectsCommand(program, io);
  registerDigestCommand(program, io);
  registerDeadLettersCommand(program, io);
  registerReplayCommand(program, io);
  registerBacktestCommand(program, io);
  return program;
}

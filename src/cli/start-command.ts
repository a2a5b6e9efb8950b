import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { roles, startApp, type Role } from '../app.js';
import { configEnvVars } from '../config.js';
import { ensureLocalRedis } from '../embedded-redis.js';
import { createLogger } from '../logger.js';
import { configFrom } from './program.js';
import type { CliIo } from './io.js';
import { superviseChild, type Supervisor } from './supervise.js';

function parseRoles(value: string): Role[] {
  const list = value.split(',').map((r) => r.trim());
  for (const role of list) {
    if (!(roles as readonly string[]).includes(role)) {
      throw new InvalidArgumentError(
        `"${role}" is not a role; expected a comma-separated list of ${roles.join(', ')}`,
      );
    }
  }
  return list as Role[];
}

/** This CLI's entry script (main.ts from source, main.js when built), for forking the worker role. */
function cliEntry(): string {
  const self = fileURLToPath(import.meta.url);
  return path.join(path.dirname(self), `main${path.extname(self)}`);
}

interface StartOptions {
  role: Role[];
  singleProcess?: boolean;
  supervised?: boolean;
}

/**
 * `upcause start`: runs the API, the workers and the scheduler. With the worker role and another one,
 * the workers run in a supervised child process by default, so parsing a burst of changed vendor pages
 * never holds up the API's answers; `--single-process` keeps every role in this process.
 */
export function registerStartCommand(program: Command, io: CliIo): void {
  const { env } = io;
  program
    .command('start')
    .description('run the API, the poll workers and the scheduler')
    .addOption(
      new Option('--role <roles>', `roles to run here: ${roles.join(', ')}`)
        .argParser(parseRoles)
        .default([...roles]),
    )
    .option('--single-process', 'run the worker role in this process instead of a supervised child')
    // Set on the child the supervisor forks: it stops when its parent goes away.
    .addOption(new Option('--supervised').hideHelp())
    .addHelpText('after', `\nEnvironment overrides:\n  ${configEnvVars.join('\n  ')}`)
    .action(async (options: StartOptions, command: Command) => {
      let config = configFrom(command, env);
      const logger = createLogger(config.log.level);
      const wanted = new Set(options.role);
      const split = wanted.has('worker') && wanted.size > 1 && !options.singleProcess;
      const here = new Set([...wanted].filter((role) => !split || role !== 'worker'));
      logger.info(
        {
          config: config.source,
          vendors: config.vendors.map((v) => v.id),
          roles: [...here],
          ...(split ? { childRoles: ['worker'] } : {}),
        },
        'starting upcause',
      );
      // Signals during start-up are held and acted on once every role is up, so none is left half-started.
      let stop: ((signal: NodeJS.Signals | 'parent gone', exitCode?: number) => Promise<void>) | null = null;
      let held: NodeJS.Signals | 'parent gone' | null = null;
      const onSignal = (signal: NodeJS.Signals | 'parent gone') => {
        if (stop) void stop(signal);
        else held ??= signal;
      };
      process.on('SIGINT', () => onSignal('SIGINT'));
      process.on('SIGTERM', () => onSignal('SIGTERM'));
      if (options.supervised) process.once('disconnect', () => onSignal('parent gone'));

      // A configured cluster is never replaced by a local Redis.
      const embedded = config.redis.cluster
        ? null
        : await ensureLocalRedis({
            url: config.redis.url,
            explicitUrl: Boolean(env.REDIS_URL),
            dataDir: '.data',
            pathEnv: env.PATH,
            logger,
          });
      if (embedded) config = { ...config, redis: { ...config.redis, url: embedded.url } };
      const app = await startApp(config, here, logger);
      let stopping = false;
      let worker: Supervisor | null = null;
      stop = async (signal, exitCode = 0) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        const [, childCode] = await Promise.all([
          app.close(10_000),
          worker?.stop(signal === 'parent gone' ? 'SIGTERM' : signal) ?? 0,
        ]);
        await embedded?.stop();
        process.exit(exitCode || childCode);
      };
      if (held) return stop(held);
      if (split) {
        const globalConfig = command.optsWithGlobals<{ config?: string }>().config;
        worker = superviseChild({
          script: cliEntry(),
          args: [
            ...(globalConfig ? ['--config', path.resolve(globalConfig)] : []),
            'start',
            '--role',
            'worker',
            '--supervised',
          ],
          execArgv: process.execArgv,
          // The child finds the Redis this process found (or started), never starts one of its own.
          env: { ...env, REDIS_URL: config.redis.url },
          logger,
          writeOut: io.writeOut,
          writeErr: io.writeErr,
          onGiveUp: (code) => void stop?.('SIGTERM', code),
        });
        // The child's own loops are its business; here, ready means it is running (not between restarts).
        app.addReadinessProbe({
          name: 'worker',
          check: () => (worker?.pid() ? null : 'the worker process is not running (it is being restarted)'),
        });
      }
    });
}

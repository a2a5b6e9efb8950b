import { InvalidArgumentError, Option, type Command } from 'commander';
import { roles, startApp, type Role } from '../app.js';
import { configEnvVars } from '../config.js';
import { ensureLocalRedis } from '../embedded-redis.js';
import { createLogger } from '../logger.js';
import { configFrom } from './program.js';
import type { CliIo } from './io.js';

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

/** `upcause start`: runs the API, the workers and the scheduler. */
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
    .addHelpText('after', `\nEnvironment overrides:\n  ${configEnvVars.join('\n  ')}`)
    .action(async (options: { role: Role[] }, command: Command) => {
      let config = configFrom(command, env);
      const logger = createLogger(config.log.level);
      logger.info(
        { config: config.source, vendors: config.vendors.map((v) => v.id), roles: options.role },
        'starting upcause',
      );
      const embedded = await ensureLocalRedis({
        url: config.redis.url,
        explicitUrl: Boolean(env.REDIS_URL),
        dataDir: '.data',
        pathEnv: env.PATH,
        logger,
      });
      if (embedded) config = { ...config, redis: { ...config.redis, url: embedded.url } };
      const app = await startApp(config, new Set(options.role), logger);
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        await app.close(10_000);
        await embedded?.stop();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });
}

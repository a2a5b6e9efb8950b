import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from './logger.js';

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function isListening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const noRedisHelp = [
  'upcause needs Redis, and nothing answers on 127.0.0.1:6379. Either:',
  '  • docker compose up -d redis',
  '  • or install it from your OS packages (apt-get install redis-server / brew install redis) and run it,',
  'or point REDIS_URL at a Redis you already have.',
].join('\n');

/** Finds an executable on PATH. */
export function findOnPath(binary: string, pathEnv: string | undefined): string | null {
  for (const dir of (pathEnv ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export interface EmbeddedRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * Makes `npm start` work on a fresh machine: when the default local Redis is absent but a
 * `redis-server` binary is installed, run one on loopback with its data under `dataDir`.
 * Returns null when a Redis already answers; throws with the two ways to get one otherwise.
 */
export async function ensureLocalRedis(options: {
  url: string;
  explicitUrl: boolean;
  dataDir: string;
  pathEnv: string | undefined;
  logger: Logger;
}): Promise<EmbeddedRedis | null> {
  const parsed = new URL(options.url);
  const host = parsed.hostname === 'localhost' ? '127.0.0.1' : parsed.hostname;
  const port = Number(parsed.port || 6379);
  if (await isListening(host, port)) return null;
  const local = host === '127.0.0.1' || host === '::1' || host === '[::1]';
  const binary = local && !options.explicitUrl ? findOnPath('redis-server', options.pathEnv) : null;
  if (!binary) {
    throw new Error(
      options.explicitUrl ? `nothing answers at ${parsed.host} (REDIS_URL / redis.url)` : noRedisHelp,
    );
  }
  mkdirSync(options.dataDir, { recursive: true });
  const child: ChildProcess = spawn(
    binary,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      path.resolve(options.dataDir),
      '--appendonly',
      'yes',
      '--save',
      '',
      '--protected-mode',
      'yes',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 50; i += 1) {
    if (child.exitCode !== null)
      throw new Error(`redis-server exited with code ${child.exitCode}\n${noRedisHelp}`);
    if (await isListening('127.0.0.1', port, 200)) {
      options.logger.info(
        { binary, port, dataDir: options.dataDir },
        `no Redis was running: started ${binary} on 127.0.0.1:${port}, data in ${options.dataDir}`,
      );
      return {
        url: `redis://127.0.0.1:${port}`,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start listening on 127.0.0.1:${port}`);
}

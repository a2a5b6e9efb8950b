import { fork, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import type { Logger } from '../logger.js';

/** Exit codes a restart cannot cure (2: a usage or config error); the supervisor gives up on them. */
const permanentExitCodes = new Set([2]);

export interface SupervisorOptions {
  /** The script to fork (the CLI's entry) and its arguments. */
  script: string;
  args: string[];
  /** Node's own flags for the child (`--import tsx` when running from source). */
  execArgv: string[];
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Lines the child prints, passed through whole so its JSON logs never interleave mid-line. */
  writeOut(line: string): void;
  writeErr(line: string): void;
  /** Called once when the child exits with a code a restart cannot cure. */
  onGiveUp(code: number): void;
  /** First restart delay; doubles on each quick death, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A child that lived this long resets the backoff. */
  stableMs?: number;
  /** How long `stop` waits for the child before killing it. */
  stopDeadlineMs?: number;
}

export interface Supervisor {
  /** The running child's pid, or null between restarts. */
  pid(): number | null;
  /** Forwards `signal`, waits for the child to exit (killing it after the deadline) and returns its exit code. */
  stop(signal: NodeJS.Signals): Promise<number>;
}

/**
 * Runs a child process and keeps it running: restarted with exponential backoff when it dies, stopped
 * with the signal the parent got. Used to run the poll workers apart from the API, so a burst of
 * changed vendor pages parses on another event loop than the one answering requests.
 */
export function superviseChild(options: SupervisorOptions): Supervisor {
  const { logger } = options;
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const stableMs = options.stableMs ?? 60_000;
  const stopDeadlineMs = options.stopDeadlineMs ?? 15_000;
  let child: ChildProcess | null = null;
  let stopping = false;
  let delay = backoffMs;
  let restartTimer: NodeJS.Timeout | null = null;
  let exited: Promise<number> = Promise.resolve(0);

  function start(): void {
    restartTimer = null;
    const startedAt = Date.now();
    const current = fork(options.script, options.args, {
      execArgv: options.execArgv,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child = current;
    createInterface({ input: current.stdout! }).on('line', (line) => options.writeOut(`${line}\n`));
    createInterface({ input: current.stderr! }).on('line', (line) => options.writeErr(`${line}\n`));
    logger.info({ pid: current.pid, args: options.args }, 'worker process started');
    exited = new Promise<number>((resolve) => {
      current.once('exit', (code, signal) => {
        child = null;
        const exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1);
        resolve(exitCode);
        if (stopping) return;
        if (code !== null && permanentExitCodes.has(code)) {
          logger.error({ pid: current.pid, code }, 'worker process failed for good; stopping');
          options.onGiveUp(code);
          return;
        }
        if (Date.now() - startedAt >= stableMs) delay = backoffMs;
        logger.warn(
          { pid: current.pid, code, signal, restartInMs: delay },
          'worker process exited; restarting',
        );
        restartTimer = setTimeout(start, delay);
        delay = Math.min(delay * 2, maxBackoffMs);
      });
    });
    current.on('error', (error) => logger.error({ err: error }, 'worker process error'));
  }

  start();

  return {
    pid: () => child?.pid ?? null,
    async stop(signal) {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const current = child;
      if (!current) return exited;
      current.kill(signal);
      const deadline = setTimeout(() => {
        logger.warn({ pid: current.pid, stopDeadlineMs }, 'worker process did not stop in time; killing it');
        current.kill('SIGKILL');
      }, stopDeadlineMs);
      const code = await exited;
      clearTimeout(deadline);
      return code;
    },
  };
}

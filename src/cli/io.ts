import { CommanderError } from 'commander';
import { ConfigError, FetchError } from '../core/errors.js';
import { describeRedisError, isRedisFailure } from '../store/redis-errors.js';

/**
 * What the CLI sees of its process: the environment and the two output streams. The binary binds
 * it to the real process; tests run the same program in-process against buffers.
 */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  /** Writes to standard output as is: callers end their lines. */
  writeOut(text: string): void;
  /** Writes to standard error as is: callers end their lines. */
  writeErr(text: string): void;
}

/** Ends a command with a non-zero exit code once it has printed what it had to say. */
export class CliExit extends Error {
  override readonly name = 'CliExit';

  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Prints why a command failed, unless that was printed already, and returns its exit code. */
export function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof CliExit) return error.code;
  // Commander printed its own message (usage errors, --help) through the program's output.
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof ConfigError) {
    io.writeErr(`upcause: ${error.message}\n`);
    return 2;
  }
  if (error instanceof FetchError) {
    io.writeErr(`upcause: ${error.kind} error: ${error.message}\n`);
    return 1;
  }
  // A Redis connection that failed mid-command: our words, not ioredis's.
  if (isRedisFailure(error)) {
    io.writeErr(`upcause: ${describeRedisError(error).message}\n`);
    return 1;
  }
  io.writeErr(`upcause: ${(error as Error)?.message ?? String(error)}\n`);
  return 1;
}

/** Line printers over an io, as console.log / console.error print. */
export function linesOf(io: CliIo): { out(text: string): void; err(text: string): void } {
  return { out: (text) => io.writeOut(`${text}\n`), err: (text) => io.writeErr(`${text}\n`) };
}

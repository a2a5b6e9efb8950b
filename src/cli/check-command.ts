import type { Command } from 'commander';
import type { CliIo } from './io.js';

/** `upcause check`: is a vendor at fault right now (or at a time)? */
export function registerCheckCommand(_program: Command, _io: CliIo): void {
  // Filled in by the support-check work.
}

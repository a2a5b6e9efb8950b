import type { Command } from 'commander';
import type { CliIo } from './io.js';

/** `upcause suspects`: open and recent suspected vendor issues with acknowledgment lag. */
export function registerSuspectsCommand(_program: Command, _io: CliIo): void {
  // Filled in by the support-check work.
}

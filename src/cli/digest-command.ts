import type { Command } from 'commander';
import type { CliIo } from './io.js';

/** `upcause digest`: renders the vendor-risk digest of any past period from stored data. */
export function registerDigestCommand(_program: Command, _io: CliIo): void {}

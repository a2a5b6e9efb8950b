#!/usr/bin/env node
import { Command } from 'commander';
import { registerReplayCommand } from '../cli/replay-command.js';

// `upcause replay` on its own, until src/cli/main.ts registers the command: same arguments, same output.
const program = new Command().name('upcause').showHelpAfterError();
registerReplayCommand(program);
program.parseAsync().catch((error: unknown) => {
  console.error(`upcause: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

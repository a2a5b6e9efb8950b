import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatReplay } from '../replay/format.js';
import { replayScenarioAsync } from '../replay/run.js';
import { parseScenarioText, ScenarioError } from '../replay/scenario.js';
import { CliExit, linesOf, type CliIo } from './io.js';

/** Adds `upcause replay <scenario.json> [--json] [--check]` to the program. */
export function registerReplayCommand(program: Command, io: CliIo): Command {
  const { out, err } = linesOf(io);
  return program
    .command('replay <scenario>')
    .description('replay a scenario file through the correlator on a simulated clock (no network, no Redis)')
    .option('--json', 'print the replay contract JSON: { incidents, suspected }')
    .option('--check', "exit 1 when the scenario's expect / suspectedExpected are not met")
    .action(async (file: string, options: { json?: boolean; check?: boolean }) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        err(`upcause: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        throw new CliExit(2);
      }
      try {
        const { scenario, warnings } = parseScenarioText(text, file);
        const output = await replayScenarioAsync(scenario);
        if (options.json) {
          for (const w of warnings) err(`upcause: warning: ${w}`);
          out(JSON.stringify(output, null, 2));
        } else {
          out(formatReplay(scenario, output, warnings));
        }
        if (options.check && output.expectations && !output.expectations.passed) throw new CliExit(1);
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        err(`upcause: ${file}: ${error.message}`);
        throw new CliExit(2);
      }
    });
}

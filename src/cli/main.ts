#!/usr/bin/env node
import { CliExit, reportFailure, type CliIo } from './io.js';
import { createProgram } from './program.js';

const io: CliIo = {
  env: process.env,
  writeOut: (text) => void process.stdout.write(text),
  writeErr: (text) => void process.stderr.write(text),
};

createProgram(io)
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const code = reportFailure(error, io);
    // A command that chose its exit code has finished cleanly: let pending output drain. A failure
    // may leave a connection retrying, so exit now.
    if (error instanceof CliExit) process.exitCode = code;
    else process.exit(code);
  });

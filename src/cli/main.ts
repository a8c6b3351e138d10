#!/usr/bin/env node
// rstscope command line: dispatches to a subcommand and turns every failure into one line + an exit code.
import { setFlagsFromString } from 'node:v8';
import { COMMANDS } from './commands/index.js';
import { describeError, UsageError } from './commands/command.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE } from './exit-codes.js';

const VERSION = '0.1.0';

// The old generation may grow to twice the live heap before a full GC (V8 lets a fast-allocating program
// grow it about 4x): peak RSS on the 5M-packet bench 1.07 GB -> 0.67 GB for the same wall time, the
// marking running on the other core (docs/performance.md). An explicit --heap-growing-percent wins.
if (!process.execArgv.some((a) => a.startsWith('--heap-growing-percent'))) setFlagsFromString('--heap-growing-percent=100');

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `rstscope ${VERSION} — who reset that TCP connection, and why?

Usage:
${COMMANDS.map((c) => `  rstscope ${c.name.padEnd(width)} ...   ${c.summary}`).join('\n')}
  rstscope help [COMMAND]
  rstscope --version

Run 'rstscope COMMAND --help' for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    process.stdout.write((topic ? topic.help : mainHelp()) + '\n');
    return EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`rstscope ${VERSION}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command '${name}' (try 'rstscope --help')`);
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`rstscope: ${e.message}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      process.stderr.write(`rstscope: internal error: ${describeError(e)} (please report it)\n`);
      process.exitCode = EXIT_INTERNAL;
    }
  },
);

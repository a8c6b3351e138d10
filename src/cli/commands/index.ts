// The subcommands, in the order the main help lists them (one line each).
import { analyze } from './analyze.js';
import type { Command } from './command.js';

export const COMMANDS: readonly Command[] = [
  analyze,
];

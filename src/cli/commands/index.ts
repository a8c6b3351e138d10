// The subcommands, in the order the main help lists them (one line each).
import { analyze } from './analyze.js';
import { locateCommand } from './locate.js';
import { diagram } from './diagram.js';
import type { Command } from './command.js';

export const COMMANDS: readonly Command[] = [
  analyze,
  diagram,
  locateCommand,
];

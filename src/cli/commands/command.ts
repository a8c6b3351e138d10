// What every subcommand provides, and the error helpers they share.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
import { CaptureFormatError } from '../../capture/source.js';

export interface Command {
  name: string;
  /** One line for the main help. */
  summary: string;
  /** The command's --help text. */
  help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** A command-line mistake: one line on stderr, exit code 2. */
export class UsageError extends Error {}

/** One line describing a failure to read a file (no stack trace). */
export function describeError(e: unknown): string {
  if (e instanceof CaptureFormatError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === 'ENOENT') return 'no such file';
  if (err && err.code === 'EACCES') return 'permission denied';
  if (err && err.code === 'EISDIR') return 'is a directory, not a capture file';
  return err && err.message ? err.message.split('\n')[0]! : String(e);
}

/** parseArgs with positionals, strict options and a one-line UsageError; null when --help was printed. */
export function parseCommandArgs<const O extends Options>(
  args: string[], options: O, help: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> | null {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(help + '\n');
    return null;
  }
  return parsed;
}

// What every subcommand provides, and the error helpers they share.
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

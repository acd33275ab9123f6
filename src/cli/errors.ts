import { CommanderError } from 'commander';
import { isUserError } from '../core/errors';
import { SweepFailedError } from './sweep';

/** A run that started and then failed: exit code 1, its reason in one line. */
export class RunFailedError extends Error {
  constructor(
    readonly runId: string,
    readonly cause: unknown,
  ) {
    super(`run ${runId} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'RunFailedError';
  }
}

/**
 * Reports an error on standard error and returns the exit code: 2 for bad input (commander's
 * usage errors, which it has already printed, and UserError), 1 for a failed run or a bug.
 * A stack trace is printed only with `verbose`.
 */
export function reportError(error: unknown, verbose: boolean): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (isUserError(error)) {
    process.stderr.write(`error: ${error.toString()}\n`);
    return 2;
  }

  if (error instanceof SweepFailedError) {
    process.stderr.write(`error: ${error.message}\n`);
    return 1;
  }
  const root = error instanceof RunFailedError ? error.cause : error;
  const message = error instanceof Error ? error.message : String(error);
  const expected = error instanceof RunFailedError && isUserError(root);
  if (verbose && !expected && root instanceof Error && root.stack)
    process.stderr.write(`error: ${message}\n${root.stack}\n`);
  else process.stderr.write(`error: ${message}${expected || verbose ? '' : HINT}\n`);
  return 1;
}

const HINT = ' (run again with --verbose to see where it happened)';

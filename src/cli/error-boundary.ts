/**
 * The one place errors become output and exit codes (anchors.md C.5 §3):
 * - UserError: message + suggestion (or the --json envelope), exit code by kind (shared/errors.ts);
 * - commander usage errors: exit 2 (usage); --help / --version: exit 0;
 * - Ctrl-C at a prompt (@inquirer's ExitPromptError) or an aborted operation: exit 130, no stack;
 * - anything else is a bug: "internal error" with how to report it, exit 1 (stack with --verbose).
 */
import { CommanderError } from 'commander';
import { EXIT_CODES, UserError } from '../../shared/errors.js';
import type { ErrorBody, OutputStream } from '../adapters/ui/output.js';

export interface BoundaryOptions {
  json: boolean;
  verbose: boolean;
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
}

export function isCancellation(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'ExitPromptError' || name === 'AbortError' || (error instanceof UserError && error.kind === 'aborted');
}

function toBody(error: unknown): { body: ErrorBody; exitCode: number; internal: boolean } {
  if (error instanceof UserError) return { body: error.toJSON(), exitCode: error.exitCode, internal: false };
  if (isCancellation(error)) {
    return { body: { code: 'CANCELLED', kind: 'aborted', message: 'Cancelled. Nothing was left half-written.' }, exitCode: EXIT_CODES.aborted, internal: false };
  }
  if (error instanceof CommanderError) {
    const message = error.message.replace(/^error:\s*/i, '');
    return { body: { code: 'USAGE', kind: 'usage', message, suggestion: 'Run `batch-snowflake --help` (or `batch-snowflake <command> --help`).' }, exitCode: EXIT_CODES.usage, internal: false };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    body: {
      code: 'INTERNAL',
      kind: 'internal',
      message: `Internal error: ${message}`,
      suggestion: 'This is a bug in batch-snowflake. Please report it with the output of `batch-snowflake --version` and of the same command run with --verbose (check it for private names first).',
    },
    exitCode: EXIT_CODES.internal,
    internal: true,
  };
}

/** Reports `error` and returns the exit code. Output is loaded lazily: the happy --help path never needs it. */
export async function reportError(error: unknown, options: BoundaryOptions): Promise<number> {
  if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')) return EXIT_CODES.ok;
  // `batch-snowflake` with no command: commander already printed the help on stderr.
  if (error instanceof CommanderError && error.code === 'commander.help') return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  const { body, exitCode, internal } = toBody(error);
  const { createOutput } = await import('../adapters/ui/output.js');
  const output = createOutput({ json: options.json, verbose: options.verbose, stdout: options.stdout, stderr: options.stderr, env: options.env });
  output.failure(body);
  if (options.verbose && (internal || error instanceof UserError) && error instanceof Error) {
    const cause = error.cause instanceof Error ? `\ncaused by: ${error.cause.stack ?? error.cause.message}` : '';
    options.stderr.write(`${error.stack ?? ''}${cause}\n`);
  }
  return exitCode;
}

/**
 * How the CLI shell declares commands and loads their handlers (the context they run with: src/runtime/context.ts).
 *
 * A command is declared in `src/cli/flags/<name>.ts` with `defineCommand()`: commander options only
 * (so `--help` stays fast), a zod schema built on first run, and the name of its implementation module
 * `src/commands/<name>.ts`, which exports
 *
 *   export async function run(options: <Name>Options, context: CommandContext): Promise<CommandOutcome>
 *
 * The implementation is imported lazily when the command runs. Until it exists the command fails with a
 * UserError (code COMMAND_NOT_AVAILABLE) instead of pretending to work.
 */
import type { Command } from 'commander';
import type { z } from 'zod';
import { UserError } from '../../shared/errors.js';
import type { CommandImplementation } from '../runtime/context.js';
import type { Zod } from '../runtime/option-parsers.js';

export interface CommandSpec<Schema extends z.ZodType = z.ZodType> {
  /** As typed after `batch-snowflake`; a space makes a subcommand (`image build`). */
  name: string;
  summary: string;
  /** Adds the command's own options and arguments. Only commander here: nothing heavy at startup. */
  configure(command: Command): Command;
  /** Validates the command's parsed options (camelCase, as commander gives them). */
  schema(zod: Zod): Schema;
}

export function defineCommand<Schema extends z.ZodType>(spec: CommandSpec<Schema>): CommandSpec<Schema> {
  return spec;
}

/** The handler module of a command: `image build` → src/commands/image-build.ts. */
export function implementationModule(name: string): string {
  return name.split(' ').join('-');
}

/** Imports `src/commands/<module>.ts` (compiled to dist/src/commands/<module>.js) and returns its run(). */
export async function loadImplementation(name: string): Promise<CommandImplementation<unknown>> {
  const moduleName = implementationModule(name);
  const specifier = `../commands/${moduleName}.js`;
  let module: { run?: unknown };
  try {
    module = (await import(specifier)) as { run?: unknown };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const missingItself = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes(`commands/${moduleName}.`);
    if (!missingItself) throw error;
    module = {};
  }
  if (typeof module.run !== 'function') {
    throw new UserError('internal', 'COMMAND_NOT_AVAILABLE', `\`batch-snowflake ${name}\` is not available in this build yet.`, {
      suggestion: 'Update batch-snowflake (npx batch-snowflake@latest) or run `batch-snowflake --help` for the commands that work.',
    });
  }
  return module.run as CommandImplementation<unknown>;
}

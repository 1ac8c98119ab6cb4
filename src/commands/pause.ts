/** `batch-snowflake pause`: ALTER TASK … SUSPEND, idempotent (see src/operate/task-toggle.ts). */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { PauseOptions } from './options.js';
import { toggleTask } from '../operate/task-toggle.js';

export async function run(options: PauseOptions, context: CommandContext): Promise<CommandOutcome> {
  return toggleTask('suspend', options.dryRun, context, options.sync);
}

/** `batch-snowflake pause`: ALTER TASK … SUSPEND, idempotent (see src/operate/task-toggle.ts); every sync without --sync (src/operate/toggle-all.ts). */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { PauseOptions } from './options.js';
import { toggleCommand } from '../operate/toggle-all.js';

export async function run(options: PauseOptions, context: CommandContext): Promise<CommandOutcome> {
  return toggleCommand('suspend', options.dryRun, context, options.sync);
}

/** `batch-snowflake resume`: ALTER TASK … RESUME, idempotent (see src/operate/task-toggle.ts); every sync without --sync (src/operate/toggle-all.ts). */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { ResumeOptions } from './options.js';
import { toggleCommand } from '../operate/toggle-all.js';

export async function run(options: ResumeOptions, context: CommandContext): Promise<CommandOutcome> {
  return toggleCommand('resume', options.dryRun, context, options.sync);
}

/** `batch-snowflake resume`: ALTER TASK … RESUME, idempotent (see src/operate/task-toggle.ts). */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { ResumeOptions } from './options.js';
import { toggleTask } from '../operate/task-toggle.js';

export async function run(options: ResumeOptions, context: CommandContext): Promise<CommandOutcome> {
  return toggleTask('resume', options.dryRun, context, options.sync);
}

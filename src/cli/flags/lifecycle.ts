/**
 * Commands that change an installed sync (issue 6): `pause`, `resume`, `uninstall`.
 * Implementations: src/commands/pause.ts, resume.ts, uninstall.ts (see command-spec.ts for the contract).
 */
import { defineCommand } from '../command-spec.js';
import { pauseSchema, resumeSchema, uninstallSchema } from '../../commands/options.js';

export const pauseCommand = defineCommand({
  name: 'pause',
  summary: 'Suspend the sync task (ALTER TASK ... SUSPEND)',
  schema: pauseSchema,
  configure: (command) => command
      .option('--sync <NAME>', 'the sync of a project of several (default: every sync, then a table)').option('--dry-run', 'print the SQL, change nothing'),
});

export const resumeCommand = defineCommand({
  name: 'resume',
  summary: 'Resume the sync task (ALTER TASK ... RESUME)',
  schema: resumeSchema,
  configure: (command) => command
      .option('--sync <NAME>', 'the sync of a project of several (default: every sync, then a table)').option('--dry-run', 'print the SQL, change nothing'),
});

export const uninstallCommand = defineCommand({
  name: 'uninstall',
  summary: 'Drop exactly what init created (confirmed); keeps your view and data',
  schema: uninstallSchema,
  configure: (command) =>
    command
      .option('--sync <NAME>', 'the sync of a project of several (default: the only one)')
      .option('--dry-run', 'print the DROP statements, change nothing')
      .option('--force', 'also when the outbox holds captured changes not yet sent to Batch (they are lost)')
      .option('--disable-change-tracking', 'also turn off the change tracking init turned on (kept by default)')
      .option('--remove-local-images', "also remove this machine's docker tags of the worker image (listed and kept by default; asked on a terminal)"),
});

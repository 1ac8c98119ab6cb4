/**
 * Commands that operate an installed sync (issue 6): `status`, `run`, `logs`.
 * Implementations: src/commands/status.ts, run.ts, logs.ts (see command-spec.ts for the contract).
 */
import { Option } from 'commander';
import { defineCommand } from '../command-spec.js';
import { statusSchema, runSchema, logsSchema } from '../../commands/options.js';

export const statusCommand = defineCommand({
  name: 'status',
  summary: 'Show whether the sync is healthy: task state, last runs, pending changes, rejected attributes',
  schema: statusSchema,
  configure: (command) => command.addOption(new Option('--runs <N>', 'how many recent runs to show').default(10)),
});

export const runCommand = defineCommand({
  name: 'run',
  summary: 'Run the sync task now (EXECUTE TASK) and wait for its result',
  schema: runSchema,
  configure: (command) =>
    command.option('--no-wait', 'return as soon as the run is started').addOption(new Option('--timeout <SECONDS>', 'how long to wait for the run').default(900)),
});

export const logsCommand = defineCommand({
  name: 'logs',
  summary: "Show the sync job's container logs for the last (or a chosen) run",
  schema: logsSchema,
  configure: (command) => command.option('--run <RUN_ID>', 'run to show (default: the last one)').addOption(new Option('--lines <N>', 'last N lines').default(200)),
});

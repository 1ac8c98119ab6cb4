/**
 * Commands that operate an installed sync (issue 6): `status`, `run`, `logs`.
 * Implementations: src/commands/status.ts, run.ts, logs.ts (see command-spec.ts for the contract).
 */
import { Option } from 'commander';
import { defineCommand } from '../command-spec.js';
import { statusSchema, runSchema, logsSchema, syncSchema, verifySchema } from '../../commands/options.js';
import { refuseSecretFlag } from '../global-options.js';

export const statusCommand = defineCommand({
  name: 'status',
  summary: 'Show whether the sync is healthy: task state, last runs, pending changes, rejected attributes',
  schema: statusSchema,
  configure: (command) => command
      .option('--sync <NAME>', 'the sync of a project of several (default: the only one)').addOption(new Option('--runs <N>', 'how many recent runs to show').default(10))
      .option('--cost', 'actual credits of the last 7 days from SNOWFLAKE.ACCOUNT_USAGE (needs IMPORTED PRIVILEGES on SNOWFLAKE; else the estimate)'),
});

export const runCommand = defineCommand({
  name: 'run',
  summary: 'Run the sync task now (EXECUTE TASK) and wait for its result; or send only a few profiles now (--limit, --ids)',
  schema: runSchema,
  configure: (command) =>
    refuseSecretFlag(command, '--rest-api-key', 'BATCH_REST_API_KEY')
      .option('--sync <NAME>', 'the sync of a project of several (default: each sync in turn, then a table)')
      .option('--no-wait', 'return as soon as the run is started')
      .option('--resync', 're-send every row of the view (mass-update), e.g. after a data loss in Batch; queued while the sync is paused')
      .addOption(new Option('--timeout <SECONDS>', 'how long to wait for the run').default(900))
      .option('--limit <N>', 'send only the first N pending changes now (1-200), each with Batch\'s answer; the rest stays for the schedule')
      .option('--ids <A,B,C>', 'send only these IDs now (values of the ID column); the rest stays for the schedule')
      .option('--rest-api-key-stdin', 'with --limit/--ids: read the Batch REST API key from stdin (instead of env BATCH_REST_API_KEY)'),
});

export const verifyCommand = defineCommand({
  name: 'verify',
  summary: 'Compare N profiles of the view with what Batch holds (profile export API); exit 14 on a mismatch',
  schema: verifySchema,
  configure: (command) =>
    refuseSecretFlag(command, '--rest-api-key', 'BATCH_REST_API_KEY')
      .option('--sync <NAME>', 'the sync of a project of several (default: every profile sync)')
      .addOption(new Option('--sample <N>', 'how many IDs of the view to compare (1-1000)').default('10'))
      .addOption(new Option('--timeout <SECONDS>', 'how long to wait for Batch\'s export').default(600))
      .option('--rest-api-key-stdin', 'read the Batch REST API key from stdin (instead of env BATCH_REST_API_KEY)'),
});

export const logsCommand = defineCommand({
  name: 'logs',
  summary: "Show the sync job's container logs for the last (or a chosen) run",
  schema: logsSchema,
  configure: (command) => command
      .option('--sync <NAME>', 'the sync of a project of several (default: the last run of each sync)').option('--run <RUN_ID>', 'run to show (default: the last one)').addOption(new Option('--lines <N>', 'last N lines').default(200)),
});

export const syncCommand = defineCommand({
  name: 'sync',
  summary: 'Run the sync once from here (installs with --runner external: for cron, CI, Kubernetes)',
  schema: syncSchema,
  configure: (command) =>
    refuseSecretFlag(command, '--rest-api-key', 'BATCH_REST_API_KEY')
      .option('--sync <NAME>', 'the sync of a project of several (default: the only one)')
      .option('--rest-api-key-stdin', 'read the Batch REST API key from stdin (instead of env BATCH_REST_API_KEY)')
      .option('--dry-run', 'build the payloads of the pending changes; send, write and consume nothing'),
});

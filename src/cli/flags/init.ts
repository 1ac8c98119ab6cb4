/**
 * `batch-snowflake init`: the setup wizard (issue 5). Flag names are fixed by the issue so scripts and docs
 * can rely on them; every prompt of the wizard has one of these flags. The Batch REST API key is never a
 * flag value (env BATCH_REST_API_KEY, stdin or the hidden prompt). Implementation: src/commands/init.ts.
 */
import { Option } from 'commander';
import { defineCommand } from '../command-spec.js';
import { refuseSecretFlag } from '../global-options.js';
import { initSchema } from '../../wizard/init-options.js';

export const initCommand = defineCommand({
  name: 'init',
  summary: 'Set up (or reconfigure) the sync from a Snowflake view to Batch profiles',
  schema: initSchema,
  configure: (command) =>
    refuseSecretFlag(refuseSecretFlag(command, '--rest-api-key', 'BATCH_REST_API_KEY'), '--alert-webhook-url', 'BATCH_ALERT_WEBHOOK_URL')
      .option('--dry-run', 'print the SQL and docker commands, then exit; changes nothing')
      .option('--sync <NAME>', 'the sync to set up: added when the project has none of that name, reconfigured otherwise (default: default, or the only one)')
      .option('--remove-sync <NAME>', 'remove one sync (its stream, task, marker and outbox); the other syncs are untouched')
      .option('--offline', 'with --dry-run: never connect, even when a connection is configured (plans as for an empty account)')
      .option('--view <DB.SCHEMA.VIEW>', 'existing view to sync')
      .option('--view-sql <FILE>', 'a SELECT (in FILE) that becomes the view; needs --view-name')
      .option('--view-name <NAME>', 'name of the view created from --view-sql')
      .option('--id-column <COLUMN>', 'column holding the Batch custom ID (unique, not null)')
      .option('--allow-duplicate-ids', 'accept an ID column with repeated values (rows sharing an ID overwrite each other: last write wins)')
      .option('--allow-null-ids', 'accept an ID column that is NULL on more than 1 % of the rows (those rows never sync)')
      .addOption(new Option('--kind <kind>', 'what the sync sends: profile (view rows → profile attributes, default) or event (one row = one Batch event)').choices(['profile', 'event']))
      .option('--event-name-column <COLUMN>', 'event sync: column holding the event name ([a-z0-9_], ≤ 30)')
      .option('--event-name <NAME>', 'event sync: one constant event name for every row, instead of --event-name-column')
      .option('--event-time-column <COLUMN>', 'event sync: DATE/TIMESTAMP column of when the event happened (Batch keeps the last 24 h)')
      .option('--event-attribute-columns <a,b>', 'event sync: columns sent as event attributes (default: all the others)')
      .option('--label-column <COLUMN>', 'event sync: column sent as the event $label')
      .option('--tags-column <COLUMN>', 'event sync: ARRAY column sent as the event $tags')
      .option('--date-columns <a,b>', 'columns sent as date(...) attributes (comma-separated)')
      .option('--url-columns <c,d>', 'columns sent as url(...) attributes (comma-separated)')
      .option('--project-key <KEY>', 'Batch project key (the REST API key comes from env BATCH_REST_API_KEY, stdin or a prompt)')
      .option('--target <DB.SCHEMA>', 'database.schema for the integration objects')
      .option('--compute-pool <NAME>', 'compute pool to reuse or create')
      .option('--image-repository <NAME>', 'image repository to reuse or create')
      .option('--schedule <WHEN>', 'how the sync starts: an interval ("60 MINUTE", default) or "USING CRON … TZ" (a scheduled task), triggered (a task run when the stream has data) or continuous (a long-running service); latency and cost of each: README "Schedule modes"')
      .addOption(new Option('--runner <where>', 'where the sync runs: spcs (a Snowflake task runs the worker image) or external (your scheduler runs `batch-snowflake sync`; no SPCS needed)').choices(['spcs', 'external']))
      .addOption(new Option('--credentials <where>', 'where the Batch credentials live: secret (SPCS), table, or none (external: env BATCH_REST_API_KEY at each run)').choices(['secret', 'table', 'none']))
      .option('--initial-sync', 'send the existing rows on the first run (default)')
      .option('--no-initial-sync', 'send only changes made after setup')
      .option('--skip-image', 'do not build and push the worker image')
      .option('--image-tag <TAG>', 'tag of the worker image to build or use')
      .option('--base-image <IMAGE>', 'Node base image the worker image is built from (default node:20-slim; env BATCH_SNOWFLAKE_BASE_IMAGE)')
      .option('--rest-api-key-stdin', 'read the Batch REST API key from stdin (instead of env BATCH_REST_API_KEY or the prompt)')
      .option('--run-now', 'run the sync once right after setup')
      .option('--resync', 'after a mapping change, re-send every row of the view on the next run (default)')
      .option('--no-resync', 'after a mapping change, do not re-send: profiles keep what they hold until their row changes')
      .option('--unset-removed', 'columns removed from the mapping: unset their attributes in Batch (send null) during the resync')
      .option('--keep-removed', 'columns removed from the mapping: keep their attributes in Batch (the default without a terminal, with a warning)')
      .option('--first-send <N>', 'send N profiles now (1-200, each with Batch\'s answer and a link), then resume the task for the rest')
      .option('--alert-email <ADDRESS>', 'send alerts (run failed, rejects, no success, stream going stale) to this email: a verified address of a user of the Snowflake account')
      .option('--alert-webhook', 'send alerts to a Slack, Microsoft Teams or PagerDuty webhook; its URL holds a secret, so it comes from env BATCH_ALERT_WEBHOOK_URL or a hidden prompt')
      .option('--alert-reject-percent <N>', 'alert when a run rejects more than N % of its rows/attributes (default 5)')
      .option('--alert-stale-hours <N>', 'alert when no run succeeded for N hours (default 24)')
      .option('--admin-script <FILE>', 'when privileges are missing: write the GRANTs to FILE for an admin, then stop')
      .option('--admin-role <ROLE>', 'when privileges are missing: run the GRANTs under this role (one you have)')
      .option('--batch-api-url <URL>', "Batch's API base URL the preflight, the network rule and the worker use (default https://api.batch.com; http://127.0.0.1:PORT for the local sandbox)")
      .addOption(new Option('--null-policy <policy>', 'NULL/empty values: omit them (skip, default) or delete the attribute in Batch (delete)').choices(['skip', 'delete']))
      .addOption(new Option('--delete-policy <policy>', 'rows deleted from the view: ignore (default) or unset their mapped attributes').choices(['ignore', 'unset']))
      .addOption(new Option('--endpoint <endpoint>', 'auto (default: mass-update for backfills and large backlogs), update or mass-update').choices(['auto', 'update', 'mass-update']))
      .option('--mass-update-threshold <N>', 'pending changes from which auto uses mass-update (worker default 10000)')
      .option('--mass-update-rate <N>', 'mass-update pacing in updates/s (worker default 10000)')
      .option('--rate <N>', '/profiles/update pacing in updates/s (worker default 300)')
      .option('--burst <N>', '/profiles/update burst (worker default 1000)')
      .option('--concurrency <N>', 'Batch requests in flight (worker default 4, at most 64)'),
});

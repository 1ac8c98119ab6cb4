/** The worker's arguments (node:util parseArgs spec), its --help text, and log-safe views of options. */
import type { SnowflakeConnectionOptions } from '../shared/snowflake/types.js';
import type { WorkerOptions } from './options-types.js';
import { EVENT_OPTION_SPEC, EVENT_USAGE } from './options-events.js';
import { REDACTED } from './secret.js';

export const OPTION_SPEC = {
  'project-key': { type: 'string' },
  'source-stream': { type: 'string' },
  'id-column': { type: 'string' },
  'date-columns': { type: 'string' },
  'url-columns': { type: 'string' },
  'api-credentials-table': { type: 'string' },
  'null-policy': { type: 'string' },
  'delete-policy': { type: 'string' },
  endpoint: { type: 'string' },
  'mass-update-threshold': { type: 'string' },
  'mass-update-rate': { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  burst: { type: 'string' },
  'dry-run': { type: 'boolean' },
  limit: { type: 'string' },
  'only-ids': { type: 'string' },
  'state-schema': { type: 'string' },
  'sync-name': { type: 'string' },
  'pending-marker': { type: 'boolean' },
  'loop-interval-seconds': { type: 'string' },
  connection: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
  ...EVENT_OPTION_SPEC,
} as const;

export const WORKER_USAGE = `batch-snowflake worker: sends the changes of a Snowflake stream to Batch profiles.

Required (same arguments as Batch's Snowpark sync job):
  --project-key KEY              Batch project key (Settings → General)
  --source-stream DB.SCHEMA.S    stream on the view to sync
  --id-column COL                column holding the Batch custom_id
  --date-columns A,B             columns sent as date(name) (comma-separated, may be empty)
  --url-columns A,B              columns sent as url(name) (comma-separated, may be empty)
  --api-credentials-table T      table with PROJECT_KEY, REST_API_KEY columns
                                 (or env BATCH_REST_API_KEY, e.g. from an SPCS secret)
Options:
  --null-policy skip|delete      NULL/empty values: omit (default) or delete the attribute in Batch
  --delete-policy ignore|unset   DELETE change rows: ignore (default) or unset the mapped attributes
  --endpoint auto|update|mass-update
                                 auto (default): mass-update for backfills and large backlogs
  --mass-update-threshold N      pending changes from which auto uses mass-update (default 10000)
  --mass-update-rate N           mass-update pacing, updates/s (default 10000)
  --rate N --burst N             /profiles/update pacing, updates/s and burst (default 300, 1000)
  --concurrency N                requests in flight (default 4, max 64)
  --state-schema DB.SCHEMA       where the outbox/runs/rejected tables live (default: the stream's schema)
  --sync-name NAME               the sync of a project of several: its own outbox and marker (default: default)
  --pending-marker               keep the BATCH_SYNC_PENDING marker in the state schema (a row while the
                                 outbox may hold changes; the task's WHEN checks its stream so they are retried)
  --loop-interval-seconds N      keep running (a long-running SPCS service): every N seconds (1-3600) check the
                                 stream (and the marker) with SYSTEM$STREAM_HAS_DATA and run when it has data
  --dry-run                      build the payloads, send and record nothing
  --limit N                      capture as usual, send only the first N pending changes (1-200), one
                                 request each; the others stay in the outbox for the next run
  --only-ids A,B                 the same for these IDs only (comma-separated, at most 200)
  -c, --connection NAME          outside SPCS: connection from ~/.snowflake/connections.toml or config.toml
${EVENT_USAGE}
Environment:
  SNOWFLAKE_ROLE, BATCH_REST_API_KEY, BATCH_API_URL (default https://api.batch.com)
  In SPCS: SNOWFLAKE_HOST, SNOWFLAKE_ACCOUNT, SNOWFLAKE_DATABASE, SNOWFLAKE_SCHEMA and the session token
  (optional SNOWFLAKE_PROTOCOL, SNOWFLAKE_PORT); outside: SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER, SNOWFLAKE_PASSWORD, …`;

const CONNECTION_SECRETS = ['password', 'token', 'privateKey', 'privateKeyPass', 'passcode'] as const;

/** Driver options with every credential replaced by [REDACTED], for logs and error details. */
export function safeConnectionOptions(options: SnowflakeConnectionOptions): Record<string, unknown> {
  const safe: Record<string, unknown> = { ...options };
  for (const key of CONNECTION_SECRETS) if (safe[key] !== undefined) safe[key] = REDACTED;
  return safe;
}

export function describeOptions(options: WorkerOptions): Record<string, unknown> {
  const key = options.restApiKey;
  return {
    projectKey: options.projectKey,
    kind: options.kind,
    ...(options.events ? { events: options.events } : {}),
    sourceStream: options.sourceStream.sql,
    idColumn: options.idColumn,
    dateColumns: options.dateColumns,
    urlColumns: options.urlColumns,
    restApiKey: key.kind === 'table' ? `from table ${key.table.sql}` : key.kind === 'env' ? 'from env BATCH_REST_API_KEY' : 'none (dry run)',
    nullPolicy: options.nullPolicy,
    deletePolicy: options.deletePolicy,
    endpoint: options.endpoint,
    massUpdateThreshold: options.massUpdateThreshold,
    massUpdateRate: options.massUpdateRate,
    concurrency: options.concurrency,
    rate: options.rate,
    burst: options.burst,
    dryRun: options.dryRun,
    restriction: options.restriction,
    stateSchema: options.stateSchema?.sql ?? '(current schema)',
    pendingMarker: options.pendingMarker,
    batchApiUrl: options.batchApiUrl,
    snowflake: options.snowflake.description,
  };
}

/** A log-safe view of WorkerOptions: where the key comes from, never the key, password or token. */
import type { SnowflakeConnectionOptions } from '../src/snowflake/types.js';
import type { WorkerOptions } from './options-types.js';
import { REDACTED } from './secret.js';

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
    stateSchema: options.stateSchema?.sql ?? '(current schema)',
    batchApiUrl: options.batchApiUrl,
    snowflake: options.snowflake.description,
  };
}

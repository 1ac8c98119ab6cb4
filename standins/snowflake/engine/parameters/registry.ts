/**
 * The parameters SHOW PARAMETERS lists and that ALTER ACCOUNT / ALTER <object> SET may set
 * (https://docs.snowflake.com/en/sql-reference/parameters, https://docs.snowflake.com/en/sql-reference/sql/show-parameters):
 * account parameters are set only on the account; session parameters on the account, a user or the session;
 * object parameters on the account and the objects they apply to (a database or schema setting is inherited
 * by the objects in it). Defaults and types as documented; the descriptions are short paraphrases.
 */
import type { Catalog, SchemaObject } from '../catalog.js';

export type ParameterType = 'STRING' | 'NUMBER' | 'BOOLEAN';
export type ObjectLevel = 'WAREHOUSE' | 'DATABASE' | 'SCHEMA' | 'TABLE' | 'TASK';

export interface ParameterDef {
  name: string;
  scope: 'ACCOUNT' | 'SESSION' | 'OBJECT';
  type: ParameterType;
  default: string;
  description: string;
  /** OBJECT parameters: the object kinds they can be set on. */
  on?: ObjectLevel[];
}

const S = (name: string, type: ParameterType, def: string, description: string): ParameterDef => ({ name, scope: 'SESSION', type, default: def, description });
const O = (name: string, type: ParameterType, def: string, on: ObjectLevel[], description: string): ParameterDef => ({ name, scope: 'OBJECT', type, default: def, on, description });

export const PARAMETERS: ParameterDef[] = [
  S('ABORT_DETACHED_QUERY', 'BOOLEAN', 'false', 'If true, Snowflake aborts a query whose connection is lost.'),
  S('AUTOCOMMIT', 'BOOLEAN', 'true', 'The autocommit property determines whether a statement is committed on its own.'),
  S('BINARY_INPUT_FORMAT', 'STRING', 'HEX', 'Input format for binary values.'),
  S('BINARY_OUTPUT_FORMAT', 'STRING', 'HEX', 'Display format for binary values.'),
  S('CLIENT_SESSION_KEEP_ALIVE', 'BOOLEAN', 'false', 'If true, the client keeps the session alive.'),
  S('DATE_INPUT_FORMAT', 'STRING', 'AUTO', 'Input format for dates.'),
  S('DATE_OUTPUT_FORMAT', 'STRING', 'YYYY-MM-DD', 'Display format for dates.'),
  S('ERROR_ON_NONDETERMINISTIC_MERGE', 'BOOLEAN', 'true', 'Whether a MERGE that joins a row to several source rows fails.'),
  S('ERROR_ON_NONDETERMINISTIC_UPDATE', 'BOOLEAN', 'false', 'Whether an UPDATE that joins a row to several source rows fails.'),
  S('JS_TREAT_INTEGER_AS_BIGINT', 'BOOLEAN', 'false', 'Whether the Node.js driver reads integers as BigInt.'),
  S('LOCK_TIMEOUT', 'NUMBER', '43200', 'Seconds a statement waits for a lock before it is aborted.'),
  S('MULTI_STATEMENT_COUNT', 'NUMBER', '1', 'Number of statements a request must contain (0: any number).'),
  S('QUERY_TAG', 'STRING', '', 'String used to tag queries and other SQL statements.'),
  S('QUOTED_IDENTIFIERS_IGNORE_CASE', 'BOOLEAN', 'false', 'If true, the case of quoted identifiers is ignored.'),
  S('ROWS_PER_RESULTSET', 'NUMBER', '0', 'Maximum number of rows in a result set (0: no limit).'),
  // Session and object (warehouse) parameter: "Session — Can be set for Account » User » Session; Object (for warehouses)"
  // (https://docs.snowflake.com/en/sql-reference/parameters#statement-timeout-in-seconds).
  { ...S('STATEMENT_TIMEOUT_IN_SECONDS', 'NUMBER', '172800', 'Seconds after which a running statement is cancelled.'), on: ['WAREHOUSE'] },
  S('TIMESTAMP_INPUT_FORMAT', 'STRING', 'AUTO', 'Input format for timestamps.'),
  S('TIMESTAMP_LTZ_OUTPUT_FORMAT', 'STRING', '', 'Display format for TIMESTAMP_LTZ values (empty: TIMESTAMP_OUTPUT_FORMAT).'),
  S('TIMESTAMP_NTZ_OUTPUT_FORMAT', 'STRING', 'YYYY-MM-DD HH24:MI:SS.FF3', 'Display format for TIMESTAMP_NTZ values (empty: TIMESTAMP_OUTPUT_FORMAT).'),
  S('TIMESTAMP_OUTPUT_FORMAT', 'STRING', 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM', 'Default display format for all timestamp types.'),
  S('TIMESTAMP_TYPE_MAPPING', 'STRING', 'TIMESTAMP_NTZ', 'The TIMESTAMP_* type TIMESTAMP is an alias for.'),
  S('TIMESTAMP_TZ_OUTPUT_FORMAT', 'STRING', '', 'Display format for TIMESTAMP_TZ values (empty: TIMESTAMP_OUTPUT_FORMAT).'),
  S('TIME_INPUT_FORMAT', 'STRING', 'AUTO', 'Input format for times.'),
  S('TIME_OUTPUT_FORMAT', 'STRING', 'HH24:MI:SS', 'Display format for times.'),
  S('TIMEZONE', 'STRING', 'America/Los_Angeles', 'Time zone for the session.'),
  S('TRANSACTION_ABORT_ON_ERROR', 'BOOLEAN', 'false', 'If true, a failed statement aborts the open transaction.'),
  S('USE_CACHED_RESULT', 'BOOLEAN', 'true', 'Whether cached query results are reused.'),
  S('WEEK_OF_YEAR_POLICY', 'NUMBER', '0', 'How the first week of a year is chosen.'),
  S('WEEK_START', 'NUMBER', '0', 'The first day of the week (0: ISO, Monday).'),
  O('DATA_RETENTION_TIME_IN_DAYS', 'NUMBER', '1', ['DATABASE', 'SCHEMA', 'TABLE'], 'Days Time Travel keeps historical data.'),
  O('MAX_CONCURRENCY_LEVEL', 'NUMBER', '8', ['WAREHOUSE'], 'Concurrency level for SQL statements executed by a warehouse cluster.'),
  O('MAX_DATA_EXTENSION_TIME_IN_DAYS', 'NUMBER', '14', ['DATABASE', 'SCHEMA', 'TABLE'], 'Days the data retention of a table is extended to keep its streams from going stale.'),
  O('STATEMENT_QUEUED_TIMEOUT_IN_SECONDS', 'NUMBER', '0', ['WAREHOUSE'], 'Seconds a statement may stay queued on a warehouse (0: no limit).'),
  O('SUSPEND_TASK_AFTER_NUM_FAILURES', 'NUMBER', '10', ['DATABASE', 'SCHEMA', 'TASK'], 'Consecutive failed runs after which a task is suspended (0: never).'),
  O('TASK_AUTO_RETRY_ATTEMPTS', 'NUMBER', '0', ['DATABASE', 'SCHEMA', 'TASK'], 'Times a failed task graph run is retried automatically.'),
  O('USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS', 'NUMBER', '30', ['DATABASE', 'SCHEMA', 'TASK'], 'Minimum seconds between two runs of a triggered task (10 to 604800; tasks/task-triggers.ts).'),
  O('USER_TASK_TIMEOUT_MS', 'NUMBER', '3600000', ['DATABASE', 'SCHEMA', 'TASK'], 'Milliseconds a single task run may take before it times out.'),
];

export const PARAMETER_BY_NAME = new Map(PARAMETERS.map((p) => [p.name, p]));

/** Account-level settings (ALTER ACCOUNT SET), kept per catalog. */
const accountValues = new WeakMap<Catalog, Map<string, string>>();
export function accountParameters(catalog: Catalog): Map<string, string> {
  let map = accountValues.get(catalog);
  if (!map) accountValues.set(catalog, (map = new Map()));
  return map;
}

export interface Resolved {
  value: string;
  /** Where it was set: '' when the default applies. */
  level: string;
}

/**
 * An object parameter's effective value on a schema object: the object's own setting, then its schema's,
 * its database's, the account's, the default (https://docs.snowflake.com/en/sql-reference/parameters#object-parameters).
 */
export function objectParameter(catalog: Catalog, obj: SchemaObject, name: string): Resolved {
  const own = obj.props[name];
  if (own !== undefined) return { value: own, level: obj.kind };
  const schema = catalog.schema(obj.database, obj.schema)?.props[name];
  if (schema !== undefined) return { value: schema, level: 'SCHEMA' };
  const database = catalog.databases.get(obj.database)?.props[name];
  if (database !== undefined) return { value: database, level: 'DATABASE' };
  return accountOrDefault(catalog, name);
}

export function accountOrDefault(catalog: Catalog, name: string): Resolved {
  const account = accountParameters(catalog).get(name);
  if (account !== undefined) return { value: account, level: 'ACCOUNT' };
  return { value: PARAMETER_BY_NAME.get(name)?.default ?? '', level: '' };
}

/**
 * The properties CREATE TASK and ALTER TASK … SET accept (https://docs.snowflake.com/en/sql-reference/sql/create-task,
 * https://docs.snowflake.com/en/sql-reference/sql/alter-task): the task's own and any session parameter
 * ("session_parameter = value"). Anything else, e.g. a misspelt SCHEDUEL, is refused as a syntax error at that
 * word (the docs do not print the error: stricter choice, as for CREATE COMPUTE POOL).
 */
import { syntaxError } from '../errors.js';
import { SESSION_PARAMETER_RULES } from '../session-parameters.js';

const TASK_PROPERTIES = new Set([
  'WAREHOUSE', 'USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE', 'TARGET_COMPLETION_INTERVAL', 'SERVERLESS_TASK_MIN_STATEMENT_SIZE',
  'SERVERLESS_TASK_MAX_STATEMENT_SIZE', 'SCHEDULE', 'CONFIG', 'ALLOW_OVERLAPPING_EXECUTION', 'USER_TASK_TIMEOUT_MS',
  'SUSPEND_TASK_AFTER_NUM_FAILURES', 'ERROR_INTEGRATION', 'SUCCESS_INTEGRATION', 'LOG_LEVEL', 'COMMENT', 'FINALIZE',
  'TASK_AUTO_RETRY_ATTEMPTS', 'USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS', 'TAG', 'CONTACT', 'EXECUTE_AS_USER',
]);

/** Refuses a property CREATE / ALTER TASK does not know. */
export function validateTaskProperties(props: Record<string, string>, sql: string): void {
  for (const key of Object.keys(props)) {
    if (TASK_PROPERTIES.has(key) || key in SESSION_PARAMETER_RULES) continue;
    throw syntaxError(sql, Math.max(0, sql.toUpperCase().search(new RegExp(`\\b${key.replace(/_/g, '[_\\s]+')}\\b`))));
  }
}

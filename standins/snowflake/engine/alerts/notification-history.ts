/**
 * `TABLE([<db>.]INFORMATION_SCHEMA.NOTIFICATION_HISTORY([START_TIME => …] [, END_TIME => …] [, INTEGRATION_NAME =>
 * '…'] [, RESULT_LIMIT => n]))` (https://docs.snowflake.com/en/sql-reference/functions/notification_history) is
 * replaced, FROM included, by an inline relation with the documented columns: CREATED, PROCESSED, MESSAGE_SOURCE,
 * INTEGRATION_NAME, STATUS (QUEUED | SUCCESS | RETRIABLE_FAILURE | FAILURE), ERROR_MESSAGE (for a webhook, the HTTP
 * response body: "may contain sensitive data"), ID (one per send request; every attempt is a row with the same ID
 * and its own ATTEMPT), ATTEMPT, MESSAGE_SOURCE_INFO. RESULT_LIMIT: 1 to 10000, default 100. START_TIME/END_TIME are
 * accepted and not applied (a stand-in never runs 14 days). "Returns results only for the ACCOUNTADMIN role, the
 * integration owner (…OWNERSHIP…), or a role with the USAGE privilege on the integration": other rows are left out.
 * The docs page exists in two versions: an older one says queued notifications are not shown; the current one lists
 * QUEUED rows ("Requests that are being processed"). The stand-in follows the current one.
 * MESSAGE_SOURCE: the docs list the valid values in a list not captured in our notes; the stand-in writes
 * 'STORED_PROCEDURE' for SYSTEM$SEND_SNOWFLAKE_NOTIFICATION (UNCONFIRMED; the product does not read it). CREATED and
 * PROCESSED are TIMESTAMP_LTZ in the docs; the stand-in's engine has no LTZ type and returns TIMESTAMP_TZ.
 */
import { objectDoesNotExist } from '../errors.js';
import { clampResultLimit, findTableFunctionCalls, inlineRelation, simpleArguments, type HistoryColumn } from '../history-calls.js';
import type { Token } from '../lexer.js';

export type NotificationStatus = 'QUEUED' | 'SUCCESS' | 'RETRIABLE_FAILURE' | 'FAILURE';

export interface NotificationAttempt {
  id: string;
  attempt: number;
  integration: string;
  created: Date;
  processed: Date | null;
  status: NotificationStatus;
  errorMessage: string | null;
}

const COLUMNS: Array<HistoryColumn<NotificationAttempt>> = [
  ['CREATED', 'TIMESTAMPTZ', (r) => r.created], ['PROCESSED', 'TIMESTAMPTZ', (r) => r.processed],
  ['MESSAGE_SOURCE', 'VARCHAR', () => 'STORED_PROCEDURE'], ['INTEGRATION_NAME', 'VARCHAR', (r) => r.integration],
  ['STATUS', 'VARCHAR', (r) => r.status], ['ERROR_MESSAGE', 'VARCHAR', (r) => r.errorMessage], ['ID', 'VARCHAR', (r) => r.id],
  ['ATTEMPT', 'INTEGER', (r) => r.attempt], ['MESSAGE_SOURCE_INFO', 'VARCHAR', () => null],
];

/** Replacements (token index → [end, SQL]) for every NOTIFICATION_HISTORY call of a query. */
export function notificationHistoryReplacements(sql: string, tokens: Token[], rows: () => NotificationAttempt[], currentDatabase: string | null, databaseExists: (db: string) => boolean): Map<number, [number, string]> {
  const out = new Map<number, [number, string]>();
  for (const call of findTableFunctionCalls(sql, tokens, 'NOTIFICATION_HISTORY')) {
    const args = simpleArguments(tokens, call);
    const nameArg = args.get('INTEGRATION_NAME');
    const integration = nameArg?.type === 'string' ? nameArg.value.toUpperCase() : null;
    const limit = clampResultLimit(args.get('RESULT_LIMIT')) ?? 100;
    const database = call.database ?? currentDatabase;
    if (!database || !databaseExists(database)) throw objectDoesNotExist(call.parts.join('.'));
    const selected = rows()
      .filter((r) => !integration || r.integration === integration)
      .sort((a, b) => (b.processed ?? b.created).getTime() - (a.processed ?? a.created).getTime() || b.attempt - a.attempt)
      .slice(0, limit);
    out.set(call.start, [call.end, `FROM (${inlineRelation(COLUMNS, selected)})${call.aliased ? '' : ' AS NOTIFICATION_HISTORY'}`]);
  }
  return out;
}

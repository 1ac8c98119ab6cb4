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
import { sqlString } from '../catalog.js';
import { objectDoesNotExist, syntaxError } from '../errors.js';
import { isIdent, isOp, isWord, matchParen, type Token } from '../lexer.js';

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

const COLUMNS: Array<[string, string, (r: NotificationAttempt) => string | Date | number | null]> = [
  ['CREATED', 'TIMESTAMPTZ', (r) => r.created], ['PROCESSED', 'TIMESTAMPTZ', (r) => r.processed],
  ['MESSAGE_SOURCE', 'VARCHAR', () => 'STORED_PROCEDURE'], ['INTEGRATION_NAME', 'VARCHAR', (r) => r.integration],
  ['STATUS', 'VARCHAR', (r) => r.status], ['ERROR_MESSAGE', 'VARCHAR', (r) => r.errorMessage], ['ID', 'VARCHAR', (r) => r.id],
  ['ATTEMPT', 'INTEGER', (r) => r.attempt], ['MESSAGE_SOURCE_INFO', 'VARCHAR', () => null],
];

function literal(v: string | Date | number | null, type: string): string {
  if (v === null) return `CAST(NULL AS ${type})`;
  if (typeof v === 'number') return String(v);
  return `CAST(${sqlString(v instanceof Date ? v.toISOString() : v)} AS ${type})`;
}

function relation(rows: NotificationAttempt[]): string {
  if (rows.length === 0) return `SELECT ${COLUMNS.map(([n, t]) => `CAST(NULL AS ${t}) AS "${n}"`).join(', ')} WHERE FALSE`;
  const values = rows.map((r) => `(${COLUMNS.map(([, t, get]) => literal(get(r), t)).join(', ')})`);
  return `SELECT * FROM (VALUES ${values.join(', ')}) AS t(${COLUMNS.map(([n]) => `"${n}"`).join(', ')})`;
}

const CLAUSE_WORDS = new Set(['WHERE', 'ORDER', 'GROUP', 'LIMIT', 'HAVING', 'QUALIFY', 'UNION', 'JOIN', 'LEFT', 'INNER', 'CROSS', 'ON', 'AS']);

/** Replacements (token index → [end, SQL]) for every NOTIFICATION_HISTORY call of a query. */
export function notificationHistoryReplacements(sql: string, tokens: Token[], rows: () => NotificationAttempt[], currentDatabase: string | null, databaseExists: (db: string) => boolean): Map<number, [number, string]> {
  const out = new Map<number, [number, string]>();
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'FROM') || !isWord(tokens[i + 1], 'TABLE') || !isOp(tokens[i + 2], '(')) continue;
    let k = i + 3;
    const parts: string[] = [];
    while (isIdent(tokens[k])) {
      parts.push(tokens[k]!.value);
      if (!isOp(tokens[k + 1], '.')) break;
      k += 2;
    }
    if (parts[parts.length - 1] !== 'NOTIFICATION_HISTORY' || parts[parts.length - 2] !== 'INFORMATION_SCHEMA' || parts.length > 3) continue;
    const open = k + 1;
    const closeCall = matchParen(tokens, open);
    const closeTable = matchParen(tokens, i + 2);
    if (!isOp(tokens[open], '(') || closeCall < 0 || closeTable !== closeCall + 1) throw syntaxError(sql, tokens[i + 1]!.pos);
    let integration: string | null = null;
    let limit = 100;
    for (let a = open + 1; a < closeCall; a++) {
      if (!isIdent(tokens[a]) || !isOp(tokens[a + 1], '=>')) continue;
      const value = tokens[a + 2];
      if (tokens[a]!.value === 'INTEGRATION_NAME' && value?.type === 'string') integration = value.value.toUpperCase();
      if (tokens[a]!.value === 'RESULT_LIMIT' && value?.type === 'number') limit = Math.min(10_000, Math.max(1, Number(value.value)));
    }
    const database = parts.length === 3 ? parts[0]! : currentDatabase;
    if (!database || !databaseExists(database)) throw objectDoesNotExist(parts.join('.'));
    const selected = rows()
      .filter((r) => !integration || r.integration === integration)
      .sort((a, b) => (b.processed ?? b.created).getTime() - (a.processed ?? a.created).getTime() || b.attempt - a.attempt)
      .slice(0, limit);
    const next = tokens[closeTable + 1];
    const aliased = isWord(next, 'AS') || (isIdent(next) && !(next.type === 'word' && CLAUSE_WORDS.has(next.value)));
    out.set(i, [closeTable + 1, `FROM (${relation(selected)})${aliased ? '' : ' AS NOTIFICATION_HISTORY'}`]);
    i = closeTable;
  }
  return out;
}

/**
 * SNOWFLAKE.ACCOUNT_USAGE.SERVICES (https://docs.snowflake.com/en/sql-reference/account-usage/services): one row per
 * service, dropped ones included (DELETED set). SERVICE_ID is what TASK_HISTORY.SPCS_JOB_ID holds (bcr-2182).
 * - Access: the SNOWFLAKE database is ACCOUNTADMIN's unless IMPORTED PRIVILEGES on it were granted
 *   (https://docs.snowflake.com/en/sql-reference/account-usage, "Enabling other roles to use schemas in the
 *   SNOWFLAKE database"); without it the view "does not exist or not authorized".
 * - Latency: Account Usage views lag (the page of this view gives no figure). The stand-in shows a job at once;
 *   callers must still handle a job that is not there yet.
 * Only the columns a tool needs to find a job by id are modelled; the others are the documented ones, NULL.
 */
import { sqlString } from '../engine/catalog.js';
import { objectDoesNotExist } from '../engine/errors.js';
import { isIdent, isWord, type Token } from '../engine/lexer.js';
import { readChain } from '../engine/names.js';
import type { Session } from '../engine/session.js';
import type { JobService } from './job-registry.js';

const COLUMNS: Array<[string, string, (s: JobService) => Cell]> = [
  ['SERVICE_ID', 'DECIMAL(38,0)', (s) => s.id], ['SERVICE_NAME', 'VARCHAR', (s) => s.name], ['SERVICE_CATALOG_ID', 'DECIMAL(38,0)', () => null],
  ['SERVICE_CATALOG', 'VARCHAR', (s) => s.database], ['SERVICE_SCHEMA_ID', 'DECIMAL(38,0)', () => null], ['SERVICE_SCHEMA', 'VARCHAR', (s) => s.schema],
  ['SERVICE_OWNER', 'VARCHAR', (s) => s.owner], ['SERVICE_OWNER_ROLE_TYPE', 'VARCHAR', () => 'ROLE'], ['COMPUTE_POOL_ID', 'DECIMAL(38,0)', () => null],
  ['COMPUTE_POOL_NAME', 'VARCHAR', (s) => s.computePool], ['DNS_NAME', 'VARCHAR', () => null], ['MIN_READY_INSTANCES', 'DECIMAL(38,0)', () => 1],
  ['MIN_INSTANCES', 'DECIMAL(38,0)', () => 1], ['MAX_INSTANCES', 'DECIMAL(38,0)', () => 1], ['AUTO_RESUME', 'BOOLEAN', () => false],
  ['QUERY_WAREHOUSE', 'VARCHAR', (s) => s.queryWarehouse], ['CREATED', 'TIMESTAMPTZ', (s) => s.createdOn], ['LAST_ALTERED', 'TIMESTAMPTZ', (s) => s.updatedOn],
  ['LAST_RESUMED', 'TIMESTAMPTZ', () => null], ['LAST_SUSPENDED', 'TIMESTAMPTZ', () => null], ['AUTO_SUSPEND_SECS', 'DECIMAL(38,0)', () => 0],
  ['DELETED', 'TIMESTAMPTZ', (s) => s.deletedOn ?? null], ['COMMENT', 'VARCHAR', (s) => s.comment], ['IS_JOB', 'BOOLEAN', () => true],
  ['IS_ASYNC_JOB', 'BOOLEAN', (s) => s.async],
];

type Cell = string | number | boolean | Date | null | undefined;

function literal(v: Cell, type: string): string {
  if (v === null || v === undefined) return `CAST(NULL AS ${type})`;
  if (v instanceof Date) return `CAST(${sqlString(v.toISOString())} AS ${type})`;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return `CAST(${typeof v === 'number' ? v : sqlString(v)} AS ${type})`;
}

/** An inline relation with the view's documented columns and these rows (none: an empty one). */
export function relation<T>(columns: Array<[string, string, (row: T) => Cell]>, rows: T[]): string {
  if (rows.length === 0) return `SELECT ${columns.map(([n, t]) => `CAST(NULL AS ${t}) AS "${n}"`).join(', ')} WHERE FALSE`;
  const values = rows.map((s) => `(${columns.map(([, t, get]) => literal(get(s), t)).join(', ')})`);
  return `SELECT * FROM (VALUES ${values.join(', ')}) AS t(${columns.map(([n]) => `"${n}"`).join(', ')})`;
}

/**
 * Replacements for the `SNOWFLAKE.ACCOUNT_USAGE.<view>` relations of a query by `relationSql()` (computed only when
 * the query names the view), after the access check every Account Usage view shares.
 */
export function replaceAccountUsageView(session: Session, tokens: Token[], view: string, relationSql: () => string): Map<number, [number, string]> {
  const map = new Map<number, [number, string]>();
  const full = `SNOWFLAKE.ACCOUNT_USAGE.${view}`;
  for (let i = 0; i < tokens.length; i++) {
    const chain = readChain(tokens, i);
    if (!chain || chain.parts.join('.') !== full) continue;
    const { role } = session.context;
    const { authz } = session.core;
    if (!authz.effectiveRoles(role).has('ACCOUNTADMIN')) {
      try {
        authz.check(role, 'IMPORTED PRIVILEGES', 'DATABASE', 'SNOWFLAKE');
      } catch {
        throw objectDoesNotExist(full);
      }
    }
    const next = tokens[chain.end];
    const aliased = isWord(next, 'AS') || (isIdent(next) && !isWord(next, 'WHERE', 'ORDER', 'GROUP', 'LIMIT', 'QUALIFY', 'JOIN', 'INNER', 'LEFT', 'CROSS', 'ON', 'UNION', 'HAVING'));
    // The span starts at FROM / JOIN, as for TASK_HISTORY: the translator then sees an inline relation.
    const keyword = tokens[i - 1];
    if (!isWord(keyword, 'FROM', 'JOIN')) throw objectDoesNotExist(full);
    map.set(i - 1, [chain.end, `${keyword!.value} (${relationSql()})${aliased ? '' : ` AS ${view}`}`]);
    i = chain.end - 1;
  }
  return map;
}

/** Replacements for `SNOWFLAKE.ACCOUNT_USAGE.SERVICES` relations in a query. */
export function accountUsageServices(session: Session, tokens: Token[], jobs: JobService[]): Map<number, [number, string]> {
  return replaceAccountUsageView(session, tokens, 'SERVICES', () => relation(COLUMNS, jobs));
}

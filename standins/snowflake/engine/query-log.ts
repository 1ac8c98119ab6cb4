/**
 * Query ids the engine knows, for LAST_QUERY_ID() (https://docs.snowflake.com/en/sql-reference/functions/last_query_id),
 * TABLE(RESULT_SCAN(<id>)) (https://docs.snowflake.com/en/sql-reference/functions/result_scan) and the CHANGES
 * clause's STATEMENT => <id>. The protocol layer passes each statement's query id to Session.execute; statements
 * run internally (task bodies, argument evaluation) have none and are not logged.
 * - LAST_QUERY_ID([n]): the id of the n-th query of this session, counted from the end when n < 0 (default -1:
 *   the latest before the current statement); NULL when there is no such query.
 * - RESULT_SCAN(id): the rows of a successful query of the same user within 24 hours, with its column names; a
 *   query that failed or is unknown is refused (error text and code UNCONFIRMED; docs: "the query must have
 *   completed successfully").
 */
import type { CellValue, ColumnMeta, EngineResult } from '../engine-types.js';
import type { EngineCore } from './session.js';
import { sqlString } from './catalog.js';
import { TZ_TYPE } from './tz-values.js';
import { SnowflakeSqlError, syntaxError } from './errors.js';
import { isIdent, isOp, isWord, matchParen, type Token } from './lexer.js';

export interface LoggedQuery {
  id: string;
  user: string;
  /** The result, for RESULT_SCAN; undefined when the statement failed. */
  result?: EngineResult;
  startTick: number;
  endTick: number;
  endedAt: Date;
}

interface Log {
  queries: Map<string, LoggedQuery>;
}

const logs = new WeakMap<EngineCore, Log>();
export function queryLog(core: EngineCore): Log {
  let log = logs.get(core);
  if (!log) logs.set(core, (log = { queries: new Map() }));
  return log;
}

let tick = 0;

/** A global order of statements, table versions and stream offsets (monotonic across engines, which is harmless). */
export function nextTick(_core?: EngineCore): number {
  return ++tick;
}

export function logQuery(core: EngineCore, entry: LoggedQuery): void {
  const { queries } = queryLog(core);
  queries.set(entry.id, entry);
  while (queries.size > 1000) queries.delete(queries.keys().next().value!);
}

/** The query id LAST_QUERY_ID(n) names, or null. */
function lastQueryId(sessionIds: readonly string[], n: number): string | null {
  const index = n < 0 ? sessionIds.length + n : n - 1;
  return sessionIds[index] ?? null;
}

/** Reads `LAST_QUERY_ID ( [[-]n] )` at i: [end index, id or null], or null when not a call. */
function readLastQueryId(sql: string, tokens: Token[], i: number, sessionIds: readonly string[]): [number, string | null] | null {
  if (!isWord(tokens[i], 'LAST_QUERY_ID') || !isOp(tokens[i + 1], '(')) return null;
  const close = matchParen(tokens, i + 1);
  if (close < 0) throw syntaxError(sql, tokens[i]!.pos);
  const inner = tokens.slice(i + 2, close).map((t) => t.value).join('');
  if (inner !== '' && !/^-?\d+$/.test(inner)) throw syntaxError(sql, tokens[i + 2]!.pos);
  return [close + 1, lastQueryId(sessionIds, inner === '' ? -1 : Number(inner))];
}

/** Replacements for LAST_QUERY_ID() calls and FROM TABLE(RESULT_SCAN(…)) in a query. */
export function queryLogReplacements(core: EngineCore, user: string, sessionIds: readonly string[], sql: string, tokens: Token[]): Map<number, [number, string]> {
  const map = new Map<number, [number, string]>();
  for (let i = 0; i < tokens.length; i++) {
    if (isWord(tokens[i], 'FROM', 'JOIN') && isWord(tokens[i + 1], 'TABLE') && isOp(tokens[i + 2], '(') && isWord(tokens[i + 3], 'RESULT_SCAN') && isOp(tokens[i + 4], '(')) {
      const closeTable = matchParen(tokens, i + 2);
      const closeCall = matchParen(tokens, i + 4);
      if (closeTable < 0 || closeCall !== closeTable - 1) throw syntaxError(sql, tokens[i + 1]!.pos);
      const arg = tokens[i + 5];
      let id: string | null;
      if (arg?.type === 'string' && closeCall === i + 6) id = arg.value;
      else {
        const call = readLastQueryId(sql, tokens, i + 5, sessionIds);
        if (!call || call[0] !== closeCall) throw syntaxError(sql, (arg ?? tokens[i + 4]!).pos);
        id = call[1];
      }
      const next = tokens[closeTable + 1];
      const aliased = isWord(next, 'AS') || (isIdent(next) && !isWord(next, 'WHERE', 'ORDER', 'GROUP', 'LIMIT', 'HAVING', 'QUALIFY', 'UNION', 'JOIN', 'LEFT', 'INNER', 'CROSS', 'ON'));
      map.set(i, [closeTable + 1, `${tokens[i]!.value} (${resultRelation(core, user, id)})${aliased ? '' : ' AS "RESULT_SCAN"'}`]);
      i = closeTable;
      continue;
    }
    const call = readLastQueryId(sql, tokens, i, sessionIds);
    if (call) {
      map.set(i, [call[0], call[1] === null ? 'CAST(NULL AS VARCHAR)' : sqlString(call[1])]);
      i = call[0] - 1;
    }
  }
  return map;
}

function resultRelation(core: EngineCore, user: string, id: string | null): string {
  const entry = id === null ? undefined : queryLog(core).queries.get(id);
  const dayAgo = Date.now() - 86_400_000;
  if (!entry || entry.user !== user || entry.endedAt.getTime() < dayAgo || !entry.result) {
    throw new SnowflakeSqlError('000709', '02000', `Statement ${id ?? 'NULL'} not found`);
  }
  const { columns, rows } = entry.result;
  const names = columns.map((c) => `"${c.name.replace(/"/g, '""')}"`);
  if (rows.length === 0) return `SELECT ${columns.map((c, k) => `CAST(NULL AS ${duckTypeOf(c)}) AS ${names[k]}`).join(', ')} WHERE FALSE`;
  return `SELECT * FROM (VALUES ${rows.map((row) => `(${columns.map((c, k) => literal(row[k] ?? null, c)).join(', ')})`).join(', ')}) AS t(${names.join(', ')})`;
}

function duckTypeOf(c: ColumnMeta): string {
  switch (c.type) {
    case 'FIXED': return `DECIMAL(${Math.min(38, c.precision ?? 38)},${c.scale ?? 0})`;
    case 'REAL': return 'DOUBLE';
    case 'BOOLEAN': return 'BOOLEAN';
    case 'DATE': return 'DATE';
    case 'TIME': return 'TIME';
    case 'TIMESTAMP_NTZ': return 'TIMESTAMP';
    case 'TIMESTAMP_LTZ': return 'TIMESTAMPTZ';
    case 'TIMESTAMP_TZ': return TZ_TYPE;
    case 'VARIANT': case 'OBJECT': case 'ARRAY': return 'JSON';
    case 'BINARY': return 'BLOB';
    default: return 'VARCHAR';
  }
}

function literal(v: CellValue, c: ColumnMeta): string {
  const type = duckTypeOf(c);
  if (v === null || v === undefined) return `CAST(NULL AS ${type})`;
  if (Buffer.isBuffer(v)) return `unhex(${sqlString(v.toString('hex'))})`;
  if (typeof v === 'object') return `SF_TZ_AT(make_timestamp(${v.epochNanos / 1000n}) AT TIME ZONE 'UTC', CAST(${v.offsetMinutes} AS SMALLINT))`;
  if (typeof v === 'bigint') return c.type === 'TIMESTAMP_NTZ' ? `make_timestamp(${v / 1000n})` : `(make_timestamp(${v / 1000n}) AT TIME ZONE 'UTC')`;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (c.type === 'TIME') return `CAST(${sqlString(String(v).slice(0, 15))} AS TIME)`;
  return `CAST(${sqlString(String(v))} AS ${type})`;
}

/**
 * The CHANGES clause (https://docs.snowflake.com/en/sql-reference/constructs/changes):
 * `FROM <table> CHANGES(INFORMATION => DEFAULT | APPEND_ONLY) AT(TIMESTAMP => t | OFFSET => -s | STATEMENT => id)
 * | BEFORE(STATEMENT => id) [END(TIMESTAMP => t | OFFSET => -s | STATEMENT => id)]` gives the table's net changes
 * between the two points with the columns a stream has (METADATA$ACTION, METADATA$ISUPDATE, METADATA$ROW_ID);
 * APPEND_ONLY keeps inserted rows only. Change tracking must be on for the table and cover the range
 * (change-versions.ts); otherwise the query fails (code and text UNCONFIRMED: the docs only say it is required).
 * Points are read as Snowflake documents them: TIMESTAMP a TIMESTAMP_LTZ expression, OFFSET seconds back from now,
 * STATEMENT a query id (AT includes that statement's changes, BEFORE stops just before it).
 */
import type { EngineResult } from '../engine-types.js';
import type { SchemaObject } from './catalog.js';
import { SnowflakeSqlError, syntaxError, unsupported } from './errors.js';
import { isIdent, isOp, isWord, matchParen, type Token } from './lexer.js';
import { display, readChain, resolveObject } from './names.js';
import { queryLog } from './query-log.js';
import type { Session } from './session.js';
import { diffSql } from './streams.js';
import { rowIdentityQuery } from './stream-rows.js';
import { versionsOf, type TableVersion } from './change-versions.js';

interface Point {
  kind: 'AT' | 'BEFORE' | 'END';
  by: string;
  expression: string;
}

function notTracked(table: SchemaObject): SnowflakeSqlError {
  return new SnowflakeSqlError('002294', '22000', `SQL compilation error:\nChange tracking is not enabled or not available for the requested time range on table '${display([table.database, table.schema, table.name])}'.`);
}

/** Reads `WORD ( NAME => expr )` at i; returns the point and the index after it. */
function readPoint(sql: string, tokens: Token[], i: number, kind: Point['kind']): [Point, number] {
  const close = isOp(tokens[i + 1], '(') ? matchParen(tokens, i + 1) : -1;
  if (close < 0 || !isIdent(tokens[i + 2]) || !isOp(tokens[i + 3], '=>') || close === i + 4) throw syntaxError(sql, tokens[i]!.pos);
  return [{ kind, by: tokens[i + 2]!.value, expression: sql.slice(tokens[i + 4]!.pos, tokens[close]!.pos) }, close + 1];
}

async function evaluateTime(session: Session, expression: string): Promise<Date> {
  const result: EngineResult = await session.execute(`SELECT (${expression})::TIMESTAMP_LTZ`, []);
  const cell = result.rows[0]?.[0];
  if (typeof cell !== 'bigint') throw new SnowflakeSqlError('002294', '22000', 'SQL compilation error:\nThe time travel point is not a timestamp.');
  return new Date(Number(cell / 1_000_000n));
}

/** The version a point names (the newest one at or before it). */
async function versionAt(session: Session, table: SchemaObject, point: Point): Promise<TableVersion> {
  const list = versionsOf(table);
  let match: (v: TableVersion) => boolean;
  if (point.by === 'STATEMENT') {
    const id = point.expression.trim().replace(/^'|'$/g, '');
    const entry = queryLog(session.core).queries.get(id);
    if (!entry) throw new SnowflakeSqlError('000707', '02000', `Statement ${id} not found`);
    match = point.kind === 'BEFORE' ? (v) => v.tick < entry.startTick : (v) => v.tick <= entry.endTick;
  } else if (point.kind === 'BEFORE') {
    throw syntaxError(point.expression, 0);
  } else if (point.by === 'TIMESTAMP' || point.by === 'OFFSET') {
    const at = point.by === 'TIMESTAMP' ? await evaluateTime(session, point.expression) : new Date(Date.now() + 1000 * Number(point.expression.replace(/\s+/g, '')));
    if (Number.isNaN(at.getTime())) throw notTracked(table);
    match = (v) => v.at.getTime() <= at.getTime();
  } else throw unsupported(`CHANGES … ${point.kind}(${point.by} => …)`);
  const found = [...list].reverse().find(match);
  if (!found) throw notTracked(table);
  return found;
}

/**
 * APPEND_ONLY: every row inserted after the start, as first written, even if it was updated or deleted since
 * ("updates and deletes are not recorded", as for append-only streams: https://docs.snowflake.com/en/user-guide/streams-intro#types-of-streams).
 */
function appendOnlySql(table: SchemaObject, from: TableVersion, until: TableVersion | null, current: string): string {
  const list = versionsOf(table).filter((v) => v.tick > from.tick && (!until || v.tick <= until.tick));
  const sources = list.map((v, k) => `SELECT *, ${k} AS "__SF_V" FROM ${v.table}`);
  if (!until) sources.push(`SELECT * EXCLUDE ("__SF_LOCAL"), ${list.length} AS "__SF_V" FROM (${current})`);
  const cols = table.columns.map((c) => `"${c.name.replace(/"/g, '""')}"`).join(', ');
  const all = sources.length > 0 ? sources.join(' UNION ALL ') : `SELECT * , 0 AS "__SF_V" FROM ${from.table} WHERE FALSE`;
  return `SELECT ${cols}, 'INSERT' AS "METADATA$ACTION", FALSE AS "METADATA$ISUPDATE", md5("__SF_RID") AS "METADATA$ROW_ID" FROM (` +
    `SELECT *, row_number() OVER (PARTITION BY "__SF_RID" ORDER BY "__SF_V") AS "__SF_N" FROM (${all}) WHERE "__SF_RID" NOT IN (SELECT "__SF_RID" FROM ${from.table})) WHERE "__SF_N" = 1`;
}

/** Replacements for `<table> CHANGES(…) AT|BEFORE(…) [END(…)]` in a query. */
export async function changesReplacements(session: Session, sql: string, tokens: Token[]): Promise<Map<number, [number, string]>> {
  const map = new Map<number, [number, string]>();
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'FROM', 'JOIN') && !isOp(tokens[i], ',')) continue;
    const chain = readChain(tokens, i + 1);
    if (!chain || !isWord(tokens[chain.end], 'CHANGES') || !isOp(tokens[chain.end + 1], '(')) continue;
    const infoClose = matchParen(tokens, chain.end + 1);
    const info = tokens.slice(chain.end + 2, infoClose).map((t) => t.value).join(' ');
    if (info !== 'INFORMATION => DEFAULT' && info !== 'INFORMATION => APPEND_ONLY') throw syntaxError(sql, tokens[chain.end + 2]?.pos ?? tokens[chain.end]!.pos);
    const startWord = tokens[infoClose + 1];
    if (!isWord(startWord, 'AT', 'BEFORE')) throw syntaxError(sql, startWord?.pos ?? sql.length);
    const [start, afterStart] = readPoint(sql, tokens, infoClose + 1, startWord!.value as 'AT' | 'BEFORE');
    let end: Point | null = null;
    let stop = afterStart;
    if (isWord(tokens[afterStart], 'END')) [end, stop] = readPoint(sql, tokens, afterStart, 'END');
    const table = resolveObject(session.core.catalog, chain.parts, session.context, ['TABLE']);
    session.core.hooks.authorizeQuery?.(session, 'SELECT', [table]);
    session.requireWarehouse();
    if (!table.changeTracking) throw notTracked(table);
    const from = await versionAt(session, table, start);
    const until = end ? await versionAt(session, table, end) : null;
    const current = rowIdentityQuery(session.core.catalog, table).sql;
    const body = info.endsWith('APPEND_ONLY')
      ? appendOnlySql(table, from, until, current)
      : diffSql(table.columns.map((c) => c.name), until ? `SELECT * FROM ${until.table}` : current, `SELECT * FROM ${from.table}`, false);
    const next = tokens[stop];
    const aliased = isWord(next, 'AS') || (isIdent(next) && !isWord(next, 'WHERE', 'ORDER', 'GROUP', 'LIMIT', 'HAVING', 'QUALIFY', 'UNION', 'JOIN', 'LEFT', 'INNER', 'CROSS', 'ON'));
    map.set(i, [stop, `${tokens[i]!.value} (${body})${aliased ? '' : ` AS "${table.name.replace(/"/g, '""')}"`}`]);
    i = stop - 1;
  }
  return map;
}

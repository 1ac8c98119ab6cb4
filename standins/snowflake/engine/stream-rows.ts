/**
 * The row-identity query behind a stream: the source's rows plus "__SF_RID", a stable id built from the
 * DuckDB rowid of every contributing base-table row (rowid survives UPDATE/MERGE/DELETE in DuckDB; rows a
 * transaction inserted carry a provisional rowid ≥ 2^55 until commit, flagged by "__SF_LOCAL").
 * Only what Snowflake allows in views with streams is supported (reference §1.3): projections, filters,
 * inner/cross joins, UNION ALL, subqueries in FROM, nested views.
 */
import type { SessionContext } from '../engine-types.js';
import { Catalog, duckName, sqlString, type SchemaObject } from './catalog.js';
import { SnowflakeSqlError, syntaxError } from './errors.js';
import { isIdent, isOp, isWord, matchParen, tokenize, type Token } from './lexer.js';
import { readChain, resolveObject } from './names.js';
import { sqlIdent, translate } from './translate.js';

/** DuckDB's MAX_ROW_ID: rowids of rows still in transaction-local storage start here. */
export const LOCAL_ROWID_START = '36028797018960000';

const DISALLOWED = ['GROUP', 'QUALIFY', 'LIMIT', 'DISTINCT', 'HAVING', 'LEFT', 'RIGHT', 'FULL', 'OUTER'];
const FROM_END = new Set(['WHERE', 'ORDER']);

function notSupported(what: string, name: string): SnowflakeSqlError {
  // Docs give no code/text for this case (reference §1.3 lists the rules only); we fail at CREATE STREAM.
  return new SnowflakeSqlError('002040', '0A000', `SQL compilation error:\nChange tracking is not supported on queries with ${what} (view '${name}').`);
}

interface Ctx {
  catalog: Catalog;
  sql: string;
  tokens: Token[];
  session: SessionContext;
  viewName: string;
  baseTables: Set<string>;
  counter: { n: number };
  version?: (table: SchemaObject) => string | undefined;
}

/**
 * Row-identity query for a stream source (table or view); also collects the base tables. `version` may give, per
 * base table, a DuckDB table holding an earlier version of its rows (with "__SF_RID", change-versions.ts).
 */
export function rowIdentityQuery(catalog: Catalog, source: SchemaObject, baseTables = new Set<string>(), version?: (table: SchemaObject) => string | undefined): { sql: string; baseTables: string[] } {
  if (source.kind === 'TABLE') {
    baseTables.add(`${source.database}.${source.schema}.${source.name}`);
    const old = version?.(source);
    if (old) return { sql: `SELECT *, FALSE AS "__SF_LOCAL" FROM ${old}`, baseTables: [...baseTables] };
    const cols = source.columns.map((c) => sqlIdent(c.name)).join(', ');
    return {
      sql: `SELECT ${cols}, ${sqlString(`${source.id}:`)} || rowid AS "__SF_RID", rowid >= ${LOCAL_ROWID_START} AS "__SF_LOCAL" FROM ${duckName(source)}`,
      baseTables: [...baseTables],
    };
  }
  const view = source.view!;
  const tokens = tokenize(view.selectSql);
  const ctx: Ctx = {
    catalog, sql: view.selectSql, tokens, viewName: source.name, baseTables, counter: { n: 0 }, version,
    session: { user: '', role: '', warehouse: null, database: source.database, schema: source.schema },
  };
  for (const t of tokens) if (isWord(t) && DISALLOWED.includes(t.value)) throw notSupported(t.value, source.name);
  return { sql: queryRange(ctx, 0, tokens.length), baseTables: [...baseTables] };
}

/** A SELECT [UNION ALL SELECT …] range → SQL yielding the select list plus __SF_RID/__SF_LOCAL per branch. */
function queryRange(ctx: Ctx, start: number, end: number): string {
  const branches: Array<[number, number]> = [];
  let depth = 0;
  let branchStart = start;
  for (let i = start; i < end; i++) {
    const t = ctx.tokens[i]!;
    if (isOp(t, '(')) depth++;
    else if (isOp(t, ')')) depth--;
    else if (depth === 0 && isWord(t, 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS')) {
      if (!(isWord(t, 'UNION') && isWord(ctx.tokens[i + 1], 'ALL'))) throw notSupported(t.value, ctx.viewName);
      branches.push([branchStart, i]);
      branchStart = i + 2;
      i++;
    }
  }
  branches.push([branchStart, end]);
  // Inner relations' ids are renamed __SF_RID_<n>; a branch keeps only its own __SF_RID/__SF_LOCAL.
  const visible = `COLUMNS(c -> NOT regexp_matches(c, '^__SF_(RID|LOCAL)_[0-9]+$'))`;
  return branches
    .map(([s, e], k) => `SELECT ${visible} FROM (${branchSql(ctx, s, e, branches.length > 1 ? `${k}#` : '')})`)
    .join(' UNION ALL ');
}

function branchSql(ctx: Ctx, start: number, end: number, prefix: string): string {
  const { tokens } = ctx;
  if (!isWord(tokens[start], 'SELECT')) throw notSupported('this query shape', ctx.viewName);
  let depth = 0;
  let from = -1;
  let fromEnd = end;
  for (let i = start; i < end; i++) {
    if (isOp(tokens[i], '(')) depth++;
    else if (isOp(tokens[i], ')')) depth--;
    else if (depth === 0 && isWord(tokens[i], 'FROM') && from < 0) from = i;
    else if (depth === 0 && from >= 0 && isWord(tokens[i]) && FROM_END.has(tokens[i]!.value)) { fromEnd = i; break; }
  }
  if (from < 0) throw notSupported('no FROM clause', ctx.viewName);
  const rids: string[] = [];
  const locals: string[] = [];
  const fromSql: string[] = [];
  let i = from + 1;
  while (i < fromEnd) {
    const t = tokens[i]!;
    if (isOp(t, ',') || isWord(t, 'JOIN', 'INNER', 'CROSS')) { fromSql.push(t.value); i++; continue; }
    if (isWord(t, 'ON')) {
      let j = i + 1;
      let d = 0;
      while (j < fromEnd && !(d === 0 && (isOp(tokens[j], ',') || isWord(tokens[j], 'JOIN', 'INNER', 'CROSS')))) {
        if (isOp(tokens[j], '(')) d++;
        else if (isOp(tokens[j], ')')) d--;
        j++;
      }
      fromSql.push('ON', expr(ctx, i + 1, j));
      i = j;
      continue;
    }
    const n = ++ctx.counter.n;
    let relation: string;
    let defaultAlias: string;
    if (isOp(t, '(')) {
      const close = matchParen(tokens, i);
      relation = `(${queryRange(ctx, i + 1, close)})`;
      defaultAlias = `__SF_SUB_${n}`;
      i = close + 1;
    } else if (isIdent(t)) {
      const chain = readChain(tokens, i)!;
      const obj = resolveObject(ctx.catalog, chain.parts, ctx.session, ['TABLE', 'VIEW']);
      relation = `(${rowIdentityQuery(ctx.catalog, obj, ctx.baseTables, ctx.version).sql})`;
      defaultAlias = obj.name;
      i = chain.end;
    } else throw syntaxError(ctx.sql, (t as Token).pos);
    let alias = defaultAlias;
    if (isWord(tokens[i], 'AS')) i++;
    if (i < fromEnd && isIdent(tokens[i]) && !isWord(tokens[i], 'ON', 'JOIN', 'INNER', 'CROSS')) {
      alias = tokens[i]!.value;
      i++;
    }
    fromSql.push(`(SELECT * RENAME ("__SF_RID" AS "__SF_RID_${n}", "__SF_LOCAL" AS "__SF_LOCAL_${n}") FROM ${relation}) AS ${sqlIdent(alias)}`);
    rids.push(`${sqlIdent(alias)}."__SF_RID_${n}"`);
    locals.push(`${sqlIdent(alias)}."__SF_LOCAL_${n}"`);
  }
  const selectList = expr(ctx, start + 1, from);
  const rest = fromEnd < end ? ` ${expr(ctx, fromEnd, end)}` : '';
  const rid = `${sqlString(prefix)} || ${rids.join(` || '|' || `)}`;
  return `SELECT ${selectList}, ${rid} AS "__SF_RID", (${locals.join(' OR ')}) AS "__SF_LOCAL" FROM ${fromSql.join(' ')}${rest}`;
}

function expr(ctx: Ctx, start: number, end: number): string {
  return translate({ sql: ctx.sql, tokens: ctx.tokens, catalog: ctx.catalog, session: ctx.session, binds: [], streamSql: () => {
    throw notSupported('a stream in the view', ctx.viewName);
  } }, start, end).sql;
}

/**
 * Snowflake SQL → DuckDB SQL for queries and DML: resolves object names onto DuckDB schemas, replaces
 * stream references by their net-change subquery, substitutes binds and context functions, maps type
 * names and the Snowflake functions DuckDB lacks (see functions.ts for the simple ones, done as macros).
 */
import type { EngineBind, SessionContext } from '../engine-types.js';
import { Catalog, duckName, sqlString, type SchemaObject } from './catalog.js';
import { syntaxError } from './errors.js';
import { isIdent, isOp, isWord, matchParen, type Token } from './lexer.js';
import { readChain, resolveObject } from './names.js';
import { rewriteFunction } from './functions.js';
import { duckType, isTypeName, parseType } from './types.js';
import { informationSchemaSql } from './information-schema.js';
import { bindLiteral, castWrapper, normaliseTimestampLiteral, wrapCast } from './casts.js';
import { dividendStart, hasAlias, operandStart, variantPath } from './operands.js';
import { avgSql, divisionSql, rightOperandEnd } from './arithmetic.js';
import { COMPARISON_OPS, isAssignment, operatorSql, type OperatorSite } from './comparisons.js';
import { assignmentEnd, assignsTz, tzInsertTail, tzMergeInsert } from './tz-dml.js';
import { tzLiteralSql } from './tz-values.js';

export interface TranslateContext {
  sql: string;
  tokens: Token[];
  catalog: Catalog;
  session: SessionContext;
  binds: EngineBind[];
  /** Net-change subquery of a stream (streams.ts). */
  streamSql(stream: SchemaObject): string;
  /** Pre-computed replacements (token index → [end index, SQL]), e.g. SYSTEM$STREAM_HAS_DATA results. */
  replacements?: Map<number, [number, string]>;
}

export interface Translation {
  sql: string;
  objects: SchemaObject[];
  streams: SchemaObject[];
}

const FROM_LIST_END = new Set(['WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'ON', 'SET', 'WINDOW', 'VALUES', 'SELECT', 'WHEN', 'USING', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'NATURAL', 'OFFSET', 'FETCH']);
const NOT_ALIAS = new Set([...FROM_LIST_END, 'AS', 'OUTER', 'LATERAL', 'AT', 'BEFORE', 'CHANGES', 'SAMPLE']);

export function translate(ctx: TranslateContext, start = 0, end = ctx.tokens.length): Translation {
  const { tokens } = ctx;
  const out: string[] = [];
  const objects: SchemaObject[] = [];
  const streams: SchemaObject[] = [];
  const cteNames = new Set<string>();
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (isIdent(tokens[i]) && isWord(tokens[i + 1], 'AS') && isOp(tokens[i + 2], '(')) cteNames.add(tokens[i]!.value);
  }
  /** Depths at which a FROM list is open (a ',' there starts another object reference). */
  const fromDepths = new Set<number>();
  let depth = 0;
  let objectNext = false;
  // After INTO a '(' opens the column list, not a table function call.
  let afterInto = false;
  let castDepth: number[] = [];
  /** Per open CAST( depth: the token its operand starts at, and whether it is TRY_CAST. */
  const castOperand = new Map<number, { at: number; tryCast: boolean }>();
  /** Depth of an open UPDATE / MERGE SET list (its `col =` assign rather than compare). */
  let setDepth: number | null = null;

  /** out.length when token i started being emitted, to wrap a cast's operand afterwards. */
  const outAt: number[] = [];
  const site: OperatorSite = { sql: ctx.sql, tokens, start, end, take: (k) => (outAt[k] === undefined ? null : joinSql(out.splice(outAt[k]!))), translate: (s, e) => translate(ctx, s, e).sql };
  for (let i = start; i < end; i++) {
    const t = tokens[i]!;
    outAt[i] = out.length;
    const replacement = ctx.replacements?.get(i);
    if (replacement) {
      out.push(replacement[1]);
      i = replacement[0] - 1;
      continue;
    }
    if (objectNext && isIdent(t) && (afterInto || !isOp(tokens[i + 1], '('))) {
      const into = afterInto;
      objectNext = false;
      afterInto = false;
      const chain = readChain(tokens, i)!;
      if (chain.parts.length === 1 && cteNames.has(chain.parts[0]!)) {
        out.push(emitWord(t));
        continue;
      }
      const infoSchema = informationSchemaSql(ctx.catalog, chain.parts, ctx.session);
      if (infoSchema) {
        out.push(`(${infoSchema}) AS ${sqlIdent(chain.parts[chain.parts.length - 1]!)}`);
      } else {
        const obj = resolveObject(ctx.catalog, chain.parts, ctx.session, ['TABLE', 'VIEW', 'STREAM']);
        objects.push(obj);
        if (obj.kind === 'STREAM') {
          streams.push(obj);
          const aliased = hasAlias(tokens, chain.end, end, NOT_ALIAS);
          out.push(`(${ctx.streamSql(obj)})${aliased ? '' : ` AS ${sqlIdent(obj.name)}`}`);
        } else {
          const tail = into && isWord(tokens[start], 'INSERT') ? tzInsertTail(obj, tokens, chain.end, end, (s, e) => translate(ctx, s, e)) : null;
          if (tail) {
            objects.push(...tail.objects);
            streams.push(...tail.streams);
            out.push(tail.sql);
            break;
          }
          out.push(duckName(obj));
        }
      }
      i = chain.end - 1;
      continue;
    }
    objectNext = false;
    afterInto = false;
    if (t.type === 'op') {
      if (t.value === '(') depth++;
      if (t.value === ')') {
        fromDepths.delete(depth);
        castDepth = castDepth.filter((d) => d < depth);
        depth--;
      }
      if (t.value === ',' && fromDepths.has(depth)) objectNext = true;
      if (COMPARISON_OPS.has(t.value) || t.value === '||') {
        if (t.value === '=' && isAssignment(tokens, i, setDepth === depth)) {
          // UPDATE / MERGE SET col = value: a TIMESTAMP_TZ column's value goes through SF_TZ (tz-dml.ts).
          if (!assignsTz(objects[0], tokens, i)) { out.push('='); continue; }
          const valueEnd = assignmentEnd(tokens, i + 1, end);
          out.push('=', `SF_TZ(${translate(ctx, i + 1, valueEnd).sql})`);
          i = valueEnd - 1;
          continue;
        }
      }
      // Operands through SF_UTC (TIMESTAMP_TZ values compare by instant) or, for ||, SF_CONCAT_TEXT (comparisons.ts).
      const op = operatorSql(site, i);
      if (op) { out.push(op.sql); i = op.end - 1; continue; }
      if (t.value === '/' && i > start) {
        const left = dividendStart(tokens, i, start);
        const rightEnd = rightOperandEnd(ctx, i, end);
        const dividend = joinSql(out.splice(outAt[left]!));
        out.push(divisionSql(ctx, left, i, dividend, translate(ctx, i + 1, rightEnd).sql));
        i = rightEnd - 1;
        continue;
      }
      const path = variantPath(tokens, i, end);
      if (path) {
        // v:a.b[0] / v['a'] (https://docs.snowflake.com/en/user-guide/querying-semistructured): JSON extraction;
        // followed by a cast to a scalar type the value is extracted as text first, as Snowflake casts the element.
        const operand = joinSql(out.splice(outAt[operandStart(tokens, i)]!));
        const toScalar = isOp(tokens[path.end], '::') && !/^(VARIANT|OBJECT|ARRAY)$/.test(tokens[path.end + 1]?.value ?? '');
        out.push(`${toScalar ? 'json_extract_string' : 'json_extract'}(CAST(${operand} AS JSON), ${sqlString(path.jsonPath)})`);
        i = path.end - 1;
        continue;
      }
      if (t.value === '::') {
        const parsed = parseType(ctx.sql, tokens, i + 1);
        let operand = operandStart(tokens, i);
        // A chained cast (x::A::B) wraps the whole x::A.
        while (operand > 0 && isOp(tokens[operand - 1], '::')) operand = operandStart(tokens, operand - 1);
        const wrapper = castWrapper(parsed.column.type);
        const literal = tokens[i - 1]?.type === 'string' && operand === i - 1 ? normaliseTimestampLiteral(tokens[i - 1]!.value, parsed.column.type) : null;
        if (literal !== null && parsed.column.type === 'TIMESTAMP_TZ') {
          out.splice(outAt[operand]!, out.length, tzLiteralSql(literal));
        } else if (literal !== null && parsed.column.type !== 'DATE' && parsed.column.type !== 'TIME' && isTimestamp(parsed.column.type)) {
          out.splice(outAt[operand]!, out.length, sqlString(literal));
          out.push('::', duckType(parsed.column));
        } else if (wrapper && outAt[operand] !== undefined) {
          out.push(wrapCast(wrapper, joinSql(out.splice(outAt[operand]!)), duckType(parsed.column)));
        } else out.push('::', duckType(parsed.column));
        i = parsed.end - 1;
        continue;
      }
      out.push(t.value);
      continue;
    }
    if (t.type === 'string') { out.push(sqlString(t.value)); continue; }
    if (t.type === 'number') { out.push(t.value); continue; }
    if (t.type === 'bind') { out.push(bindLiteral(ctx, t)); continue; }
    if (t.type === 'quoted') { out.push(sqlIdent(t.value)); continue; }
    // word
    if (FROM_LIST_END.has(t.value)) fromDepths.delete(depth);
    if (t.value === 'BETWEEN' || t.value === 'IN') {
      const op = operatorSql(site, i);
      if (op) { out.push(op.sql); i = op.end - 1; continue; }
    }
    if (t.value === 'SET') setDepth = depth;
    else if (setDepth === depth && (t.value === 'WHERE' || t.value === 'FROM' || t.value === 'WHEN')) setDepth = null;
    if (t.value === 'INSERT' && i > start) {
      const merged = tzMergeInsert(objects[0], tokens, i, (s, e) => translate(ctx, s, e));
      if (merged) { out.push(merged.sql); i = merged.end - 1; continue; }
    }
    if (t.value === 'FROM' || t.value === 'JOIN' || t.value === 'INTO' || (t.value === 'UPDATE' && i === start)) {
      objectNext = true;
      afterInto = t.value === 'INTO';
      if (t.value === 'FROM') fromDepths.add(depth);
      out.push(t.value);
      continue;
    }
    if (t.value === 'USING' && isIdent(tokens[i + 1])) { objectNext = true; out.push(t.value); continue; }
    if ((t.value === 'CAST' || t.value === 'TRY_CAST') && isOp(tokens[i + 1], '(')) {
      castDepth.push(depth + 1);
      castOperand.set(depth + 1, { at: i + 2, tryCast: t.value === 'TRY_CAST' });
    }
    if (t.value === 'AS' && castDepth.includes(depth) && isWord(tokens[i + 1]) && isTypeName(tokens[i + 1]!.value)) {
      const parsed = parseType(ctx.sql, tokens, i + 1);
      // CAST(x AS VARCHAR | BOOLEAN | BINARY) reads x as `x::type` does (casts.ts); TRY_CAST keeps DuckDB's for the
      // latter two, whose wrappers raise errors TRY_CAST must turn into NULL.
      const wrapper = castWrapper(parsed.column.type);
      const operand = castOperand.get(depth);
      if (wrapper && operand && outAt[operand.at] !== undefined && (!operand.tryCast || parsed.column.type === 'VARCHAR')) {
        const inner = joinSql(out.splice(outAt[operand.at]!));
        out.push(wrapCast(wrapper, inner, duckType(parsed.column)));
      }
      out.push('AS', duckType(parsed.column));
      i = parsed.end - 1;
      continue;
    }
    if (isOp(tokens[i - 1], '.')) { out.push(emitWord(t)); continue; }
    const rewritten = (t.value === 'AVG' ? avgSql(ctx, i, (s, e) => translate(ctx, s, e).sql) : null) ?? rewriteFunction(ctx, i, end, (s, e) => translate(ctx, s, e).sql);
    if (rewritten) {
      out.push(rewritten.sql);
      i = rewritten.end - 1;
      continue;
    }
    out.push(emitWord(t));
  }
  return { sql: joinSql(out), objects, streams };
}

const isTimestamp = (type: string) => type.startsWith('TIMESTAMP');

function emitWord(t: Token): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(t.value) ? t.value : sqlIdent(t.value);
}

export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function joinSql(parts: string[]): string {
  let sql = '';
  for (const p of parts) {
    if (sql === '' || p === '.' || p === ',' || p === ')' || sql.endsWith('.') || sql.endsWith('(')) sql += p;
    else sql += ` ${p}`;
  }
  return sql;
}

/** Finds the matching ')' for a '(' or throws a syntax error. */
export function closeParen(ctx: { sql: string; tokens: Token[] }, open: number): number {
  const close = matchParen(ctx.tokens, open);
  if (close < 0) throw syntaxError(ctx.sql, ctx.tokens[open]?.pos ?? ctx.sql.length);
  return close;
}

/**
 * Fixed-point arithmetic as Snowflake types it (https://docs.snowflake.com/en/sql-reference/operators-arithmetic#division):
 * `a / b` on NUMBERs is a NUMBER whose scale is max(S1, min(S1 + 6, 12)) (S1 = the dividend's scale), so
 * `1/3` is 0.333333; a FLOAT operand makes it FLOAT; a zero divisor is 100051 / 22012 "Division by zero"
 * (https://docs.snowflake.com/en/sql-reference/functions/div0 shows that error). AVG of a NUMBER is the sum
 * divided by the count, so it takes the division's scale (the AVG page does not state a scale; its
 * examples, e.g. AVG of integers 1.666667, match the division rule).
 * DuckDB divides in DOUBLE, so the scale is inferred here from the statement's tokens: literals, columns of
 * the tables it reads, casts, COUNT/SUM/MIN/MAX/ROUND and nested + - * /. When the dividend's type cannot be
 * inferred, the quotient stays FLOAT (not modelled further), but the zero check still applies.
 */
import type { SchemaObject } from './catalog.js';
import { isIdent, isOp, isWord, matchParen, type Token } from './lexer.js';
import { resolveObject, readChain } from './names.js';
import type { TranslateContext } from './translate.js';
import { parseType, type SfColumn } from './types.js';

export const ARITHMETIC_MACROS = [
  `CREATE OR REPLACE TEMP MACRO SF_DIV(a, b) AS CASE WHEN b = 0 THEN error('SF:100051:22012:Division by zero') ELSE a / b END`,
  // DATEADD by a day or more keeps a DATE a DATE, a TIMESTAMP_TZ its offset (https://docs.snowflake.com/en/sql-reference/functions/dateadd).
  `CREATE OR REPLACE TEMP MACRO SF_DATEADD_WHOLE(d DATE, iv) AS CAST(d + iv AS DATE), (d TIMESTAMP, iv) AS d + iv, (d TIMESTAMPTZ, iv) AS d + iv, (d STRUCT(sf_utc TIMESTAMPTZ, sf_off SMALLINT), iv) AS SF_TZ_PLUS(d, iv), (d VARCHAR, iv) AS CAST(d AS TIMESTAMP) + iv`,
];

/** NUMBER scale, FLOAT, or unknown (null). */
type NumType = { scale: number } | 'float' | null;

const columnCache = new WeakMap<Token[], Map<string, SfColumn | null>>();

/** Columns of the tables and views the statement names after FROM / JOIN (a name in two of them with different types: unknown). */
function statementColumns(ctx: TranslateContext): Map<string, SfColumn | null> {
  let cols = columnCache.get(ctx.tokens);
  if (cols) return cols;
  cols = new Map();
  const { tokens } = ctx;
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (!isWord(tokens[i], 'FROM', 'JOIN') || !isIdent(tokens[i + 1])) continue;
    const chain = readChain(tokens, i + 1);
    if (!chain) continue;
    let obj: SchemaObject;
    try {
      obj = resolveObject(ctx.catalog, chain.parts, ctx.session, ['TABLE', 'VIEW', 'STREAM']);
    } catch {
      continue;
    }
    for (const c of obj.columns) {
      const seen = cols.get(c.name);
      cols.set(c.name, seen === undefined || (seen && seen.type === c.type && seen.scale === c.scale) ? c : null);
    }
  }
  columnCache.set(ctx.tokens, cols);
  return cols;
}

function fromColumn(c: Pick<SfColumn, 'type' | 'scale'> | null | undefined): NumType {
  if (!c) return null;
  if (c.type === 'NUMBER') return { scale: c.scale ?? 0 };
  return c.type === 'FLOAT' ? 'float' : null;
}

export function divisionScale(s1: number): number {
  return Math.max(s1, Math.min(s1 + 6, 12));
}

function combine(a: NumType, b: NumType, op: string): NumType {
  if (a === null || b === null) return null;
  if (a === 'float' || b === 'float') return 'float';
  if (op === '*') return { scale: Math.min(a.scale + b.scale, Math.max(a.scale, b.scale, 12)) };
  if (op === '/') return { scale: divisionScale(a.scale) };
  return { scale: Math.max(a.scale, b.scale) };
}

const operandEnd = (t: Token | undefined) => !!t && (t.type !== 'op' || t.value === ')' || t.value === ']');

/** The numeric type of tokens[s, e), or null when it cannot be told from the text. */
export function inferType(ctx: TranslateContext, s: number, e: number): NumType {
  const { tokens } = ctx;
  if (s >= e) return null;
  if (isOp(tokens[s], '(') && matchParen(tokens, s) === e - 1) return inferType(ctx, s + 1, e - 1);
  for (const ops of [['+', '-'], ['*', '/', '%']]) {
    let depth = 0;
    for (let k = e - 1; k > s; k--) {
      const t = tokens[k]!;
      if (isOp(t, ')')) depth++;
      else if (isOp(t, '(')) depth--;
      else if (depth === 0 && t.type === 'op' && ops.includes(t.value) && operandEnd(tokens[k - 1])) {
        return combine(inferType(ctx, s, k), inferType(ctx, k + 1, e), t.value);
      }
    }
  }
  if ((isOp(tokens[s], '-') || isOp(tokens[s], '+')) && e - s > 1) return inferType(ctx, s + 1, e);
  for (let k = e - 1, depth = 0; k > s; k--) {
    if (isOp(tokens[k], ')')) depth++;
    else if (isOp(tokens[k], '(')) depth--;
    else if (depth === 0 && isOp(tokens[k], '::')) return typeAt(ctx, k + 1, e);
  }
  const first = tokens[s]!;
  if (e - s === 1 && first.type === 'number') return /[eE]/.test(first.raw) ? 'float' : { scale: first.raw.split('.')[1]?.length ?? 0 };
  if (isIdent(first) && isOp(tokens[s + 1], '(') && matchParen(tokens, s + 1) === e - 1) return callType(ctx, first.value, s + 2, e - 1);
  const chain = isIdent(first) ? readChain(tokens, s) : null;
  if (chain && chain.end === e) return fromColumn(statementColumns(ctx).get(chain.parts[chain.parts.length - 1]!));
  return null;
}

function typeAt(ctx: TranslateContext, s: number, e: number): NumType {
  try {
    const parsed = parseType(ctx.sql, ctx.tokens, s);
    return parsed.end === e ? fromColumn(parsed.column) : null;
  } catch {
    return null;
  }
}

function callType(ctx: TranslateContext, name: string, s: number, e: number): NumType {
  const { tokens } = ctx;
  const argStart = isWord(tokens[s], 'DISTINCT', 'ALL') ? s + 1 : s;
  switch (name) {
    case 'COUNT': return { scale: 0 };
    case 'SUM': case 'MIN': case 'MAX': case 'ANY_VALUE': case 'ABS': return inferType(ctx, argStart, e);
    case 'AVG': {
      const t = inferType(ctx, argStart, e);
      return t && t !== 'float' ? { scale: divisionScale(t.scale) } : t;
    }
    case 'CAST': case 'TRY_CAST': {
      for (let k = e - 1, depth = 0; k > s; k--) {
        if (isOp(tokens[k], ')')) depth++;
        else if (isOp(tokens[k], '(')) depth--;
        else if (depth === 0 && isWord(tokens[k], 'AS')) return typeAt(ctx, k + 1, e);
      }
      return null;
    }
    case 'ROUND': case 'TRUNC': case 'TRUNCATE': {
      const comma = tokens.findIndex((t, k) => k >= s && k < e && isOp(t, ',') && parenDepth(tokens, s, k) === 0);
      const arg = inferType(ctx, s, comma < 0 ? e : comma);
      if (arg === null || arg === 'float') return arg;
      const places = comma < 0 ? 0 : Number(tokens[comma + 1]?.type === 'number' && comma + 2 === e ? tokens[comma + 1]!.value : NaN);
      return Number.isInteger(places) ? { scale: Math.max(0, Math.min(arg.scale, places)) } : null;
    }
    default: return null;
  }
}

function parenDepth(tokens: Token[], s: number, at: number): number {
  let depth = 0;
  for (let k = s; k < at; k++) depth += isOp(tokens[k], '(') ? 1 : isOp(tokens[k], ')') ? -1 : 0;
  return depth;
}

/** Where the right operand of the '/' at tokens[at] ends: [+|-] primary [::type …]. */
export function rightOperandEnd(ctx: TranslateContext, at: number, end: number): number {
  const { tokens } = ctx;
  let k = at + 1;
  if (isOp(tokens[k], '-') || isOp(tokens[k], '+')) k++;
  if (isOp(tokens[k], '(')) k = matchParen(tokens, k) + 1;
  else if (isIdent(tokens[k])) {
    k = readChain(tokens, k)?.end ?? k + 1;
    if (isOp(tokens[k], '(')) k = matchParen(tokens, k) + 1;
  } else k++;
  while (k < end && isOp(tokens[k], '::')) k = parseType(ctx.sql, tokens, k + 1).end;
  return Math.min(Math.max(k, at + 2), end);
}

/** SQL for `left / right` given the dividend's token range [leftStart, at). */
export function divisionSql(ctx: TranslateContext, leftStart: number, at: number, left: string, right: string): string {
  const t = inferType(ctx, leftStart, at);
  const div = `SF_DIV(${left}, ${right})`;
  return t && t !== 'float' ? `CAST(${div} AS DECIMAL(38,${divisionScale(t.scale)}))` : div;
}

/** AVG(x) [OVER (…)] of a NUMBER: the division's scale. Returns null to leave AVG as it is. */
export function avgSql(ctx: TranslateContext, at: number, translateRange: (s: number, e: number) => string): { sql: string; end: number } | null {
  const { tokens } = ctx;
  if (!isOp(tokens[at + 1], '(')) return null;
  const close = matchParen(tokens, at + 1);
  const t = inferType(ctx, isWord(tokens[at + 2], 'DISTINCT', 'ALL') ? at + 3 : at + 2, close);
  if (!t || t === 'float') return null;
  let end = close + 1;
  if (isWord(tokens[end], 'OVER') && isOp(tokens[end + 1], '(')) end = matchParen(tokens, end + 1) + 1;
  return { sql: `CAST(AVG(${translateRange(at + 2, close)})${end > close + 1 ? ` ${translateRange(close + 1, end)}` : ''} AS DECIMAL(38,${divisionScale(t.scale)}))`, end };
}

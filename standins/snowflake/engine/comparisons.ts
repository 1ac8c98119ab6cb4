/**
 * Comparison operands: "TIMESTAMP_TZ internally stores UTC time together with an associated time zone offset"
 * (https://docs.snowflake.com/en/sql-reference/data-types-datetime#timestamp-ltz-timestamp-ntz-timestamp-tz); the
 * docs state no separate comparison rule for TIMESTAMP_TZ, so values compare by that UTC time (the stricter reading:
 * '2024-03-01 10:00:00 +02:00' equals '2024-03-01 08:00:00 +00:00', as two LTZ values of one instant do). The engine keeps a TZ value as a
 * struct of instant and offset (tz-values.ts), which DuckDB would compare field by field (and not at all against an
 * LTZ/NTZ value), so both operands of = <> != < > <= >= are wrapped in SF_UTC, the identity on every other type.
 * `x || y` converts a TIMESTAMP_TZ operand to text as TO_VARCHAR does (the output format at its own offset,
 * https://docs.snowflake.com/en/sql-reference/functions/concat: non-text arguments are converted implicitly): its
 * operands go through SF_CONCAT_TEXT, also the identity on every other type.
 * Only a primary operand (literal, name, call, (…) group, with casts) between clause boundaries is wrapped; any other
 * shape is left to DuckDB as written.
 */
import { isIdent, isOp, isWord, matchParen, type Token } from './lexer.js';
import { readChain } from './names.js';
import { parseType } from './types.js';
import { operandStart } from './operands.js';
import { hasAggregate } from './tz-values.js';

export const COMPARISON_OPS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);

const BEFORE = new Set(['WHERE', 'AND', 'OR', 'ON', 'WHEN', 'THEN', 'ELSE', 'NOT', 'SELECT', 'HAVING', 'QUALIFY', 'IF']);
const AFTER = new Set(['AND', 'OR', 'THEN', 'WHEN', 'ELSE', 'END', 'ORDER', 'GROUP', 'LIMIT', 'HAVING', 'QUALIFY', 'UNION', 'EXCEPT',
  'INTERSECT', 'MINUS', 'AS', 'FROM', 'WHERE', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'NATURAL', 'WINDOW', 'OFFSET', 'FETCH']);

/** First token of the left operand of the comparison at tokens[at], or null when it is not a plain primary. */
export function comparisonLeft(tokens: Token[], at: number, start: number): number | null {
  let k = operandStart(tokens, at);
  while (k - 1 > start && isOp(tokens[k - 1], '::')) k = operandStart(tokens, k - 1);
  if (k < start || k >= at) return null;
  const before = tokens[k - 1];
  if (k === start || !before) return k;
  if (isOp(before, '(') || isOp(before, ',') || (isOp(tokens[at], '||') && isOp(before, '||'))) return k;
  return before.type === 'word' && BEFORE.has(before.value) ? k : null;
}

const NOT_PRIMARY = new Set(['CASE', 'EXISTS', 'ANY', 'ALL', 'SOME', 'NOT', 'INTERVAL', 'SELECT', 'DATE', 'TIME', 'TIMESTAMP']);

/** End (exclusive) of the right operand of the comparison at tokens[at], or null when it is not a plain primary. */
export function comparisonRightEnd(sql: string, tokens: Token[], at: number, end: number): number | null {
  let k = at + 1;
  if (isOp(tokens[k], '-') || isOp(tokens[k], '+')) k++;
  const first = tokens[k];
  if (!first || k >= end) return null;
  const kind: string = first.type;
  if (isOp(first, '(')) k = matchParen(tokens, k) + 1;
  else if (isIdent(first)) {
    if (first.type === 'word' && NOT_PRIMARY.has(first.value)) return null;
    k = readChain(tokens, k)?.end ?? k + 1;
    if (isOp(tokens[k], '(')) k = matchParen(tokens, k) + 1;
  } else if (kind === 'string' || kind === 'number' || kind === 'bind') k++;
  else return null;
  if (k <= at + 1) return null;
  while (k < end && isOp(tokens[k], '::')) k = parseType(sql, tokens, k + 1).end;
  const after = tokens[k];
  if (k > end) return null;
  if (k === end || !after || isOp(after, ')') || isOp(after, ',') || isOp(after, ';') || (isOp(tokens[at], '||') && isOp(after, '||'))) return k;
  return after.type === 'word' && AFTER.has(after.value) ? k : null;
}

/** Whether `=` at tokens[at] assigns (UPDATE … SET / MERGE … UPDATE SET col = …) rather than compares. */
export function isAssignment(tokens: Token[], at: number, setDepthOpen: boolean): boolean {
  if (!setDepthOpen) return false;
  let k = at - 1;
  while (k >= 2 && isOp(tokens[k - 1], '.') && isIdent(tokens[k - 2])) k -= 2;
  return isIdent(tokens[at - 1]) && (isWord(tokens[k - 1], 'SET') || isOp(tokens[k - 1], ','));
}

/** `left op right` with both operands wrapped (SF_UTC, or SF_CONCAT_TEXT for ||), unless one holds an aggregate. */
export function comparisonSql(op: string, left: string, right: string): string {
  if (hasAggregate(left) || hasAggregate(right)) return `${left} ${op} ${right}`;
  const wrap = op === '||' ? 'SF_CONCAT_TEXT' : 'SF_UTC';
  return `${wrap}(${left}) ${op} ${wrap}(${right})`;
}

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

/** Where an operator sits: the tokens, and how to take the SQL already emitted from token k on / translate a range. */
export interface OperatorSite {
  sql: string;
  tokens: Token[];
  start: number;
  end: number;
  take(k: number): string | null;
  translate(start: number, end: number): string;
}

/**
 * `a op b` (op one of COMPARISON_OPS or ||), `x [NOT] BETWEEN a AND b` or `x [NOT] IN (a, b, …)` at tokens[at], operands
 * wrapped (comparisonSql); null to leave the operator as written (an operand that is not a plain primary).
 */
export function operatorSql(site: OperatorSite, at: number): { sql: string; end: number } | null {
  const { tokens } = site;
  const op = tokens[at]!.value;
  const ranged = op === 'BETWEEN' || op === 'IN';
  if (!COMPARISON_OPS.has(op) && op !== '||' && !ranged) return null;
  const not = ranged && isWord(tokens[at - 1], 'NOT') ? 'NOT ' : '';
  const left = comparisonLeft(tokens, not ? at - 1 : at, site.start);
  if (left === null) return null;
  // The NOT already emitted is taken with the left operand, and written again before BETWEEN / IN.
  const take = (k: number) => {
    const sql = site.take(k);
    return sql !== null && not ? sql.replace(/\s*NOT$/, '') : sql;
  };
  if (op === 'IN') return inList({ ...site, take }, at, left, not);
  const rightEnd = comparisonRightEnd(site.sql, tokens, at, site.end);
  if (rightEnd === null) return null;
  if (op !== 'BETWEEN') {
    const leftSql = site.take(left);
    return leftSql === null ? null : { sql: comparisonSql(op, leftSql, site.translate(at + 1, rightEnd)), end: rightEnd };
  }
  // x BETWEEN a AND b is a >= and a <= comparison (https://docs.snowflake.com/en/sql-reference/functions/between).
  if (!isWord(tokens[rightEnd], 'AND')) return null;
  const upperEnd = comparisonRightEnd(site.sql, tokens, rightEnd, site.end);
  const leftSql = upperEnd === null ? null : take(left);
  if (leftSql === null || upperEnd === null) return null;
  return { sql: wrapped(leftSql, [site.translate(at + 1, rightEnd), site.translate(rightEnd + 1, upperEnd)], (x, [a, b]) => `${x} ${not}BETWEEN ${a} AND ${b}`), end: upperEnd };
}

/** `x [NOT] IN (a, b, …)`: a list of values, not a subquery (https://docs.snowflake.com/en/sql-reference/functions/in). */
function inList(site: OperatorSite, at: number, left: number, not: string): { sql: string; end: number } | null {
  const { tokens } = site;
  if (!isOp(tokens[at + 1], '(') || isWord(tokens[at + 2], 'SELECT', 'WITH')) return null;
  const close = matchParen(tokens, at + 1);
  if (close < 0 || close >= site.end) return null;
  const items: Array<[number, number]> = [];
  let depth = 0;
  let from = at + 2;
  for (let k = at + 2; k <= close; k++) {
    if (isOp(tokens[k], '(')) depth++;
    else if (isOp(tokens[k], ')') && k < close) depth--;
    else if (k === close || (depth === 0 && isOp(tokens[k], ','))) { items.push([from, k]); from = k + 1; }
  }
  const leftSql = site.take(left);
  if (leftSql === null) return null;
  const values = items.map(([s, e]) => site.translate(s, e));
  return { sql: wrapped(leftSql, values, (x, list) => `${x} ${not}IN (${list.join(', ')})`), end: close + 1 };
}

/** Operands through SF_UTC unless one holds an aggregate. */
function wrapped(left: string, others: string[], shape: (left: string, others: string[]) => string): string {
  if ([left, ...others].some(hasAggregate)) return shape(left, others);
  return shape(`SF_UTC(${left})`, others.map((o) => `SF_UTC(${o})`));
}

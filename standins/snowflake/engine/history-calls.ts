/**
 * What the INFORMATION_SCHEMA history table functions share (TASK_HISTORY, ALERT_HISTORY, NOTIFICATION_HISTORY):
 * finding `FROM TABLE([<db>.]INFORMATION_SCHEMA.<NAME>(…))` in a query's tokens, and the inline relation with the
 * function's documented columns that replaces it, FROM included.
 */
import { sqlString } from './catalog.js';
import { syntaxError } from './errors.js';
import { isIdent, isOp, isWord, matchParen, type Token } from './lexer.js';

export interface TableFunctionCall {
  /** Token span to replace: from the FROM keyword to just after the closing parenthesis of TABLE(…). */
  start: number;
  end: number;
  /** The function's own parentheses (arguments lie strictly between). */
  open: number;
  closeCall: number;
  /** The name as written, e.g. ['DB', 'INFORMATION_SCHEMA', 'TASK_HISTORY']. */
  parts: string[];
  /** The database named in the call, else null (the session's current one applies). */
  database: string | null;
  /** An alias follows (`… ) h`), so the relation must not be named. */
  aliased: boolean;
}

const CLAUSE_WORDS = new Set(['WHERE', 'ORDER', 'GROUP', 'LIMIT', 'HAVING', 'QUALIFY', 'UNION', 'JOIN', 'LEFT', 'INNER', 'CROSS', 'ON', 'AS']);

/** Every `FROM TABLE([db.]INFORMATION_SCHEMA.<name>(…))` of a query, in order. */
export function findTableFunctionCalls(sql: string, tokens: Token[], name: string): TableFunctionCall[] {
  const calls: TableFunctionCall[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'FROM') || !isWord(tokens[i + 1], 'TABLE') || !isOp(tokens[i + 2], '(')) continue;
    let k = i + 3;
    const parts: string[] = [];
    while (isIdent(tokens[k])) {
      parts.push(tokens[k]!.value);
      if (!isOp(tokens[k + 1], '.')) break;
      k += 2;
    }
    if (parts[parts.length - 1] !== name || parts[parts.length - 2] !== 'INFORMATION_SCHEMA' || parts.length > 3) continue;
    const open = k + 1;
    const closeCall = matchParen(tokens, open);
    const closeTable = matchParen(tokens, i + 2);
    if (!isOp(tokens[open], '(') || closeCall < 0 || closeTable !== closeCall + 1) throw syntaxError(sql, tokens[i + 1]!.pos);
    const next = tokens[closeTable + 1];
    const aliased = isWord(next, 'AS') || (isIdent(next) && !(next.type === 'word' && CLAUSE_WORDS.has(next.value)));
    calls.push({ start: i, end: closeTable + 1, open, closeCall, parts, database: parts.length === 3 ? parts[0]! : null, aliased });
    i = closeTable;
  }
  return calls;
}

/** RESULT_LIMIT as the history functions document it: 1 to 10 000, default 100. */
export function clampResultLimit(value: Token | undefined): number | null {
  return value?.type === 'number' ? Math.min(10_000, Math.max(1, Number(value.value))) : null;
}

/** `NAME => value` arguments of a call whose values are single tokens (string or number literals). */
export function simpleArguments(tokens: Token[], call: TableFunctionCall): Map<string, Token> {
  const args = new Map<string, Token>();
  for (let a = call.open + 1; a < call.closeCall; a++) {
    if (isIdent(tokens[a]) && isOp(tokens[a + 1], '=>') && tokens[a + 2]) args.set(tokens[a]!.value, tokens[a + 2]!);
  }
  return args;
}

export type HistoryColumn<R> = [name: string, type: string, get: (row: R) => string | number | Date | null];

function literal(v: string | number | Date | null, type: string): string {
  if (v === null) return `CAST(NULL AS ${type})`;
  if (v instanceof Date) return `CAST(${sqlString(v.toISOString())} AS ${type})`;
  return `CAST(${typeof v === 'number' ? v : sqlString(v)} AS ${type})`;
}

/** The rows as an inline relation with exactly these columns (typed even when there are no rows). */
export function inlineRelation<R>(columns: Array<HistoryColumn<R>>, rows: R[]): string {
  if (rows.length === 0) return `SELECT ${columns.map(([n, t]) => `CAST(NULL AS ${t}) AS "${n}"`).join(', ')} WHERE FALSE`;
  const values = rows.map((r) => `(${columns.map(([, t, get]) => literal(get(r), t)).join(', ')})`);
  return `SELECT * FROM (VALUES ${values.join(', ')}) AS t(${columns.map(([n]) => `"${n}"`).join(', ')})`;
}

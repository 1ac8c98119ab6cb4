/**
 * The pipe operator (https://docs.snowflake.com/en/sql-reference/operators-flow): `<stmt1> ->> <stmt2>`, where
 * stmt2 reads stmt1's result as `$1` in its FROM clause ("You can specify any valid SQL statement, such as SHOW,
 * SELECT …"). Two statements are supported (what an alert condition over SHOW output needs); `$1` is replaced by
 * an inline relation of stmt1's rows, column names kept as SHOW prints them (lower case, so they are referenced
 * quoted: "stale_after"). Whether an ALERT condition may be a pipe chain is not documented (UNCONFIRMED); the
 * stand-in accepts it.
 */
import type { ColumnMeta, EngineResult } from '../../engine-types.js';
import { sqlString } from '../catalog.js';
import { SnowflakeSqlError } from '../errors.js';
import { isOp, isWord, type Token } from '../lexer.js';
import type { Session } from '../session.js';

const PLACEHOLDER = 'BATCH_SF_PIPE_RESULT_1';

function cellSql(col: ColumnMeta, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (col.type.startsWith('TIMESTAMP')) {
    const ns = BigInt(String(value).split('.')[0]!);
    return `CAST(${sqlString(new Date(Number(ns / 1_000_000n)).toISOString())} AS TIMESTAMPTZ)`;
  }
  if (col.type === 'FIXED') return `CAST(${sqlString(String(value))} AS DECIMAL(38,0))`;
  return sqlString(String(value));
}

function relation(result: EngineResult): string {
  const names = result.columns.map((c) => `"${c.name.replace(/"/g, '""')}"`).join(', ');
  if (result.rows.length === 0) return `SELECT ${result.columns.map((c) => `CAST(NULL AS VARCHAR) AS "${c.name}"`).join(', ')} WHERE FALSE`;
  const rows = result.rows.map((row) => `(${row.map((v, i) => cellSql(result.columns[i]!, v)).join(', ')})`);
  return `SELECT * FROM (VALUES ${rows.join(', ')}) AS t(${names})`;
}

export class PipeOperator {
  private readonly results = new WeakMap<Session, string>();

  /** Runs a two-statement chain; undefined when the statement has no top-level `->>`. */
  async handle(session: Session, sql: string, tokens: Token[]): Promise<EngineResult | undefined> {
    let depth = 0;
    const at: number[] = [];
    tokens.forEach((t, i) => {
      if (isOp(t, '(')) depth++;
      if (isOp(t, ')')) depth--;
      if (depth === 0 && isOp(t, '->>')) at.push(i);
    });
    if (at.length === 0) return undefined;
    if (at.length > 1) throw new SnowflakeSqlError('001003', '42000', 'SQL compilation error:\nThis stand-in supports pipe chains of two statements.');
    const split = tokens[at[0]!]!;
    const first = sql.slice(0, split.pos).trim();
    const second = sql.slice(split.pos + split.raw.length).trim().replace(/;\s*$/, '');
    if (!isWord(tokens[at[0]! + 1], 'SELECT')) throw new SnowflakeSqlError('001003', '42000', 'SQL compilation error:\nThe statement after ->> must be a SELECT in this stand-in.');
    const result = await session.execute(first, []);
    this.results.set(session, relation(result));
    try {
      return await session.execute(second.replace(/\$1\b/g, PLACEHOLDER), []);
    } finally {
      this.results.delete(session);
    }
  }

  /** `FROM <placeholder>` → `FROM (<relation of the first statement>) AS PIPE_1`. */
  replacements(session: Session, tokens: Token[]): Map<number, [number, string]> {
    const out = new Map<number, [number, string]>();
    const rel = this.results.get(session);
    if (!rel) return out;
    tokens.forEach((t, i) => {
      if (isWord(t, 'FROM') && isWord(tokens[i + 1], PLACEHOLDER)) out.set(i, [i + 2, `FROM (${rel}) AS PIPE_1`]);
    });
    return out;
  }
}

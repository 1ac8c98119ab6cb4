/**
 * Tokenizer for Snowflake SQL. String literals are decoded (Snowflake accepts backslash escapes and
 * $$…$$ dollar-quoted strings) so the translator can re-emit them as DuckDB literals.
 */
import { syntaxError } from './errors.js';

export type TokenType = 'word' | 'quoted' | 'string' | 'number' | 'op' | 'bind';

export interface Token {
  type: TokenType;
  /** word: upper-cased text; quoted: identifier as written inside quotes; string: decoded value; bind: 1-based index. */
  value: string;
  /** Original text, for error messages and pass-through. */
  raw: string;
  pos: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const BACKSLASH_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };
const MULTI_CHAR_OPS = ['::', '||', '<=', '>=', '<>', '!=', '=>', '->>', '->'];

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let positional = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const start = i;
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '-' && sql[i + 1] === '-' || ch === '/' && sql[i + 1] === '/') {
      while (i < sql.length && sql[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) throw syntaxError(sql, i, 'unterminated comment');
      i = end + 2;
      continue;
    }
    if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= sql.length) throw syntaxError(sql, start, 'unterminated string literal');
        const c = sql[i]!;
        if (c === "'" && sql[i + 1] === "'") { value += "'"; i += 2; continue; }
        if (c === "'") { i++; break; }
        if (c === '\\' && i + 1 < sql.length) {
          const next = sql[i + 1]!;
          value += BACKSLASH_ESCAPES[next] ?? next;
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      tokens.push({ type: 'string', value, raw: sql.slice(start, i), pos: start });
      continue;
    }
    if (ch === '$' && sql[i + 1] === '$') {
      const end = sql.indexOf('$$', i + 2);
      if (end < 0) throw syntaxError(sql, i, 'unterminated $$ string');
      tokens.push({ type: 'string', value: sql.slice(i + 2, end), raw: sql.slice(i, end + 2), pos: start });
      i = end + 2;
      continue;
    }
    if (ch === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= sql.length) throw syntaxError(sql, start, 'unterminated quoted identifier');
        if (sql[i] === '"' && sql[i + 1] === '"') { value += '"'; i += 2; continue; }
        if (sql[i] === '"') { i++; break; }
        value += sql[i];
        i++;
      }
      tokens.push({ type: 'quoted', value, raw: sql.slice(start, i), pos: start });
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(sql.slice(i))!;
      tokens.push({ type: 'number', value: m[0], raw: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    if (WORD_START.test(ch) || (ch === '$' && WORD_START.test(sql[i + 1] ?? ''))) {
      i++;
      while (i < sql.length && WORD_PART.test(sql[i]!)) i++;
      const raw = sql.slice(start, i);
      tokens.push({ type: 'word', value: raw.toUpperCase(), raw, pos: start });
      continue;
    }
    if (ch === '?') {
      positional++;
      tokens.push({ type: 'bind', value: String(positional), raw: '?', pos: start });
      i++;
      continue;
    }
    if (ch === ':' && /[0-9]/.test(sql[i + 1] ?? '')) {
      const m = /^:(\d+)/.exec(sql.slice(i))!;
      tokens.push({ type: 'bind', value: m[1]!, raw: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    const op = MULTI_CHAR_OPS.find((o) => sql.startsWith(o, i)) ?? ch;
    tokens.push({ type: 'op', value: op, raw: op, pos: start });
    i += op.length;
  }
  while (tokens.length > 0 && tokens[tokens.length - 1]!.value === ';' && tokens[tokens.length - 1]!.type === 'op') tokens.pop();
  return tokens;
}

export function isWord(t: Token | undefined, ...words: string[]): boolean {
  return t !== undefined && t.type === 'word' && (words.length === 0 || words.includes(t.value));
}

export function isOp(t: Token | undefined, op: string): boolean {
  return t !== undefined && t.type === 'op' && t.value === op;
}

/** Identifier value as Snowflake resolves it: unquoted upper-cased, quoted as written. */
export function identValue(t: Token): string {
  return t.type === 'quoted' ? t.value : t.value;
}

export function isIdent(t: Token | undefined): t is Token {
  return t !== undefined && (t.type === 'word' || t.type === 'quoted');
}

/** Index of the parenthesis closing the one at `open`. */
export function matchParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOp(tokens[i], '(')) depth++;
    else if (isOp(tokens[i], ')')) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** One statement of a multi-statement request: its text and how many `?` binds the earlier ones used. */
export interface StatementText {
  text: string;
  bindsBefore: number;
}

/** Splits a request at its top-level semicolons (not inside strings, quoted names or comments); empty pieces are dropped. */
export function splitStatements(sql: string): StatementText[] {
  const tokens = tokenize(sql);
  const pieces: StatementText[] = [];
  let start = 0;
  let binds = 0;
  let bindsBefore = 0;
  const flush = (end: number) => {
    const text = sql.slice(start, end).trim();
    if (text.replace(/;+$/, '').trim() !== '') pieces.push({ text, bindsBefore });
    bindsBefore = binds;
  };
  for (const t of tokens) {
    if (t.type === 'bind' && t.raw === '?') binds++;
    if (t.type === 'op' && t.value === ';') {
      flush(t.pos);
      start = t.pos + 1;
    }
  }
  flush(sql.length);
  return pieces;
}

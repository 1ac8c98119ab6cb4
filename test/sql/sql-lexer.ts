/**
 * An independent Snowflake SQL lexer for tests: it decodes what Snowflake would read from our rendered SQL
 * (string literals with '' and backslash escapes, "quoted identifiers" with "", $$ strings, comments), so the
 * injection tests check meaning, not the renderer's own output format.
 */
export type Token =
  | { kind: 'string'; value: string }
  | { kind: 'ident'; value: string; quoted: boolean }
  | { kind: 'dollar'; value: string }
  | { kind: 'number'; value: string }
  | { kind: 'punct'; value: string };

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };

export function lexSql(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    if (/\s/.test(ch)) { i += 1; continue; }
    if (sql.startsWith('--', i) || sql.startsWith('//', i)) { const nl = sql.indexOf('\n', i); i = nl === -1 ? sql.length : nl; continue; }
    if (sql.startsWith('/*', i)) { const end = sql.indexOf('*/', i + 2); if (end === -1) throw new Error('unclosed comment'); i = end + 2; continue; }
    if (sql.startsWith('$$', i)) {
      const end = sql.indexOf('$$', i + 2);
      if (end === -1) throw new Error('unclosed $$');
      tokens.push({ kind: 'dollar', value: sql.slice(i + 2, end) });
      i = end + 2;
      continue;
    }
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new Error('unclosed string');
        const c = sql[j] as string;
        if (c === '\\') { const e = sql[j + 1] as string; value += ESCAPES[e] ?? e; j += 2; continue; }
        if (c === "'") { if (sql[j + 1] === "'") { value += "'"; j += 2; continue; } break; }
        value += c;
        j += 1;
      }
      tokens.push({ kind: 'string', value });
      i = j + 1;
      continue;
    }
    if (ch === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new Error('unclosed identifier');
        if (sql[j] === '"') { if (sql[j + 1] === '"') { value += '"'; j += 2; continue; } break; }
        value += sql[j];
        j += 1;
      }
      tokens.push({ kind: 'ident', value, quoted: true });
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i));
    if (word) { tokens.push({ kind: 'ident', value: word[0].toUpperCase(), quoted: false }); i += word[0].length; continue; }
    const num = /^\d+/.exec(sql.slice(i));
    if (num) { tokens.push({ kind: 'number', value: num[0] }); i += num[0].length; continue; }
    tokens.push({ kind: 'punct', value: ch });
    i += 1;
  }
  return tokens;
}

/** The qualified name (exact parts) that starts at token index `at`: ident (. ident)*. */
export function nameAt(tokens: Token[], at: number): string[] {
  const parts: string[] = [];
  let i = at;
  for (;;) {
    const t = tokens[i];
    if (t?.kind !== 'ident') throw new Error(`expected an identifier at token ${i}, got ${JSON.stringify(t)}`);
    parts.push(t.value);
    if (tokens[i + 1]?.kind === 'punct' && tokens[i + 1]?.value === '.') i += 2;
    else return parts;
  }
}

/** Index of the token after the keyword sequence, e.g. ['ON', 'VIEW']. */
export function after(tokens: Token[], keywords: string[]): number {
  for (let i = 0; i + keywords.length <= tokens.length; i += 1) {
    const matches = (k: string, t: Token | undefined) => (t?.kind === 'ident' && !t.quoted) || t?.kind === 'punct' ? t.value === k : false;
    if (keywords.every((k, j) => matches(k, tokens[i + j]))) return i + keywords.length;
  }
  throw new Error(`keywords ${keywords.join(' ')} not found`);
}

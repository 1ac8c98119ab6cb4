/**
 * Result column names as Snowflake reports them: an unaliased expression in the outermost select list is
 * named after its text (e.g. `SELECT current_role()` → "CURRENT_ROLE()"), upper-cased outside literals;
 * DuckDB would name it after its own rewritten expression.
 */
import { isIdent, isOp, isWord, type Token } from './lexer.js';
import { translate, sqlIdent, type TranslateContext, type Translation } from './translate.js';

const NOT_AN_ALIAS = new Set(['END', 'NULL', 'TRUE', 'FALSE']);

function outerSelectList(tokens: Token[]): { start: number; end: number } | null {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isOp(t, '(')) depth++;
    else if (isOp(t, ')')) depth--;
    else if (depth === 0 && start < 0 && isWord(t, 'SELECT')) {
      start = i + 1;
      if (isWord(tokens[start], 'DISTINCT', 'ALL')) start++;
      if (isWord(tokens[start], 'TOP')) start += 2;
    } else if (depth === 0 && start >= 0 && isWord(t, 'FROM', 'WHERE', 'GROUP', 'ORDER', 'LIMIT', 'QUALIFY', 'HAVING', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS')) {
      return { start, end: i };
    }
  }
  return start >= 0 ? { start, end: tokens.length } : null;
}

function needsAlias(tokens: Token[], s: number, e: number): boolean {
  const last = tokens[e - 1];
  if (e - s === 1) return !((isIdent(last) && !(last!.type === 'word' && NOT_AN_ALIAS.has(last!.value))) || isOp(last, '*'));
  if (isOp(last, '*') && isOp(tokens[e - 2], '.')) return false;
  // a.b.c column chain
  let chain = true;
  for (let k = s; k < e; k++) if ((k - s) % 2 === 0 ? !isIdent(tokens[k]) : !isOp(tokens[k], '.')) chain = false;
  if (chain) return false;
  // explicit or implicit alias
  if (isIdent(last) && !(last!.type === 'word' && NOT_AN_ALIAS.has(last!.value)) && !isOp(tokens[e - 2], '.')) return false;
  return true;
}

/** The item's source text with unquoted words upper-cased (Snowflake names unaliased expressions so). */
function expressionName(sql: string, tokens: Token[], s: number, e: number): string {
  const begin = tokens[s]!.pos;
  let text = '';
  let at = begin;
  for (let k = s; k < e; k++) {
    const t = tokens[k]!;
    text += sql.slice(at, t.pos) + (t.type === 'word' ? t.value : t.raw);
    at = t.pos + t.raw.length;
  }
  return text;
}

export function aliasSelectList(ctx: TranslateContext): Translation {
  const { tokens } = ctx;
  const list = outerSelectList(tokens);
  if (!list) return translate(ctx);
  const items: Array<[number, number]> = [];
  let depth = 0;
  let itemStart = list.start;
  for (let i = list.start; i < list.end; i++) {
    if (isOp(tokens[i], '(')) depth++;
    else if (isOp(tokens[i], ')')) depth--;
    else if (depth === 0 && isOp(tokens[i], ',')) { items.push([itemStart, i]); itemStart = i + 1; }
  }
  if (itemStart < list.end) items.push([itemStart, list.end]);
  const head = translate(ctx, 0, list.start);
  const parts = items.map(([s, e]) => {
    const t = translate(ctx, s, e);
    return { ...t, sql: needsAlias(tokens, s, e) ? `${t.sql} AS ${sqlIdent(expressionName(ctx.sql, tokens, s, e))}` : t.sql };
  });
  const tail = translate(ctx, list.end, tokens.length);
  const all = [head, ...parts, tail];
  return {
    sql: `${head.sql} ${parts.map((p) => p.sql).join(', ')} ${tail.sql}`,
    objects: all.flatMap((p) => p.objects),
    streams: all.flatMap((p) => p.streams),
  };
}

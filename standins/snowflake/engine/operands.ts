/** Operand boundaries in a token stream: VARIANT paths, the operand before '::' or '/', table aliases. */
import { isIdent, isOp, isWord, type Token } from './lexer.js';

/** A VARIANT path at tokens[at] (':' name, or '[' literal ']' after a name or ')'): its JSON path and end. */
export function variantPath(tokens: Token[], at: number, end: number): { jsonPath: string; end: number } | null {
  const prev = tokens[at - 1];
  const startsPath = (isOp(tokens[at], ':') && isIdent(tokens[at + 1])) || (isOp(tokens[at], '[') && (prev?.type === 'word' || prev?.type === 'quoted' || isOp(prev, ')') || isOp(prev, ']')));
  if (!startsPath || !prev || (!isIdent(prev) && !isOp(prev, ')') && !isOp(prev, ']'))) return null;
  let path = '$';
  let i = at;
  while (i < end) {
    const t = tokens[i];
    if ((isOp(t, ':') && i === at) || (isOp(t, '.') && i > at)) {
      const key = tokens[i + 1];
      if (!isIdent(key)) break;
      // Unquoted path names are case-sensitive as written (the docs: keys are not upper-cased).
      path += `."${key.type === 'quoted' ? key.value : key.raw}"`;
      i += 2;
    } else if (isOp(t, '[') && tokens[i + 1] && isOp(tokens[i + 2], ']')) {
      const index = tokens[i + 1]!;
      if (index.type === 'number') path += `[${index.value}]`;
      else if (index.type === 'string') path += `."${index.value}"`;
      else break;
      i += 3;
    } else break;
  }
  return path === '$' ? null : { jsonPath: path, end: i };
}

/** First token of the operand that ends just before tokens[at] ('::'): a literal, a name chain, or a (…)/f(…) group. */
export function operandStart(tokens: Token[], at: number): number {
  let k = at - 1;
  if (isOp(tokens[k], ')')) {
    let depth = 0;
    for (; k >= 0; k--) {
      if (isOp(tokens[k], ')')) depth++;
      else if (isOp(tokens[k], '(') && --depth === 0) break;
    }
    if (isIdent(tokens[k - 1])) k--;
    return Math.max(k, 0);
  }
  while (k >= 2 && isOp(tokens[k - 1], '.') && isIdent(tokens[k - 2])) k -= 2;
  return k;
}

export function hasAlias(tokens: Token[], i: number, end: number, notAlias: Set<string>): boolean {
  const t = tokens[i];
  if (i >= end || !t) return false;
  if (isWord(t, 'AS')) return true;
  return isIdent(t) && !(t.type === 'word' && notAlias.has(t.value));
}

/** First token of the dividend of the '/' at tokens[at]: a run of operands joined by * / %, casts included. */
export function dividendStart(tokens: Token[], at: number, start: number): number {
  const primary = (k: number) => {
    let p = operandStart(tokens, k);
    while (p - 1 > start && isOp(tokens[p - 1], '::')) p = operandStart(tokens, p - 1);
    return p;
  };
  let k = primary(at);
  while (k - 1 > start && (isOp(tokens[k - 1], '*') || isOp(tokens[k - 1], '/') || isOp(tokens[k - 1], '%'))) k = primary(k - 1);
  return Math.max(k, start);
}

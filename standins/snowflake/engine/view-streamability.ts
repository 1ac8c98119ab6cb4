/**
 * Which views a stream can track (https://docs.snowflake.com/en/user-guide/streams-intro, "Streams on views";
 * reference §1.3): "Views with the following operations are not yet supported: GROUP BY clauses, QUALIFY
 * clauses, Subqueries not in the FROM clause, Correlated subqueries, LIMIT clauses, DISTINCT clauses", and
 * joins only inner or cross ("The view can apply only the following operations: Projections, Filters, Inner
 * or cross joins, UNION ALL"); "Nested views and subqueries in the FROM clause are supported as long as the
 * fully expanded query satisfies the other requirements", so views the view reads are checked too.
 * CREATE STREAM … ON VIEW on anything else fails. The docs give no error text or code: this one is
 * UNCONFIRMED (002040, the stand-in's "unsupported feature" code).
 */
import type { Catalog, SchemaObject } from './catalog.js';
import { SnowflakeSqlError } from './errors.js';
import { isOp, isWord, tokenize, type Token } from './lexer.js';

function firstUnsupported(tokens: Token[]): string | null {
  for (const [i, t] of tokens.entries()) {
    const next = tokens[i + 1];
    if (isWord(t, 'GROUP') && isWord(next, 'BY')) return 'GROUP BY';
    if (isWord(t, 'QUALIFY')) return 'QUALIFY';
    if (isWord(t, 'LIMIT')) return 'LIMIT';
    if (isWord(t, 'DISTINCT')) return 'DISTINCT';
    if (isWord(t, 'LEFT', 'RIGHT', 'FULL') && (isWord(next, 'JOIN') || (isWord(next, 'OUTER') && isWord(tokens[i + 2], 'JOIN')))) return 'outer joins';
    if (isOp(t, '(') && isWord(next, 'SELECT')) {
      const before = tokens[i - 1];
      // Subqueries in the FROM clause (FROM (SELECT …), JOIN (SELECT …), FROM a, (SELECT …)) are supported.
      if (!(isWord(before, 'FROM', 'JOIN') || isOp(before, ','))) return 'subqueries not in the FROM clause';
    }
  }
  return null;
}

/** Throws when a stream cannot track `view` (itself or a view it reads). */
export function checkViewStreamable(catalog: Catalog, view: SchemaObject, seen = new Set<number>()): void {
  if (seen.has(view.id) || !view.view) return;
  seen.add(view.id);
  const tokens = tokenize(view.view.selectSql);
  const found = firstUnsupported(tokens);
  if (found) {
    throw new SnowflakeSqlError('002040', '0A000', `SQL compilation error:\nChange tracking is not supported on view '${view.database}.${view.schema}.${view.name}': it uses ${found}, which streams on views do not support.`);
  }
  const words = new Set(tokens.filter((t) => t.type === 'word' || t.type === 'quoted').map((t) => t.value));
  for (const other of catalog.allObjects()) {
    if (other.kind === 'VIEW' && other.id !== view.id && words.has(other.name)) checkViewStreamable(catalog, other, seen);
  }
}

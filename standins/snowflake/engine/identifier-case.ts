/**
 * Snowflake resolves a quoted identifier exactly and an unquoted one as its upper-case form
 * (https://docs.snowflake.com/en/sql-reference/identifiers-syntax#double-quoted-identifiers): `"id"` does not
 * find a column ID, `"col"` does not find "Col", and `col` does not find "col" — each is 000904 invalid
 * identifier. DuckDB matches names case-insensitively, so before a query runs every column reference whose
 * exact name is not a column or alias of the query, but that matches a column of a table it reads in
 * another case, is refused here.
 */
import type { SchemaObject } from './catalog.js';
import { invalidIdentifier, lineAndColumn } from './errors.js';
import { isOp, isWord, type Token } from './lexer.js';

/** Words after which a quoted name is a reference, not an implicit alias (`WHERE "id" = 1`). */
const CLAUSE_WORDS = new Set([
  'SELECT', 'WHERE', 'AND', 'OR', 'NOT', 'ON', 'BY', 'WHEN', 'THEN', 'ELSE', 'CASE', 'SET', 'HAVING', 'QUALIFY',
  'IN', 'IS', 'LIKE', 'ILIKE', 'DISTINCT', 'ALL', 'ANY', 'BETWEEN', 'RETURNING', 'VALUES', 'INTO', 'USING',
  'PARTITION', 'OVER', 'END', 'ASC', 'DESC', 'NULLS', 'EXISTS', 'ROWS', 'RANGE', 'TOP', 'UPDATE', 'FROM', 'JOIN',
]);

/** Names the query itself defines: `AS name`, implicit aliases (`expr "Alias"`), CTE names and their column lists. */
function definedNames(tokens: Token[]): Set<string> {
  const names = new Set<string>();
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1]!;
    if (t.type !== 'quoted' && t.type !== 'word') continue;
    if (isWord(prev, 'AS')) names.add(t.value);
    else if (t.type === 'quoted' && (prev.type === 'quoted' || prev.type === 'number' || prev.type === 'string' || isOp(prev, ')') || (prev.type === 'word' && !CLAUSE_WORDS.has(prev.value)))) names.add(t.value);
  }
  // WITH name (c1, c2) AS (…): the column list defines names too.
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (!isOp(tokens[i + 1], '(') || !(tokens[i]!.type === 'quoted' || tokens[i]!.type === 'word')) continue;
    if (!(isWord(tokens[i - 1], 'WITH') || isOp(tokens[i - 1], ','))) continue;
    for (let k = i + 2; k < tokens.length && !isOp(tokens[k], ')'); k++) if (tokens[k]!.type === 'quoted' || tokens[k]!.type === 'word') names.add(tokens[k]!.value);
  }
  return names;
}

export function checkIdentifierCase(sql: string, tokens: Token[], objects: SchemaObject[]): void {
  if (objects.length === 0) return;
  const exact = new Set<string>();
  const byUpper = new Map<string, string>();
  for (const o of objects) {
    exact.add(o.name);
    for (const c of o.columns) { exact.add(c.name); byUpper.set(c.name.toUpperCase(), c.name); }
  }
  const defined = definedNames(tokens);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'quoted' && t.type !== 'word') continue;
    if (exact.has(t.value) || defined.has(t.value)) continue;
    const column = byUpper.get(t.value.toUpperCase());
    if (column === undefined || column === t.value) continue;
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    if (isOp(next, '(') || next?.type === 'string' || isOp(prev, '::') || isWord(prev, 'AS')) continue;
    // A name followed by '.' qualifies (a table or alias), it is not a column.
    if (isOp(next, '.')) continue;
    throw invalidIdentifier(t.type === 'quoted' ? `"${t.value}"` : t.value, lineAndColumn(sql, t.pos));
  }
}

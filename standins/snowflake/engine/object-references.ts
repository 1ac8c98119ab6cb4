/**
 * GET_OBJECT_REFERENCES (https://docs.snowflake.com/en/sql-reference/functions/get_object_references):
 * `TABLE([<db>.INFORMATION_SCHEMA.]GET_OBJECT_REFERENCES(DATABASE_NAME => '…', SCHEMA_NAME => '…', OBJECT_NAME => '…'))`
 * is replaced, FROM included, by an inline relation with the documented columns.
 * - Every table and view in the view's dependency chain is returned (the docs' example lists X_TAB_B, reached
 *   through X_VIEW_E, next to X_VIEW_E itself); streams, stages, UDFs, materialized views are not.
 * - Name arguments are identifiers inside single quotes: unquoted text is upper-cased, a mixed-case or special
 *   name must be double-quoted within the quotes (`'"My DB"'` vs `'mydb'`).
 * - SELECT on the view is required, and OWNERSHIP of every secure view in the chain, else
 *   "Insufficient privileges to operate on view '<view_name>'" (the docs' text).
 * - Qualification: the docs' example runs it after USE DATABASE and do not say where the function lives.
 *   Like the other INFORMATION_SCHEMA table functions (TASK_HISTORY: "the session must have an
 *   INFORMATION_SCHEMA schema in use or the function name must be fully qualified"), an unqualified or
 *   INFORMATION_SCHEMA-only call needs a current database (stricter choice: 090105 otherwise).
 * - A reference the stand-in cannot resolve to a table or view (a stage, a table function) is an error, as the
 *   docs say for stages, UDFs and materialized views ("returns an error, rather than returning a list"); the
 *   text of that error is not documented.
 */
import type { SessionContext } from '../engine-types.js';
import type { Authorizer } from './authz.js';
import { qualifiedName, sqlString, type Catalog, type SchemaObject } from './catalog.js';
import { insufficientPrivileges, objectDoesNotExist, SnowflakeSqlError, syntaxError } from './errors.js';
import { isIdent, isOp, isWord, matchParen, tokenize, type Token } from './lexer.js';
import { display, parseNameString, readChain } from './names.js';

const COLUMNS = ['DATABASE_NAME', 'SCHEMA_NAME', 'OBJECT_NAME', 'REFERENCED_DATABASE_NAME', 'REFERENCED_SCHEMA_NAME', 'REFERENCED_OBJECT_NAME', 'REFERENCED_OBJECT_TYPE'];
const CLAUSE_END = new Set(['WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'MINUS', 'INTERSECT', 'WINDOW']);

function noCurrentDatabase(): SnowflakeSqlError {
  return new SnowflakeSqlError('090105', '22000', "Cannot perform SELECT. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
}

/** Undocumented text (the docs only say the function "returns an error"). */
function unsupportedReference(view: string, what: string): SnowflakeSqlError {
  return new SnowflakeSqlError('002040', '0A000', `SQL compilation error:\nGET_OBJECT_REFERENCES does not support view '${view}': it references ${what}.`);
}

interface Call { start: number; end: number; database: string | null; args: Record<string, string>; aliased: boolean }

function findCalls(sql: string, tokens: Token[]): Call[] {
  const calls: Call[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'FROM') || !isWord(tokens[i + 1], 'TABLE') || !isOp(tokens[i + 2], '(')) continue;
    const chain = readChain(tokens, i + 3);
    const parts = chain?.parts ?? [];
    if (parts[parts.length - 1] !== 'GET_OBJECT_REFERENCES') continue;
    if (parts.length >= 2 && parts[parts.length - 2] !== 'INFORMATION_SCHEMA') throw objectDoesNotExist(parts.join('.'));
    const open = chain!.end;
    const closeCall = matchParen(tokens, open);
    const closeTable = matchParen(tokens, i + 2);
    if (!isOp(tokens[open], '(') || closeCall < 0 || closeTable !== closeCall + 1) throw syntaxError(sql, tokens[i + 1]!.pos);
    const args: Record<string, string> = {};
    for (let a = open + 1; a < closeCall; a++) {
      if (isIdent(tokens[a]) && isOp(tokens[a + 1], '=>') && tokens[a + 2]?.type === 'string') args[tokens[a]!.value] = tokens[a + 2]!.value;
    }
    const next = tokens[closeTable + 1];
    calls.push({ start: i, end: closeTable + 1, database: parts.length === 3 ? parts[0]! : null, args, aliased: isWord(next, 'AS') || (isIdent(next) && !(next.type === 'word' && CLAUSE_END.has(next.value))) });
    i = closeTable;
  }
  return calls;
}

/** Relations named in the FROM / JOIN lists of a view's SELECT (any nesting depth). */
function relationsOf(selectSql: string): Array<{ parts: string[] } | { other: string }> {
  const tokens = tokenize(selectSql);
  const found: Array<{ parts: string[] } | { other: string }> = [];
  // inFrom[depth]: inside a FROM list at this parenthesis depth.
  const inFrom: boolean[] = [false];
  let depth = 0;
  let expectRelation = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isOp(t, '(')) {
      depth++;
      inFrom[depth] = false;
      expectRelation = false;
      continue;
    }
    if (isOp(t, ')')) {
      depth = Math.max(0, depth - 1);
      expectRelation = false;
      continue;
    }
    if (isWord(t, 'FROM') || isWord(t, 'JOIN')) { inFrom[depth] = true; expectRelation = true; continue; }
    if (t.type === 'word' && (CLAUSE_END.has(t.value) || t.value === 'SELECT')) { inFrom[depth] = false; expectRelation = false; continue; }
    if (isOp(t, ',') && inFrom[depth]) { expectRelation = true; continue; }
    if (!expectRelation) continue;
    expectRelation = false;
    if (isOp(t, '@') || t.value.startsWith('@')) found.push({ other: 'a stage' });
    else if (isWord(t, 'TABLE') && isOp(tokens[i + 1], '(')) found.push({ other: 'a table function' });
    else if (isIdent(t)) {
      const chain = readChain(tokens, i)!;
      if (isOp(tokens[chain.end], '(')) found.push({ other: `function ${chain.parts.join('.')}` });
      else found.push({ parts: chain.parts });
      i = chain.end - 1;
    }
  }
  return found;
}

/** The view's dependency chain: tables and views, each once, in the order met. */
function referencesOf(catalog: Catalog, authz: Authorizer, role: string, view: SchemaObject): SchemaObject[] {
  const seen = new Map<string, SchemaObject>();
  const visit = (current: SchemaObject) => {
    const context: SessionContext = { database: current.database, schema: current.schema } as SessionContext;
    for (const relation of relationsOf(current.view!.selectSql)) {
      if ('other' in relation) throw unsupportedReference(view.name, relation.other);
      const parts = relation.parts;
      const database = parts.length === 3 ? parts[0]! : context.database!;
      const schema = parts.length >= 2 ? parts[parts.length - 2]! : context.schema!;
      const obj = catalog.object(database, schema, parts[parts.length - 1]!);
      if (!obj) continue; // a CTE name or an alias the walker took for a relation
      if (obj.kind !== 'TABLE' && obj.kind !== 'VIEW') throw unsupportedReference(view.name, `${obj.kind.toLowerCase()} ${obj.name}`);
      const key = qualifiedName(obj);
      if (seen.has(key)) continue;
      seen.set(key, obj);
      if (obj.kind === 'VIEW') {
        if (obj.view?.isSecure && !authz.owns(role, obj.owner)) throw insufficientPrivileges('VIEW', obj.name);
        visit(obj);
      }
    }
  };
  visit(view);
  return [...seen.values()];
}

/** Replacements for GET_OBJECT_REFERENCES calls in a query. */
export function objectReferenceReplacements(catalog: Catalog, authz: Authorizer, session: SessionContext, sql: string, tokens: Token[]): Map<number, [number, string]> {
  const map = new Map<number, [number, string]>();
  for (const call of findCalls(sql, tokens)) {
    const home = call.database ?? session.database;
    if (!home) throw noCurrentDatabase();
    if (!catalog.databases.has(home)) throw objectDoesNotExist(`${home}.INFORMATION_SCHEMA.GET_OBJECT_REFERENCES`);
    const name = (key: string) => {
      const parts = parseNameString(call.args[key] ?? '');
      if (parts.length !== 1) throw syntaxError(sql, tokens[call.start]!.pos);
      return parts[0]!;
    };
    const [database, schema, object] = [name('DATABASE_NAME'), name('SCHEMA_NAME'), name('OBJECT_NAME')];
    const view = catalog.object(database, schema, object);
    if (!view || view.kind !== 'VIEW') throw objectDoesNotExist(`${database}.${schema}.${object}`);
    // The authorizer takes names as SQL text (quoted where needed) and parses them back.
    authz.check(session.role, 'SELECT', 'VIEW', display([view.database, view.schema, view.name]));
    if (view.view?.isSecure && !authz.owns(session.role, view.owner)) throw insufficientPrivileges('VIEW', view.name);
    const rows = referencesOf(catalog, authz, session.role, view).map((ref) =>
      `(${[view.database, view.schema, view.name, ref.database, ref.schema, ref.name, ref.kind].map(sqlString).join(', ')})`,
    );
    const relation = rows.length === 0
      ? `SELECT ${COLUMNS.map((c) => `CAST(NULL AS VARCHAR) AS "${c}"`).join(', ')} WHERE FALSE`
      : `SELECT * FROM (VALUES ${rows.join(', ')}) AS t(${COLUMNS.map((c) => `"${c}"`).join(', ')})`;
    map.set(call.start, [call.end, `FROM (${relation})${call.aliased ? '' : ' AS GET_OBJECT_REFERENCES'}`]);
  }
  return map;
}

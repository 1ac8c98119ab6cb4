/** Statement routing: USE, transactions, SHOW/DESCRIBE, DDL, EXECUTE TASK, queries and DML. */
import type { EngineBind, EngineResult } from '../engine-types.js';
import { Cursor } from './cursor.js';
import { cannotPerform, SnowflakeSqlError, syntaxError, unsupported } from './errors.js';
import { isWord, tokenize } from './lexer.js';
import { resolveObject } from './names.js';
import { statusResult, type Session } from './session.js';
import { runShow } from './show.js';
import { runDescribe } from './describe.js';
import { runCreate } from './ddl-create.js';
import { runAlter, runDrop } from './ddl-alter.js';
import { runGrant } from './grants.js';
import { alterAccount } from './parameters/show-parameters.js';

export interface StatementEnv {
  session: Session;
  sql: string;
  cursor: Cursor;
  binds: EngineBind[];
}

export async function runStatement(session: Session, sql: string, binds: EngineBind[]): Promise<EngineResult> {
  const tokens = tokenize(sql);
  if (tokens.length === 0) throw new SnowflakeSqlError('000900', '42000', 'Empty SQL statement.');
  const handled = await session.core.hooks.statement?.(session, sql, tokens, binds);
  if (handled) return handled;
  const env: StatementEnv = { session, sql, cursor: new Cursor(sql, tokens), binds };
  const first = tokens[0]!;
  if (first.type !== 'word' && !(first.type === 'op' && first.value === '(')) throw syntaxError(sql, first.pos);
  switch (first.value) {
    case 'SELECT': case 'WITH': case '(': case 'INSERT': case 'UPDATE': case 'DELETE': case 'MERGE':
      return session.query(sql, tokens, binds);
    case 'USE': return use(env);
    case 'BEGIN': case 'START':
      env.cursor.i = 1;
      if (first.value === 'START') env.cursor.expect('TRANSACTION');
      else env.cursor.accept('TRANSACTION') || env.cursor.accept('WORK');
      if (!env.cursor.atEnd()) throw unsupported('Snowflake Scripting blocks');
      await session.begin();
      return statusResult('TRANSACTION', 'Statement executed successfully.');
    case 'COMMIT':
      await session.commit();
      return statusResult('TRANSACTION', 'Statement executed successfully.');
    case 'ROLLBACK':
      await session.rollback();
      return statusResult('TRANSACTION', 'Statement executed successfully.');
    case 'SHOW': return runShow(env);
    case 'DESC': case 'DESCRIBE': return runDescribe(env);
    case 'CREATE': await session.beforeDdl(); return runCreate(env);
    case 'ALTER':
      // ALTER SESSION changes parameters only; it does not commit the open transaction.
      if (isWord(tokens[1], 'SESSION')) { env.cursor.i = 2; return session.alterSession(env.cursor); }
      if (isWord(tokens[1], 'ACCOUNT')) { env.cursor.i = 2; return alterAccount(env); }
      await session.beforeDdl();
      return runAlter(env);
    case 'DROP': await session.beforeDdl(); return runDrop(env);
    case 'GRANT': case 'REVOKE': await session.beforeDdl(); return runGrant(env);
    case 'EXECUTE': return executeTask(env);
    case 'TRUNCATE': return truncate(env);
    default: throw syntaxError(sql, first.pos);
  }
}

async function use(env: StatementEnv): Promise<EngineResult> {
  const { cursor, session } = env;
  const { catalog, authz } = session.core;
  const ctx = session.context;
  cursor.i = 1;
  const done = () => statusResult('USE', 'Statement executed successfully.');
  if (cursor.accept('ROLE')) {
    const role = cursor.ident();
    if (!catalog.accountObjects('ROLE').has(role)) throw roleNotGranted(role);
    authz.check(ctx.role, 'USAGE', 'ROLE', role);
    ctx.role = role;
    return done();
  }
  if (cursor.accept('WAREHOUSE')) {
    const wh = cursor.ident();
    if (!catalog.accountObjects('WAREHOUSE').has(wh)) throw cannotPerform();
    ctx.warehouse = wh;
    return done();
  }
  if (cursor.accept('SECONDARY', 'ROLES')) return done();
  const explicitDb = cursor.accept('DATABASE');
  const explicitSchema = !explicitDb && cursor.accept('SCHEMA');
  const parts = cursor.name(explicitDb ? 1 : 2);
  // `USE x` (no keyword) selects database x; `USE x.y` selects schema y of database x.
  if (explicitDb || (!explicitSchema && parts.length === 1)) {
    const db = catalog.databases.get(parts[0]!);
    if (!db) throw cannotPerform();
    ctx.database = db.name;
    ctx.schema = db.schemas.has('PUBLIC') ? 'PUBLIC' : null;
    return done();
  }
  const database = parts.length === 2 ? parts[0]! : ctx.database;
  const schema = parts[parts.length - 1]!;
  if (!database || !catalog.schema(database, schema)) throw cannotPerform();
  ctx.database = database;
  ctx.schema = schema;
  return done();
}

/** Not in the reference: 002043-style error Snowflake gives for USE ROLE of a role not granted. */
function roleNotGranted(role: string): SnowflakeSqlError {
  return new SnowflakeSqlError('003013', '42501', `SQL execution error: Requested role '${role}' is not assigned to the executing user. Specify another role to activate.`);
}

/**
 * TRUNCATE [TABLE] [IF EXISTS] name (https://docs.snowflake.com/en/sql-reference/sql/truncate-table): deletes
 * every row (run as a DELETE, so the same privilege checks and stream changes apply); answers a status row.
 */
async function truncate(env: StatementEnv): Promise<EngineResult> {
  const { cursor, session } = env;
  cursor.i = 1;
  cursor.accept('TABLE');
  const ifExists = cursor.accept('IF', 'EXISTS');
  const start = cursor.i;
  const parts = cursor.name();
  if (!cursor.atEnd()) throw cursor.error();
  if (ifExists) {
    try { resolveObject(session.core.catalog, parts, session.context, ['TABLE']); } catch { return statusResult('DDL', 'Statement executed successfully.'); }
  }
  const nameText = env.sql.slice(env.cursor.tokens[start]!.pos);
  const sql = `DELETE FROM ${nameText}`;
  await session.query(sql, tokenize(sql), []);
  return statusResult('DDL', 'Statement executed successfully.');
}

async function executeTask(env: StatementEnv): Promise<EngineResult> {
  const { cursor, session } = env;
  cursor.i = 1;
  if (!cursor.accept('TASK')) throw unsupported(isWord(cursor.peek(), 'JOB') ? 'EXECUTE JOB SERVICE' : 'EXECUTE');
  const task = resolveObject(session.core.catalog, cursor.name(), session.context, ['TASK']);
  const runner = session.core.hooks.executeTask;
  if (!runner) throw unsupported('EXECUTE TASK (no task runner configured in this stand-in)');
  return runner(task, session);
}

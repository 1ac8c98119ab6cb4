/** ALTER and DROP for every object kind the engine knows. */
import type { EngineResult } from '../engine-types.js';
import { duckName, quoteIdent, type AccountObjectKind, type SchemaObject } from './catalog.js';
import { kindDoesNotExist, SnowflakeSqlError } from './errors.js';
import { display, qualify, qualifySchema } from './names.js';
import { statusResult } from './session.js';
import type { StatementEnv } from './statements.js';
import { enableChangeTracking } from './ddl-create.js';
import { dropDatabase, dropSchema, dropSchemaObject } from './ddl-containers.js';
import { baseTablesOf } from './streams.js';
import { duckType, parseType } from './types.js';
import { validateTaskProperties } from './tasks/task-properties.js';
import { stopTracking } from './change-versions.js';
import { PARAMETER_BY_NAME } from './parameters/registry.js';
import { checkParameterValue } from './parameters/show-parameters.js';

type Target =
  | { level: 'database' }
  | { level: 'schema' }
  | { level: 'object'; kind: SchemaObject['kind'] }
  | { level: 'account'; kind: AccountObjectKind };

const KINDS: Array<[string[], Target]> = [
  [['DATABASE'], { level: 'database' }],
  [['SCHEMA'], { level: 'schema' }],
  [['TABLE'], { level: 'object', kind: 'TABLE' }],
  [['VIEW'], { level: 'object', kind: 'VIEW' }],
  [['STREAM'], { level: 'object', kind: 'STREAM' }],
  [['TASK'], { level: 'object', kind: 'TASK' }],
  [['NETWORK', 'RULE'], { level: 'object', kind: 'NETWORK RULE' }],
  [['SECRET'], { level: 'object', kind: 'SECRET' }],
  [['IMAGE', 'REPOSITORY'], { level: 'object', kind: 'IMAGE REPOSITORY' }],
  [['COMPUTE', 'POOL'], { level: 'account', kind: 'COMPUTE POOL' }],
  [['WAREHOUSE'], { level: 'account', kind: 'WAREHOUSE' }],
  [['EXTERNAL', 'ACCESS', 'INTEGRATION'], { level: 'account', kind: 'INTEGRATION' }],
  [['INTEGRATION'], { level: 'account', kind: 'INTEGRATION' }],
  [['ROLE'], { level: 'account', kind: 'ROLE' }],
  [['USER'], { level: 'account', kind: 'USER' }],
];

function target(env: StatementEnv): [string[], Target] {
  for (const [words, t] of KINDS) if (env.cursor.accept(...words)) return [words, t];
  throw env.cursor.error();
}

const ok = () => statusResult('DDL', 'Statement executed successfully.');

export async function runDrop(env: StatementEnv): Promise<EngineResult> {
  const c = env.cursor;
  const { catalog, authz } = env.session.core;
  const role = env.session.context.role;
  c.i = 1;
  const [words, t] = target(env);
  const ifExists = c.accept('IF', 'EXISTS');
  const kindText = words.join(' ');
  const missing = (name: string) => {
    if (ifExists) return statusResult('DDL', 'Drop statement executed successfully (' + name + ' already dropped).');
    throw kindDoesNotExist(kindText, name);
  };
  if (t.level === 'database') {
    const name = c.ident();
    const db = catalog.databases.get(name);
    if (!db) return missing(name);
    authz.check(role, 'OWNERSHIP', 'DATABASE', name);
    await dropDatabase(env, name);
    return statusResult('DDL', `${name} successfully dropped.`);
  }
  if (t.level === 'schema') {
    const parts = c.name(2);
    const q = qualifySchema(parts, env.session.context);
    if (!catalog.schema(q.database, q.schema)) return missing(display([q.database, q.schema]));
    authz.check(role, 'OWNERSHIP', 'SCHEMA', `${q.database}.${q.schema}`);
    await dropSchema(env, q.database, q.schema);
    return statusResult('DDL', `${q.schema} successfully dropped.`);
  }
  if (t.level === 'account') {
    const name = c.ident();
    const map = catalog.accountObjects(t.kind);
    if (!map.has(name)) return missing(name);
    authz.check(role, 'OWNERSHIP', t.kind, name);
    map.delete(name);
    return statusResult('DDL', `${name} successfully dropped.`);
  }
  const parts = c.name();
  const q = qualify(parts, env.session.context);
  const obj = catalog.object(q.database, q.schema, q.name);
  if (!obj || obj.kind !== t.kind) return missing(display(parts.length === 1 ? [q.name] : parts));
  authz.check(role, 'OWNERSHIP', t.kind, display([q.database, q.schema, q.name]));
  await dropSchemaObject(env, obj);
  return statusResult('DDL', `${obj.name} successfully dropped.`);
}

export async function runAlter(env: StatementEnv): Promise<EngineResult> {
  const c = env.cursor;
  const { catalog, authz } = env.session.core;
  const role = env.session.context.role;
  c.i = 1;
  if (c.accept('SESSION')) return ok(); // session parameters are accepted and ignored
  const [words, t] = target(env);
  const ifExists = c.accept('IF', 'EXISTS');
  const kindText = words.join(' ');
  if (t.level === 'database' || t.level === 'schema' || t.level === 'account') {
    const parts = c.name(t.level === 'schema' ? 2 : 1);
    let props: Record<string, string> | undefined;
    if (t.level === 'database') props = catalog.databases.get(parts[0]!)?.props;
    else if (t.level === 'schema') {
      const q = qualifySchema(parts, env.session.context);
      props = catalog.schema(q.database, q.schema)?.props;
    } else props = catalog.accountObjects(t.kind).get(parts[0]!)?.props;
    if (!props) {
      if (ifExists) return ok();
      throw kindDoesNotExist(kindText, display(parts));
    }
    // "Individual users can use this command to alter … any session parameter defaults for themselves"
    // (https://docs.snowflake.com/en/sql-reference/sql/alter-user); anything else needs OWNERSHIP of the user.
    if (!(t.level === 'account' && t.kind === 'USER' && parts[0] === env.session.context.user.toUpperCase() && onlySessionParameters(c))) authz.check(role, 'OWNERSHIP', kindText, display(parts));
    // ALTER COMPUTE POOL … STOP ALL (Snowflake docs; not in our reference) stops the pool's services and jobs.
    // Jobs live in the account runtime (jobs/job-registry.ts); here the statement is accepted for the catalog.
    if (t.level === 'account' && t.kind === 'COMPUTE POOL' && c.accept('STOP', 'ALL')) return ok();
    if (c.accept('SUSPEND')) props.STATE = 'SUSPENDED';
    else if (c.accept('RESUME')) { c.accept('IF', 'SUSPENDED'); props.STATE = t.level === 'account' && t.kind === 'WAREHOUSE' ? 'STARTED' : 'IDLE'; }
    else if (c.accept('SET')) {
      const set = c.properties();
      // ALTER USER … SET <session parameter> = value: the user level of the parameter hierarchy (parameters/registry.ts).
      if (t.level === 'account' && t.kind === 'USER') for (const [k, v] of Object.entries(set)) if (PARAMETER_BY_NAME.get(k)?.scope === 'SESSION') set[k] = checkParameterValue(k, v);
      Object.assign(props, set);
    }
    else if (c.accept('UNSET')) while (!c.atEnd()) { delete props[c.ident()]; c.acceptOp(','); }
    else throw c.error();
    return ok();
  }
  const parts = c.name();
  const q = qualify(parts, env.session.context);
  const obj = catalog.object(q.database, q.schema, q.name);
  if (!obj || obj.kind !== t.kind) {
    if (ifExists) return ok();
    throw kindDoesNotExist(kindText, display(parts.length === 1 ? [q.name] : parts));
  }
  return alterSchemaObject(env, obj);
}

/** The rest of the statement is SET / UNSET of session parameters only (the cursor does not move). */
function onlySessionParameters(c: StatementEnv['cursor']): boolean {
  const start = c.i;
  try {
    const set = c.accept('SET');
    if (!set && !c.accept('UNSET')) return false;
    const names: string[] = [];
    if (set) names.push(...Object.keys(c.properties()));
    else while (!c.atEnd()) { names.push(c.ident()); c.acceptOp(','); }
    return names.length > 0 && names.every((name) => PARAMETER_BY_NAME.get(name)?.scope === 'SESSION');
  } catch {
    return false;
  } finally {
    c.i = start;
  }
}

async function alterSchemaObject(env: StatementEnv, obj: SchemaObject): Promise<EngineResult> {
  const c = env.cursor;
  const { catalog, authz } = env.session.core;
  const role = env.session.context.role;
  if (obj.task && (c.accept('RESUME') || c.accept('SUSPEND'))) {
    // Reference §5.2: OWNERSHIP or OPERATE on the task.
    authz.check(role, 'OPERATE', 'TASK', display([obj.database, obj.schema, obj.name]));
    const resume = c.tokens[c.i - 1]!.value === 'RESUME';
    obj.task.state = resume ? 'started' : 'suspended';
    if (!resume) Object.assign(obj.task, { lastSuspendedOn: new Date(), lastSuspendedReason: 'USER_SUSPENDED' });
    return ok();
  }
  if (c.accept('SET')) {
    const props = c.properties();
    if (props.CHANGE_TRACKING === 'TRUE' && (obj.kind === 'TABLE' || obj.kind === 'VIEW')) {
      await enableChangeTracking(env, obj.kind === 'VIEW' ? [obj, ...baseTablesOf(catalog, obj)] : [obj]);
    } else if (props.CHANGE_TRACKING === 'FALSE') {
      obj.changeTracking = false;
      stopTracking(obj);
    }
    if (obj.task && obj.task.state === 'started') {
      // Reference §5.2: "A standalone task must be suspended before it can be modified." (text not documented)
      throw new SnowflakeSqlError('091083', '22000', `Unable to update graph with root task ${display([obj.database, obj.schema, obj.name])} since that root task is not suspended.`);
    }
    delete props.CHANGE_TRACKING;
    if (obj.task) validateTaskProperties(props, env.sql);
    authz.check(role, 'OWNERSHIP', obj.kind, display([obj.database, obj.schema, obj.name]));
    Object.assign(obj.props, props);
    if (props.COMMENT !== undefined) obj.comment = props.COMMENT;
    if (obj.task) {
      obj.task.schedule = obj.props.SCHEDULE ?? null;
      obj.task.warehouse = obj.props.WAREHOUSE ?? null;
    }
    return ok();
  }
  if (obj.kind === 'TABLE' && c.accept('ADD')) {
    c.accept('COLUMN');
    // `ADD [ COLUMN ] [ IF NOT EXISTS ] <col_name> <col_type>`
    // (https://docs.snowflake.com/en/sql-reference/sql/alter-table): an existing column is left as it is.
    const ifNotExists = c.accept('IF') ? (c.expect('NOT'), c.expect('EXISTS'), true) : false;
    const name = c.ident();
    if (ifNotExists && obj.columns.some((col) => col.name === name)) {
      c.i = parseType(env.sql, c.tokens, c.i).end;
      return ok();
    }
    const { column, end } = parseType(env.sql, c.tokens, c.i);
    c.i = end;
    await env.session.conn.run(`ALTER TABLE ${duckName(obj)} ADD COLUMN ${quoteIdent(name)} ${duckType(column)}`);
    obj.columns.push({ name, ...column, nullable: true, default: null });
    return ok();
  }
  throw c.error();
}

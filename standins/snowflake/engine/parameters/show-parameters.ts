/**
 * SHOW PARAMETERS [LIKE '<pattern>'] [{IN | FOR} {SESSION | ACCOUNT | USER [<name>] | {WAREHOUSE | DATABASE |
 * SCHEMA | TASK} [<name>] | TABLE [<name>]}] with the documented columns key, value, default, level, description,
 * type (https://docs.snowflake.com/en/sql-reference/sql/show-parameters); and ALTER ACCOUNT SET | UNSET for
 * account-level values (https://docs.snowflake.com/en/sql-reference/sql/alter-account: ACCOUNTADMIN only).
 */
import type { EngineResult } from '../../engine-types.js';
import { insufficientPrivileges, kindDoesNotExist } from '../errors.js';
import { qualifySchema, resolveObject } from '../names.js';
import { invalidParameter, invalidParameterValue } from '../session-parameters.js';
import { showResult, type ShowRow } from '../show-format.js';
import { statusResult } from '../session.js';
import type { StatementEnv } from '../statements.js';
import { accountOrDefault, accountParameters, objectParameter, PARAMETER_BY_NAME, PARAMETERS, type ObjectLevel, type ParameterDef, type Resolved } from './registry.js';

const COLUMNS = ['key', 'value', 'default', 'level', 'description', 'type'];

function row(p: ParameterDef, r: Resolved): ShowRow {
  return { key: p.name, value: r.value, default: p.default, level: r.level, description: p.description, type: p.type };
}

export function showParameters(env: StatementEnv): EngineResult {
  const c = env.cursor;
  const { catalog } = env.session.core;
  const ctx = env.session.context;
  const like = c.accept('LIKE') ? c.string() : undefined;
  const scope = c.accept('IN') || c.accept('FOR') ? c.peek()?.value ?? '' : 'SESSION';
  if (scope !== 'SESSION' || c.peek()?.value === 'SESSION') c.i++;
  const filter = { like };
  const done = (rows: ShowRow[]) => {
    if (!c.atEnd()) throw c.error();
    return showResult(COLUMNS, rows, filter, 'key');
  };
  const sessionValue = (p: ParameterDef, user: Record<string, string> | undefined, withSession: boolean): Resolved => {
    const own = withSession ? env.session.parameters.get(p.name) : undefined;
    if (own !== undefined) return { value: String(own), level: 'SESSION' };
    if (user?.[p.name] !== undefined) return { value: user[p.name]!, level: 'USER' };
    return accountOrDefault(catalog, p.name);
  };
  const userProps = (name: string) => {
    const user = catalog.accountObjects('USER').get(name);
    if (!user) throw kindDoesNotExist('USER', name);
    return user.props;
  };
  if (scope === 'SESSION') return done(PARAMETERS.filter((p) => p.scope === 'SESSION').map((p) => row(p, sessionValue(p, userProps(ctx.user), true))));
  if (scope === 'ACCOUNT') return done(PARAMETERS.map((p) => row(p, accountOrDefault(catalog, p.name))));
  if (scope === 'USER') {
    const props = userProps(c.atEnd() ? ctx.user : c.ident());
    return done(PARAMETERS.filter((p) => p.scope === 'SESSION').map((p) => row(p, sessionValue(p, props, false))));
  }
  const level = scope as ObjectLevel;
  const applies = PARAMETERS.filter((p) => p.on?.includes(level));
  if (level === 'TASK' || level === 'TABLE') {
    const obj = resolveObject(catalog, c.name(), ctx, level === 'TASK' ? ['TASK'] : ['TABLE', 'VIEW']);
    return done(applies.map((p) => row(p, objectParameter(catalog, obj, p.name))));
  }
  if (level === 'SCHEMA') {
    const q = qualifySchema(c.atEnd() ? [ctx.schema ?? ''] : c.name(2), ctx);
    const schema = catalog.schema(q.database, q.schema);
    if (!schema) throw kindDoesNotExist('SCHEMA', `${q.database}.${q.schema}`);
    const db = catalog.databases.get(q.database)!;
    return done(applies.map((p) => row(p, schema.props[p.name] !== undefined ? { value: schema.props[p.name]!, level: 'SCHEMA' } : db.props[p.name] !== undefined ? { value: db.props[p.name]!, level: 'DATABASE' } : accountOrDefault(catalog, p.name))));
  }
  if (level === 'DATABASE' || level === 'WAREHOUSE') {
    const name = c.atEnd() ? (level === 'DATABASE' ? ctx.database : ctx.warehouse) ?? '' : c.ident();
    const props = level === 'DATABASE' ? catalog.databases.get(name)?.props : catalog.accountObjects('WAREHOUSE').get(name)?.props;
    if (!props) throw kindDoesNotExist(level, name);
    return done(applies.map((p) => row(p, props[p.name] !== undefined ? { value: props[p.name]!, level } : accountOrDefault(catalog, p.name))));
  }
  throw c.error();
}

/** A value for a documented parameter, as SHOW PARAMETERS prints it; an unknown name or a bad value is refused. */
export function checkParameterValue(name: string, raw: string): string {
  const p = PARAMETER_BY_NAME.get(name);
  if (!p) throw invalidParameter(name);
  if (p.type === 'NUMBER' && !/^\d+$/.test(raw)) throw invalidParameterValue(name, raw);
  if (p.type === 'BOOLEAN') {
    if (!/^(TRUE|FALSE)$/i.test(raw)) throw invalidParameterValue(name, raw);
    return raw.toLowerCase();
  }
  return raw;
}

export function alterAccount(env: StatementEnv): EngineResult {
  const c = env.cursor;
  const { catalog, authz } = env.session.core;
  if (!authz.effectiveRoles(env.session.context.role).has('ACCOUNTADMIN')) throw insufficientPrivileges('ACCOUNT', catalog.account_name);
  const values = accountParameters(catalog);
  if (c.accept('UNSET')) {
    do {
      const name = c.ident();
      if (!PARAMETER_BY_NAME.has(name)) throw invalidParameter(name);
      values.delete(name);
    } while (c.acceptOp(','));
  } else {
    c.expect('SET');
    const props = c.properties();
    const checked = Object.entries(props).map(([k, v]) => [k, checkParameterValue(k, v)] as const);
    if (checked.length === 0) throw c.error();
    for (const [k, v] of checked) values.set(k, v);
  }
  if (!c.atEnd()) throw c.error();
  return statusResult('DDL', 'Statement executed successfully.');
}

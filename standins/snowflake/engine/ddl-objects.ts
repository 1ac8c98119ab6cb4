/**
 * CREATE for objects kept only in the catalog: tasks, network rules, secrets, image repositories
 * (schema-level) and compute pools, warehouses, integrations, roles, users (account-level). Properties are
 * stored as written; SHOW renders them (reference §2–§5, §7).
 */
import type { EngineResult } from '../engine-types.js';
import type { AccountObject, AccountObjectKind, SchemaObject } from './catalog.js';
import { alreadyExists, SnowflakeSqlError } from './errors.js';
import { isOp, isWord } from './lexer.js';
import { statusResult } from './session.js';
import type { StatementEnv } from './statements.js';
import { checkExisting, newObject, type CreateFlags } from './ddl-create.js';

const SCHEMA_KINDS: Array<[string[], SchemaObject['kind']]> = [
  [['TASK'], 'TASK'],
  [['NETWORK', 'RULE'], 'NETWORK RULE'],
  [['SECRET'], 'SECRET'],
  [['IMAGE', 'REPOSITORY'], 'IMAGE REPOSITORY'],
];

const ACCOUNT_KINDS: Array<[string[], AccountObjectKind]> = [
  [['COMPUTE', 'POOL'], 'COMPUTE POOL'],
  [['WAREHOUSE'], 'WAREHOUSE'],
  [['EXTERNAL', 'ACCESS', 'INTEGRATION'], 'INTEGRATION'],
  [['SECURITY', 'INTEGRATION'], 'INTEGRATION'],
  [['API', 'INTEGRATION'], 'INTEGRATION'],
  [['INTEGRATION'], 'INTEGRATION'],
  [['ROLE'], 'ROLE'],
  [['USER'], 'USER'],
];

function label(kind: string): string {
  const lower = kind.toLowerCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

export async function createAccountOrSchemaObject(env: StatementEnv, flags: CreateFlags): Promise<EngineResult> {
  const c = env.cursor;
  for (const [words, kind] of SCHEMA_KINDS) {
    if (!c.accept(...words)) continue;
    flags.ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
    const parts = c.name();
    const skip = await checkExisting(env, kind, parts, flags);
    if (skip) return skip;
    const obj = newObject(env, kind, parts);
    if (kind === 'TASK') parseTask(env, obj);
    else obj.props = c.properties();
    obj.comment = obj.props.COMMENT ?? null;
    env.session.core.catalog.schema(obj.database, obj.schema)!.objects.set(obj.name, obj);
    return statusResult('DDL', `${label(kind)} ${obj.name} successfully created.`);
  }
  for (const [words, kind] of ACCOUNT_KINDS) {
    if (!c.accept(...words)) continue;
    flags.ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
    const name = c.ident();
    if (kind === 'COMPUTE POOL') c.accept('FOR', 'APPLICATION') && c.ident();
    const props = c.properties();
    const map = env.session.core.catalog.accountObjects(kind);
    if (map.has(name)) {
      if (flags.ifNotExists) return statusResult('DDL', `${name} already exists, statement succeeded.`);
      if (!flags.orReplace) throw alreadyExists(kind, name);
    }
    if (kind === 'COMPUTE POOL') validateComputePool(props);
    const obj: AccountObject = { kind, name, owner: env.session.context.role, createdOn: new Date(), comment: props.COMMENT ?? null, props };
    if (kind === 'INTEGRATION') props.TYPE ??= words.slice(0, -1).join('_') || 'EXTERNAL_ACCESS';
    if (kind === 'COMPUTE POOL') props.STATE = props.INITIALLY_SUSPENDED === 'TRUE' ? 'SUSPENDED' : 'IDLE';
    if (kind === 'WAREHOUSE') props.STATE = props.INITIALLY_SUSPENDED === 'TRUE' ? 'SUSPENDED' : 'STARTED';
    map.set(name, obj);
    return statusResult('DDL', `${label(kind)} ${name} successfully created.`);
  }
  throw c.error();
}

/** Required properties per reference §2.2. */
function validateComputePool(props: Record<string, string>): void {
  for (const key of ['MIN_NODES', 'MAX_NODES', 'INSTANCE_FAMILY']) {
    if (!(key in props)) throw new SnowflakeSqlError('001003', '42000', `SQL compilation error:\nsyntax error: missing required property ${key}.`);
  }
}

/** CREATE TASK name [props] [AFTER …] [WHEN cond] AS body (reference §5.1). Created suspended. */
function parseTask(env: StatementEnv, obj: SchemaObject): void {
  const c = env.cursor;
  obj.props = c.properties(['AS', 'WHEN', 'AFTER']);
  if (c.accept('AFTER')) {
    const after: string[] = [];
    do after.push(c.name().join('.')); while (c.acceptOp(','));
    obj.props.AFTER = after.join(',');
  }
  let condition: string | null = null;
  if (c.accept('WHEN')) {
    const start = c.i;
    let depth = 0;
    while (!c.atEnd() && !(depth === 0 && isWord(c.peek(), 'AS'))) {
      if (isOp(c.peek(), '(')) depth++;
      if (isOp(c.peek(), ')')) depth--;
      c.i++;
    }
    const last = c.tokens[c.i - 1]!;
    condition = env.sql.slice(c.tokens[start]!.pos, last.pos + last.raw.length);
  }
  c.expect('AS');
  const definition = c.restText();
  obj.text = definition;
  obj.task = {
    state: 'suspended',
    schedule: obj.props.SCHEDULE ?? null,
    condition,
    warehouse: obj.props.WAREHOUSE ?? null,
    definition,
    lastSuspendedOn: null,
  };
}

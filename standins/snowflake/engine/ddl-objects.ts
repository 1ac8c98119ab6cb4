/**
 * CREATE for objects kept only in the catalog: tasks, network rules, secrets, image repositories
 * (schema-level) and compute pools, warehouses, integrations, roles, users (account-level). Properties are
 * stored as written; SHOW renders them (reference §2–§5, §7).
 */
import { checkTaskCondition } from './tasks/task-condition.js';
import type { EngineResult } from '../engine-types.js';
import type { AccountObject, AccountObjectKind, SchemaObject } from './catalog.js';
import { alreadyExists, SnowflakeSqlError, syntaxError } from './errors.js';
import { isOp, isWord } from './lexer.js';
import { statusResult } from './session.js';
import type { StatementEnv } from './statements.js';
import { checkExisting, newObject, type CreateFlags } from './ddl-create.js';
import { validateTaskProperties } from './tasks/task-properties.js';

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
    if (kind === 'COMPUTE POOL') validateComputePool(props, env.sql);
    const obj: AccountObject = { kind, name, owner: env.session.context.role, createdOn: new Date(), comment: props.COMMENT ?? null, props };
    if (kind === 'INTEGRATION') props.TYPE ??= words.slice(0, -1).join('_') || 'EXTERNAL_ACCESS';
    if (kind === 'COMPUTE POOL') props.STATE = props.INITIALLY_SUSPENDED === 'TRUE' ? 'SUSPENDED' : 'IDLE';
    if (kind === 'WAREHOUSE') props.STATE = props.INITIALLY_SUSPENDED === 'TRUE' ? 'SUSPENDED' : 'STARTED';
    map.set(name, obj);
    return statusResult('DDL', `${label(kind)} ${name} successfully created.`);
  }
  throw c.error();
}

/** CREATE COMPUTE POOL's properties (https://docs.snowflake.com/en/sql-reference/sql/create-compute-pool). */
const COMPUTE_POOL_PROPERTIES = new Set(['MIN_NODES', 'MAX_NODES', 'INSTANCE_FAMILY', 'AUTO_RESUME', 'INITIALLY_SUSPENDED', 'AUTO_SUSPEND_SECS', 'COMMENT', 'PLACEMENT_GROUP', 'BACKUP_INSTANCE_FAMILIES', 'TAG']);

/**
 * Instance families (https://docs.snowflake.com/en/developer-guide/snowpark-container-services/instance-families-aws,
 * …-azure, …-gcp): previous and current generation names. Anything else is refused.
 */
const INSTANCE_FAMILY = /^(CPU_X64_(XS|S|M|SL|L)|HIGHMEM_X64_(S|M|SL|L)|GPU_NV_(XS|S|M|L|SM|2M|3M|SL)|GPU_GCP_NV_L4_(1_24G|4_24G)|GPU_GCP_NV_A100_8_40G|GEN_X64_G2_\d+|GEN_ARM_G1_\d+|MEM_X64_G2_\d+|GPU_\w+)$/;

/** Required properties per reference §2.2; a misspelt property or an unknown INSTANCE_FAMILY is refused. */
function validateComputePool(props: Record<string, string>, sql: string): void {
  for (const key of Object.keys(props)) {
    // A property the grammar does not know is a syntax error at that word (docs silent on the text: stricter choice).
    if (!COMPUTE_POOL_PROPERTIES.has(key)) throw syntaxError(sql, Math.max(0, sql.toUpperCase().search(new RegExp(`\\b${key}\\b`))));
  }
  for (const key of ['MIN_NODES', 'MAX_NODES', 'INSTANCE_FAMILY']) {
    if (!(key in props)) throw new SnowflakeSqlError('001003', '42000', `SQL compilation error:\nsyntax error: missing required property ${key}.`);
  }
  const family = props.INSTANCE_FAMILY!.toUpperCase();
  // Text as Snowflake answers an unknown family (seen for STANDARD_1, sfquickstarts#1482); code 001008 UNCONFIRMED.
  if (!INSTANCE_FAMILY.test(family)) throw new SnowflakeSqlError('001008', '22023', `Invalid instance family ${family}. Please refer to Snowflake documentation for supported instance families.`);
  for (const key of ['MIN_NODES', 'MAX_NODES']) {
    const n = Number(props[key]);
    if (!Number.isInteger(n) || n < 1) throw new SnowflakeSqlError('001008', '22023', `SQL compilation error:\ninvalid value [${props[key]}] for parameter '${key}'`);
  }
  if (Number(props.MAX_NODES) < Number(props.MIN_NODES)) throw new SnowflakeSqlError('001008', '22023', 'SQL compilation error:\nMAX_NODES must be greater than or equal to MIN_NODES.');
}

/** CREATE TASK name [props] [AFTER …] [WHEN cond] AS body (reference §5.1). Created suspended. */
function parseTask(env: StatementEnv, obj: SchemaObject): void {
  const c = env.cursor;
  obj.props = c.properties(['AS', 'WHEN', 'AFTER']);
  validateTaskProperties(obj.props, env.sql);
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
    checkTaskCondition(condition);
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

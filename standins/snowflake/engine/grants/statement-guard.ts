/**
 * Privilege checks run before A2's engine executes a statement (engine hook `statement`), for what the engine
 * does not check itself: CREATE (reference §6.1 table: CREATE <kind> ON SCHEMA / ACCOUNT, USAGE on the
 * database and schema), USE, GRANT/REVOKE authority, and queries (hook `authorizeQuery`). DROP/ALTER ownership
 * is checked by the engine through the Authorizer.
 */
import type { StatementKind } from '../../engine-types.js';
import type { SchemaObject } from '../catalog.js';
import { Cursor } from '../cursor.js';
import { cannotPerform, kindDoesNotExist, objectDoesNotExist } from '../errors.js';
import { isOp, isWord, type Token } from '../lexer.js';
import { display, qualify, qualifySchema } from '../names.js';
import type { Session } from '../session.js';
import { grantNotExecuted, roleNotAssigned } from './access-errors.js';
import type { PrivilegeModel } from './privilege-model.js';

type Level = 'account' | 'database' | 'schema';
const CREATE_KINDS: Array<[string[], Level, string[]]> = [
  [['COMPUTE', 'POOL'], 'account', ['CREATE COMPUTE POOL']],
  [['EXTERNAL', 'ACCESS', 'INTEGRATION'], 'account', ['CREATE INTEGRATION', 'CREATE EXTERNAL ACCESS INTEGRATION']],
  [['SECURITY', 'INTEGRATION'], 'account', ['CREATE INTEGRATION']],
  [['API', 'INTEGRATION'], 'account', ['CREATE INTEGRATION']],
  [['INTEGRATION'], 'account', ['CREATE INTEGRATION']],
  [['DATABASE'], 'account', ['CREATE DATABASE']],
  [['WAREHOUSE'], 'account', ['CREATE WAREHOUSE']],
  [['ROLE'], 'account', ['CREATE ROLE']],
  [['USER'], 'account', ['CREATE USER']],
  [['SCHEMA'], 'database', ['CREATE SCHEMA']],
  [['IMAGE', 'REPOSITORY'], 'schema', ['CREATE IMAGE REPOSITORY']],
  [['NETWORK', 'RULE'], 'schema', ['CREATE NETWORK RULE']],
  ...['TABLE', 'VIEW', 'STREAM', 'TASK', 'SECRET', 'SERVICE', 'STAGE', 'SEQUENCE', 'FUNCTION', 'PROCEDURE'].map((k): [string[], Level, string[]] => [[k], 'schema', [`CREATE ${k}`]]),
];
const MODIFIERS = ['SECURE', 'TRANSIENT', 'TEMPORARY', 'TEMP', 'LOCAL', 'GLOBAL', 'VOLATILE', 'RECURSIVE'];
const DML_PRIVILEGES: Partial<Record<StatementKind, string[]>> = { INSERT: ['INSERT'], UPDATE: ['UPDATE'], DELETE: ['DELETE'], MERGE: ['INSERT', 'UPDATE'] };

export class StatementGuard {
  constructor(private readonly model: PrivilegeModel) {}

  /** Throws when the current role may not run the statement; otherwise the engine runs it. */
  check(session: Session, sql: string, tokens: Token[]): void {
    const first = tokens[0]?.value;
    const c = new Cursor(sql, tokens);
    c.i = 1;
    if (first === 'CREATE') this.create(session, c);
    else if (first === 'USE') this.use(session, c);
    else if (first === 'GRANT' || first === 'REVOKE') this.grant(session, c);
  }

  /** Database and schema USAGE, then `privilege` on the object; DML needs its privilege on the target. */
  authorizeQuery(session: Session, kind: StatementKind, objects: SchemaObject[]): void {
    const role = session.context.role;
    objects.forEach((o, k) => {
      this.reach(role, o.database, o.schema, () => objectDoesNotExist(display([o.database, o.schema, o.name])));
      const needed = k === 0 ? (DML_PRIVILEGES[kind] ?? ['SELECT']) : ['SELECT'];
      for (const privilege of needed) this.model.check(role, privilege, o.kind, display([o.database, o.schema, o.name]));
      // Querying a stream also needs SELECT on its source (reference §6.1 "Query stream").
      const source = o.stream ? this.model.catalog.objectById(o.stream.sourceId) : undefined;
      if (source) this.model.check(role, 'SELECT', source.kind, display([source.database, source.schema, source.name]));
    });
  }

  private reach(role: string, database: string, schema: string, missing: () => Error): void {
    // Names go to the model as SQL text (quoted where needed): it parses them back (privilege-model.ts).
    if (!this.model.has(role, 'USAGE', 'DATABASE', display([database])) || !this.model.has(role, 'USAGE', 'SCHEMA', display([database, schema]))) throw missing();
  }

  private create(session: Session, c: Cursor): void {
    const { model } = this;
    const ctx = session.context;
    const orReplace = c.accept('OR', 'REPLACE');
    while (isWord(c.peek(), ...MODIFIERS)) c.i++;
    const entry = CREATE_KINDS.find(([words]) => c.accept(...words));
    if (!entry) return;
    const [words, level, privileges] = entry;
    c.accept('IF', 'NOT', 'EXISTS');
    const allowed = (kind: string, name: string) => privileges.some((p) => model.has(ctx.role, p, kind, name));
    if (level === 'account') {
      if (!allowed('ACCOUNT', '')) throw model.refusal(ctx.role, 'ACCOUNT', '');
      return;
    }
    const parts = c.name(level === 'database' ? 2 : 3);
    if (level === 'database') {
      const database = display([parts.length === 2 ? parts[0]! : ctx.database ?? '']);
      if (!model.has(ctx.role, 'USAGE', 'DATABASE', database)) throw kindDoesNotExist('DATABASE', database);
      if (!allowed('DATABASE', database)) throw model.refusal(ctx.role, 'DATABASE', database);
      return;
    }
    const q = qualify(parts, ctx);
    const schemaName = display([q.database, q.schema]);
    this.reach(ctx.role, q.database, q.schema, () => kindDoesNotExist('SCHEMA', schemaName));
    if (!allowed('SCHEMA', schemaName)) throw model.refusal(ctx.role, 'SCHEMA', schemaName);
    const kind = words.join(' ');
    const existing = model.catalog.object(q.database, q.schema, q.name);
    if (orReplace && existing) model.check(ctx.role, 'OWNERSHIP', existing.kind, display([existing.database, existing.schema, existing.name]));
    if (kind === 'STREAM') this.streamSource(session, c);
    if (kind === 'TASK') this.taskCompute(session, c);
  }

  /** CREATE STREAM … ON TABLE|VIEW x: SELECT on x (reference §6.1 "Stream on view"). */
  private streamSource(session: Session, c: Cursor): void {
    while (!c.atEnd() && !isWord(c.peek(), 'ON')) c.i++;
    if (!c.accept('ON') || !(c.accept('TABLE') || c.accept('VIEW'))) return;
    const q = qualify(c.name(), session.context);
    const source = this.model.catalog.object(q.database, q.schema, q.name);
    if (!source) return; // the engine reports the missing source
    this.authorizeQuery(session, 'SELECT', [source]);
  }

  /** CREATE TASK: USAGE on its warehouse, or EXECUTE MANAGED TASK for a serverless task (reference §5.2). */
  private taskCompute(session: Session, c: Cursor): void {
    const role = session.context.role;
    let warehouse: string | null = null;
    for (; !c.atEnd() && !isWord(c.peek(), 'AS'); c.i++) {
      if (isWord(c.peek(), 'WAREHOUSE') && isOp(c.peek(1), '=')) warehouse = c.tokens[c.i + 2]?.value ?? null;
    }
    if (warehouse) this.model.check(role, 'USAGE', 'WAREHOUSE', warehouse);
    else if (!this.model.has(role, 'EXECUTE MANAGED TASK', 'ACCOUNT', '')) throw this.model.refusal(role, 'ACCOUNT', '');
  }

  private use(session: Session, c: Cursor): void {
    const { model } = this;
    const ctx = session.context;
    if (c.accept('ROLE')) {
      const role = c.ident();
      if (model.catalog.accountObjects('ROLE').has(role) && !model.userHasRole(ctx.user, role)) throw roleNotAssigned(role);
      return;
    }
    if (c.accept('SECONDARY')) return;
    if (c.accept('WAREHOUSE')) {
      const wh = c.ident();
      if (!['USAGE', 'OPERATE'].some((p) => model.has(ctx.role, p, 'WAREHOUSE', wh))) throw cannotPerform();
      return;
    }
    const explicitDb = c.accept('DATABASE');
    const explicitSchema = !explicitDb && c.accept('SCHEMA');
    const parts = c.name(explicitDb ? 1 : 2);
    const database = parts.length === 2 || explicitDb || !explicitSchema ? parts[0]! : ctx.database ?? '';
    if (!model.has(ctx.role, 'USAGE', 'DATABASE', database)) throw cannotPerform();
    const schema = parts.length === 2 ? parts[1] : explicitSchema ? parts[0] : undefined;
    if (schema && !model.has(ctx.role, 'USAGE', 'SCHEMA', `${database}.${schema}`)) throw cannotPerform();
  }

  /**
   * Who may grant (reference §5.2, §6.4): MANAGE GRANTS (SECURITYADMIN, ACCOUNTADMIN), the object's owner, or a
   * holder WITH GRANT OPTION. Only ACCOUNTADMIN can grant EXECUTE TASK.
   */
  private grant(session: Session, c: Cursor): void {
    const { model } = this;
    const role = session.context.role;
    const target = readGrantTarget(c, session);
    if (!target) return;
    if (target.privileges.some((p) => p === 'EXECUTE TASK' || p === 'EXECUTE MANAGED TASK')) {
      if (!model.effectiveRoles(role).has('ACCOUNTADMIN')) throw grantNotExecuted();
      return;
    }
    if (model.has(role, 'MANAGE GRANTS', 'ACCOUNT', '')) return;
    if (target.kind !== 'ACCOUNT' && model.owns(role, model.ownerOf(target.kind, target.name))) return;
    const roles = model.effectiveRoles(role);
    const withGrantOption = target.privileges.every((p) =>
      model.catalog.grants.some((g) => g.grantOption && roles.has(g.grantee) && g.privilege === p && g.name === target.name));
    if (!withGrantOption) throw grantNotExecuted();
  }
}

const OBJECT_KINDS = ['DATABASE', 'SCHEMA', 'TABLE', 'VIEW', 'STREAM', 'TASK', 'WAREHOUSE', 'INTEGRATION', 'ROLE', 'USER', 'SECRET', 'ACCOUNT', 'COMPUTE POOL', 'IMAGE REPOSITORY', 'NETWORK RULE', 'EXTERNAL ACCESS INTEGRATION', 'SERVICE', 'STAGE'];
const SCHEMA_OBJECTS = new Set(['TABLE', 'VIEW', 'STREAM', 'TASK', 'SECRET', 'IMAGE REPOSITORY', 'NETWORK RULE', 'SERVICE', 'STAGE']);

export interface GrantTarget {
  privileges: string[];
  /** As SHOW GRANTS' granted_on, with spaces: ACCOUNT, ROLE, COMPUTE POOL, … */
  kind: string;
  name: string;
}

/**
 * What a GRANT/REVOKE is about, as grants.ts stores it. Null when the statement has a form this reader does not
 * know (FUTURE, ALL … IN SCHEMA): the engine reports it.
 */
export function readGrantTarget(c: Cursor, session: Session): GrantTarget | null {
  try {
    if (c.accept('ROLE')) return { privileges: ['USAGE'], kind: 'ROLE', name: c.ident() };
    const privileges: string[] = [];
    while (!c.atEnd() && !isWord(c.peek(), 'ON')) {
      const words: string[] = [];
      while (!c.atEnd() && !isOp(c.peek(), ',') && !isWord(c.peek(), 'ON')) words.push(c.ident());
      privileges.push(words.join(' '));
      c.acceptOp(',');
    }
    c.expect('ON');
    if (isWord(c.peek(), 'FUTURE', 'ALL')) return null;
    const kind = OBJECT_KINDS.filter((k) => k.split(' ').every((w, n) => isWord(c.peek(n), w))).sort((a, b) => b.length - a.length)[0];
    if (!kind) return null;
    c.i += kind.split(' ').length;
    const on = kind === 'EXTERNAL ACCESS INTEGRATION' ? 'INTEGRATION' : kind;
    if (on === 'ACCOUNT') return { privileges, kind: on, name: '' };
    const parts = c.name();
    if (on === 'SCHEMA') {
      const q = qualifySchema(parts, session.context);
      return { privileges, kind: on, name: `${q.database}.${q.schema}` };
    }
    if (SCHEMA_OBJECTS.has(on)) {
      const q = qualify(parts, session.context);
      return { privileges, kind: on, name: `${q.database}.${q.schema}.${q.name}` };
    }
    return { privileges, kind: on, name: parts.join('.') };
  } catch {
    return null;
  }
}

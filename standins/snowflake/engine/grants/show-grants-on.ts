/**
 * SHOW GRANTS ON { ACCOUNT | <object_type> <object_name> } (https://docs.snowflake.com/en/sql-reference/sql/show-grants):
 * every privilege granted on the object, with the columns created_on, privilege, granted_on, name, granted_to,
 * grantee_name, grant_option, granted_by; the owner's OWNERSHIP shows as a row of its own. An object that does not
 * exist (or that the role cannot see) is 002003 "does not exist or not authorized".
 */
import type { EngineResult } from '../../engine-types.js';
import { qualifiedName, type AccountObjectKind } from '../catalog.js';
import { kindDoesNotExist } from '../errors.js';
import { isWord } from '../lexer.js';
import { display, qualifySchema, resolveObject } from '../names.js';
import { COLUMNS, showResult, type ShowRow } from '../show-format.js';
import type { StatementEnv } from '../statements.js';
import type { SchemaObjectKind } from '../catalog.js';

const SCHEMA_KINDS: SchemaObjectKind[] = ['TABLE', 'VIEW', 'STREAM', 'TASK', 'NETWORK RULE', 'SECRET', 'IMAGE REPOSITORY'];
const ACCOUNT_KINDS: Array<[string, AccountObjectKind]> = [
  ['EXTERNAL ACCESS INTEGRATION', 'INTEGRATION'], ['INTEGRATION', 'INTEGRATION'], ['COMPUTE POOL', 'COMPUTE POOL'],
  ['WAREHOUSE', 'WAREHOUSE'], ['ROLE', 'ROLE'], ['USER', 'USER'],
];

export function showGrantsOn(env: StatementEnv): EngineResult {
  const c = env.cursor;
  const { catalog, authz } = env.session.core;
  const ctx = env.session.context;
  const accepts = (words: string) => words.split(' ').every((w, n) => isWord(c.peek(n), w)) && ((c.i += words.split(' ').length), true);
  let grantedOn: string;
  let name: string;
  let owner: string | null = null;
  let createdOn = new Date(0);
  if (c.accept('ACCOUNT')) {
    grantedOn = 'ACCOUNT';
    name = catalog.account_name;
  } else if (c.accept('DATABASE')) {
    const db = catalog.databases.get(c.ident());
    if (!db || !authz.visible(ctx.role, 'DATABASE', db.name, db.owner)) throw kindDoesNotExist('DATABASE', c.tokens[c.i - 1]!.value);
    [grantedOn, name, owner, createdOn] = ['DATABASE', db.name, db.owner, db.createdOn];
  } else if (c.accept('SCHEMA')) {
    const q = qualifySchema(c.name(2), ctx);
    const schema = catalog.schema(q.database, q.schema);
    if (!schema || !authz.visible(ctx.role, 'SCHEMA', `${q.database}.${q.schema}`, schema.owner)) throw kindDoesNotExist('SCHEMA', display([q.database, q.schema]));
    [grantedOn, name, owner, createdOn] = ['SCHEMA', `${q.database}.${q.schema}`, schema.owner, schema.createdOn];
  } else {
    const schemaKind = SCHEMA_KINDS.find((k) => accepts(k));
    if (schemaKind) {
      const parts = c.name();
      let obj;
      try {
        obj = resolveObject(catalog, parts, ctx, [schemaKind]);
      } catch {
        throw kindDoesNotExist(schemaKind, display(parts));
      }
      if (!authz.visible(ctx.role, schemaKind, qualifiedName(obj), obj.owner)) throw kindDoesNotExist(schemaKind, display([obj.database, obj.schema, obj.name]));
      [grantedOn, name, owner, createdOn] = [schemaKind, qualifiedName(obj), obj.owner, obj.createdOn];
    } else {
      const accountKind = ACCOUNT_KINDS.find(([words]) => accepts(words));
      if (!accountKind) throw c.error();
      const o = catalog.accountObjects(accountKind[1]).get(c.ident());
      if (!o || !authz.visible(ctx.role, accountKind[1], o.name, o.owner)) throw kindDoesNotExist(accountKind[0], c.tokens[c.i - 1]!.value);
      [grantedOn, name, owner, createdOn] = [accountKind[1], o.name, o.owner, o.createdOn];
    }
  }
  if (!c.atEnd()) throw c.error();
  const kindKey = grantedOn.replace(/ /g, '_');
  const rows: ShowRow[] = [];
  if (owner) rows.push({ created_on: createdOn, privilege: 'OWNERSHIP', granted_on: kindKey, name, granted_to: 'ROLE', grantee_name: owner, grant_option: 'true', granted_by: owner });
  for (const g of catalog.grants) {
    if (g.grantedOn.replace(/ /g, '_') !== kindKey || g.name !== name) continue;
    rows.push({ created_on: g.createdOn, privilege: g.privilege, granted_on: kindKey, name, granted_to: g.granteeKind, grantee_name: g.grantee, grant_option: String(g.grantOption), granted_by: g.grantedBy });
  }
  return showResult(COLUMNS.GRANTS_TO_ROLE, rows);
}

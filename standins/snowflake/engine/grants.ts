/**
 * GRANT / REVOKE kept as catalog rows, and SHOW GRANTS (reference §6.4: direct grants only; a role granted
 * to a role is a USAGE row on ROLE; ownership shows as OWNERSHIP rows). Enforcement is the Authorizer's job.
 */
import type { EngineResult } from '../engine-types.js';
import { qualifiedName, type Grant } from './catalog.js';
import { kindDoesNotExist } from './errors.js';
import { isOp, isWord } from './lexer.js';
import { qualify, qualifySchema } from './names.js';
import { statusResult } from './session.js';
import { COLUMNS, showResult, type ShowRow } from './show-format.js';
import type { StatementEnv } from './statements.js';
import { showGrantsOn } from './grants/show-grants-on.js';

const OBJECT_KINDS = ['DATABASE', 'SCHEMA', 'TABLE', 'VIEW', 'STREAM', 'TASK', 'WAREHOUSE', 'INTEGRATION', 'ROLE', 'USER', 'SECRET', 'ACCOUNT', 'COMPUTE POOL', 'IMAGE REPOSITORY', 'NETWORK RULE', 'EXTERNAL ACCESS INTEGRATION', 'SERVICE', 'STAGE', 'FUNCTION', 'PROCEDURE'];

export async function runGrant(env: StatementEnv): Promise<EngineResult> {
  const c = env.cursor;
  const { catalog } = env.session.core;
  const ctx = env.session.context;
  const revoke = c.tokens[0]!.value === 'REVOKE';
  c.i = 1;
  const privileges: string[] = [];
  let grantedOn = 'ROLE';
  let name: string;
  if (c.accept('ROLE')) name = c.ident();
  else {
    while (!isWord(c.peek(), 'ON')) {
      const words: string[] = [];
      while (!isOp(c.peek(), ',') && !isWord(c.peek(), 'ON')) words.push(c.ident());
      privileges.push(words.join(' '));
      c.acceptOp(',');
    }
    c.expect('ON');
    const kind = OBJECT_KINDS.filter((k) => k.split(' ').every((w, n) => isWord(c.peek(n), w))).sort((a, b) => b.length - a.length)[0];
    if (!kind) throw c.error();
    c.i += kind.split(' ').length;
    grantedOn = kind === 'EXTERNAL ACCESS INTEGRATION' ? 'INTEGRATION' : kind;
    if (kind === 'ACCOUNT') name = catalog.account_name;
    else {
      const parts = c.name();
      if (kind === 'SCHEMA') { const q = qualifySchema(parts, ctx); name = `${q.database}.${q.schema}`; }
      else if (['TABLE', 'VIEW', 'STREAM', 'TASK', 'SECRET', 'IMAGE REPOSITORY', 'NETWORK RULE', 'SERVICE', 'STAGE'].includes(kind)) {
        const q = qualify(parts, ctx);
        const obj = catalog.object(q.database, q.schema, q.name);
        if (!obj) throw kindDoesNotExist(kind, parts.join('.'));
        name = qualifiedName(q);
        if (privileges.includes('OWNERSHIP') && !revoke) obj.owner = lastRole(c);
      } else name = parts.join('.');
    }
  }
  c.expect(revoke ? 'FROM' : 'TO');
  const granteeKind = c.accept('USER') ? 'USER' : (c.accept('ROLE'), 'ROLE');
  const grantee = c.ident();
  const grantOption = c.accept('WITH', 'GRANT', 'OPTION');
  const matches = (g: Grant) => g.grantedOn === grantedOn.replace(/ /g, '_') && g.name === name && g.grantee === grantee && g.granteeKind === granteeKind;
  for (const privilege of privileges.length > 0 ? privileges : ['USAGE']) {
    const existing = catalog.grants.findIndex((g) => matches(g) && g.privilege === privilege);
    if (revoke) { if (existing >= 0) catalog.grants.splice(existing, 1); continue; }
    if (existing < 0) catalog.grants.push({ privilege, grantedOn: grantedOn.replace(/ /g, '_'), name, granteeKind, grantee, grantOption, grantedBy: ctx.role, createdOn: new Date() });
  }
  return statusResult('DDL', 'Statement executed successfully.');
}

/** The grantee of `GRANT OWNERSHIP … TO ROLE r` (read ahead without moving the cursor). */
function lastRole(c: StatementEnv['cursor']): string {
  const to = c.tokens.findIndex((t, k) => k >= c.i && isWord(t, 'TO'));
  const t = c.tokens[to + 1]?.value === 'ROLE' ? c.tokens[to + 2] : c.tokens[to + 1];
  return t?.value ?? '';
}

export function showGrants(env: StatementEnv): EngineResult {
  const c = env.cursor;
  const { catalog } = env.session.core;
  if (c.accept('ON')) return showGrantsOn(env);
  if (c.accept('TO', 'USER')) {
    const user = c.ident();
    const rows: ShowRow[] = catalog.grants.filter((g) => g.granteeKind === 'USER' && g.grantee === user && g.grantedOn === 'ROLE')
      .map((g) => ({ created_on: g.createdOn, role: g.name, granted_to: 'USER', grantee_name: user, granted_by: g.grantedBy }));
    return showResult(COLUMNS.GRANTS_TO_USER, rows);
  }
  if (c.accept('TO', 'ROLE')) {
    const role = c.ident();
    if (!catalog.accountObjects('ROLE').has(role)) throw kindDoesNotExist('ROLE', role);
    const rows: ShowRow[] = catalog.grants.filter((g) => g.granteeKind === 'ROLE' && g.grantee === role).map(grantRow);
    const owned = (createdOn: Date, kind: string, name: string) => rows.push({ created_on: createdOn, privilege: 'OWNERSHIP', granted_on: kind.replace(/ /g, '_'), name, granted_to: 'ROLE', grantee_name: role, grant_option: 'true', granted_by: role });
    for (const db of catalog.databases.values()) {
      if (db.owner === role) owned(db.createdOn, 'DATABASE', db.name);
      for (const s of db.schemas.values()) if (s.owner === role) owned(s.createdOn, 'SCHEMA', `${db.name}.${s.name}`);
    }
    for (const [kind, objects] of catalog.account) for (const o of objects.values()) if (o.owner === role && kind !== 'USER') owned(o.createdOn, kind, o.name);
    for (const o of catalog.allObjects()) if (o.owner === role) owned(o.createdOn, o.kind, qualifiedName(o));
    return showResult(COLUMNS.GRANTS_TO_ROLE, rows);
  }
  if (c.accept('OF', 'ROLE')) {
    const role = c.ident();
    const rows: ShowRow[] = catalog.grants.filter((g) => g.grantedOn === 'ROLE' && g.name === role)
      .map((g) => ({ created_on: g.createdOn, role, granted_to: g.granteeKind, grantee_name: g.grantee, granted_by: g.grantedBy }));
    return showResult(['created_on', 'role', 'granted_to', 'grantee_name', 'granted_by'], rows);
  }
  throw c.error();
}

function grantRow(g: Grant): ShowRow {
  return { created_on: g.createdOn, privilege: g.privilege, granted_on: g.grantedOn, name: g.name, granted_to: g.granteeKind, grantee_name: g.grantee, grant_option: String(g.grantOption), granted_by: g.grantedBy };
}

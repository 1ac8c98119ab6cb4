/**
 * Privileges the plan needs, checked before any write against SHOW GRANTS of the role and every role it
 * inherits (src/plan/privileges.ts, reference §6.4), ownership for change tracking included. When some
 * are missing: run the statements under another role the user has (--admin-role), or write them to an admin
 * script (--admin-script FILE) and stop with the next command — never a raw SQL error later.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { permissionError } from '../../shared/errors.js';
import { collectRoleGrants, findMissingPrivileges, renderAdminScript, requiredPrivileges, type Grantee, type GrantRow, type MissingPrivilege } from '../plan/privileges.js';
import type { Plan } from '../plan/types.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { isNotAvailable, text } from '../introspect/show.js';
import type { Wizard } from './context.js';

export interface PrivilegeInput {
  role: string;
  user: string | null;
  adminScript?: string | undefined;
  adminRole?: string | undefined;
  /** Opens a session under another role of the same user (for --admin-role). */
  connectAs: (role: string) => Promise<SnowflakeSession>;
  /** The command to rerun, shown after an admin script is written. */
  rerunCommand: string;
  /** Dry run: list what is missing (and the admin script) but change nothing and write nothing. */
  dryRun: boolean;
  /** Set on the check after the statements ran under this role: anything still missing is an error. */
  grantedBy?: string | undefined;
}

/**
 * `grantsToRun`: the missing statements, to run under that role ONLY after the user confirmed the plan
 * (runGrants); the caller then re-reads the account, re-plans (change tracking may now be on, a schema may
 * exist) and checks again with `grantedBy` set.
 */
export interface PrivilegeOutcome {
  grantsToRun: { role: string; missing: MissingPrivilege[] } | null;
}
const OK: PrivilegeOutcome = { grantsToRun: null };

async function fetchGrants(session: SnowflakeSession, grantee: Grantee): Promise<GrantRow[]> {
  const what = grantee.type === 'ROLE' ? `ROLE ${renderQualifiedName([grantee.name])}` : `DATABASE ROLE ${grantee.name}`;
  try {
    const { rows } = await session.query<Record<string, unknown>>(`SHOW GRANTS TO ${what}`);
    return rows.map((r) => ({ privilege: text(r.privilege) ?? '', granted_on: text(r.granted_on) ?? '', name: text(r.name) ?? '' }));
  } catch (error) {
    // SHOW GRANTS TO DATABASE ROLE is documented; a server without it only loses that role's grants.
    if (grantee.type === 'DATABASE ROLE' && isNotAvailable(error)) return [];
    throw error;
  }
}

export async function missingPrivileges(session: SnowflakeSession, plan: Plan, role: string): Promise<{ missing: MissingPrivilege[]; required: number; grantQueries: number }> {
  const required = requiredPrivileges(plan);
  if (required.length === 0) return { missing: [], required: 0, grantQueries: 0 };
  const grants = await collectRoleGrants(role, (grantee) => fetchGrants(session, grantee));
  return { missing: findMissingPrivileges(required, role, grants), required: required.length, grantQueries: Object.keys(grants).length };
}

/** Roles granted to the user, other than `current` (SHOW GRANTS TO USER, `role` column, §6.4). */
export async function otherRoles(session: SnowflakeSession, user: string | null, current: string): Promise<string[]> {
  if (!user) return [];
  const { rows } = await session.query<Record<string, unknown>>(`SHOW GRANTS TO USER ${renderQualifiedName([user])}`).catch(() => ({ rows: [] as Record<string, unknown>[] }));
  return [...new Set(rows.map((r) => text(r.role) ?? '').filter((r) => r && r.toUpperCase() !== current.toUpperCase()))];
}

/** Runs the GRANTs under the admin role: called after the confirmation, never before. */
export async function runGrants(w: Wizard, connectAs: PrivilegeInput['connectAs'], role: string, missing: MissingPrivilege[]): Promise<void> {
  const admin = await connectAs(role);
  try {
    for (const item of missing) {
      const statement = item.statement.replace(/;\s*$/, '');
      await w.output.step(`as ${role}: ${statement}`, () => admin.query(statement));
    }
  } finally {
    await admin.destroy();
  }
}

async function writeScript(w: Wizard, file: string, script: string): Promise<string> {
  const target = path.resolve(w.cwd, file);
  await writeFile(target, script, { mode: 0o644 });
  return target;
}

/** Resolves missing privileges, or throws a permission error with the next step. */
export async function ensurePrivileges(w: Wizard, session: SnowflakeSession, plan: Plan, input: PrivilegeInput): Promise<PrivilegeOutcome> {
  let first: Awaited<ReturnType<typeof missingPrivileges>>;
  try {
    first = await missingPrivileges(session, plan, input.role);
  } catch (error) {
    // The check is advisory: if SHOW GRANTS itself fails, say so and let the step that lacks a privilege stop the apply.
    w.output.warn(`Privileges not verified: SHOW GRANTS failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}). A missing privilege will stop the apply at the step that needs it.`);
    return OK;
  }
  if (first.missing.length === 0) {
    const by = input.grantedBy ? `, granted by ${input.grantedBy}` : '';
    if (first.required > 0) w.output.success(`Privileges: role ${input.role} has all ${first.required} the plan needs (checked through ${first.grantQueries} role(s)${by})`);
    return OK;
  }
  const { missing } = first;
  if (input.grantedBy) {
    throw permissionError('PRIVILEGES_STILL_MISSING', `Role ${input.role} still lacks ${missing.length} privilege(s) after running the statements as ${input.grantedBy}.`, {
      suggestion: `Have an admin run:\n${renderAdminScript(missing, input.role)}`,
      details: { missing: missing.map((m) => m.statement) },
    });
  }
  w.output.info(`${w.output.style.red('✖')} Privileges: role ${input.role} lacks ${missing.length} of ${first.required}:`);
  for (const item of missing) w.output.info(`    ${item.statement}  ${w.output.style.dim(`-- ${item.privilege.why} (run as ${item.runAs})`)}`);
  const script = renderAdminScript(missing, input.role);
  if (input.dryRun) {
    w.output.info(`Dry run: the admin script these need would be:\n${script}`);
    return OK;
  }
  let action: 'role' | 'script' | 'stop' = input.adminRole ? 'role' : input.adminScript ? 'script' : 'stop';
  let adminRole = input.adminRole;
  let scriptFile = input.adminScript;
  if (action === 'stop' && w.prompter) {
    const roles = await otherRoles(session, input.user, input.role);
    action = await w.prompter.select<'role' | 'script' | 'stop'>({
      message: 'How do you want to get these privileges?',
      choices: [
        ...(roles.length > 0 ? [{ value: 'role' as const, name: 'Run the statements now under another role I have', description: roles.join(', ') }] : []),
        { value: 'script' as const, name: 'Write them to an admin script (to hand to an admin)' },
        { value: 'stop' as const, name: 'Stop here' },
      ],
    });
    if (action === 'role') adminRole = await w.prompter.select<string>({ message: 'Role to run them with:', choices: roles.map((r) => ({ value: r, name: r })), default: roles.includes('ACCOUNTADMIN') ? 'ACCOUNTADMIN' : roles[0] });
    if (action === 'script') scriptFile = await w.prompter.input({ message: 'Admin script file:', default: 'batch-snowflake-grants.sql' });
  }
  if (action === 'role' && adminRole) {
    w.output.info(`These ${missing.length} statement(s) will run as ${adminRole} once you confirm the plan.`);
    return { grantsToRun: { role: adminRole, missing } };
  }
  if (action === 'script' && scriptFile) {
    const written = await writeScript(w, scriptFile, script);
    throw permissionError('PRIVILEGES_MISSING', `Role ${input.role} lacks ${missing.length} privilege(s); the statements are in ${written}.`, {
      suggestion: `Have an admin run ${written} (e.g. snowsql -f ${written}), then rerun: ${input.rerunCommand}`,
      details: { adminScript: written, missing: missing.map((m) => m.statement) },
    });
  }
  throw permissionError('PRIVILEGES_MISSING', `Role ${input.role} lacks ${missing.length} privilege(s) the setup needs (listed above).`, {
    suggestion: 'Rerun with --admin-script FILE to write these statements for an admin (then rerun init once they are applied), or with --admin-role ROLE to run them now under another role you have.',
    details: { missing: missing.map((m) => ({ statement: m.statement, runAs: m.runAs, why: m.privilege.why })) },
  });
}

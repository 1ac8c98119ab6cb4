/**
 * The privilege model for preflight (pure).
 * - Each plan step lists the privileges it needs (`requires`, built in src/plan/requirements.ts from §6.1/§6.2).
 * - `requiredPrivileges(plan)` merges them, dropping those on objects the plan itself creates (the current
 *   role will own them).
 * - `findMissingPrivileges` checks them against SHOW GRANTS TO ROLE rows of the current role and every role it
 *   inherits: SHOW GRANTS lists direct grants only; an inherited role is a `USAGE` row `granted_on = ROLE`
 *   (or DATABASE_ROLE) naming the child (§6.4). PUBLIC is granted to every role.
 * - Each gap comes with the exact statement to fix it and who can run it; `renderAdminScript` joins them.
 */
import { renderQualifiedName, sameName } from '../../shared/sql/identifiers.js';
import type { Plan, Privilege } from './types.js';

/** One row of SHOW GRANTS TO ROLE (lowercase column names, §6.4). */
export interface GrantRow {
  privilege: string;
  granted_on: string;
  name: string;
}

export interface Grantee {
  type: 'ROLE' | 'DATABASE ROLE';
  name: string;
}

/** Grants of every grantee fetched so far, keyed by `granteeKey`. */
export type GrantsByGrantee = Readonly<Record<string, readonly GrantRow[]>>;

export interface MissingPrivilege {
  privilege: Privilege;
  /** The GRANT (or, for ownership-only needs, the owner's statement), ending with `;`. */
  statement: string;
  /** Who can run `statement`. */
  runAs: string;
}

export const granteeKey = (grantee: Grantee): string => `${grantee.type}:${grantee.name.toUpperCase()}`;

const normalizeType = (grantedOn: string): string => grantedOn.trim().toUpperCase().replaceAll('_', ' ');

/** Child roles a grantee inherits (USAGE on ROLE / DATABASE ROLE rows). */
export function childGrantees(rows: readonly GrantRow[]): Grantee[] {
  return rows
    .filter((row) => row.privilege.toUpperCase() === 'USAGE')
    .flatMap((row): Grantee[] => {
      const type = normalizeType(row.granted_on);
      return type === 'ROLE' || type === 'DATABASE ROLE' ? [{ type, name: row.name }] : [];
    });
}

/** Fetches SHOW GRANTS for the role and, breadth-first, every role it inherits (cycle-safe), plus PUBLIC. */
export async function collectRoleGrants(
  role: string,
  fetchGrants: (grantee: Grantee) => Promise<GrantRow[]>,
): Promise<Record<string, GrantRow[]>> {
  const result: Record<string, GrantRow[]> = {};
  const queue: Grantee[] = [{ type: 'ROLE', name: role }, { type: 'ROLE', name: 'PUBLIC' }];
  while (queue.length > 0) {
    const level = queue.splice(0).filter((g) => result[granteeKey(g)] === undefined);
    const unique = [...new Map(level.map((g) => [granteeKey(g), g])).values()];
    const rows = await Promise.all(unique.map((g) => fetchGrants(g)));
    unique.forEach((g, i) => {
      result[granteeKey(g)] = rows[i] ?? [];
      queue.push(...childGrantees(rows[i] ?? []));
    });
  }
  return result;
}

/** All grant rows in effect for `role`: its own, PUBLIC's, and those of every inherited role found in `grants`. */
export function effectiveGrants(role: string, grants: GrantsByGrantee): GrantRow[] {
  const seen = new Set<string>();
  const out: GrantRow[] = [];
  const visit = (grantee: Grantee): void => {
    const key = granteeKey(grantee);
    if (seen.has(key)) return;
    seen.add(key);
    const rows = grants[key] ?? [];
    out.push(...rows);
    childGrantees(rows).forEach(visit);
  };
  visit({ type: 'ROLE', name: role });
  visit({ type: 'ROLE', name: 'PUBLIC' });
  return out;
}

export function isSatisfied(need: Privilege, rows: readonly GrantRow[]): boolean {
  const accepted = new Set([need.privilege, ...(need.anyOf ?? []), 'OWNERSHIP']);
  return rows.some(
    (row) =>
      normalizeType(row.granted_on) === need.on &&
      accepted.has(row.privilege.trim().toUpperCase()) &&
      (need.on === 'ACCOUNT' || sameName(row.name, need.name)),
  );
}

export function grantStatement(need: Privilege, role: string): string {
  if (need.fix) return `${need.fix};`;
  const target = need.on === 'ACCOUNT' ? 'ACCOUNT' : `${need.on} ${renderQualifiedName(need.name)}`;
  return `GRANT ${need.privilege} ON ${target} TO ROLE ${renderQualifiedName([role])};`;
}

function runAs(need: Privilege): string {
  if (need.fix) return `the owner of ${need.on} ${renderQualifiedName(need.name)}`;
  if (need.grantor === 'ACCOUNTADMIN' || need.on === 'ACCOUNT') return 'ACCOUNTADMIN';
  return 'SECURITYADMIN';
}

export function findMissingPrivileges(required: readonly Privilege[], role: string, grants: GrantsByGrantee): MissingPrivilege[] {
  const rows = effectiveGrants(role, grants);
  return required
    .filter((need) => !isSatisfied(need, rows))
    .map((need) => ({ privilege: need, statement: grantStatement(need, role), runAs: runAs(need) }));
}

/** Statements an administrator runs, grouped by the role that can run them. */
export function renderAdminScript(missing: readonly MissingPrivilege[], role: string): string {
  const lines = [`-- batch-snowflake: privileges missing for role ${renderQualifiedName([role])}`];
  const groups = new Map<string, MissingPrivilege[]>();
  for (const item of missing) groups.set(item.runAs, [...(groups.get(item.runAs) ?? []), item]);
  for (const [who, items] of groups) {
    lines.push('');
    if (who === 'ACCOUNTADMIN' || who === 'SECURITYADMIN') lines.push(`USE ROLE ${who};`);
    else lines.push(`-- run as ${who}:`);
    for (const item of items) lines.push(`${item.statement}  -- ${item.privilege.why}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Roles that cannot own services, hence the task that runs the job (§3.3, §6.3; ORGADMIN: unconfirmed, refused to be safe). */
export const PRIVILEGED_ROLES = ['ACCOUNTADMIN', 'SECURITYADMIN', 'ORGADMIN'] as const;

export function checkServiceOwnerRole(role: string): { ok: true } | { ok: false; message: string; suggestion: string } {
  if (!(PRIVILEGED_ROLES as readonly string[]).includes(role.toUpperCase())) return { ok: true };
  return {
    ok: false,
    message: `The role ${role} cannot own the sync task: Snowflake refuses to run services (including job services) owned by ACCOUNTADMIN, SECURITYADMIN or ORGADMIN.`,
    suggestion: 'Create a dedicated role, e.g.: USE ROLE ACCOUNTADMIN; CREATE ROLE BATCH_SYNC_ROLE; GRANT ROLE BATCH_SYNC_ROLE TO USER <you>; then rerun with --role BATCH_SYNC_ROLE.',
  };
}

const key = (p: Pick<Privilege, 'privilege' | 'on' | 'name'>) => `${p.privilege}|${p.on}|${JSON.stringify(p.name)}`;

/** Every privilege the plan's steps need, once, minus those on objects the plan creates. */
export function requiredPrivileges(plan: Plan): Privilege[] {
  const created = plan.steps.flatMap((step) => (step.kind === 'sql' && step.action === 'create' ? [step.object] : []));
  const isCreated = (p: Privilege) => created.some((o) => o.type === p.on && o.name.length === p.name.length && o.name.every((x, i) => x === p.name[i]));
  const out = new Map<string, Privilege>();
  for (const step of plan.steps) for (const need of step.requires) if (!isCreated(need) && !out.has(key(need))) out.set(key(need), need);
  return [...out.values()];
}

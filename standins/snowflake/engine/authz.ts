/**
 * Ownership and privilege checks, kept pluggable: the account-profiles issue replaces `check` with real
 * grants. Role inheritance follows `USAGE` grants on roles (reference §6.4) plus Snowflake's system roles.
 */
import { Catalog } from './catalog.js';

export interface Authorizer {
  /** Roles whose privileges `role` has: itself, roles granted to it (transitively), and PUBLIC. */
  effectiveRoles(role: string): Set<string>;
  /** OWNERSHIP through the role hierarchy. */
  owns(role: string, owner: string): boolean;
  /**
   * Called before a statement uses a privilege; throws SnowflakeSqlError 003001 to refuse.
   * Default: everything allowed (roles/grants are the next issue).
   */
  check(role: string, privilege: string, objectKind: string, objectName: string): void;
  /** SHOW lists only objects the role has some privilege on. Default: everything. */
  visible(role: string, objectKind: string, objectName: string, owner: string): boolean;
  /** Login/USE ROLE: is the role granted to the user (directly or through roles)? Default: any existing role. */
  userHasRole?(user: string, role: string): boolean;
}

const SYSTEM_HIERARCHY: Record<string, string[]> = {
  ACCOUNTADMIN: ['SYSADMIN', 'SECURITYADMIN'],
  SECURITYADMIN: ['USERADMIN'],
};

export function defaultAuthorizer(catalog: Catalog): Authorizer {
  const effectiveRoles = (role: string): Set<string> => {
    const seen = new Set<string>();
    const queue = [role, 'PUBLIC'];
    while (queue.length > 0) {
      const r = queue.pop()!;
      if (seen.has(r)) continue;
      seen.add(r);
      queue.push(...(SYSTEM_HIERARCHY[r] ?? []));
      for (const g of catalog.grants) {
        if (g.granteeKind === 'ROLE' && g.grantee === r && g.grantedOn === 'ROLE' && g.privilege === 'USAGE') queue.push(g.name);
      }
    }
    return seen;
  };
  return {
    effectiveRoles,
    owns: (role, owner) => effectiveRoles(role).has(owner),
    check: () => {},
    visible: () => true,
  };
}

/**
 * Enforcing Authorizer for account profiles: a role holds a privilege when it, or a role it inherits (USAGE
 * on ROLE rows, reference §6.4), owns the object or was granted the privilege (or ALL) on it. Object names in
 * grants are stored as A2's grants.ts writes them: DB, DB.SCHEMA, DB.SCHEMA.NAME, account objects by name,
 * the account by the account name.
 */
import { defaultAuthorizer, type Authorizer } from '../authz.js';
import type { AccountObjectKind, Catalog } from '../catalog.js';
import { kindDoesNotExist } from '../errors.js';
import { parseNameString } from '../names.js';
import { insufficientPrivileges } from '../errors.js';

const ACCOUNT_KINDS = new Set(['WAREHOUSE', 'COMPUTE POOL', 'INTEGRATION', 'ROLE', 'USER']);
const SCHEMA_KINDS = new Set(['TABLE', 'VIEW', 'STREAM', 'TASK', 'NETWORK RULE', 'SECRET', 'IMAGE REPOSITORY']);

/** `granted_on` as SHOW GRANTS prints it (COMPUTE_POOL, IMAGE_REPOSITORY, …). */
export const grantedOn = (kind: string): string => (kind === 'EXTERNAL ACCESS INTEGRATION' ? 'INTEGRATION' : kind).replace(/ /g, '_');
const kindOf = (granted: string): string => granted.replace(/_/g, ' ');

/** Canonical stored name: parts of a possibly quoted dotted name joined with '.'. */
export function canonicalName(name: string): string {
  return parseNameString(name).join('.');
}

export class PrivilegeModel implements Authorizer {
  private readonly base: Authorizer;

  constructor(readonly catalog: Catalog) {
    this.base = defaultAuthorizer(catalog);
  }

  effectiveRoles(role: string): Set<string> {
    return this.base.effectiveRoles(role);
  }

  owns(role: string, owner: string): boolean {
    return owner !== '' && this.effectiveRoles(role).has(owner);
  }

  /** Owner role of an object, '' when it has none (system roles, the account). */
  ownerOf(kind: string, name: string): string {
    const k = kindOf(grantedOn(kind));
    const parts = parseNameString(name);
    const { catalog } = this;
    if (k === 'ACCOUNT') return '';
    if (k === 'DATABASE') return catalog.databases.get(parts[0] ?? '')?.owner ?? '';
    if (k === 'SCHEMA') return catalog.schema(parts[0] ?? '', parts[1] ?? '')?.owner ?? '';
    if (ACCOUNT_KINDS.has(k)) return catalog.accountObjects(k as AccountObjectKind).get(parts[0] ?? '')?.owner ?? '';
    if (SCHEMA_KINDS.has(k) && parts.length === 3) return catalog.object(parts[0]!, parts[1]!, parts[2]!)?.owner ?? '';
    return '';
  }

  /** OWNERSHIP, the privilege itself, or ALL (which never includes OWNERSHIP), through inherited roles. */
  has(role: string, privilege: string, kind: string, name: string): boolean {
    const roles = this.effectiveRoles(role);
    if (this.owns(role, this.ownerOf(kind, name))) return true;
    const on = grantedOn(kind);
    const target = on === 'ACCOUNT' ? this.catalog.account_name : canonicalName(name);
    return this.catalog.grants.some(
      (g) => g.granteeKind === 'ROLE' && roles.has(g.grantee) && g.grantedOn === on && (on === 'ACCOUNT' || g.name === target) &&
        (g.privilege === privilege || (privilege !== 'OWNERSHIP' && /^ALL( PRIVILEGES)?$/.test(g.privilege))),
    );
  }

  /** Any privilege at all (what makes an object visible, reference §2.1 "at least one access privilege"). */
  hasAny(role: string, kind: string, name: string, owner = this.ownerOf(kind, name)): boolean {
    const roles = this.effectiveRoles(role);
    if (this.owns(role, owner)) return true;
    const on = grantedOn(kind);
    const target = canonicalName(name);
    return this.catalog.grants.some((g) => g.granteeKind === 'ROLE' && roles.has(g.grantee) && g.grantedOn === on && g.name === target);
  }

  /**
   * Refuses with 003001 when the object is visible to the role, or with "does not exist or not authorized"
   * when the role has no privilege on it at all (Snowflake does not reveal objects a role cannot see).
   */
  check(role: string, privilege: string, objectKind: string, objectName: string): void {
    // USE ROLE is checked against the user's role grants by the statement guard (userHasRole).
    if (objectKind === 'ROLE' && privilege === 'USAGE') return;
    const accepted = privilege === 'OPERATE' ? ['OPERATE', 'OWNERSHIP'] : [privilege];
    if (accepted.some((p) => this.has(role, p, objectKind, objectName))) return;
    throw this.refusal(role, objectKind, objectName);
  }

  refusal(role: string, objectKind: string, objectName: string): Error {
    const kind = kindOf(grantedOn(objectKind));
    if (kind === 'ACCOUNT' || this.hasAny(role, kind, objectName)) {
      const parts = parseNameString(objectName);
      return insufficientPrivileges(kind, kind === 'ACCOUNT' ? this.catalog.account_name : (parts[parts.length - 1] ?? objectName));
    }
    return kindDoesNotExist(kind, objectName);
  }

  visible(role: string, objectKind: string, objectName: string, owner: string): boolean {
    // Every role can list roles and users in this stand-in (docs: SHOW ROLES lists roles the role can see; kept simple).
    if (objectKind === 'ROLE' || objectKind === 'USER') return true;
    return this.hasAny(role, objectKind, objectName, owner);
  }

  userHasRole(user: string, role: string): boolean {
    if (role === 'PUBLIC') return true;
    return this.catalog.grants.some((g) => g.granteeKind === 'USER' && g.grantee === user && g.grantedOn === 'ROLE' && this.effectiveRoles(g.name).has(role));
  }
}

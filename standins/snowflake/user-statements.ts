/**
 * The SQL that sets up sign-in, on the same user model login checks (account.ts), so an account prepared with SQL
 * signs in exactly like one prepared by the profile file:
 * - `ALTER USER [IF EXISTS] <u> SET RSA_PUBLIC_KEY[_2] = '<key body>'` / `UNSET RSA_PUBLIC_KEY[_2]`: the key is the
 *   PEM body without the BEGIN/END lines (https://docs.snowflake.com/en/user-guide/key-pair-auth, "Assign the
 *   public key to a Snowflake user": "Exclude the public key delimiters in the SQL statement").
 * - `ALTER USER [IF EXISTS] [<u>] ADD { PROGRAMMATIC ACCESS TOKEN | PAT } <name> [ROLE_RESTRICTION = '<role>']
 *   [DAYS_TO_EXPIRY = n] [COMMENT = '…']` → one row `token_name`, `token_secret`
 *   (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token); ROLE_RESTRICTION
 *   must be a role granted to the user.
 * - `ALTER USER [IF EXISTS] [<u>] REMOVE { PROGRAMMATIC ACCESS TOKEN | PAT } <name>`
 *   (https://docs.snowflake.com/en/sql-reference/sql/alter-user-remove-programmatic-access-token).
 * - `SHOW USER { PROGRAMMATIC ACCESS TOKENS | PATS } [FOR USER <u>]`
 *   (https://docs.snowflake.com/en/sql-reference/sql/show-user-programmatic-access-tokens).
 * - `DESC[RIBE] USER <u>`: property / value / default / description rows, with RSA_PUBLIC_KEY_FP and
 *   RSA_PUBLIC_KEY_2_FP (https://docs.snowflake.com/en/sql-reference/sql/desc-user).
 * Who may: a user on themselves; on another user, the owner of that user (OWNERSHIP) — the docs add MODIFY
 * PROGRAMMATIC AUTHENTICATION METHODS, which the stand-in does not model (stricter: ownership only).
 */
import { createPublicKey } from 'node:crypto';
import type { EngineResult } from './engine-types.js';
import type { StandinAccount } from './account.js';
import { Cursor } from './engine/cursor.js';
import { kindDoesNotExist, SnowflakeSqlError } from './engine/errors.js';
import type { Token } from './engine/lexer.js';
import { statusResult, type Session } from './engine/session.js';
import { showResult } from './engine/show-format.js';
import { publicKeyFingerprint } from './keypair-jwt.js';

const PAT_COLUMNS = ['name', 'user_name', 'role_restriction', 'expires_at', 'status', 'comment', 'created_on', 'created_by', 'mins_to_bypass_network_policy_requirement', 'rotated_to'];

/** The key body of the documented form → PEM; refuses PEM delimiters and anything that is not an RSA public key. */
export function publicKeyFromBody(body: string): string {
  // UNCONFIRMED code and text: the docs say to leave the delimiters out, not what a key with them gets.
  const invalid = () => new SnowflakeSqlError('002029', '22023', 'SQL compilation error:\nNew public key rejected by current policy. reason: Invalid public key');
  if (/-----BEGIN|-----END/.test(body)) throw invalid();
  const base64 = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(base64)) throw invalid();
  const pem = `-----BEGIN PUBLIC KEY-----\n${base64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PUBLIC KEY-----\n`;
  try {
    if (createPublicKey(pem).asymmetricKeyType !== 'rsa') throw invalid();
  } catch {
    throw invalid();
  }
  return pem;
}

export class UserStatements {
  constructor(private readonly accounts: StandinAccount) {}

  handle(session: Session, sql: string, tokens: Token[]): EngineResult | undefined {
    const c = new Cursor(sql, tokens);
    if (c.accept('SHOW', 'USER', 'PROGRAMMATIC', 'ACCESS', 'TOKENS') || c.accept('SHOW', 'USER', 'PATS')) {
      const user = c.accept('FOR', 'USER') ? c.ident() : session.context.user;
      if (!c.atEnd()) throw c.error();
      return this.showTokens(session, user);
    }
    if (c.accept('DESC', 'USER') || c.accept('DESCRIBE', 'USER')) {
      const user = c.ident();
      if (!c.atEnd()) throw c.error();
      return this.describe(session, user);
    }
    if (!c.accept('ALTER', 'USER')) return undefined;
    const ifExists = c.accept('IF', 'EXISTS');
    // The user name is optional before ADD/REMOVE (then: the current user).
    const user = ['ADD', 'REMOVE'].includes(String(c.peek()?.value)) && c.peek()?.type === 'word' ? session.context.user : c.ident();
    const start = c.i;
    if (c.accept('ADD')) return this.addToken(session, c, user, ifExists);
    if (c.accept('REMOVE')) return this.removeToken(session, c, user, ifExists);
    if (c.accept('SET') || c.accept('UNSET')) {
      const set = c.tokens[start]!.value === 'SET';
      const slot = this.keySlot(c);
      if (slot === null) {
        c.i = start;
        return undefined; // other properties: the engine's ALTER USER
      }
      if (!this.exists(user)) return ifExists ? statusResult('DDL', 'Statement executed successfully.') : this.missing(user);
      this.authorize(session, user);
      if (set) {
        c.expectOp('=');
        const pem = publicKeyFromBody(c.string());
        if (!c.atEnd()) throw c.error();
        this.accounts.setPublicKey(user, slot, pem);
      } else {
        if (!c.atEnd()) throw c.error();
        this.accounts.setPublicKey(user, slot, null);
      }
      // SHOW USERS (has_rsa_public_key) reads the catalog's copy.
      const entry = session.core.catalog.accountObjects('USER').get(user.toUpperCase());
      if (entry) {
        if (this.accounts.publicKeys(user).some(Boolean)) entry.props.RSA_PUBLIC_KEY = 'set';
        else delete entry.props.RSA_PUBLIC_KEY;
      }
      return statusResult('DDL', 'Statement executed successfully.');
    }
    c.i = start;
    return undefined;
  }

  private keySlot(c: Cursor): 1 | 2 | null {
    if (c.accept('RSA_PUBLIC_KEY')) return 1;
    if (c.accept('RSA_PUBLIC_KEY_2')) return 2;
    return null;
  }

  private exists(user: string): boolean {
    return this.accounts.getUser(user) !== undefined;
  }

  private missing(user: string): never {
    throw kindDoesNotExist('USER', user);
  }

  /** Oneself, or the role owning the user object (catalog); otherwise Snowflake's access-control error. */
  private authorize(session: Session, user: string): void {
    if (user.toUpperCase() === session.context.user.toUpperCase()) return;
    session.core.authz.check(session.context.role, 'OWNERSHIP', 'USER', user.toUpperCase());
  }

  private tokenKeyword(c: Cursor): void {
    if (!c.accept('PROGRAMMATIC', 'ACCESS', 'TOKEN') && !c.accept('PAT')) throw c.error();
  }

  private addToken(session: Session, c: Cursor, user: string, ifExists: boolean): EngineResult {
    this.tokenKeyword(c);
    const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
    const name = c.ident();
    const props = c.properties();
    if (!this.exists(user)) return ifExists ? statusResult('DDL', 'Statement executed successfully.') : this.missing(user);
    this.authorize(session, user);
    const known = ['ROLE_RESTRICTION', 'DAYS_TO_EXPIRY', 'MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT', 'COMMENT'];
    const unknown = Object.keys(props).find((k) => !known.includes(k));
    if (unknown) throw new SnowflakeSqlError('001003', '42000', `SQL compilation error:\ninvalid property '${unknown}' for 'PROGRAMMATIC_ACCESS_TOKEN'`);
    const role = props.ROLE_RESTRICTION?.toUpperCase() ?? null;
    if (role && !session.core.catalog.grants.some((g) => g.granteeKind === 'USER' && g.grantee === user.toUpperCase() && g.grantedOn === 'ROLE' && g.name === role)) {
      // UNCONFIRMED text: the docs require the role to be granted to the user, without the error.
      throw new SnowflakeSqlError('003001', '42501', `SQL access control error:\nRole '${role}' is not granted to user '${user.toUpperCase()}'.`);
    }
    const days = props.DAYS_TO_EXPIRY === undefined ? 15 : Number(props.DAYS_TO_EXPIRY);
    if (!Number.isInteger(days) || days < 1 || days > 365) throw new SnowflakeSqlError('001003', '42000', 'SQL compilation error:\nDAYS_TO_EXPIRY must be between 1 and 365.');
    const upperName = name.toUpperCase();
    if (this.accounts.programmaticAccessTokens(user).some((t) => t.name === upperName)) {
      if (ifNotExists) return statusResult('DDL', 'Statement executed successfully.');
      throw new SnowflakeSqlError('002002', '42710', `SQL compilation error:\nProgrammatic access token '${upperName}' already exists.`);
    }
    const secret = this.accounts.addProgrammaticAccessToken(user, upperName, { roleRestriction: role, daysToExpiry: days, comment: props.COMMENT ?? null });
    return showResult(['token_name', 'token_secret'], [{ token_name: upperName, token_secret: secret }], {}, 'token_name');
  }

  private removeToken(session: Session, c: Cursor, user: string, ifExists: boolean): EngineResult {
    this.tokenKeyword(c);
    const name = c.ident().toUpperCase();
    if (!c.atEnd()) throw c.error();
    if (!this.exists(user)) return ifExists ? statusResult('DDL', 'Statement executed successfully.') : this.missing(user);
    this.authorize(session, user);
    if (!this.accounts.removeProgrammaticAccessToken(user, name)) throw kindDoesNotExist('PROGRAMMATIC ACCESS TOKEN', name);
    return statusResult('DDL', 'Statement executed successfully.');
  }

  private showTokens(session: Session, user: string): EngineResult {
    if (!this.exists(user)) this.missing(user);
    this.authorize(session, user);
    const now = Date.now();
    const rows = this.accounts.programmaticAccessTokens(user).map((t) => ({
      name: t.name, user_name: user.toUpperCase(), role_restriction: t.roleRestriction, expires_at: t.expiresAt,
      status: t.disabled ? 'DISABLED' : t.expiresAt.getTime() <= now ? 'EXPIRED' : 'ACTIVE', comment: t.comment, created_on: t.createdOn,
      created_by: session.context.user, mins_to_bypass_network_policy_requirement: null, rotated_to: null,
    }));
    return showResult(PAT_COLUMNS, rows);
  }

  private describe(session: Session, user: string): EngineResult {
    const stored = this.accounts.getUser(user);
    if (!stored) this.missing(user);
    this.authorize(session, user);
    const [key1, key2] = this.accounts.publicKeys(user);
    const fp = (pem: string) => (pem ? publicKeyFingerprint(pem) : 'null');
    const props: Array<[string, string, string, string]> = [
      ['NAME', stored.name, 'null', 'Name'],
      ['LOGIN_NAME', stored.name, 'null', 'Login name of the user'],
      ['DISABLED', String(stored.disabled === true), 'false', 'Whether the user is disabled'],
      ['DEFAULT_ROLE', stored.defaultRole, 'null', 'Primary principal of user session will be set to this role'],
      ['DEFAULT_WAREHOUSE', stored.defaultWarehouse ?? 'null', 'null', 'Default warehouse for this user'],
      ['HAS_PASSWORD', String(Boolean(stored.password)), 'false', 'Whether the user has a password'],
      ['HAS_MFA', String(Boolean(stored.mfaPasscode)), 'false', 'Whether the user is enrolled for multi-factor authentication'],
      ['RSA_PUBLIC_KEY', key1 ? key1.replace(/-----[A-Z ]+-----|\s/g, '') : 'null', 'null', 'RSA public key of the user'],
      ['RSA_PUBLIC_KEY_FP', fp(key1), 'null', 'Fingerprint of user\'s RSA public key.'],
      ['RSA_PUBLIC_KEY_2', key2 ? key2.replace(/-----[A-Z ]+-----|\s/g, '') : 'null', 'null', 'Second RSA public key of the user'],
      ['RSA_PUBLIC_KEY_2_FP', fp(key2), 'null', 'Fingerprint of user\'s second RSA public key.'],
    ];
    return showResult(['property', 'value', 'default', 'description'], props.map(([property, value, def, description]) => ({ property, value, default: def, description })), {}, 'property');
  }
}

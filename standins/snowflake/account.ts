/**
 * The stand-in account's users and credentials, and the login check for every authenticator the
 * Node driver sends (reference §2.2): SNOWFLAKE (password, or a programmatic access token used as the
 * password), SNOWFLAKE_JWT, OAUTH, PROGRAMMATIC_ACCESS_TOKEN, USERNAME_PASSWORD_MFA, EXTERNALBROWSER.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { verifyKeypairJwt } from './keypair-jwt.js';
import { LoginError, loginErrors } from './login-errors.js';

export interface UserConfig {
  /** Login name; matched case-insensitively, as Snowflake does. */
  name: string;
  password?: string;
  defaultRole: string;
  defaultWarehouse?: string | null;
  defaultDatabase?: string | null;
  defaultSchema?: string | null;
  /** RSA_PUBLIC_KEY / RSA_PUBLIC_KEY_2 (PEM, SPKI), in that order; `ALTER USER … SET RSA_PUBLIC_KEY[_2]` sets them. */
  rsaPublicKeys?: string[];
  /** Unnamed token secrets (profile-file shorthand); named ones come from `ALTER USER … ADD PAT` (pats). */
  programmaticAccessTokens?: string[];
  /** When set, the user is enrolled in MFA: every password login must also carry this passcode. */
  mfaPasscode?: string;
  /** How this user answers a Duo push (default: nobody answers, so the push times out). */
  mfaPush?: 'approve' | 'deny' | 'timeout';
  disabled?: boolean;
}

/** A named programmatic access token (ALTER USER … ADD PAT; SHOW USER PROGRAMMATIC ACCESS TOKENS columns). */
export interface ProgrammaticAccessToken {
  name: string;
  secret: string;
  roleRestriction: string | null;
  createdOn: Date;
  expiresAt: Date;
  comment: string | null;
  disabled: boolean;
}

export interface AccountConfig {
  /** Account name the driver is given (`account` option), e.g. SANDBOX. */
  name?: string;
  users?: UserConfig[];
}

export interface AuthenticatedLogin {
  user: UserConfig;
  /** Role fixed by the credential itself (OAuth scope, PAT ROLE_RESTRICTION); null lets the connection/default role apply. */
  scopedRole: string | null;
  /** MFA token for the client's cache (CLIENT_REQUEST_MFA_TOKEN with ALLOW_CLIENT_MFA_CACHING). */
  mfaToken?: { token: string; validitySeconds: number };
}

interface OAuthGrant {
  user: string;
  role: string;
  expiresAtMs: number;
}

interface BrowserGrant {
  user: string;
  proofKey: string;
  expiresAtMs: number;
}

const newSecret = (bytes = 24): string => randomBytes(bytes).toString('base64url');

function secretEquals(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class StandinAccount {
  readonly name: string;
  /**
   * The account's authentication policy refuses single-factor password sign-ins (Snowflake blocks them for
   * every user during 2026: https://docs.snowflake.com/en/user-guide/security-mfa-rollout).
   */
  blockSingleFactorPasswords = false;
  private readonly users = new Map<string, UserConfig>();
  private readonly pats = new Map<string, ProgrammaticAccessToken[]>();
  /** MFA tokens handed out with CLIENT_REQUEST_MFA_TOKEN, per user (MFA token caching). */
  private readonly mfaTokens = new Map<string, { user: string; expiresAtMs: number }>();
  /**
   * ALLOW_CLIENT_MFA_CACHING (account parameter, default FALSE): clients that ask for it get an MFA token valid
   * 4 hours, and a login with that token and the password skips the second factor
   * (https://docs.snowflake.com/en/user-guide/security-mfa, "Using MFA token caching").
   */
  allowClientMfaCaching = false;
  /** Every Duo push sent (user, outcome), for tests: one command must not push more than once. */
  readonly mfaPushes: Array<{ user: string; outcome: 'approve' | 'deny' | 'timeout' }> = [];
  private readonly oauthTokens = new Map<string, OAuthGrant>();
  private readonly browserTokens = new Map<string, BrowserGrant>();

  constructor(config: AccountConfig = {}) {
    this.name = (config.name ?? 'SANDBOX').toUpperCase();
    for (const user of config.users ?? []) this.addUser(user);
  }

  addUser(user: UserConfig): UserConfig {
    const stored = { ...user, name: user.name.toUpperCase(), rsaPublicKeys: [...(user.rsaPublicKeys ?? [])] };
    this.users.set(stored.name, stored);
    return stored;
  }

  getUser(name: string): UserConfig | undefined {
    return this.users.get(name.toUpperCase());
  }

  /** Registers a key in the first free slot (RSA_PUBLIC_KEY, then RSA_PUBLIC_KEY_2, which a rotation replaces). */
  registerPublicKey(userName: string, publicKeyPem: string): void {
    const keys = this.publicKeys(userName);
    this.setPublicKey(userName, keys[0] ? 2 : 1, publicKeyPem);
  }

  /** ALTER USER … SET / UNSET RSA_PUBLIC_KEY[_2] (https://docs.snowflake.com/en/user-guide/key-pair-auth). */
  setPublicKey(userName: string, slot: 1 | 2, publicKeyPem: string | null): void {
    const user = this.requireUser(userName);
    const keys = [user.rsaPublicKeys?.[0] ?? '', user.rsaPublicKeys?.[1] ?? ''];
    keys[slot - 1] = publicKeyPem ?? '';
    user.rsaPublicKeys = keys;
  }

  /** [RSA_PUBLIC_KEY, RSA_PUBLIC_KEY_2], '' for an empty slot. */
  publicKeys(userName: string): [string, string] {
    const keys = this.requireUser(userName).rsaPublicKeys ?? [];
    return [keys[0] ?? '', keys[1] ?? ''];
  }

  /**
   * A new programmatic access token (ALTER USER … ADD PAT: the secret is returned once; DAYS_TO_EXPIRY default 15,
   * https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token).
   */
  addProgrammaticAccessToken(userName: string, name = `TOKEN_${randomBytes(4).toString('hex').toUpperCase()}`, options: { roleRestriction?: string | null; daysToExpiry?: number; comment?: string | null } = {}): string {
    const user = this.requireUser(userName);
    const list = this.pats.get(user.name) ?? [];
    if (list.some((t) => t.name === name)) throw new Error(`token ${name} exists`);
    const secret = newSecret(32);
    const createdOn = new Date();
    list.push({ name, secret, roleRestriction: options.roleRestriction ?? null, createdOn, expiresAt: new Date(createdOn.getTime() + (options.daysToExpiry ?? 15) * 86_400_000), comment: options.comment ?? null, disabled: false });
    this.pats.set(user.name, list);
    return secret;
  }

  programmaticAccessTokens(userName: string): ProgrammaticAccessToken[] {
    return [...(this.pats.get(this.requireUser(userName).name) ?? [])];
  }

  /** ALTER USER … REMOVE PAT: the token stops working at once. Returns false when there is no such token. */
  removeProgrammaticAccessToken(userName: string, name: string): boolean {
    const user = this.requireUser(userName);
    const list = this.pats.get(user.name) ?? [];
    const index = list.findIndex((t) => t.name === name);
    if (index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  /** Test hook: the named token's expiry moves to now (DAYS_TO_EXPIRY has whole days only). */
  expireProgrammaticAccessToken(userName: string, name: string): void {
    const token = (this.pats.get(this.requireUser(userName).name) ?? []).find((t) => t.name === name);
    if (token) token.expiresAt = new Date(Date.now() - 1000);
  }

  /** An OAuth access token for user+role, e.g. what SPCS writes to /snowflake/session/token. */
  issueOAuthToken(userName: string, role: string, ttlSeconds = 600): string {
    const user = this.requireUser(userName);
    const token = newSecret(32);
    this.oauthTokens.set(token, { user: user.name, role: role.toUpperCase(), expiresAtMs: Date.now() + ttlSeconds * 1000 });
    return token;
  }

  revokeOAuthToken(token: string): void {
    this.oauthTokens.delete(token);
  }

  /**
   * The identity provider's side of EXTERNALBROWSER: the user signed in with their password in the
   * browser; the returned SAML-like token is bound to the driver's proof key and usable once.
   */
  approveBrowserLogin(loginName: string, password: string, proofKey: string): string {
    const user = this.getUser(loginName);
    if (!user?.password || !secretEquals(user.password, password)) throw loginErrors.badPassword();
    const token = newSecret(32);
    this.browserTokens.set(token, { user: user.name, proofKey, expiresAtMs: Date.now() + 5 * 60 * 1000 });
    return token;
  }

  /** Checks the `data` of a login request; throws LoginError with Snowflake's code on failure. */
  authenticate(data: Record<string, unknown>): AuthenticatedLogin {
    const authenticator = (str(data.AUTHENTICATOR) ?? 'SNOWFLAKE').toUpperCase();
    const loginName = str(data.LOGIN_NAME) ?? '';
    const token = str(data.TOKEN) ?? '';
    switch (authenticator) {
      case 'SNOWFLAKE':
      case 'USERNAME_PASSWORD_MFA':
        return this.passwordLogin(loginName, str(data.PASSWORD) ?? '', data);
      case 'SNOWFLAKE_JWT': {
        const user = this.activeUser(loginName, () => loginErrors.invalidJwt(`unknown user ${loginName}`));
        const check = verifyKeypairJwt(token, { account: this.name, user: user.name, publicKeysPem: (user.rsaPublicKeys ?? []).filter(Boolean) });
        if (!check.ok) throw loginErrors.invalidJwt(check.reason ?? 'invalid');
        return { user, scopedRole: null };
      }
      case 'OAUTH': {
        const grant = this.oauthTokens.get(token);
        if (!grant) throw loginErrors.invalidOAuth();
        if (grant.expiresAtMs <= Date.now()) throw loginErrors.expiredOAuth();
        return { user: this.activeUser(grant.user, loginErrors.invalidOAuth), scopedRole: grant.role };
      }
      case 'PROGRAMMATIC_ACCESS_TOKEN': {
        const user = this.activeUser(loginName, loginErrors.badPassword);
        const secret = token || (str(data.PASSWORD) ?? '');
        if ((user.programmaticAccessTokens ?? []).some((t) => secretEquals(t, secret))) return { user, scopedRole: null };
        const named = (this.pats.get(user.name) ?? []).find((t) => secretEquals(t.secret, secret));
        if (!named || named.disabled) throw loginErrors.badPassword();
        if (named.expiresAt.getTime() <= Date.now()) throw loginErrors.expiredPat();
        return { user, scopedRole: named.roleRestriction };
      }
      case 'EXTERNALBROWSER': {
        const grant = this.browserTokens.get(token);
        if (!grant || grant.expiresAtMs <= Date.now() || grant.proofKey !== str(data.PROOF_KEY)) throw loginErrors.invalidSamlToken();
        this.browserTokens.delete(token);
        if (loginName && loginName.toUpperCase() !== grant.user) throw loginErrors.browserUserMismatch();
        return { user: this.activeUser(grant.user, loginErrors.invalidSamlToken), scopedRole: null };
      }
      default:
        throw loginErrors.unsupportedAuthenticator(authenticator);
    }
  }

  /** Password (or a PAT used as the password), then the MFA second factor when the user is enrolled. */
  private passwordLogin(loginName: string, password: string, data: Record<string, unknown>): AuthenticatedLogin {
    const user = this.activeUser(loginName, loginErrors.badPassword);
    let secret = password;
    const passcodeInPassword = data.passcodeInPassword === true;
    let passcode = str(data.PASSCODE);
    if (user.mfaPasscode && passcodeInPassword) {
      passcode = secret.slice(-user.mfaPasscode.length);
      secret = secret.slice(0, -user.mfaPasscode.length);
    }
    const pat = [...(user.programmaticAccessTokens ?? []), ...(this.pats.get(user.name) ?? []).filter((t) => !t.disabled && t.expiresAt.getTime() > Date.now()).map((t) => t.secret)].some((c) => secretEquals(c, secret));
    if (!pat && !(user.password && secretEquals(user.password, secret))) throw loginErrors.badPassword();
    if (pat) return { user, scopedRole: null };
    if (!user.mfaPasscode) {
      if (this.blockSingleFactorPasswords) throw loginErrors.singleFactorBlocked();
      return { user, scopedRole: null };
    }
    const parameters = (data.SESSION_PARAMETERS ?? {}) as Record<string, unknown>;
    const wantsToken = this.allowClientMfaCaching && parameters.CLIENT_REQUEST_MFA_TOKEN === true;
    const cached = str(data.TOKEN) ? this.mfaTokens.get(str(data.TOKEN)!) : undefined;
    if (!(wantsToken && cached && cached.user === user.name && cached.expiresAtMs > Date.now())) {
      if (passcode === undefined) {
        // No passcode: Snowflake sends a Duo push (EXT_AUTHN_DUO_METHOD "push") and waits for the answer.
        const outcome = user.mfaPush ?? 'timeout';
        this.mfaPushes.push({ user: user.name, outcome });
        if (outcome === 'deny') throw loginErrors.pushDenied();
        if (outcome === 'timeout') throw loginErrors.pushTimeout();
      } else if (!secretEquals(passcode, user.mfaPasscode)) throw loginErrors.badPasscode();
    }
    if (!wantsToken) return { user, scopedRole: null };
    const mfaToken = newSecret(32);
    this.mfaTokens.set(mfaToken, { user: user.name, expiresAtMs: Date.now() + 4 * 3600 * 1000 });
    return { user, scopedRole: null, mfaToken: { token: mfaToken, validitySeconds: 4 * 3600 } };
  }

  private activeUser(loginName: string, notFound: () => LoginError): UserConfig {
    const user = this.getUser(loginName);
    if (!user) throw notFound();
    if (user.disabled) throw loginErrors.userDisabled();
    return user;
  }

  private requireUser(name: string): UserConfig {
    const user = this.getUser(name);
    if (!user) throw new Error(`no user ${name} in stand-in account ${this.name}`);
    return user;
  }
}

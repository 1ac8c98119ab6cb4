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
  /** RSA_PUBLIC_KEY / RSA_PUBLIC_KEY_2 (PEM, SPKI). */
  rsaPublicKeys?: string[];
  programmaticAccessTokens?: string[];
  /** When set, the user is enrolled in MFA: every password login must also carry this passcode. */
  mfaPasscode?: string;
  disabled?: boolean;
}

export interface AccountConfig {
  /** Account name the driver is given (`account` option), e.g. SANDBOX. */
  name?: string;
  users?: UserConfig[];
}

export interface AuthenticatedLogin {
  user: UserConfig;
  /** Role fixed by the credential itself (OAuth scope); null lets the connection/default role apply. */
  scopedRole: string | null;
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
  private readonly users = new Map<string, UserConfig>();
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

  /** ALTER USER … SET RSA_PUBLIC_KEY[_2]: Snowflake keeps at most two keys per user. */
  registerPublicKey(userName: string, publicKeyPem: string): void {
    const user = this.requireUser(userName);
    const keys = user.rsaPublicKeys ?? [];
    user.rsaPublicKeys = [...keys, publicKeyPem].slice(-2);
  }

  /** A new programmatic access token for the user (returned once, like ALTER USER … ADD PAT). */
  addProgrammaticAccessToken(userName: string): string {
    const user = this.requireUser(userName);
    const token = newSecret(32);
    user.programmaticAccessTokens = [...(user.programmaticAccessTokens ?? []), token];
    return token;
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
        const check = verifyKeypairJwt(token, { account: this.name, user: user.name, publicKeysPem: user.rsaPublicKeys ?? [] });
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
        if (!(user.programmaticAccessTokens ?? []).some((t) => secretEquals(t, secret))) throw loginErrors.badPassword();
        return { user, scopedRole: null };
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
    const candidates = [user.password, ...(user.programmaticAccessTokens ?? [])].filter((c): c is string => !!c);
    if (!candidates.some((c) => secretEquals(c, secret))) throw loginErrors.badPassword();
    if (user.mfaPasscode) {
      // Without a passcode Snowflake sends a Duo push (EXT_AUTHN_DUO_METHOD "push"); nobody approves it here.
      if (passcode === undefined) throw loginErrors.pushDenied();
      if (!secretEquals(passcode, user.mfaPasscode)) throw loginErrors.badPasscode();
    }
    return { user, scopedRole: null };
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

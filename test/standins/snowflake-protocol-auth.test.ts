import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { connect, destroy, query, standinOptions, type ConnectionOptions } from '../../standins/snowflake/driver-helpers.js';
import { createScriptedEngine } from '../../standins/snowflake/scripted-engine.js';

const rsaKey = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const keyA = rsaKey();
const keyB = rsaKey();
let standin: SnowflakeStandin;

beforeAll(async () => {
  standin = await startSnowflakeStandin({
    engine: createScriptedEngine(),
    account: {
      name: 'sandbox',
      users: [
        { name: 'alice', password: 'alice-pw', defaultRole: 'ANALYST', defaultWarehouse: 'WH' },
        { name: 'svc', defaultRole: 'LOADER', rsaPublicKeys: [keyA.publicKey] },
        { name: 'mfa_user', password: 'mfa-pw', defaultRole: 'ANALYST', mfaPasscode: '123456' },
        { name: 'gone', password: 'gone-pw', defaultRole: 'ANALYST', disabled: true },
      ],
    },
  });
});

afterAll(async () => {
  await standin.close();
});

/** Connects, reads the session's user and role through the engine, disconnects. */
async function whoAmI(options: Partial<ConnectionOptions>): Promise<{ USER: string; ROLE: string }> {
  const conn = await connect(standinOptions(standin, options));
  try {
    const { rows } = await query<{ USER: string; ROLE: string }>(conn, 'SELECT CONTEXT');
    return rows[0]!;
  } finally {
    await destroy(conn);
  }
}

const loginError = (options: Partial<ConnectionOptions>) => whoAmI(options).then(() => ({}) as Record<string, unknown>, (e: unknown) => e as Record<string, unknown>);

describe('Snowflake stand-in login: password', () => {
  it('accepts the right password (login name case-insensitive) and uses the default role', async () => {
    expect(await whoAmI({ username: 'Alice', password: 'alice-pw' })).toMatchObject({ USER: 'ALICE', ROLE: 'ANALYST' });
  });

  it.each([
    ['a wrong password', { username: 'alice', password: 'nope' }],
    ['an unknown user', { username: 'mallory', password: 'alice-pw' }],
    ['another account', { username: 'alice', password: 'alice-pw', account: 'OTHER' }],
  ])('rejects %s with 390100', async (_what, options) => {
    expect(await loginError(options)).toMatchObject({ code: '390100', message: 'Incorrect username or password was specified.' });
  });

  it('refuses a disabled user and a role the engine does not grant', async () => {
    expect(await loginError({ username: 'gone', password: 'gone-pw' })).toMatchObject({ code: '390101' });
    expect(await loginError({ username: 'alice', password: 'alice-pw', role: 'not_granted' })).toMatchObject({ code: '390189', sqlState: '08004' });
  });
});

describe('Snowflake stand-in login: key pair (SNOWFLAKE_JWT)', () => {
  it('verifies the RS256 JWT against the registered public key', async () => {
    expect(await whoAmI({ authenticator: 'SNOWFLAKE_JWT', username: 'svc', privateKey: keyA.privateKey, password: undefined })).toMatchObject({ USER: 'SVC', ROLE: 'LOADER' });
  });

  it('rejects a key that is not registered with 390144, and accepts it once registered', async () => {
    const options = { authenticator: 'SNOWFLAKE_JWT', username: 'svc', privateKey: keyB.privateKey, password: undefined };
    const err = await loginError(options);
    expect(err.code).toBe('390144');
    expect(String(err.message)).toMatch(/^JWT token is invalid\. \[[0-9a-f-]{36}\]$/);
    standin.accounts.registerPublicKey('svc', keyB.publicKey);
    expect(await whoAmI(options)).toMatchObject({ USER: 'SVC' });
  });

  it('rejects a JWT signed for another user', async () => {
    expect(await loginError({ authenticator: 'SNOWFLAKE_JWT', username: 'alice', privateKey: keyA.privateKey, password: undefined })).toMatchObject({ code: '390144' });
  });
});

describe('Snowflake stand-in login: OAuth and programmatic access tokens', () => {
  it('accepts an issued OAuth token and fixes the role to its scope', async () => {
    const token = standin.accounts.issueOAuthToken('alice', 'spcs_role');
    expect(await whoAmI({ authenticator: 'OAUTH', token, username: undefined, password: undefined })).toMatchObject({ USER: 'ALICE', ROLE: 'SPCS_ROLE' });
  });

  it('rejects unknown (390303), expired (390318) and out-of-scope-role (390186) OAuth logins', async () => {
    const oauth = (token: string, role?: string) => loginError({ authenticator: 'OAUTH', token, role, username: undefined, password: undefined });
    expect(await oauth('forged')).toMatchObject({ code: '390303' });
    expect(await oauth(standin.accounts.issueOAuthToken('alice', 'analyst', 0))).toMatchObject({ code: '390318' });
    expect(await oauth(standin.accounts.issueOAuthToken('alice', 'analyst'), 'sysadmin')).toMatchObject({ code: '390186' });
  });

  it('accepts a programmatic access token, as authenticator or in place of the password', async () => {
    const pat = standin.accounts.addProgrammaticAccessToken('alice');
    expect(await whoAmI({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token: pat, password: undefined })).toMatchObject({ USER: 'ALICE' });
    expect(await whoAmI({ username: 'alice', password: pat })).toMatchObject({ USER: 'ALICE' });
    expect(await loginError({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token: 'wrong', password: undefined })).toMatchObject({ code: '390100' });
  });
});

describe('Snowflake stand-in login: MFA', () => {
  const mfa = { authenticator: 'USERNAME_PASSWORD_MFA', username: 'mfa_user', password: 'mfa-pw' };
  it('accepts the passcode, given separately or appended to the password', async () => {
    expect(await whoAmI({ ...mfa, passcode: '123456' })).toMatchObject({ USER: 'MFA_USER' });
    expect(await whoAmI({ ...mfa, password: 'mfa-pw123456', passcodeInPassword: true })).toMatchObject({ USER: 'MFA_USER' });
  });

  it('rejects a wrong passcode (394507), a missing one (push, 394508) and a wrong password (390100)', async () => {
    expect(await loginError({ ...mfa, passcode: '000000' })).toMatchObject({ code: '394507' });
    expect(await loginError({ ...mfa })).toMatchObject({ code: '394508' });
    expect(await loginError({ ...mfa, password: 'bad', passcode: '123456' })).toMatchObject({ code: '390100' });
  });
});

describe('Snowflake stand-in login: EXTERNALBROWSER', () => {
  /** Plays the user's browser: signs in on the stand-in's console page and follows the redirect to the driver. */
  const browser = (password: string) => async (loginUrl: string) => {
    const url = new URL(loginUrl);
    const form = new URLSearchParams({ login_name: url.searchParams.get('login_name') ?? '', password, proof_key: url.searchParams.get('proof_key') ?? '', browser_mode_redirect_port: url.searchParams.get('browser_mode_redirect_port') ?? '' });
    const signIn = await fetch(`${standin.accessUrl}/console/login`, { method: 'POST', body: form, redirect: 'manual' });
    const location = signIn.headers.get('location');
    // A failed sign-in leaves the "browser" on the IdP page; tell the driver through its error redirect.
    const target = location ?? `http://localhost:${url.searchParams.get('browser_mode_redirect_port')}/?error=access_denied&error_description=${signIn.status}`;
    await fetch(target).catch(() => undefined);
  };

  it('logs in with the token the IdP redirected to the driver, bound to its proof key', async () => {
    const options = { authenticator: 'EXTERNALBROWSER', username: 'alice', password: undefined, disableConsoleLogin: false, openExternalBrowserCallback: browser('alice-pw') };
    expect(await whoAmI(options)).toMatchObject({ USER: 'ALICE', ROLE: 'ANALYST' });
  });

  it('never logs in when the browser sign-in fails', async () => {
    const err = await loginError({ authenticator: 'EXTERNALBROWSER', username: 'alice', password: undefined, disableConsoleLogin: false, openExternalBrowserCallback: browser('wrong'), browserActionTimeout: 5000 });
    expect(String(err.message)).toMatch(/access_denied|401/);
    expect(standin.observed.openSessions()).toBe(0);
  });

  it('rejects a SAML token presented with another proof key (390120) and serves the SSO URL request', async () => {
    const token = standin.accounts.approveBrowserLogin('alice', 'alice-pw', 'proof-1');
    const login = await fetch(`${standin.accessUrl}/session/v1/login-request`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: { ACCOUNT_NAME: 'SANDBOX', AUTHENTICATOR: 'EXTERNALBROWSER', TOKEN: token, PROOF_KEY: 'proof-2' } }),
    });
    expect(await login.json()).toMatchObject({ success: false, code: '390120' });
    const sso = await fetch(`${standin.accessUrl}/session/authenticator-request`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: { AUTHENTICATOR: 'EXTERNALBROWSER', LOGIN_NAME: 'alice', BROWSER_MODE_REDIRECT_PORT: '4242' } }),
    });
    const body = (await sso.json()) as { data: { ssoUrl: string; proofKey: string } };
    expect(new URL(body.data.ssoUrl).searchParams.get('proof_key')).toBe(body.data.proofKey);
  });
});

/**
 * Every authenticator end to end: a connections.toml (or env) resolved by resolveConnection(), then a
 * real login through connect() against the Snowflake stand-in, which verifies the credentials
 * (key-pair JWT signature, OAuth token, programmatic access token, MFA passcode).
 */
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { connect } from '../../shared/snowflake/client.js';
import { resolveConnection } from '../../shared/snowflake/connection-config.js';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { createScriptedEngine } from '../../standins/snowflake/scripted-engine.js';

let standin: SnowflakeStandin;
let home: string;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });

function writeConnections(text: string): void {
  const file = path.join(home, '.snowflake', 'connections.toml');
  writeFileSync(file, text);
  chmodSync(file, 0o600);
}

beforeAll(async () => {
  standin = await startSnowflakeStandin({ engine: createScriptedEngine() });
  home = mkdtempSync(path.join(tmpdir(), 'sf-auth-e2e-'));
  mkdirSync(path.join(home, '.snowflake'));
  const keyFile = path.join(home, 'rsa_key.p8');
  writeFileSync(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'kp-phrase' }));
  standin.accounts.addUser({ name: 'KEY_USER', defaultRole: 'PUBLIC', rsaPublicKeys: [keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()] });
  standin.accounts.addUser({ name: 'PAT_USER', defaultRole: 'PUBLIC' });
  standin.accounts.addUser({ name: 'MFA_USER', defaultRole: 'PUBLIC', password: 'mfa-pw', mfaPasscode: '123456' });
  const at = `account = "${standin.account}"\naccess_url = "${standin.accessUrl}"`;
  writeConnections([
    `[password]\n${at}\nuser = "${standin.defaultUser.user}"\npassword = "${standin.defaultUser.password}"`,
    `[keypair]\n${at}\nuser = "key_user"\nauthenticator = "SNOWFLAKE_JWT"\nprivate_key_file = "~/rsa_key.p8"`,
    `[oauth]\n${at}\nauthenticator = "oauth"`,
    `[pat]\n${at}\nuser = "pat_user"\nauthenticator = "programmatic_access_token"`,
    `[mfa]\n${at}\nuser = "mfa_user"\npassword = "mfa-pw"\nauthenticator = "username_password_mfa"`,
  ].join('\n\n'));
});

afterAll(() => standin?.close());

async function loginAs(connection: string, env: Record<string, string> = {}, promptSecret?: () => Promise<string>): Promise<string> {
  const resolved = await resolveConnection({ connection }, { home, env, ...(promptSecret ? { promptSecret } : {}) });
  const session = await connect(resolved.options, { timeoutMs: 10_000 });
  try {
    const { rows } = await session.query<{ USER: string }>('SELECT CONTEXT');
    return rows[0]!.USER;
  } finally {
    await session.destroy();
  }
}

describe('every authenticator logs in through connections.toml', () => {
  it('password', async () => {
    expect(await loginAs('password')).toBe(standin.defaultUser.user);
  });
  it('key pair with an encrypted key and PRIVATE_KEY_PASSPHRASE', async () => {
    expect(await loginAs('keypair', { PRIVATE_KEY_PASSPHRASE: 'kp-phrase' })).toBe('KEY_USER');
  });
  it('key pair rejected when the registered public key differs', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = path.join(home, 'other.p8');
    writeFileSync(keyFile, other.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const error = await loginAs('keypair', { SNOWFLAKE_CONNECTIONS_KEYPAIR_PRIVATE_KEY_FILE: keyFile }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ kind: 'connection', code: 'KEY_PAIR_REJECTED' });
  });
  it('OAuth token from SNOWFLAKE_CONNECTIONS_<NAME>_TOKEN', async () => {
    const token = standin.accounts.issueOAuthToken(standin.defaultUser.user, standin.defaultUser.role);
    expect(await loginAs('oauth', { SNOWFLAKE_CONNECTIONS_OAUTH_TOKEN: token })).toBe(standin.defaultUser.user);
  });
  it('OAuth token from a token file (as SPCS provides it)', async () => {
    const tokenFile = path.join(home, 'session-token');
    writeFileSync(tokenFile, standin.accounts.issueOAuthToken(standin.defaultUser.user, standin.defaultUser.role));
    expect(await loginAs('oauth', { SNOWFLAKE_TOKEN_FILE_PATH: tokenFile })).toBe(standin.defaultUser.user);
  });
  it('programmatic access token', async () => {
    const token = standin.accounts.addProgrammaticAccessToken('PAT_USER');
    expect(await loginAs('pat', { SNOWFLAKE_TOKEN: token })).toBe('PAT_USER');
  });
  it('MFA with a prompted passcode', async () => {
    expect(await loginAs('mfa', {}, async () => '123456')).toBe('MFA_USER');
  });
  it('MFA with a wrong passcode is a connection error', async () => {
    const error = await loginAs('mfa', { SNOWFLAKE_PASSCODE: '000000' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'connection' });
  });
});

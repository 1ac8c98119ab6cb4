import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { resolveConnection, type ConnectionFlags, type ResolveOptions } from '../../shared/snowflake/connection-config.js';
import type { SnowflakeConnectionOptions } from '../../shared/snowflake/types.js';

const home = mkdtempSync(path.join(tmpdir(), 'sf-auth-'));
mkdirSync(path.join(home, 'keys'));
const keyFile = path.join(home, 'keys', 'rsa_key.p8');
writeFileSync(keyFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
const tokenFile = path.join(home, 'token.txt');
writeFileSync(tokenFile, 'file-token');

const SECRETS = ['pw-SECRET-1', 'tok-SECRET-2', 'pass-SECRET-3', '998877', 'phrase-SECRET-4', 'prompted-SECRET-5'];

interface AuthCase {
  name: string;
  flags: ConnectionFlags;
  env?: Record<string, string>;
  prompt?: boolean;
  expected: Partial<SnowflakeConnectionOptions>;
  absent?: Array<keyof SnowflakeConnectionOptions>;
}

const base = { account: 'acct', user: 'alice' };
const cases: AuthCase[] = [
  { name: 'password from SNOWFLAKE_PASSWORD', flags: base, env: { SNOWFLAKE_PASSWORD: 'pw-SECRET-1' }, expected: { authenticator: 'SNOWFLAKE', username: 'alice', password: 'pw-SECRET-1' } },
  { name: 'password from the hidden prompt', flags: base, prompt: true, expected: { authenticator: 'SNOWFLAKE', password: 'prompted-SECRET-5' } },
  { name: 'key-pair inferred from --private-key-file', flags: { ...base, privateKeyFile: keyFile }, expected: { authenticator: 'SNOWFLAKE_JWT', username: 'alice', privateKeyPath: keyFile }, absent: ['password', 'privateKeyPass'] },
  { name: 'key-pair with ~ path and PRIVATE_KEY_PASSPHRASE', flags: { ...base, authenticator: 'snowflake_jwt', privateKeyFile: '~/keys/rsa_key.p8' }, env: { PRIVATE_KEY_PASSPHRASE: 'phrase-SECRET-4' }, expected: { authenticator: 'SNOWFLAKE_JWT', privateKeyPath: keyFile, privateKeyPass: 'phrase-SECRET-4' } },
  { name: 'key-pair from SNOWFLAKE_PRIVATE_KEY_PATH (alias)', flags: base, env: { SNOWFLAKE_PRIVATE_KEY_PATH: keyFile }, expected: { authenticator: 'SNOWFLAKE_JWT', privateKeyPath: keyFile } },
  { name: 'external browser (no secret)', flags: { ...base, authenticator: 'externalbrowser' }, expected: { authenticator: 'EXTERNALBROWSER', username: 'alice' }, absent: ['password', 'token'] },
  { name: 'oauth token, no user needed', flags: { account: 'acct', authenticator: 'oauth' }, env: { SNOWFLAKE_TOKEN: 'tok-SECRET-2' }, expected: { authenticator: 'OAUTH', token: 'tok-SECRET-2' }, absent: ['username'] },
  { name: 'oauth token_file_path', flags: { account: 'acct', authenticator: 'OAUTH' }, env: { SNOWFLAKE_TOKEN_FILE_PATH: tokenFile }, expected: { authenticator: 'OAUTH', tokenFilePath: tokenFile }, absent: ['token'] },
  { name: 'programmatic access token', flags: { ...base, authenticator: 'programmatic_access_token' }, env: { SNOWFLAKE_TOKEN: 'tok-SECRET-2' }, expected: { authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token: 'tok-SECRET-2' } },
  { name: 'programmatic access token given as password', flags: { ...base, authenticator: 'programmatic_access_token' }, env: { SNOWFLAKE_PASSWORD: 'pw-SECRET-1' }, expected: { token: 'pw-SECRET-1' } },
  { name: 'MFA with a passcode', flags: { ...base, authenticator: 'username_password_mfa' }, env: { SNOWFLAKE_PASSWORD: 'pass-SECRET-3', SNOWFLAKE_PASSCODE: '998877' }, expected: { authenticator: 'USERNAME_PASSWORD_MFA', password: 'pass-SECRET-3', passcode: '998877' } },
  { name: 'MFA with passcode_in_password', flags: { ...base, authenticator: 'username_password_mfa' }, env: { SNOWFLAKE_PASSWORD: 'pass-SECRET-3998877', SNOWFLAKE_PASSCODE_IN_PASSWORD: 'true' }, expected: { passcodeInPassword: true }, absent: ['passcode'] },
  { name: 'MFA without passcode and no prompt: Duo push', flags: { ...base, authenticator: 'username_password_mfa' }, env: { SNOWFLAKE_PASSWORD: 'pass-SECRET-3' }, expected: { authenticator: 'USERNAME_PASSWORD_MFA' }, absent: ['passcode'] },
];

function options(testCase: Pick<AuthCase, 'env' | 'prompt'>): ResolveOptions {
  return {
    home,
    env: testCase.env ?? {},
    ...(testCase.prompt ? { promptSecret: async () => 'prompted-SECRET-5' } : {}),
  };
}

describe('authenticators', () => {
  it.each(cases)('$name', async (testCase) => {
    const resolved = await resolveConnection(testCase.flags, options(testCase));
    expect(resolved.options).toMatchObject(testCase.expected);
    for (const key of testCase.absent ?? []) expect(resolved.options[key]).toBeUndefined();
    // Secrets never appear in anything printable.
    const printable = [resolved.describe(), JSON.stringify(resolved), inspect(resolved, { depth: 9 }), JSON.stringify(resolved.sources), resolved.warnings.join()].join('\n');
    for (const secret of SECRETS) expect(printable).not.toContain(secret);
    expect(resolved.describe()).toContain(String(resolved.options.authenticator).toLowerCase());
  });

  it('describe() says where a secret came from, not what it is', async () => {
    const resolved = await resolveConnection(base, options({ env: { SNOWFLAKE_PASSWORD: 'pw-SECRET-1' } }));
    expect(resolved.toJSON()).toMatchObject({ secretsFrom: { password: 'SNOWFLAKE_PASSWORD' } });
  });

  it.each([
    ['password missing and no prompt', base, {}, 'PASSWORD_MISSING'],
    ['user missing for password auth', { account: 'acct' }, { SNOWFLAKE_PASSWORD: 'x' }, 'USER_MISSING'],
    ['unreadable private key', { ...base, privateKeyFile: '/nonexistent/key.p8' }, {}, 'PRIVATE_KEY_UNREADABLE'],
    ['key-pair without a key file', { ...base, authenticator: 'SNOWFLAKE_JWT' }, {}, 'PRIVATE_KEY_MISSING'],
    ['oauth without a token', { account: 'acct', authenticator: 'oauth' }, {}, 'TOKEN_MISSING'],
  ] as Array<[string, ConnectionFlags, Record<string, string>, string]>)('%s → %s', async (_name, flags, env, code) => {
    const error = await resolveConnection(flags, { home, env }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe(code);
    expect((error as UserError).suggestion).toBeTruthy();
  });
});

/**
 * Sign-in set up with SQL drives login through the real driver (one user model: user-statements.ts on account.ts).
 * Documented behaviour, per statement: key pair https://docs.snowflake.com/en/user-guide/key-pair-auth (key body
 * without delimiters, RSA_PUBLIC_KEY_2 for rotation, DESC USER → RSA_PUBLIC_KEY_FP); PATs
 * https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token (token_name,
 * token_secret), .../show-user-programmatic-access-tokens, .../alter-user-remove-programmatic-access-token.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicKeyFingerprint, startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { connect, destroy, query, standinOptions, type Connection, type ConnectionOptions } from '../../standins/snowflake/driver-helpers.js';

const rsaKey = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const keyA = rsaKey();
const keyB = rsaKey();
/** The documented form: the PEM body, without the BEGIN/END lines. */
const body = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, '');

let standin: SnowflakeStandin;
let admin: Connection;
const run = async (sql: string) => (await query(admin, sql)).rows;

beforeAll(async () => {
  standin = await startSnowflakeStandin({ seed: 'empty' });
  admin = await connect(standinOptions(standin));
});

afterAll(async () => {
  if (admin) await destroy(admin);
  await standin?.close();
});

async function whoAmI(options: Partial<ConnectionOptions>): Promise<{ USER: string; ROLE: string }> {
  const conn = await connect(standinOptions(standin, { password: undefined, ...options }));
  try {
    return (await query<{ USER: string; ROLE: string }>(conn, 'SELECT CURRENT_USER() AS USER, CURRENT_ROLE() AS ROLE')).rows[0]!;
  } finally {
    await destroy(conn);
  }
}
const loginError = (options: Partial<ConnectionOptions>) => whoAmI(options).then(() => ({}) as Record<string, unknown>, (e: unknown) => e as Record<string, unknown>);
const jwt = (privateKey: string) => ({ authenticator: 'SNOWFLAKE_JWT', privateKey });

describe('key pair set up with ALTER USER … SET RSA_PUBLIC_KEY', () => {
  it('a key set with SQL signs in; DESC USER shows its fingerprint; delimiters are refused', async () => {
    expect(await loginError(jwt(keyA.privateKey))).toMatchObject({ code: '390144' });
    await expect(run(`ALTER USER SANDBOX_USER SET RSA_PUBLIC_KEY = '${keyA.publicKey}'`)).rejects.toMatchObject({ message: expect.stringContaining('Invalid public key') });
    await run(`ALTER USER SANDBOX_USER SET RSA_PUBLIC_KEY = '${body(keyA.publicKey)}'`);
    expect(await whoAmI(jwt(keyA.privateKey))).toMatchObject({ USER: 'SANDBOX_USER' });
    const desc = Object.fromEntries((await run('DESC USER SANDBOX_USER')).map((r) => [r.property, r.value]));
    expect(desc.RSA_PUBLIC_KEY_FP).toBe(publicKeyFingerprint(keyA.publicKey));
    expect(desc.RSA_PUBLIC_KEY_2_FP).toBe('null');
    expect(desc.RSA_PUBLIC_KEY).toBe(body(keyA.publicKey));
  });

  it('rotation: RSA_PUBLIC_KEY_2 signs in next to the first key; UNSET RSA_PUBLIC_KEY retires the first', async () => {
    expect(await loginError(jwt(keyB.privateKey))).toMatchObject({ code: '390144' });
    await run(`ALTER USER SANDBOX_USER SET RSA_PUBLIC_KEY_2 = '${body(keyB.publicKey)}'`);
    expect(await whoAmI(jwt(keyA.privateKey))).toMatchObject({ USER: 'SANDBOX_USER' });
    expect(await whoAmI(jwt(keyB.privateKey))).toMatchObject({ USER: 'SANDBOX_USER' });
    await run('ALTER USER SANDBOX_USER UNSET RSA_PUBLIC_KEY');
    expect(await loginError(jwt(keyA.privateKey))).toMatchObject({ code: '390144' });
    expect(await whoAmI(jwt(keyB.privateKey))).toMatchObject({ USER: 'SANDBOX_USER' });
    const desc = Object.fromEntries((await run('DESCRIBE USER SANDBOX_USER')).map((r) => [r.property, r.value]));
    expect([desc.RSA_PUBLIC_KEY_FP, desc.RSA_PUBLIC_KEY_2_FP]).toEqual(['null', publicKeyFingerprint(keyB.publicKey)]);
  });
});

describe('programmatic access tokens set up with SQL', () => {
  const pat = (token: string) => ({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token });

  it('ADD PAT returns token_name and token_secret once; the secret signs in; SHOW lists it ACTIVE without the secret', async () => {
    const rows = await run("ALTER USER SANDBOX_USER ADD PROGRAMMATIC ACCESS TOKEN ci_token DAYS_TO_EXPIRY = 30 COMMENT = 'for CI'");
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!)).toEqual(['token_name', 'token_secret']);
    const secret = String(rows[0]!.token_secret);
    expect(rows[0]!.token_name).toBe('CI_TOKEN');
    expect(await whoAmI(pat(secret))).toMatchObject({ USER: 'SANDBOX_USER' });
    const listed = await run('SHOW USER PROGRAMMATIC ACCESS TOKENS FOR USER SANDBOX_USER');
    expect(listed.map((r) => [r.name, r.user_name, r.status, r.comment])).toEqual([['CI_TOKEN', 'SANDBOX_USER', 'ACTIVE', 'for CI']]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    await expect(run('ALTER USER SANDBOX_USER ADD PAT ci_token')).rejects.toMatchObject({ code: '002002' });
  });

  it('ROLE_RESTRICTION fixes the session role; REMOVE PAT stops the token at once', async () => {
    const [row] = await run("ALTER USER ADD PAT scoped ROLE_RESTRICTION = 'SYSADMIN'");
    const secret = String(row!.token_secret);
    expect(await whoAmI(pat(secret))).toMatchObject({ ROLE: 'SYSADMIN' });
    await run('ALTER USER SANDBOX_USER REMOVE PAT scoped');
    expect(await loginError(pat(secret))).toMatchObject({ code: '390100' });
    expect((await run('SHOW USER PATS')).map((r) => r.name)).toEqual(['CI_TOKEN']);
    await expect(run("ALTER USER ADD PAT other ROLE_RESTRICTION = 'NOT_GRANTED_ROLE'")).rejects.toMatchObject({ code: '003001' });
  });

  it('an expired token is refused with its own error and listed EXPIRED', async () => {
    const [row] = await run('ALTER USER ADD PAT short_lived DAYS_TO_EXPIRY = 1');
    standin.accounts.expireProgrammaticAccessToken('SANDBOX_USER', 'SHORT_LIVED');
    expect(await loginError(pat(String(row!.token_secret)))).toMatchObject({ code: '394400', message: expect.stringMatching(/expired/) });
    expect((await run('SHOW USER PATS')).find((r) => r.name === 'SHORT_LIVED')?.status).toBe('EXPIRED');
  });
});

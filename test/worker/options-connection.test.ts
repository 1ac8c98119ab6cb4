/** How the worker reaches Snowflake: SPCS OAuth with a fresh token, or the CLI's connection resolution. */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { isUserError, type UserError } from '../../shared/errors.js';
import { parseWorkerOptions, safeConnectionOptions } from '../../worker/options.js';
import { isInsideSpcs } from '../../worker/snowflake-auth.js';

const ARGS = ['--project-key', 'p', '--source-stream', 'DB.SCH.S', '--id-column', 'ID', '--dry-run'];
let dir: string;
let tokenFile: string;
let baseEnv: NodeJS.ProcessEnv;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'worker-conn-'));
  tokenFile = path.join(dir, 'token');
  baseEnv = { BATCH_SNOWFLAKE_TOKEN_FILE: tokenFile, SNOWFLAKE_HOME: path.join(dir, 'sf') };
});

const parse = (env: NodeJS.ProcessEnv, args = ARGS) => parseWorkerOptions(args, { env: { ...baseEnv, ...env }, home: dir });
const SPCS_ENV = { SNOWFLAKE_HOST: 'abc123.snowflakecomputing.com', SNOWFLAKE_ACCOUNT: 'ABC123', SNOWFLAKE_DATABASE: 'DB', SNOWFLAKE_SCHEMA: 'SCH' };

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isUserError(error)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

describe('inside SPCS', () => {
  it('detects the token file and uses OAuth with the env Snowflake sets', async () => {
    writeFileSync(tokenFile, 'token-one\n');
    const options = parse({ ...SPCS_ENV, SNOWFLAKE_ROLE: 'SYNC_ROLE', SNOWFLAKE_WAREHOUSE: 'WH' });
    expect(options.snowflake.kind).toBe('spcs');
    expect(await options.snowflake.resolve()).toEqual({
      account: 'ABC123', host: 'abc123.snowflakecomputing.com', database: 'DB', schema: 'SCH', role: 'SYNC_ROLE', warehouse: 'WH',
      authenticator: 'OAUTH', token: 'token-one',
    });
  });

  it('reads the token fresh on every resolve (Snowflake refreshes the file)', async () => {
    writeFileSync(tokenFile, 'token-one');
    const plan = parse(SPCS_ENV).snowflake;
    expect((await plan.resolve()).token).toBe('token-one');
    writeFileSync(tokenFile, 'token-two');
    expect((await plan.resolve()).token).toBe('token-two');
  });

  it('protocol and port overrides reach a local stand-in over http', async () => {
    writeFileSync(tokenFile, 't');
    const options = await parse({ ...SPCS_ENV, SNOWFLAKE_HOST: '127.0.0.1', SNOWFLAKE_PROTOCOL: 'HTTP', SNOWFLAKE_PORT: '8085' }).snowflake.resolve();
    expect(options).toMatchObject({ host: '127.0.0.1', protocol: 'http', port: 8085 });
  });

  it('SNOWFLAKE_HOST without a user means SPCS even before the token appears; then a clear error', async () => {
    const plan = parse(SPCS_ENV).snowflake;
    expect(plan.kind).toBe('spcs');
    const error = await rejection(plan.resolve());
    expect(error.code).toBe('SPCS_TOKEN_UNREADABLE');
    expect(error.kind).toBe('connection');
    expect(error.message).toContain(tokenFile);
    expect(error.suggestion).toMatch(/mountSessionToken/);
  });

  it('an empty token file is an error, not an empty login', async () => {
    writeFileSync(tokenFile, '  \n');
    expect((await rejection(parse(SPCS_ENV).snowflake.resolve())).code).toBe('SPCS_TOKEN_EMPTY');
  });

  it('missing SNOWFLAKE_ACCOUNT / SNOWFLAKE_HOST are named', async () => {
    writeFileSync(tokenFile, 't');
    const error = await rejection(parse({}).snowflake.resolve());
    expect(error.code).toBe('SPCS_ENV_MISSING');
    expect(error.message).toMatch(/SNOWFLAKE_ACCOUNT and SNOWFLAKE_HOST are not set/);
  });

  it.each([
    [{ SNOWFLAKE_PROTOCOL: 'ftp' }, 'SNOWFLAKE_PROTOCOL_INVALID', /SNOWFLAKE_PROTOCOL is "ftp"/],
    [{ SNOWFLAKE_PORT: '99999' }, 'SNOWFLAKE_PORT_INVALID', /SNOWFLAKE_PORT is "99999"/],
    [{ SNOWFLAKE_PORT: 'http' }, 'SNOWFLAKE_PORT_INVALID', /SNOWFLAKE_PORT/],
  ])('bad overrides fail at start-up: %o', (env, code, message) => {
    writeFileSync(tokenFile, 't');
    let caught: unknown;
    try {
      parse({ ...SPCS_ENV, ...env });
    } catch (error) {
      caught = error;
    }
    expect(isUserError(caught) && caught.code).toBe(code);
    expect(isUserError(caught) && caught.message).toMatch(message);
  });

  it('the description and the safe view never contain the token', async () => {
    writeFileSync(tokenFile, 'secret-oauth-token-123');
    const plan = parse(SPCS_ENV).snowflake;
    expect(plan.description).toContain(tokenFile);
    expect(plan.description).not.toContain('secret-oauth-token-123');
    const safe = JSON.stringify(safeConnectionOptions(await plan.resolve()));
    expect(safe).not.toContain('secret-oauth-token-123');
    expect(safe).toContain('"token":"[REDACTED]"');
  });
});

describe('outside SPCS', () => {
  it('SNOWFLAKE_HOST with SNOWFLAKE_USER and no token file is an ordinary connection', () => {
    const env = { ...baseEnv, SNOWFLAKE_HOST: 'h', SNOWFLAKE_USER: 'u' };
    expect(isInsideSpcs(env)).toBe(false);
    expect(parse(env).snowflake.kind).toBe('env');
  });

  it('SNOWFLAKE_* env gives the driver options; SNOWFLAKE_ROLE is the role, as in Batch\'s job', async () => {
    const options = await parse({ SNOWFLAKE_ACCOUNT: 'org-acct', SNOWFLAKE_USER: 'sync', SNOWFLAKE_PASSWORD: 'pw-Secret-1', SNOWFLAKE_ROLE: 'SYNC_ROLE', SNOWFLAKE_WAREHOUSE: 'WH' }).snowflake.resolve();
    expect(options).toMatchObject({ account: 'org-acct', username: 'sync', password: 'pw-Secret-1', role: 'SYNC_ROLE', warehouse: 'WH' });
    expect(JSON.stringify(safeConnectionOptions(options))).not.toContain('pw-Secret-1');
  });

  it('--connection NAME reads connections.toml, and wins over SPCS detection', async () => {
    writeFileSync(tokenFile, 't');
    mkdirSync(path.join(dir, 'sf'));
    const file = path.join(dir, 'sf', 'connections.toml');
    writeFileSync(file, '[dev]\naccount = "dev-acct"\nuser = "dev_user"\npassword = "dev-pw"\nrole = "DEV_ROLE"\n');
    chmodSync(file, 0o600);
    const plan = parse({ ...SPCS_ENV, SNOWFLAKE_ROLE: 'OTHER' }, [...ARGS, '--connection', 'dev']).snowflake;
    expect(plan.kind).toBe('named');
    expect(plan.description).toContain('dev');
    expect(await plan.resolve()).toMatchObject({ account: 'dev-acct', username: 'dev_user', role: 'DEV_ROLE' });
  });

  it('an unknown --connection NAME says how to add it', async () => {
    const error = await rejection(parse({}, [...ARGS, '-c', 'nope']).snowflake.resolve());
    expect(error.code).toBe('CONNECTION_NOT_FOUND');
    expect(error.suggestion).toMatch(/snow connection add --connection-name nope/);
  });

  it('no account anywhere: names SNOWFLAKE_ACCOUNT', async () => {
    const error = await rejection(parse({}).snowflake.resolve());
    expect(error.code).toBe('ACCOUNT_MISSING');
    expect(error.suggestion).toMatch(/SNOWFLAKE_ACCOUNT/);
  });
});

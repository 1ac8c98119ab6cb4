import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { resolveConnection, type ConnectionFlags } from '../../shared/snowflake/connection-config.js';

interface Fixture {
  connectionsToml?: string;
  configToml?: string;
  /** Put the files in this folder (relative to the temp home) instead of ~/.snowflake. */
  dir?: string;
  mode?: number;
}

function makeHome(fixture: Fixture): string {
  const home = mkdtempSync(path.join(tmpdir(), 'sf-home-'));
  const dir = path.join(home, fixture.dir ?? '.snowflake');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of [['connections.toml', fixture.connectionsToml], ['config.toml', fixture.configToml]] as const) {
    if (text === undefined) continue;
    writeFileSync(path.join(dir, name), text);
    chmodSync(path.join(dir, name), fixture.mode ?? 0o600);
  }
  return home;
}

const DEV = `[dev]\naccount = "file-acct"\nuser = "file_user"\npassword = "file-secret"\nrole = "FILE_ROLE"\nwarehouse = "FILE_WH"\n\n[default]\naccount = "default-acct"\nuser = "default_user"\npassword = "default-secret"\n`;

interface PrecedenceCase {
  name: string;
  fixture: Fixture;
  flags?: ConnectionFlags;
  env?: Record<string, string>;
  expect: { connection?: string | undefined; account?: string; role?: string; user?: string; password?: string; roleSource?: string };
}

const precedence: PrecedenceCase[] = [
  { name: 'no name: the [default] connection', fixture: { connectionsToml: DEV }, expect: { connection: 'default', account: 'default-acct', password: 'default-secret' } },
  { name: '-c picks a connection', fixture: { connectionsToml: DEV }, flags: { connection: 'dev' }, expect: { connection: 'dev', account: 'file-acct', role: 'FILE_ROLE' } },
  { name: 'SNOWFLAKE_DEFAULT_CONNECTION_NAME picks a connection', fixture: { connectionsToml: DEV }, env: { SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'dev' }, expect: { connection: 'dev', account: 'file-acct' } },
  { name: '-c beats SNOWFLAKE_DEFAULT_CONNECTION_NAME', fixture: { connectionsToml: DEV }, flags: { connection: 'default' }, env: { SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'dev' }, expect: { connection: 'default', account: 'default-acct' } },
  {
    name: 'config.toml [connections.x] with default_connection_name',
    fixture: { configToml: 'default_connection_name = "prod"\n[connections.prod]\naccount = "cfg-acct"\nuser = "u"\npassword = "p1"\n' },
    expect: { connection: 'prod', account: 'cfg-acct' },
  },
  {
    name: 'SNOWFLAKE_DEFAULT_CONNECTION_NAME beats default_connection_name',
    fixture: { configToml: 'default_connection_name = "prod"\n[connections.prod]\naccount = "a1"\nuser = "u"\npassword = "p"\n[connections.qa]\naccount = "a2"\nuser = "u"\npassword = "p"\n' },
    env: { SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'qa' },
    expect: { connection: 'qa', account: 'a2' },
  },
  { name: 'flag beats SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>', fixture: { connectionsToml: DEV }, flags: { connection: 'dev', role: 'FLAG_ROLE' }, env: { SNOWFLAKE_CONNECTIONS_DEV_ROLE: 'ENV_ROLE', SNOWFLAKE_ROLE: 'GENERIC' }, expect: { role: 'FLAG_ROLE', roleSource: '--role' } },
  { name: 'SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> beats the file', fixture: { connectionsToml: DEV }, flags: { connection: 'dev' }, env: { SNOWFLAKE_CONNECTIONS_DEV_ROLE: 'ENV_ROLE', SNOWFLAKE_ROLE: 'GENERIC' }, expect: { role: 'ENV_ROLE', roleSource: 'SNOWFLAKE_CONNECTIONS_DEV_ROLE' } },
  { name: 'the file beats SNOWFLAKE_<KEY>', fixture: { connectionsToml: DEV }, flags: { connection: 'dev' }, env: { SNOWFLAKE_ROLE: 'GENERIC', SNOWFLAKE_PASSWORD: 'env-secret' }, expect: { role: 'FILE_ROLE', password: 'file-secret' } },
  { name: 'SNOWFLAKE_<KEY> fills what the file lacks', fixture: { connectionsToml: DEV }, flags: { connection: 'default' }, env: { SNOWFLAKE_ROLE: 'GENERIC' }, expect: { role: 'GENERIC', roleSource: 'SNOWFLAKE_ROLE' } },
  { name: 'flags and env only, no files', fixture: {}, flags: { account: 'flag-acct', user: 'fu' }, env: { SNOWFLAKE_PASSWORD: 'env-secret' }, expect: { connection: undefined, account: 'flag-acct', password: 'env-secret' } },
  { name: 'a connection defined only by SNOWFLAKE_CONNECTIONS_* env', fixture: {}, flags: { connection: 'ci' }, env: { SNOWFLAKE_CONNECTIONS_CI_ACCOUNT: 'ci-acct', SNOWFLAKE_CONNECTIONS_CI_USER: 'bot', SNOWFLAKE_CONNECTIONS_CI_PASSWORD: 'ci-secret' }, expect: { connection: 'ci', account: 'ci-acct', user: 'bot' } },
  { name: 'SNOWFLAKE_HOME replaces ~/.snowflake', fixture: { connectionsToml: DEV, dir: 'elsewhere' }, flags: { connection: 'dev' }, env: { SNOWFLAKE_HOME: '~/elsewhere' }, expect: { account: 'file-acct' } },
  {
    name: 'connections.toml wins over config.toml connections',
    fixture: { connectionsToml: DEV, configToml: '[connections.dev]\naccount = "ignored"\nuser = "u"\npassword = "p"\n' },
    flags: { connection: 'dev' },
    expect: { account: 'file-acct' },
  },
];

describe('resolveConnection precedence (snow CLI order, anchors.md B.1)', () => {
  it.each(precedence)('$name', async (testCase) => {
    const home = makeHome(testCase.fixture);
    const resolved = await resolveConnection(testCase.flags ?? {}, { home, env: testCase.env ?? {} });
    const want = testCase.expect;
    if ('connection' in want) expect(resolved.name).toBe(want.connection);
    if (want.account) expect(resolved.options.account).toBe(want.account);
    if (want.role) expect(resolved.options.role).toBe(want.role);
    if (want.user) expect(resolved.options.username).toBe(want.user);
    if (want.password) expect(resolved.options.password).toBe(want.password);
    if (want.roleSource) expect(resolved.sources.role).toBe(want.roleSource);
  });

  it('warns when connections.toml hides config.toml connections', async () => {
    const home = makeHome({ connectionsToml: DEV, configToml: '[connections.x]\naccount = "a"\n' });
    const resolved = await resolveConnection({ connection: 'dev' }, { home, env: {} });
    expect(resolved.warnings.join('\n')).toMatch(/\[connections\] in .*config\.toml are ignored/);
  });

  it('warns (does not fail) when the file is readable by others', async () => {
    const home = makeHome({ connectionsToml: DEV, mode: 0o644 });
    const resolved = await resolveConnection({ connection: 'dev' }, { home, env: {} });
    expect(resolved.warnings.join('\n')).toMatch(/too wide permissions.*chmod 0600/);
    expect(resolved.options.account).toBe('file-acct');
  });
});

async function userError(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('resolveConnection errors', () => {
  it('an unknown -c name lists the configured ones', async () => {
    const error = await userError(resolveConnection({ connection: 'nope' }, { home: makeHome({ connectionsToml: DEV }), env: {} }));
    expect(error.code).toBe('CONNECTION_NOT_FOUND');
    expect(error.kind).toBe('usage');
    expect(error.suggestion).toContain('dev, default');
  });
  it('a default name from the environment that does not exist is an error too', async () => {
    const error = await userError(resolveConnection({}, { home: makeHome({ connectionsToml: DEV }), env: { SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'gone' } }));
    expect(error.code).toBe('CONNECTION_NOT_FOUND');
  });
  it('no account anywhere', async () => {
    const error = await userError(resolveConnection({ user: 'u' }, { home: makeHome({}), env: { SNOWFLAKE_PASSWORD: 'x' } }));
    expect(error.code).toBe('ACCOUNT_MISSING');
    expect(error.suggestion).toMatch(/--account/);
  });
  it('TOML syntax errors name the file and line', async () => {
    const error = await userError(resolveConnection({}, { home: makeHome({ connectionsToml: '[dev]\naccount = \n' }), env: {} }));
    expect(error.code).toBe('SNOWFLAKE_CONFIG_INVALID');
    expect(error.message).toMatch(/connections\.toml at line 2/);
  });
  it.each([
    [{ port: 'abc' }, 'PORT_INVALID'],
    [{ port: '70000' }, 'PORT_INVALID'],
    [{ protocol: 'ftp' }, 'PROTOCOL_INVALID'],
    [{ authenticator: 'okta-ish' }, 'AUTHENTICATOR_UNSUPPORTED'],
  ])('bad flag %o → %s', async (flags, code) => {
    const error = await userError(resolveConnection({ account: 'a', user: 'u', ...flags }, { home: makeHome({}), env: { SNOWFLAKE_PASSWORD: 'p' } }));
    expect(error.code).toBe(code);
  });
  it('host, port and protocol for a local stand-in', async () => {
    const resolved = await resolveConnection({ account: 'a', user: 'u', host: '127.0.0.1', port: '8080', protocol: 'HTTP' }, { home: makeHome({}), env: { SNOWFLAKE_PASSWORD: 'p' } });
    expect(resolved.options).toMatchObject({ host: '127.0.0.1', port: 8080, protocol: 'http' });
  });
  it('resolved objects do not enumerate their options (no accidental copies of secrets)', async () => {
    const resolved = await resolveConnection({ connection: 'dev' }, { home: makeHome({ connectionsToml: DEV }), env: {} });
    const everyRendering = [JSON.stringify(resolved), inspect(resolved, { depth: 9 }), resolved.describe(), JSON.stringify({ ...resolved })].join('\n');
    expect(everyRendering).not.toContain('file-secret');
    expect(everyRendering).toContain('file-acct');
  });
});

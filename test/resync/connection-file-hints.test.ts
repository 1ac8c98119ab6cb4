/**
 * Issue 20 (smaller things): the messages about a missing password (and user, key file, token, account)
 * named ~/.snowflake/connections.toml even when SNOWFLAKE_HOME points elsewhere. They now name the file
 * actually read: the connection's own file, else the connections.toml of the directory in use.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { resolveConnection, type ConnectionFlags } from '../../shared/snowflake/connection-config.js';

const home = mkdtempSync(path.join(tmpdir(), 'sf-hints-'));
const elsewhere = path.join(home, 'elsewhere');
mkdirSync(elsewhere);
mkdirSync(path.join(home, '.snowflake'));
writeFileSync(path.join(elsewhere, 'connections.toml'), '[dev]\naccount = "file-acct"\nuser = "alice"\n', { mode: 0o600 });

async function failure(flags: ConnectionFlags, env: NodeJS.ProcessEnv): Promise<UserError> {
  const error = await resolveConnection(flags, { home, env }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('hints name the connections file actually read', () => {
  it('password missing for a connection read from $SNOWFLAKE_HOME/connections.toml: that file, not ~/.snowflake', async () => {
    const error = await failure({ connection: 'dev' }, { SNOWFLAKE_HOME: elsewhere });
    expect(error.code).toBe('PASSWORD_MISSING');
    expect(error.suggestion).toContain(`password in ${path.join(elsewhere, 'connections.toml')}`);
    expect(error.suggestion).not.toContain('~/.snowflake');
  });

  it('no connection file used (flags only): the connections.toml of the directory in use, SNOWFLAKE_HOME first', async () => {
    const withHome = await failure({ account: 'acct', user: 'alice' }, { SNOWFLAKE_HOME: elsewhere });
    expect(withHome.suggestion).toContain(path.join(elsewhere, 'connections.toml'));
    const without = await failure({ account: 'acct', authenticator: 'oauth' }, {});
    expect(without.code).toBe('TOKEN_MISSING');
    expect(without.suggestion).toContain(path.join(home, '.snowflake', 'connections.toml'));
  });

  it('account missing: the hint names the directory in use', async () => {
    const error = await failure({ user: 'alice' }, { SNOWFLAKE_HOME: elsewhere, SNOWFLAKE_PASSWORD: 'x' });
    expect(error.code).toBe('ACCOUNT_MISSING');
    expect(error.suggestion).toContain(path.join(elsewhere, 'connections.toml'));
  });
});

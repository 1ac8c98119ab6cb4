/**
 * The sandbox command's account options end to end: --profile, --spcs off, --profile-file (custom JSON profile),
 * --registry with its credentials from the environment (never argv). Real snowflake-sdk on the printed JSON line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, destroy, query, type Connection } from '../../standins/snowflake/driver-helpers.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

/** Starts the sandbox (node + tsx, no npm) and returns the fields of its JSON line, or its exit code and stderr. */
async function sandbox(args: string[], env: Record<string, string> = {}): Promise<{ line?: Record<string, Record<string, string>>; code?: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'standins/sandbox.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = once(child, 'exit');
  const lineReady = new Promise<void>((resolve) => child.stdout!.on('data', () => stdout.includes('\n') && resolve()));
  const first = await Promise.race([lineReady.then(() => 'line' as const), exited.then(() => 'exit' as const)]);
  if (first === 'exit') return { code: child.exitCode, stderr };
  return { line: JSON.parse(stdout.split('\n')[0]!) as Record<string, Record<string, string>>, stderr };
}

async function withConnection(sf: Record<string, string>, body: (c: Connection) => Promise<void>): Promise<void> {
  const connection = await connect({ accessUrl: sf.accessUrl, account: sf.account!, username: sf.user, password: sf.password, sfRetryMaxLoginRetries: 0 } as never);
  try {
    await body(connection);
  } finally {
    await destroy(connection);
  }
}

describe('npm run sandbox account options', () => {
  it('--profile restricted --spcs off: the restricted role by default, SPCS statements fail', async () => {
    const { line } = await sandbox(['--profile', 'restricted', '--spcs', 'off']);
    expect(line!.snowflake).toMatchObject({ role: 'SYNC_ROLE' });
    await withConnection(line!.snowflake!, async (c) => {
      await expect(query(c, 'SHOW COMPUTE POOLS')).rejects.toMatchObject({ code: '395054' });
      await expect(query(c, 'CREATE EXTERNAL ACCESS INTEGRATION E ALLOWED_NETWORK_RULES = () ENABLED = TRUE')).rejects.toMatchObject({ code: '003001' });
    });
  }, 90_000);

  it('--profile-file, --registry and --session-ttl-s: a custom profile, repository URLs on the registry gateway, which takes 0sessiontoken + a live session token', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-profile-'));
    try {
      const file = path.join(dir, 'profile.json');
      await writeFile(file, JSON.stringify({
        name: 'ops', defaultRole: 'OPS', userRoles: ['OPS'],
        setup: ['CREATE ROLE OPS', 'GRANT ROLE SYSADMIN TO ROLE OPS', 'GRANT CREATE COMPUTE POOL ON ACCOUNT TO ROLE OPS'],
      }));
      const { line } = await sandbox(['--profile-file', file, '--registry', '127.0.0.1:5999', '--session-ttl-s', '30'], { SANDBOX_REGISTRY_USER: 'SANDBOX_USER', SANDBOX_REGISTRY_PASSWORD: 'registry-secret-42' });
      const gateway = line!.snowflake!.registryHost!;
      expect(gateway).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(gateway).not.toBe('127.0.0.1:5999');
      expect(line!.snowflake).toMatchObject({ role: 'OPS' });
      await withConnection(line!.snowflake!, async (c) => {
        await query(c, 'CREATE COMPUTE POOL P MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS');
        await query(c, 'CREATE IMAGE REPOSITORY DEMO_DB.PUBLIC.REPO');
        const { rows } = await query(c, 'SHOW IMAGE REPOSITORIES IN SCHEMA DEMO_DB.PUBLIC');
        expect(rows[0]).toMatchObject({ repository_url: `${gateway}/demo_db/public/repo`, owner: 'OPS' });
        const tokenInfo = (JSON.parse(c.serialize()) as { services: { sf: { tokenInfo: { sessionToken: string; sessionTokenExpirationTime: number } } } }).services.sf.tokenInfo;
        expect(tokenInfo.sessionTokenExpirationTime - Date.now()).toBeLessThanOrEqual(30_000);
        const challenge = await fetch(`http://${gateway}/v2/`);
        expect(challenge.status).toBe(401);
        const realm = /realm="([^"]+)"/.exec(challenge.headers.get('www-authenticate') ?? '')![1]!;
        const basic = (user: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` });
        expect((await fetch(realm, { headers: basic('0sessiontoken', tokenInfo.sessionToken) })).status).toBe(200);
        expect((await fetch(realm, { headers: basic('SANDBOX_USER', 'registry-secret-42') })).status).toBe(401);
        expect((await query(c, 'SHOW GRANTS TO ROLE OPS')).rows.map((r) => `${String(r.privilege)} ${String(r.granted_on)} ${String(r.name)}`))
          .toEqual(expect.arrayContaining(['USAGE ROLE SYSADMIN', 'CREATE COMPUTE POOL ACCOUNT SANDBOX', 'OWNERSHIP COMPUTE_POOL P']));
      });
      // The registry's own password is no Snowflake credential.
      const sf = line!.snowflake!;
      await expect(connect({ accessUrl: sf.accessUrl, account: sf.account!, username: sf.user, authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: 'registry-secret-42', sfRetryMaxLoginRetries: 0 } as never)).rejects.toMatchObject({ code: '390100' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('rejects bad values with exit code 2 and the usage', async () => {
    for (const args of [['--spcs', 'maybe'], ['--profile', 'root'], ['--registry', 'http://x'], ['--profile', 'full', '--profile-file', '/nonexistent']]) {
      const { code, stderr } = await sandbox(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain(`--${args[args.length - 2]!.replace(/^--/, '')}`);
    }
  }, 90_000);
});

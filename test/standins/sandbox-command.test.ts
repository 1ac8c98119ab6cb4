/**
 * `npm run sandbox` end to end: spawn the real command, read its one JSON line, call both stand-ins with
 * real clients (snowflake-sdk, fetch), stop it with a signal and check it exits 0 with its ports closed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect as tcpConnect, createServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../standins/index.js';
import { connect, destroy, query, type Connection, type ConnectionOptions } from '../../standins/snowflake/driver-helpers.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const children: ChildProcess[] = [];
afterEach(() => {
  // Each child leads its own process group: kill the group, or npm's sh/tsx/node children would be orphaned.
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
});

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

function run(command: string, args: string[]): Running {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function firstLine(running: Running, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!running.stdout().includes('\n')) {
    if (running.child.exitCode !== null) throw new Error(`sandbox exited early: ${running.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no JSON line before the deadline; stderr: ${running.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return running.stdout().split('\n')[0]!;
}

const portIsClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

/** Runs `body` on a real snowflake-sdk connection made only from the JSON line's fields. */
async function withSnowflake(sf: Record<string, string>, body: (connection: Connection) => Promise<void>): Promise<void> {
  const options = {
    accessUrl: sf.accessUrl, account: sf.account, username: sf.user, password: sf.password,
    role: sf.role, warehouse: sf.warehouse, database: sf.database, schema: sf.schema, sfRetryMaxLoginRetries: 0,
  };
  const connection = await connect(options as ConnectionOptions);
  try {
    await body(connection);
  } finally {
    await destroy(connection);
  }
}

const TSX = `${ROOT}node_modules/.bin/tsx`;

describe('npm run sandbox', () => {
  it('prints one JSON line, serves both stand-ins with the given options, and stops cleanly on SIGTERM', async () => {
    const running = run(TSX, ['standins/sandbox.ts', '--seed', 'empty', '--batch-rate', '0.01', '--batch-burst', '2', '--batch-latency-ms', '5', '--batch-fault-rate', '0']);
    const info = JSON.parse(await firstLine(running));
    expect(Object.keys(info.snowflake).sort()).toEqual(['accessUrl', 'account', 'database', 'password', 'role', 'schema', 'user', 'warehouse']);
    expect(Object.keys(info.batch).sort()).toEqual(['apiUrl', 'projectKey', 'restApiKey']);

    const headers = { authorization: `Bearer ${info.batch.restApiKey}`, 'x-batch-project': info.batch.projectKey, 'content-type': 'application/json' };
    const post = (ids: string[]) =>
      fetch(`${info.batch.apiUrl}/2.11/profiles/update`, { method: 'POST', headers, body: JSON.stringify(ids.map((custom_id) => ({ identifiers: { custom_id } }))) });
    expect((await post(['a', 'b'])).status).toBe(202);
    expect((await post(['c'])).status).toBe(429); // burst 2, then 1 custom ID per 100 s
    const config = await (await fetch(`${info.batch.apiUrl}/_sandbox/config`)).json();
    expect(config).toMatchObject({ updateRate: 0.01, updateBurst: 2, latencyMs: 5, faults: { serverError: 0, timeout: 0 } });

    const { accessUrl, user, password, database } = info.snowflake;
    await withSnowflake(info.snowflake, async (connection) => {
      const { rows } = await query<{ U: string; D: string }>(connection, 'SELECT CURRENT_USER() AS U, CURRENT_DATABASE() AS D');
      expect(rows).toEqual([{ U: user, D: database }]);
      await expect(query(connection, 'SELECT COUNT(*) FROM CUSTOMERS')).rejects.toThrow(/does not exist/); // --seed empty
    });

    running.child.kill('SIGTERM');
    expect(await running.exited).toEqual([0, null]);
    expect(running.stderr()).toMatch(/Stand-ins stopped\.\n$/);
    expect(running.stdout().trimEnd().split('\n')).toHaveLength(1);
    expect(running.stderr()).not.toContain(info.batch.restApiKey);
    expect(running.stderr()).not.toContain(password);
    const ports = [new URL(accessUrl).port, new URL(info.batch.apiUrl).port].map(Number);
    expect(await Promise.all(ports.map(portIsClosed))).toEqual([true, true]);
  });

  it('stops cleanly on Ctrl-C (SIGINT to the process group) when started through npm run --silent', async () => {
    const running = run('npm', ['run', '--silent', 'sandbox', '--', '--seed', 'demo']);
    const info = JSON.parse(await firstLine(running));
    expect(running.stdout().trimEnd().split('\n')).toHaveLength(1);
    await withSnowflake(info.snowflake, async (connection) => {
      const { rows } = await query<{ N: number }>(connection, 'SELECT COUNT(*) AS N FROM CUSTOMER_PROFILES');
      expect(rows[0]!.N).toBeGreaterThanOrEqual(1000);
    });
    process.kill(-running.child.pid!, 'SIGINT'); // what a terminal does on Ctrl-C; npm itself ignores SIGINT
    // npm reports the signal the group got; our process's clean exit shows in its last message.
    expect(await running.exited).toEqual([null, 'SIGINT']);
    expect(running.stderr()).toMatch(/SIGINT: stopping the stand-ins…\nStand-ins stopped\.\n$/);
    expect(await portIsClosed(Number(new URL(info.batch.apiUrl).port))).toBe(true);
  });

  it('refuses bad options with exit 2, a message on stderr and nothing on stdout', async () => {
    const runs = [['--batch-fault-rate', '1.5'], ['--seed', 'lots'], ['--no-such-option']].map((args) => run(TSX, ['standins/sandbox.ts', ...args]));
    for (const running of runs) {
      expect((await running.exited)[0]).toBe(2);
      expect(running.stdout()).toBe('');
      expect(running.stderr()).toMatch(/^error: /);
    }
  });
});

describe('startSandbox', () => {
  const listen = async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, port: (server.address() as AddressInfo).port };
  };

  it('returns both handles and the connection info, and closes both', async () => {
    const sandbox = await startSandbox({ seed: 'empty', batch: { updateRate: 7 } });
    expect(sandbox.connection.batch).toEqual({ apiUrl: sandbox.batch.apiUrl, projectKey: sandbox.batch.projectKey, restApiKey: sandbox.batch.restApiKey });
    expect(sandbox.connection.snowflake).toMatchObject({ accessUrl: sandbox.snowflake.accessUrl, user: sandbox.snowflake.defaultUser.user });
    expect(sandbox.batch.config().updateRate).toBe(7);
    await sandbox.close();
    await sandbox.close(); // idempotent
    expect(await Promise.all([sandbox.snowflake.port, sandbox.batch.port].map(portIsClosed))).toEqual([true, true]);
  });

  it('closes the Snowflake stand-in when the Batch sandbox cannot start', async () => {
    const busy = await listen();
    const free = await listen();
    await new Promise((resolve) => free.server.close(resolve));
    try {
      await expect(startSandbox({ seed: 'empty', snowflake: { port: free.port }, batch: { port: busy.port } })).rejects.toThrow(/EADDRINUSE/);
      expect(await portIsClosed(free.port)).toBe(true);
    } finally {
      busy.server.close();
    }
  });
});

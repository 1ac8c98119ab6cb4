/**
 * The access layer (shared/snowflake/client.ts) with the real snowflake-sdk against the Snowflake stand-in
 * over HTTP. The scripted engine answers GENERATE n, SELECT TYPES, ECHO BINDS, SELECT CONTEXT, UPDATE ...
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { connect } from '../../shared/snowflake/client.js';
import type { SnowflakeConnectionOptions, SnowflakeSession } from '../../shared/snowflake/types.js';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { createScriptedEngine } from '../../standins/snowflake/scripted-engine.js';

let standin: SnowflakeStandin;
let session: SnowflakeSession;
let options: SnowflakeConnectionOptions;

beforeAll(async () => {
  standin = await startSnowflakeStandin({ engine: createScriptedEngine(), chunkRows: 5_000 });
  const user = standin.defaultUser;
  options = { account: standin.account, accessUrl: standin.accessUrl, username: user.user, password: user.password, role: user.role, warehouse: user.warehouse, database: user.database, schema: user.schema };
  session = await connect(options);
});

afterAll(async () => {
  await session?.destroy();
  await standin?.close();
});

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connect', () => {
  it('logs in and runs in the requested context', async () => {
    const { rows } = await session.query<Record<string, string>>('SELECT CONTEXT');
    expect(rows).toEqual([{ USER: options.username, ROLE: options.role, WAREHOUSE: options.warehouse, DATABASE: options.database, SCHEMA: options.schema }]);
  });

  it('a wrong password is a connection error that says so', { timeout: 5_000 }, async () => {
    const error = await failure(connect({ ...options, password: 'wrong' }));
    expect(error).toMatchObject({ kind: 'connection', code: 'BAD_CREDENTIALS', exitCode: 3 });
    expect(error.message).toContain('Incorrect username or password');
    expect(`${error.message} ${error.suggestion}`).not.toContain(options.password!);
  });

  it('a refused port fails fast with what to check', { timeout: 10_000 }, async () => {
    const port = await closedPort();
    const error = await failure(connect({ ...options, accessUrl: `http://127.0.0.1:${port}` }));
    expect(error).toMatchObject({ kind: 'connection', code: 'SNOWFLAKE_UNREACHABLE' });
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.suggestion).toMatch(/host and port/);
  });

  it('a role not granted to the user names the GRANT', async () => {
    const error = await failure(connect({ ...options, role: 'NOT_GRANTED' }));
    expect(error).toMatchObject({ kind: 'connection', code: 'ROLE_NOT_GRANTED' });
    expect(error.suggestion).toContain(`GRANT ROLE NOT_GRANTED TO USER ${options.username}`);
  });

  it('an access URL that is not http(s) is refused before the driver loads it', async () => {
    const error = await failure(connect({ ...options, accessUrl: 'localhost:1234' }));
    expect(error.code).toBe('ACCESS_URL_INVALID');
  });

  it('a login that never answers hits our deadline', { timeout: 10_000 }, async () => {
    const silent = createServer(() => undefined); // accepts TCP, never answers HTTP
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const error = await failure(connect({ ...options, accessUrl: `http://127.0.0.1:${port}` }, { timeoutMs: 1_500 }));
      expect(error).toMatchObject({ kind: 'connection', code: 'SNOWFLAKE_TIMEOUT' });
    } finally {
      silent.close();
    }
  });
});

describe('query', () => {
  it('returns exact numbers: scale-0 as numbers, NUMBER(p,s) as exact text', async () => {
    const { rows, columns } = await session.query<Record<string, unknown>>('SELECT TYPES');
    const [row, nulls] = rows;
    expect(row).toMatchObject({ N: -42, AMOUNT: '12345.67', R: 1.5, S: 'héllo "world"', B: true, T: '12:34:56' });
    expect(row!.D).toBeInstanceOf(Date);
    expect((row!.D as Date).toISOString()).toBe('2023-11-14T00:00:00.000Z');
    expect(row!.V).toEqual({ a: 1, b: [true, null] });
    expect(row!.A).toEqual([1, 'two', { three: 3 }]);
    expect(Buffer.isBuffer(row!.BIN)).toBe(true);
    expect(Object.values(nulls!).every((value) => value === null)).toBe(true);
    expect(columns.find((c) => c.name === 'AMOUNT')).toEqual({ name: 'AMOUNT', type: 'fixed', precision: 10, scale: 2, nullable: true });
  });

  it('sends positional binds with their types', async () => {
    const when = new Date('2024-02-29T12:00:00.000Z');
    const { rows } = await session.query<{ TYPE: string; VALUE: string }>('ECHO BINDS', [7, 'text', true, null, 1.25, when]);
    expect(rows.map((r) => r.TYPE)).toEqual(['FIXED', 'TEXT', 'BOOLEAN', 'TEXT', 'REAL', 'TEXT']);
    expect(JSON.parse(rows[5]!.VALUE)).toBe(when.toISOString());
  });

  it('reports rows affected by DML', async () => {
    expect((await session.query('UPDATE T SET X = 1')).rowsAffected).toBe(7);
  });

  it('maps a missing object (002003) to an SQL error with a suggestion', async () => {
    const error = await failure(session.query('SELECT * FROM NOPE_TABLE'));
    expect(error).toMatchObject({ kind: 'sql', code: 'OBJECT_MISSING', details: { snowflakeCode: '002003', sqlState: '42S02' } });
    expect(error.suggestion).toContain('NOPE_TABLE');
  });
});

describe('stream and destroy', () => {
  it('streams every row of a chunked result in order', async () => {
    const { columns, rows } = session.stream<{ ID: number; LABEL: string }>('GENERATE 23456');
    let count = 0;
    for await (const row of rows) {
      expect(row.ID).toBe(count);
      count++;
    }
    expect(count).toBe(23_456);
    expect((await columns).map((c) => c.name)).toEqual(['ID', 'LABEL']);
  });

  it('a consumer can stop early, and errors surface as UserErrors', async () => {
    let seen = 0;
    for await (const _row of session.stream('GENERATE 50000').rows) if (++seen === 5) break;
    expect(seen).toBe(5);
    const broken = session.stream('SELECT * FROM MISSING_ONE');
    const error = await failure((async () => { for await (const _ of broken.rows) void _; })());
    expect(error.code).toBe('OBJECT_MISSING');
    await expect(broken.columns).rejects.toBeInstanceOf(UserError);
  });

  it('destroy() closes the server session and is idempotent', async () => {
    const extra = await connect(options);
    const before = standin.observed.openSessions();
    await extra.destroy();
    await extra.destroy();
    expect(standin.observed.openSessions()).toBe(before - 1);
    await expect(extra.query('SELECT CONTEXT')).rejects.toBeTruthy();
  });
});

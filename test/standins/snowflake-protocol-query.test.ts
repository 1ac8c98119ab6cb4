import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { connect, destroy, query, sessionStateOf, standinOptions, waitFor, type Connection } from '../../standins/snowflake/driver-helpers.js';
import { createScriptedEngine, type ScriptedEngine } from '../../standins/snowflake/scripted-engine.js';

let standin: SnowflakeStandin;
let engine: ScriptedEngine;
let conn: Connection;

beforeAll(async () => {
  engine = createScriptedEngine();
  standin = await startSnowflakeStandin({ engine });
  conn = await connect(standinOptions(standin, { warehouse: 'wh1', database: '"MixedDb"', schema: 's1', role: 'analyst' }));
});

afterAll(async () => {
  await destroy(conn).catch(() => undefined);
  await standin.close();
});

describe('Snowflake stand-in: queries through the real snowflake-sdk', () => {
  it('opens the engine session with the connection context (unquoted upper-cased, quoted kept)', async () => {
    const { rows, statement } = await query(conn, 'SELECT CONTEXT');
    expect(rows).toEqual([{ USER: 'SANDBOX_USER', ROLE: 'ANALYST', WAREHOUSE: 'WH1', DATABASE: 'MixedDb', SCHEMA: 'S1' }]);
    expect(sessionStateOf(statement).getCurrentDatabase()).toBe('MixedDb');
    expect(sessionStateOf(statement).getCurrentRole()).toBe('ANALYST');
  });

  it('reports context changes made by the engine in final*Name', async () => {
    const { statement } = await query(conn, 'USE DATABASE other');
    expect(sessionStateOf(statement).getCurrentDatabase()).toBe('OTHER');
  });

  it('decodes the driver bindings into positional EngineBinds', async () => {
    const when = new Date('2024-01-02T03:04:05.678Z');
    const { rows } = await query<{ TYPE: string; VALUE: string }>(conn, 'ECHO BINDS', [7, 'x', true, 2.5, null, when, '{"a":1}']);
    expect(rows.map((r) => [r.TYPE, JSON.parse(r.VALUE)])).toEqual([
      ['FIXED', '7'],
      ['TEXT', 'x'],
      ['BOOLEAN', 'true'],
      ['REAL', '2.5'],
      ['TEXT', null],
      ['TEXT', when.toJSON()],
      ['TEXT', '{"a":1}'],
    ]);
  });

  it('passes array binds (multi-row insert) and reports the inserted row count', async () => {
    const { statement } = await query(conn, 'INSERT INTO T VALUES (?, ?)', [[1, 'a'], [2, 'b'], [3, 'c']]);
    expect(statement.getNumUpdatedRows()).toBe(3);
    const last = engine.statements.at(-1)!;
    expect(last.binds).toEqual([
      { type: 'FIXED', value: ['1', '2', '3'] },
      { type: 'TEXT', value: ['a', 'b', 'c'] },
    ]);
  });

  it('renders UPDATE and DELETE counts the way Snowflake does', async () => {
    const update = await query(conn, 'UPDATE T SET X = 1');
    expect(update.statement.getNumUpdatedRows()).toBe(7);
    expect(update.rows).toEqual([{ 'number of rows updated': 7, 'number of multi-joined rows updated': 0 }]);
    const del = await query(conn, 'DELETE FROM T');
    expect(del.rows).toEqual([{ 'number of rows deleted': 2 }]);
    expect(del.statement.getNumUpdatedRows()).toBe(2);
  });

  it('answers DDL with the engine status row and a non-DML statement type', async () => {
    const { rows, statement } = await query(conn, 'CREATE TABLE T (X INT)');
    expect(rows).toEqual([{ status: 'Table T successfully created.' }]);
    expect(statement.getNumUpdatedRows()).toBe(-1);
  });

  it('surfaces SQL errors with Snowflake code, sqlState and message', async () => {
    const err = (await query(conn, 'SELECT * FROM NOPE').catch((e: unknown) => e)) as Record<string, unknown>;
    expect(err).toMatchObject({
      name: 'OperationFailedError',
      code: '002003',
      sqlState: '42S02',
      message: "SQL compilation error:\nObject 'NOPE' does not exist or not authorized.",
    });
    expect((err.data as { queryId?: string }).queryId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('turns an unexpected engine exception into a generic SQL error and keeps serving', async () => {
    const err = (await query(conn, 'CRASH').catch((e: unknown) => e)) as Record<string, unknown>;
    expect(err).toMatchObject({ code: '000603', sqlState: 'XX000' });
    expect(String(err.message)).toContain('engine exploded');
    const bad = (await query(conn, 'BAD CELL').catch((e: unknown) => e)) as Record<string, unknown>;
    expect(bad).toMatchObject({ code: '000603' });
    expect(String(bad.message)).toContain('DATE column');
    expect((await query(conn, 'GENERATE 1')).rows).toEqual([{ ID: 0, LABEL: 'row-0' }]);
  });

  it('answers heartbeats for a live session', async () => {
    const before = standin.observed.heartbeats();
    await expect(conn.isValidAsync()).resolves.toBe(true);
    expect(standin.observed.heartbeats()).toBe(before + 1);
  });

  it('renews an expired session token with the master token and retries the query', async () => {
    const loginsBefore = standin.observed.logins;
    standin.expireSessionTokens();
    const { rows } = await query(conn, 'GENERATE 2');
    expect(rows).toHaveLength(2);
    expect(standin.observed.logins).toBe(loginsBefore);
  });

  it('answers 401 with code 390104 for an unknown session token', async () => {
    const res = await fetch(`${standin.accessUrl}/queries/v1/query-request?requestId=x`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Snowflake Token="forged"' },
      body: JSON.stringify({ sqlText: 'GENERATE 1' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ success: false, code: '390104' });
  });

  it('closes the engine session (rollback) when the connection is destroyed', async () => {
    const other = await connect(standinOptions(standin));
    await query(other, 'GENERATE 1');
    const closedBefore = engine.closedSessions;
    const openBefore = standin.observed.openSessions();
    await destroy(other);
    expect(engine.closedSessions).toBe(closedBefore + 1);
    expect(standin.observed.openSessions()).toBe(openBefore - 1);
  });

  it('cancels a running statement: the driver gets 000604 / 57014', async () => {
    const result = new Promise<Record<string, unknown>>((resolve) => {
      const statement = conn.execute({ sqlText: 'WAIT', complete: (err) => resolve((err ?? {}) as unknown as Record<string, unknown>) });
      void waitFor(() => engine.waiting === 1).then(() => statement.cancel(() => engine.release()));
    });
    expect(await result).toMatchObject({ code: '000604', sqlState: '57014' });
    expect(standin.observed.abortedRequestIds).toHaveLength(1);
  });

  it('accepts telemetry batches', async () => {
    const res = await fetch(`${standin.accessUrl}/telemetry/send`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"logs":[]}' });
    expect(await res.json()).toMatchObject({ success: true });
    await waitFor(() => standin.observed.telemetryBatches > 0);
  });
});

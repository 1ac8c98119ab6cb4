import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { connect, destroy, query, sessionStateOf, standinOptions, type Connection } from '../../standins/snowflake/driver-helpers.js';

// End to end through the default engine (Snowflake SQL on DuckDB): real driver → protocol → engine.
let standin: SnowflakeStandin;
let conn: Connection;

beforeAll(async () => {
  standin = await startSnowflakeStandin({ seed: 'empty', chunkRows: 500 });
  conn = await connect(standinOptions(standin));
  await query(conn, 'CREATE DATABASE IF NOT EXISTS PROTO_DB');
  await query(conn, 'USE SCHEMA PROTO_DB.PUBLIC');
});

afterAll(async () => {
  await destroy(conn).catch(() => undefined);
  await standin.close();
});

describe('Snowflake stand-in with the DuckDB engine', () => {
  it('creates a table, inserts with binds and reads typed values back', async () => {
    await query(conn, 'CREATE OR REPLACE TABLE CUSTOMERS (ID NUMBER(38,0), EMAIL VARCHAR, AMOUNT NUMBER(10,2), ACTIVE BOOLEAN, SIGNED_UP DATE)');
    const insert = await query(conn, 'INSERT INTO CUSTOMERS VALUES (?, ?, ?, ?, ?)', [
      [1, 'a@example.com', 12.5, true, '2024-02-29'],
      [2, 'b@example.com', 0.01, false, '1999-12-31'],
      [3, null, null, null, null],
    ]);
    expect(insert.statement.getNumUpdatedRows()).toBe(3);
    const { rows, statement } = await query<Record<string, unknown>>(conn, 'SELECT * FROM CUSTOMERS WHERE ID <= ? ORDER BY ID', [3]);
    expect(sessionStateOf(statement).getCurrentDatabase()).toBe('PROTO_DB');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ ID: 1, EMAIL: 'a@example.com', AMOUNT: 12.5, ACTIVE: true });
    expect((rows[0]!.SIGNED_UP as Date).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(rows[2]).toMatchObject({ ID: 3, EMAIL: null, AMOUNT: null, ACTIVE: null, SIGNED_UP: null });
    const amount = (statement.getColumns() ?? []).find((c) => c.getName() === 'AMOUNT');
    expect([amount?.getType(), amount?.getPrecision(), amount?.getScale()]).toEqual(['fixed', 10, 2]);
  });

  it('answers a missing table with Snowflake error 002003 / 42S02', async () => {
    const err = (await query(conn, 'SELECT * FROM NO_SUCH_TABLE').catch((e: unknown) => e)) as Record<string, unknown>;
    expect(err).toMatchObject({ code: '002003', sqlState: '42S02' });
  });

  it('rolls back an open transaction when the connection is destroyed', async () => {
    const other = await connect(standinOptions(standin, { database: 'PROTO_DB', schema: 'PUBLIC' }));
    const where = await query<Record<string, string>>(other, 'SELECT CURRENT_DATABASE() AS D, CURRENT_SCHEMA() AS S');
    expect(where.rows).toEqual([{ D: 'PROTO_DB', S: 'PUBLIC' }]);
    await query(other, 'BEGIN');
    await query(other, 'INSERT INTO CUSTOMERS VALUES (?, NULL, NULL, NULL, NULL)', [99]);
    expect((await query(other, 'SELECT COUNT(*) AS C FROM CUSTOMERS WHERE ID = 99')).rows).toEqual([{ C: 1 }]);
    await destroy(other);
    const { rows } = await query(conn, 'SELECT ID FROM CUSTOMERS WHERE ID = 99');
    expect(rows).toEqual([]);
  });

  it('inserts 1 200 rows with array binds and reads them back across chunks', async () => {
    await query(conn, 'CREATE OR REPLACE TABLE NUMBERS (N NUMBER(38,0), LABEL VARCHAR)');
    const binds = Array.from({ length: 1200 }, (_, i) => [i, `n-${i}`]);
    const insert = await query(conn, 'INSERT INTO NUMBERS VALUES (?, ?)', binds);
    expect(insert.statement.getNumUpdatedRows()).toBe(1200);
    const { rows } = await query<{ N: number; LABEL: string }>(conn, 'SELECT N, LABEL FROM NUMBERS ORDER BY N');
    expect(rows).toHaveLength(1200);
    expect(rows[1199]).toEqual({ N: 1199, LABEL: 'n-1199' });
  });
});

/** Engine SQL: context, USE, types and metadata, binds, DML, transactions, errors (through the Engine contract). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnowflakeEngine } from '../../standins/snowflake/engine/index.js';
import { SEED_DEFAULTS } from '../../standins/snowflake/engine/index.js';
import { demoEngine, login, type TestSession } from '../../standins/snowflake/engine/testing.js';

let engine: SnowflakeEngine;
let s: TestSession;

beforeAll(async () => {
  engine = await demoEngine('demo');
  s = await login(engine);
});

afterAll(async () => {
  await s.raw.close();
  await engine.close();
});

describe('context and USE', () => {
  it('returns the context functions with Snowflake column names', async () => {
    const r = await s.run('select current_role(), current_database(), current_schema(), current_warehouse(), current_user(), current_account(), current_region()');
    expect(r.columns.map((c) => c.name)).toEqual(['CURRENT_ROLE()', 'CURRENT_DATABASE()', 'CURRENT_SCHEMA()', 'CURRENT_WAREHOUSE()', 'CURRENT_USER()', 'CURRENT_ACCOUNT()', 'CURRENT_REGION()']);
    expect(r.rows[0]!.slice(0, 5)).toEqual([SEED_DEFAULTS.role, SEED_DEFAULTS.database, SEED_DEFAULTS.schema, SEED_DEFAULTS.warehouse, SEED_DEFAULTS.user]);
  });

  it('USE DATABASE / SCHEMA / WAREHOUSE / ROLE change the session context', async () => {
    const t = await login(engine);
    await t.run('CREATE DATABASE OTHER_DB');
    await t.run('CREATE SCHEMA OTHER_DB.S2');
    await t.run('USE DATABASE DEMO_DB');
    expect(t.raw.context).toMatchObject({ database: 'DEMO_DB', schema: 'PUBLIC' });
    await t.run('USE SCHEMA OTHER_DB.S2');
    expect(t.raw.context).toMatchObject({ database: 'OTHER_DB', schema: 'S2' });
    await t.run('USE ROLE ACCOUNTADMIN');
    expect((await t.rows('SELECT CURRENT_ROLE() AS R'))[0]!.R).toBe('ACCOUNTADMIN');
    await expect(t.run('USE WAREHOUSE NOPE_WH')).rejects.toMatchObject({ code: '002043', sqlState: '02000' });
    await expect(t.run('USE ROLE NOPE')).rejects.toMatchObject({ code: '003013' });
    await t.raw.close();
  });

  it('queries on tables need a warehouse (000606); context functions do not', async () => {
    const t = await login(engine, { warehouse: 'NONE_SUCH' as never });
    expect(t.raw.context.warehouse).toBeNull();
    await expect(t.run('SELECT * FROM CUSTOMERS')).rejects.toMatchObject({ code: '000606', sqlState: '57P03' });
    expect((await t.rows('SELECT CURRENT_USER() AS U'))[0]!.U).toBe(SEED_DEFAULTS.user);
    await t.raw.close();
  });
});

describe('types and metadata', () => {
  it('maps every demo column to the Snowflake type with exact values', async () => {
    const r = await s.run('SELECT * FROM CUSTOMERS WHERE ID = 2');
    const meta = Object.fromEntries(r.columns.map((c) => [c.name, c]));
    expect(meta.ID).toMatchObject({ type: 'FIXED', precision: 38, scale: 0, nullable: false });
    expect(meta.EMAIL).toMatchObject({ type: 'TEXT', length: 255 });
    expect(meta.SIGNUP_DATE!.type).toBe('DATE');
    expect(meta.LAST_LOGIN_AT).toMatchObject({ type: 'TIMESTAMP_TZ', scale: 9 });
    expect(meta.UPDATED_AT!.type).toBe('TIMESTAMP_NTZ');
    expect(meta.LIFETIME_VALUE).toMatchObject({ type: 'FIXED', precision: 10, scale: 2 });
    expect(meta.IS_SUBSCRIBED!.type).toBe('BOOLEAN');
    expect(meta.TAGS!.type).toBe('ARRAY');
    const row = Object.fromEntries(r.columns.map((c, k) => [c.name, r.rows[0]![k]]));
    expect(row).toMatchObject({ ID: '2', SIGNUP_DATE: '2020-02-07', LIFETIME_VALUE: '79.19', IS_SUBSCRIBED: true, TAGS: '["newsletter"]', PROFILE_URL: 'https://example.com/customers/2' });
    // TZ values are kept as instants and sent with the session zone's offset (America/Los_Angeles, -08:00 in January).
    expect(row.LAST_LOGIN_AT).toEqual({ epochNanos: 1704075119000000000n, offsetMinutes: -480 });
    expect(row.UPDATED_AT).toBe(1735689601000000000n);
  });

  it('keeps decimals exact (no float noise) and reports literals as Snowflake types', async () => {
    const r = await s.run("SELECT 0.1::NUMBER(10,2) + 0.2::NUMBER(10,2) AS D, 1.5::FLOAT AS F, '2024-02-29'::DATE AS DT, TO_TIMESTAMP_LTZ('2024-01-01 10:00:00+02') AS L, PARSE_JSON('{\"a\":1}') AS V, ARRAY_CONSTRUCT(1, 2) AS A");
    expect(r.rows[0]).toEqual(['0.30', 1.5, '2024-02-29', 1704096000000000000n, '{"a":1}', '[1,2]']);
    expect(r.columns.map((c) => c.type)).toEqual(['FIXED', 'REAL', 'DATE', 'TIMESTAMP_LTZ', 'VARIANT', 'VARIANT']);
  });

  it('demo seed: ≥ 1000 deterministic rows with NULLs in nullable columns, and the view', async () => {
    const [c] = await s.rows('SELECT COUNT(*) AS N, COUNT(EMAIL) AS E, COUNT(LAST_LOGIN_AT) AS L, COUNT(IS_SUBSCRIBED) AS B, COUNT(TAGS) AS T FROM CUSTOMERS');
    expect(c!.N).toBe('1000');
    for (const k of ['E', 'L', 'B', 'T'] as const) expect(Number(c![k])).toBeLessThan(1000);
    expect((await s.rows('SELECT COUNT(*) AS N FROM CUSTOMER_PROFILES'))[0]!.N).toBe('1000');
  });

  it('OBJECT_CONSTRUCT_KEEP_NULL(*) keeps NULL keys; OBJECT_CONSTRUCT drops them', async () => {
    const [row] = await s.rows('SELECT OBJECT_CONSTRUCT_KEEP_NULL(*) AS K, OBJECT_CONSTRUCT(*) AS O FROM CUSTOMER_PROFILES WHERE CUSTOMER_ID = 1');
    const keep = JSON.parse(row!.K as string);
    expect(keep).toHaveProperty('IS_SUBSCRIBED', null);
    expect(keep.LIFETIME_VALUE).toBe(0);
    expect(JSON.parse(row!.O as string)).not.toHaveProperty('IS_SUBSCRIBED');
  });

  it('QUALIFY, IFF, NVL, DATEADD work', async () => {
    const rows = await s.rows("SELECT ID, IFF(ID > 999, 'hi', 'lo') AS X, NVL(NULL, 'n') AS Y, DATEADD('day', 1, SIGNUP_DATE) > SIGNUP_DATE AS Z FROM CUSTOMERS QUALIFY ROW_NUMBER() OVER (ORDER BY ID DESC) <= 2 ORDER BY ID");
    expect(rows).toEqual([{ ID: '999', X: 'lo', Y: 'n', Z: true }, { ID: '1000', X: 'hi', Y: 'n', Z: true }]);
  });
});

describe('DML, binds and transactions', () => {
  it('binds with ? and :1, array binds insert many rows, DML reports affected rows', async () => {
    await s.run('CREATE TABLE T_BINDS (ID NUMBER, NAME STRING, OK BOOLEAN)');
    expect((await s.run('INSERT INTO T_BINDS VALUES (?, ?, ?)', [1, "o'neil", true])).rowsAffected).toBe(1);
    const arr = await s.raw.execute('INSERT INTO T_BINDS VALUES (:1, :2, :3)', [
      { type: 'FIXED', value: ['2', '3'] }, { type: 'TEXT', value: ['b', null] }, { type: 'BOOLEAN', value: ['false', 'true'] },
    ]);
    expect(arr.rowsAffected).toBe(2);
    expect((await s.run('UPDATE T_BINDS SET NAME = :1 WHERE ID >= :2', ['z', 2])).rowsAffected).toBe(2);
    const merged = await s.run("MERGE INTO T_BINDS t USING (SELECT 1 AS ID) src ON t.ID = src.ID WHEN MATCHED THEN UPDATE SET NAME = 'm'");
    expect(merged).toMatchObject({ kind: 'MERGE', rowsAffected: 1 });
    expect((await s.run('DELETE FROM T_BINDS WHERE ID = ?', [3])).rowsAffected).toBe(1);
    expect(await s.rows('SELECT ID, NAME, OK FROM T_BINDS ORDER BY ID')).toEqual([{ ID: '1', NAME: 'm', OK: true }, { ID: '2', NAME: 'z', OK: false }]);
  });

  it('INSERT with a column list into an unqualified table resolves the table, not a function', async () => {
    await s.run('CREATE TABLE T_COLLIST (A NUMBER, B STRING)');
    expect((await s.run('INSERT INTO T_COLLIST (B, A) VALUES (?, ?)', ['x', 7])).rowsAffected).toBe(1);
    expect(await s.rows('SELECT A, B FROM T_COLLIST')).toEqual([{ A: '7', B: 'x' }]);
  });

  it('transactions are per session: uncommitted rows are invisible to others, ROLLBACK discards them', async () => {
    await s.run('CREATE TABLE T_TX (ID NUMBER)');
    const other = await login(engine);
    await s.run('BEGIN');
    await s.run('INSERT INTO T_TX VALUES (1)');
    expect((await other.rows('SELECT COUNT(*) AS N FROM T_TX'))[0]!.N).toBe('0');
    await s.run('ROLLBACK');
    await s.run('BEGIN TRANSACTION');
    await s.run('INSERT INTO T_TX VALUES (2)');
    await s.run('COMMIT');
    expect((await other.rows('SELECT ID FROM T_TX'))).toEqual([{ ID: '2' }]);
    await other.raw.close();
  });
});

describe('errors', () => {
  it('unknown objects: 002003 / 42S02 with the name as written, qualified or not', async () => {
    await expect(s.run('SELECT * FROM nope')).rejects.toMatchObject({ code: '002003', sqlState: '42S02', message: "SQL compilation error:\nObject 'NOPE' does not exist or not authorized." });
    await expect(s.run('SELECT * FROM demo_db.public.nope')).rejects.toMatchObject({ message: "SQL compilation error:\nObject 'DEMO_DB.PUBLIC.NOPE' does not exist or not authorized." });
  });

  it('syntax errors: 001003 / 42000', async () => {
    await expect(s.run('SELEC 1')).rejects.toMatchObject({ code: '001003', sqlState: '42000' });
    await expect(s.run("SELECT 'unterminated")).rejects.toMatchObject({ code: '001003' });
  });

  it('unknown columns: 000904 invalid identifier', async () => {
    await expect(s.run('SELECT NO_SUCH_COLUMN FROM CUSTOMERS')).rejects.toMatchObject({ code: '000904', message: expect.stringContaining("invalid identifier 'NO_SUCH_COLUMN'") });
  });

  it('DROP of a missing object names its kind; IF EXISTS succeeds', async () => {
    await expect(s.run('DROP TABLE NOPE')).rejects.toMatchObject({ code: '002003', message: "SQL compilation error:\nTable 'NOPE' does not exist or not authorized." });
    await expect(s.run('DROP TABLE IF EXISTS NOPE')).resolves.toMatchObject({ kind: 'DDL' });
  });

  it('CREATE of an existing object fails; IF NOT EXISTS and OR REPLACE succeed', async () => {
    await s.run('CREATE TABLE DUP (A NUMBER)');
    await expect(s.run('CREATE TABLE DUP (A NUMBER)')).rejects.toMatchObject({ code: '002002' });
    await expect(s.run('CREATE TABLE IF NOT EXISTS DUP (A NUMBER)')).resolves.toMatchObject({ rows: [['DUP already exists, statement succeeded.']] });
    await s.run('CREATE OR REPLACE TABLE DUP (B VARCHAR(10))');
    expect((await s.rows('DESCRIBE TABLE DUP')).map((r) => [r.name, r.type])).toEqual([['B', 'VARCHAR(10)']]);
  });
});

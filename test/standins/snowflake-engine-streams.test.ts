/**
 * Stream semantics of the engine (shared/reference/snowflake-spcs.md §1): net changes, metadata columns,
 * offsets that only a committed DML moves, change-tracking ownership, and a 100 000-row stream.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SnowflakeEngine } from '../../standins/snowflake/engine/index.js';
import { seedCustomers } from '../../standins/snowflake/engine/index.js';
import { demoEngine, login, type TestSession } from '../../standins/snowflake/engine/testing.js';

let engine: SnowflakeEngine;
let s: TestSession;

beforeEach(async () => {
  engine = await demoEngine('empty');
  s = await login(engine);
  await s.run('CREATE TABLE PEOPLE (ID NUMBER, NAME VARCHAR, SCORE NUMBER(10,2))');
  await s.run("INSERT INTO PEOPLE VALUES (1, 'ann', 1.50), (2, 'bob', 2.00), (3, 'cid', 3.25)");
  await s.run('CREATE VIEW PEOPLE_V AS SELECT ID, NAME, SCORE FROM PEOPLE WHERE ID < 100');
  await s.run('CREATE TABLE OUTBOX (ID NUMBER, ACTION VARCHAR, IS_UPDATE BOOLEAN)');
});

afterEach(async () => {
  await s.raw.close();
  await engine.close();
});

const changes = (sql = 'SELECT ID, NAME, METADATA$ACTION AS A, METADATA$ISUPDATE AS U, METADATA$ROW_ID AS R FROM ST ORDER BY ID, A') => s.rows(sql);
const consume = () => s.run('INSERT INTO OUTBOX SELECT ID, METADATA$ACTION, METADATA$ISUPDATE FROM ST');

describe('stream contents', () => {
  it('SHOW_INITIAL_ROWS = TRUE returns the current rows as INSERTs with ISUPDATE false on first read', async () => {
    await s.run('CREATE STREAM ST ON VIEW PEOPLE_V SHOW_INITIAL_ROWS = TRUE');
    const rows = await changes();
    expect(rows.map((r) => [r.ID, r.NAME, r.A, r.U])).toEqual([['1', 'ann', 'INSERT', false], ['2', 'bob', 'INSERT', false], ['3', 'cid', 'INSERT', false]]);
    const r = await s.run('SELECT * FROM ST');
    expect(r.columns.map((c) => c.name)).toEqual(['ID', 'NAME', 'SCORE', 'METADATA$ACTION', 'METADATA$ISUPDATE', 'METADATA$ROW_ID']);
    expect(r.columns[2]).toMatchObject({ type: 'FIXED', precision: 10, scale: 2 });
  });

  it('without SHOW_INITIAL_ROWS a new stream is empty', async () => {
    await s.run('CREATE STREAM ST ON VIEW PEOPLE_V');
    expect(await changes()).toEqual([]);
    expect((await s.rows("SELECT SYSTEM$STREAM_HAS_DATA('ST') AS H"))[0]!.H).toBe(false);
  });

  it('an insert, an update and a delete show as INSERT, a DELETE+INSERT pair with ISUPDATE true, and DELETE', async () => {
    await s.run('CREATE STREAM ST ON VIEW PEOPLE_V');
    await s.run("INSERT INTO PEOPLE VALUES (4, 'dan', 4)");
    await s.run("UPDATE PEOPLE SET NAME = 'BOB' WHERE ID = 2");
    await s.run('DELETE FROM PEOPLE WHERE ID = 3');
    const rows = await changes();
    expect(rows.map((r) => [r.ID, r.NAME, r.A, r.U])).toEqual([
      ['2', 'bob', 'DELETE', true],
      ['2', 'BOB', 'INSERT', true],
      ['3', 'cid', 'DELETE', false],
      ['4', 'dan', 'INSERT', false],
    ]);
    expect(rows[0]!.R).toBe(rows[1]!.R);
    expect(new Set(rows.map((r) => r.R)).size).toBe(3);
    expect((await s.rows("SELECT SYSTEM$STREAM_HAS_DATA('DEMO_DB.PUBLIC.ST') AS H"))[0]!.H).toBe(true);
  });

  it('insert-then-delete nets to nothing; insert-then-update is a plain INSERT of the new value', async () => {
    await s.run('CREATE STREAM ST ON VIEW PEOPLE_V');
    await s.run("INSERT INTO PEOPLE VALUES (5, 'eve', 5), (6, 'fay', 6)");
    await s.run('DELETE FROM PEOPLE WHERE ID = 5');
    await s.run("UPDATE PEOPLE SET NAME = 'FAY' WHERE ID = 6");
    expect((await changes()).map((r) => [r.ID, r.NAME, r.A, r.U])).toEqual([['6', 'FAY', 'INSERT', false]]);
  });

  it('keeps METADATA$ROW_ID stable per underlying row across offsets; a re-inserted row gets a new id', async () => {
    await s.run('CREATE STREAM ST ON VIEW PEOPLE_V');
    await s.run("UPDATE PEOPLE SET NAME = 'x' WHERE ID = 1");
    const first = (await changes())[0]!.R;
    await consume();
    await s.run("UPDATE PEOPLE SET NAME = 'y' WHERE ID = 1");
    const second = await changes();
    expect(second.map((r) => r.R)).toEqual([first, first]);
    await consume();
    await s.run('DELETE FROM PEOPLE WHERE ID = 1');
    await s.run("INSERT INTO PEOPLE VALUES (1, 'y', 1.50)");
    const third = await changes();
    expect(third.map((r) => [r.A, r.U])).toEqual([['DELETE', false], ['INSERT', false]]);
    expect(third[0]!.R).toBe(first);
    expect(third[1]!.R).not.toBe(first);
  });

  it('a row updated out of the view filter shows as a DELETE', async () => {
    await s.run('CREATE STREAM ST ON VIEW PEOPLE_V');
    await s.run('UPDATE PEOPLE SET ID = 500 WHERE ID = 3');
    expect((await changes()).map((r) => [r.ID, r.A])).toEqual([['3', 'DELETE']]);
  });

  it('streams on tables and APPEND_ONLY streams', async () => {
    await s.run('CREATE STREAM ST ON TABLE PEOPLE APPEND_ONLY = TRUE');
    await s.run("INSERT INTO PEOPLE VALUES (7, 'gus', 7)");
    await s.run('DELETE FROM PEOPLE WHERE ID = 1');
    await s.run("UPDATE PEOPLE SET NAME = 'Z' WHERE ID = 2");
    expect((await changes()).map((r) => [r.ID, r.A])).toEqual([['7', 'INSERT']]);
    expect((await s.rows('SHOW STREAMS LIKE \'ST\''))[0]).toMatchObject({ mode: 'APPEND_ONLY', source_type: 'Table', table_name: 'DEMO_DB.PUBLIC.PEOPLE' });
  });

  it('streams over joins and UNION ALL track every base table', async () => {
    await s.run('CREATE TABLE TEAMS (PERSON_ID NUMBER, TEAM VARCHAR)');
    await s.run("INSERT INTO TEAMS VALUES (1, 'red'), (2, 'blue')");
    await s.run('CREATE VIEW J AS SELECT p.ID, p.NAME, t.TEAM FROM PEOPLE p INNER JOIN TEAMS t ON t.PERSON_ID = p.ID UNION ALL SELECT ID, NAME, \'none\' FROM PEOPLE WHERE ID = 3');
    await s.run('CREATE STREAM ST ON VIEW J');
    await s.run("UPDATE TEAMS SET TEAM = 'green' WHERE PERSON_ID = 1");
    await s.run("UPDATE PEOPLE SET NAME = 'C' WHERE ID = 3");
    const rows = await s.rows('SELECT ID, TEAM, METADATA$ACTION AS A, METADATA$ISUPDATE AS U FROM ST ORDER BY ID, A');
    expect(rows.map((r) => [r.ID, r.TEAM, r.A, r.U])).toEqual([['1', 'red', 'DELETE', true], ['1', 'green', 'INSERT', true], ['3', 'none', 'DELETE', true], ['3', 'none', 'INSERT', true]]);
    expect((await s.rows('SHOW STREAMS'))[0]!.base_tables).toBe('DEMO_DB.PUBLIC.PEOPLE, DEMO_DB.PUBLIC.TEAMS');
  });
});

describe('views a stream cannot track (streams-intro, "Streams on views")', () => {
  it.each([
    ['GROUP BY', 'SELECT NAME, COUNT(*) AS N FROM PEOPLE GROUP BY NAME'],
    ['DISTINCT', 'SELECT DISTINCT NAME FROM PEOPLE'],
    ['LIMIT', 'SELECT ID, NAME FROM PEOPLE LIMIT 2'],
    ['QUALIFY', 'SELECT ID, NAME FROM PEOPLE QUALIFY ROW_NUMBER() OVER (PARTITION BY NAME ORDER BY ID) = 1'],
    ['outer joins', 'SELECT p.ID, o.ACTION FROM PEOPLE p LEFT JOIN OUTBOX o ON o.ID = p.ID'],
    ['subqueries not in the FROM clause', 'SELECT ID, NAME FROM PEOPLE WHERE ID IN (SELECT ID FROM OUTBOX)'],
  ])('refuses CREATE STREAM on a view with %s, creating nothing', async (what, select) => {
    await s.run(`CREATE VIEW BAD_V AS ${select}`);
    await expect(s.run('CREATE STREAM ST ON VIEW BAD_V')).rejects.toThrow(`it uses ${what}, which streams on views do not support`);
    expect(await s.rows("SHOW STREAMS LIKE 'ST'")).toEqual([]);
  });

  it('checks the views a view reads (nested views), and accepts subqueries in the FROM clause', async () => {
    await s.run('CREATE VIEW GROUPED_V AS SELECT NAME, COUNT(*) AS N FROM PEOPLE GROUP BY NAME');
    await s.run('CREATE VIEW OUTER_V AS SELECT NAME, N FROM GROUPED_V WHERE N > 0');
    await expect(s.run('CREATE STREAM ST ON VIEW OUTER_V')).rejects.toThrow("view 'DEMO_DB.PUBLIC.GROUPED_V': it uses GROUP BY");
    await s.run('CREATE VIEW FROM_SUBQUERY_V AS SELECT ID, NAME FROM (SELECT ID, NAME FROM PEOPLE WHERE ID > 1) p');
    await s.run('CREATE STREAM ST ON VIEW FROM_SUBQUERY_V');
  });
});

describe('stream offsets (reference §1.5)', () => {
  beforeEach(async () => {
    await s.run('CREATE STREAM ST ON VIEW PEOPLE_V SHOW_INITIAL_ROWS = TRUE');
  });

  it('a plain SELECT never advances the offset, even inside an explicit transaction', async () => {
    await s.run('SELECT * FROM ST');
    await s.run('BEGIN');
    await s.run('SELECT * FROM ST');
    await s.run('COMMIT');
    expect(await changes()).toHaveLength(3);
  });

  it('a DML statement reading the stream advances it at once in autocommit', async () => {
    const r = await consume();
    expect(r.rowsAffected).toBe(3);
    expect(await changes()).toEqual([]);
    expect((await s.rows('SELECT COUNT(*) AS N FROM OUTBOX'))[0]!.N).toBe('3');
    await s.run("INSERT INTO PEOPLE VALUES (8, 'hal', 8)");
    expect((await changes()).map((r) => r.ID)).toEqual(['8']);
  });

  it('in an explicit transaction the offset moves at COMMIT; until then every read returns the same rows', async () => {
    const other = await login(engine);
    await s.run('BEGIN TRANSACTION');
    await consume();
    expect(await changes()).toHaveLength(3);
    await other.run("INSERT INTO PEOPLE VALUES (9, 'ivy', 9)");
    expect(await changes()).toHaveLength(3);
    expect((await other.rows('SELECT COUNT(*) AS N FROM ST'))[0]!.N).toBe('4');
    await s.run('COMMIT');
    expect((await changes()).map((r) => r.ID)).toEqual(['9']);
    await other.raw.close();
  });

  it('ROLLBACK leaves the offset where it was (START TRANSACTION form)', async () => {
    await s.run('START TRANSACTION');
    await consume();
    await s.run('ROLLBACK');
    expect(await changes()).toHaveLength(3);
    expect((await s.rows('SELECT COUNT(*) AS N FROM OUTBOX'))[0]!.N).toBe('0');
  });

  it('closing a session rolls its transaction back, offset included', async () => {
    const other = await login(engine);
    await other.run('BEGIN');
    await other.run('INSERT INTO OUTBOX SELECT ID, METADATA$ACTION, METADATA$ISUPDATE FROM ST');
    await other.raw.close();
    expect(await changes()).toHaveLength(3);
  });

  it('CREATE TABLE AS SELECT from the stream consumes it; a WHERE 1=0 consumes without copying', async () => {
    await s.run('CREATE TABLE SNAP AS SELECT * FROM ST');
    expect((await s.rows('SELECT COUNT(*) AS N FROM SNAP'))[0]!.N).toBe('3');
    expect(await changes()).toEqual([]);
    await s.run("UPDATE PEOPLE SET NAME = 'q' WHERE ID = 1");
    await s.run('INSERT INTO OUTBOX SELECT ID, METADATA$ACTION, METADATA$ISUPDATE FROM ST WHERE 0 = 1');
    expect(await changes()).toEqual([]);
  });

  it('CREATE OR REPLACE STREAM resets the offset; AT(STREAM => …) keeps it', async () => {
    await consume();
    await s.run("UPDATE PEOPLE SET NAME = 'q' WHERE ID = 1");
    await s.run("CREATE OR REPLACE STREAM ST ON VIEW PEOPLE_V AT(STREAM => 'ST')");
    expect(await changes()).toHaveLength(2);
    await s.run('CREATE OR REPLACE STREAM ST ON VIEW PEOPLE_V');
    expect(await changes()).toEqual([]);
  });

  it('dropping a base table makes the stream stale', async () => {
    await s.run('DROP TABLE PEOPLE');
    await expect(s.run('SELECT * FROM ST')).rejects.toMatchObject({ code: '091901' });
    expect((await s.rows('SHOW STREAMS'))[0]!.stale).toBe('true');
  });
});

describe('change tracking and ownership (reference §1.2)', () => {
  beforeEach(async () => {
    await s.run('CREATE ROLE ANALYST');
    await s.run('GRANT ROLE ANALYST TO USER SANDBOX_USER');
  });

  it('the owner creating a stream enables change tracking on the view and its tables', async () => {
    expect((await s.rows("SHOW TABLES LIKE 'PEOPLE'"))[0]!.change_tracking).toBe('OFF');
    await s.run('CREATE STREAM ST ON VIEW PEOPLE_V');
    expect((await s.rows("SHOW TABLES LIKE 'PEOPLE'"))[0]!.change_tracking).toBe('ON');
    expect((await s.rows("SHOW VIEWS LIKE 'PEOPLE_V'"))[0]!.change_tracking).toBe('ON');
  });

  it('a role that does not own an untracked base table cannot create the stream; it can once the owner enables tracking', async () => {
    await s.run('USE ROLE ANALYST');
    await s.run('CREATE VIEW MINE AS SELECT ID, NAME FROM PEOPLE');
    const err = await s.run('CREATE STREAM ST ON VIEW MINE').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '003001', sqlState: '42501' });
    expect((err as Error).message).toContain('DEMO_DB.PUBLIC.PEOPLE');
    expect((await s.rows("SHOW VIEWS LIKE 'MINE'"))[0]!.change_tracking).toBe('OFF');
    await s.run('USE ROLE SYSADMIN');
    await s.run('ALTER TABLE PEOPLE SET CHANGE_TRACKING = TRUE');
    await s.run('USE ROLE ANALYST');
    await s.run('CREATE STREAM ST ON VIEW MINE');
    expect((await s.rows('SHOW STREAMS'))[0]).toMatchObject({ owner: 'ANALYST', source_type: 'View' });
  });

  it('ALTER TABLE … SET CHANGE_TRACKING by a non-owner fails with 003001', async () => {
    await s.run('USE ROLE ANALYST');
    await expect(s.run('ALTER TABLE PEOPLE SET CHANGE_TRACKING = TRUE')).rejects.toMatchObject({ code: '003001' });
  });
});

describe('large streams', () => {
  it('tracks 100 000 rows: initial load, 1 000 updates as 2 000 changes, consumption', async () => {
    await s.run('CREATE SCHEMA BIG');
    await seedCustomers((s.raw as unknown as Parameters<typeof seedCustomers>[0]), 100_000);
    await s.run('CREATE STREAM BIG_ST ON VIEW CUSTOMER_PROFILES SHOW_INITIAL_ROWS = TRUE');
    expect((await s.rows('SELECT COUNT(*) AS N, COUNT(DISTINCT METADATA$ROW_ID) AS R FROM BIG_ST'))[0]).toEqual({ N: '100000', R: '100000' });
    await s.run('CREATE TABLE SINK AS SELECT CUSTOMER_ID FROM BIG_ST');
    await s.run("UPDATE CUSTOMERS SET EMAIL = 'changed' || ID WHERE ID % 100 = 0");
    const rows = await s.rows('SELECT METADATA$ACTION AS A, METADATA$ISUPDATE AS U, COUNT(*) AS N FROM BIG_ST GROUP BY 1, 2 ORDER BY 1');
    expect(rows).toEqual([{ A: 'DELETE', U: true, N: '1000' }, { A: 'INSERT', U: true, N: '1000' }]);
    await s.run('INSERT INTO SINK SELECT CUSTOMER_ID FROM BIG_ST');
    expect((await s.rows('SELECT COUNT(*) AS N FROM BIG_ST'))[0]!.N).toBe('0');
    expect((await s.rows('SELECT COUNT(*) AS N FROM SINK'))[0]!.N).toBe('102000');
  });
});

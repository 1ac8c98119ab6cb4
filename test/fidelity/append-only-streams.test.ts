/**
 * APPEND_ONLY streams, as Snowflake's streams intro documents them ("Types of streams" > Append-only,
 * https://docs.snowflake.com/en/user-guide/streams-intro#types-of-streams): "Append-only streams track row inserts
 * only. Update, delete, and truncate operations are not recorded (i.e. an append-only stream doesn't remove rows).
 * For example, if 10 rows are inserted into a table and then 5 of those rows are deleted before the offset for an
 * append-only stream is advanced, the stream records 10 rows." A standard stream on the same table returns the net
 * change (5 rows). Both drivers, against the default stand-in account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { DRIVERS, FidelityClient } from './clients.js';

let standin: SnowflakeStandin;
beforeAll(async () => {
  standin = await startSnowflakeStandin();
});
afterAll(async () => {
  await standin.close();
});

const ids = (rows: Array<Record<string, string | null>>) => rows.map((r) => Number(r.ID)).sort((a, b) => a - b);

describe.each(DRIVERS)('APPEND_ONLY streams with %s', (driver) => {
  const tag = driver.includes('1.x') ? 'V1' : 'V3';

  it('10 rows inserted then 5 deleted before the offset advances: the append-only stream records 10 rows, the standard stream 5', async () => {
    const client = await FidelityClient.open(driver, standin);
    const table = `FID_AO_${tag}`;
    await client.run(`CREATE OR REPLACE TABLE ${table} (ID NUMBER, NAME VARCHAR)`);
    await client.run(`INSERT INTO ${table} VALUES (100, 'before the offset')`);
    await client.run(`CREATE OR REPLACE STREAM ${table}_AO ON TABLE ${table} APPEND_ONLY = TRUE`);
    await client.run(`CREATE OR REPLACE STREAM ${table}_STD ON TABLE ${table}`);
    await client.run(`INSERT INTO ${table} VALUES ${Array.from({ length: 10 }, (_, i) => `(${i + 1}, 'new')`).join(', ')}`);
    await client.run(`DELETE FROM ${table} WHERE ID > 5`);
    // A row that existed before the offset, deleted: a delete is not recorded by an append-only stream.
    await client.run(`DELETE FROM ${table} WHERE ID = 100`);

    const appendOnly = await client.run(`SELECT ID, METADATA$ACTION AS A, METADATA$ISUPDATE AS U FROM ${table}_AO`);
    expect(ids(appendOnly.rows)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(appendOnly.rows.map((r) => `${r.A}/${r.U}`))).toEqual(new Set(['INSERT/FALSE']));
    const standard = await client.run(`SELECT ID, METADATA$ACTION AS A FROM ${table}_STD`);
    expect(standard.rows.map((r) => `${r.ID}:${r.A}`).sort()).toEqual(['100:DELETE', '1:INSERT', '2:INSERT', '3:INSERT', '4:INSERT', '5:INSERT']);
    expect((await client.run(`SELECT SYSTEM$STREAM_HAS_DATA('${table}_AO') AS H`)).rows).toEqual([{ H: 'TRUE' }]);

    // Consuming advances the offset: the deleted rows are gone from the stream with the rest.
    await client.run(`CREATE OR REPLACE TABLE ${table}_SINK (ID NUMBER)`);
    const consumed = await client.run(`INSERT INTO ${table}_SINK SELECT ID FROM ${table}_AO`);
    expect(consumed.updated).toBe(10);
    expect((await client.run(`SELECT COUNT(*) AS N FROM ${table}_AO`)).rows).toEqual([{ N: '0' }]);
    await client.close();
  });

  it('TRUNCATE and a rolled-back DELETE remove nothing from an append-only stream; an UPDATE does not add a row', async () => {
    const client = await FidelityClient.open(driver, standin);
    const table = `FID_AO_T_${tag}`;
    await client.run(`CREATE OR REPLACE TABLE ${table} (ID NUMBER, NAME VARCHAR)`);
    await client.run(`CREATE OR REPLACE STREAM ${table}_AO ON TABLE ${table} APPEND_ONLY = TRUE`);
    await client.run(`INSERT INTO ${table} VALUES (1, 'a'), (2, 'b'), (3, 'c')`);
    await client.run('BEGIN');
    await client.run(`DELETE FROM ${table} WHERE ID = 1`);
    await client.run('ROLLBACK');
    await client.run(`UPDATE ${table} SET NAME = 'b2' WHERE ID = 2`);
    await client.run(`TRUNCATE TABLE ${table}`);
    const rows = (await client.run(`SELECT ID, METADATA$ACTION AS A FROM ${table}_AO`)).rows;
    expect(ids(rows)).toEqual([1, 2, 3]);
    expect(rows.every((r) => r.A === 'INSERT')).toBe(true);
    expect((await client.run(`SELECT COUNT(*) AS N FROM ${table}`)).rows).toEqual([{ N: '0' }]);
    await client.close();
  });
});

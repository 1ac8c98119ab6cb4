/**
 * TIMESTAMP_TZ values in the engine keep their own offset (standins/snowflake/engine/tz-values.ts): the ways a value
 * reaches a TZ column (INSERT lists and queries, DEFAULT, ALTER TABLE ADD COLUMN, CTAS, array binds), metadata, and
 * the aggregate fallback. The driver-level behaviour is in test/fidelity/timestamp-tz-offsets.test.ts.
 * https://docs.snowflake.com/en/sql-reference/data-types-datetime#timestamp-ltz-timestamp-ntz-timestamp-tz
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnowflakeEngine } from '../../standins/snowflake/engine/index.js';
import { demoEngine, login, type TestSession } from '../../standins/snowflake/engine/testing.js';

let engine: SnowflakeEngine;
let s: TestSession;

beforeAll(async () => {
  engine = await demoEngine('empty');
  s = await login(engine);
  await s.run('CREATE TABLE TZ_T (ID NUMBER, T TIMESTAMP_TZ, D DATE)');
  await s.run("INSERT INTO TZ_T (T, ID, D) VALUES ('2024-03-01 10:00:00 +02:00', 1, '2024-03-01'), ('2024-03-01T10:00:00-0500', 2, '2024-03-05')");
  await s.run("INSERT INTO TZ_T SELECT 3, '2024-03-01 10:00:00Z', NULL");
  await s.run('INSERT INTO TZ_T (ID, T) VALUES (?, ?)', [4, '2024-07-01 10:00:00']);
});

afterAll(async () => {
  await s.raw.close();
  await engine.close();
});

const text = async (sql: string) => (await s.rows(sql)).map((r) => r.V);

describe('TIMESTAMP_TZ values keep their own offset', () => {
  it('INSERT with a column list in another order, INSERT … SELECT, Z and ±HHMM, and a bind without offset (the session zone, PDT in July)', async () => {
    expect(await text('SELECT T::VARCHAR AS V FROM TZ_T ORDER BY ID')).toEqual([
      '2024-03-01 10:00:00.000 +0200', '2024-03-01 10:00:00.000 -0500', '2024-03-01 10:00:00.000 +0000', '2024-07-01 10:00:00.000 -0700',
    ]);
  });

  it('text in the RFC 2822 AUTO form keeps its offset when written into a TZ column (https://docs.snowflake.com/en/sql-reference/date-time-input-output#supported-formats-for-auto-detection)', async () => {
    await s.run('CREATE TABLE TZ_R (T TIMESTAMP_TZ)');
    await s.run('INSERT INTO TZ_R VALUES (?)', ['Thu, 21 Jan 2016 06:32:44 -0800']);
    expect(await text('SELECT T::VARCHAR AS V FROM TZ_R')).toEqual(['2016-01-21 06:32:44.000 -0800']);
  });

  it('casts out of TIMESTAMP_TZ: DATE, TIME and NTZ keep the wall time at the value\'s offset, LTZ the instant (https://docs.snowflake.com/en/sql-reference/data-types-datetime#data-type-conversion)', async () => {
    const r = await s.run("SELECT T::DATE AS D, T::TIME AS TM, TO_TIME(T) AS TT, T::TIMESTAMP_NTZ AS N, T::TIMESTAMP_LTZ AS L FROM TZ_T WHERE ID = 2");
    expect(r.columns.map((c) => c.type)).toEqual(['DATE', 'TIME', 'TIME', 'TIMESTAMP_NTZ', 'TIMESTAMP_LTZ']);
    // 2024-03-01 10:00:00 -05:00 is 15:00 UTC.
    expect(r.rows[0]).toEqual(['2024-03-01', '10:00:00.000000000', '10:00:00.000000000', 1709287200000000000n, 1709305200000000000n]);
  });

  it('DESCRIBE, INFORMATION_SCHEMA and the result metadata say TIMESTAMP_TZ; NULL stays NULL', async () => {
    const describe = await s.rows('DESCRIBE TABLE TZ_T');
    expect(describe.find((r) => r.name === 'T')!.type).toBe('TIMESTAMP_TZ(9)');
    expect((await s.rows("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'TZ_T' AND COLUMN_NAME = 'T'"))[0]!.DATA_TYPE).toBe('TIMESTAMP_TZ');
    const r = await s.run('SELECT T, CAST(NULL AS TIMESTAMP_TZ) AS N FROM TZ_T WHERE ID = 1');
    expect(r.columns.map((c) => c.type)).toEqual(['TIMESTAMP_TZ', 'TIMESTAMP_TZ']);
    expect(r.rows[0]).toEqual([{ epochNanos: 1709280000000000000n, offsetMinutes: 120 }, null]);
  });

  it('a DEFAULT, a column added later and a CTAS copy keep offsets', async () => {
    await s.run("CREATE TABLE TZ_D (ID NUMBER, T TIMESTAMP_TZ DEFAULT '2024-01-01 00:00:00 +09:00'::TIMESTAMP_TZ, N TIMESTAMP_TZ DEFAULT CURRENT_TIMESTAMP())");
    await s.run('INSERT INTO TZ_D (ID) VALUES (1)');
    expect(await text('SELECT T::VARCHAR AS V FROM TZ_D')).toEqual(['2024-01-01 00:00:00.000 +0900']);
    expect((await s.rows('SELECT N IS NOT NULL AS X FROM TZ_D'))[0]!.X).toBe(true);
    await s.run('ALTER TABLE TZ_D ADD COLUMN U TIMESTAMP_TZ');
    await s.run("UPDATE TZ_D SET U = '2024-02-02 02:02:02 -03:30'");
    expect(await text('SELECT U::VARCHAR AS V FROM TZ_D')).toEqual(['2024-02-02 02:02:02.000 -0330']);
    await s.run('CREATE TABLE TZ_C AS SELECT ID, T FROM TZ_T');
    expect(await text('SELECT T::VARCHAR AS V FROM TZ_C WHERE ID = 2')).toEqual(['2024-03-01 10:00:00.000 -0500']);
  });

  it('array binds write each row through the same path', async () => {
    await s.raw.execute('INSERT INTO TZ_D (ID, T) VALUES (?, ?)', [{ type: 'FIXED', value: ['2', '3'] }, { type: 'TEXT', value: ['2024-05-05 05:00:00 +01:00', '2024-05-05 05:00:00 -01:00'] }]);
    expect(await text('SELECT T::VARCHAR AS V FROM TZ_D WHERE ID > 1 ORDER BY T')).toEqual(['2024-05-05 05:00:00.000 +0100', '2024-05-05 05:00:00.000 -0100']);
  });

  it('aggregates: MIN / MAX order by instant and keep the offset; other aggregates in comparisons and casts work as before', async () => {
    const [row] = await s.rows('SELECT MIN(T)::VARCHAR AS MI, MAX(T)::VARCHAR AS MA, COUNT(*)::VARCHAR AS C, MAX(D)::TIMESTAMP_NTZ::VARCHAR AS DN, DATE_PART(YEAR, MAX(D)) AS Y FROM TZ_T');
    expect(row).toEqual({ MI: '2024-03-01 10:00:00.000 +0200', MA: '2024-07-01 10:00:00.000 -0700', C: '4', DN: '2024-03-05 00:00:00.000', Y: '2024' });
    expect(await s.rows('SELECT ID FROM TZ_T GROUP BY ID HAVING COUNT(*) > 0 AND MAX(ID) >= 3 ORDER BY ID')).toEqual([{ ID: '3' }, { ID: '4' }]);
    expect(await s.rows('SELECT ID FROM TZ_T QUALIFY ROW_NUMBER() OVER (ORDER BY T) = 1')).toEqual([{ ID: '1' }]);
  });

  it('an unsupported function on a TIMESTAMP_TZ value names the type as Snowflake does, not the struct underneath', async () => {
    const err = await s.run('SELECT LAST_DAY(T) FROM TZ_T').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).not.toMatch(/sf_utc|STRUCT|TIMESTAMP WITH TIME ZONE/i);
  });
});

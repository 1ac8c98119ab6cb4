/**
 * Dates and timestamps as text and TIMESTAMP_TZ offsets, through both drivers: `::VARCHAR` / TO_VARCHAR follow the
 * *_OUTPUT_FORMAT parameters (session or request), TIMESTAMP_LTZ / TZ are shown in the session TIMEZONE, and a
 * TIMESTAMP_TZ value written without an offset carries the session zone's offset on the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { DRIVERS, FidelityClient } from './clients.js';
import { probeSuite } from './probe-runner.js';

probeSuite('dates and timestamps as text', [
  {
    title: "::VARCHAR and TO_VARCHAR use the default output formats: NTZ 'YYYY-MM-DD HH24:MI:SS.FF3', LTZ 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' in the session TIMEZONE, TZ the same at the value's own offset, DATE 'YYYY-MM-DD' (https://docs.snowflake.com/en/sql-reference/parameters#timestamp-output-format, https://docs.snowflake.com/en/sql-reference/date-time-input-output#output-formats, https://docs.snowflake.com/en/sql-reference/data-types-datetime#timestamp-ltz-timestamp-ntz-timestamp-tz)",
    sql: "SELECT '2024-03-01 10:00:00'::TIMESTAMP_NTZ::VARCHAR AS N, TO_VARCHAR('2024-07-01 10:00:00.5'::TIMESTAMP_LTZ) AS L, '2024-03-01'::DATE::VARCHAR AS D, TO_CHAR('2024-03-01 10:00:00 +02:00'::TIMESTAMP_TZ) AS Z",
    rows: [{ N: '2024-03-01 10:00:00.000', L: '2024-07-01 10:00:00.500 -0700', D: '2024-03-01', Z: '2024-03-01 10:00:00.000 +0200' }],
  },
  {
    title: "TO_VARCHAR with TZH:TZM prints the offset as ±HH:MM (https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions)",
    sql: "SELECT TO_VARCHAR('2024-03-01 10:00:00'::TIMESTAMP_LTZ, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM') AS A, TO_VARCHAR('2024-03-01 10:00:00'::TIMESTAMP_LTZ, 'HH24 TZHTZM') AS B",
    rows: [{ A: '2024-03-01T10:00:00-08:00', B: '10 -0800' }],
  },
  {
    title: 'output formats sent with the request apply to TO_VARCHAR in that statement (https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-execute, https://docs.snowflake.com/en/sql-reference/parameters#timestamp-ltz-output-format)',
    sql: "SELECT TO_VARCHAR('2024-03-01 10:00:00'::TIMESTAMP_LTZ) AS L, TO_VARCHAR('2024-03-01'::DATE) AS D",
    parameters: { TIMESTAMP_LTZ_OUTPUT_FORMAT: 'YYYY-MM-DD"T"HH24:MI:SS.FF3TZH:TZM', DATE_OUTPUT_FORMAT: 'DD/MM/YYYY' },
    rows: [{ L: '2024-03-01T10:00:00.000-08:00', D: '01/03/2024' }],
  },
  {
    title: 'a TIMESTAMP_TZ value written without an offset takes the session TIMEZONE offset, also after a daylight saving change (https://docs.snowflake.com/en/sql-reference/data-types-datetime#timestamp-ltz-timestamp-ntz-timestamp-tz)',
    setup: ['CREATE OR REPLACE TABLE FID_TZ (T TIMESTAMP_TZ)', "INSERT INTO FID_TZ VALUES ('2024-03-01 10:00:00'), ('2024-07-01 10:00:00')"],
    sql: 'SELECT T FROM FID_TZ ORDER BY T',
    columns: [{ name: 'T', type: 'timestamp_tz' }],
    rows: [{ T: '2024-03-01 10:00:00.000 -0800' }, { T: '2024-07-01 10:00:00.000 -0700' }],
  },
  {
    title: "CAST(x AS VARCHAR | BOOLEAN | BINARY) reads x as x::type does: output formats, 'on' is TRUE, text is HEX; TRY_CAST gives NULL for what it cannot read (https://docs.snowflake.com/en/sql-reference/functions/cast, https://docs.snowflake.com/en/sql-reference/data-types-logical#conversion-to-boolean)",
    sql: "SELECT CAST('2024-03-01 10:00:00'::TIMESTAMP_NTZ AS VARCHAR) AS A, CAST('on' AS BOOLEAN) AS B, CAST('48656C6C6F' AS BINARY) AS C, TRY_CAST('maybe' AS BOOLEAN) IS NULL AS D, CAST(12 AS VARCHAR) AS E",
    rows: [{ A: '2024-03-01 10:00:00.000', B: 'TRUE', C: '48656C6C6F', D: 'TRUE', E: '12' }],
  },
  {
    title: 'a cast to TIMESTAMP_TZ and TO_TIMESTAMP_TZ are typed TIMESTAMP_TZ, a cast to TIMESTAMP_LTZ stays LTZ (https://docs.snowflake.com/en/sql-reference/functions/to_timestamp)',
    sql: "SELECT '2024-03-01 10:00:00'::TIMESTAMP_TZ AS A, CAST('2024-03-01 10:00:00' AS TIMESTAMP_TZ) B, TO_TIMESTAMP_TZ('2024-03-01 10:00:00') AS C, '2024-03-01 10:00:00'::TIMESTAMP_LTZ AS D, ?::TIMESTAMP_TZ AS E",
    binds: ['2024-03-01 10:00:00'],
    columns: [{ type: 'timestamp_tz' }, { type: 'timestamp_tz' }, { type: 'timestamp_tz' }, { type: 'timestamp_ltz' }, { type: 'timestamp_tz' }],
  },
]);

describe.each(DRIVERS)('session output formats with %s', (driver) => {
  let standin: SnowflakeStandin;
  beforeAll(async () => {
    standin = await startSnowflakeStandin({ seed: 'demo' });
  });
  afterAll(async () => {
    await standin.close();
  });

  it('ALTER SESSION SET TIMESTAMP_NTZ_OUTPUT_FORMAT / TIMESTAMP_TZ_OUTPUT_FORMAT changes ::VARCHAR and what the driver shows (https://docs.snowflake.com/en/sql-reference/parameters#timestamp-ntz-output-format)', async () => {
    const client = await FidelityClient.open(driver, standin);
    await client.run("ALTER SESSION SET TIMESTAMP_NTZ_OUTPUT_FORMAT = 'DD/MM/YYYY HH24:MI', TIMESTAMP_TZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI TZH:TZM'");
    const { rows } = await client.run("SELECT '2024-03-01 10:00:00'::TIMESTAMP_NTZ::VARCHAR AS S, '2024-03-01 10:00:00'::TIMESTAMP_NTZ AS N, TO_TIMESTAMP_TZ('2024-03-01 10:00:00') AS Z");
    expect(rows).toEqual([{ S: '01/03/2024 10:00', N: '01/03/2024 10:00', Z: '2024-03-01 10:00 -08:00' }]);
    await client.run("ALTER SESSION UNSET TIMESTAMP_NTZ_OUTPUT_FORMAT");
    expect((await client.run("SELECT '2024-03-01 10:00:00'::TIMESTAMP_NTZ::VARCHAR AS S")).rows).toEqual([{ S: '2024-03-01 10:00:00.000' }]);
    await client.close();
  });
});

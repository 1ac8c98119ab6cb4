/**
 * TIMESTAMP_TZ values keep the offset each was written with, through both drivers: "TIMESTAMP_TZ internally stores
 * UTC time together with an associated time zone offset. When a time zone isn't provided, the session time zone
 * offset is used" (https://docs.snowflake.com/en/sql-reference/data-types-datetime#timestamp-ltz-timestamp-ntz-timestamp-tz).
 * The session TIMEZONE is the default America/Los_Angeles (-08:00 on 2024-03-01).
 */
import { expect } from 'vitest';
import { probeSuite } from './probe-runner.js';

const DOC = 'https://docs.snowflake.com/en/sql-reference/data-types-datetime#timestamp-ltz-timestamp-ntz-timestamp-tz';
const TABLE = [
  'CREATE OR REPLACE TABLE FID_TZO (ID NUMBER, T TIMESTAMP_TZ)',
  'CREATE OR REPLACE VIEW FID_TZO_V AS SELECT ID, T FROM FID_TZO',
  'CREATE OR REPLACE STREAM FID_TZO_S ON TABLE FID_TZO',
  'CREATE OR REPLACE STREAM FID_TZO_VS ON VIEW FID_TZO_V',
  "INSERT INTO FID_TZO VALUES (1, '2024-03-01 10:00:00 +02:00'), (2, '2024-03-01 10:00:00 -05:00'), (3, '2024-03-01 10:00:00')",
];
const STORED = [{ ID: '1', T: '2024-03-01 10:00:00.000 +0200' }, { ID: '2', T: '2024-03-01 10:00:00.000 -0500' }, { ID: '3', T: '2024-03-01 10:00:00.000 -0800' }];

probeSuite('TIMESTAMP_TZ values keep their own offset', [
  {
    title: `an explicit +02:00 comes back as +0200, as text and as a TIMESTAMP_TZ cell (${DOC})`,
    sql: "SELECT '2024-03-01 10:00:00 +02:00'::TIMESTAMP_TZ::VARCHAR AS V, '2024-03-01 10:00:00 +02:00'::TIMESTAMP_TZ AS T",
    columns: [{ name: 'V', type: 'text' }, { name: 'T', type: 'timestamp_tz' }],
    rows: [{ V: '2024-03-01 10:00:00.000 +0200', T: '2024-03-01 10:00:00.000 +0200' }],
  },
  {
    title: `rows written into a TIMESTAMP_TZ column with +02:00, -05:00 and no offset (the session zone's) keep them; ORDER BY follows the instant (${DOC})`,
    setup: TABLE,
    sql: 'SELECT ID, T FROM FID_TZO ORDER BY T',
    rows: STORED,
  },
  {
    title: `a view over the table shows each row's own offset (${DOC})`,
    setup: TABLE,
    sql: 'SELECT * FROM FID_TZO_V ORDER BY ID',
    columns: [{ name: 'ID' }, { name: 'T', type: 'timestamp_tz' }],
    rows: STORED,
  },
  {
    title: `streams on the table and on the view return each row with its own offset (${DOC}, https://docs.snowflake.com/en/user-guide/streams-intro)`,
    setup: TABLE,
    sql: 'SELECT s.ID, s.T, v.T AS VT FROM FID_TZO_S s JOIN FID_TZO_VS v ON s.ID = v.ID ORDER BY s.ID',
    rows: STORED.map((r) => ({ ...r, VT: r.T })),
  },
  {
    title: `UPDATE and MERGE write the offset of the value they set (${DOC})`,
    setup: [...TABLE, "UPDATE FID_TZO SET T = '2024-05-05 05:05:05 +05:30' WHERE ID = 1",
      "MERGE INTO FID_TZO USING (SELECT 2 AS ID, '2024-01-01 00:00:00 -03:00' AS T UNION ALL SELECT 4, '2024-01-01 00:00:00 +09:00') s ON FID_TZO.ID = s.ID WHEN MATCHED THEN UPDATE SET T = s.T WHEN NOT MATCHED THEN INSERT (ID, T) VALUES (s.ID, s.T)"],
    sql: 'SELECT ID, T::VARCHAR AS V FROM FID_TZO ORDER BY ID',
    rows: [{ ID: '1', V: '2024-05-05 05:05:05.000 +0530' }, { ID: '2', V: '2024-01-01 00:00:00.000 -0300' }, { ID: '3', V: '2024-03-01 10:00:00.000 -0800' }, { ID: '4', V: '2024-01-01 00:00:00.000 +0900' }],
  },
  {
    title: `a bound text value with an offset keeps it; a bound Date is sent as UTC text ('…Z') and keeps +00:00 (${DOC}, https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-execute#binding-statement-parameters)`,
    setup: ['CREATE OR REPLACE TABLE FID_TZO_B (T TIMESTAMP_TZ)'],
    sql: 'SELECT ?::TIMESTAMP_TZ AS A, ?::TIMESTAMP_TZ AS B',
    binds: ['2024-03-01 10:00:00 -05:00', new Date('2024-03-01T08:00:00Z')],
    rows: [{ A: '2024-03-01 10:00:00.000 -0500', B: '2024-03-01 08:00:00.000 +0000' }],
  },
  {
    title: `comparisons, BETWEEN and IN use the UTC time: the same instant written with two offsets is equal, and a row matches a literal of its instant in another offset (docs silent on a separate rule: the stored UTC time, ${DOC})`,
    setup: TABLE,
    sql: "SELECT '2024-03-01 10:00:00 +02:00'::TIMESTAMP_TZ = '2024-03-01 08:00:00 Z'::TIMESTAMP_TZ AS E, (SELECT MIN(ID) || '-' || MAX(ID) FROM FID_TZO WHERE T >= '2024-03-01 15:00:00 +00:00'::TIMESTAMP_TZ) AS L, (SELECT COUNT(*) FROM FID_TZO WHERE T = '2024-03-01 03:00:00 -05:00'::TIMESTAMP_TZ) AS N, (SELECT COUNT(*) FROM FID_TZO WHERE T BETWEEN '2024-03-01 08:00:00 +00:00'::TIMESTAMP_TZ AND '2024-03-01 10:00:00 -05:00'::TIMESTAMP_TZ) AS B, (SELECT COUNT(*) FROM FID_TZO WHERE T IN ('2024-03-01 08:00:00 Z'::TIMESTAMP_TZ, '2024-03-01 13:00:00 -05:00'::TIMESTAMP_TZ) AND T NOT IN ('2024-03-01 03:00:00 -05:00'::TIMESTAMP_TZ)) AS I",
    rows: [{ E: 'TRUE', L: '2-3', N: '1', B: '2', I: '1' }],
  },
  {
    title: 'DATEADD keeps the offset; TO_VARCHAR with TZH:TZM and DATE_PART(TIMEZONE_HOUR | TIMEZONE_MINUTE | HOUR) use the value\'s own offset (https://docs.snowflake.com/en/sql-reference/functions/dateadd, https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions, https://docs.snowflake.com/en/sql-reference/functions/date_part)',
    sql: "SELECT DATEADD(day, 1, '2024-03-01 10:00:00 +05:30'::TIMESTAMP_TZ)::VARCHAR AS D, DATEADD(hour, 2, '2024-03-01 10:00:00 -05:00'::TIMESTAMP_TZ) AS H, TO_VARCHAR('2024-03-01 10:00:00 +05:30'::TIMESTAMP_TZ, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM') AS F, DATE_PART(TIMEZONE_HOUR, '2024-03-01 10:00:00 -05:30'::TIMESTAMP_TZ) AS TH, DATE_PART(TIMEZONE_MINUTE, '2024-03-01 10:00:00 -05:30'::TIMESTAMP_TZ) AS TM, DATE_PART(HOUR, '2024-03-01 10:00:00 +02:00'::TIMESTAMP_TZ) AS HR",
    rows: [{ D: '2024-03-02 10:00:00.000 +0530', H: '2024-03-01 12:00:00.000 -0500', F: '2024-03-01T10:00:00+05:30', TH: '-5', TM: '-30', HR: '10' }],
  },
  {
    title: 'DATE_TRUNC truncates in the value\'s own offset and keeps it; HOUR / DAY are its wall-clock parts; || converts it to text in the output format (https://docs.snowflake.com/en/sql-reference/functions/date_trunc, https://docs.snowflake.com/en/sql-reference/functions/year, https://docs.snowflake.com/en/sql-reference/functions/concat)',
    sql: "SELECT DATE_TRUNC('DAY', '2024-03-01 23:30:00 +02:00'::TIMESTAMP_TZ) AS T, HOUR('2024-03-01 23:30:00 +02:00'::TIMESTAMP_TZ) AS H, DAY('2024-03-01 23:30:00 +02:00'::TIMESTAMP_TZ) AS D, 'at ' || '2024-03-01 23:30:00 +02:00'::TIMESTAMP_TZ AS C",
    rows: [{ T: '2024-03-01 00:00:00.000 +0200', H: '23', D: '1', C: 'at 2024-03-01 23:30:00.000 +0200' }],
  },
  {
    title: 'CONVERT_TIMEZONE(target, ts) returns a TIMESTAMP_TZ at the target zone\'s offset for that instant (https://docs.snowflake.com/en/sql-reference/functions/convert_timezone)',
    sql: "SELECT CONVERT_TIMEZONE('Asia/Tokyo', '2024-03-01 10:00:00 +02:00'::TIMESTAMP_TZ) AS T, CONVERT_TIMEZONE('America/New_York', '2024-07-01 12:00:00 +00:00'::TIMESTAMP_TZ)::VARCHAR AS N",
    columns: [{ name: 'T', type: 'timestamp_tz' }, { name: 'N', type: 'text' }],
    rows: [{ T: '2024-03-01 17:00:00.000 +0900', N: '2024-07-01 08:00:00.000 -0400' }],
  },
  {
    title: 'TIMESTAMP_TZ text uses TIMESTAMP_TZ_OUTPUT_FORMAT, LTZ text TIMESTAMP_LTZ_OUTPUT_FORMAT, each falling back to TIMESTAMP_OUTPUT_FORMAT when empty (https://docs.snowflake.com/en/sql-reference/parameters#timestamp-tz-output-format, https://docs.snowflake.com/en/sql-reference/parameters#timestamp-ltz-output-format)',
    sql: "SELECT TO_VARCHAR('2024-03-01 10:00:00'::TIMESTAMP_LTZ) AS L, TO_VARCHAR('2024-03-01 10:00:00 +02:00'::TIMESTAMP_TZ) AS Z",
    parameters: { TIMESTAMP_LTZ_OUTPUT_FORMAT: 'DD/MM/YYYY HH24:MI TZH:TZM' },
    rows: [{ L: '01/03/2024 10:00 -08:00', Z: '2024-03-01 10:00:00.000 +0200' }],
  },
  {
    title: 'a TIMESTAMP_TZ_OUTPUT_FORMAT applies to TIMESTAMP_TZ text only, not to LTZ (https://docs.snowflake.com/en/sql-reference/parameters#timestamp-tz-output-format)',
    sql: "SELECT TO_VARCHAR('2024-03-01 10:00:00'::TIMESTAMP_LTZ) AS L, TO_VARCHAR('2024-03-01 10:00:00 +02:00'::TIMESTAMP_TZ) AS Z",
    parameters: { TIMESTAMP_TZ_OUTPUT_FORMAT: 'HH24:MI TZHTZM' },
    rows: [{ L: '2024-03-01 10:00:00.000 -0800', Z: '10:00 +0200' }],
    check: (result) => expect(result.columns.map((c) => c.type)).toEqual(['text', 'text']),
  },
], { seed: 'demo' });

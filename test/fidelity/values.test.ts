/** Values and types as Snowflake documents them, seen through both drivers (cells fetched as strings). */
import { probeSuite } from './probe-runner.js';

probeSuite('values and types', [
  {
    title: "a string cast to BINARY is read as HEX, the default BINARY_INPUT_FORMAT (https://docs.snowflake.com/en/sql-reference/binary-input-output)",
    sql: "SELECT '48656C6C6F'::BINARY AS B, TO_VARCHAR('48656C6C6F'::BINARY, 'UTF-8') = 'Hello' AS OK",
    rows: [{ B: '48656C6C6F', OK: 'TRUE' }],
    columns: [{ name: 'B', type: 'binary' }, { name: 'OK', type: 'boolean' }],
  },
  {
    title: "'on'/'off'/'yes'/'n' cast to BOOLEAN (https://docs.snowflake.com/en/sql-reference/data-types-logical#conversion-to-boolean)",
    sql: "SELECT 'on'::BOOLEAN AS A, 'OFF'::BOOLEAN AS B, TO_BOOLEAN('yes') AS C, 'n'::BOOLEAN AS D, 0::BOOLEAN AS E, 7::BOOLEAN AS F",
    rows: [{ A: 'TRUE', B: 'FALSE', C: 'TRUE', D: 'FALSE', E: 'FALSE', F: 'TRUE' }],
  },
  {
    title: "an offset after a space is an AUTO timestamp form: '2024-03-01 10:00:00 +02:00' is 08:00 UTC (https://docs.snowflake.com/en/sql-reference/date-time-input-output#supported-formats-for-auto-detection)",
    sql: "SELECT DATE_PART(EPOCH_SECOND, '2024-03-01 10:00:00 +02:00'::TIMESTAMP_TZ) AS S",
    rows: [{ S: String(Date.UTC(2024, 2, 1, 8) / 1000) }],
  },
  {
    title: "the RFC 2822 form 'Thu, 21 Jan 2016 06:32:44 -0800' is an AUTO timestamp form (https://docs.snowflake.com/en/sql-reference/date-time-input-output#supported-formats-for-auto-detection)",
    sql: "SELECT DATE_PART(EPOCH_SECOND, 'Thu, 21 Jan 2016 06:32:44 -0800'::TIMESTAMP_TZ) AS S",
    rows: [{ S: String(Date.UTC(2016, 0, 21, 14, 32, 44) / 1000) }],
  },
  {
    title: "a value with an offset cast to TIMESTAMP_NTZ drops the offset (https://docs.snowflake.com/en/sql-reference/data-types-datetime#timestamp-ntz)",
    sql: "SELECT '2024-03-01T10:00:00+02:00'::TIMESTAMP_NTZ AS A, '2024-03-01 10:00:00 +02:00'::TIMESTAMP_NTZ AS B",
    rows: [{ A: '2024-03-01 10:00:00.000', B: '2024-03-01 10:00:00.000' }],
    columns: [{ type: 'timestamp_ntz' }, { type: 'timestamp_ntz' }],
  },
  {
    title: 'TIMESTAMP_LTZ is read in the session TIMEZONE, default America/Los_Angeles (https://docs.snowflake.com/en/sql-reference/parameters#timezone)',
    sql: "SELECT '2024-03-01 10:00:00'::TIMESTAMP_LTZ AS T, DATE_PART(EPOCH_SECOND, '2024-03-01 10:00:00'::TIMESTAMP_LTZ) AS S",
    rows: [{ T: '2024-03-01 10:00:00.000 -0800', S: String(Date.UTC(2024, 2, 1, 18) / 1000) }],
    columns: [{ type: 'timestamp_ltz' }, { type: 'fixed' }],
  },
  {
    title: 'TO_CHAR / TO_VARCHAR with a date/time format model (https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions)',
    sql: "SELECT TO_CHAR('2024-03-01 13:04:05.123'::TIMESTAMP_NTZ, 'DD/MM/YYYY HH24:MI:SS.FF3') AS A, TO_VARCHAR('2024-03-01'::DATE, 'MON DD, YYYY') AS B, TO_VARCHAR('2024-03-01'::DATE, 'YYYY\"-Q\"MM') AS C",
    rows: [{ A: '01/03/2024 13:04:05.123', B: 'Mar 01, 2024', C: '2024-Q03' }],
  },
  {
    title: "TO_VARCHAR of BINARY with 'UTF-8' / 'HEX' / 'BASE64' (https://docs.snowflake.com/en/sql-reference/functions/to_char)",
    sql: "SELECT TO_VARCHAR('48656C6C6F'::BINARY, 'UTF-8') AS U, TO_VARCHAR('48656C6C6F'::BINARY, 'HEX') AS H, TO_VARCHAR('48656C6C6F'::BINARY, 'BASE64') AS B",
    rows: [{ U: 'Hello', H: '48656C6C6F', B: 'SGVsbG8=' }],
  },
  {
    title: 'DATE_PART(TIMEZONE_HOUR, …) of a TIMESTAMP_LTZ is the session TIMEZONE offset; YEAR of a DATE (https://docs.snowflake.com/en/sql-reference/functions/date_part)',
    sql: "SELECT DATE_PART(TIMEZONE_HOUR, '2024-03-01 10:00:00'::TIMESTAMP_LTZ) AS H, DATE_PART(YEAR, '2024-03-01'::DATE) AS Y, DATE_PART('month', '2024-03-01'::DATE) AS M",
    rows: [{ H: '-8', Y: '2024', M: '3' }],
    columns: [{ type: 'fixed' }, { type: 'fixed' }, { type: 'fixed' }],
  },
  {
    title: "VARIANT paths v:a.b[1], v['k'] and GET; a missing key is NULL (https://docs.snowflake.com/en/user-guide/querying-semistructured, https://docs.snowflake.com/en/sql-reference/functions/get)",
    sql: "SELECT V:a.b[1]::STRING AS S, V:a.b[0] AS N, V['Name']::VARCHAR AS NM, GET(V:a.b, 0) AS G0, V:nope AS MISSING FROM (SELECT PARSE_JSON('{\"a\":{\"b\":[10,\"x\"]},\"Name\":\"Bo\"}') AS V)",
    rows: [{ S: 'x', N: '10', NM: 'Bo', G0: '10', MISSING: null }],
  },
  {
    title: 'ARRAY_CONSTRUCT takes values of different types (https://docs.snowflake.com/en/sql-reference/functions/array_construct)',
    sql: "SELECT ARRAY_CONSTRUCT(1, 'a', TRUE) AS A",
    check: (result) => {
      if (JSON.stringify(JSON.parse(result.rows[0]!.A!)) !== '[1,"a",true]') throw new Error(String(result.rows[0]!.A));
    },
  },
  {
    title: 'TRY_TO_NUMBER gives NULL for text that is not a number; TO_NUMBER(x, p, s) rounds to scale s; TO_TIME (https://docs.snowflake.com/en/sql-reference/functions/to_decimal, https://docs.snowflake.com/en/sql-reference/functions/to_time)',
    sql: "SELECT TRY_TO_NUMBER('12x') IS NULL AS T, TO_NUMBER('12.345', 10, 2) AS N, TO_TIME('13:04:05') AS TM",
    rows: [{ T: 'TRUE', N: '12.35', TM: '13:04:05' }],
    columns: [{ type: 'boolean' }, { type: 'fixed', scale: 2 }, { type: 'time' }],
  },
  {
    title: 'CONVERT_TIMEZONE(source, target, ntz) gives the wall time in target (https://docs.snowflake.com/en/sql-reference/functions/convert_timezone)',
    sql: "SELECT CONVERT_TIMEZONE('UTC', 'Europe/Paris', '2024-03-01 10:00:00'::TIMESTAMP_NTZ) AS C",
    rows: [{ C: '2024-03-01 11:00:00.000' }],
    columns: [{ type: 'timestamp_ntz' }],
  },
  {
    title: 'TRUNCATE TABLE deletes every row and answers a status (https://docs.snowflake.com/en/sql-reference/sql/truncate-table)',
    setup: ['CREATE OR REPLACE TABLE FID_TRUNC (N NUMBER)', 'INSERT INTO FID_TRUNC VALUES (1), (2)', 'TRUNCATE TABLE FID_TRUNC'],
    sql: 'SELECT COUNT(*) AS C FROM FID_TRUNC',
    rows: [{ C: '0' }],
  },
  {
    title: 'TYPEOF names the type of a VARIANT value (https://docs.snowflake.com/en/sql-reference/functions/typeof)',
    sql: "SELECT TYPEOF(PARSE_JSON('1')) AS I, TYPEOF(PARSE_JSON('1.5')) AS D, TYPEOF(PARSE_JSON('\"x\"')) AS S, TYPEOF(PARSE_JSON('[1]')) AS A, TYPEOF(PARSE_JSON('{}')) AS O, TYPEOF(PARSE_JSON('null')) AS N",
    rows: [{ I: 'INTEGER', D: 'DECIMAL', S: 'VARCHAR', A: 'ARRAY', O: 'OBJECT', N: 'NULL_VALUE' }],
  },
  {
    title: 'quoted identifiers are case-sensitive: "Col" and ID are found as written (https://docs.snowflake.com/en/sql-reference/identifiers-syntax#double-quoted-identifiers)',
    setup: ['CREATE OR REPLACE TABLE FID_CASE ("Col" NUMBER, ID NUMBER, "low" NUMBER)', 'INSERT INTO FID_CASE VALUES (1, 2, 3)'],
    sql: 'SELECT "Col", "ID", id, "low", t."Col" AS "c2" FROM FID_CASE t WHERE "ID" = 2',
    rows: [{ Col: '1', ID: '2', low: '3', c2: '1' }],
  },
  {
    title: 'MERGE, UPDATE, INSERT counts come back as FIXED columns that are not nullable (https://docs.snowflake.com/en/sql-reference/sql/insert)',
    setup: ['CREATE OR REPLACE TABLE FID_NULLS (N NUMBER)'],
    sql: 'INSERT INTO FID_NULLS VALUES (1)',
    columns: [{ name: 'number of rows inserted', type: 'fixed', nullable: false }],
  },
]);

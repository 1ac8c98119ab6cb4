/** Numbers, dates arithmetic, PARSE_JSON leniency and result nullability as Snowflake documents them, through both drivers. */
import { probeSuite } from './probe-runner.js';

const ARITH = 'https://docs.snowflake.com/en/sql-reference/operators-arithmetic#division';
const TABLE = ['CREATE OR REPLACE TABLE FID_NUM (N NUMBER(10,2) NOT NULL, M NUMBER, F FLOAT)', 'INSERT INTO FID_NUM VALUES (1.5, 1, 1.0), (2.25, NULL, 2.0)'];

probeSuite('numbers and semi-structured values', [
  {
    title: `NUMBER / NUMBER is a NUMBER of scale max(S1, min(S1 + 6, 12)): 1/3 = 0.333333, 1.5/3 = 0.5000000 (${ARITH})`,
    sql: 'SELECT 1/3 AS A, 10/4 AS B, 1.5/3 AS C, 2/3*3 AS D',
    rows: [{ A: '0.333333', B: '2.500000', C: '0.5000000', D: '2.000001' }],
    columns: [{ type: 'fixed', scale: 6 }, { type: 'fixed', scale: 6 }, { type: 'fixed', scale: 7 }, { type: 'fixed', scale: 6 }],
  },
  {
    title: `a FLOAT operand makes the quotient FLOAT (${ARITH})`,
    setup: TABLE,
    sql: 'SELECT F / 4 AS Q FROM FID_NUM ORDER BY F',
    rows: [{ Q: '0.25' }, { Q: '0.5' }],
    columns: [{ type: 'real' }],
  },
  {
    title: `a NUMBER(10,2) column divided: scale 8; AVG(NUMBER(10,2)) too (sum / count: ${ARITH}; the AVG page states no scale, its examples match)`,
    setup: TABLE,
    sql: 'SELECT AVG(N) AS A, AVG(M) AS AM, SUM(N) / COUNT(*) AS D FROM FID_NUM',
    rows: [{ A: '1.87500000', AM: '1.000000', D: '1.87500000' }],
    columns: [{ type: 'fixed', scale: 8 }, { type: 'fixed', scale: 6 }, { type: 'fixed', scale: 8 }],
  },
  {
    title: 'dividing by zero is 100051 / 22012 "Division by zero" (https://docs.snowflake.com/en/sql-reference/functions/div0)',
    sql: 'SELECT 1/0',
    error: { code: '100051', sqlState: '22012', message: /^Division by zero$/ },
  },
  {
    title: 'dividing a column by a zero column value is 100051 too (https://docs.snowflake.com/en/sql-reference/functions/div0)',
    setup: TABLE,
    sql: 'SELECT N / (M - M) FROM FID_NUM',
    error: { code: '100051', sqlState: '22012', message: /^Division by zero$/ },
  },
  {
    title: 'NUMBER overflow fails with 22003 (docs silent on the code: 100046 "Number out of representable range" chosen; https://docs.snowflake.com/en/sql-reference/data-types-numeric)',
    sql: 'SELECT 99999999999999999999999999999999999999 * 10 AS X',
    error: { code: '100046', sqlState: '22003', message: /^Number out of representable range$/ },
  },
  {
    title: "a value outside NUMBER(p,s) fails with 22003 (https://docs.snowflake.com/en/sql-reference/data-types-numeric: 999 does not fit NUMBER(2,0); code 100039 chosen, docs silent)",
    sql: 'SELECT CAST(1000 AS NUMBER(3,0))',
    error: { code: '100039', sqlState: '22003', message: /^Numeric value '1000' is out of range$/ },
  },
  {
    title: 'DATEADD by a day or more keeps a DATE a DATE; by hours it is TIMESTAMP_NTZ from midnight (https://docs.snowflake.com/en/sql-reference/functions/dateadd)',
    sql: "SELECT DATEADD(day, 1, '2024-03-01'::DATE) AS D, DATEADD(month, 1, '2024-01-31'::DATE) AS M, DATEADD(hour, 1, '2024-03-01'::DATE) AS H",
    rows: [{ D: '2024-03-02', M: '2024-02-29', H: '2024-03-01 01:00:00.000' }],
    columns: [{ type: 'date' }, { type: 'date' }, { type: 'timestamp_ntz' }],
  },
  {
    title: 'PARSE_JSON of an empty or blank string is NULL, not an error (https://docs.snowflake.com/en/sql-reference/functions/parse_json#usage-notes)',
    sql: "SELECT PARSE_JSON('') IS NULL AS E, PARSE_JSON('   ') IS NULL AS B",
    rows: [{ E: 'TRUE', B: 'TRUE' }],
  },
  {
    title: "PARSE_JSON accepts upper-case literals and a trailing comma, as TRY_PARSE_JSON's example '[-1, 12, 289, 2188, FALSE,]' (https://docs.snowflake.com/en/sql-reference/functions/try_parse_json; Snowflake shows the trailing element as undefined, which JSON text cannot carry: the stand-in drops it)",
    sql: "SELECT PARSE_JSON('[-1, 12, 289, 2188, FALSE,]')[4] AS F, TRY_PARSE_JSON('{ \"bad\" : \"json\", \"missing\" : TRUE, \"close_brace\": 10 ') IS NULL AS T",
    rows: [{ F: 'false', T: 'TRUE' }],
  },
  {
    title: "PARSE_JSON refuses duplicate keys by default ('s', strict) (https://docs.snowflake.com/en/sql-reference/functions/parse_json; message text not documented)",
    sql: "SELECT PARSE_JSON('{\"a\": 1, \"a\": 2}')",
    error: { code: '100069', sqlState: '22P02', message: /^Error parsing JSON: duplicate object attribute/ },
  },
  {
    title: 'result metadata: a column declared NOT NULL is not nullable, an expression is (https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-consume#column-metadata: isNullable)',
    setup: TABLE,
    sql: 'SELECT N, M, N + 1 AS E FROM FID_NUM ORDER BY N',
    columns: [{ name: 'N', nullable: false }, { name: 'M', nullable: true }, { name: 'E', nullable: true }],
  },
]);

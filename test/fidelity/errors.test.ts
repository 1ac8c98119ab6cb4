/**
 * Error codes, SQL states and message shapes (https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-errors:
 * code, sqlState, message), seen through both drivers. Every message is checked for the engine underneath.
 */
import { probeSuite } from './probe-runner.js';

const QI = ['CREATE OR REPLACE TABLE FID_ERR ("Col" NUMBER, ID NUMBER, "low" NUMBER)'];

probeSuite('errors', [
  {
    title: 'a quoted name in another case than the column is 000904 invalid identifier, with its quotes (https://docs.snowflake.com/en/sql-reference/identifiers-syntax#double-quoted-identifiers)',
    setup: QI,
    sql: 'SELECT "col" FROM FID_ERR',
    error: { code: '000904', sqlState: '42000', message: /^SQL compilation error: error line 1 at position 7\ninvalid identifier '"col"'$/ },
  },
  {
    title: '"id" does not find the unquoted column ID: 000904 (https://docs.snowflake.com/en/sql-reference/identifiers-syntax)',
    setup: QI,
    sql: 'SELECT ID FROM FID_ERR WHERE "id" = 1',
    error: { code: '000904', sqlState: '42000', message: /error line 1 at position 29\ninvalid identifier '"id"'$/ },
  },
  {
    title: 'an unquoted name is its upper-case form and does not find a lower-case quoted column: 000904 (https://docs.snowflake.com/en/sql-reference/identifiers-syntax#unquoted-identifiers)',
    setup: QI,
    sql: 'SELECT low FROM FID_ERR',
    error: { code: '000904', sqlState: '42000', message: /invalid identifier 'LOW'$/ },
  },
  {
    title: 'an unknown column: 000904 with its line and position (https://docs.snowflake.com/en/sql-reference/identifiers-syntax)',
    setup: QI,
    sql: 'SELECT ID,\n  nope FROM FID_ERR',
    error: { code: '000904', sqlState: '42000', message: /^SQL compilation error: error line 2 at position 2\ninvalid identifier 'NOPE'$/ },
  },
  {
    title: 'an unknown table: 002003 / 42S02 "does not exist or not authorized" (https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-errors)',
    sql: 'SELECT * FROM NO_SUCH_TABLE_FID',
    error: { code: '002003', sqlState: '42S02', message: /^SQL compilation error:\nObject 'NO_SUCH_TABLE_FID' does not exist or not authorized\.$/ },
  },
  {
    title: 'an unknown function: a compilation error naming it, no engine text (docs silent on the code: 002140 / 42601 chosen)',
    sql: 'SELECT NO_SUCH_FUNCTION_FID(1)',
    error: { code: '002140', sqlState: '42601', message: /Unknown function NO_SUCH_FUNCTION_FID$/ },
  },
  {
    title: 'wrong argument types or count: a compilation error naming the function (docs silent on the code: 001044 / 42P13 chosen)',
    sql: "SELECT ARRAY_SIZE(1, 2, 3)",
    error: { code: '001044', sqlState: '42P13', message: /Invalid argument types for function 'ARRAY_SIZE'$/ },
  },
  {
    title: "a string that is not a number: 100038 / 22018 \"Numeric value 'abc' is not recognized\" (https://docs.snowflake.com/en/sql-reference/functions/try_to_decimal)",
    sql: "SELECT 'abc'::NUMBER",
    error: { code: '100038', sqlState: '22018', message: /^Numeric value 'abc' is not recognized$/ },
  },
  {
    title: "a string that is not a date: 100040 / 22007 \"Date 'x' is not recognized\" (https://docs.snowflake.com/en/sql-reference/functions/try_to_date)",
    sql: "SELECT 'not a date'::DATE",
    error: { code: '100040', sqlState: '22007', message: /^Date 'not a date' is not recognized$/ },
  },
  {
    title: "a string that is not a boolean: 100037 / 22018 \"Boolean value 'maybe' is not recognized\" (https://docs.snowflake.com/en/sql-reference/data-types-logical)",
    sql: "SELECT 'maybe'::BOOLEAN",
    error: { code: '100037', sqlState: '22018', message: /^Boolean value 'maybe' is not recognized$/ },
  },
  {
    title: "a string that is not hex cast to BINARY fails (https://docs.snowflake.com/en/sql-reference/binary-input-output; code 100115 chosen, docs silent)",
    sql: "SELECT 'zz'::BINARY",
    error: { code: '100115', sqlState: '22000', message: /not a legal hex-encoded value: 'zz'/ },
  },
  {
    title: 'a syntax error: 001003 / 42000 "syntax error line L at position P unexpected \'X\'" (https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-errors)',
    sql: 'SELEC 1',
    error: { code: '001003', sqlState: '42000', message: /^SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'SELEC'\.$/ },
  },
]);

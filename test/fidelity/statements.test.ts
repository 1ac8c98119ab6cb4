/**
 * Statements operators and users' scripts run, with the column sets Snowflake documents: SHOW PARAMETERS,
 * SHOW GRANTS ON, DESCRIBE TASK, CREATE … CLONE, LAST_QUERY_ID / RESULT_SCAN (both drivers, cells as strings).
 */
import { expect } from 'vitest';
import { probeSuite } from './probe-runner.js';

const GRANT_COLUMNS = ['created_on', 'privilege', 'granted_on', 'name', 'granted_to', 'grantee_name', 'grant_option', 'granted_by'];
const TASK_COLUMNS = ['created_on', 'name', 'id', 'database_name', 'schema_name', 'owner', 'comment', 'warehouse', 'schedule', 'scheduling_mode', 'target_completion_interval', 'predecessors', 'state', 'definition', 'condition', 'allow_overlapping_execution', 'error_integration', 'success_integration', 'last_committed_on', 'last_suspended_on', 'owner_role_type', 'config', 'last_suspended_reason', 'task_relations', 'execute_as_user'];

probeSuite('statements and their documented column sets', [
  {
    title: 'SHOW PARAMETERS (IN SESSION by default) has the columns key, value, default, level, description, type; ALTER SESSION shows level SESSION (https://docs.snowflake.com/en/sql-reference/sql/show-parameters)',
    setup: ["ALTER SESSION SET QUERY_TAG = 'fidelity'"],
    sql: "SHOW PARAMETERS LIKE '%QUERY_TAG%'",
    columns: ['key', 'value', 'default', 'level', 'description', 'type'].map((name) => ({ name })),
    check: (result) => expect(result.rows).toEqual([expect.objectContaining({ key: 'QUERY_TAG', value: 'fidelity', default: '', level: 'SESSION', type: 'STRING' })]),
  },
  {
    title: 'SHOW PARAMETERS IN ACCOUNT lists account, session and object parameters with their defaults (https://docs.snowflake.com/en/sql-reference/sql/show-parameters, https://docs.snowflake.com/en/sql-reference/parameters#timezone)',
    sql: "SHOW PARAMETERS LIKE 'TIMEZONE' IN ACCOUNT",
    rows: [{ key: 'TIMEZONE', value: 'America/Los_Angeles', default: 'America/Los_Angeles', level: '', description: 'Time zone for the session.', type: 'STRING' }],
  },
  {
    title: 'SHOW PARAMETERS IN TABLE lists the object parameters of a table, e.g. DATA_RETENTION_TIME_IN_DAYS default 1 (https://docs.snowflake.com/en/sql-reference/parameters#data-retention-time-in-days)',
    setup: ['CREATE OR REPLACE TABLE FID_PARAMS (N NUMBER) DATA_RETENTION_TIME_IN_DAYS = 3'],
    sql: "SHOW PARAMETERS LIKE 'DATA_RETENTION%' IN TABLE FID_PARAMS",
    check: (result) => expect(result.rows).toEqual([expect.objectContaining({ key: 'DATA_RETENTION_TIME_IN_DAYS', value: '3', default: '1', level: 'TABLE', type: 'NUMBER' })]),
  },
  {
    title: 'SHOW GRANTS ON TABLE lists OWNERSHIP and every grant, with the documented columns (https://docs.snowflake.com/en/sql-reference/sql/show-grants)',
    setup: ['CREATE OR REPLACE TABLE FID_GRANTED (N NUMBER)', 'GRANT SELECT ON TABLE FID_GRANTED TO ROLE PUBLIC'],
    sql: 'SHOW GRANTS ON TABLE FID_GRANTED',
    volatile: ['created_on'],
    columns: GRANT_COLUMNS.map((name) => ({ name })),
    check: (result) => {
      const rows = result.rows.map(({ created_on: _c, granted_by: _b, ...rest }) => rest);
      expect(rows).toEqual([
        { privilege: 'OWNERSHIP', granted_on: 'TABLE', name: 'DEMO_DB.PUBLIC.FID_GRANTED', granted_to: 'ROLE', grantee_name: 'SYSADMIN', grant_option: 'true' },
        { privilege: 'SELECT', granted_on: 'TABLE', name: 'DEMO_DB.PUBLIC.FID_GRANTED', granted_to: 'ROLE', grantee_name: 'PUBLIC', grant_option: 'false' },
      ]);
    },
  },
  {
    title: 'SHOW GRANTS ON an object that does not exist fails with 002003 (https://docs.snowflake.com/en/sql-reference/sql/show-grants)',
    sql: 'SHOW GRANTS ON TABLE FID_NO_SUCH_TABLE',
    error: { code: '002003', sqlState: '02000', message: /does not exist or not authorized/ },
  },
  {
    title: 'DESCRIBE TASK answers the columns of SHOW TASKS (https://docs.snowflake.com/en/sql-reference/sql/desc-task)',
    setup: ["CREATE OR REPLACE TASK FID_DESC_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = '60 MINUTE' AS SELECT 1"],
    sql: 'DESCRIBE TASK FID_DESC_TASK',
    volatile: ['created_on', 'id'],
    columns: TASK_COLUMNS.map((name) => ({ name })),
    check: (result) => expect(result.rows).toEqual([expect.objectContaining({ name: 'FID_DESC_TASK', state: 'suspended', schedule: '60 MINUTE', definition: 'SELECT 1', warehouse: 'SANDBOX_WH' })]),
  },
  {
    title: 'CREATE TABLE … CLONE copies the rows and columns; the clone is independent of its source (https://docs.snowflake.com/en/sql-reference/sql/create-clone)',
    setup: ['CREATE OR REPLACE TABLE FID_CLONE_SRC (N NUMBER(10,2), S VARCHAR(5))', "INSERT INTO FID_CLONE_SRC VALUES (1.5, 'a'), (2, 'b')", 'CREATE OR REPLACE TABLE FID_CLONE_DST CLONE FID_CLONE_SRC', 'DELETE FROM FID_CLONE_SRC'],
    sql: 'SELECT N, S FROM FID_CLONE_DST ORDER BY N',
    rows: [{ N: '1.50', S: 'a' }, { N: '2.00', S: 'b' }],
    columns: [{ name: 'N', type: 'fixed', scale: 2 }, { name: 'S', type: 'text' }],
  },
  {
    title: 'CREATE SCHEMA … CLONE copies tables and views; tasks in the clone are suspended; grants on the schema itself are not copied (https://docs.snowflake.com/en/sql-reference/sql/create-clone, https://docs.snowflake.com/en/user-guide/object-clone)',
    setup: [
      'CREATE OR REPLACE SCHEMA DEMO_DB.FID_SRC_SCHEMA', 'CREATE TABLE DEMO_DB.FID_SRC_SCHEMA.T (N NUMBER)', 'INSERT INTO DEMO_DB.FID_SRC_SCHEMA.T VALUES (7)',
      'CREATE VIEW DEMO_DB.FID_SRC_SCHEMA.V AS SELECT N * 2 AS M FROM T', 'GRANT USAGE ON SCHEMA DEMO_DB.FID_SRC_SCHEMA TO ROLE PUBLIC',
      'CREATE OR REPLACE SCHEMA DEMO_DB.FID_CLONE_SCHEMA CLONE DEMO_DB.FID_SRC_SCHEMA', 'INSERT INTO DEMO_DB.FID_SRC_SCHEMA.T VALUES (8)', 'USE SCHEMA DEMO_DB.PUBLIC',
    ],
    sql: "SELECT (SELECT COUNT(*) FROM DEMO_DB.FID_CLONE_SCHEMA.T) AS N, (SELECT MAX(M) FROM DEMO_DB.FID_CLONE_SCHEMA.V) AS M",
    rows: [{ N: '1', M: '14' }],
  },
  {
    title: 'a cloned schema does not inherit the grants on its source schema (https://docs.snowflake.com/en/user-guide/object-clone#access-control-privileges-for-cloned-objects)',
    sql: 'SHOW GRANTS ON SCHEMA DEMO_DB.FID_CLONE_SCHEMA',
    check: (result) => expect(result.rows.map((r) => r.privilege)).toEqual(['OWNERSHIP']),
  },
  {
    title: 'TABLE(RESULT_SCAN(LAST_QUERY_ID())) reads the previous result of the session, SHOW output included (https://docs.snowflake.com/en/sql-reference/functions/result_scan, https://docs.snowflake.com/en/sql-reference/functions/last_query_id)',
    setup: ['CREATE OR REPLACE TABLE FID_SCAN (N NUMBER)', 'SHOW TABLES LIKE \'FID_SCAN\''],
    sql: 'SELECT "name", "kind" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) WHERE "name" = \'FID_SCAN\'',
    rows: [{ name: 'FID_SCAN', kind: 'TABLE' }],
  },
  {
    title: 'RESULT_SCAN of a query id keeps the column types and names of that query (https://docs.snowflake.com/en/sql-reference/functions/result_scan)',
    setup: ["SELECT 1.5::NUMBER(5,2) AS A, 'x' AS B, '2024-03-01'::DATE AS D"],
    sql: 'SELECT A, B, D FROM TABLE(RESULT_SCAN(LAST_QUERY_ID(-1))) r',
    rows: [{ A: '1.50', B: 'x', D: '2024-03-01' }],
    columns: [{ type: 'fixed', scale: 2 }, { type: 'text' }, { type: 'date' }],
  },
  {
    title: 'RESULT_SCAN of an unknown query id fails (https://docs.snowflake.com/en/sql-reference/functions/result_scan)',
    sql: "SELECT * FROM TABLE(RESULT_SCAN('01b2c3d4-0000-0000-0000-000000000000'))",
    error: { code: '000709', sqlState: '02000' },
  },
]);

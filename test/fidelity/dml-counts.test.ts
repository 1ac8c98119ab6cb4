/** DML row counts as Snowflake reports them, seen through both drivers. */
import { probeSuite } from './probe-runner.js';

const SETUP = [
  'CREATE OR REPLACE TABLE FID_TARGET (K NUMBER, V NUMBER)',
  'INSERT INTO FID_TARGET VALUES (0, 10), (1, 11), (5, 15), (6, 16)',
  'CREATE OR REPLACE TABLE FID_SOURCE (K NUMBER, V NUMBER)',
  'INSERT INTO FID_SOURCE VALUES (0, 20), (1, 21), (2, 22), (3, 23), (4, 24)',
];

probeSuite('DML counts (https://docs.snowflake.com/en/sql-reference/sql/merge, connector test/integration/testUpdatedRows.js)', [
  {
    title: 'INSERT answers "number of rows inserted" (https://docs.snowflake.com/en/sql-reference/sql/insert)',
    setup: ['CREATE OR REPLACE TABLE FID_INS (C1 NUMBER, C2 NUMBER)'],
    sql: 'INSERT INTO FID_INS VALUES (1,10),(2,10),(3,10)',
    rows: [{ 'number of rows inserted': '3' }],
    updated: 3,
  },
  {
    title: 'UPDATE answers "number of rows updated" and "number of multi-joined rows updated" (https://docs.snowflake.com/en/sql-reference/sql/update)',
    setup: SETUP,
    sql: 'UPDATE FID_TARGET SET V = 0 WHERE K < 2',
    rows: [{ 'number of rows updated': '2', 'number of multi-joined rows updated': '0' }],
    updated: 2,
  },
  {
    title: 'DELETE answers "number of rows deleted" (https://docs.snowflake.com/en/sql-reference/sql/delete)',
    setup: SETUP,
    sql: 'DELETE FROM FID_TARGET',
    rows: [{ 'number of rows deleted': '4' }],
    updated: 4,
  },
  {
    title: 'MERGE with update, delete and insert clauses counts each action: 3 inserted, 1 updated, 1 deleted (https://docs.snowflake.com/en/sql-reference/sql/merge)',
    setup: SETUP,
    sql:
      'MERGE INTO FID_TARGET USING FID_SOURCE ON FID_TARGET.K = FID_SOURCE.K ' +
      'WHEN MATCHED AND FID_TARGET.K = 0 THEN UPDATE SET V = FID_SOURCE.V * 100 ' +
      'WHEN MATCHED AND FID_TARGET.K = 1 THEN DELETE ' +
      'WHEN NOT MATCHED THEN INSERT VALUES (FID_SOURCE.K, FID_SOURCE.V)',
    rows: [{ 'number of rows inserted': '3', 'number of rows updated': '1', 'number of rows deleted': '1' }],
    updated: 5,
  },
  {
    title: 'MERGE of one matched and one new row: 1 inserted, 1 updated; only the clauses present are columns (https://docs.snowflake.com/en/sql-reference/sql/merge)',
    setup: SETUP,
    sql:
      'MERGE INTO FID_TARGET t USING (SELECT 5 AS K, 50 AS V UNION ALL SELECT 9, 90) s ON t.K = s.K ' +
      'WHEN MATCHED THEN UPDATE SET V = s.V WHEN NOT MATCHED THEN INSERT (K, V) VALUES (s.K, s.V)',
    rows: [{ 'number of rows inserted': '1', 'number of rows updated': '1' }],
    updated: 2,
  },
  {
    title: 'MERGE with only an UPDATE clause answers only "number of rows updated" (https://docs.snowflake.com/en/sql-reference/sql/merge)',
    setup: SETUP,
    sql: 'MERGE INTO FID_TARGET t USING FID_SOURCE s ON t.K = s.K WHEN MATCHED THEN UPDATE SET V = s.V',
    rows: [{ 'number of rows updated': '2' }],
    updated: 2,
  },
]);

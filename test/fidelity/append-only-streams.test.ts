/**
 * Append-only streams record every insert, even of rows updated or deleted before the stream is read
 * (https://docs.snowflake.com/en/user-guide/streams-intro#types-of-streams), on a table and on a view; both drivers.
 * Event syncs read such a stream on a view (templates/stream.sql.hbs).
 */
import { probeSuite } from './probe-runner.js';

const setup = (source: 'TABLE' | 'VIEW') => [
  'CREATE OR REPLACE TABLE FID_AO_T (ID NUMBER, V VARCHAR)',
  "INSERT INTO FID_AO_T VALUES (1, 'old')",
  'CREATE OR REPLACE VIEW FID_AO_V AS SELECT ID, V FROM FID_AO_T WHERE ID < 100',
  `CREATE OR REPLACE STREAM FID_AO_S ON ${source} ${source === 'TABLE' ? 'FID_AO_T' : 'FID_AO_V'} APPEND_ONLY = TRUE`,
  "INSERT INTO FID_AO_T VALUES (2, 'a'), (3, 'b')",
  "INSERT INTO FID_AO_T VALUES (4, 'c')",
  'DELETE FROM FID_AO_T WHERE ID IN (2, 1)',
  "UPDATE FID_AO_T SET V = 'B' WHERE ID = 3",
];

probeSuite('append-only streams', [
  {
    title: 'an APPEND_ONLY stream on a table shows rows inserted and then deleted or updated, as inserted; a row there before the offset is not shown (https://docs.snowflake.com/en/user-guide/streams-intro#types-of-streams)',
    setup: setup('TABLE'),
    sql: 'SELECT ID, V, METADATA$ACTION AS A, METADATA$ISUPDATE AS U FROM FID_AO_S ORDER BY ID',
    rows: [{ ID: '2', V: 'a', A: 'INSERT', U: 'FALSE' }, { ID: '3', V: 'b', A: 'INSERT', U: 'FALSE' }, { ID: '4', V: 'c', A: 'INSERT', U: 'FALSE' }],
  },
  {
    title: 'the same on a view (https://docs.snowflake.com/en/user-guide/streams-intro#types-of-streams)',
    setup: setup('VIEW'),
    sql: 'SELECT ID, V, METADATA$ACTION AS A FROM FID_AO_S ORDER BY ID',
    rows: [{ ID: '2', V: 'a', A: 'INSERT' }, { ID: '3', V: 'b', A: 'INSERT' }, { ID: '4', V: 'c', A: 'INSERT' }],
  },
  {
    title: 'consuming the stream in a DML statement moves its offset: only later inserts are shown (https://docs.snowflake.com/en/user-guide/streams-intro#stream-offset)',
    setup: [...setup('VIEW'), 'CREATE OR REPLACE TABLE FID_AO_SINK (ID NUMBER)', 'INSERT INTO FID_AO_SINK SELECT ID FROM FID_AO_S', "INSERT INTO FID_AO_T VALUES (5, 'e')", 'DELETE FROM FID_AO_T WHERE ID = 5', "INSERT INTO FID_AO_T VALUES (6, 'f')"],
    sql: "SELECT ID, (SELECT COUNT(*) FROM FID_AO_SINK) AS SUNK FROM FID_AO_S ORDER BY ID",
    rows: [{ ID: '5', SUNK: '3' }, { ID: '6', SUNK: '3' }],
  },
]);

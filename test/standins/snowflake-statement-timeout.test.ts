/**
 * STATEMENT_TIMEOUT_IN_SECONDS in the stand-in (standins/snowflake/statement-timeout.ts), through the real driver:
 * a statement made slow by the test fault (faults.ts) fails with 000630 / 57014 at the timeout and has no effect;
 * of the session's and the warehouse's values, the lowest non-zero one applies; under the timeout it just runs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { connect, destroy, query, standinOptions, type Connection } from '../../standins/snowflake/driver-helpers.js';

let standin: SnowflakeStandin;
let connection: Connection;
beforeAll(async () => {
  standin = await startSnowflakeStandin({ seed: 'demo' });
  connection = await connect(standinOptions(standin));
  await query(connection, 'CREATE OR REPLACE TABLE DEMO_DB.PUBLIC.SLOW_T (N NUMBER)');
  standin.setFaults({ slowStatements: [{ match: 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T', ms: 30_000 }] });
});
afterAll(async () => {
  await destroy(connection);
  await standin.close();
});

const rows = async () => Number((await query<{ N: unknown }>(connection, 'SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.SLOW_T')).rows[0]?.N);
const warehouse = () => standin.defaultUser.warehouse;

it('the session value cancels a longer statement with 000630 / 57014; the statement has no effect', async () => {
  await query(connection, 'ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = 1');
  const error = await query(connection, 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T VALUES (1)').then(() => null, (e: unknown) => e as { code?: unknown; sqlState?: unknown; message?: unknown });
  expect(error).toMatchObject({ code: '000630', sqlState: '57014', message: 'Statement reached its statement or warehouse timeout of 1 second(s) and was canceled.' });
  expect(await rows()).toBe(0);
  await query(connection, 'ALTER SESSION UNSET STATEMENT_TIMEOUT_IN_SECONDS');
}, 30_000);

it('session and warehouse both set: the lowest non-zero value applies', async () => {
  await query(connection, `ALTER WAREHOUSE ${warehouse()} SET STATEMENT_TIMEOUT_IN_SECONDS = 1`);
  await query(connection, 'ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = 3600');
  const error = await query(connection, 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T VALUES (2)').then(() => null, (e: unknown) => e as { message?: unknown });
  expect(error?.message).toBe('Statement reached its statement or warehouse timeout of 1 second(s) and was canceled.');
  await query(connection, 'ALTER SESSION UNSET STATEMENT_TIMEOUT_IN_SECONDS');
  await query(connection, `ALTER WAREHOUSE ${warehouse()} UNSET STATEMENT_TIMEOUT_IN_SECONDS`);
}, 30_000);

it('a slow statement within the timeout runs (the default, 172800 s, applies when none is set)', async () => {
  standin.setFaults({ slowStatements: [{ match: 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T', ms: 50 }] });
  await query(connection, 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T VALUES (3)');
  expect(await rows()).toBe(1);
}, 30_000);

/**
 * STATEMENT_TIMEOUT_IN_SECONDS in the stand-in (standins/snowflake/statement-timeout.ts), through the real driver:
 * a statement made slow by the test fault (faults.ts) fails with 000630 / 57014 at the timeout and has no effect;
 * of the session's and the warehouse's values, the lowest non-zero one applies; a session that sets none takes its
 * user's (ALTER USER), else the account's (ALTER ACCOUNT), in sessions open before the ALTER and after it, as SHOW
 * PARAMETERS … IN USER / IN ACCOUNT shows them with their level; under the timeout it just runs.
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

type Failure = { code?: unknown; sqlState?: unknown; message?: unknown };
const failureOf = (c: Connection, sql: string) => query(c, sql).then(() => null, (e: unknown) => e as Failure);
const timedOut = (seconds: number) => ({ code: '000630', sqlState: '57014', message: `Statement reached its statement or warehouse timeout of ${seconds} second(s) and was canceled.` });
const parameter = async (c: Connection, scope: string) =>
  (await query<{ key: string; value: string; level: string }>(c, `SHOW PARAMETERS LIKE 'STATEMENT_TIMEOUT%' IN ${scope}`)).rows.find((r) => r.key === 'STATEMENT_TIMEOUT_IN_SECONDS');
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
  // A session parameter that is also a warehouse parameter: SHOW PARAMETERS IN WAREHOUSE lists it with that level.
  expect(await parameter(connection, `WAREHOUSE ${warehouse()}`)).toMatchObject({ value: '1', level: 'WAREHOUSE' });
  const error = await query(connection, 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T VALUES (2)').then(() => null, (e: unknown) => e as { message?: unknown });
  expect(error?.message).toBe('Statement reached its statement or warehouse timeout of 1 second(s) and was canceled.');
  await query(connection, 'ALTER SESSION UNSET STATEMENT_TIMEOUT_IN_SECONDS');
  await query(connection, `ALTER WAREHOUSE ${warehouse()} UNSET STATEMENT_TIMEOUT_IN_SECONDS`);
}, 30_000);

it('a user-level value applies to the user\'s open and new sessions that set none; the session\'s own overrides it', async () => {
  const user = standin.defaultUser.user;
  await query(connection, `ALTER USER ${user} SET STATEMENT_TIMEOUT_IN_SECONDS = 1`);
  expect(await parameter(connection, `USER ${user}`)).toMatchObject({ value: '1', level: 'USER' });
  expect(await parameter(connection, 'SESSION')).toMatchObject({ value: '1', level: 'USER' });
  // The session opened before the ALTER, then a new one.
  expect(await failureOf(connection, 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T VALUES (4)')).toMatchObject(timedOut(1));
  const fresh = await connect(standinOptions(standin));
  try {
    expect(await failureOf(fresh, 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T VALUES (5)')).toMatchObject(timedOut(1));
    // The session's own value wins over the user's: a 1.5 s statement runs under 3600 s.
    standin.setFaults({ slowStatements: [{ match: 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T', ms: 1500 }] });
    await query(fresh, 'ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = 3600');
    expect(await parameter(fresh, 'SESSION')).toMatchObject({ value: '3600', level: 'SESSION' });
    await query(fresh, 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T VALUES (6)');
    expect(await rows()).toBe(1);
    expect(await failureOf(connection, 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T VALUES (7)')).toMatchObject(timedOut(1));
  } finally {
    await destroy(fresh);
    standin.setFaults({ slowStatements: [{ match: 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T', ms: 30_000 }] });
    await query(connection, `ALTER USER ${user} UNSET STATEMENT_TIMEOUT_IN_SECONDS`);
  }
  expect(await parameter(connection, `USER ${user}`)).toMatchObject({ value: '172800', level: '' });
  expect(await rows()).toBe(1);
}, 30_000);

it('an account-level value applies when neither session nor user sets one; the user\'s overrides it', async () => {
  const user = standin.defaultUser.user;
  await query(connection, 'USE ROLE ACCOUNTADMIN');
  await query(connection, 'ALTER ACCOUNT SET STATEMENT_TIMEOUT_IN_SECONDS = 2');
  try {
    expect(await parameter(connection, 'ACCOUNT')).toMatchObject({ value: '2', level: 'ACCOUNT' });
    expect(await parameter(connection, `USER ${user}`)).toMatchObject({ value: '2', level: 'ACCOUNT' });
    expect(await failureOf(connection, 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T VALUES (8)')).toMatchObject(timedOut(2));
    await query(connection, `ALTER USER ${user} SET STATEMENT_TIMEOUT_IN_SECONDS = 1`);
    expect(await failureOf(connection, 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T VALUES (9)')).toMatchObject(timedOut(1));
  } finally {
    await query(connection, `ALTER USER ${user} UNSET STATEMENT_TIMEOUT_IN_SECONDS`);
    await query(connection, 'ALTER ACCOUNT UNSET STATEMENT_TIMEOUT_IN_SECONDS');
  }
  expect(await rows()).toBe(1);
}, 30_000);

it('ALTER USER refuses a value that is not a number of seconds', async () => {
  const error = await failureOf(connection, `ALTER USER ${standin.defaultUser.user} SET STATEMENT_TIMEOUT_IN_SECONDS = 'soon'`);
  expect(error?.message).toMatch(/STATEMENT_TIMEOUT_IN_SECONDS/);
  expect(await parameter(connection, `USER ${standin.defaultUser.user}`)).toMatchObject({ level: '' });
});

it('a slow statement within the timeout runs (the default, 172800 s, applies when none is set)', async () => {
  standin.setFaults({ slowStatements: [{ match: 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T', ms: 50 }] });
  await query(connection, 'INSERT INTO DEMO_DB.PUBLIC.SLOW_T VALUES (3)');
  expect(await rows()).toBe(2);
}, 30_000);

it('a user without OWNERSHIP of itself may set its own session parameter defaults, and nothing else of itself', async () => {
  // "Individual users can use this command to alter … any session parameter defaults for themselves" (ALTER USER).
  // A second user: in the stand-in's accounts (sign-in) and, created by the admin, in its catalog (owned by that role).
  standin.accounts.addUser({ name: 'ALICE', password: 'alice-pw', defaultRole: 'PUBLIC' });
  await query(connection, 'USE ROLE ACCOUNTADMIN');
  await query(connection, 'CREATE USER ALICE');
  const alice = await connect({ ...standinOptions(standin), username: 'alice', password: 'alice-pw', role: 'PUBLIC' });
  try {
    await query(alice, 'ALTER USER alice SET STATEMENT_TIMEOUT_IN_SECONDS = 5');
    expect(await parameter(alice, 'SESSION')).toMatchObject({ value: '5', level: 'USER' });
    // Another property of itself needs OWNERSHIP: refused as an object it may not see (002003).
    expect(await failureOf(alice, "ALTER USER alice SET DEFAULT_ROLE = 'SYSADMIN'")).toMatchObject({ code: '002003' });
    await query(alice, 'ALTER USER alice UNSET STATEMENT_TIMEOUT_IN_SECONDS');
    expect(await parameter(alice, 'SESSION')).toMatchObject({ value: '172800', level: '' });
  } finally {
    await destroy(alice);
  }
}, 30_000);

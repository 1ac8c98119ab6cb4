/**
 * Multi-statement requests (https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-execute#executing-a-batch-of-sql-statements-multi-statement-support,
 * MULTI_STATEMENT_COUNT: https://docs.snowflake.com/en/sql-reference/parameters#multi-statement-count), with both drivers;
 * cases after the Node connector's test/integration/testMultiStatement.js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { DRIVERS, FidelityClient } from './clients.js';
import { ENGINE_LEAKS } from './probe-runner.js';

let standin: SnowflakeStandin;
beforeAll(async () => {
  standin = await startSnowflakeStandin();
});
afterAll(async () => {
  await standin.close();
});

describe.each(DRIVERS)('multi-statement requests with %s', (driver) => {
  let client: FidelityClient;
  beforeAll(async () => {
    client = await FidelityClient.open(driver, standin);
  });
  afterAll(async () => {
    await client.close();
  });

  it('two statements under the default MULTI_STATEMENT_COUNT = 1 fail with 000008 / 0A000 and run nothing', async () => {
    await client.run('CREATE OR REPLACE TABLE FID_MS (N NUMBER)');
    const error = await client.fail('INSERT INTO FID_MS VALUES (1); SELECT 2');
    expect(error).toMatchObject({ code: '000008', sqlState: '0A000', message: 'Actual statement count 2 did not match the desired statement count 1.' });
    expect((await client.run('SELECT COUNT(*) AS N FROM FID_MS')).rows).toEqual([{ N: '0' }]);
  });

  it('a trailing semicolon is not a second statement', async () => {
    expect((await client.run('SELECT 1 AS A;')).rows).toEqual([{ A: '1' }]);
  });

  it('a semicolon inside a string or a comment does not split the request', async () => {
    expect((await client.run("SELECT 'a;b' AS A -- c;d\n")).rows).toEqual([{ A: 'a;b' }]);
  });

  it('MULTI_STATEMENT_COUNT = 0 runs any number of statements, each with its own result, binds numbered across them', async () => {
    const results = await client.runAll('select ? AS A; select ? AS B, 3 AS C; select ? AS D, 5 AS E, 6 AS F', { binds: [1, 2, 4], parameters: { MULTI_STATEMENT_COUNT: 0 } });
    expect(results).toEqual([[{ A: '1' }], [{ B: '2', C: '3' }], [{ D: '4', E: '5', F: '6' }]]);
  });

  it('MULTI_STATEMENT_COUNT = 3 with three statements runs them; with two it fails with 000008', async () => {
    const results = await client.runAll('SELECT 1 AS A; SELECT 2 AS A; SELECT 3 AS A', { parameters: { MULTI_STATEMENT_COUNT: 3 } });
    expect(results).toEqual([[{ A: '1' }], [{ A: '2' }], [{ A: '3' }]]);
    const error = await client.fail('SELECT 1; SELECT 2', { parameters: { MULTI_STATEMENT_COUNT: 3 } });
    expect(error).toMatchObject({ code: '000008', message: 'Actual statement count 2 did not match the desired statement count 3.' });
  });

  it('ALTER SESSION SET MULTI_STATEMENT_COUNT = 0 applies to later requests; UNSET restores 1', async () => {
    await client.run('ALTER SESSION SET MULTI_STATEMENT_COUNT = 0');
    expect(await client.runAll('SELECT 1 AS A; SELECT 2 AS B')).toEqual([[{ A: '1' }], [{ B: '2' }]]);
    await client.run('ALTER SESSION UNSET MULTI_STATEMENT_COUNT');
    expect((await client.fail('SELECT 1; SELECT 2')).code).toBe('000008');
  });

  it('a failing statement fails the request with its own error; the statements before it took effect', async () => {
    await client.run('CREATE OR REPLACE TABLE FID_MS2 (N NUMBER)');
    const error = await client.fail('INSERT INTO FID_MS2 VALUES (1); SELECT * FROM NO_SUCH_TABLE; INSERT INTO FID_MS2 VALUES (2)', { parameters: { MULTI_STATEMENT_COUNT: 0 } });
    expect(error).toMatchObject({ code: '002003', sqlState: '42S02' });
    expect(error.message).not.toMatch(ENGINE_LEAKS);
    expect((await client.run('SELECT N FROM FID_MS2')).rows).toEqual([{ N: '1' }]);
  });

  it('ALTER SESSION refuses an unknown parameter and a bad value (docs silent on the code: stricter = refuse)', async () => {
    expect(await client.fail('ALTER SESSION SET NO_SUCH_PARAMETER = 1')).toMatchObject({ sqlState: '22023', message: "SQL compilation error:\ninvalid parameter 'NO_SUCH_PARAMETER'" });
    expect(await client.fail('ALTER SESSION SET MULTI_STATEMENT_COUNT = -1')).toMatchObject({ message: "SQL compilation error:\ninvalid value [-1] for parameter 'MULTI_STATEMENT_COUNT'" });
    expect(await client.fail("ALTER SESSION SET TIMEZONE = 'Not/AZone'")).toMatchObject({ message: "SQL compilation error:\ninvalid value [Not/AZone] for parameter 'TIMEZONE'" });
  });
});

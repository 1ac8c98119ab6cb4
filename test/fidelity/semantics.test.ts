/** Session, transaction and access-control semantics, with both drivers against the default stand-in account. */
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

describe.each(DRIVERS)('semantics with %s', (driver) => {
  it('an open transaction is rolled back when its session ends (https://docs.snowflake.com/en/sql-reference/transactions#aborting-transactions)', async () => {
    const table = `FID_TXN_${driver.includes('1.x') ? 'V1' : 'V3'}`;
    const first = await FidelityClient.open(driver, standin);
    await first.run(`CREATE OR REPLACE TABLE ${table} (N NUMBER)`);
    await first.run('BEGIN');
    await first.run(`INSERT INTO ${table} VALUES (1)`);
    expect((await first.run(`SELECT COUNT(*) AS N FROM ${table}`)).rows).toEqual([{ N: '1' }]);
    await first.close();
    const second = await FidelityClient.open(driver, standin);
    expect((await second.run(`SELECT COUNT(*) AS N FROM ${table}`)).rows).toEqual([{ N: '0' }]);
    await second.close();
  });

  it('role PUBLIC cannot read or create in a schema SYSADMIN owns, in the default account (https://docs.snowflake.com/en/user-guide/security-access-control-overview#system-defined-roles)', async () => {
    const client = await FidelityClient.open(driver, standin);
    await client.run('USE ROLE PUBLIC');
    const create = await client.fail(`CREATE TABLE ${standin.defaultUser.database}.${standin.defaultUser.schema}.FID_PUBLIC_T (N NUMBER)`);
    expect(create).toMatchObject({ code: '002003', message: expect.stringMatching(/does not exist or not authorized\.$/) });
    const read = await client.fail(`SELECT COUNT(*) FROM ${standin.defaultUser.database}.${standin.defaultUser.schema}.CUSTOMERS`);
    expect(read).toMatchObject({ code: '002003', sqlState: '42S02' });
    expect(read.message).not.toMatch(ENGINE_LEAKS);
    await client.close();
  });

  it('ALTER SESSION SET TIMEZONE changes how TIMESTAMP_LTZ is read and shown, and the driver is told (https://docs.snowflake.com/en/sql-reference/parameters#timezone)', async () => {
    const client = await FidelityClient.open(driver, standin);
    await client.run("ALTER SESSION SET TIMEZONE = 'Europe/Paris'");
    const { rows } = await client.run("SELECT '2024-03-01 10:00:00'::TIMESTAMP_LTZ AS T, DATE_PART(EPOCH_SECOND, '2024-03-01 10:00:00'::TIMESTAMP_LTZ) AS S");
    expect(rows).toEqual([{ T: '2024-03-01 10:00:00.000 +0100', S: String(Date.UTC(2024, 2, 1, 9) / 1000) }]);
    await client.close();
  });
});

/**
 * The CHANGES clause through both drivers (https://docs.snowflake.com/en/sql-reference/constructs/changes):
 * net changes of a change-tracked table since a point given by TIMESTAMP, OFFSET or STATEMENT, with the stream
 * metadata columns; APPEND_ONLY keeps inserts; a table without change tracking is refused.
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

describe.each(DRIVERS)('CHANGES with %s', (driver) => {
  const t = `FID_CHANGES_${driver.includes('1.x') ? 'V1' : 'V3'}`;
  let client: FidelityClient;
  beforeAll(async () => {
    client = await FidelityClient.open(driver, standin);
  });
  afterAll(async () => {
    await client.close();
  });
  const changes = async (clause: string, columns = 'ID, V, METADATA$ACTION AS A, METADATA$ISUPDATE AS U') =>
    (await client.run(`SELECT ${columns} FROM ${t} CHANGES(INFORMATION => ${clause} ORDER BY ID, A`)).rows;

  it('AT(STATEMENT => id) includes that statement\'s changes, BEFORE(STATEMENT => id) starts just before it; an update is a DELETE + INSERT pair with METADATA$ISUPDATE (https://docs.snowflake.com/en/sql-reference/constructs/changes)', async () => {
    await client.run(`CREATE OR REPLACE TABLE ${t} (ID NUMBER, V VARCHAR) CHANGE_TRACKING = TRUE`);
    const first = await client.run(`INSERT INTO ${t} VALUES (1, 'a'), (2, 'b')`);
    await client.run(`UPDATE ${t} SET V = 'B' WHERE ID = 2`);
    await client.run(`DELETE FROM ${t} WHERE ID = 1`);
    expect(await changes(`DEFAULT) AT(STATEMENT => '${first.queryId}')`)).toEqual([
      { ID: '1', V: 'a', A: 'DELETE', U: 'FALSE' },
      { ID: '2', V: 'b', A: 'DELETE', U: 'TRUE' },
      { ID: '2', V: 'B', A: 'INSERT', U: 'TRUE' },
    ]);
    expect(await changes(`DEFAULT) BEFORE(STATEMENT => '${first.queryId}')`)).toEqual([{ ID: '2', V: 'B', A: 'INSERT', U: 'FALSE' }]);
    expect(await changes(`APPEND_ONLY) BEFORE(STATEMENT => '${first.queryId}')`)).toEqual([
      { ID: '1', V: 'a', A: 'INSERT', U: 'FALSE' },
      { ID: '2', V: 'b', A: 'INSERT', U: 'FALSE' },
    ]);
  });

  it('AT(TIMESTAMP => …) and AT(OFFSET => -n) read from a point in time; END(…) closes the range (https://docs.snowflake.com/en/sql-reference/constructs/changes)', async () => {
    await client.run(`CREATE OR REPLACE TABLE ${t} (ID NUMBER, V VARCHAR)`);
    await client.run(`ALTER TABLE ${t} SET CHANGE_TRACKING = TRUE`);
    const mark = ((await client.run('SELECT CURRENT_TIMESTAMP()::VARCHAR AS NOW')).rows as Array<{ NOW: string }>)[0]!.NOW;
    await client.run(`INSERT INTO ${t} VALUES (3, 'c')`);
    const second = await client.run(`INSERT INTO ${t} VALUES (4, 'd')`);
    expect(await changes(`DEFAULT) AT(TIMESTAMP => '${mark}'::TIMESTAMP_LTZ)`)).toEqual([
      { ID: '3', V: 'c', A: 'INSERT', U: 'FALSE' },
      { ID: '4', V: 'd', A: 'INSERT', U: 'FALSE' },
    ]);
    expect(await changes(`DEFAULT) AT(TIMESTAMP => '${mark}'::TIMESTAMP_LTZ) END(STATEMENT => '${second.queryId}')`)).toHaveLength(2);
    expect(await changes(`DEFAULT) BEFORE(STATEMENT => '${second.queryId}') END(STATEMENT => '${second.queryId}')`)).toEqual([{ ID: '4', V: 'd', A: 'INSERT', U: 'FALSE' }]);
    expect(await changes('DEFAULT) AT(OFFSET => -3600)').catch((e: { code: string }) => e.code)).toBe('002294');
    expect(await changes('DEFAULT) AT(OFFSET => 0)')).toEqual([]);
  });

  it('a table without change tracking is refused, without naming the engine underneath (https://docs.snowflake.com/en/sql-reference/constructs/changes#usage-notes)', async () => {
    await client.run(`CREATE OR REPLACE TABLE ${t} (ID NUMBER, V VARCHAR)`);
    const error = await client.fail(`SELECT * FROM ${t} CHANGES(INFORMATION => DEFAULT) AT(OFFSET => -60)`);
    expect(error).toMatchObject({ code: '002294', message: expect.stringMatching(/Change tracking is not enabled/) });
    expect(error.message).not.toMatch(ENGINE_LEAKS);
  });
});

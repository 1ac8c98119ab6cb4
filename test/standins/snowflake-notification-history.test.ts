/**
 * SYSTEM$SEND_SNOWFLAKE_NOTIFICATION queues, delivery is reported by INFORMATION_SCHEMA.NOTIFICATION_HISTORY
 * (https://docs.snowflake.com/en/sql-reference/functions/notification_history), through the real snowflake-sdk:
 * SUCCESS after the catcher received the message; a destination that closes the connection or answers 404 gives one
 * RETRIABLE_FAILURE row per failed attempt (same ID) then FAILURE, with the response body in ERROR_MESSAGE; a role
 * that neither owns the integration nor has USAGE on it (nor is ACCOUNTADMIN) sees no rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { connect, destroy, query, standinOptions, type Connection } from '../../standins/snowflake/driver-helpers.js';

let standin: SnowflakeStandin;
let conn: Connection;
const run = async (sql: string) => (await query(conn, sql)).rows as Array<Record<string, unknown>>;
const send = (text: string, integration: string) => run(`CALL SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(SNOWFLAKE.NOTIFICATION.TEXT_PLAIN('${text}'), SNOWFLAKE.NOTIFICATION.INTEGRATION('${integration}'))`);
const history = (integration: string) => run(`SELECT ID, ATTEMPT, STATUS, ERROR_MESSAGE FROM TABLE(DEMO_DB.INFORMATION_SCHEMA.NOTIFICATION_HISTORY(INTEGRATION_NAME => '${integration}', RESULT_LIMIT => 100)) ORDER BY CREATED DESC, ATTEMPT DESC`);
const hook = (name: string, secret: string) => run(`CREATE NOTIFICATION INTEGRATION ${name} TYPE = WEBHOOK ENABLED = TRUE WEBHOOK_URL = 'https://hooks.slack.com/services/SNOWFLAKE_WEBHOOK_SECRET'
  WEBHOOK_SECRET = DEMO_DB.HIST.${secret} WEBHOOK_BODY_TEMPLATE = '{"text": "SNOWFLAKE_WEBHOOK_MESSAGE"}' WEBHOOK_HEADERS = ('Content-Type'='application/json')`);

beforeAll(async () => {
  standin = await startSnowflakeStandin({ profile: 'full' });
  conn = await connect(standinOptions(standin));
  await run('CREATE SCHEMA DEMO_DB.HIST');
  await run("CREATE SECRET DEMO_DB.HIST.GOOD TYPE = GENERIC_STRING SECRET_STRING = 'T1/B1/goodSecret'");
  await run("CREATE SECRET DEMO_DB.HIST.DOWN TYPE = GENERIC_STRING SECRET_STRING = 'T2/B2/downSecret'");
  await run("CREATE SECRET DEMO_DB.HIST.GONE TYPE = GENERIC_STRING SECRET_STRING = 'T3/B3/goneSecret'");
  await hook('GOOD_HOOK', 'GOOD');
  await hook('DOWN_HOOK', 'DOWN');
  await hook('GONE_HOOK', 'GONE');
});

afterAll(async () => {
  await destroy(conn);
  await standin.close();
});

describe('NOTIFICATION_HISTORY', () => {
  it('a delivered message: the CALL returns, then one SUCCESS row once the catcher has it', async () => {
    await send('hello', 'GOOD_HOOK');
    await standin.runtime!.alerts.deliveries.idle();
    const caught = standin.runtime!.catcher!.messages.filter((m) => m.target === 'https://hooks.slack.com/services/T1/B1/goodSecret');
    expect(caught.map((m) => JSON.parse(m.body))).toEqual([{ text: 'hello' }]);
    const rows = await history('GOOD_HOOK');
    expect(rows).toEqual([{ ID: expect.any(String), ATTEMPT: 1, STATUS: 'SUCCESS', ERROR_MESSAGE: null }]);
  });

  it('a host that closes the connection: RETRIABLE_FAILURE per attempt, then FAILURE, all under one ID', async () => {
    standin.runtime!.catcher!.refuse('hooks.slack.com/services/T2/', 'close');
    await send('down', 'DOWN_HOOK');
    await standin.runtime!.alerts.deliveries.idle();
    const rows = await history('DOWN_HOOK');
    expect(rows.map((r) => [r.ATTEMPT, r.STATUS])).toEqual([[3, 'FAILURE'], [2, 'RETRIABLE_FAILURE'], [1, 'RETRIABLE_FAILURE']]);
    expect(new Set(rows.map((r) => r.ID)).size).toBe(1);
    expect(String(rows[0]!.ERROR_MESSAGE)).toMatch(/connection to the destination failed/);
  });

  it('a 404: ERROR_MESSAGE carries the response body (which may echo the secret part, as the docs warn)', async () => {
    standin.runtime!.catcher!.refuse('hooks.slack.com/services/T3/', 'not-found');
    await send('gone', 'GONE_HOOK');
    await standin.runtime!.alerts.deliveries.idle();
    const [last] = await history('GONE_HOOK');
    expect(last).toMatchObject({ STATUS: 'FAILURE', ATTEMPT: 3 });
    expect(String(last!.ERROR_MESSAGE)).toMatch(/HTTP 404: .*no_service.*goneSecret/);
  });

  it('rows only for ACCOUNTADMIN, the integration owner or a role with USAGE on it', async () => {
    const [{ ROLE: home }] = (await run('SELECT CURRENT_ROLE() AS ROLE')) as [{ ROLE: string }];
    await run('USE ROLE ACCOUNTADMIN');
    await run('CREATE ROLE NOTIF_READER');
    await run(`GRANT ROLE NOTIF_READER TO USER ${standin.defaultUser.user}`);
    await run('GRANT USAGE ON DATABASE DEMO_DB TO ROLE NOTIF_READER');
    await run('USE ROLE NOTIF_READER');
    try {
      expect(await history('GOOD_HOOK')).toEqual([]);
      await run(`USE ROLE ${home}`);
      expect(await history('GOOD_HOOK')).toHaveLength(1);
      await run('USE ROLE ACCOUNTADMIN');
      await run('GRANT USAGE ON INTEGRATION GOOD_HOOK TO ROLE NOTIF_READER');
      await run('USE ROLE NOTIF_READER');
      expect(await history('GOOD_HOOK')).toHaveLength(1);
      expect(await history('GONE_HOOK')).toEqual([]);
    } finally {
      await run(`USE ROLE ${home}`);
    }
  });
});

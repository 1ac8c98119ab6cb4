/**
 * Alerts and notification integrations in the Snowflake stand-in, through the real snowflake-sdk: CREATE
 * NOTIFICATION INTEGRATION's documented refusals (webhook not https / not a supported host, unverified email),
 * CREATE ALERT (suspended), EXECUTE ALERT, scheduled evaluation on the accelerated clock, delivery to the catchers
 * (webhook with the secret substituted, mailbox), SHOW ALERTS, ALERT_HISTORY, the SHOW ->> SELECT pipe, DROP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { connect, destroy, query, standinOptions, type Connection } from '../../standins/snowflake/driver-helpers.js';

let standin: SnowflakeStandin;
let conn: Connection;
const run = async (sql: string) => (await query(conn, sql)).rows;
const catcher = () => standin.runtime!.catcher!;

beforeAll(async () => {
  standin = await startSnowflakeStandin({ profile: 'full', taskTimeScale: 600 });
  conn = await connect(standinOptions(standin));
  await run('CREATE SCHEMA DEMO_DB.ALERTS');
  await run('CREATE TABLE DEMO_DB.ALERTS.RUNS (STATUS VARCHAR)');
  await run("CREATE SECRET DEMO_DB.ALERTS.HOOK TYPE = GENERIC_STRING SECRET_STRING = 'T000/B000/XYZ'");
});

afterAll(async () => {
  await destroy(conn);
  await standin.close();
});

describe('CREATE NOTIFICATION INTEGRATION', () => {
  it('refuses a webhook URL that is not https, or not a documented destination', async () => {
    await expect(run("CREATE NOTIFICATION INTEGRATION BAD_HOOK TYPE = WEBHOOK ENABLED = TRUE WEBHOOK_URL = 'http://hooks.slack.com/services/x'")).rejects.toThrow(/https:\/\/ protocol/);
    await expect(run("CREATE NOTIFICATION INTEGRATION BAD_HOOK TYPE = WEBHOOK ENABLED = TRUE WEBHOOK_URL = 'https://example.com/hook'")).rejects.toThrow(/only Slack/);
    expect(await run("SHOW INTEGRATIONS LIKE 'BAD_HOOK'")).toEqual([]);
  });

  it('refuses an email address no user of the account has verified', async () => {
    await expect(run("CREATE NOTIFICATION INTEGRATION MAIL TYPE = EMAIL ENABLED = TRUE ALLOWED_RECIPIENTS = ('nobody@example.com')")).rejects.toThrow(/not yet validated or do not belong to any user/);
    await run("ALTER USER SANDBOX_USER SET EMAIL = 'new.address@example.com'");
    await expect(run("CREATE NOTIFICATION INTEGRATION MAIL TYPE = EMAIL ENABLED = TRUE ALLOWED_RECIPIENTS = ('new.address@example.com')")).rejects.toThrow(/indexes \[0\]/);
    standin.runtime!.alerts.deliveries.verifyEmail('SANDBOX_USER');
    await run("CREATE NOTIFICATION INTEGRATION MAIL TYPE = EMAIL ENABLED = TRUE ALLOWED_RECIPIENTS = ('new.address@example.com') DEFAULT_RECIPIENTS = ('new.address@example.com') DEFAULT_SUBJECT = 'sync alert'");
  });

  it('creates a Slack webhook whose secret lives in a SECRET', async () => {
    await run(`CREATE NOTIFICATION INTEGRATION HOOK TYPE = WEBHOOK ENABLED = TRUE WEBHOOK_URL = 'https://hooks.slack.com/services/SNOWFLAKE_WEBHOOK_SECRET'
      WEBHOOK_SECRET = DEMO_DB.ALERTS.HOOK WEBHOOK_BODY_TEMPLATE = '{"text": "SNOWFLAKE_WEBHOOK_MESSAGE"}' WEBHOOK_HEADERS = ('Content-Type'='application/json')`);
    expect(await run("SHOW INTEGRATIONS LIKE 'HOOK'")).toHaveLength(1);
  });
});

describe('alerts', () => {
  const createAlert = (name: string, schedule = '1 MINUTE') => run(`CREATE OR REPLACE ALERT DEMO_DB.ALERTS.${name} WAREHOUSE = SANDBOX_WH SCHEDULE = '${schedule}'
    IF (EXISTS (SELECT 1 FROM DEMO_DB.ALERTS.RUNS WHERE STATUS = 'ERROR'))
    THEN CALL SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(SNOWFLAKE.NOTIFICATION.TEXT_PLAIN('A run "failed". Next: npx batch-snowflake logs'), (SNOWFLAKE.NOTIFICATION.INTEGRATION('HOOK'), SNOWFLAKE.NOTIFICATION.INTEGRATION('MAIL')))`);

  it('are created suspended; EXECUTE ALERT evaluates now: CONDITION_FALSE, then TRIGGERED with both messages delivered', async () => {
    await createAlert('RUN_FAILED');
    expect(await run("SHOW ALERTS LIKE 'RUN_FAILED' IN SCHEMA DEMO_DB.ALERTS")).toEqual([expect.objectContaining({ name: 'RUN_FAILED', state: 'suspended', schedule: '1 MINUTE', warehouse: 'SANDBOX_WH' })]);
    const alerts = standin.runtime!.alerts;
    let after = alerts.runs.length;
    await run('EXECUTE ALERT DEMO_DB.ALERTS.RUN_FAILED');
    expect((await alerts.waitForRun('RUN_FAILED', { after })).state).toBe('CONDITION_FALSE');
    await run("INSERT INTO DEMO_DB.ALERTS.RUNS VALUES ('ERROR')");
    after = alerts.runs.length;
    await run('EXECUTE ALERT DEMO_DB.ALERTS.RUN_FAILED');
    expect((await alerts.waitForRun('RUN_FAILED', { after })).state).toBe('TRIGGERED');
    const hook = await catcher().waitFor((m) => m.channel === 'webhook');
    expect(hook.target).toBe('https://hooks.slack.com/services/T000/B000/XYZ');
    expect(JSON.parse(hook.body)).toEqual({ text: 'A run "failed". Next: npx batch-snowflake logs' });
    const mail = await catcher().waitFor((m) => m.channel === 'email');
    expect(mail).toMatchObject({ to: ['new.address@example.com'], subject: 'sync alert', body: 'A run "failed". Next: npx batch-snowflake logs' });
    const history = await run("SELECT STATE FROM TABLE(DEMO_DB.INFORMATION_SCHEMA.ALERT_HISTORY(ALERT_NAME => 'RUN_FAILED')) ORDER BY SCHEDULED_TIME");
    expect(history.map((r) => r.STATE)).toEqual(['CONDITION_FALSE', 'TRIGGERED']);
  });

  it('a resumed alert is evaluated on its schedule (accelerated clock); SUSPEND and DROP stop it', async () => {
    await createAlert('SCHEDULED');
    const alerts = standin.runtime!.alerts;
    const after = alerts.runs.length;
    await run('ALTER ALERT DEMO_DB.ALERTS.SCHEDULED RESUME');
    expect((await run("SHOW ALERTS LIKE 'SCHEDULED' IN SCHEMA DEMO_DB.ALERTS"))[0]).toMatchObject({ state: 'started' });
    const evaluated = await alerts.waitForRun('SCHEDULED', { after, timeoutMs: 5_000 });
    expect(evaluated).toMatchObject({ state: 'TRIGGERED', scheduledFrom: 'SCHEDULE' });
    await run('ALTER ALERT DEMO_DB.ALERTS.SCHEDULED SUSPEND');
    await run('DROP ALERT DEMO_DB.ALERTS.SCHEDULED');
    expect(await run("SHOW ALERTS LIKE 'SCHEDULED' IN SCHEMA DEMO_DB.ALERTS")).toEqual([]);
    await expect(run('ALTER ALERT DEMO_DB.ALERTS.SCHEDULED RESUME')).rejects.toMatchObject({ code: '002003' });
  });

  it('dropping the schema drops its alerts', async () => {
    await run('CREATE SCHEMA DEMO_DB.GONE');
    await run(`CREATE ALERT DEMO_DB.GONE.A WAREHOUSE = SANDBOX_WH SCHEDULE = '5 MINUTE' IF (EXISTS (SELECT 1)) THEN SELECT 1`);
    expect(await run('SHOW ALERTS IN SCHEMA DEMO_DB.GONE')).toHaveLength(1);
    await run('DROP SCHEMA DEMO_DB.GONE');
    expect((await run('SHOW ALERTS IN ACCOUNT')).filter((r) => r.schema_name === 'GONE')).toEqual([]);
  });

  it('an alert condition can filter SHOW output with the pipe operator', async () => {
    await run('CREATE TABLE DEMO_DB.ALERTS.SRC (ID INT) CHANGE_TRACKING = TRUE');
    await run('CREATE STREAM DEMO_DB.ALERTS.S ON TABLE DEMO_DB.ALERTS.SRC');
    const soon = await run(`SHOW STREAMS LIKE 'S' IN SCHEMA DEMO_DB.ALERTS ->> SELECT "name" FROM $1 WHERE "stale" = 'true' OR "stale_after" < DATEADD('day', 20, CURRENT_TIMESTAMP())`);
    expect(soon).toEqual([{ name: 'S' }]);
    const notSoon = await run(`SHOW STREAMS LIKE 'S' IN SCHEMA DEMO_DB.ALERTS ->> SELECT "name" FROM $1 WHERE "stale" = 'true' OR "stale_after" < DATEADD('day', 2, CURRENT_TIMESTAMP())`);
    expect(notSoon).toEqual([]);
  });
});

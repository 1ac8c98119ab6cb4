/**
 * The webhook test step (src/apply/webhook-test.ts) against the Snowflake stand-in through the real client: the
 * statements it costs (one history read, the CALL, then history reads until the request is SUCCESS or FAILURE) and
 * the error for a host that closes the connection, with the secret part redacted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../shared/snowflake/client.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { redact, testWebhook } from '../../src/apply/webhook-test.js';
import { webhookTestStep } from '../../src/plan/alert-steps.js';
import { UserError } from '../../shared/errors.js';

let standin: SnowflakeStandin;
let session: SnowflakeSession;
const step = (integration: string) => webhookTestStep([integration], 'hooks.slack.com', ['DEMO_DB', 'HOOKS']);
const hook = async (name: string, secret: string) => {
  await session.query(`CREATE SECRET DEMO_DB.HOOKS.${name} TYPE = GENERIC_STRING SECRET_STRING = '${secret}'`);
  await session.query(`CREATE NOTIFICATION INTEGRATION ${name} TYPE = WEBHOOK ENABLED = TRUE WEBHOOK_URL = 'https://hooks.slack.com/services/SNOWFLAKE_WEBHOOK_SECRET' WEBHOOK_SECRET = DEMO_DB.HOOKS.${name} WEBHOOK_BODY_TEMPLATE = '{"text": "SNOWFLAKE_WEBHOOK_MESSAGE"}' WEBHOOK_HEADERS = ('Content-Type'='application/json')`);
};

beforeAll(async () => {
  standin = await startSnowflakeStandin({ profile: 'full' });
  session = await connect({ account: standin.account, accessUrl: standin.accessUrl, username: standin.defaultUser.user, password: standin.defaultUser.password, warehouse: standin.defaultUser.warehouse, database: standin.defaultUser.database });
  await session.query('CREATE SCHEMA DEMO_DB.HOOKS');
  await hook('LIVE', 'T5/B5/liveSecretValue');
  await hook('DOWN', 'T6/B6/downSecretValue');
}, 60_000);
afterAll(async () => {
  await session?.destroy();
  await standin?.close();
});

describe('webhook test step', () => {
  it('a reachable webhook: delivered, in 1 history read + 1 CALL + 1 or 2 polls', async () => {
    let statements = 0;
    const done = await testWebhook(step('LIVE'), { session, secrets: { BATCH_ALERT_WEBHOOK_SECRET: 'T5/B5/liveSecretValue' }, counted: () => { statements += 1; } });
    expect(done).toBe('test notification delivered to hooks.slack.com');
    expect(standin.runtime!.catcher!.messages.map((m) => m.target)).toContain('https://hooks.slack.com/services/T5/B5/liveSecretValue');
    expect(statements).toBeGreaterThanOrEqual(3);
    expect(statements).toBeLessThanOrEqual(4);
  });

  it('a host that closes the connection: ALERT_WEBHOOK_UNREACHABLE once the history says FAILURE; an earlier request is not taken for it', async () => {
    await testWebhook(step('DOWN'), { session, secrets: {}, counted: () => undefined });
    standin.runtime!.catcher!.refuse('hooks.slack.com/services/T6/', 'close');
    const error = await testWebhook(step('DOWN'), { session, secrets: { BATCH_ALERT_WEBHOOK_SECRET: 'T6/B6/downSecretValue' }, counted: () => undefined }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: 'ALERT_WEBHOOK_UNREACHABLE', kind: 'usage' });
    expect((error as UserError).message).toMatch(/^Snowflake could not deliver the test notification to hooks\.slack\.com: .*connection to the destination failed.*No alert was created/s);
    expect((error as UserError).message).not.toContain('downSecretValue');
  });

  it('redacts the secret values, the path of a Slack/Teams URL and key-like tokens from ERROR_MESSAGE, not names', () => {
    const text = 'HTTP 404 for BATCH_SYNC_ALERT_WEBHOOK: {"path":"/services/T1/B2/abc","key":"Ab12Cd34Ef56Gh78Ij90Kl","echo":"my-secret-value"}';
    expect(redact(text, { BATCH_ALERT_WEBHOOK_SECRET: 'my-secret-value' })).toBe('HTTP 404 for BATCH_SYNC_ALERT_WEBHOOK: {"path":"/services/<redacted>","key":"<redacted>","echo":"<redacted>"}');
  });
});

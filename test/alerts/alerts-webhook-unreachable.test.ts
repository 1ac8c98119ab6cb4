/**
 * Issue 17 §2 bad input "a webhook URL that is not reachable", through the built CLI, the real driver and the
 * stand-ins: init sends a test message right after the webhook integration and waits for NOTIFICATION_HISTORY to
 * report it. A webhook whose host refuses (the catcher answers 404 for it, echoing the path that holds the secret part)
 * stops init with ALERT_WEBHOOK_UNREACHABLE before any alert exists, and the secret part shows nowhere. Rerun with a
 * working URL: the test message reaches the webhook and the alerts are created and started.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExternalInstall, TARGET, type ExternalInstall } from '../external/support.js';

const DEAD_SECRET = 'T9/B9/deadHookSecretPart';
const LIVE_SECRET = 'T8/B8/liveHookSecretPart';
let t: ExternalInstall;
const init = (env: Record<string, string>) =>
  t.cli(['init', '--runner', 'external', '--no-interactive', '--yes', '--json', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', t.sandbox.connection.batch.projectKey, '--target', TARGET, '--alert-webhook'], { env });
const catcher = () => t.sandbox.snowflake.runtime!.catcher!;

beforeAll(async () => {
  t = await startExternalInstall({ skipInit: true });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('init with a webhook Snowflake cannot reach', () => {
  it('fails with ALERT_WEBHOOK_UNREACHABLE after the test send, before any alert; the secret part is nowhere', async () => {
    catcher().refuse('hooks.slack.com/services/T9/', 'not-found');
    const run = await init({ BATCH_ALERT_WEBHOOK_URL: `https://hooks.slack.com/services/${DEAD_SECRET}` });
    expect(run.code, run.stderr).toBe(2);
    const error = JSON.parse(run.stdout).error;
    expect(error.code).toBe('ALERT_WEBHOOK_UNREACHABLE');
    expect(error.message).toMatch(/Snowflake could not deliver the test notification to hooks\.slack\.com: .*HTTP 404/);
    expect(error.message).toContain('No alert was created');
    expect(error.suggestion).toMatch(/Check the webhook URL.*BATCH_ALERT_WEBHOOK_URL.*Then rerun: batch-snowflake init/s);
    expect(error.details.failedStep).toBe('alert-webhook-test');
    // The catcher's 404 body echoed the path: Snowflake's ERROR_MESSAGE held the secret part, the error does not.
    const history = await t.admin.query<Record<string, string>>("SELECT ERROR_MESSAGE FROM TABLE(DEMO_DB.INFORMATION_SCHEMA.NOTIFICATION_HISTORY(INTEGRATION_NAME => 'BATCH_SYNC_ALERT_WEBHOOK')) WHERE STATUS = 'FAILURE'");
    expect(history.rows.map((r) => r.ERROR_MESSAGE).join('\n')).toContain('deadHookSecretPart');
    for (const part of ['deadHookSecretPart', DEAD_SECRET, 'T9/B9']) expect(run.stdout + run.stderr).not.toContain(part);
    expect((await t.admin.query('SHOW ALERTS IN ACCOUNT')).rows).toEqual([]);
  });

  it('rerun with a working URL: the test message arrives, then the four alerts are created and started', async () => {
    const seen = catcher().messages.length;
    const run = await init({ BATCH_ALERT_WEBHOOK_URL: `https://hooks.slack.com/services/${LIVE_SECRET}` });
    expect(run.code, run.stderr).toBe(0);
    const test = await catcher().waitFor((m) => m.seq > seen && m.channel === 'webhook', 5_000);
    expect(test.target).toBe(`https://hooks.slack.com/services/${LIVE_SECRET}`);
    expect(JSON.parse(test.body)).toEqual({ text: `batch-snowflake: alerts for ${TARGET} are set up; this is a test` });
    const alerts = await t.admin.query<Record<string, string>>(`SHOW ALERTS IN SCHEMA ${TARGET}`);
    expect(alerts.rows.map((r) => [r.name, r.state]).sort()).toEqual([
      ['BATCH_SYNC_ALERT_NO_SUCCESS', 'started'], ['BATCH_SYNC_ALERT_REJECTS', 'started'], ['BATCH_SYNC_ALERT_RUN_FAILED', 'started'], ['BATCH_SYNC_ALERT_STREAM_STALE', 'started'],
    ]);
    expect(run.stdout + run.stderr).not.toContain('liveHookSecretPart');
  });
});

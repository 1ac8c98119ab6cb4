/**
 * Issue 17 §2 bad input, through the built CLI and the stand-ins: a webhook URL that is not https, or not a
 * destination Snowflake sends to, stops init before it connects; an email address that is no user's stops it
 * before anything is written (SHOW USERS); a user's address that is not verified is refused by CREATE NOTIFICATION
 * INTEGRATION, which the plan runs first, so nothing else is created either. No alert is ever created half-way.
 * The dry run shows the webhook secret's placeholder, never the secret.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExternalInstall, TARGET, type ExternalInstall } from '../external/support.js';

let t: ExternalInstall;
const init = (extra: string[], env: Record<string, string> = {}) =>
  t.cli(['init', '--runner', 'external', '--no-interactive', '--yes', '--json', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', t.sandbox.connection.batch.projectKey, '--target', TARGET, ...extra], { env });

async function nothingCreated(): Promise<void> {
  expect((await t.admin.query("SHOW SCHEMAS LIKE 'BATCH_SYNC' IN DATABASE DEMO_DB")).rows).toEqual([]);
  expect((await t.admin.query("SHOW INTEGRATIONS LIKE 'BATCH_SYNC_ALERT_%'")).rows).toEqual([]);
  expect((await t.admin.query('SHOW ALERTS IN ACCOUNT')).rows).toEqual([]);
  expect(existsSync(path.join(t.dir, 'batch-snowflake.json'))).toBe(false);
}

beforeAll(async () => {
  t = await startExternalInstall({ skipInit: true });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('init alert bad input', () => {
  it('a webhook URL that is not https: refused before connecting, nothing created', async () => {
    const run = await init(['--alert-webhook'], { BATCH_ALERT_WEBHOOK_URL: 'http://hooks.slack.com/services/T1/B2/abc' });
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout).error;
    expect(error.code).toBe('ALERT_WEBHOOK_NOT_HTTPS');
    expect(error.suggestion).toContain('BATCH_ALERT_WEBHOOK_URL');
    expect(run.stdout + run.stderr).not.toContain('abc');
    await nothingCreated();
  });

  it('an https URL Snowflake does not send webhooks to: refused, nothing created', async () => {
    const run = await init(['--alert-webhook'], { BATCH_ALERT_WEBHOOK_URL: 'https://example.com/my-hook' });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.code).toBe('ALERT_WEBHOOK_UNSUPPORTED');
    await nothingCreated();
  });

  it('--alert-webhook without the URL in env (no terminal): says where the URL goes', async () => {
    const run = await init(['--alert-webhook']);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain('BATCH_ALERT_WEBHOOK_URL');
    await nothingCreated();
  });

  it('an email address that is no user of the account: refused before anything is written', async () => {
    const run = await init(['--alert-email', 'nobody@example.com']);
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout).error;
    expect(error.code).toBe('ALERT_EMAIL_NOT_A_USER');
    expect(error.suggestion).toContain('SYSTEM$START_USER_EMAIL_VERIFICATION');
    await nothingCreated();
  });

  it("a user's address that is not verified: Snowflake refuses the integration, the plan's first step, so nothing else exists", async () => {
    await t.admin.query("ALTER USER SANDBOX_USER SET EMAIL = 'unverified@example.com'");
    const run = await init(['--alert-email', 'unverified@example.com']);
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout).error;
    expect(error.code).toBe('ALERT_EMAIL_NOT_VERIFIED');
    expect(error.message).toMatch(/not yet validated or do not belong to any user/);
    expect(error.suggestion).toContain('SYSTEM$START_USER_EMAIL_VERIFICATION');
    expect((await t.admin.query("SHOW SCHEMAS LIKE 'BATCH_SYNC' IN DATABASE DEMO_DB")).rows).toEqual([]);
    expect((await t.admin.query('SHOW ALERTS IN ACCOUNT')).rows).toEqual([]);
    expect((await t.admin.query("SHOW STREAMS IN ACCOUNT")).rows.filter((r: Record<string, unknown>) => r.schema_name === 'BATCH_SYNC')).toEqual([]);

    // The suggested fix works: the verification email arrives, the user follows its link, init then succeeds.
    const catcher = t.sandbox.snowflake.runtime!.catcher!;
    const seen = catcher.messages.length;
    await t.admin.query("SELECT SYSTEM$START_USER_EMAIL_VERIFICATION('SANDBOX_USER')");
    const mail = await catcher.waitFor((m) => m.seq > seen && m.channel === 'email');
    expect(mail.to).toEqual(['unverified@example.com']);
    const link = /(http:\/\/\S+\/verify-email\?token=\S+)/.exec(mail.body)?.[1];
    expect((await fetch(link!)).status).toBe(200);
    const again = await init(['--alert-email', 'unverified@example.com']);
    expect(again.code, again.stderr).toBe(0);
    expect((await t.admin.query("SHOW INTEGRATIONS LIKE 'BATCH_SYNC_ALERT_EMAIL'")).rows).toHaveLength(1);
  });

  it('the dry run shows the webhook secret placeholder, never the secret', async () => {
    const run = await t.cli(['init', '--dry-run', '--offline', '--no-interactive', '--runner', 'external', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', 'p', '--target', TARGET, '--alert-webhook', '--config', 'dry.json'], { env: { BATCH_ALERT_WEBHOOK_URL: 'https://hooks.slack.com/services/T1/B2/topSecretPart' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("SECRET_STRING = '<from BATCH_ALERT_WEBHOOK_URL>'");
    expect(run.stdout).toContain("WEBHOOK_URL = 'https://hooks.slack.com/services/SNOWFLAKE_WEBHOOK_SECRET'");
    expect(run.stdout).toMatch(/CREATE OR REPLACE ALERT DEMO_DB\.BATCH_SYNC\.BATCH_SYNC_ALERT_RUN_FAILED/);
    // The webhook test, between the integration and the alerts: the CALL, then the NOTIFICATION_HISTORY read it polls.
    const test = run.stdout.indexOf("CALL SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(SNOWFLAKE.NOTIFICATION.TEXT_PLAIN('batch-snowflake: alerts for DEMO_DB.BATCH_SYNC are set up; this is a test'), SNOWFLAKE.NOTIFICATION.INTEGRATION('BATCH_SYNC_ALERT_WEBHOOK'));");
    expect(test).toBeGreaterThan(run.stdout.indexOf('CREATE OR REPLACE NOTIFICATION INTEGRATION BATCH_SYNC_ALERT_WEBHOOK'));
    expect(test).toBeLessThan(run.stdout.indexOf('CREATE OR REPLACE ALERT'));
    expect(run.stdout).toContain("INFORMATION_SCHEMA.NOTIFICATION_HISTORY(INTEGRATION_NAME => 'BATCH_SYNC_ALERT_WEBHOOK'");
    expect(run.stdout + run.stderr).not.toContain('topSecretPart');
  });
});

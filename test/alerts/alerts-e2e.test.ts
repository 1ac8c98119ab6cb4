/**
 * Issue 17 §2 end to end: `init --alert-email … --alert-webhook` (URL from env) on the stand-in creates the
 * notification integrations, the webhook's SECRET and four started ALERTs per sync; each alert kind fires through
 * the real driver and stand-in (EXECUTE ALERT drives the alert clock) and its message — what happened and the
 * command to run next — reaches the catchers (webhook receiver and mailbox). `status` lists the alerts and when
 * each last fired; `uninstall` removes alerts, integrations and secret. The webhook secret never shows in output
 * or in batch-snowflake.json.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExternalInstall, STREAM, TARGET, type ExternalInstall } from '../external/support.js';
import type { CaughtMessage } from '../../standins/notifications/catcher.js';

const WEBHOOK_SECRET = 'T0001/B0002/alertsSecretXYZ';
const EMAIL = 'sandbox.user@example.com';
let t: ExternalInstall;
let initOutput = '';

const alertsRuntime = () => t.sandbox.snowflake.runtime!.alerts;
const catcher = () => t.sandbox.snowflake.runtime!.catcher!;
const RUNS = `${TARGET}.BATCH_SYNC_RUNS`;

/** EXECUTE ALERT (the alert clock, driven explicitly) and the evaluation's end state. */
async function evaluate(alert: string): Promise<string> {
  const after = alertsRuntime().runs.length;
  await t.admin.query(`EXECUTE ALERT ${TARGET}.${alert}`);
  return (await alertsRuntime().waitForRun(alert, { after, timeoutMs: 20_000 })).state;
}
const after = (seq: number) => (m: CaughtMessage) => m.seq > seq;

beforeAll(async () => {
  t = await startExternalInstall({
    initArgs: ['--alert-email', EMAIL, '--alert-webhook', '--alert-reject-percent', '10', '--alert-stale-hours', '6'],
    initEnv: { BATCH_ALERT_WEBHOOK_URL: `https://hooks.slack.com/services/${WEBHOOK_SECRET}` },
  });
  const first = await t.cli(['sync']);
  if (first.code !== 0) throw new Error(`first sync failed: ${first.stderr}`);
  initOutput = first.stdout + first.stderr;
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('init with alerts', () => {
  it('creates the integrations, the secret and four started alerts; the webhook secret is nowhere in the config', async () => {
    const { rows } = await t.admin.query<Record<string, string>>(`SHOW ALERTS IN SCHEMA ${TARGET}`);
    expect(rows.map((r) => [r.name, r.state]).sort()).toEqual([
      ['BATCH_SYNC_ALERT_NO_SUCCESS', 'started'], ['BATCH_SYNC_ALERT_REJECTS', 'started'], ['BATCH_SYNC_ALERT_RUN_FAILED', 'started'], ['BATCH_SYNC_ALERT_STREAM_STALE', 'started'],
    ]);
    const integrations = await t.admin.query<Record<string, string>>("SHOW INTEGRATIONS LIKE 'BATCH_SYNC_ALERT_%'");
    expect(integrations.rows.map((r) => r.name).sort()).toEqual(['BATCH_SYNC_ALERT_EMAIL', 'BATCH_SYNC_ALERT_WEBHOOK']);
    const config = await readFile(path.join(t.dir, 'batch-snowflake.json'), 'utf8');
    expect(config).not.toContain(WEBHOOK_SECRET);
    expect(JSON.parse(config).project.alerts).toEqual({ email: EMAIL, webhook: { kind: 'slack', url: 'https://hooks.slack.com/services/SNOWFLAKE_WEBHOOK_SECRET' } });
    expect(initOutput).not.toContain(WEBHOOK_SECRET);
  });
});

describe('each alert kind delivers its message', () => {
  it('a run failed: the failing sync run (Batch refuses the key) fires RUN_FAILED to the webhook and the mailbox', async () => {
    expect(await evaluate('BATCH_SYNC_ALERT_RUN_FAILED')).toBe('CONDITION_FALSE');
    await t.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Changed' WHERE ID = 1");
    const failed = await t.cli(['sync'], { env: { BATCH_REST_API_KEY: 'wrong-key' } });
    expect(failed.code, failed.stderr).not.toBe(0);
    const seq = catcher().messages.length;
    expect(await evaluate('BATCH_SYNC_ALERT_RUN_FAILED')).toBe('TRIGGERED');
    const hook = await catcher().waitFor((m) => after(seq)(m) && m.channel === 'webhook');
    expect(hook.target).toBe(`https://hooks.slack.com/services/${WEBHOOK_SECRET}`);
    expect(JSON.parse(hook.body).text).toBe('batch-snowflake sync "default": a sync run failed (status ERROR in BATCH_SYNC_RUNS); nothing is lost, the next run retries. Next: npx batch-snowflake logs --sync default');
    const mail = await catcher().waitFor((m) => after(seq)(m) && m.channel === 'email');
    expect(mail.to).toEqual([EMAIL]);
    expect(mail.body).toContain('Next: npx batch-snowflake logs --sync default');
  });

  it('a run rejecting more than the threshold (bad URLs) fires REJECTS', async () => {
    expect(await evaluate('BATCH_SYNC_ALERT_REJECTS')).toBe('CONDITION_FALSE');
    await t.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET PROFILE_URL = 'not a url' WHERE ID <= 3");
    const partial = await t.cli(['sync']);
    expect(partial.code, partial.stderr).toBe(10);
    const seq = catcher().messages.length;
    expect(await evaluate('BATCH_SYNC_ALERT_REJECTS')).toBe('TRIGGERED');
    const hook = await catcher().waitFor((m) => after(seq)(m) && m.channel === 'webhook');
    expect(JSON.parse(hook.body).text).toBe('batch-snowflake sync "default": a run rejected more than 10% of its rows/attributes (details in BATCH_SYNC_REJECTED). Next: npx batch-snowflake status --sync default');
  });

  it('no successful run in N hours fires NO_SUCCESS', async () => {
    expect(await evaluate('BATCH_SYNC_ALERT_NO_SUCCESS')).toBe('CONDITION_FALSE');
    // Seven hours pass without a successful run (the runs move back in time instead of the clock moving on).
    await t.admin.query(`UPDATE ${RUNS} SET STARTED_AT = DATEADD('hour', -7, STARTED_AT), ENDED_AT = DATEADD('hour', -7, ENDED_AT)`);
    const seq = catcher().messages.length;
    expect(await evaluate('BATCH_SYNC_ALERT_NO_SUCCESS')).toBe('TRIGGERED');
    const hook = await catcher().waitFor((m) => after(seq)(m) && m.channel === 'webhook');
    expect(JSON.parse(hook.body).text).toBe('batch-snowflake sync "default": no successful run in the last 6 hours (failing, paused or not running). Next: npx batch-snowflake status --sync default');
  });

  it('a stream going stale within 2 days fires STREAM_STALE', async () => {
    expect(await evaluate('BATCH_SYNC_ALERT_STREAM_STALE')).toBe('CONDITION_FALSE');
    // 13 days without a consumption (stale_after = last consumption + 14 days on the stand-in, reference §1.6).
    const stream = t.sandbox.snowflake.runtime!.engine.core.catalog.object('DEMO_DB', 'BATCH_SYNC', 'BATCH_SYNC_STREAM')!.stream!;
    stream.lastConsumedOn = new Date(Date.now() - 13 * 86_400_000);
    const seq = catcher().messages.length;
    expect(await evaluate('BATCH_SYNC_ALERT_STREAM_STALE')).toBe('TRIGGERED');
    const hook = await catcher().waitFor((m) => after(seq)(m) && m.channel === 'webhook');
    expect(JSON.parse(hook.body).text).toContain(`stream ${STREAM} is stale or goes stale within 2 days`);
    expect(JSON.parse(hook.body).text).toContain('Next: npx batch-snowflake run --sync default');
  });
});

describe('status and uninstall', () => {
  it('status lists the alerts and when each last fired', async () => {
    const status = await t.cli(['status', '--json']);
    const result = JSON.parse(status.stdout).result;
    const alerts = result.alerts as Array<{ name: string; state: string; lastFired: string | null }>;
    expect(alerts.map((a) => a.name).sort()).toEqual(['BATCH_SYNC_ALERT_NO_SUCCESS', 'BATCH_SYNC_ALERT_REJECTS', 'BATCH_SYNC_ALERT_RUN_FAILED', 'BATCH_SYNC_ALERT_STREAM_STALE']);
    for (const alert of alerts) {
      expect(alert.state).toBe('started');
      expect(alert.lastFired).not.toBeNull();
    }
    const human = await t.cli(['status']);
    expect(human.stderr + human.stdout).toMatch(/BATCH_SYNC_ALERT_RUN_FAILED\s+started\s+last fired/);
  });

  it('uninstall drops the alerts, the notification integrations and the webhook secret', async () => {
    const un = await t.cli(['uninstall', '--yes']);
    expect(un.code, un.stderr).toBe(0);
    expect((await t.admin.query(`SHOW ALERTS IN SCHEMA ${TARGET}`)).rows).toEqual([]);
    expect((await t.admin.query("SHOW INTEGRATIONS LIKE 'BATCH_SYNC_ALERT_%'")).rows).toEqual([]);
    expect((await t.admin.query(`SHOW SECRETS LIKE 'BATCH_SYNC_ALERT_WEBHOOK_SECRET' IN SCHEMA ${TARGET}`)).rows).toEqual([]);
  });
});

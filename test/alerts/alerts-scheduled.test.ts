/**
 * The alerts init resumes run on their own schedule (no EXECUTE ALERT): the stand-in's clock runs 3600× faster
 * (an alert's 60 MINUTE schedule passes every real second), a sync run fails, and the run-failed message reaches the
 * webhook catcher. The wait is on the catcher receiving it (bounded), not a sleep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExternalInstall, type ExternalInstall } from '../external/support.js';

let t: ExternalInstall;

beforeAll(async () => {
  t = await startExternalInstall({ taskTimeScale: 3600, initArgs: ['--alert-webhook'], initEnv: { BATCH_ALERT_WEBHOOK_URL: 'https://hooks.slack.com/services/T5/B5/scheduled' } });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('scheduled alerts', () => {
  it('a failed run is reported by the resumed alert on its schedule', async () => {
    const catcher = t.sandbox.snowflake.runtime!.catcher!;
    expect(catcher.messages.filter((m) => m.body.includes('a sync run failed'))).toEqual([]);
    const failed = await t.cli(['sync'], { env: { BATCH_REST_API_KEY: 'wrong-key' } });
    expect(failed.code, failed.stderr).not.toBe(0);
    const message = await catcher.waitFor((m) => m.channel === 'webhook' && m.body.includes('a sync run failed'), 30_000);
    expect(message.target).toBe('https://hooks.slack.com/services/T5/B5/scheduled');
    // The evaluation that sent it ends (TRIGGERED) right after its action: wait for it, evaluation by evaluation.
    const alerts = t.sandbox.snowflake.runtime!.alerts;
    let after = 0;
    let run = await alerts.waitForRun('BATCH_SYNC_ALERT_RUN_FAILED', { after, timeoutMs: 30_000 });
    while (run.state !== 'TRIGGERED') {
      after = alerts.runs.indexOf(run) + 1;
      run = await alerts.waitForRun('BATCH_SYNC_ALERT_RUN_FAILED', { after, timeoutMs: 30_000 });
    }
    expect(run.scheduledFrom).toBe('SCHEDULE');
  });
});

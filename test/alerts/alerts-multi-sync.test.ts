/**
 * Alerts per sync (issue 17 §2, config v2): each sync of a project gets its own four alerts, named after it
 * (`…__ORDERS`), notifying through the project's integrations; removing one sync drops its alerts only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExternalInstall, TARGET, type ExternalInstall } from '../external/support.js';

let t: ExternalInstall;
const alertNames = async () => (await t.admin.query<Record<string, string>>(`SHOW ALERTS IN SCHEMA ${TARGET}`)).rows.map((r) => `${r.name} ${r.state}`).sort();
const KINDS = ['NO_SUCCESS', 'REJECTS', 'RUN_FAILED', 'STREAM_STALE'];

beforeAll(async () => {
  t = await startExternalInstall({ initArgs: ['--alert-webhook'], initEnv: { BATCH_ALERT_WEBHOOK_URL: 'https://hooks.slack.com/services/T9/B9/multi' } });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('alerts of several syncs', () => {
  it('a sync added to the project gets its own started alerts; the first sync keeps its own', async () => {
    const add = await t.cli(['init', '--sync', 'orders', '--runner', 'external', '--no-interactive', '--yes', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', t.sandbox.connection.batch.projectKey, '--target', TARGET, '--alert-stale-hours', '12'], { env: { BATCH_ALERT_WEBHOOK_URL: '' } });
    expect(add.code, add.stderr).toBe(0);
    expect(await alertNames()).toEqual([...KINDS.map((k) => `BATCH_SYNC_ALERT_${k} started`), ...KINDS.map((k) => `BATCH_SYNC_ALERT_${k}__ORDERS started`)].sort());
    const { rows } = await t.admin.query<Record<string, string>>(`SHOW ALERTS LIKE 'BATCH_SYNC_ALERT_NO_SUCCESS__ORDERS' IN SCHEMA ${TARGET}`);
    expect(rows[0]!.condition).toContain("DATEADD('hour', -12,");
    expect(rows[0]!.action).toContain('--sync orders');
  });

  it('removing one sync drops its alerts only; the integrations stay for the other', async () => {
    const remove = await t.cli(['uninstall', '--sync', 'orders', '--yes']);
    expect(remove.code, remove.stderr).toBe(0);
    expect(await alertNames()).toEqual(KINDS.map((k) => `BATCH_SYNC_ALERT_${k} started`).sort());
    expect((await t.admin.query("SHOW INTEGRATIONS LIKE 'BATCH_SYNC_ALERT_WEBHOOK'")).rows).toHaveLength(1);
  });
});

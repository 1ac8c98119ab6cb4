/**
 * Issue 20: a resync loses nothing and reorders nothing. Writes to the source table while a resync is being
 * sent are all delivered (the newest value wins), and a worker SIGKILLed half-way through a resync, then
 * rerun, leaves no profile behind. Real processes (`batch-snowflake sync`), real driver, both stand-ins; the
 * Batch sandbox is slowed so the resync takes several requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL, type ExternalInstall } from '../external/support.js';
import { startSyncedInstall, firstNamesMatchView, logEvent, profiles, reinit, setLatency, syncOk } from './support.js';

let t: ExternalInstall;
let total: number;
const TABLE = 'DEMO_DB.PUBLIC.CUSTOMERS';
// 100 operations per mass-update call (rate / 4): the 1 000-row resync takes 10 calls.
const SLOW = ['--mass-update-rate', '400'];

async function lockExpired(): Promise<void> {
  for (;;) {
    const { rows } = await t.admin.query<{ EXPIRED: boolean }>(`SELECT LOCK_EXPIRES_AT IS NULL OR LOCK_EXPIRES_AT < CURRENT_TIMESTAMP() AS EXPIRED FROM ${CONTROL}`);
    if (rows[0]?.EXPIRED === true) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  ({ t, total } = await startSyncedInstall());
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('resync with concurrent writes and a crash', () => {
  it('writes made while the resync is sent are all delivered, the newest value winning', async () => {
    const init = await reinit(t, SLOW, 'SIGNUP_DATE');
    expect(init.code, init.stderr).toBe(0);
    await setLatency(t, 150);
    const run = t.startSync();
    await logEvent(run.child, 'resync.filled');
    // After the fill: two generations of writes, the second over part of the first.
    await t.admin.query(`UPDATE ${TABLE} SET FIRST_NAME = 'During1' WHERE ID % 10 = 0`);
    await t.admin.query(`UPDATE ${TABLE} SET FIRST_NAME = 'During2' WHERE ID % 20 = 0`);
    const done = await run.done;
    expect(done.code, done.stderr).toBe(0);
    await setLatency(t, 0);
    // The writes are in the stream: the next run sends them, after the resync's values.
    const next = await syncOk(t);
    expect(next.summary.rowsCaptured).toBe(100);
    expect(await firstNamesMatchView(t)).toEqual({ missing: [], wrong: [] });
    expect((await profiles(t)).filter((p) => p.attributes.last_login_at && p.attributes.last_login_at.type !== 'string')).toEqual([]);
    const { rows } = await t.admin.query<{ R: string | null }>(`SELECT RESYNC_REQUEST AS R FROM ${CONTROL}`);
    expect(rows[0]?.R ?? null).toBeNull();
  });

  it('a worker SIGKILLed half-way through a resync, then rerun, loses nothing', async () => {
    const init = await reinit(t, SLOW); // LAST_LOGIN_AT back to a date: every profile must end up with a date
    expect(init.code, init.stderr).toBe(0);
    await setLatency(t, 150);
    const env = { BATCH_SYNC_LOCK_TTL_SECONDS: '3', BATCH_SYNC_PROGRESS_INTERVAL_MS: '200' };
    const crashed = t.startSync(env);
    const progressed = logEvent(crashed.child, 'progress.recorded');
    await logEvent(crashed.child, 'resync.filled');
    await t.admin.query(`UPDATE ${TABLE} SET FIRST_NAME = 'Crash1' WHERE ID % 7 = 0`);
    await progressed; // part of the resync was accepted and recorded
    crashed.child.kill('SIGKILL');
    await crashed.done;
    await setLatency(t, 0);
    const left = Number((await t.admin.query<{ N: number }>('SELECT COUNT(*) AS N FROM DEMO_DB.BATCH_SYNC.BATCH_SYNC_OUTBOX')).rows[0]!.N);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(total);
    await t.admin.query(`UPDATE ${TABLE} SET FIRST_NAME = 'Crash2' WHERE ID % 14 = 0`);
    await lockExpired();
    const rerun = await syncOk(t);
    // The rerun does not fill again (the request was filled): it sends what is left plus the new changes.
    expect(rerun.summary.resyncRows).toBe(0);
    await syncOk(t);
    expect(await firstNamesMatchView(t)).toEqual({ missing: [], wrong: [] });
    const withLogin = (await profiles(t)).filter((p) => p.attributes.last_login_at);
    expect(withLogin.length).toBeGreaterThan(0);
    expect(withLogin.filter((p) => p.attributes.last_login_at!.type !== 'date')).toEqual([]);
    const { rows } = await t.admin.query<{ R: string | null }>(`SELECT RESYNC_REQUEST AS R FROM ${CONTROL}`);
    expect(rows[0]?.R ?? null).toBeNull();
  });
});

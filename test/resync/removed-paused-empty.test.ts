/**
 * Issue 20: columns removed from the mapping (--unset-removed unsets them in Batch, --keep-removed keeps
 * them), `run --resync` while the sync is paused (queued and said so, honoured after resume), and a resync
 * of a view with 0 rows (said so, fine). External install, real CLI processes, real driver, both stand-ins.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL, type ExternalInstall } from '../external/support.js';
import { startSyncedInstall, profiles, reinit, syncOk } from './support.js';

let t: ExternalInstall;
let total: number;
const COLUMNS = ['CUSTOMER_ID', 'EMAIL', 'FIRST_NAME', 'LAST_NAME', 'SIGNUP_DATE', 'LAST_LOGIN_AT', 'PROFILE_URL', 'LIFETIME_VALUE', 'IS_SUBSCRIBED', 'TAGS'];

/** init again from a SELECT on the demo view without the given columns (the view becomes DEMO_DB.BATCH_SYNC.SYNC_V). */
async function reinitWithout(drop: string[], extra: string[], where = '') {
  const file = path.join(t.dir, 'view.sql');
  await writeFile(file, `SELECT ${COLUMNS.filter((c) => !drop.includes(c)).join(', ')} FROM DEMO_DB.PUBLIC.CUSTOMER_PROFILES${where}`);
  return reinit(t, extra, 'SIGNUP_DATE,LAST_LOGIN_AT', ['--view-sql', file, '--view-name', 'SYNC_V']);
}
const resyncRequest = async () => (await t.admin.query<{ R: string | null }>(`SELECT RESYNC_REQUEST AS R FROM ${CONTROL}`)).rows[0]?.R ?? null;

beforeAll(async () => {
  ({ t, total } = await startSyncedInstall());
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('columns removed from the mapping', () => {
  it('--unset-removed: the plan says so with the count, and the next run unsets the attribute in every profile', async () => {
    expect((await profiles(t)).some((p) => p.attributes.tags)).toBe(true);
    const init = await reinitWithout(['TAGS'], ['--unset-removed']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toContain('- column TAGS removed: unset in 1 000 profiles');
    expect(init.stderr).toContain('unsetting tags');
    const { summary } = await syncOk(t);
    expect(summary.profilesSent).toBe(total);
    expect((await profiles(t)).filter((p) => p.attributes.tags)).toEqual([]);
    expect(await resyncRequest()).toBeNull();
  });

  it('--keep-removed: the attribute stays in Batch (no resync for that alone, no warning)', async () => {
    const before = (await profiles(t)).filter((p) => p.attributes.is_subscribed).length;
    expect(before).toBeGreaterThan(0);
    const init = await reinitWithout(['TAGS', 'IS_SUBSCRIBED'], ['--keep-removed']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toContain('- column IS_SUBSCRIBED removed: kept as it is in 1 000 profiles (not unset)');
    expect(init.stderr).not.toContain('no --unset-removed given');
    await syncOk(t);
    expect((await profiles(t)).filter((p) => p.attributes.is_subscribed).length).toBe(before);
  });
});

describe('run --resync', () => {
  it('while paused: recorded and said to be queued, nothing sent; honoured by the first run after resume', async () => {
    expect((await t.cli(['pause'])).code).toBe(0);
    const run = await t.cli(['run', '--resync', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { result } = JSON.parse(run.stdout);
    expect(result.resync).toMatchObject({ queued: true, profiles: total });
    expect(run.stderr).toMatch(/paused: the resync is queued/);
    expect(await resyncRequest()).not.toBeNull();
    expect((await t.cli(['resume'])).code).toBe(0);
    const { summary } = await syncOk(t);
    expect(summary).toMatchObject({ endpoint: 'mass-update', resyncRows: total, profilesSent: total });
    expect(await resyncRequest()).toBeNull();
  });

  it('a view with 0 rows: says so, succeeds, and the request clears itself', async () => {
    const init = await reinitWithout(['TAGS', 'IS_SUBSCRIBED'], ['--keep-removed'], ' WHERE CUSTOMER_ID < 0');
    expect(init.code, init.stderr).toBe(0);
    await syncOk(t);
    const run = await t.cli(['run', '--resync', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('The view has 0 rows: the resync has nothing to re-send');
    const { result } = JSON.parse(run.stdout);
    expect(result.resync.profiles, run.stdout).toBe(0);
    expect(result.summary).toMatchObject({ status: 'SUCCESS', resyncRows: 0, profilesSent: 0 });
    expect(await resyncRequest()).toBeNull();
  });
});

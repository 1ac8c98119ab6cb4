/**
 * Issue 20: a second `init` while an earlier resync request is unfinished. The new request replaces the old
 * one, so it carries the attributes the old one was to unset: a request unsetting [tags] not run yet, then
 * init removing IS_SUBSCRIBED too, ends up unsetting both; and a column the user puts back into the view
 * (TAGS) is no longer unset. External install, real CLI processes, real driver, both stand-ins.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL, type ExternalInstall } from '../external/support.js';
import { profiles, reinit, startSyncedInstall, syncOk } from './support.js';

let t: ExternalInstall;
let total: number;
let tagged: number;
const COLUMNS = ['CUSTOMER_ID', 'EMAIL', 'FIRST_NAME', 'LAST_NAME', 'SIGNUP_DATE', 'LAST_LOGIN_AT', 'PROFILE_URL', 'LIFETIME_VALUE', 'IS_SUBSCRIBED', 'TAGS'];

async function reinitWithout(drop: string[]) {
  const file = path.join(t.dir, 'view.sql');
  await writeFile(file, `SELECT ${COLUMNS.filter((c) => !drop.includes(c)).join(', ')} FROM DEMO_DB.PUBLIC.CUSTOMER_PROFILES`);
  const init = await reinit(t, ['--unset-removed'], 'SIGNUP_DATE,LAST_LOGIN_AT', ['--view-sql', file, '--view-name', 'SYNC_V']);
  expect(init.code, init.stderr).toBe(0);
  return init;
}
async function requestedUnset(): Promise<string[] | null> {
  const text = (await t.admin.query<{ R: string | null }>(`SELECT RESYNC_REQUEST AS R FROM ${CONTROL}`)).rows[0]?.R ?? null;
  // The merged list's order is unspecified (ARRAY_DISTINCT / ARRAY_EXCEPT in the request's MERGE): compared sorted.
  return text ? (JSON.parse(text) as { unset: string[] }).unset.sort() : null;
}

beforeAll(async () => {
  ({ t, total } = await startSyncedInstall());
  tagged = (await profiles(t)).filter((p) => p.attributes.tags).length;
  expect(tagged).toBeGreaterThan(0);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('init again while a resync request is unfinished', () => {
  it('a request unsetting [tags], then init removing IS_SUBSCRIBED: the new request unsets both', async () => {
    await reinitWithout(['TAGS']);
    expect(await requestedUnset()).toEqual(['tags']);
    const second = await reinitWithout(['TAGS', 'IS_SUBSCRIBED']);
    expect(second.stderr).toContain('- column IS_SUBSCRIBED removed: unset in 1 000 profiles');
    expect(second.stderr).toContain('unsetting is_subscribed, tags (tags: from an earlier resync not finished yet)');
    expect(await requestedUnset()).toEqual(['is_subscribed', 'tags']);
  });

  it('TAGS put back into the view before the request ran: it is no longer unset, and the run keeps it in Batch', async () => {
    const third = await reinitWithout(['IS_SUBSCRIBED']);
    expect(third.stderr).toContain('column TAGS added');
    expect(await requestedUnset()).toEqual(['is_subscribed']);
    const { summary } = await syncOk(t);
    expect(summary.profilesSent).toBe(total);
    const now = await profiles(t);
    expect(now.filter((p) => p.attributes.is_subscribed)).toEqual([]);
    // As many profiles hold tags as after the first sync.
    expect(now.filter((p) => p.attributes.tags).length).toBe(tagged);
    expect(await requestedUnset()).toBeNull();
  });
});

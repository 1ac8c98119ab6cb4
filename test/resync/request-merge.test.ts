/**
 * Issue 20: recording a resync request merges with whatever request is recorded when the write runs (one MERGE,
 * shared/state/resync.ts), not with what the CLI read earlier. `init` reads the control row when it plans and
 * writes when it applies (minutes apart on a terminal): a request recorded meanwhile (as `run --resync` records
 * it, with the unset list it carries) keeps its unsets and a full resync still happens. And `run --resync`
 * does not carry over the unset of a column that is back in the mapping. External install, real CLI processes,
 * real driver, both stand-ins; the interleaving is made deterministic with the stand-in's statement hook.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newResyncRequest, resyncRequestStatements } from '../../shared/state/resync.js';
import { CONTROL, STREAM, type ExternalInstall } from '../external/support.js';
import { profiles, reinit, startSyncedInstall, syncOk, VIEW } from './support.js';

let t: ExternalInstall;
let total: number;
let tagged: number;
const COLUMNS = ['CUSTOMER_ID', 'EMAIL', 'FIRST_NAME', 'LAST_NAME', 'SIGNUP_DATE', 'LAST_LOGIN_AT', 'PROFILE_URL', 'LIFETIME_VALUE', 'IS_SUBSCRIBED', 'TAGS'];

type StatementHook = (session: unknown, sql: string, ...rest: unknown[]) => Promise<unknown>;
const core = () => (t.sandbox.snowflake.engine as unknown as { core: { hooks: { statement?: StatementHook } } }).core;

/** Before the first statement matching `when` (from any session), records a request unsetting `unset`, as the CLI does. */
function requestResyncBefore(when: RegExp, unset: string[]): { fired: () => boolean; restore: () => void } {
  const previous = core().hooks.statement;
  let fired = false;
  core().hooks.statement = async (session, sql, ...rest) => {
    if (!fired && when.test(sql)) {
      fired = true;
      for (const s of resyncRequestStatements(CONTROL, STREAM, newResyncRequest(VIEW, unset, new Date()), null, [])) await t.admin.query(s.sql, s.binds);
    }
    return previous ? previous(session, sql, ...rest) : undefined;
  };
  return { fired: () => fired, restore: () => (core().hooks.statement = previous) };
}

async function reinitWithout(drop: string[], flags: string[]) {
  const file = path.join(t.dir, 'view.sql');
  await writeFile(file, `SELECT ${COLUMNS.filter((c) => !drop.includes(c)).join(', ')} FROM ${VIEW}`);
  const init = await reinit(t, flags, 'SIGNUP_DATE,LAST_LOGIN_AT', ['--view-sql', file, '--view-name', 'SYNC_V']);
  expect(init.code, init.stderr).toBe(0);
  return init;
}
async function requestedUnset(): Promise<string[] | null> {
  const text = (await t.admin.query<{ R: string | null }>(`SELECT RESYNC_REQUEST AS R FROM ${CONTROL}`)).rows[0]?.R ?? null;
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

describe('a resync request merges with the one recorded when it is written', () => {
  it("a request recorded between init's read and its apply keeps its unsets, and the resync re-sends every row", async () => {
    // IS_SUBSCRIBED leaves the view, kept in Batch: no request yet.
    await reinitWithout(['IS_SUBSCRIBED'], ['--keep-removed']);
    expect(await requestedUnset()).toBeNull();
    // TAGS leaves too, unset; while init applies, a request unsetting is_subscribed is recorded just before init's own write.
    const hook = requestResyncBefore(new RegExp(`^MERGE INTO ${CONTROL} `), ['is_subscribed']);
    try {
      await reinitWithout(['IS_SUBSCRIBED', 'TAGS'], ['--unset-removed']);
    } finally {
      hook.restore();
    }
    expect(hook.fired()).toBe(true);
    expect(await requestedUnset()).toEqual(['is_subscribed', 'tags']);
    const { summary } = await syncOk(t);
    expect(summary.profilesSent).toBe(total);
    const now = await profiles(t);
    expect(now.length).toBe(total);
    expect(now.filter((p) => p.attributes.is_subscribed || p.attributes.tags)).toEqual([]);
    expect(await requestedUnset()).toBeNull();
  }, 180_000);

  it('run --resync does not carry over the unset of a column back in the mapping', async () => {
    // Re-send tags to every profile (TAGS back, a resync), then: TAGS out (unset, not run yet), TAGS back with --no-resync.
    await reinitWithout(['IS_SUBSCRIBED'], ['--keep-removed']);
    await syncOk(t);
    expect((await profiles(t)).filter((p) => p.attributes.tags).length).toBe(tagged);
    await reinitWithout(['IS_SUBSCRIBED', 'TAGS'], ['--unset-removed']);
    expect(await requestedUnset()).toEqual(['tags']);
    await reinitWithout(['IS_SUBSCRIBED'], ['--keep-removed', '--no-resync']);
    const run = await t.cli(['run', '--resync', '--json']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(JSON.parse(run.stdout).result.resync.unset).toEqual([]);
    expect((await profiles(t)).filter((p) => p.attributes.tags).length).toBe(tagged);
    expect(await requestedUnset()).toBeNull();
  }, 180_000);
});

/**
 * Issue 20 item 1, the scenario of the issue end to end (real CLI processes, real driver, both stand-ins):
 * a first sync, then `init` again with LAST_LOGIN_AT taken out of --date-columns. The plan says what it means
 * for the profiles already in Batch, with the count; after the next run no profile holds the old type.
 * Then --no-resync skips with a warning and `run --resync` re-sends on demand.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExternalInstall } from '../external/support.js';
import { startSyncedInstall, profiles, reinit, syncOk } from './support.js';

let t: ExternalInstall;
let total: number;

beforeAll(async () => {
  ({ t, total } = await startSyncedInstall());
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('a mapping change reaches the profiles already in Batch', () => {
  it('first sync: last_login_at is a date in every profile that has one', async () => {
    const typed = (await profiles(t)).filter((p) => p.attributes.last_login_at);
    expect(typed.length).toBeGreaterThan(0);
    expect(typed.every((p) => p.attributes.last_login_at!.type === 'date')).toBe(true);
  });

  it('init without LAST_LOGIN_AT in --date-columns plans a resync and says what it means, with the count', async () => {
    const init = await reinit(t, [], 'SIGNUP_DATE');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toContain(`~ last_login_at: date → string, 1 000 profiles re-sent`);
    expect(init.stderr).toMatch(/resync: the next run re-sends every row of DEMO_DB\.PUBLIC\.CUSTOMER_PROFILES \(1 000 profiles, mass-update\)/);
  });

  it('after the next run no profile in the sandbox holds the old type', async () => {
    const { summary } = await syncOk(t);
    expect(summary).toMatchObject({ endpoint: 'mass-update', resyncRows: total, profilesSent: total });
    const typed = (await profiles(t)).filter((p) => p.attributes.last_login_at);
    expect(typed.length).toBeGreaterThan(0);
    expect(typed.filter((p) => p.attributes.last_login_at!.type !== 'string')).toEqual([]);
    // Done: the next run has nothing to send.
    expect((await syncOk(t)).summary.profilesSent).toBe(0);
  });

  it('the same answers again plan nothing about profiles (no COUNT, no resync)', async () => {
    const init = await reinit(t, ['--dry-run'], 'SIGNUP_DATE');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).not.toContain('resync');
    expect(init.stdout).not.toContain('RESYNC_REQUEST');
  });

  it('--no-resync applies the mapping, warns, and re-sends nothing', async () => {
    const init = await reinit(t, ['--no-resync']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toContain('--no-resync');
    expect(init.stderr).toContain('batch-snowflake run --resync');
    const config = JSON.parse(await readFile(path.join(t.dir, 'batch-snowflake.json'), 'utf8'));
    expect(config.syncs[0].dateColumns).toEqual(['SIGNUP_DATE', 'LAST_LOGIN_AT']);
    const { summary } = await syncOk(t);
    expect(summary.profilesSent).toBe(0);
    expect(summary.resyncRows).toBeUndefined();
    // Batch still holds the string type from before: nothing was re-sent.
    expect((await profiles(t)).filter((p) => p.attributes.last_login_at?.type === 'date')).toEqual([]);
  });

  it('run --resync re-sends every row on demand (here: the date type comes back)', async () => {
    const run = await t.cli(['run', '--resync', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { result } = JSON.parse(run.stdout);
    expect(result.resync.profiles).toBe(total);
    expect(result.summary).toMatchObject({ endpoint: 'mass-update', resyncRows: total, profilesSent: total });
    const typed = (await profiles(t)).filter((p) => p.attributes.last_login_at);
    expect(typed.filter((p) => p.attributes.last_login_at!.type !== 'date')).toEqual([]);
  });
});

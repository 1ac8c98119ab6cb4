/**
 * Issue 20 on the SPCS path, end to end: `init` (real CLI in-process, real snowflake-sdk over HTTP to the
 * stand-in), a first sync through the task (the stand-in runs its job service: the worker as a process), then
 * `init` again with LAST_LOGIN_AT taken out of --date-columns and TAGS taken out of the view with
 * --unset-removed. The task's next job re-sends every row through mass-update: no profile in the sandbox holds
 * the old type, and TAGS is unset in every profile.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { startSandbox, type Sandbox } from '../../standins/index.js';
import { adminSession, cli, count, TARGET } from '../operate/helpers/installed.js';

const VIEW = 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES';
const COLUMNS = ['CUSTOMER_ID', 'EMAIL', 'FIRST_NAME', 'LAST_NAME', 'SIGNUP_DATE', 'LAST_LOGIN_AT', 'PROFILE_URL', 'LIFETIME_VALUE', 'IS_SUBSCRIBED', 'TAGS'];
let sandbox: Sandbox;
let admin: SnowflakeSession;
let dir: string;
let total: number;

function init(dates: string, source: string[], extra: string[] = []) {
  const b = sandbox.connection.batch;
  return cli({ sandbox, dir }, ['init', '--no-interactive', '--yes', ...source, '--id-column', 'CUSTOMER_ID', '--date-columns', dates,
    '--url-columns', 'PROFILE_URL', '--project-key', b.projectKey, '--target', TARGET, '--skip-image', '--image-tag', '0.1.0',
    '--batch-api-url', b.apiUrl, '--role', sandbox.connection.snowflake.role, ...extra], { BATCH_REST_API_KEY: b.restApiKey });
}
const profiles = () => sandbox.batch.profiles() as Array<{ attributes: Record<string, { type: string; value: unknown }> }>;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo', snowflake: { jobRunner: 'process' } });
  dir = await mkdtemp(path.join(os.tmpdir(), 'resync-spcs-'));
  admin = await adminSession(sandbox);
  total = await count(admin, `SELECT COUNT(*) AS N FROM ${VIEW}`);
}, 60_000);
afterAll(async () => {
  await admin?.destroy();
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

const run = () => cli({ sandbox, dir }, ['run', '--json', '--timeout', '120']);
async function endpointOf(runId: string): Promise<string | null> {
  const { rows } = await admin.query<{ E: string | null }>(`SELECT ENDPOINT AS E FROM ${TARGET}.BATCH_SYNC_RUNS WHERE RUN_ID = ?`, [runId]);
  return rows[0]?.E ?? null;
}
const resyncRequest = async () => (await admin.query<{ R: string | null }>(`SELECT RESYNC_REQUEST AS R FROM ${TARGET}.BATCH_SYNC_CONTROL`)).rows[0]?.R ?? null;

describe('a mapping change on the SPCS path reaches every profile through the task', () => {
  it('init, then the first run through the task sends every row with last_login_at as a date and tags set', async () => {
    const first = await init('SIGNUP_DATE,LAST_LOGIN_AT', ['--view', VIEW]);
    expect(first.code, first.stderr).toBe(0);
    const ran = await run();
    expect(ran.code, ran.stderr + ran.stdout).toBe(0);
    expect(ran.json().result.run).toMatchObject({ outcome: 'succeeded', profilesSent: total });
    expect(profiles()).toHaveLength(total);
    const dated = profiles().filter((p) => p.attributes.last_login_at);
    expect(dated.length).toBeGreaterThan(0);
    expect(dated.filter((p) => p.attributes.last_login_at!.type !== 'date')).toEqual([]);
    expect(profiles().some((p) => p.attributes.tags)).toBe(true);
  }, 180_000);

  it('init again without LAST_LOGIN_AT in --date-columns: the task\'s next job re-sends every row (nothing changed in the view)', async () => {
    const again = await init('SIGNUP_DATE', ['--view', VIEW]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`~ last_login_at: date → string, 1 000 profiles re-sent`);
    // The stream is empty: the task runs (WHEN) only because the request marked the pending-changes table.
    const ran = await run();
    expect(ran.code, ran.stderr + ran.stdout).toBe(0);
    const view = ran.json().result.run;
    expect(view).toMatchObject({ outcome: 'succeeded', rowsCaptured: 0, profilesSent: total });
    expect(await endpointOf(view.id)).toBe('mass-update');
    const dated = profiles().filter((p) => p.attributes.last_login_at);
    expect(dated.length).toBeGreaterThan(0);
    expect(dated.filter((p) => p.attributes.last_login_at!.type !== 'string')).toEqual([]);
    expect(await resyncRequest()).toBeNull();
    // Done: the next run is skipped (nothing pending, no request left).
    expect((await run()).json().result).toMatchObject({ skipped: true });
  }, 240_000);

  it('init again without TAGS in the view, --unset-removed: the next job unsets tags in every profile', async () => {
    const file = path.join(dir, 'view.sql');
    await writeFile(file, `SELECT ${COLUMNS.filter((c) => c !== 'TAGS').join(', ')} FROM ${VIEW}`);
    const again = await init('SIGNUP_DATE', ['--view-sql', file, '--view-name', 'SYNC_V'], ['--unset-removed']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('- column TAGS removed: unset in 1 000 profiles');
    const ran = await run();
    expect(ran.code, ran.stderr + ran.stdout).toBe(0);
    expect(ran.json().result.run).toMatchObject({ outcome: 'succeeded', profilesSent: total });
    expect(await endpointOf(ran.json().result.run.id)).toBe('mass-update');
    expect(profiles()).toHaveLength(total);
    expect(profiles().filter((p) => p.attributes.tags)).toEqual([]);
    expect(profiles().filter((p) => p.attributes.last_login_at && p.attributes.last_login_at.type !== 'string')).toEqual([]);
    expect(await resyncRequest()).toBeNull();
  }, 240_000);

  it('run --resync while the task is paused: queued and said so, no run; the first run after resume re-sends every row', async () => {
    expect((await cli({ sandbox, dir }, ['pause'])).code).toBe(0);
    const runs = sandbox.snowflake.runtime!.tasks;
    const before = runs.lastRunSeq();
    const queued = await cli({ sandbox, dir }, ['run', '--resync', '--json']);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.json().result.resync).toMatchObject({ queued: true, profiles: total });
    expect(queued.stderr).toContain('The task is paused: the resync is queued');
    expect(runs.lastRunSeq()).toBe(before);
    expect(await resyncRequest()).not.toBeNull();
    expect((await cli({ sandbox, dir }, ['resume'])).code).toBe(0);
    const ran = await run();
    expect(ran.code, ran.stderr + ran.stdout).toBe(0);
    expect(ran.json().result.run).toMatchObject({ outcome: 'succeeded', rowsCaptured: 0, profilesSent: total });
    expect(await resyncRequest()).toBeNull();
  }, 240_000);
});

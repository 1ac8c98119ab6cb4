/**
 * Issue 18's lock and bad inputs, with real processes: a run that holds the lock makes another exit 75 without
 * sending; a run killed while holding it (SIGKILL: no release) blocks the next until its expiry, then the next
 * run takes over and every change arrives; interactive authenticator without a TTY; Batch key missing from
 * the scheduler's env; `sync` on an SPCS install.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTROL, counts, startExternalInstall, type ExternalInstall } from './support.js';

let t: ExternalInstall;

const setLatency = (latencyMs: number) =>
  fetch(`${t.sandbox.connection.batch.apiUrl}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs }) });

/** Waits (polling the server's clock, not ours) until the lock row's expiry has passed. */
async function lockExpired(): Promise<void> {
  for (;;) {
    const { rows } = await t.admin.query<{ EXPIRED: boolean }>(`SELECT LOCK_EXPIRES_AT < CURRENT_TIMESTAMP() AS EXPIRED FROM ${CONTROL}`);
    if (rows[0]?.EXPIRED === true) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  t = await startExternalInstall();
  const first = await t.cli(['sync']); // the initial backfill, out of the way
  if (first.code !== 0) throw new Error(first.stderr);
}, 240_000);
afterAll(async () => {
  await t?.close();
});

describe('the run lock', () => {
  it('a run started while another holds the lock exits 75, names the lock, and sends nothing; each change is sent once', async () => {
    await t.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Locked' WHERE ID <= 5");
    // Keeps the first run inside its lock (one request, answered after 15 s) while the second process starts.
    await setLatency(15_000);
    const before = (await t.sentIds()).length;
    const first = t.startSync();
    await first.locked;
    const second = await t.cli(['sync', '--json']);
    await setLatency(0);
    expect(second.code).toBe(75);
    const result = JSON.parse(second.stdout).result;
    expect(result.status).toBe('LOCKED');
    expect(result.lock.expiresAt).toBeTruthy();
    expect((await first.done).code).toBe(0);
    const sent = counts((await t.sentIds()).slice(before));
    expect([...sent.keys()].sort()).toEqual(['1', '2', '3', '4', '5']);
    expect([...sent.values()].every((n) => n === 1)).toBe(true);
  });

  it('a crashed run\'s lock expires: the next run proceeds and nothing is lost', async () => {
    await t.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Crashed' WHERE ID BETWEEN 6 AND 9");
    await setLatency(10_000); // the crashed run never gets an answer
    // A TTL long enough for the next process to start and find the lock held, short enough to wait for.
    const crashed = t.startSync({ BATCH_SYNC_LOCK_TTL_SECONDS: '15' });
    await crashed.locked;
    crashed.child.kill('SIGKILL'); // no release, no more renewals
    await crashed.done;
    await setLatency(0);
    const blocked = await t.cli(['sync', '--json']);
    expect(blocked.code).toBe(75);
    await lockExpired();
    const next = await t.cli(['sync', '--json']);
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout).result.status).toBe('SUCCESS');
    for (const id of ['6', '7', '8', '9']) {
      const profile = (await (await fetch(`${t.sandbox.connection.batch.apiUrl}/_sandbox/profiles/${id}`)).json()) as { attributes: Record<string, unknown> };
      expect(JSON.stringify(profile.attributes)).toContain('Crashed');
    }
  });
});

describe('bad input', () => {
  it('refuses an interactive authenticator without a TTY, naming the unattended ones', async () => {
    const run = await t.cli(['sync', '--authenticator', 'externalbrowser', '--json']);
    expect(run.code).toBe(3);
    const { error } = JSON.parse(run.stdout);
    expect(error.code).toBe('INTERACTIVE_AUTH_WITHOUT_TTY');
    expect(error.suggestion).toMatch(/key pair/);
    expect(error.suggestion).toMatch(/programmatic access token/);
  });

  it('names the missing variable when the scheduler did not pass the Batch key', async () => {
    const run = await t.cli(['sync', '--json'], { env: { BATCH_REST_API_KEY: undefined } });
    expect(run.code).toBe(2);
    const { error } = JSON.parse(run.stdout);
    expect(error.code).toBe('REST_API_KEY_MISSING');
    expect(error.message).toContain('BATCH_REST_API_KEY');
  });

  it('reads the key from stdin with --rest-api-key-stdin', async () => {
    const run = await t.cli(['sync', '--rest-api-key-stdin', '--json'], { env: { BATCH_REST_API_KEY: undefined }, stdin: `${t.sandbox.connection.batch.restApiKey}\n` });
    expect(run.code, run.stderr).toBe(0);
  });

  it('on an SPCS install, explains that the task runs the sync and offers `run`', async () => {
    const file = path.join(t.dir, 'batch-snowflake.json');
    const config = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(path.join(t.dir, 'spcs.json'), JSON.stringify({ ...config, project: { ...config.project, runner: 'spcs', credentials: 'secret' } }));
    const run = await t.cli(['sync', '--config', 'spcs.json', '--json']);
    expect(run.code).toBe(2);
    const { error } = JSON.parse(run.stdout);
    expect(error.code).toBe('SYNC_RUNS_IN_SNOWFLAKE');
    expect(error.message).toContain('BATCH_SYNC_TASK');
    expect(error.suggestion).toContain('batch-snowflake run');
  });
});

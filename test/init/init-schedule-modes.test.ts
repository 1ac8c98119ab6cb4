/**
 * `init --schedule` through the real CLI (in-process), the real driver and the stand-in: an invalid CRON gets
 * Snowflake's own error (the stand-in gives it at ALTER TASK … RESUME) plus the forms it accepts; `triggered` on an account without triggered
 * tasks stops at the preflight (nothing written) and offers the scheduled mode; `--dry-run --schedule
 * continuous` prints the CREATE SERVICE and no task; `--schedule triggered` prints the task without SCHEDULE.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../shared/errors.js';
import { startSandbox, type Sandbox } from '../../standins/index.js';
import { cli } from '../operate/helpers/installed.js';

const opened: Array<{ sandbox: Sandbox; dir: string }> = [];
async function account(snowflake: { triggeredTasks?: boolean } = {}) {
  const sandbox = await startSandbox({ seed: 'demo', snowflake: { profile: 'full', ...snowflake } });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'init-schedule-'));
  const made = { sandbox, dir };
  opened.push(made);
  return made;
}
afterAll(async () => {
  for (const { sandbox, dir } of opened) {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
});

const initArgs = (sandbox: Sandbox, schedule: string, extra: string[] = []) => [
  'init', '--no-interactive', '--yes', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', sandbox.connection.batch.projectKey,
  '--skip-image', '--image-tag', '0.1.0', '--schedule', schedule, '--role', 'SYSADMIN', ...extra,
];
const env = (sandbox: Sandbox) => ({ BATCH_REST_API_KEY: sandbox.connection.batch.restApiKey });

describe('init --schedule', () => {
  it('an invalid CRON: Snowflake\'s own error, with the forms it accepts and the flag to change', async () => {
    const a = await account();
    const run = await cli(a, initArgs(a.sandbox, 'USING CRON 61 * * * * UTC'), env(a.sandbox));
    expect(run.code, run.stderr).toBe(EXIT_CODES.sql);
    expect(run.stderr).toContain("invalid value [USING CRON 61 * * * * UTC] for parameter 'SCHEDULE'");
    expect(run.stderr).toMatch(/USING CRON <minute 0-59> <hour 0-23>.*--schedule "USING CRON 0 9 \* \* MON-FRI Europe\/Paris"/s);
    expect(run.stderr).toContain('batch-snowflake init');
  }, 60_000);

  it('triggered on an account without triggered tasks: the preflight says so and offers the scheduled mode; nothing is written', async () => {
    const a = await account({ triggeredTasks: false });
    const run = await cli(a, initArgs(a.sandbox, 'triggered'), env(a.sandbox));
    expect(run.code, run.stderr).toBe(EXIT_CODES.usage);
    expect(run.stderr).toContain('Triggered tasks are not available on this account');
    expect(run.stderr).toContain('--schedule "1 MINUTE"');
    expect(await readdir(a.dir)).toEqual([]);
  }, 60_000);

  it('--dry-run --schedule continuous prints CREATE SERVICE (looping worker) and no task', async () => {
    const a = await account();
    const run = await cli(a, initArgs(a.sandbox, 'continuous', ['--dry-run']), env(a.sandbox));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('CREATE SERVICE DEMO_DB.BATCH_SYNC.BATCH_SYNC_SERVICE');
    expect(run.stdout).toContain('--loop-interval-seconds');
    expect(run.stdout).not.toContain('CREATE OR REPLACE TASK');
  }, 60_000);

  it('--dry-run --schedule triggered prints the task without SCHEDULE, with TARGET_COMPLETION_INTERVAL and the WHEN', async () => {
    const a = await account();
    const run = await cli(a, initArgs(a.sandbox, 'triggered', ['--dry-run']), env(a.sandbox));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("TARGET_COMPLETION_INTERVAL = '10 MINUTES'");
    expect(run.stdout).toContain('WHEN SYSTEM$STREAM_HAS_DATA(');
    expect(run.stdout).not.toMatch(/SCHEDULE = /);
    expect(run.stderr).toContain('Triggered tasks available: runs start at least 30 s apart');
  }, 60_000);
});

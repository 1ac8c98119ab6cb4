/**
 * `init` without applying, through the real CLI entry point, the real snowflake-sdk and the stand-in:
 * missing answers listed as flags, the dry run proven to execute only reads, write no file and spawn no
 * docker, the offline dry run (no connection configured), and a bad answer leaving the config untouched.
 */
import { chmod, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectionArgs, DEMO_ANSWERS, READ_ONLY, runCli, startRecordingStandin, tempDir, type RecordingStandin } from './support.js';

describe('init without applying', () => {
  let sf: RecordingStandin;
  let work: Awaited<ReturnType<typeof tempDir>>;
  let env: NodeJS.ProcessEnv;
  const dockerMarker = () => path.join(work.dir, 'docker-was-run');

  beforeAll(async () => {
    sf = await startRecordingStandin();
    work = await tempDir('bs-init-dry-');
    // A `docker` first on PATH that leaves a marker: proves that no docker command is spawned.
    const bin = path.join(work.dir, 'bin');
    await mkdir(bin);
    await writeFile(path.join(bin, 'docker'), `#!/bin/sh\ntouch "${dockerMarker()}"\nexit 1\n`);
    await chmod(path.join(bin, 'docker'), 0o755);
    env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: work.dir, SNOWFLAKE_PASSWORD: sf.standin.defaultUser.password, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true', BATCH_REST_API_KEY: 'rest-key-never-printed-123' };
  });

  afterAll(async () => {
    await sf?.close();
    await work?.cleanup();
  });

  beforeEach(async () => {
    sf.statements.length = 0;
    await rm(dockerMarker(), { force: true });
  });

  it('without --skip-image, a docker that fails stops the preflight with the docker exit code, before any write', async () => {
    const run = await runCli(['init', ...connectionArgs(sf.standin), ...DEMO_ANSWERS, '--image-tag', 'd1', '--yes'], { env, cwd: work.dir });
    expect(run.code).toBe(6);
    expect(existsSync(dockerMarker())).toBe(true);
    expect(run.stderr).toMatch(/✖ .*docker/i);
    expect(run.stderr).toMatch(/--skip-image/);
    expect(sf.statements.filter((s) => !READ_ONLY.test(s))).toEqual([]);
    expect(existsSync(configFile())).toBe(false);
  });

  it('column names that are not in the source are a usage error listing the real ones', async () => {
    const run = await runCli(['init', ...connectionArgs(sf.standin), ...DEMO_ANSWERS, '--url-columns', 'PROFILE_URL") --', '--skip-image', '--image-tag', 'd1', '--yes'], { env, cwd: work.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--url-columns: "PROFILE_URL.*--" is not a column of the source/);
    expect(run.stderr).toContain('CUSTOMER_ID, EMAIL');
    expect(sf.statements.filter((s) => !READ_ONLY.test(s))).toEqual([]);
  });

  const configFile = () => path.join(work.dir, 'batch-snowflake.json');

  it('lists every missing answer as a flag when not interactive, and writes nothing', async () => {
    // --skip-image: the preflight's docker line would otherwise fail first (this PATH's docker always fails).
    const run = await runCli(['init', ...connectionArgs(sf.standin), '--no-interactive', '--skip-image'], { env, cwd: work.dir });
    expect(run.code).toBe(2);
    for (const flag of ['--view DB.SCHEMA.VIEW', '--id-column COLUMN', '--project-key KEY', '--yes']) expect(run.stderr).toContain(flag);
    expect(existsSync(configFile())).toBe(false);
    expect(sf.statements.every((s) => READ_ONLY.test(s))).toBe(true);
  });

  it('gives the missing answers in the --json envelope', async () => {
    const run = await runCli(['init', ...connectionArgs(sf.standin), '--json', '--skip-image'], { env, cwd: work.dir });
    expect(run.code).toBe(2);
    const envelope = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; details: { missing: Array<{ flag: string }> } } };
    expect(envelope.ok).toBe(false);
    expect(envelope.error.code).toBe('MISSING_ANSWERS');
    expect(envelope.error.details.missing.map((m) => m.flag)).toEqual(expect.arrayContaining(['--id-column COLUMN', '--project-key KEY', '--yes']));
  });

  it('dry run: prints the full SQL, sends only reads, writes no file, runs no docker, shows no secret', async () => {
    const run = await runCli(['init', ...connectionArgs(sf.standin), ...DEMO_ANSWERS, '--image-tag', 'dry1', '--dry-run'], { env, cwd: work.dir });
    expect(run.stderr).not.toContain('✖ Preflight');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('CREATE STREAM');
    expect(run.stdout).toMatch(/CREATE (OR REPLACE )?TASK[\s\S]*EXECUTE JOB SERVICE/);
    expect(run.stdout).toContain('ALTER TASK DEMO_DB.PUBLIC.BATCH_SYNC_TASK RESUME');
    expect(run.stdout).toContain('docker build --platform linux/amd64');
    expect(run.stdout).toContain('<from BATCH_REST_API_KEY>');
    expect(run.stderr).toContain('"custom_id":"1"'); // the preview shows exact payloads
    expect(`${run.stdout}${run.stderr}`).not.toContain('rest-key-never-printed-123');
    expect(sf.statements.length).toBeGreaterThan(5);
    expect(sf.statements.filter((s) => !READ_ONLY.test(s))).toEqual([]);
    expect(await readdir(work.dir)).toEqual(['bin']);
    expect(existsSync(dockerMarker())).toBe(false);
  });

  it('dry run without any Snowflake connection: plans from flags alone and sends nothing', async () => {
    const offlineEnv = { PATH: env.PATH, HOME: work.dir, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true' };
    const run = await runCli(['init', '--role', 'SYNC_ROLE', '--warehouse', 'WH', ...DEMO_ANSWERS, '--image-tag', 'dry2', '--dry-run', '--json'], { env: offlineEnv, cwd: work.dir });
    expect(run.code).toBe(0);
    const envelope = JSON.parse(run.stdout) as { ok: boolean; result: { offline: boolean; plan: { steps: Array<{ id: string; text: string }> } } };
    expect(envelope.result.offline).toBe(true);
    expect(envelope.result.plan.steps.map((s) => s.id)).toEqual(expect.arrayContaining(['stream', 'compute-pool', 'secret', 'task', 'task-resume']));
    expect(envelope.result.plan.steps.find((s) => s.id === 'task')?.text).toContain('SNOWFLAKE_ROLE');
    expect(sf.statements).toEqual([]);
    expect(await readdir(work.dir)).toEqual(['bin']);
    expect(existsSync(dockerMarker())).toBe(false);
  });

  it('--offline: never connects, even with a connection configured (whose port nobody serves)', async () => {
    const configured = { PATH: env.PATH, HOME: work.dir, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true' };
    const args = ['init', '--account', 'myorg-acct', '--user', 'SYNCER', '--host', '127.0.0.1', '--port', '9', '--protocol', 'http', '--role', 'SYNC_ROLE', '--warehouse', 'WH', ...DEMO_ANSWERS, '--image-tag', 'dry3', '--dry-run'];
    const offline = await runCli([...args, '--offline', '--json'], { env: configured, cwd: work.dir });
    expect(offline.code, offline.stderr).toBe(0);
    expect((JSON.parse(offline.stdout) as { result: { offline: boolean } }).result.offline).toBe(true);
    // Without it, a configured connection is used (here: refused, a connection error).
    const connecting = await runCli([...args, '--json'], { env: { ...configured, SNOWFLAKE_PASSWORD: 'not-used-offline' }, cwd: work.dir });
    expect(connecting.code).toBe(3);
    const misuse = await runCli(['init', '--offline'], { env: configured, cwd: work.dir });
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toContain('--offline');
    expect(await readdir(work.dir)).toEqual(['bin']);
  });

  it('a bad answer fails with a usage error and leaves the saved config byte for byte as it was', async () => {
    const answers = { target: 'DEMO_DB.PUBLIC', source: { kind: 'view', view: 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES' }, idColumn: 'CUSTOMER_ID', projectKey: 'OLD_KEY', warehouse: 'SANDBOX_WH', role: 'SYSADMIN', imageTag: 'old' };
    const saved = `${JSON.stringify({ version: 1, answers, created: [] }, null, 1)}\n`;
    await writeFile(configFile(), saved);
    try {
      const bad = await runCli(['init', ...connectionArgs(sf.standin), '--schedule', 'every hour', '--skip-image', '--yes'], { env, cwd: work.dir });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('schedule: a schedule such as "60 MINUTE"');
      expect(await readFile(configFile(), 'utf8')).toBe(saved);
      expect(sf.statements.filter((s) => !READ_ONLY.test(s))).toEqual([]);
    } finally {
      await rm(configFile(), { force: true });
    }
  });
});

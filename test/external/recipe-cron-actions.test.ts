/**
 * Issue 18 item 3: the crontab line and the GitHub Actions workflow of docs/recipes/, run as far as this machine
 * allows against an external install on the no-SPCS stand-in profile: the recipe is parsed, checked for secrets
 * outside env, and its command runs through a shell with `batch-snowflake` (the built CLI) on PATH.
 * Cron: key pair from ~/.snowflake/connections.toml, passphrase and Batch key from the 0600 env file.
 * Actions: a programmatic access token and the Batch key as `env:` from `secrets.*`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startExternalInstall, TARGET, type ExternalInstall } from './support.js';
import { cliBinDir, evaluateExpressions, expressionsIn, parseCrontab, readRecipe, runShell, sandboxProfiles } from './recipes-support.js';

let t: ExternalInstall;
let bin: string;
const scratch: string[] = [];

beforeAll(async () => {
  t = await startExternalInstall();
  bin = await cliBinDir();
  scratch.push(bin);
}, 180_000);
afterAll(async () => {
  await t?.close();
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

/**
 * Env every test run adds beside the recipe's own, as the external support does: the Batch sandbox instead of
 * https://api.batch.com, and no cloud-metadata probes by the driver.
 */
const testEnv = () => ({ BATCH_API_URL: t.sandbox.connection.batch.apiUrl, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true' });

async function runsRecorded(): Promise<Array<{ STATUS: string; PROFILES_SENT: number }>> {
  const { rows } = await t.admin.query<{ STATUS: string; PROFILES_SENT: number }>(`SELECT STATUS, PROFILES_SENT FROM ${TARGET}.BATCH_SYNC_RUNS ORDER BY STARTED_AT`);
  return rows.map((r) => ({ STATUS: r.STATUS, PROFILES_SENT: Number(r.PROFILES_SENT) }));
}

describe('docs/recipes/crontab.txt', () => {
  it('is one job line with 5 valid time fields, PATH set, and no secret on it', async () => {
    const { env, jobs } = parseCrontab(await readRecipe('crontab.txt'));
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.fields).toEqual(['*/15', '*', '*', '*', '*']);
    expect(env.PATH).toBeDefined();
    expect(jobs[0]!.command).toContain('batch-snowflake sync');
    for (const secret of ['PASSWORD', 'PASSPHRASE', 'TOKEN', 'API_KEY', 'PRIVATE_KEY']) expect(jobs[0]!.command.toUpperCase()).not.toContain(secret);
  });

  /** The cron user's HOME: ~/batch-sync holds the install's batch-snowflake.json and sync.env, ~/.snowflake the connection. */
  const passphrase = 'cron-recipe-passphrase';
  let home: string;
  let syncDir: string;

  beforeAll(async () => {
    const s = t.sandbox.connection.snowflake;
    home = await mkdtemp(path.join(os.tmpdir(), 'recipes-cron-home-'));
    scratch.push(home);
    syncDir = path.join(home, 'batch-sync');
    const snowflakeDir = path.join(home, '.snowflake');
    await mkdir(syncDir);
    await mkdir(snowflakeDir, { mode: 0o700 });
    await copyFile(path.join(t.dir, 'batch-snowflake.json'), path.join(syncDir, 'batch-snowflake.json'));
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const keyFile = path.join(snowflakeDir, 'rsa_key.p8');
    await writeFile(keyFile, keys.privateKey, { mode: 0o600 });
    t.sandbox.snowflake.accounts.registerPublicKey(s.user, keys.publicKey);
    // access_url points the connection at the stand-in; a real one names only the account.
    await writeFile(path.join(snowflakeDir, 'connections.toml'), `[batch_sync]\naccount = "${s.account}"\nuser = "${s.user}"\nauthenticator = "SNOWFLAKE_JWT"\nprivate_key_file = "${keyFile}"\naccess_url = "${s.accessUrl}"\n`, { mode: 0o600 });
  });

  /** Writes sync.env (0600) with this Batch key, then runs the job line as cron does. */
  async function cronRun(restKey: string): Promise<{ code: number | null; mailed: string; log: string }> {
    const { env: cronEnv, jobs } = parseCrontab(await readRecipe('crontab.txt'));
    const envFile = path.join(syncDir, 'sync.env');
    await writeFile(envFile, `PRIVATE_KEY_PASSPHRASE=${passphrase}\nBATCH_REST_API_KEY=${restKey}\n`, { mode: 0o600 });
    await chmod(envFile, 0o600);
    await rm(path.join(syncDir, 'sync.log'), { force: true });
    // cron runs the command with /bin/sh -c in HOME, with HOME, LOGNAME, SHELL and the crontab's variables, and mails
    // what it prints. PATH: the built CLI's folder first (a global install's bin), then node's, then the crontab's.
    const env = { ...cronEnv, HOME: home, LOGNAME: 'cron', SHELL: '/bin/sh', PATH: [bin, path.dirname(process.execPath), cronEnv.PATH].join(':'), ...testEnv() };
    const run = await runShell(jobs[0]!.command, { cwd: home, env });
    return { code: run.code, mailed: run.stdout + run.stderr, log: await readFile(path.join(syncDir, 'sync.log'), 'utf8') };
  }

  it('a failed run (Batch refuses the key) prints the end of sync.log, which cron mails, without the key', async () => {
    const wrongKey = 'wrong-rest-api-key-for-the-cron-test';
    const { mailed, log } = await cronRun(wrongKey);
    expect(mailed).not.toBe(''); // tail ran: the sync exited non-zero
    expect(log.endsWith(mailed)).toBe(true);
    const envelope = JSON.parse(log.split('\n').find((line) => line.startsWith('{"ok"'))!);
    expect(envelope.result.status).toBe('ERROR');
    expect(envelope.result.error.code).toBe('BATCH_HTTP_401');
    expect(envelope.result.summary.profilesSent).toBe(0);
    for (const secret of [wrongKey, passphrase]) expect(log).not.toContain(secret);
  }, 120_000);

  it('its command sends the demo rows to Batch (key pair with a passphrase, Batch key from the 0600 env file) and prints nothing', async () => {
    const restKey = t.sandbox.connection.batch.restApiKey;
    const { code, mailed, log } = await cronRun(restKey);
    expect(code, log).toBe(0);
    expect(mailed).toBe(''); // everything went to sync.log: cron mails nothing
    for (const secret of [restKey, passphrase]) expect(log).not.toContain(secret);
    const envelope = JSON.parse(log.split('\n').find((line) => line.startsWith('{"ok"'))!);
    expect(envelope.result.status).toBe('SUCCESS');

    const { rows } = await t.admin.query<{ ID: string }>('SELECT CAST(CUSTOMER_ID AS VARCHAR) AS ID FROM DEMO_DB.PUBLIC.CUSTOMER_PROFILES');
    const profiles = await sandboxProfiles(t.sandbox.connection.batch.apiUrl);
    expect([...profiles.keys()].sort()).toEqual(rows.map((r) => r.ID).sort());
    // The failed run captured the changes into the outbox; this one sent them all.
    expect(envelope.result.summary.profilesSent).toBe(rows.length);
    expect((await runsRecorded()).at(-1)).toEqual({ STATUS: 'SUCCESS', PROFILES_SENT: rows.length });
  }, 120_000);
});

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}

describe('docs/recipes/github-actions.yml', () => {
  const SECRET_NAMES = ['SNOWFLAKE_TOKEN', 'BATCH_REST_API_KEY'];

  async function workflow(): Promise<{ on: { schedule?: Array<{ cron: string }> }; jobs: Record<string, { steps: Step[] }> }> {
    return parseYaml(await readRecipe('github-actions.yml'));
  }

  it('is scheduled, and every secret reaches the sync step only as env: from secrets.*', async () => {
    const wf = await workflow();
    expect(wf.on.schedule).toHaveLength(1);
    const [field] = parseCrontab(`${wf.on.schedule![0]!.cron} true`).jobs;
    expect(field!.fields).toHaveLength(5);
    const steps = Object.values(wf.jobs).flatMap((job) => job.steps);
    const sync = steps.filter((step) => step.run?.includes('batch-snowflake sync'));
    expect(sync).toHaveLength(1);
    const env = sync[0]!.env ?? {};
    for (const name of SECRET_NAMES) expect(env[name]).toBe(`\${{ secrets.${name} }}`);
    for (const step of steps) {
      // secrets.* appear only as whole env values; never in run: (argv) or with:
      expect(step.run ?? '').not.toMatch(/secrets\.|SNOWFLAKE_TOKEN|BATCH_REST_API_KEY|PASSWORD|PASSPHRASE/);
      for (const [name, value] of Object.entries(step.env ?? {})) {
        for (const [context, key] of expressionsIn(value)) {
          expect(context === 'secrets' ? SECRET_NAMES : ['SNOWFLAKE_ACCOUNT', 'SNOWFLAKE_USER']).toContain(key);
          if (context === 'secrets') expect(name).toBe(key);
        }
      }
    }
    expect(JSON.stringify(steps.filter((step) => step !== sync[0]))).not.toContain('secrets.');
  });

  it("runs its sync step's command with the step's env (a PAT): the changed rows reach Batch", async () => {
    const wf = await workflow();
    const steps = Object.values(wf.jobs).flatMap((job) => job.steps);
    // Not run here: actions/checkout, actions/setup-node (the test's cwd and node stand in) and the npm install
    // from the registry (the built CLI on PATH stands in); the install step installs this package.
    const install = steps.find((step) => step.run?.startsWith('npm install --global'));
    expect(install?.run).toMatch(/^npm install --global batch-snowflake@\d/);
    const s = t.sandbox.connection.snowflake;
    const pat = t.sandbox.snowflake.accounts.addProgrammaticAccessToken(s.user, 'GITHUB_ACTIONS');
    const contexts = {
      secrets: { SNOWFLAKE_TOKEN: pat, BATCH_REST_API_KEY: t.sandbox.connection.batch.restApiKey },
      vars: { SNOWFLAKE_ACCOUNT: s.account, SNOWFLAKE_USER: s.user },
    };
    await t.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'FromActions' WHERE ID IN (3, 4, 5)");
    // The checkout: a folder holding the committed batch-snowflake.json (no key file, no connections.toml).
    const checkout = await mkdtemp(path.join(os.tmpdir(), 'recipes-actions-'));
    scratch.push(checkout);
    await copyFile(path.join(t.dir, 'batch-snowflake.json'), path.join(checkout, 'batch-snowflake.json'));
    const runner = { HOME: checkout, PATH: [bin, path.dirname(process.execPath), '/usr/bin:/bin'].join(':'), CI: 'true', GITHUB_ACTIONS: 'true' };
    for (const step of steps.filter((st) => st.run !== undefined && st !== install)) {
      const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluateExpressions(String(v), contexts)]));
      // SNOWFLAKE_ACCESS_URL: the stand-in instead of <account>.snowflakecomputing.com.
      const run = await runShell(step.run!, { cwd: checkout, env: { ...runner, ...stepEnv, SNOWFLAKE_ACCESS_URL: s.accessUrl, ...testEnv() }, shell: ['/bin/bash', '-e', '-c'] });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(pat);
      const envelope = JSON.parse(run.stdout);
      expect(envelope.result.status).toBe('SUCCESS');
      expect(envelope.result.summary.profilesSent).toBe(3);
    }
    const profiles = await sandboxProfiles(t.sandbox.connection.batch.apiUrl);
    for (const id of ['3', '4', '5']) expect(profiles.get(id)?.first_name?.value).toBe('FromActions');
    expect((await runsRecorded()).map((r) => r.PROFILES_SENT).slice(-1)).toEqual([3]);
  }, 120_000);
});

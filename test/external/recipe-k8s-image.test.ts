/**
 * Issue 18 item 3: the Kubernetes CronJob of docs/recipes/k8s-cronjob.yaml. Its manifest is checked (image, args
 * shaped like the ones `batch-snowflake sync` passes, secrets only from secretKeyRef), then the built worker image
 * runs the way the CronJob's pod would, with `docker run --network host` outside SPCS (no session token file) and the
 * CronJob's env (a programmatic access token from the Secret), against an external install on the no-SPCS stand-in
 * profile: the demo rows reach the Batch sandbox and BATCH_SYNC_RUNS records the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Docker } from '../../src/adapters/docker/docker.js';
import { loadInstalled } from '../../src/operate/installed.js';
import { workerArgs } from '../../src/plan/task-steps.js';
import { buildWorkerImage, requireDockerBaseImage, runContainer } from '../support/docker.js';
import { startExternalInstall, TARGET, type ExternalInstall } from './support.js';
import { readRecipe, sandboxProfiles } from './recipes-support.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args: string[];
  env: EnvVar[];
}

const TAG = `batch-snowflake-worker-recipes:${process.pid}-${Date.now()}`;
const SECRET_ENV = ['SNOWFLAKE_TOKEN', 'BATCH_REST_API_KEY'];
let t: ExternalInstall;
let built = false;

async function cronJob(): Promise<{ kind: string; apiVersion: string; spec: { schedule: string; concurrencyPolicy: string; jobTemplate: { spec: { template: { spec: { restartPolicy: string; containers: Container[] } } } } } }> {
  return parseYaml(await readRecipe('k8s-cronjob.yaml'));
}

async function container(): Promise<Container> {
  const containers = (await cronJob()).spec.jobTemplate.spec.template.spec.containers;
  expect(containers).toHaveLength(1);
  return containers[0]!;
}

/** The flags of an argument list, in order ("--x" items). */
const flagsOf = (args: readonly string[]) => args.filter((a) => a.startsWith('--'));

/**
 * The container env a pod of the CronJob gets: secretKeyRef values from the Secret, the recipe's placeholders for
 * account, user, role and warehouse replaced by the install's, other values as written; then (test only) the
 * stand-ins instead of <account>.snowflakecomputing.com and https://api.batch.com.
 */
function podEnv(entries: EnvVar[], secret: Record<string, string>): Record<string, string> {
  const s = t.sandbox.connection.snowflake;
  const answers = JSON.parse(readFileSync(path.join(t.dir, 'batch-snowflake.json'), 'utf8')).project as { role: string; warehouse: string };
  const yours: Record<string, string> = { SNOWFLAKE_ACCOUNT: s.account, SNOWFLAKE_USER: s.user, SNOWFLAKE_ROLE: answers.role, SNOWFLAKE_WAREHOUSE: answers.warehouse };
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const ref = entry.valueFrom?.secretKeyRef;
    env[entry.name] = ref ? secret[ref.key]! : yours[entry.name] ?? entry.value!;
  }
  return { ...env, SNOWFLAKE_ACCESS_URL: s.accessUrl, BATCH_API_URL: t.sandbox.connection.batch.apiUrl };
}

/** JSON log lines of a worker run. */
function logLines(output: string): Array<Record<string, unknown>> {
  return output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(async () => {
  requireDockerBaseImage();
  t = await startExternalInstall();
  await buildWorkerImage(TAG);
  built = true;
}, 600_000);
afterAll(async () => {
  if (built) await new Docker().removeImage(TAG);
  await t?.close();
});

describe('docs/recipes/k8s-cronjob.yaml', () => {
  it('is a CronJob that never overlaps and runs the worker image with its entrypoint', async () => {
    const job = await cronJob();
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.kind).toBe('CronJob');
    expect(job.spec.schedule.split(' ')).toHaveLength(5);
    expect(job.spec.concurrencyPolicy).toBe('Forbid');
    expect(job.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
    const c = await container();
    expect(c.image).toMatch(/\/batch-snowflake-worker:[\w.-]+$/);
    expect(c.command).toBeUndefined(); // the image's ENTRYPOINT (node … dist/worker/main.js)
  });

  it('passes the same flags as `batch-snowflake sync` for an install with date and URL columns, and no secret in args', async () => {
    const c = await container();
    const installed = await loadInstalled({ configPath: path.join(t.dir, 'batch-snowflake.json') });
    expect(flagsOf(c.args)).toEqual(flagsOf(workerArgs(installed.answers, installed.names)));
    // --project-key is not secret (batch-snowflake.json holds it too); the REST API key and tokens never are arguments.
    expect(c.args.join(' ')).not.toMatch(/rest-api|api-key|token|password|passphrase|secret|private/i);
  });

  it('takes every secret from a secretKeyRef and everything else as plain values', async () => {
    const env = (await container()).env;
    for (const name of SECRET_ENV) {
      const entry = env.find((e) => e.name === name);
      expect(entry?.value).toBeUndefined();
      expect(entry?.valueFrom?.secretKeyRef?.key).toBe(name);
    }
    expect(env.filter((e) => e.valueFrom !== undefined).map((e) => e.name).sort()).toEqual([...SECRET_ENV].sort());
    expect(env.map((e) => e.name)).not.toContain('SNOWFLAKE_HOST'); // it would make the worker look for the SPCS token
  });
});

describe('the worker image run as the CronJob runs it (docker --network host, outside SPCS)', () => {
  it('has no SPCS session token file', async () => {
    const probe = await runContainer(TAG, ['-e', "process.stdout.write(String(require('node:fs').existsSync('/snowflake/session/token')))"], { network: 'none', entrypoint: 'node' });
    expect(probe.stdout.trim()).toBe('false');
  });

  it('sends the demo rows with a PAT from env and records the run in BATCH_SYNC_RUNS', async () => {
    const c = await container();
    const s = t.sandbox.connection.snowflake;
    const installed = await loadInstalled({ configPath: path.join(t.dir, 'batch-snowflake.json') });
    // The recipe's args with this install's values (the recipe says: replace the values with yours).
    const args = workerArgs(installed.answers, installed.names);
    expect(flagsOf(c.args)).toEqual(flagsOf(args));
    const pat = t.sandbox.snowflake.accounts.addProgrammaticAccessToken(s.user, 'K8S_CRONJOB');
    const secret: Record<string, string> = { SNOWFLAKE_TOKEN: pat, BATCH_REST_API_KEY: t.sandbox.connection.batch.restApiKey };
    const env = podEnv(c.env, secret);
    expect(env.SNOWFLAKE_AUTHENTICATOR).toBe('PROGRAMMATIC_ACCESS_TOKEN');

    const run = await runContainer(TAG, args, { network: 'host', env, timeoutMs: 180_000 });
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).not.toContain(pat);
    expect(run.output).not.toContain(secret.BATCH_REST_API_KEY);
    const lines = logLines(run.output);
    const start = lines.find((l) => l.event === 'worker.start');
    expect(String(start?.snowflake)).toContain('SNOWFLAKE_*');
    expect(String(start?.snowflake)).not.toContain('SPCS');
    const summary = lines.find((l) => l.event === 'run.summary');
    expect(summary?.status).toBe('SUCCESS');

    const { rows } = await t.admin.query<{ ID: string }>('SELECT CAST(CUSTOMER_ID AS VARCHAR) AS ID FROM DEMO_DB.PUBLIC.CUSTOMER_PROFILES');
    const profiles = await sandboxProfiles(t.sandbox.connection.batch.apiUrl);
    expect([...profiles.keys()].sort()).toEqual(rows.map((r) => r.ID).sort());
    const runs = await t.admin.query<{ STATUS: string; PROFILES_SENT: number; RUN_ID: string }>(`SELECT RUN_ID, STATUS, PROFILES_SENT FROM ${TARGET}.BATCH_SYNC_RUNS`);
    expect(runs.rows.map((r) => [r.STATUS, Number(r.PROFILES_SENT)])).toEqual([['SUCCESS', rows.length]]);
    expect(runs.rows[0]!.RUN_ID).toBe(summary?.runId);
    // `status` of the install reads the run the image recorded.
    const status = JSON.parse((await t.cli(['status', '--json'])).stdout).result;
    expect(status.runs[0].outcome).toBe('succeeded');
  }, 240_000);

  it("runs with a key pair instead, as the recipe's comment says: key file from a read-only Secret mount, passphrase from env", async () => {
    const recipe = await readRecipe('k8s-cronjob.yaml');
    for (const words of ['SNOWFLAKE_PRIVATE_KEY_FILE', 'PRIVATE_KEY_PASSPHRASE from a secretKeyRef', 'drop\n# SNOWFLAKE_AUTHENTICATOR / SNOWFLAKE_TOKEN']) expect(recipe).toContain(words);
    const c = await container();
    const passphrase = 'k8s-recipe-passphrase';
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const keyDir = await mkdtemp(path.join(os.tmpdir(), 'recipes-k8s-key-'));
    try {
      // 0644: a Secret volume's default mode (the key is encrypted); the worker runs as uid 1000.
      await writeFile(path.join(keyDir, 'rsa_key.p8'), keys.privateKey, { mode: 0o644 });
      await chmod(keyDir, 0o755);
      t.sandbox.snowflake.accounts.registerPublicKey(t.sandbox.connection.snowflake.user, keys.publicKey);
      // The Secret mounted as a folder, as a Kubernetes volume is.
      const mountDir = '/var/run/secrets/snowflake';
      const mounted = `${mountDir}/rsa_key.p8`;
      const entries: EnvVar[] = [
        ...c.env.filter((e) => e.name !== 'SNOWFLAKE_AUTHENTICATOR' && e.name !== 'SNOWFLAKE_TOKEN'),
        { name: 'SNOWFLAKE_PRIVATE_KEY_FILE', value: mounted },
        { name: 'PRIVATE_KEY_PASSPHRASE', valueFrom: { secretKeyRef: { name: 'batch-snowflake', key: 'PRIVATE_KEY_PASSPHRASE' } } },
      ];
      const env = podEnv(entries, { PRIVATE_KEY_PASSPHRASE: passphrase, BATCH_REST_API_KEY: t.sandbox.connection.batch.restApiKey });
      await t.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'FromKeyPair' WHERE ID IN (6, 7)");
      const installed = await loadInstalled({ configPath: path.join(t.dir, 'batch-snowflake.json') });
      const run = await runContainer(TAG, workerArgs(installed.answers, installed.names), { network: 'host', env, readOnlyMounts: { [keyDir]: mountDir }, timeoutMs: 180_000 });
      expect(run.exitCode, run.output).toBe(0);
      expect(run.output).not.toContain(passphrase);
      const summary = logLines(run.output).find((l) => l.event === 'run.summary');
      expect([summary?.status, summary?.profilesSent]).toEqual(['SUCCESS', 2]);
      const profiles = await sandboxProfiles(t.sandbox.connection.batch.apiUrl);
      for (const id of ['6', '7']) expect(profiles.get(id)?.first_name?.value).toBe('FromKeyPair');
      const runs = await t.admin.query<{ RUN_ID: string }>(`SELECT RUN_ID FROM ${TARGET}.BATCH_SYNC_RUNS WHERE STATUS = 'SUCCESS'`);
      expect(runs.rows.map((r) => r.RUN_ID)).toContain(summary?.runId);
    } finally {
      await rm(keyDir, { recursive: true, force: true });
    }
  }, 240_000);
});

/**
 * Issue 18 item 3: the Kubernetes CronJob of docs/recipes/k8s-cronjob.yaml. Its manifest is checked (image, args
 * shaped like the ones `batch-snowflake sync` passes, secrets only from secretKeyRef), then the built worker image
 * runs the way the CronJob's pod would, with `docker run --network host` outside SPCS (no session token file) and the
 * CronJob's env (a programmatic access token from the Secret), against an external install on the no-SPCS stand-in
 * profile: the demo rows reach the Batch sandbox and BATCH_SYNC_RUNS records the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(flagsOf(c.args)).toEqual(flagsOf(workerArgs(installed.config.answers, installed.names)));
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
    const args = workerArgs(installed.config.answers, installed.names);
    expect(flagsOf(c.args)).toEqual(flagsOf(args));
    const pat = t.sandbox.snowflake.accounts.addProgrammaticAccessToken(s.user, 'K8S_CRONJOB');
    const secret: Record<string, string> = { SNOWFLAKE_TOKEN: pat, BATCH_REST_API_KEY: t.sandbox.connection.batch.restApiKey };
    // The recipe's plain values are placeholders for the account, user, role and warehouse; the rest is used as is.
    const yours: Record<string, string> = { SNOWFLAKE_ACCOUNT: s.account, SNOWFLAKE_USER: s.user, SNOWFLAKE_ROLE: installed.config.answers.role, SNOWFLAKE_WAREHOUSE: installed.config.answers.warehouse };
    const env: Record<string, string> = {};
    for (const entry of c.env) {
      const ref = entry.valueFrom?.secretKeyRef;
      env[entry.name] = ref ? secret[ref.key]! : yours[entry.name] ?? entry.value!;
    }
    expect(env.SNOWFLAKE_AUTHENTICATOR).toBe('PROGRAMMATIC_ACCESS_TOKEN');
    // Test only: the stand-ins instead of <account>.snowflakecomputing.com and https://api.batch.com.
    env.SNOWFLAKE_ACCESS_URL = s.accessUrl;
    env.BATCH_API_URL = t.sandbox.connection.batch.apiUrl;

    const run = await runContainer(TAG, args, { network: 'host', env, timeoutMs: 180_000 });
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).not.toContain(pat);
    expect(run.output).not.toContain(secret.BATCH_REST_API_KEY);
    const lines = run.stderr.split('\n').concat(run.stdout.split('\n')).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
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
});

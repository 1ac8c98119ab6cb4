/**
 * Job services through the real dockerd (`--network host`) and a real local registry: the probe image is built
 * FROM the local base image, pushed with `docker login` using the Snowflake user's programmatic access token
 * (the registry mapping of account-runtime.ts), then a task runs it; the container logs back in with the token
 * file mounted at /snowflake/session/token (reference §3.3). Success and failure land in TASK_HISTORY.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/adapters/proc/exec.js';
import { isolatedDocker, requireDockerBaseImage } from '../support/docker.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { connect, destroy, query, standinOptions, type Connection } from '../../standins/snowflake/driver-helpers.js';
import { jobSql, PROBE, SECRET_VALUE, SETUP } from '../../standins/snowflake/jobs/fixtures/job-fixtures.js';

let registry: TestRegistry;
let standin: SnowflakeStandin;
let conn: Connection;
let docker: Awaited<ReturnType<typeof isolatedDocker>>;
let imageRef = '';
const run = async (sql: string) => (await query(conn, sql)).rows;

beforeAll(async () => {
  const baseImage = requireDockerBaseImage();
  registry = await startRegistry({ username: 'SANDBOX_USER' });
  standin = await startSnowflakeStandin({ profile: 'full', jobRunner: 'docker', registry: { host: registry.host, username: registry.username, password: registry.password } });
  conn = await connect(standinOptions(standin));
  for (const sql of SETUP) await run(sql);
  docker = await isolatedDocker();
  const [repo] = await run("SHOW IMAGE REPOSITORIES LIKE 'REPO' IN SCHEMA DEMO_DB.PUBLIC");
  imageRef = `${String(repo!.repository_url)}/probe:1`;
  const context = await mkdtemp(path.join(os.tmpdir(), 'sf-probe-image-'));
  try {
    await copyFile(PROBE, path.join(context, 'job-probe.mjs'));
    await writeFile(path.join(context, 'Dockerfile'), 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY job-probe.mjs /app/job-probe.mjs\nUSER 1000:1000\nENTRYPOINT ["node", "/app/job-probe.mjs"]\n');
    await docker.docker.build({ contextDir: context, tag: imageRef, buildArgs: { BASE_IMAGE: baseImage } });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}, 240_000);

afterAll(async () => {
  if (conn) await destroy(conn);
  await standin?.close();
  if (imageRef) await runCommand('docker', ['image', 'rm', '-f', '--no-prune', imageRef], { timeoutMs: 60_000 });
  await docker?.cleanup();
  await registry?.stop();
});

describe('job services in docker', () => {
  it('maps the registry user to the Snowflake user: its PAT logs into docker and into the account', async () => {
    expect(imageRef.startsWith(`${registry.host}/demo_db/public/repo/`)).toBe(true);
    await docker.docker.login(registry.host, 'SANDBOX_USER', registry.password);
    await docker.docker.push(imageRef);
    const pat = await connect(standinOptions(standin, { authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', password: undefined, token: registry.password } as never));
    expect((await query(pat, 'SELECT CURRENT_USER() AS U')).rows).toEqual([{ U: 'SANDBOX_USER' }]);
    await destroy(pat);
  });

  it('a task runs the image with --network host; the container authenticates with the token file; TASK_HISTORY records success and failure', async () => {
    const tasks = standin.runtime!.tasks;
    await run(`CREATE TASK DEMO_DB.PUBLIC.DOCKER_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = '60 MINUTE' AS ${jobSql({ note: 'docker' })}`);
    let after = tasks.lastRunSeq();
    await run('EXECUTE TASK DEMO_DB.PUBLIC.DOCKER_TASK');
    const ok = await tasks.waitForRun('DOCKER_TASK', { after });
    expect(ok, ok.errorMessage ?? '').toMatchObject({ state: 'SUCCEEDED' });
    expect(await run("SELECT ROLE_NAME FROM DEMO_DB.PUBLIC.JOB_RUNS WHERE NOTE = 'docker'")).toEqual([{ ROLE_NAME: 'SYSADMIN' }]);
    const job = ok.spcsJobId!.split('.').pop()!;
    const [logs] = await run(`SELECT SYSTEM$GET_SERVICE_LOGS('${job}', 0, 'main') AS L`);
    expect(logs!.L).toContain('connected as role SYSADMIN');
    expect(logs!.L).toContain(`env API_KEY: set (${SECRET_VALUE.length} chars)`);

    await run(`CREATE OR REPLACE TASK DEMO_DB.PUBLIC.DOCKER_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = '60 MINUTE' AS ${jobSql({ note: 'docker failure', exit: 4 })}`);
    after = tasks.lastRunSeq();
    await run('EXECUTE TASK DOCKER_TASK');
    expect(await tasks.waitForRun('DOCKER_TASK', { after })).toMatchObject({ state: 'FAILED', errorCode: '100357' });
    const rows = await run("SELECT STATE, ERROR_MESSAGE FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'DOCKER_TASK')) ORDER BY SCHEDULED_TIME DESC");
    expect(rows.map((r) => r.STATE)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(rows[0]!.ERROR_MESSAGE).toMatch(/exited with code 4\.[\s\S]*boom: docker failure/);
  });

  it('fails the job when the image is not in the registry', async () => {
    await expect(run(jobSql({ name: 'MISSING_IMAGE', note: 'x', image: '/demo_db/public/repo/nope:1' }))).rejects.toMatchObject({ code: '100357', message: expect.stringContaining('MISSING_IMAGE') });
  });
});

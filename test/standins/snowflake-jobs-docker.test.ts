/**
 * Job services through the real dockerd (`--network host`) and a real local registry: the probe image is built
 * FROM the local base image, pushed through the account's registry host (registry-gateway.ts) after `docker login
 * -u 0sessiontoken` with a connection's session token, then a task runs it; the container logs back in with the token
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
/** The driver's supported way to the session token: Connection.serialize() (src/snowflake/client.ts). */
const sessionTokenOf = (c: Connection): string => (JSON.parse(c.serialize()) as { services: { sf: { tokenInfo: { sessionToken: string } } } }).services.sf.tokenInfo.sessionToken;

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
  it('docker logs in to the account registry as 0sessiontoken with the live session token of a connection and pushes', async () => {
    const gateway = standin.registryGateway!;
    expect(imageRef.startsWith(`${gateway.host}/demo_db/public/repo/`)).toBe(true);
    await docker.docker.login(gateway.host, '0sessiontoken', sessionTokenOf(conn));
    await docker.docker.push(imageRef);
    expect(gateway.log.issuedFor.length).toBeGreaterThan(0);
  });

  it('the registry answers 401 for a wrong user, an unknown or foreign token, an expired token and a logged-out session', async () => {
    const gateway = standin.registryGateway!;
    const realmStatus = async (user: string, token: string) => {
      const challenge = await fetch(`http://${gateway.host}/v2/`);
      expect(challenge.status).toBe(401);
      const realm = /realm="([^"]+)"/.exec(challenge.headers.get('www-authenticate') ?? '')![1]!;
      return (await fetch(realm, { headers: { authorization: `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}` } })).status;
    };
    expect(await realmStatus('0sessiontoken', sessionTokenOf(conn))).toBe(200);
    expect(await realmStatus('SANDBOX_USER', sessionTokenOf(conn))).toBe(401);
    const other = await startSnowflakeStandin({ seed: 'empty' });
    try {
      const foreign = await connect(standinOptions(other));
      expect(await realmStatus('0sessiontoken', sessionTokenOf(foreign))).toBe(401);
      await destroy(foreign);
    } finally {
      await other.close();
    }
    const second = await connect(standinOptions(standin));
    const token = sessionTokenOf(second);
    standin.expireSessionTokens();
    expect(await realmStatus('0sessiontoken', token)).toBe(401);
    await query(second, 'SELECT 1'); // the driver renews the expired token with its master token
    expect(sessionTokenOf(second)).not.toBe(token);
    expect(await realmStatus('0sessiontoken', sessionTokenOf(second))).toBe(200);
    const renewed = sessionTokenOf(second);
    await destroy(second);
    expect(await realmStatus('0sessiontoken', renewed)).toBe(401);
    await expect(docker.docker.login(gateway.host, '0sessiontoken', renewed)).rejects.toMatchObject({ code: 'DOCKER_LOGIN_FAILED' });
    expect(gateway.log.refused.map((r) => r.reason)).toEqual(['wrong user', 'unknown token', 'expired token', 'unknown token', 'unknown token']);
  });

  it('a task runs the image with --network host; the container authenticates with the token file; TASK_HISTORY records success and failure', async () => {
    const tasks = standin.runtime!.tasks;
    await run(`CREATE TASK DEMO_DB.PUBLIC.DOCKER_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = '60 MINUTE' AS ${jobSql({ note: 'docker' })}`);
    let after = tasks.lastRunSeq();
    await run('EXECUTE TASK DEMO_DB.PUBLIC.DOCKER_TASK');
    const ok = await tasks.waitForRun('DOCKER_TASK', { after });
    expect(ok, ok.errorMessage ?? '').toMatchObject({ state: 'SUCCEEDED' });
    expect(await run("SELECT ROLE_NAME FROM DEMO_DB.PUBLIC.JOB_RUNS WHERE NOTE = 'docker'")).toEqual([{ ROLE_NAME: 'SYSADMIN' }]);
    // SPCS_JOB_ID is the job's SERVICE_ID (a NUMBER, bcr-2182).
    const job = ok.spcsJobId === null ? '' : (standin.runtime!.jobs.byId(ok.spcsJobId)?.name ?? '');
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

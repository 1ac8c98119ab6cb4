/**
 * `init --yes` end to end, non-interactive, all answers as flags: the real snowflake-sdk against the
 * stand-in (demo seed), the real dockerd building the worker image, `docker login -u 0sessiontoken` with the
 * CLI's session token and push to a real local registry behind the stand-in's registry gateway (SHOW IMAGE
 * REPOSITORIES names it), the config saved; then a rerun with no change applies nothing. Session tokens live
 * 4 s here, less than the image build takes, so the push proves the token is read again right before it.
 * Secrets (session tokens included) never reach output, the config or any process's arguments.
 * (A recording `docker` shim first on PATH logs every argv and stdin size: test/support/argv-recorder.ts.)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../shared/snowflake/client.js';
import { recordPrograms, type ArgvRecorder } from '../support/argv-recorder.js';
import { isolatedDocker, requireDockerBaseImage } from '../support/docker.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { connectionArgs, DEMO_ANSWERS, READ_ONLY, runCli, startRecordingStandin, tempDir, type RecordingStandin } from './support.js';

const REST_KEY = 'rest-key-e2e-never-shown-9f3b';
const PASSWORD = 'sf-password-e2e-never-shown-51c2';
/** Every session token of the stand-in starts with this (sessions.ts): a scan for it finds any of them. */
const SESSION_TOKEN_PREFIX = 'ver:1-hint:';
const SESSION_TTL_S = 4;

describe('init applies the plan end to end', () => {
  let sf: RecordingStandin;
  let registry: TestRegistry;
  let docker: Awaited<ReturnType<typeof isolatedDocker>>;
  let work: Awaited<ReturnType<typeof tempDir>>;
  let env: NodeJS.ProcessEnv;
  let recorder: ArgvRecorder;
  const tag = `e2e-${process.pid}`;
  const configFile = () => path.join(work.dir, 'batch-snowflake.json');

  beforeAll(async () => {
    const baseImage = requireDockerBaseImage();
    registry = await startRegistry({ username: 'SANDBOX_USER' });
    sf = await startRecordingStandin(PASSWORD, { registry: { host: registry.host, username: registry.username, password: registry.password }, sessionTokenValiditySeconds: SESSION_TTL_S });
    docker = await isolatedDocker();
    work = await tempDir('bs-init-apply-');
    recorder = await recordPrograms(['docker']);
    env = {
      PATH: recorder.PATH,
      HOME: work.dir,
      DOCKER_CONFIG: docker.configDir,
      SNOWFLAKE_PASSWORD: PASSWORD,
      SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
      BATCH_SNOWFLAKE_BASE_IMAGE: baseImage,
    };
  }, 120_000);

  afterAll(async () => {
    if (sf?.standin.registryGateway) await docker?.docker.removeImage(`${sf.standin.registryGateway.host}/demo_db/public/batch_sync_repository/batch-snowflake-worker:${tag}`).catch(() => undefined);
    await sf?.close();
    await registry?.stop();
    await docker?.cleanup();
    await work?.cleanup();
    await recorder?.cleanup();
  });

  it('creates everything, builds and pushes the image, resumes the task and saves the answers', async () => {
    const secrets = [REST_KEY, PASSWORD, SESSION_TOKEN_PREFIX];
    const run = await runCli(['init', ...connectionArgs(sf.standin), ...DEMO_ANSWERS, '--image-tag', tag, '--admin-role', 'ACCOUNTADMIN', '--yes'], { env: { ...env, BATCH_REST_API_KEY: REST_KEY }, cwd: work.dir });
    expect(run.stderr).toContain('[1/');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Setup complete');
    // Every docker command init ran: build, login (the session token on stdin), push; no secret in any argv.
    const calls = await recorder.calls();
    expect(calls.map((call) => call.args[0])).toEqual(expect.arrayContaining(['build', 'login', 'push']));
    for (const login of calls.filter((call) => call.args[0] === 'login')) {
      expect(login.args).toEqual(['login', sf.standin.registryGateway!.host, '--username', '0sessiontoken', '--password-stdin']);
      expect(login.stdinBytes).toBeGreaterThan(0);
    }
    for (const call of calls) for (const secret of secrets) expect(call.args.join(' ')).not.toContain(secret);
    const config = await readFile(configFile(), 'utf8');
    for (const secret of secrets) {
      expect(`${run.stdout}${run.stderr}${config}`).not.toContain(secret);
    }
    const saved = JSON.parse(config) as { deployedImageTag: string; syncs: Array<{ name: string; dateColumns: string[]; urlColumns: string[] }>; created: Array<{ type: string; name: string }> };
    expect(saved.deployedImageTag).toBe(tag);
    expect(saved.syncs[0]?.name).toBe('default');
    expect(saved.syncs[0]?.dateColumns).toEqual(['SIGNUP_DATE', 'LAST_LOGIN_AT']);
    expect(saved.syncs[0]?.urlColumns).toEqual(['PROFILE_URL']);
    expect(saved.created.map((c) => c.type)).toEqual(expect.arrayContaining(['STREAM', 'TASK', 'SECRET', 'COMPUTE POOL', 'NETWORK RULE', 'INTEGRATION', 'IMAGE REPOSITORY']));

    // docker logged in as 0sessiontoken twice: before the build (a refused login fails fast) and right before the
    // push, with a session token the driver had renewed because the first one expired during the build.
    const issued = sf.standin.registryGateway!.log.issuedFor;
    const firstLogin = issued[0]!;
    const pushLogin = issued.find((entry) => entry.sessionToken !== firstLogin.sessionToken);
    expect(pushLogin, 'a second session token was presented for the push').toBeDefined();
    expect(pushLogin!.sessionId).toBe(firstLogin.sessionId);
    expect(pushLogin!.at).toBeGreaterThan(firstLogin.sessionTokenExpiresAt);
    expect(`${run.stdout}${run.stderr}${config}`).not.toContain(SESSION_TOKEN_PREFIX);

    // The image is in the registry under the repository path SHOW IMAGE REPOSITORIES gave.
    const auth = `Basic ${Buffer.from(`SANDBOX_USER:${registry.password}`).toString('base64')}`;
    const tags = (await (await fetch(`http://${registry.host}/v2/demo_db/public/batch_sync_repository/batch-snowflake-worker/tags/list`, { headers: { authorization: auth } })).json()) as { tags: string[] };
    expect(tags.tags).toContain(tag);

    // The account now has a started task running that image, and the stream on the view.
    const session = await connect({ account: sf.standin.account, accessUrl: sf.standin.accessUrl, username: 'SANDBOX_USER', password: PASSWORD, role: 'SYSADMIN', warehouse: 'SANDBOX_WH' });
    try {
      const task = (await session.query<Record<string, unknown>>("SHOW TASKS LIKE 'BATCH_SYNC_TASK' IN SCHEMA DEMO_DB.PUBLIC")).rows[0];
      expect(task?.state).toBe('started');
      expect(String(task?.definition)).toContain(`/demo_db/public/batch_sync_repository/batch-snowflake-worker:${tag}`);
      const stream = (await session.query<Record<string, unknown>>("SHOW STREAMS LIKE 'BATCH_SYNC_STREAM' IN SCHEMA DEMO_DB.PUBLIC")).rows[0];
      expect(stream?.table_name).toBe('DEMO_DB.PUBLIC.CUSTOMER_PROFILES');
    } finally {
      await session.destroy();
    }
  }, 600_000);

  it('a rerun with the same answers (key not given again) applies nothing and sends only reads', async () => {
    const before = await readFile(configFile(), 'utf8');
    sf.statements.length = 0;
    const run = await runCli(['init', ...connectionArgs(sf.standin), ...DEMO_ANSWERS, '--image-tag', tag, '--yes'], { env, cwd: work.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Reconfiguring');
    expect(run.stdout).toContain('No changes');
    expect(sf.statements.filter((s) => !READ_ONLY.test(s))).toEqual([]);
    expect(await readFile(configFile(), 'utf8')).toBe(before);
  }, 120_000);
});

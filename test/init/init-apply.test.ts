/**
 * `init --yes` end to end, non-interactive, all answers as flags: the real snowflake-sdk against the
 * stand-in (demo seed), the real dockerd building the worker image, `docker login` with basic auth and push
 * to a real local registry (the stand-in's SHOW IMAGE REPOSITORIES points at it), the config saved; then a
 * rerun with no change applies nothing. Secrets never reach output, the config or any process's arguments.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../shared/snowflake/client.js';
import { isolatedDocker, processesWithArgument, requireDockerBaseImage } from '../support/docker.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { connectionArgs, DEMO_ANSWERS, READ_ONLY, runCli, startRecordingStandin, tempDir, type RecordingStandin } from './support.js';

const REST_KEY = 'rest-key-e2e-never-shown-9f3b';

describe('init applies the plan end to end', () => {
  let sf: RecordingStandin;
  let registry: TestRegistry;
  let docker: Awaited<ReturnType<typeof isolatedDocker>>;
  let work: Awaited<ReturnType<typeof tempDir>>;
  let env: NodeJS.ProcessEnv;
  const tag = `e2e-${process.pid}`;
  const configFile = () => path.join(work.dir, 'batch-snowflake.json');

  beforeAll(async () => {
    const baseImage = requireDockerBaseImage();
    // The registry's basic-auth user is the Snowflake user with the same password (password authentication, §2.4).
    registry = await startRegistry({ username: 'SANDBOX_USER' });
    sf = await startRecordingStandin(registry.password);
    sf.engine.core.catalog.registryHost = registry.host;
    docker = await isolatedDocker();
    work = await tempDir('bs-init-apply-');
    env = {
      PATH: process.env.PATH,
      HOME: work.dir,
      DOCKER_CONFIG: docker.configDir,
      SNOWFLAKE_PASSWORD: registry.password,
      SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
      BATCH_SNOWFLAKE_BASE_IMAGE: baseImage,
    };
  }, 120_000);

  afterAll(async () => {
    await docker?.docker.removeImage(`${registry.host}/demo_db/public/batch_sync_repository/batch-snowflake-worker:${tag}`).catch(() => undefined);
    await sf?.close();
    await registry?.stop();
    await docker?.cleanup();
    await work?.cleanup();
  });

  it('creates everything, builds and pushes the image, resumes the task and saves the answers', async () => {
    const secrets = [REST_KEY, registry.password];
    const leaks: string[] = [];
    let running = true;
    // Sample every process's arguments while init runs (docker build/login/push included).
    const scanner = (async () => {
      while (running) {
        for (const secret of secrets) for (const p of await processesWithArgument(secret)) leaks.push(p.args);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const run = await runCli(['init', ...connectionArgs(sf.standin), ...DEMO_ANSWERS, '--image-tag', tag, '--admin-role', 'ACCOUNTADMIN', '--yes'], { env: { ...env, BATCH_REST_API_KEY: REST_KEY }, cwd: work.dir }).finally(() => (running = false));
    await scanner;
    expect(run.stderr).toContain('[1/');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Setup complete');
    expect(leaks).toEqual([]);
    const config = await readFile(configFile(), 'utf8');
    for (const secret of secrets) {
      expect(`${run.stdout}${run.stderr}${config}`).not.toContain(secret);
    }
    const saved = JSON.parse(config) as { deployedImageTag: string; answers: { dateColumns: string[]; urlColumns: string[] }; created: Array<{ type: string; name: string }> };
    expect(saved.deployedImageTag).toBe(tag);
    expect(saved.answers.dateColumns).toEqual(['SIGNUP_DATE', 'LAST_LOGIN_AT']);
    expect(saved.answers.urlColumns).toEqual(['PROFILE_URL']);
    expect(saved.created.map((c) => c.type)).toEqual(expect.arrayContaining(['STREAM', 'TASK', 'SECRET', 'COMPUTE POOL', 'NETWORK RULE', 'INTEGRATION', 'IMAGE REPOSITORY']));

    // The image is in the registry under the repository path SHOW IMAGE REPOSITORIES gave.
    const auth = `Basic ${Buffer.from(`SANDBOX_USER:${registry.password}`).toString('base64')}`;
    const tags = (await (await fetch(`http://${registry.host}/v2/demo_db/public/batch_sync_repository/batch-snowflake-worker/tags/list`, { headers: { authorization: auth } })).json()) as { tags: string[] };
    expect(tags.tags).toContain(tag);

    // The account now has a started task running that image, and the stream on the view.
    const session = await connect({ account: sf.standin.account, accessUrl: sf.standin.accessUrl, username: 'SANDBOX_USER', password: registry.password, role: 'SYSADMIN', warehouse: 'SANDBOX_WH' });
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

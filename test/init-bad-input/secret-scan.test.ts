/**
 * A full non-interactive `init` (REST key and Snowflake password from the environment), scanned for the
 * secrets: stdout, stderr, every file written under the working folder and HOME, and the arguments of every
 * process on the machine, sampled from /proc while the run lasts. Once with --skip-image, once with the image
 * built, `docker login` (the registry password) and pushed to a local registry.
 *
 * docker's credential store: `docker login` itself writes an auth entry (base64 of user:password) to
 * $DOCKER_CONFIG/config.json (default ~/.docker, or a credential helper) — docker's own store, the same as
 * `snow spcs image-registry login` leaves. batch-snowflake never writes it elsewhere: here DOCKER_CONFIG is a
 * private folder outside the project and HOME, the entry is checked to be there (the login really happened),
 * and neither the raw secrets nor that base64 form may appear in any file under the project folder or HOME.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUserConfig, DEFAULT_ACCOUNT_NAME, startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { isolatedDocker, requireDockerBaseImage } from '../support/docker.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { connectAs, ensureBuilt } from '../wizard-tty/wizard-tty.js';
import { readTree, runCli, workspace, type CliResult, type Workspace } from './run-cli.js';

const REST_KEY = 'scanRestKey8d3f0a61c2b94e57';
const PASSWORD = 'scanSfPassword5b71e0c9d2';
let standin: SnowflakeStandin;

beforeAll(async () => {
  ensureBuilt();
  standin = await startSnowflakeStandin({ seed: 'demo', profile: 'full', account: { name: DEFAULT_ACCOUNT_NAME, users: [{ ...defaultUserConfig(), password: PASSWORD }] } });
}, 180_000);
afterAll(() => standin?.close());

/** Every process's argv, read from /proc, until `stop()`; returns all distinct command lines seen. */
function sampleArguments(): { stop(): Promise<Set<string>> } {
  const seen = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const pid of await readdir('/proc').catch(() => [] as string[])) {
        if (!/^\d+$/.test(pid)) continue;
        const args = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (args) seen.add(args.split('\0').join(' '));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

describe('secrets during a full non-interactive init', () => {
  it('never appear in output, written files or any process arguments', async () => {
    const ws = await workspace();
    const sampler = sampleArguments();
    const run = await runCli(
      ['init', '--access-url', standin.accessUrl, '--no-interactive', '--yes', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', 'project_scan', '--skip-image', '--image-tag', '0.1.0', '--verbose'],
      {
        cwd: ws.cwd,
        env: { PATH: process.env.PATH, HOME: ws.home, SNOWFLAKE_ACCOUNT: standin.account, SNOWFLAKE_USER: standin.defaultUser.user, SNOWFLAKE_PASSWORD: PASSWORD, BATCH_REST_API_KEY: REST_KEY, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true' },
      },
    );
    const commandLines = await sampler.stop();
    expect(run.stderr).toContain('Saved the answers');
    expect(run.code).toBe(0);

    // The scan saw the run itself, and the run really used the key (a SECRET now exists).
    expect([...commandLines].some((line) => line.includes('batch-snowflake.js init'))).toBe(true);
    const session = await connectAs(standin);
    try {
      const { rows } = await session.query<{ name: string }>('SHOW SECRETS IN DATABASE DEMO_DB');
      expect(rows.map((r) => r.name)).toContain('BATCH_API_KEY_SECRET');
    } finally {
      await session.destroy();
    }

    await expectNoSecret(ws, run, commandLines, [REST_KEY, PASSWORD]);
  }, 120_000);
});

/** None of `secrets` in stdout, stderr, any file under the project folder or HOME, or any sampled command line. */
async function expectNoSecret(ws: Workspace, run: CliResult, commandLines: Set<string>, secrets: string[]): Promise<void> {
  const files = [...(await readTree(ws.cwd)), ...(await readTree(ws.home))];
  expect(files.map((f) => f.file)).toContain(ws.configPath);
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    for (const { file, content } of files) expect(content, file).not.toContain(secret);
    for (const line of commandLines) expect(line).not.toContain(secret);
  }
}

describe('secrets during a full init that builds, logs in and pushes the image', () => {
  let registry: TestRegistry;
  let docker: Awaited<ReturnType<typeof isolatedDocker>>;
  let withRegistry: SnowflakeStandin;
  const tag = `scan-${process.pid}`;
  const repository = 'demo_db/batch_sync/batch_sync_repository/batch-snowflake-worker';

  beforeAll(async () => {
    // The registry's user is the Snowflake user with the same password (password authentication, §2.4).
    registry = await startRegistry({ username: defaultUserConfig().name });
    docker = await isolatedDocker();
    withRegistry = await startSnowflakeStandin({
      seed: 'demo',
      profile: 'full',
      registry: { host: registry.host, username: registry.username, password: registry.password },
      account: { name: DEFAULT_ACCOUNT_NAME, users: [{ ...defaultUserConfig(), password: registry.password }] },
    });
  }, 120_000);
  afterAll(async () => {
    if (registry) await docker?.docker.removeImage(`${registry.host}/${repository}:${tag}`);
    await withRegistry?.close();
    await registry?.stop();
    await docker?.cleanup();
  });

  it('the registry password, Snowflake password and REST key never appear; only docker\'s own store holds the login', async () => {
    const ws = await workspace();
    const sampler = sampleArguments();
    const run = await runCli(
      ['init', '--access-url', withRegistry.accessUrl, '--no-interactive', '--yes', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', 'project_scan', '--image-tag', tag, '--verbose'],
      {
        cwd: ws.cwd,
        env: {
          PATH: process.env.PATH, HOME: ws.home, DOCKER_CONFIG: docker.configDir, BATCH_SNOWFLAKE_BASE_IMAGE: requireDockerBaseImage(),
          SNOWFLAKE_ACCOUNT: withRegistry.account, SNOWFLAKE_USER: withRegistry.defaultUser.user, SNOWFLAKE_PASSWORD: registry.password,
          BATCH_REST_API_KEY: REST_KEY, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
        },
        timeoutMs: 540_000,
      },
    );
    const commandLines = await sampler.stop();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`pushed ${registry.host}/${repository}:${tag}`);

    // The scan saw docker being given the password (login on stdin) and the push; the registry holds the tag.
    const lines = [...commandLines];
    expect(lines.some((line) => line.includes(`login ${registry.host} --username`) && line.includes('--password-stdin'))).toBe(true);
    expect(lines.some((line) => line.includes(`push ${registry.host}/${repository}:${tag}`))).toBe(true);
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    const tags = await fetch(`http://${registry.host}/v2/${repository}/tags/list`, { headers: { authorization: `Basic ${auth}` } });
    expect(((await tags.json()) as { tags: string[] }).tags).toContain(tag);

    // docker's own credential store (outside the project and HOME) holds the login entry; nothing else does.
    const store = JSON.parse(await readFile(path.join(docker.configDir, 'config.json'), 'utf8')) as { auths?: Record<string, { auth?: string }> };
    expect(Object.keys(store.auths ?? {})).toContain(registry.host);
    expect(path.relative(ws.cwd, docker.configDir).startsWith('..')).toBe(true);
    expect(path.relative(ws.home, docker.configDir).startsWith('..')).toBe(true);
    await expectNoSecret(ws, run, commandLines, [REST_KEY, registry.password, auth]);
  }, 600_000);
});

/**
 * A full non-interactive `init` (REST key and Snowflake password from the environment), scanned for the
 * secrets: stdout, stderr, every file written under the working folder and HOME, and the arguments of every
 * process the CLI starts. Once with --skip-image, once with the image built, `docker login -u 0sessiontoken`
 * (the connection's session token on stdin) and pushed to a local registry behind the stand-in's registry gateway.
 *
 * Process arguments are not sampled from /proc (a short-lived `docker login` can start and end between two
 * samples): a recording shim for `docker` sits first on PATH and logs every argv and how many bytes came on
 * stdin, then execs the real docker (test/support/argv-recorder.ts). docker is the only program the CLI
 * starts: only src/adapters/proc/exec.ts spawns, and only the docker adapter calls it (checked below).
 *
 * docker's credential store: `docker login` itself writes an auth entry (base64 of user:token) to
 * $DOCKER_CONFIG/config.json (default ~/.docker, or a credential helper) — docker's own store, the same as
 * `snow spcs image-registry login` leaves. batch-snowflake never writes it elsewhere: here DOCKER_CONFIG is a
 * private folder outside the project and HOME, the entry is checked to be there (the login really happened),
 * and neither the raw secrets nor that base64 form may appear in any file under the project folder or HOME.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { defaultUserConfig, DEFAULT_ACCOUNT_NAME, startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { recordPrograms, type ArgvRecorder, type RecordedCall } from '../support/argv-recorder.js';
import { isolatedDocker, requireDockerBaseImage } from '../support/docker.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { connectAs, ensureBuilt } from '../wizard-tty/wizard-tty.js';
import { readTree, runCli, workspace, type CliResult, type Workspace } from './run-cli.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** With --skip-image, init starts no docker command. */
const SKIP_IMAGE_DOCKER_CALLS: string[] = [];
const REST_KEY = 'scanRestKey8d3f0a61c2b94e57';
const PASSWORD = 'scanSfPassword5b71e0c9d2';
/** Every session token of the stand-in starts with this (sessions.ts). */
const SESSION_TOKEN_PREFIX = 'ver:1-hint:';
let standin: SnowflakeStandin;

beforeAll(async () => {
  ensureBuilt();
  standin = await startSnowflakeStandin({ seed: 'demo', profile: 'full', account: { name: DEFAULT_ACCOUNT_NAME, users: [{ ...defaultUserConfig(), password: PASSWORD }] } });
}, 180_000);
afterAll(() => standin?.close());

/** Shims for every program the CLI starts (docker only, see the test below), removed after the test. */
async function recordCliPrograms(): Promise<ArgvRecorder> {
  const recorder = await recordPrograms(['docker']);
  onTestFinished(() => recorder.cleanup());
  return recorder;
}

/** Each .ts file under `dir` (relative to the repository) with its text. */
async function sources(dir: string): Promise<Array<{ file: string; text: string }>> {
  const entries = await readdir(path.join(REPO, dir), { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.relative(REPO, path.join(e.parentPath, e.name)));
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(path.join(REPO, file), 'utf8') })));
}

describe('the programs the CLI starts', () => {
  it('are started by src/adapters/proc/exec.ts alone, called by the docker adapter alone (so a docker shim sees them all)', async () => {
    const product = [...(await sources('src')), ...(await sources('shared'))];
    const spawners = product.filter(({ text }) => /from '(node:)?child_process'|from 'execa'|require\(/.test(text)).map(({ file }) => file);
    expect(spawners).toEqual(['src/adapters/proc/exec.ts']);
    const callers = product.filter(({ text }) => /import \{[^}]*\brunCommand\b[^}]*\} from '[^']*proc\/exec\.js'/.test(text)).map(({ file }) => file);
    expect(callers).toEqual(['src/adapters/docker/docker.ts']);
    expect(product.find(({ file }) => file === 'src/adapters/docker/docker.ts')?.text).toContain("options.binary ?? 'docker'");
  });
});

describe('secrets during a full non-interactive init', () => {
  it('never appear in output, written files or any process arguments', async () => {
    const recorder = await recordCliPrograms();
    const ws = await workspace();
    const run = await runCli(
      ['init', '--access-url', standin.accessUrl, '--no-interactive', '--yes', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', 'project_scan', '--skip-image', '--image-tag', '0.1.0', '--verbose'],
      {
        cwd: ws.cwd,
        env: { PATH: recorder.PATH, HOME: ws.home, SNOWFLAKE_ACCOUNT: standin.account, SNOWFLAKE_USER: standin.defaultUser.user, SNOWFLAKE_PASSWORD: PASSWORD, BATCH_REST_API_KEY: REST_KEY, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true' },
      },
    );
    const calls = await recorder.calls();
    expect(run.stderr).toContain('Saved the answers');
    expect(run.code).toBe(0);

    // --skip-image: docker never ran. The run really used the key (a SECRET now exists).
    expect(calls.map((call) => call.args[0])).toEqual(SKIP_IMAGE_DOCKER_CALLS);
    const session = await connectAs(standin);
    try {
      const { rows } = await session.query<{ name: string }>('SHOW SECRETS IN DATABASE DEMO_DB');
      expect(rows.map((r) => r.name)).toContain('BATCH_API_KEY_SECRET');
    } finally {
      await session.destroy();
    }

    await expectNoSecret(ws, run, calls, [REST_KEY, PASSWORD]);
  }, 120_000);
});

/** None of `secrets` in stdout, stderr, any file under the project folder or HOME, or any recorded argv. */
async function expectNoSecret(ws: Workspace, run: CliResult, calls: RecordedCall[], secrets: string[]): Promise<void> {
  const files = [...(await readTree(ws.cwd)), ...(await readTree(ws.home))];
  expect(files.map((f) => f.file)).toContain(ws.configPath);
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    for (const { file, content } of files) expect(content, file).not.toContain(secret);
    for (const call of calls) for (const arg of call.args) expect(arg, `${call.program} ${call.args.join(' ')}`).not.toContain(secret);
  }
}

describe('secrets during a full init that builds, logs in and pushes the image', () => {
  let registry: TestRegistry;
  let docker: Awaited<ReturnType<typeof isolatedDocker>>;
  let withRegistry: SnowflakeStandin;
  let host = '';
  const tag = `scan-${process.pid}`;
  const repository = 'demo_db/batch_sync/batch_sync_repository/batch-snowflake-worker';

  beforeAll(async () => {
    registry = await startRegistry({ username: defaultUserConfig().name });
    docker = await isolatedDocker();
    withRegistry = await startSnowflakeStandin({
      seed: 'demo',
      profile: 'full',
      registry: { host: registry.host, username: registry.username, password: registry.password },
      account: { name: DEFAULT_ACCOUNT_NAME, users: [{ ...defaultUserConfig(), password: PASSWORD }] },
    });
    host = withRegistry.registryGateway!.host;
  }, 120_000);
  afterAll(async () => {
    if (host) await docker?.docker.removeImage(`${host}/${repository}:${tag}`);
    await withRegistry?.close();
    await registry?.stop();
    await docker?.cleanup();
  });

  it('session tokens, the Snowflake password and REST key never appear; only docker\'s own store holds the login', async () => {
    const recorder = await recordCliPrograms();
    const ws = await workspace();
    const run = await runCli(
      ['init', '--access-url', withRegistry.accessUrl, '--no-interactive', '--yes', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', 'project_scan', '--image-tag', tag, '--verbose'],
      {
        cwd: ws.cwd,
        env: {
          PATH: recorder.PATH, HOME: ws.home, DOCKER_CONFIG: docker.configDir, BATCH_SNOWFLAKE_BASE_IMAGE: requireDockerBaseImage(),
          SNOWFLAKE_ACCOUNT: withRegistry.account, SNOWFLAKE_USER: withRegistry.defaultUser.user, SNOWFLAKE_PASSWORD: PASSWORD,
          BATCH_REST_API_KEY: REST_KEY, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
        },
        timeoutMs: 540_000,
      },
    );
    const calls = await recorder.calls();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`pushed ${host}/${repository}:${tag}`);

    // docker really built, logged in as 0sessiontoken with the token on stdin (and nothing else got stdin), and
    // pushed; the registry holds the tag.
    expect(calls.map((call) => call.program)).toEqual(calls.map(() => 'docker'));
    expect(calls.some((call) => call.args[0] === 'build')).toBe(true);
    const logins = calls.filter((call) => call.args[0] === 'login');
    expect(logins.length).toBeGreaterThan(0);
    for (const login of logins) {
      expect(login.args).toEqual(['login', host, '--username', '0sessiontoken', '--password-stdin']);
      expect(login.stdinBytes).toBeGreaterThan(0);
    }
    expect(calls.filter((call) => call.stdinBytes !== 0)).toEqual(logins);
    expect(calls.some((call) => call.args.join(' ') === `push ${host}/${repository}:${tag}`)).toBe(true);
    const sessionTokens = [...new Set(withRegistry.registryGateway!.log.issuedFor.map((entry) => entry.sessionToken))];
    expect(sessionTokens.length).toBeGreaterThan(0);
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    const tags = await fetch(`http://${registry.host}/v2/${repository}/tags/list`, { headers: { authorization: `Basic ${auth}` } });
    expect(((await tags.json()) as { tags: string[] }).tags).toContain(tag);

    // docker's own credential store (outside the project and HOME) holds the login entry; nothing else does.
    const store = JSON.parse(await readFile(path.join(docker.configDir, 'config.json'), 'utf8')) as { auths?: Record<string, { auth?: string }> };
    expect(Object.keys(store.auths ?? {})).toContain(host);
    expect(path.relative(ws.cwd, docker.configDir).startsWith('..')).toBe(true);
    expect(path.relative(ws.home, docker.configDir).startsWith('..')).toBe(true);
    const dockerAuths = sessionTokens.map((token) => Buffer.from(`0sessiontoken:${token}`).toString('base64'));
    await expectNoSecret(ws, run, calls, [REST_KEY, PASSWORD, SESSION_TOKEN_PREFIX, ...sessionTokens, ...dockerAuths]);
  }, 600_000);
});

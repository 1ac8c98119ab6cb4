/**
 * The worker image end to end with the real dockerd and a real registry with basic auth:
 * offline build from the local base image, login (wrong and right password), push, pull back by
 * digest, run with --network none / host, and no registry password in any process's arguments.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError, type UserError } from '../../shared/errors.js';
import { Docker } from '../../src/adapters/docker/docker.js';
import { imageRef } from '../../src/adapters/docker/image-ref.js';
import { runCommand } from '../../src/adapters/proc/exec.js';
import { buildWorkerImage, isolatedDocker, processesWithArgument, PROJECT_DIR, requireDockerBaseImage, runContainer, type BuiltWorkerImage } from '../support/docker.js';
import { readStoredImage, startRegistry, type TestRegistry } from '../support/registry.js';
import { recordPrograms } from '../support/argv-recorder.js';

async function userErrorOf(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isUserError(error)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

const PROBE = `
import { access, constants } from 'node:fs/promises';
const sdk = await import('snowflake-sdk');
const errors = await import('/app/dist/shared/errors.js');
const appWritable = await access('/app', constants.W_OK).then(() => true, () => false);
console.log(JSON.stringify({ uid: process.getuid(), node: process.version, arch: process.arch,
  sdk: typeof sdk.default.createConnection, userError: typeof errors.UserError, appWritable }));`;

describe('worker image with a real dockerd and registry', () => {
  let registry: TestRegistry;
  let isolated: Awaited<ReturnType<typeof isolatedDocker>>;
  let docker: Docker;
  let built: BuiltWorkerImage;
  const localTag = `bs-test/worker:${process.pid}-${Date.now()}`;
  let repositoryUrl: string;

  beforeAll(async () => {
    requireDockerBaseImage();
    registry = await startRegistry();
    isolated = await isolatedDocker();
    docker = isolated.docker;
    repositoryUrl = `${registry.host}/bs_db/bs_schema/bs_repo`;
    built = await buildWorkerImage(localTag, { docker });
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    console.log(
      `worker image ${localTag}: ${mib(built.info.sizeBytes)} MiB (context ${mib(built.contextBytes)} MiB, ${built.contextFiles} files; ` +
        `staged in ${built.stageMs} ms, built in ${built.buildMs} ms)`,
    );
  }, 600_000);

  afterAll(async () => {
    // By tag, never by id: another test file may hold the same image (same layers) under its own tag.
    if (built) await docker.removeImage(localTag);
    await registry?.stop();
    await isolated?.cleanup();
  });

  it('is linux/amd64, runs as uid 1000, and starts node dist/worker/main.js', async () => {
    expect(built.info).toMatchObject({ os: 'linux', architecture: 'amd64' });
    const config = await runCommand('docker', ['image', 'inspect', '--format', '{{json .Config}}', localTag]);
    const parsed = JSON.parse(config.stdout) as { User: string; Entrypoint: string[]; WorkingDir: string; Env: string[] };
    expect(parsed).toMatchObject({ User: '1000:1000', Entrypoint: ['node', '--max-semi-space-size=1', '--heap-growing-percent=10', 'dist/worker/main.js'], WorkingDir: '/app' });
    expect(parsed.Env).toContain('NODE_ENV=production');
  });

  it('loads its production node_modules and compiled code with no network, read-only for the worker', async () => {
    const result = await runContainer(localTag, ['--input-type=module', '-e', PROBE], { network: 'none', entrypoint: 'node' });
    expect(result.exitCode, result.output).toBe(0);
    const probe = JSON.parse(result.stdout.split('\n').at(-1)!) as Record<string, unknown>;
    expect(probe).toEqual({ uid: 1000, node: process.version, arch: 'x64', sdk: 'function', userError: 'function', appWritable: false });
  });

  it('runs the worker entry point', async () => {
    if (existsSync(path.join(PROJECT_DIR, 'dist', 'worker', 'main.js'))) {
      const result = await runContainer(localTag, ['--help'], { network: 'none' });
      expect(result.exitCode, result.output).toBe(0);
      expect(result.output).toContain('--project-key');
    } else {
      // worker/main.ts is not written yet: the image still builds and points at where it will be.
      const result = await runContainer(localTag, [], { network: 'none' });
      expect(result.output).toContain('/app/dist/worker/main.js');
    }
  });

  it('login with a wrong password fails with the mapped error, and the password is not shown', async () => {
    const error = await userErrorOf(docker.login(registry.host, registry.username, 'wrong-password-123'));
    expect(error).toMatchObject({ kind: 'docker', code: 'DOCKER_LOGIN_FAILED', exitCode: 6 });
    expect(error.message).toContain(`docker login failed for ${registry.host}: the registry refused this connection's session token`);
    expect(error.message).toMatch(/401|unauthorized/i);
    expect(error.message).not.toContain('wrong-password-123');
  });

  it('push before login is refused with DOCKER_NOT_LOGGED_IN', async () => {
    const ref = imageRef(repositoryUrl, 'not-logged-in');
    await docker.tag(localTag, ref);
    const error = await userErrorOf(docker.push(ref));
    expect(error.code).toBe('DOCKER_NOT_LOGGED_IN');
    expect(error.message).toContain(ref);
    await docker.removeImage(ref);
  });

  it('logs in, pushes (the registry holds every blob), pulls back by digest and runs it with --network host', async () => {
    await docker.login(registry.host, registry.username, registry.password);
    const ref = imageRef(repositoryUrl, 'v1');
    await docker.tag(localTag, ref);
    const pushStart = Date.now();
    const { digest } = await docker.push(ref);
    console.log(`pushed ${ref} (${digest}) in ${Date.now() - pushStart} ms`);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const repository = ref.slice(registry.host.length + 1, ref.lastIndexOf(':'));
    const stored = await readStoredImage(registry, repository, digest);
    console.log(`registry holds ${stored.blobs} blobs, ${(stored.bytes / 2 ** 20).toFixed(1)} MiB compressed`);
    expect(stored.blobs).toBeGreaterThanOrEqual(4);

    const byDigest = `${ref.slice(0, ref.lastIndexOf(':'))}@${digest}`;
    await docker.removeImage(ref);
    const otherDocker = await isolatedDocker();
    try {
      // A fresh credential store is refused, so the pull below really went through our login.
      expect((await userErrorOf(otherDocker.docker.pull(byDigest))).code).toBe('DOCKER_NOT_LOGGED_IN');
    } finally {
      await otherDocker.cleanup();
    }
    await docker.pull(byDigest);
    const pulled = await docker.inspect(byDigest);
    expect(pulled.id).toBe(built.info.id);
    expect(pulled.repoDigests).toContain(byDigest);

    // With --network host the container reaches services on the host's loopback (here the registry).
    const script = `const r = await fetch('http://${registry.host}/v2/'); console.log(r.status);`;
    const run = await runContainer(byDigest, ['--input-type=module', '-e', script], { network: 'host', entrypoint: 'node' });
    expect(run.exitCode, run.output).toBe(0);
    expect(run.stdout.trim()).toBe('401');
    await docker.removeImage(byDigest);
    // Push and pull compress and hash ~150 MiB on 2 shared cores: slow under a parallel test load.
  }, 600_000);

  it('never puts the registry password in any process arguments (docker login, registry, htpasswd)', async () => {
    // A recording `docker` shim first on PATH logs the exact argv our adapter passes and the stdin size, then
    // execs the real one: every call is seen, however short-lived (no /proc sampling).
    const recorder = await recordPrograms(['docker']);
    const shimmed = new Docker({ env: { PATH: recorder.PATH, DOCKER_CONFIG: path.join(recorder.dir, 'config') } });
    try {
      await shimmed.login(registry.host, registry.username, registry.password);
      expect(await recorder.calls()).toEqual([
        { program: 'docker', args: ['login', registry.host, '--username', registry.username, '--password-stdin'], stdinBytes: Buffer.byteLength(registry.password) },
      ]);
      // The login really happened: docker's store under that DOCKER_CONFIG holds the entry.
      const store = JSON.parse(await readFile(path.join(recorder.dir, 'config', 'config.json'), 'utf8')) as { auths?: Record<string, unknown> };
      expect(Object.keys(store.auths ?? {})).toContain(registry.host);
      // The registry is long-lived: its arguments name the config file, never the password (htpasswd got it
      // on stdin through runCommand, which refuses a secret in argv).
      const registryArgs = await readFile(`/proc/${registry.pid}/cmdline`, 'utf8');
      expect(registryArgs).toContain('serve');
      expect(registryArgs).not.toContain(registry.password);
      expect(await processesWithArgument(registry.password)).toEqual([]);
    } finally {
      await recorder.cleanup();
    }
  });
});

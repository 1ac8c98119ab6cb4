import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError, type UserError } from '../../shared/errors.js';
import { checkDocker, Docker } from '../../src/adapters/docker/docker.js';
import { runCommand } from '../../src/adapters/proc/exec.js';
import { requireDockerBaseImage } from '../support/docker.js';

async function userErrorOf(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isUserError(error)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

describe('docker environment errors (real docker CLI)', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'bs-docker-errors-'));
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('checkDocker answers with both versions when the daemon runs', async () => {
    requireDockerBaseImage();
    const version = await checkDocker();
    expect(version.client).toMatch(/^\d+\.\d+/);
    expect(version.server).toMatch(/^\d+\.\d+/);
  });

  it('docker not on PATH → DOCKER_NOT_INSTALLED, exit code 6, install hint', async () => {
    const error = await userErrorOf(checkDocker({ env: { PATH: path.join(tmp, 'empty-bin') } }));
    expect(error).toMatchObject({ kind: 'docker', code: 'DOCKER_NOT_INSTALLED', exitCode: 6 });
    expect(error.message).toMatch(/not installed/);
    expect(error.suggestion).toMatch(/Install Docker Desktop/);
    expect(error.suggestion).toMatch(/--skip-image/);
  });

  it('daemon unreachable (DOCKER_HOST on a dead socket) → DOCKER_NOT_RUNNING with the start command', async () => {
    const error = await userErrorOf(checkDocker({ env: { DOCKER_HOST: `unix://${path.join(tmp, 'dead.sock')}` } }));
    expect(error).toMatchObject({ kind: 'docker', code: 'DOCKER_NOT_RUNNING' });
    expect(error.suggestion).toMatch(/Start Docker Desktop/);
    expect(error.suggestion).toContain('sudo systemctl start docker');
    // docker's own words are shown, so the user sees the socket it tried.
    expect(error.message).toContain('dead.sock');
  });

  it('a user outside the docker group → DOCKER_PERMISSION_DENIED with the usermod fix', async () => {
    requireDockerBaseImage();
    const dockerPath = (await runCommand('sh', ['-c', 'command -v docker'])).stdout;
    const wrapper = path.join(tmp, 'docker-as-nobody');
    await writeFile(wrapper, `#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp ${dockerPath} "$@"\n`);
    await chmod(wrapper, 0o755);
    const error = await userErrorOf(new Docker({ binary: wrapper, env: { DOCKER_HOST: 'unix:///var/run/docker.sock' } }).check());
    expect(error.code).toBe('DOCKER_PERMISSION_DENIED');
    expect(error.suggestion).toContain('usermod -aG docker');
  });

  it('a base image that cannot be pulled → DOCKER_BASE_IMAGE_MISSING with docker output and the BASE_IMAGE hint', async () => {
    requireDockerBaseImage();
    const contextDir = path.join(tmp, 'ctx');
    await runCommand('mkdir', ['-p', contextDir]);
    await writeFile(path.join(contextDir, 'Dockerfile'), 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCMD ["node"]\n');
    // A registry on a closed loopback port: the pull fails at once, and no traffic leaves the machine.
    const error = await userErrorOf(
      new Docker().build({ contextDir, tag: 'bs-test/unbuildable:1', buildArgs: { BASE_IMAGE: '127.0.0.1:1/missing/base:1' } }),
    );
    expect(error.code).toBe('DOCKER_BASE_IMAGE_MISSING');
    expect(error.message).toContain('$ docker build --platform linux/amd64 --network none');
    expect(error.message).toMatch(/connection refused/);
    // The hint names the CLI's own option (init and image build accept --base-image; --build-arg they refuse).
    expect(error.suggestion).toContain('--base-image IMAGE');
  });

  it('login to a registry nobody serves → DOCKER_REGISTRY_UNREACHABLE', async () => {
    requireDockerBaseImage();
    const configDir = path.join(tmp, 'config');
    const error = await userErrorOf(new Docker({ env: { DOCKER_CONFIG: configDir } }).login('127.0.0.1:1', 'someone', 'not-a-real-secret'));
    expect(error.code).toBe('DOCKER_REGISTRY_UNREACHABLE');
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).not.toContain('not-a-real-secret');
  });
});

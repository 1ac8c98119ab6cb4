/**
 * Reconfigure without docker when nothing in the image changed: the default tag is `<version>-<content hash of
 * the build context>` (src/adapters/docker/context-digest.ts); a rerun finds it with SHOW IMAGES IN IMAGE
 * REPOSITORY (https://docs.snowflake.com/en/sql-reference/sql/show-images) and neither builds nor needs docker.
 * Docker is an error only when an image must be built, and then before anything is applied.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRootFrom } from '../../src/adapters/docker/build-context.js';
import { contentImageTag, workerContextDigest } from '../../src/adapters/docker/context-digest.js';
import { isolatedDocker, requireDockerBaseImage } from '../support/docker.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { saveSandboxAnswers, startProfileRig, VIEW, writes, type ProfileRig } from './profile-support.js';

const DEAD_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

describe('init reruns without docker when the image is already in the repository', () => {
  let registry: TestRegistry;
  let docker: Awaited<ReturnType<typeof isolatedDocker>>;
  let rig: ProfileRig;
  let tag = '';
  const args = ['init', '--view', VIEW, '--id-column', 'CUSTOMER_ID', '--yes'];

  beforeAll(async () => {
    const baseImage = requireDockerBaseImage();
    registry = await startRegistry({ username: 'SANDBOX_USER' });
    docker = await isolatedDocker();
    rig = await startProfileRig({
      snowflake: { profile: 'full', registry: { host: registry.host, username: registry.username, password: registry.password }, jobRunner: 'process' },
      env: { DOCKER_CONFIG: docker.configDir, BATCH_SNOWFLAKE_BASE_IMAGE: baseImage },
    });
    await saveSandboxAnswers(rig);
    const root = packageRootFrom(import.meta.url);
    tag = await contentImageTag(root, (JSON.parse(await readFile(`${root}/package.json`, 'utf8')) as { version: string }).version);
  }, 120_000);

  afterAll(async () => {
    if (rig && tag) await docker?.docker.removeImage(`${rig.sandbox.snowflake.registryGateway!.host}/demo_db/batch_sync/batch_sync_repository/batch-snowflake-worker:${tag}`).catch(() => undefined);
    await rig?.close();
    await registry?.stop();
    await docker?.cleanup();
  });

  it('the default tag is the content hash of the build context, stable while nothing changes', async () => {
    const root = packageRootFrom(import.meta.url);
    expect(tag).toMatch(/^\d+\.\d+\.\d+[^-]*-[0-9a-f]{12}$/);
    expect(await workerContextDigest(root)).toBe(await workerContextDigest(root));
  });

  it('first init pushes <version>-<hash>; a rerun with docker stopped finds it with SHOW IMAGES and changes nothing', async () => {
    const first = await rig.cli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`batch-snowflake-worker:${tag}`);
    rig.statements.length = 0;
    // No REST key in the environment: a key given on a rerun is stored again (the secret cannot be read back
    // to compare), which is a step; without one the stored secret is kept.
    const rerun = await rig.cli(args, { ...DEAD_DOCKER, BATCH_REST_API_KEY: undefined });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('No changes');
    expect(rerun.stderr).toContain('Docker not checked (checked only if the image is not in the repository yet)');
    expect(rig.statements.some((s) => /^SHOW IMAGES IN IMAGE REPOSITORY/i.test(s))).toBe(true);
    expect(writes(rig.statements)).toEqual([]);
  }, 600_000);

  it('an image that must be built with docker stopped: a docker error before anything is applied', async () => {
    const config = await readFile(rig.configPath, 'utf8');
    rig.statements.length = 0;
    const run = await rig.cli([...args, '--image-tag', 'not-pushed-yet', '--json'], DEAD_DOCKER);
    expect(run.code, run.stderr).toBe(6);
    const error = (JSON.parse(run.stdout) as { error: { message: string; suggestion: string } }).error;
    expect(error.message).toMatch(/not-pushed-yet is not in the repository yet, so it must be built, and docker does not answer/);
    expect(error.suggestion).toMatch(/(Start the Docker daemon|systemctl start docker)[\s\S]*Nothing was changed/);
    expect(writes(rig.statements)).toEqual([]);
    expect(await readFile(rig.configPath, 'utf8')).toBe(config);
  }, 120_000);
});

/**
 * vitest globalSetup: once per run, check that a Docker daemon answers and build (or reuse, by tag
 * and node version) the local Node base image that docker tests build the worker from. Docker being
 * unavailable does not stop the other tests: docker tests fail with the reason and the fix
 * (requireDockerBaseImage in test/support/docker.ts).
 */
import type { TestProject } from 'vitest/node';
import { Docker } from '../../src/adapters/docker/docker.js';
import { BASE_IMAGE_TAG, ensureBaseImage } from './docker-base-image.js';

export default async function setup(project: TestProject): Promise<void> {
  let unavailable = '';
  try {
    await new Docker().check();
    const started = Date.now();
    const { output } = await ensureBaseImage(BASE_IMAGE_TAG);
    process.stderr.write(`[global-setup] ${output.trim()} (${Date.now() - started} ms)\n`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    unavailable = `docker tests need a running Docker daemon and the local base image: ${reason}\n` +
      'Fix: run `sudo bash scripts/setup-machine.sh` (installs docker.io, docker-registry, apache2-utils, tmux and starts dockerd)';
    process.stderr.write(`[global-setup] ${unavailable}\n`);
  }
  project.provide('dockerBaseImage', unavailable ? '' : BASE_IMAGE_TAG);
  project.provide('dockerUnavailable', unavailable);
}

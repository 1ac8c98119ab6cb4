/**
 * Docker helpers for tests: the local base image (built once per run by test/support/global-setup.ts),
 * a private docker credential store per test, building the worker image offline, running containers
 * (always --network host or none), and a scan of every process's arguments for a secret.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { prepareWorkerBuildContext, type BuildContextOptions } from '../../src/adapters/docker/build-context.js';
import { Docker, type ImageInfo } from '../../src/adapters/docker/docker.js';
import { runCommand, type CommandResult } from '../../src/adapters/proc/exec.js';
import { PROJECT_DIR } from './docker-base-image.js';

export { BASE_IMAGE_TAG, PROJECT_DIR, ensureBaseImage } from './docker-base-image.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Tag of the local Node base image, or '' when docker is unavailable. */
    dockerBaseImage: string;
    /** Why docker tests cannot run (with the fix), or '' when they can. */
    dockerUnavailable: string;
  }
}

/** The base image tag; fails the calling test with the reason and fix when docker is unavailable. */
export function requireDockerBaseImage(): string {
  const reason = inject('dockerUnavailable');
  if (reason) throw new Error(reason);
  return inject('dockerBaseImage');
}

/** A docker client whose credentials go to a fresh DOCKER_CONFIG directory, removed by cleanup(). */
export async function isolatedDocker(extraEnv: Record<string, string | undefined> = {}): Promise<{
  docker: Docker;
  env: Record<string, string | undefined>;
  configDir: string;
  cleanup(): Promise<void>;
}> {
  const configDir = await mkdtemp(path.join(os.tmpdir(), 'bs-docker-config-'));
  const env = { DOCKER_CONFIG: configDir, ...extraEnv };
  return { docker: new Docker({ env }), env, configDir, cleanup: () => rm(configDir, { recursive: true, force: true }) };
}

export interface BuiltWorkerImage {
  tag: string;
  info: ImageInfo;
  contextBytes: number;
  contextFiles: number;
  stageMs: number;
  buildMs: number;
}

/** Stages the build context from the project's dist/ and node_modules and builds the worker image offline. */
export async function buildWorkerImage(
  tag: string,
  options: { docker?: Docker; baseImage?: string; context?: Partial<BuildContextOptions> } = {},
): Promise<BuiltWorkerImage> {
  const docker = options.docker ?? new Docker();
  const stageStart = Date.now();
  const context = await prepareWorkerBuildContext({ projectDir: PROJECT_DIR, ...options.context });
  const stageMs = Date.now() - stageStart;
  try {
    const buildStart = Date.now();
    const info = await docker.build({
      contextDir: context.dir,
      dockerfile: context.dockerfile,
      tag,
      buildArgs: { BASE_IMAGE: options.baseImage ?? requireDockerBaseImage() },
    });
    return { tag, info, contextBytes: context.bytes, contextFiles: context.files, stageMs, buildMs: Date.now() - buildStart };
  } finally {
    await context.cleanup();
  }
}

/** `docker run --rm` with an explicit network (host or none: containers never get a bridge here). */
export async function runContainer(
  image: string,
  args: string[],
  options: { network: 'host' | 'none'; entrypoint?: string; env?: Record<string, string>; user?: string; timeoutMs?: number; readOnlyMounts?: Record<string, string> },
): Promise<CommandResult> {
  const dockerArgs = ['run', '--rm', '--network', options.network];
  // host path → container path, read-only (e.g. a key file, as a Kubernetes Secret volume mounts it).
  for (const [host, container] of Object.entries(options.readOnlyMounts ?? {})) dockerArgs.push('--volume', `${host}:${container}:ro`);
  if (options.entrypoint) dockerArgs.push('--entrypoint', options.entrypoint);
  if (options.user) dockerArgs.push('--user', options.user);
  // `--env NAME` (no value) passes the variable from our environment, so values stay out of argv.
  for (const name of Object.keys(options.env ?? {})) dockerArgs.push('--env', name);
  return runCommand('docker', [...dockerArgs, image, ...args], {
    env: options.env,
    secrets: Object.values(options.env ?? {}),
    timeoutMs: options.timeoutMs ?? 120_000,
  });
}

/** PIDs and command lines of every running process whose arguments contain `needle`. */
export async function processesWithArgument(needle: string): Promise<Array<{ pid: number; args: string }>> {
  const found: Array<{ pid: number; args: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (args.includes(needle)) found.push({ pid: Number(entry), args: args.split('\0').join(' ') });
  }
  return found;
}

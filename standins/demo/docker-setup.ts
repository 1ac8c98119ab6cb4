/**
 * Docker for the demo, when it can be had: a daemon that answers, an x86_64 host (the worker image is
 * linux/amd64, as SPCS runs it), and Debian's docker-registry + htpasswd for a local registry with basic auth
 * (test/support/registry.ts). Otherwise the demo runs the worker as a process and says why.
 * No base image can be pulled here, so the worker is built FROM a local Node image made from this host's node
 * (scripts/make-base-image.sh, kept between runs); worker/Dockerfile's default is the official Node 20 image.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Docker } from '../../src/adapters/docker/docker.js';
import { runCommand } from '../../src/adapters/proc/exec.js';
import { BASE_IMAGE_TAG, ensureBaseImage } from '../../test/support/docker-base-image.js';

export type DockerChoice = { use: true; server: string } | { use: false; reason: string };

function onPath(binary: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, binary)));
}

/**
 * The demo gives docker a private DOCKER_CONFIG (registry credentials stay in the demo's folder); the daemon a
 * docker context selects (Docker Desktop keeps it in ~/.docker) is kept by passing it on as DOCKER_HOST.
 */
async function keepDockerContext(): Promise<void> {
  if (process.env.DOCKER_HOST) return;
  const result = await runCommand('docker', ['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}'], { timeoutMs: 15_000 });
  const host = result.stdout.trim();
  if (!result.failed && host) process.env.DOCKER_HOST = host;
}

export async function chooseDocker(noDocker: boolean): Promise<DockerChoice> {
  if (noDocker) return { use: false, reason: '--no-docker was given' };
  if (!onPath('docker')) return { use: false, reason: 'docker is not installed' };
  await keepDockerContext();
  let server: string;
  try {
    server = (await new Docker().check()).server;
  } catch (error) {
    return { use: false, reason: `docker does not answer: ${(error as Error).message.split('\n')[0]}` };
  }
  if (os.arch() !== 'x64') return { use: false, reason: `the worker image is linux/amd64 and this host is ${os.arch()}` };
  const missing = ['docker-registry', 'htpasswd'].filter((b) => !onPath(b));
  if (missing.length > 0) {
    return { use: false, reason: `the local registry needs ${missing.join(' and ')} (Debian/Ubuntu: apt-get install docker-registry apache2-utils)` };
  }
  return { use: true, server };
}

/** The local Node base image (built once, reused while the host's node version stays the same). */
export async function ensureDemoBaseImage(): Promise<{ tag: string; message: string }> {
  const { output } = await ensureBaseImage(BASE_IMAGE_TAG);
  return { tag: BASE_IMAGE_TAG, message: output.trim() };
}

/** Every local image reference under the demo registry's host (what init built and the job runner pulled). */
export async function imagesOf(registryHost: string): Promise<string[]> {
  const result = await runCommand('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], { timeoutMs: 30_000 });
  if (result.failed) return [];
  return result.stdout.split('\n').map((l) => l.trim()).filter((ref) => ref.startsWith(`${registryHost}/`));
}

export async function removeImages(registryHost: string): Promise<string[]> {
  const refs = await imagesOf(registryHost);
  for (const ref of refs) await runCommand('docker', ['image', 'rm', '--no-prune', ref], { timeoutMs: 60_000 });
  return refs;
}

/** Containers still there from the demo registry's images (the stand-in's job runner uses --rm and removes its own). */
export async function containersOf(registryHost: string): Promise<string[]> {
  const result = await runCommand('docker', ['ps', '-a', '--format', '{{.Names}} {{.Image}}'], { timeoutMs: 30_000 });
  if (result.failed) return [];
  return result.stdout.split('\n').map((l) => l.trim().split(' ')).filter(([, image]) => image?.startsWith(`${registryHost}/`)).map(([name]) => name!);
}

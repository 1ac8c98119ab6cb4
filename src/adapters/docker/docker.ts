/**
 * The docker adapter: check, build, login, push and inspect through the docker CLI (via execa in
 * src/adapters/proc/exec.ts), every failure mapped to a UserError of kind `docker` with the command's output
 * and the next step. The registry secret only ever goes on stdin (`docker login --password-stdin`).
 */
import { runCommand, type CommandResult, type RunOptions } from '../proc/exec.js';
import { classifyDockerFailure, failureWithOutput } from './docker-errors.js';

export interface DockerOptions {
  /** The docker executable; default `docker` from PATH. */
  binary?: string;
  /** Extra environment (DOCKER_HOST, DOCKER_CONFIG for a private credential store, PATH, …). */
  env?: Record<string, string | undefined>;
  /** Called with each output line of long commands (build, push), e.g. to show progress. */
  onLine?: RunOptions['onLine'];
}

export interface DockerVersion {
  client: string;
  server: string;
}

export interface BuildRequest {
  contextDir: string;
  /** Path of the Dockerfile; default `<contextDir>/Dockerfile`. */
  dockerfile?: string;
  tag: string;
  buildArgs?: Record<string, string>;
  /** Default linux/amd64, the only platform SPCS runs (snowflake-spcs.md §2.4). */
  platform?: string;
  /** Default `none`: the worker's build context is complete and the build needs no network. */
  network?: string;
}

export interface ImageInfo {
  id: string;
  sizeBytes: number;
  os: string;
  architecture: string;
  repoDigests: string[];
}

const MINUTE = 60_000;

export class Docker {
  private readonly binary: string;

  constructor(private readonly options: DockerOptions = {}) {
    this.binary = options.binary ?? 'docker';
  }

  private run(args: string[], extra: RunOptions = {}): Promise<CommandResult> {
    return runCommand(this.binary, args, { env: this.options.env, ...extra });
  }

  /** Docker installed and its daemon answering; otherwise a UserError saying how to fix it. */
  async check(): Promise<DockerVersion> {
    const result = await this.run(['version', '--format', '{{json .}}'], { timeoutMs: 30_000 });
    if (result.failed) throw classifyDockerFailure('check', result);
    try {
      const parsed = JSON.parse(result.stdout) as { Client?: { Version?: string }; Server?: { Version?: string } | null };
      return { client: parsed.Client?.Version ?? 'unknown', server: parsed.Server?.Version ?? 'unknown' };
    } catch {
      throw failureWithOutput('DOCKER_UNEXPECTED', 'docker version printed something unexpected', result);
    }
  }

  async build(request: BuildRequest): Promise<ImageInfo> {
    const args = ['build', '--platform', request.platform ?? 'linux/amd64', '--network', request.network ?? 'none'];
    args.push('--file', request.dockerfile ?? `${request.contextDir}/Dockerfile`, '--tag', request.tag);
    for (const [name, value] of Object.entries(request.buildArgs ?? {})) args.push('--build-arg', `${name}=${value}`);
    args.push(request.contextDir);
    const result = await this.run(args, { timeoutMs: 30 * MINUTE, onLine: this.options.onLine });
    if (result.failed) throw classifyDockerFailure('build', result, request.tag);
    return this.inspect(request.tag);
  }

  /** `docker login <host> --username <user> --password-stdin`: the secret goes on stdin only. */
  async login(host: string, username: string, secret: string): Promise<void> {
    const result = await this.run(['login', host, '--username', username, '--password-stdin'], {
      secretStdin: secret,
      timeoutMs: 2 * MINUTE,
    });
    if (result.failed) throw classifyDockerFailure('login', result, host);
  }

  async logout(host: string): Promise<void> {
    await this.run(['logout', host], { timeoutMs: 30_000 });
  }

  async tag(source: string, target: string): Promise<void> {
    const result = await this.run(['tag', source, target], { timeoutMs: 30_000 });
    if (result.failed) throw classifyDockerFailure('tag', result, target);
  }

  /** Pushes and returns the manifest digest the registry recorded (`sha256:…`). */
  async push(ref: string): Promise<{ digest: string }> {
    const result = await this.run(['push', ref], { timeoutMs: 30 * MINUTE, onLine: this.options.onLine });
    if (result.failed) throw classifyDockerFailure('push', result, ref);
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(result.output)?.[1];
    if (digest === undefined) throw failureWithOutput('DOCKER_PUSH_FAILED', `docker push ${ref} reported no digest`, result);
    return { digest };
  }

  async pull(ref: string): Promise<void> {
    const result = await this.run(['pull', ref], { timeoutMs: 30 * MINUTE, onLine: this.options.onLine });
    if (result.failed) throw classifyDockerFailure('pull', result, ref);
  }

  async inspect(ref: string): Promise<ImageInfo> {
    const result = await this.run(['image', 'inspect', '--format', '{{json .}}', ref], { timeoutMs: 30_000 });
    if (result.failed) throw failureWithOutput('DOCKER_IMAGE_MISSING', `docker has no image ${ref}`, result);
    const raw = JSON.parse(result.stdout) as { Id: string; Size: number; Os: string; Architecture: string; RepoDigests: string[] | null };
    return { id: raw.Id, sizeBytes: raw.Size, os: raw.Os, architecture: raw.Architecture, repoDigests: raw.RepoDigests ?? [] };
  }

  /** True when the image exists locally. */
  async has(ref: string): Promise<boolean> {
    return !(await this.run(['image', 'inspect', ref], { timeoutMs: 30_000 })).failed;
  }

  /** The local tags of one repository (`docker image ls REPOSITORY`); null when docker is missing or its daemon does not answer. */
  async listImages(repository: string): Promise<Array<{ ref: string; size: string }> | null> {
    const result = await this.run(['image', 'ls', '--format', '{{json .}}', repository], { timeoutMs: 30_000 });
    if (result.failed) return null;
    return result.stdout.split('\n').filter((line) => line.trim().startsWith('{')).flatMap((line) => {
      const row = JSON.parse(line) as { Repository?: string; Tag?: string; Size?: string };
      return row.Repository && row.Tag && row.Tag !== '<none>' ? [{ ref: `${row.Repository}:${row.Tag}`, size: row.Size ?? '?' }] : [];
    });
  }

  /**
   * Removes a reference; the image itself goes only with its last reference (no --force). --no-prune keeps
   * its untagged parents: with the classic builder those are the layer cache, and pruning them under a
   * build running at the same time fails that build with "unknown parent image ID".
   */
  async removeImage(ref: string): Promise<void> {
    await this.run(['image', 'rm', '--no-prune', ref], { timeoutMs: MINUTE });
  }
}

export function createDocker(options?: DockerOptions): Docker {
  return new Docker(options);
}

/** Preflight for the wizard: throws a UserError when docker is missing or its daemon is down. */
export async function checkDocker(options?: DockerOptions): Promise<DockerVersion> {
  return new Docker(options).check();
}

/**
 * Runs one job container. `docker`: the spec's image from the configured local registry, `docker run --rm
 * --network host`, the session token file bind-mounted at /snowflake/session/token (reference §3.3), env passed
 * by name (`--env NAME`, values in docker's environment, never in argv). `process`: the worker entry point (or
 * the configured command) as a child process with the same args and env, the token path in
 * BATCH_SNOWFLAKE_TOKEN_FILE (worker/snowflake-auth.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Docker } from '../../../src/adapters/docker/docker.js';
import { runCommand } from '../../../src/adapters/proc/exec.js';

export interface RegistryConfig {
  /** `host:port` of the registry image repositories map to. */
  host: string;
  /** Registry credentials (docker login); absent for a registry without auth. */
  username?: string;
  password?: string;
}

export interface ContainerRun {
  jobName: string;
  containerName: string;
  image: string;
  command: string[] | null;
  args: string[];
  env: Record<string, string>;
  token: string;
  /** Values to keep out of argv and redact from output (secrets resolved from the spec). */
  secretValues: string[];
  /** Called with each output line as it arrives (service logs). */
  onLine(line: string): void;
  timeoutMs: number;
  /** Aborted by ALTER COMPUTE POOL … STOP ALL: the container is stopped. */
  signal?: AbortSignal;
}

export interface ContainerResult {
  exitCode: number | undefined;
  /** Last lines of output, for the job's error message. */
  tail: string;
}

const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** `npm run worker` without npm: node with tsx's loader on worker/main.ts. */
export const WORKER_ENTRY = [process.execPath, '--import', 'tsx', path.join(PROJECT_DIR, 'worker', 'main.ts')];

async function withTokenFile<T>(token: string, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sf-job-token-'));
  const file = path.join(dir, 'token');
  try {
    // Readable by the container's non-root user (uid 1000); the directory itself stays private (0700).
    await writeFile(file, token, { mode: 0o644 });
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const tailOf = (output: string) => output.split('\n').filter((l) => l.trim()).slice(-5).join('\n');

/** `/db/schema/repo/image:tag` → `<registry host>/db/schema/repo/image:tag` (lowercase, reference §2.4). */
export function imageReference(image: string, registryHost: string): string {
  return image.startsWith('/') ? `${registryHost}${image}`.toLowerCase() : image.toLowerCase();
}

export class DockerJobRunner {
  private readonly docker: Docker;
  private login: Promise<void> | undefined;
  private readonly running = new Set<string>();

  constructor(private readonly registry: RegistryConfig, private readonly configDir: string) {
    this.docker = new Docker({ env: { DOCKER_CONFIG: configDir } });
  }

  static async create(registry: RegistryConfig): Promise<DockerJobRunner> {
    return new DockerJobRunner(registry, await mkdtemp(path.join(os.tmpdir(), 'sf-job-docker-')));
  }

  async run(job: ContainerRun): Promise<ContainerResult> {
    const { host, username, password } = this.registry;
    this.login ??= username && password ? this.docker.login(host, username, password) : Promise.resolve();
    await this.login;
    const ref = imageReference(job.image, this.registry.host);
    await this.docker.pull(ref);
    const name = `sf-job-${job.jobName.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}-${job.containerName}`;
    return withTokenFile(job.token, async (tokenFile) => {
      const args = ['run', '--rm', '--name', name, '--network', 'host', '--volume', `${tokenFile}:/snowflake/session/token:ro`];
      for (const key of Object.keys(job.env)) args.push('--env', key);
      if (job.command) args.push('--entrypoint', job.command[0] ?? '');
      args.push(ref, ...(job.command?.slice(1) ?? []), ...job.args);
      this.running.add(name);
      // Stopping the `docker run` client alone may leave the container running: remove it too.
      const stop = () => void runCommand('docker', ['rm', '-f', name], { timeoutMs: 30_000 });
      job.signal?.addEventListener('abort', stop, { once: true });
      try {
        const result = await runCommand('docker', args, {
          env: { ...job.env, DOCKER_CONFIG: this.configDir },
          secrets: [job.token, ...job.secretValues],
          timeoutMs: job.timeoutMs,
          onLine: (line) => job.onLine(line),
          ...(job.signal ? { signal: job.signal } : {}),
        });
        return { exitCode: result.exitCode, tail: tailOf(result.output) };
      } finally {
        job.signal?.removeEventListener('abort', stop);
        this.running.delete(name);
      }
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.running].map((name) => runCommand('docker', ['rm', '-f', name], { timeoutMs: 30_000 })));
    await rm(this.configDir, { recursive: true, force: true });
  }
}

export class ProcessJobRunner {
  constructor(private readonly entry: string[] = WORKER_ENTRY) {}

  async run(job: ContainerRun): Promise<ContainerResult> {
    return withTokenFile(job.token, async (tokenFile) => {
      // The child must not inherit this process's Snowflake/Batch settings: only the job's env counts.
      const cleared = Object.fromEntries(Object.keys(process.env).filter((k) => /^(SNOWFLAKE_|BATCH_)/.test(k)).map((k) => [k, undefined]));
      const [file = process.execPath, ...prefix] = this.entry;
      const result = await runCommand(file, [...prefix, ...job.args], {
        cwd: PROJECT_DIR,
        env: { ...cleared, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true', ...job.env, BATCH_SNOWFLAKE_TOKEN_FILE: tokenFile },
        secrets: [job.token, ...job.secretValues],
        timeoutMs: job.timeoutMs,
        onLine: (line) => job.onLine(line),
        ...(job.signal ? { signal: job.signal } : {}),
      });
      return { exitCode: result.exitCode, tail: tailOf(result.output) };
    });
  }

  async close(): Promise<void> {}
}

/** `auto`: docker when a registry is configured and the daemon answers, else the process runner. */
export async function dockerAvailable(): Promise<boolean> {
  const result = await runCommand('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 15_000 });
  return !result.failed;
}

/**
 * A real image registry for tests: Debian's `docker-registry` binary (distribution 2.x, installed by
 * scripts/setup-machine.sh), on 127.0.0.1:<free port>, filesystem storage in a temp dir and htpasswd
 * basic auth. dockerd treats 127.0.0.0/8 registries as insecure-allowed, so plain http works.
 * The password is generated here, hashed by `htpasswd -niB` reading it from stdin, and never passed
 * in any process's arguments.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from '../../src/adapters/proc/exec.js';

export interface TestRegistry {
  /** `127.0.0.1:PORT`, usable as docker's registry host. */
  host: string;
  username: string;
  password: string;
  /** PID of the registry process (for scans of process arguments). */
  pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function htpasswdLine(username: string, password: string): Promise<string> {
  const result = await runCommand('htpasswd', ['-niB', username], { secretStdin: password, timeoutMs: 30_000 });
  if (result.failed) throw new Error(`htpasswd failed (is apache2-utils installed? run scripts/setup-machine.sh): ${result.stderr}`);
  // Output was redacted for the password, which never appears in a bcrypt hash; keep only user:hash.
  const line = result.stdout.split('\n').find((l) => l.startsWith(`${username}:`));
  if (!line) throw new Error('htpasswd printed no entry');
  return `${line}\n`;
}

function registryConfig(dir: string, port: number): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'storage')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    'auth:',
    '  htpasswd:',
    '    realm: batch-snowflake-test',
    `    path: ${path.join(dir, 'htpasswd')}`,
    '',
  ].join('\n');
}

async function waitReady(child: ChildProcess, host: string, logs: () => string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`docker-registry exited during start:\n${logs()}`);
    // An unauthenticated GET /v2/ answers 401 once the server is listening with auth enabled.
    const status = await fetch(`http://${host}/v2/`).then((r) => r.status, () => 0);
    if (status === 401) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not answer on ${host} within ${deadlineMs} ms:\n${logs()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function startRegistry(options: { username?: string } = {}): Promise<TestRegistry> {
  const username = options.username ?? 'tester';
  const password = randomBytes(18).toString('base64url');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bs-registry-'));
  await writeFile(path.join(dir, 'htpasswd'), await htpasswdLine(username, password), { mode: 0o600 });

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const configPath = path.join(dir, 'config.yml');
    await writeFile(configPath, registryConfig(dir, port), { mode: 0o600 });
    const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let logs = '';
    const keep = (chunk: Buffer) => (logs = (logs + chunk.toString()).slice(-16_384));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) => reject(new Error(`cannot start docker-registry (run scripts/setup-machine.sh): ${error.message}`)));
    });
    try {
      await spawned;
      await waitReady(child, host, () => logs, 20_000);
      return {
        host,
        username,
        password,
        pid: child.pid!,
        stop: async () => {
          await stopChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
      await stopChild(child);
      if (!/address already in use/.test(logs)) break;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

export interface StoredImage {
  mediaType: string;
  /** Config and layer blobs, each downloaded and checked against its sha256 digest. */
  blobs: number;
  bytes: number;
}

/**
 * Reads an image back from the registry over its HTTP API (manifest by digest, then every blob)
 * and checks each blob's content against its digest: proof the registry holds the whole image.
 */
export async function readStoredImage(registry: TestRegistry, repository: string, digest: string): Promise<StoredImage> {
  const headers = {
    authorization: `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`,
    accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
  };
  const base = `http://${registry.host}/v2/${repository}`;
  const manifestResponse = await fetch(`${base}/manifests/${digest}`, { headers });
  if (manifestResponse.status !== 200) throw new Error(`manifest ${digest}: HTTP ${manifestResponse.status}`);
  const manifestBytes = Buffer.from(await manifestResponse.arrayBuffer());
  if (`sha256:${createHash('sha256').update(manifestBytes).digest('hex')}` !== digest) throw new Error('manifest digest mismatch');
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as { mediaType: string; config: { digest: string }; layers: Array<{ digest: string }> };
  let bytes = 0;
  const blobDigests = [manifest.config.digest, ...manifest.layers.map((layer) => layer.digest)];
  for (const blobDigest of blobDigests) {
    const response = await fetch(`${base}/blobs/${blobDigest}`, { headers });
    if (response.status !== 200) throw new Error(`blob ${blobDigest}: HTTP ${response.status}`);
    const blob = Buffer.from(await response.arrayBuffer());
    if (`sha256:${createHash('sha256').update(blob).digest('hex')}` !== blobDigest) throw new Error(`blob ${blobDigest}: content mismatch`);
    bytes += blob.length;
  }
  return { mediaType: manifest.mediaType, blobs: blobDigests.length, bytes };
}

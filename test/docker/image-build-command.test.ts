/**
 * `batch-snowflake image build` through the built bin, against the real dockerd (offline builds from the
 * local base image): a local build, --context-dir whose printed docker line builds when pasted, and the bad
 * inputs (non-empty folder, docker missing, unknown base image, --push without an install).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Docker } from '../../src/adapters/docker/docker.js';
import { ensureBuilt, repo } from '../cli/fixtures/ensure-built.js';
import { requireDockerBaseImage, runContainer } from '../support/docker.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function collect(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cli = (args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) =>
  collect(process.execPath, [path.join(repo, 'bin', 'batch-snowflake.js'), ...args], {
    cwd: options.cwd,
    env: { ...process.env, CI: 'true', NO_COLOR: '1', BATCH_SNOWFLAKE_BASE_IMAGE: '', ...options.env },
  });

const shell = (command: string, cwd: string) => collect('sh', ['-c', command], { cwd });

const docker = new Docker();
const suffix = `${process.pid}-${Date.now()}`;
const tags: string[] = [];
let work = '';
let baseImage = '';

beforeAll(async () => {
  ensureBuilt();
  baseImage = requireDockerBaseImage();
  work = await mkdtemp(path.join(os.tmpdir(), 'bs-image-build-'));
});

afterAll(async () => {
  for (const tag of tags) await docker.removeImage(tag).catch(() => undefined);
  if (work) await rm(work, { recursive: true, force: true });
});

describe('batch-snowflake image build', () => {
  it('builds the worker image locally, offline, from the given base image', async () => {
    const tag = `ib-local-${suffix}`;
    tags.push(`batch-snowflake-worker:${tag}`);
    const run = await cli(['image', 'build', '--tag', tag, '--base-image', baseImage, '--json'], { cwd: work });
    expect(run.code, run.stderr).toBe(0);
    const envelope = JSON.parse(run.stdout) as { ok: boolean; result: { reference: string } };
    expect(envelope.result.reference).toBe(`batch-snowflake-worker:${tag}`);
    const info = await docker.inspect(`batch-snowflake-worker:${tag}`);
    expect(info.architecture).toBe('amd64');
    const help = await runContainer(`batch-snowflake-worker:${tag}`, ['--help'], { network: 'none' });
    expect(help.output).toContain('--null-policy');
  });

  it('--context-dir stages the context and prints docker commands that build when pasted', async () => {
    const tag = `ib-ctx-${suffix}`;
    const dir = path.join(work, 'context');
    const run = await cli(['image', 'build', '--tag', tag, '--base-image', baseImage, '--context-dir', dir, '--json'], { cwd: work });
    expect(run.code, run.stderr).toBe(0);
    const { result } = JSON.parse(run.stdout) as { result: { commands: string[]; reference: string } };
    expect(result.commands[0]).toBe(`cd ${dir}`);
    const build = result.commands[1] as string;
    expect(build).toContain(`--build-arg BASE_IMAGE=${baseImage}`);
    expect(await readFile(path.join(dir, 'Dockerfile'), 'utf8')).toContain('dist/worker/main.js');
    tags.push(result.reference);
    const pasted = await shell(`${result.commands[0]} && ${build}`, work);
    expect(pasted.code, pasted.stderr).toBe(0);
    expect((await docker.inspect(result.reference)).architecture).toBe('amd64');
  });

  it('refuses a non-empty --context-dir and writes nothing into it', async () => {
    const dir = await mkdtemp(path.join(work, 'full-'));
    await writeFile(path.join(dir, 'keep.txt'), 'mine');
    const run = await cli(['image', 'build', '--context-dir', dir], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not empty');
    expect(run.stderr).toContain('new or empty folder');
    expect(await readFile(path.join(dir, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('docker missing: exit 6 with the next step', async () => {
    const run = await cli(['image', 'build', '--tag', 'x1'], { cwd: work, env: { PATH: path.dirname(process.execPath) } });
    expect(run.code).toBe(6);
    expect(run.stderr.toLowerCase()).toContain('docker');
  });

  it('an unknown base image: exit 6, naming --base-image (an option that exists)', async () => {
    // A registry on a closed loopback port: the daemon's pull attempt never leaves this machine.
    const run = await cli(['image', 'build', '--tag', `ib-bad-${suffix}`, '--base-image', `127.0.0.1:9/no-such-base:${suffix}`], { cwd: work });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('could not get its base image');
    const suggestion = run.stderr.split('\n').filter((line) => line.trim().startsWith('→')).join('\n');
    expect(suggestion).toContain('--base-image IMAGE');
    expect(suggestion).not.toContain('--build-arg');
  });

  it('--push without batch-snowflake.json: exit 2 saying where it looked; --push with --context-dir is a usage error', async () => {
    const push = await cli(['image', 'build', '--push'], { cwd: work });
    expect(push.code).toBe(2);
    expect(push.stderr).toContain('batch-snowflake.json');
    const both = await cli(['image', 'build', '--push', '--context-dir', path.join(work, 'x')], { cwd: work });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--context-dir');
  });
});

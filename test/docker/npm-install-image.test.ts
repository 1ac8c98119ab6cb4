/**
 * The CLI installed from npm stands on its own: the packed tarball installed into an empty folder (offline,
 * from the npm cache), then, from that folder only, `image build` offline from the local base image (the
 * hoisted node_modules of the install become the image's), the built image runs the worker, and
 * `init --dry-run` with every answer given plans without a connection.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Docker } from '../../src/adapters/docker/docker.js';
import { ensureBuilt, repo } from '../cli/fixtures/ensure-built.js';
import { requireDockerBaseImage, runContainer } from '../support/docker.js';

const exec = promisify(execFile);
const docker = new Docker();
const tag = `npm-${process.pid}-${Date.now()}`;
let work = '';
let app = '';

async function npx(args: string[], env: NodeJS.ProcessEnv = {}) {
  // A clean environment: nothing of the clone (no SNOWFLAKE_* connection, HOME of our own).
  const clean = { PATH: process.env.PATH, HOME: work, CI: 'true', NO_COLOR: '1', SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true', ...env };
  try {
    const { stdout, stderr } = await exec('npx', ['--offline', 'batch-snowflake', ...args], { cwd: app, env: clean, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  ensureBuilt();
  work = await mkdtemp(path.join(os.tmpdir(), 'bs-npm-image-'));
  const { stdout } = await exec('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: repo });
  const tarball = path.join(work, stdout.trim().split('\n').pop() as string);
  app = path.join(work, 'app');
  await mkdir(app);
  await writeFile(path.join(app, 'package.json'), '{"name":"app","private":true}\n');
  try {
    await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: app });
  } catch {
    await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app });
  }
}, 240_000);

afterAll(async () => {
  await docker.removeImage(`batch-snowflake-worker:${tag}`).catch(() => undefined);
  if (work) await rm(work, { recursive: true, force: true });
});

describe('installed from the npm tarball', () => {
  it('image build works from the install alone, and the image runs the worker', { timeout: 240_000 }, async () => {
    const baseImage = requireDockerBaseImage();
    const run = await npx(['image', 'build', '--tag', tag, '--base-image', baseImage, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { result: { reference: string } }).result.reference).toBe(`batch-snowflake-worker:${tag}`);
    const help = await runContainer(`batch-snowflake-worker:${tag}`, ['--help'], { network: 'none' });
    expect(help.exitCode).toBe(0);
    expect(help.output).toContain('--delete-policy');
  });

  it('init --dry-run with every answer given plans offline from the install', { timeout: 120_000 }, async () => {
    const answers = ['--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', 'PROJECT_KEY_NPM', '--target', 'DEMO_DB.PUBLIC'];
    const run = await npx(['init', '--role', 'SYNC_ROLE', '--warehouse', 'WH', ...answers, '--image-tag', tag, '--dry-run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const envelope = JSON.parse(run.stdout) as { result: { offline: boolean; plan: { steps: Array<{ id: string; text: string }> } } };
    expect(envelope.result.offline).toBe(true);
    const build = envelope.result.plan.steps.find((step) => step.id === 'docker-build');
    expect(build?.text).toContain(`batch-snowflake image build --tag ${tag} --context-dir`);
  });
});

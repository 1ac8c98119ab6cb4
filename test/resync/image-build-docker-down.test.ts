/**
 * Issue 20 (bad input): `image build` with docker stopped or absent, through the built bin. The next step is
 * clear and names only what exists for this command: start the daemon (how, on this host) or stage the context
 * with --context-dir and build elsewhere; never init's --skip-image, which `image build` does not have.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repo } from '../cli/fixtures/ensure-built.js';

let work = '';
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(path.join(os.tmpdir(), 'resync-ib-down-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function imageBuild(env: NodeJS.ProcessEnv) {
  const run = spawnSync(process.execPath, [path.join(repo, 'bin', 'batch-snowflake.js'), 'image', 'build', '--tag', `resync-down-${process.pid}`], {
    cwd: work, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env }, timeout: 60_000,
  });
  const suggestion = run.stderr.split('\n').filter((line) => line.trim().startsWith('→')).join('\n');
  return { code: run.status, stderr: run.stderr, suggestion };
}

describe('image build without a working docker', () => {
  it('daemon stopped (DOCKER_HOST on a dead socket): exit 6, how to start it or build elsewhere; no init-only option', () => {
    const run = imageBuild({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('daemon is not running');
    expect(run.suggestion).toMatch(/Start (the Docker daemon|Docker Desktop)/);
    expect(run.suggestion).toContain('batch-snowflake image build --context-dir DIR');
    expect(run.suggestion).not.toContain('--skip-image');
  });

  it('docker not installed (not on PATH): exit 6, install it or build elsewhere; no init-only option', () => {
    // PATH holds only node itself, so `docker` is not found.
    const bin = path.join(work, 'bin');
    spawnSync('mkdir', ['-p', bin]);
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const run = imageBuild({ PATH: bin });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('docker is not installed');
    expect(run.suggestion).toContain('Install Docker');
    expect(run.suggestion).toContain('batch-snowflake image build --context-dir DIR');
    expect(run.suggestion).not.toContain('--skip-image');
  });
});

import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRootFrom, prepareWorkerBuildContext, type WorkerBuildContext } from '../../src/adapters/docker/build-context.js';
import { productionPackages } from '../../src/adapters/docker/production-packages.js';
import { runCommand } from '../../src/adapters/proc/exec.js';
import { PROJECT_DIR } from '../support/docker-base-image.js';

describe('production packages', () => {
  it('finds exactly the closure `npm ls --omit=dev --all` reports, and no dev dependency', async () => {
    const npm = await runCommand('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: PROJECT_DIR, timeoutMs: 60_000 });
    const fromNpm = npm.stdout.split('\n').slice(1).filter(Boolean).map((dir) => realpathSync(dir)).sort();
    const ours = (await productionPackages(PROJECT_DIR)).map((p) => p.sourceDir).sort();
    expect(ours).toEqual(fromNpm);
    const names = new Set((await productionPackages(PROJECT_DIR)).map((p) => p.name));
    for (const dev of ['vitest', 'typescript', 'tsx', '@duckdb/node-api']) expect(names.has(dev)).toBe(false);
  });

  it('follows hoisting from an installed package (dependencies next to it, not under it)', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'bs-hoist-'));
    const write = async (dir: string, manifest: object) => {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'package.json'), JSON.stringify(manifest));
    };
    const modules = path.join(root, 'node_modules');
    await write(path.join(modules, 'app'), { name: 'app', dependencies: { a: '1', b: '2' } });
    await write(path.join(modules, 'a'), { name: 'a', version: '1.0.0', dependencies: { c: '1' }, optionalDependencies: { gone: '1' } });
    await write(path.join(modules, 'c'), { name: 'c', version: '1.0.0' });
    await write(path.join(modules, 'app', 'node_modules', 'b'), { name: 'b', version: '2.0.0', dependencies: { c: '1' } });
    await write(path.join(modules, 'unused'), { name: 'unused', version: '1.0.0' });
    try {
      const staged = await productionPackages(path.join(modules, 'app'));
      expect(staged.map((p) => [p.name, p.destination])).toEqual([
        ['a', path.join('node_modules', 'a')],
        ['b', path.join('node_modules', 'b')],
        ['c', path.join('node_modules', 'c')],
      ]);
      await rm(path.join(modules, 'c'), { recursive: true });
      await expect(productionPackages(path.join(modules, 'app'))).rejects.toThrow(/cannot find package c \(required by a@1.0.0\)/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('prepareWorkerBuildContext', () => {
  let context: WorkerBuildContext;
  let distDir: string;
  beforeAll(async () => {
    // A small compiled tree of our own: this test is about staging, not about the current build.
    distDir = await mkdtemp(path.join(os.tmpdir(), 'bs-dist-'));
    await mkdir(path.join(distDir, 'shared'), { recursive: true });
    await mkdir(path.join(distDir, 'src', 'cli'), { recursive: true });
    await mkdir(path.join(distDir, 'worker'), { recursive: true });
    await mkdir(path.join(distDir, 'test'), { recursive: true });
    await writeFile(path.join(distDir, 'shared', 'errors.js'), 'export {};\n');
    await writeFile(path.join(distDir, 'shared', 'errors.js.map'), '{}');
    await writeFile(path.join(distDir, 'src', 'cli', 'main.js'), 'export {};\n');
    await writeFile(path.join(distDir, 'worker', 'main.js'), 'export {};\n');
    await writeFile(path.join(distDir, 'test', 'not-shipped.js'), '');
    context = await prepareWorkerBuildContext({ projectDir: PROJECT_DIR, distDir });
    console.log(`build context: ${context.packages.length} packages, ${context.files} files, ${(context.bytes / 2 ** 20).toFixed(1)} MiB`);
  });
  afterAll(async () => {
    await context?.cleanup();
    await rm(distDir, { recursive: true, force: true });
  });

  it('stages the Dockerfile, a minimal ESM package.json, dist and production node_modules', async () => {
    expect(await readFile(context.dockerfile, 'utf8')).toBe(await readFile(path.join(PROJECT_DIR, 'worker', 'Dockerfile'), 'utf8'));
    const manifest = JSON.parse(await readFile(path.join(context.dir, 'package.json'), 'utf8'));
    expect(manifest).toEqual({ name: 'batch-snowflake', version: expect.any(String), private: true, type: 'module' });
    expect(existsSync(path.join(context.dir, 'dist', 'shared', 'errors.js'))).toBe(true);
    // The worker imports only shared/ (npm run lint:deps): the CLI's code stays out of the image.
    expect(existsSync(path.join(context.dir, 'dist', 'src'))).toBe(false);
    expect(existsSync(path.join(context.dir, 'dist', 'worker', 'main.js'))).toBe(true);
    expect(existsSync(path.join(context.dir, 'dist', 'test'))).toBe(false);
    expect(existsSync(path.join(context.dir, 'node_modules', 'snowflake-sdk', 'package.json'))).toBe(true);
    for (const dev of ['vitest', 'typescript', 'tsx', '@duckdb']) expect(existsSync(path.join(context.dir, 'node_modules', dev))).toBe(false);
    expect(existsSync(path.join(context.dir, 'dist', 'shared', 'errors.js.map'))).toBe(false);
  });

  it('ships no addon compiled on this host, so a macOS or arm64 host builds a working linux/amd64 image', () => {
    expect(context.hostBuiltAddons).toEqual([]);
    // snowflake-sdk's prebuilt addons for every platform are shipped, including the image's own.
    const minicore = context.packages.find((p) => p.name === 'snowflake-sdk')!;
    expect(existsSync(path.join(context.dir, minicore.destination, 'dist', 'lib', 'minicore', 'binaries'))).toBe(true);
  });

  it('keeps nested copies nested (conflicting versions stay where npm put them)', () => {
    const nested = context.packages.filter((p) => p.destination.split('node_modules').length > 2);
    expect(nested.length).toBeGreaterThan(0);
    for (const pkg of nested) expect(existsSync(path.join(context.dir, pkg.destination, 'package.json'))).toBe(true);
  });

  it('names a missing build, and removes its staging directory on failure', async () => {
    const outDir = path.join(os.tmpdir(), `bs-ctx-fail-${process.pid}`);
    await expect(prepareWorkerBuildContext({ projectDir: PROJECT_DIR, distDir: '/nonexistent-dist', outDir })).rejects.toThrow(/run `npm run build` first/);
    await expect(prepareWorkerBuildContext({ projectDir: PROJECT_DIR, distDir, outDir, rootPackages: ['no-such-package-bs'] })).rejects.toThrow(/cannot find package no-such-package-bs/);
    // A project without worker/Dockerfile fails after the staging directory was created.
    const bare = await mkdtemp(path.join(os.tmpdir(), 'bs-bare-'));
    await writeFile(path.join(bare, 'package.json'), JSON.stringify({ name: 'bare', version: '1.0.0' }));
    await expect(prepareWorkerBuildContext({ projectDir: bare, distDir, outDir })).rejects.toThrow(/Dockerfile/);
    await rm(bare, { recursive: true, force: true });
    expect(existsSync(outDir)).toBe(false);
  });

  it('finds the package root from a module URL inside it', () => {
    expect(packageRootFrom(new URL('../../src/adapters/docker/docker.ts', import.meta.url).href)).toBe(PROJECT_DIR);
  });
});

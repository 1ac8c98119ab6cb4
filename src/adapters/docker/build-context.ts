/**
 * Stages the worker image's build context in a temporary directory: worker/Dockerfile, the compiled
 * code (dist/shared, dist/worker), a minimal package.json and the production node_modules. With all of
 * it in the context the Dockerfile needs no RUN step, so `docker build --network none` works.
 * Files are hard-linked when possible (same filesystem), else copied. Source maps and type
 * declarations are left out: the image never reads them.
 */
import { copyFile, link, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { productionPackages, readManifest, type StagedPackage } from './production-packages.js';

export interface BuildContextOptions {
  /** The batch-snowflake package directory (a clone or the installed package). */
  projectDir: string;
  /** Compiled output to ship; default `<projectDir>/dist`. */
  distDir?: string;
  /** Sub-directories of distDir to ship; default `shared` and `worker` (the worker imports only shared/). */
  distSubdirs?: readonly string[];
  /** Packages the image needs; default every production dependency of the project. */
  rootPackages?: readonly string[];
  /** Staging directory (created, must not exist or be empty); default a new temp directory. */
  outDir?: string;
}

export interface WorkerBuildContext {
  dir: string;
  /** Path of the Dockerfile inside dir (pass to `docker build -f`). */
  dockerfile: string;
  packages: StagedPackage[];
  files: number;
  bytes: number;
  /** Addons compiled on this host (node-gyp); none today, so the image can be built from any host. */
  hostBuiltAddons: string[];
  cleanup(): Promise<void>;
}

const SKIPPED_FILE = /(\.map|\.d\.ts|\.d\.mts|\.d\.cts)$/;
const HOST_BUILD_DIR = /[\\/]build[\\/](Release|Debug)[\\/]/;

/** The batch-snowflake package root, found from a module URL inside it (e.g. import.meta.url). */
export function packageRootFrom(moduleUrl: string): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'worker', 'Dockerfile'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no batch-snowflake package above ${moduleUrl}`);
    dir = parent;
  }
}

interface CopyStats {
  files: number;
  bytes: number;
  /** Addons compiled on install (node-gyp's build/): valid in the image only if this host is linux/x64. */
  hostBuiltAddons: string[];
}

async function linkOrCopy(source: string, target: string): Promise<void> {
  try {
    await link(source, target);
  } catch {
    await copyFile(source, target);
  }
}

/** Copies a tree, skipping nested node_modules (staged separately) and files the image never reads. */
async function stageTree(source: string, target: string, totals: CopyStats): Promise<void> {
  await mkdir(target, { recursive: true });
  for (const entry of await readdir(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') await stageTree(from, to, totals);
    } else if (entry.isFile() && !SKIPPED_FILE.test(entry.name)) {
      // Prebuilt addons for every platform (snowflake-sdk's minicore) are fine; node-gyp output is the host's.
      if (entry.name.endsWith('.node') && HOST_BUILD_DIR.test(from)) totals.hostBuiltAddons.push(from);
      await linkOrCopy(from, to);
      totals.files += 1;
      totals.bytes += (await stat(from)).size;
    } else if (entry.isSymbolicLink()) {
      // Packages rarely ship links; resolve them so the context has no dangling ones.
      const info = await stat(from).catch(() => undefined);
      if (info?.isFile()) {
        await copyFile(from, to);
        totals.files += 1;
        totals.bytes += info.size;
      } else if (info?.isDirectory()) {
        await stageTree(from, to, totals);
      }
    }
  }
}

export async function prepareWorkerBuildContext(options: BuildContextOptions): Promise<WorkerBuildContext> {
  const projectDir = path.resolve(options.projectDir);
  const distDir = path.resolve(options.distDir ?? path.join(projectDir, 'dist'));
  const subdirs = options.distSubdirs ?? ['shared', 'worker'];
  for (const sub of subdirs) {
    if (!existsSync(path.join(distDir, sub))) {
      throw new Error(`${path.join(distDir, sub)} is missing: run \`npm run build\` first`);
    }
  }
  const packages = await productionPackages(projectDir, options.rootPackages);
  const dir = options.outDir ?? (await mkdtemp(path.join(os.tmpdir(), 'batch-snowflake-image-')));
  await mkdir(dir, { recursive: true });
  try {
    const totals: CopyStats = { files: 0, bytes: 0, hostBuiltAddons: [] };
    await copyFile(path.join(projectDir, 'worker', 'Dockerfile'), path.join(dir, 'Dockerfile'));
    const manifest = await readManifest(projectDir);
    const imageManifest = { name: manifest.name, version: manifest.version, private: true, type: 'module' };
    await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(imageManifest, null, 2)}\n`);
    for (const sub of subdirs) await stageTree(path.join(distDir, sub), path.join(dir, 'dist', sub), totals);
    await mkdir(path.join(dir, 'node_modules'), { recursive: true });
    for (const pkg of packages) await stageTree(pkg.sourceDir, path.join(dir, pkg.destination), totals);
    if (totals.hostBuiltAddons.length > 0 && !(process.platform === 'linux' && process.arch === 'x64')) {
      throw new Error(
        `the image is linux/amd64 but these native addons were compiled for ${process.platform}/${process.arch}: ` +
          `${totals.hostBuiltAddons.slice(0, 5).join(', ')}; build the image from a linux/amd64 machine`,
      );
    }
    return {
      dir,
      dockerfile: path.join(dir, 'Dockerfile'),
      packages,
      files: totals.files,
      bytes: totals.bytes,
      hostBuiltAddons: totals.hostBuiltAddons,
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

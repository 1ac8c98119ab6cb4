/**
 * A content hash of the worker image's build context, computed from what prepareWorkerBuildContext stages,
 * without staging it: the Dockerfile, the image's package.json fields, every shipped file of dist/shared and
 * dist/worker (path and bytes), and the production packages by name, version and place (the lockfile pins
 * their content). The default image tag carries it (`<version>-<12 hex>`), so a rerun finds the image in the
 * repository (SHOW IMAGES IN IMAGE REPOSITORY) exactly when nothing in it changed, and then needs no docker.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { productionPackages, readManifest } from './production-packages.js';

const SKIPPED_FILE = /(\.map|\.d\.ts|\.d\.mts|\.d\.cts)$/;

async function hashTree(root: string, dir: string, hash: ReturnType<typeof createHash>): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') await hashTree(root, full, hash);
    } else if (entry.isFile() && !SKIPPED_FILE.test(entry.name)) {
      const content = await readFile(full);
      hash.update(`${path.relative(root, full)}\0${content.length}\0`).update(content);
    }
  }
}

/** The digest (hex), or null when the compiled code is missing (a clone without `npm run build`). */
export async function workerContextDigest(projectDir: string): Promise<string | null> {
  const dist = path.join(projectDir, 'dist');
  if (!['shared', 'worker'].every((sub) => existsSync(path.join(dist, sub)))) return null;
  const hash = createHash('sha256');
  hash.update(await readFile(path.join(projectDir, 'worker', 'Dockerfile')));
  const manifest = await readManifest(projectDir);
  hash.update(`\0${manifest.name}@${manifest.version}\0`);
  for (const sub of ['shared', 'worker']) await hashTree(dist, path.join(dist, sub), hash);
  for (const pkg of (await productionPackages(projectDir)).sort((a, b) => a.destination.localeCompare(b.destination))) {
    hash.update(`${pkg.destination}@${pkg.version}\0`);
  }
  return hash.digest('hex');
}

/** `<version>-<first 12 hex of the digest>`, or the version alone without compiled code. */
export async function contentImageTag(projectDir: string, version: string): Promise<string> {
  const digest = await workerContextDigest(projectDir);
  return digest ? `${version}-${digest.slice(0, 12)}` : version;
}

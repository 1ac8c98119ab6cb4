/**
 * Finds the production dependency closure of a package on disk, following Node's own resolution
 * (each dependency is looked up in `node_modules` from the requirer's directory upwards), and where
 * each package goes in a flat image layout. Works offline, from a git clone (everything under the
 * project's node_modules) and from an npm/npx install (dependencies hoisted next to the package).
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export interface StagedPackage {
  name: string;
  version: string;
  /** Real directory of the installed package. */
  sourceDir: string;
  /** Where it goes relative to the image's app directory, e.g. `node_modules/a/node_modules/b`. */
  destination: string;
}

interface Manifest {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

async function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then((s) => s.isDirectory(), () => false);
}

/** Node's lookup of `name` from `fromDir`: `node_modules/<name>` in it and every ancestor. */
async function resolvePackageDir(name: string, fromDir: string): Promise<string | undefined> {
  let dir = fromDir;
  for (;;) {
    if (path.basename(dir) !== 'node_modules') {
      const candidate = path.join(dir, 'node_modules', name);
      if (await isDirectory(candidate)) return realpath(candidate);
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Where a package goes under the app directory. Packages under the project's node_modules, or
 * under the node_modules of one of its ancestors (npm hoisting), keep their nesting; anything else
 * (pnpm store, links) is placed at the top level.
 */
function destinationOf(projectDir: string, modulesReal: string | undefined, sourceDir: string, name: string): string {
  // The project's node_modules may itself be a link (a second checkout sharing one install).
  if (modulesReal !== undefined && sourceDir.startsWith(modulesReal + path.sep)) {
    return path.join('node_modules', sourceDir.slice(modulesReal.length + 1));
  }
  let anchor = projectDir;
  for (;;) {
    const modules = path.join(anchor, 'node_modules') + path.sep;
    if (sourceDir.startsWith(modules)) return path.join('node_modules', sourceDir.slice(modules.length));
    const parent = path.dirname(anchor);
    if (parent === anchor) return path.join('node_modules', name);
    anchor = parent;
  }
}

/**
 * The packages to ship, from `roots` (default: the project's `dependencies`) through their
 * `dependencies`, `optionalDependencies` and installed `peerDependencies`. Never dev dependencies.
 */
export async function productionPackages(projectDir: string, roots?: readonly string[]): Promise<StagedPackage[]> {
  const projectReal = await realpath(projectDir);
  const manifest = await readManifest(projectReal);
  const modulesReal = await realpath(path.join(projectReal, 'node_modules')).catch(() => undefined);
  const rootNames = roots ?? Object.keys(manifest.dependencies ?? {});
  const bySource = new Map<string, StagedPackage>();
  const byDestination = new Map<string, string>();
  const queue: Array<{ name: string; from: string; required: boolean; requiredBy: string }> = rootNames.map((name) => ({
    name,
    from: projectReal,
    required: true,
    requiredBy: manifest.name ?? 'the project',
  }));

  while (queue.length > 0) {
    const next = queue.shift()!;
    const sourceDir = await resolvePackageDir(next.name, next.from);
    if (sourceDir === undefined) {
      if (!next.required) continue;
      throw new Error(`cannot find package ${next.name} (required by ${next.requiredBy}); run npm ci first`);
    }
    if (bySource.has(sourceDir)) continue;
    const pkg = await readManifest(sourceDir);
    const destination = destinationOf(projectReal, modulesReal, sourceDir, next.name);
    const taken = byDestination.get(destination);
    if (taken !== undefined && taken !== sourceDir) {
      throw new Error(`two installed copies of ${next.name} would both go to ${destination}: ${taken} and ${sourceDir}`);
    }
    byDestination.set(destination, sourceDir);
    bySource.set(sourceDir, { name: next.name, version: pkg.version ?? '0.0.0', sourceDir, destination });
    const requiredBy = `${next.name}@${pkg.version ?? '?'}`;
    for (const name of Object.keys(pkg.dependencies ?? {})) queue.push({ name, from: sourceDir, required: true, requiredBy });
    for (const name of Object.keys({ ...pkg.optionalDependencies, ...pkg.peerDependencies })) {
      queue.push({ name, from: sourceDir, required: false, requiredBy });
    }
  }
  return [...bySource.values()].sort((a, b) => a.destination.localeCompare(b.destination));
}

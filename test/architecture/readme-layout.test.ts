/**
 * README's "Layout" tree must match the repository: every folder it names exists, and every folder of the
 * top level and of src/ and shared/ is named there, so a newcomer reading it finds where a change belongs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const IGNORED_TOP = new Set(['node_modules', 'dist', 'coverage', '.git', '.tmp', '.ci']);

/** Folder paths of the tree in README's Layout section: indentation (2 spaces a level) gives the parent. */
function layoutFolders(readme: string): string[] {
  const section = readme.split('\n## Layout\n')[1];
  if (!section) throw new Error('README has no "## Layout" section');
  const block = section.split('```')[1] ?? '';
  const stack: string[] = [];
  const folders: string[] = [];
  for (const line of block.split('\n')) {
    const match = /^( *)([A-Za-z0-9_.-]+\/)\s/.exec(line + ' ');
    if (!match) continue;
    const depth = (match[1] ?? '').length / 2;
    stack.length = depth;
    stack.push((match[2] ?? '').replace(/\/$/, ''));
    folders.push(stack.join('/'));
  }
  return folders;
}

const subfolders = (dir: string) =>
  readdirSync(path.join(REPO, dir)).filter((name) => statSync(path.join(REPO, dir, name)).isDirectory());

describe('README layout', () => {
  const folders = layoutFolders(readFileSync(path.join(REPO, 'README.md'), 'utf8'));

  it('names only folders that exist', () => {
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((folder) => !existsSync(path.join(REPO, folder)))).toEqual([]);
  });

  it('names every top-level folder and every folder of src/ and shared/', () => {
    const actual = [
      ...subfolders('.').filter((name) => !IGNORED_TOP.has(name) && !name.startsWith('.')),
      ...subfolders('src').map((name) => `src/${name}`),
      ...subfolders('shared').map((name) => `shared/${name}`),
    ];
    expect(actual.filter((folder) => !folders.includes(folder))).toEqual([]);
  });
});

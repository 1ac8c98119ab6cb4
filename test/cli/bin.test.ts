/**
 * The shipped CLI as users run it: the built bin/batch-snowflake.js in a child process, and the packed
 * tarball installed into an empty folder (offline, from the npm cache) and run with npx.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repo } from './fixtures/ensure-built.js';

const exec = promisify(execFile);
const bin = path.join(repo, 'bin/batch-snowflake.js');
const version = (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(ensureBuilt, 120_000);

async function run(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { cwd: options.cwd ?? repo, env: { ...process.env, ...options.env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('bin/batch-snowflake.js', () => {
  it('--version and --help', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: batch-snowflake');
  });

  it('a usage error exits 2; with --json stdout is exactly one envelope', async () => {
    const human = await run(['status', '--runs']);
    expect(human.code).toBe(2);
    expect(human.stderr).toContain("option '--runs <N>' argument missing");
    const json = await run(['--json', 'frobnicate']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { kind: 'usage', code: 'USAGE' } });
  });

  it('--help loads neither snowflake-sdk nor the prompt library', async () => {
    // A resolve hook in the child (it runs on the loader thread) appends every specifier to a file.
    const dir = mkdtempSync(path.join(tmpdir(), 'bs-hook-'));
    const log = path.join(dir, 'resolved.txt');
    writeFileSync(path.join(dir, 'hook.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { appendFileSync(${JSON.stringify(log)}, s + '\\n'); return next(s, c); }\n`);
    writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hook.mjs')).href)});\n`);
    await exec(process.execPath, ['--import', pathToFileURL(path.join(dir, 'register.mjs')).href, bin, '--help']);
    const modules = readFileSync(log, 'utf8').split('\n');
    expect(modules).toContain('commander');
    for (const heavy of ['snowflake-sdk', '@inquirer/prompts', 'ora', 'zod', 'chalk']) expect(modules).not.toContain(heavy);
  });
});

describe('npm pack → install into an empty folder → npx', () => {
  it('runs batch-snowflake --help and --version from the installed tarball', { timeout: 240_000 }, async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'bs-pack-'));
    const { stdout } = await exec('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: repo });
    const tarball = path.join(work, stdout.trim().split('\n').pop()!);
    const app = path.join(work, 'app');
    execFileSync('mkdir', [app]);
    writeFileSync(path.join(app, 'package.json'), '{"name":"app","private":true}\n');
    try {
      await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: app });
    } catch {
      await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app });
    }
    const help = await exec('npx', ['--offline', 'batch-snowflake', '--help'], { cwd: app });
    expect(help.stdout).toContain('Usage: batch-snowflake');
    const installed = await exec('npx', ['--offline', 'batch-snowflake', '--version'], { cwd: app });
    expect(installed.stdout.trim()).toBe(version);
  });
});

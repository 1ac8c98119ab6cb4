/**
 * Runs the built CLI as a child process, non-interactively (stdin not a TTY), in a fresh working folder and
 * HOME, with an environment that holds only what the case gives (Snowflake credentials by env).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BIN } from '../wizard-tty/wizard-tty.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  stdin?: string;
  /** Called with the child's pid once it runs (e.g. to sample process arguments). */
  onSpawn?: (pid: number) => void;
  timeoutMs?: number;
}

/** Runs FILE ARGS with exactly this env, collecting stdout and stderr; stdin gets `options.stdin` then EOF. */
export function runProcess(file: string, args: string[], options: RunOptions): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(options.env).filter((e): e is [string, string] => e[1] !== undefined));
    const child = spawn(file, args, { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

export function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  return runProcess(process.execPath, [BIN, ...args], options);
}

export interface Workspace {
  cwd: string;
  home: string;
  configPath: string;
}

export async function workspace(): Promise<Workspace> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bs-bad-input-'));
  const cwd = path.join(root, 'project');
  const home = path.join(root, 'home');
  await Promise.all([mkdir(cwd), mkdir(home)]);
  return { cwd, home, configPath: path.join(cwd, 'batch-snowflake.json') };
}

/** Every file under `dir` with its content (binary-safe enough for a substring scan). */
export async function readTree(dir: string): Promise<Array<{ file: string; content: string }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return Promise.all(files.map(async (file) => ({ file, content: await readFile(file, 'latin1') })));
}

/** The stack-trace line shape of V8 ("    at fn (file:line:col)"). */
export const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

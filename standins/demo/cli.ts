/**
 * The demo calls the CLI as a user would: the built binary (bin/batch-snowflake.js → dist/), spawned in the demo's
 * working folder with the connection in that folder's connections.toml and the secrets in env (never in argv).
 * On an interactive terminal the CLI gets the terminal itself (so init can prompt); otherwise its output is
 * forwarded line by line, indented, and kept for the failure report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(PROJECT_DIR, 'bin', 'batch-snowflake.js');
const BUILT = [path.join(PROJECT_DIR, 'dist', 'src', 'cli', 'main.js'), path.join(PROJECT_DIR, 'dist', 'worker', 'main.js')];
const SOURCES = ['src', 'worker'].map((dir) => path.join(PROJECT_DIR, dir));

/** Children still running (stopped by the demo's cleanup on SIGTERM; Ctrl-C reaches them through the terminal). */
export const runningChildren = new Set<ChildProcess>();

export interface CliResult {
  code: number;
  /** stdout and stderr interleaved as they arrived ('' when the CLI had the terminal). */
  output: string;
}

function newestMtime(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .reduce((newest, entry) => Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs), 0);
}

/** dist/ is missing or older than a source file: the CLI (and the worker image's contents) must be rebuilt. */
export function buildIsStale(): boolean {
  if (!BUILT.every((file) => existsSync(file))) return true;
  const built = Math.min(...BUILT.map((file) => statSync(file).mtimeMs));
  return SOURCES.some((dir) => newestMtime(dir) > built);
}

/** Runs a command, forwarding its output with `indent` and keeping it; or on the terminal when `terminal`. */
export function runForwarded(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; terminal: boolean; indent: string; write: (text: string) => void },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: options.terminal ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    runningChildren.add(child);
    let output = '';
    const pending = { stdout: '', stderr: '' };
    const forward = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = pending[stream] + chunk.toString('utf8');
      const lines = text.split('\n');
      pending[stream] = lines.pop() ?? '';
      for (const line of lines) emit(line);
    };
    const emit = (line: string) => {
      output += `${line}\n`;
      options.write(`${options.indent}${line}\n`);
    };
    child.stdout?.on('data', forward('stdout'));
    child.stderr?.on('data', forward('stderr'));
    child.once('error', (error) => {
      runningChildren.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      runningChildren.delete(child);
      for (const rest of [pending.stdout, pending.stderr]) if (rest) emit(rest);
      resolve({ code: code ?? (signal === 'SIGINT' ? 130 : 1), output });
    });
  });
}

/** `npm run build` (tsc) when dist/ is stale; the worker image is built from dist/ too. */
export async function buildIfStale(write: (text: string) => void): Promise<'built' | 'fresh'> {
  if (!buildIsStale()) return 'fresh';
  const tsc = path.join(PROJECT_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await runForwarded(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: PROJECT_DIR, env: process.env, terminal: false, indent: '  │ ', write });
  if (result.code !== 0) throw Object.assign(new Error(`tsc -p tsconfig.json failed (exit ${result.code})`), { output: result.output });
  return 'built';
}

export function runCli(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; terminal: boolean; write: (text: string) => void }): Promise<CliResult> {
  return runForwarded(process.execPath, [BIN, ...args], { ...options, indent: '  │ ' });
}

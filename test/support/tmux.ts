/**
 * A real terminal for tests: the built CLI running in a tmux pane (private server and socket per session),
 * driven with send-keys and read with capture-pane. Waits poll the screen against a deadline; nothing sleeps
 * for a fixed time.
 *
 * Secrets never reach a command line: the session's environment is the environment of the tmux process that
 * starts the (fresh) server, and typed secrets go through `load-buffer -` (stdin) + `paste-buffer`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TmuxOptions {
  /** argv of the program; argv[0] is looked up on PATH by tmux (absolute paths are safest). */
  command: string[];
  cwd: string;
  /** The pane's whole environment (nothing is inherited from the test process). */
  env: Record<string, string | undefined>;
  width?: number;
  height?: number;
}

export interface TmuxSession {
  /** Keys by tmux name (Enter, Down, Up, Space, C-c, BSpace, Escape…), one argument each. */
  keys(...keys: string[]): Promise<void>;
  /** Literal text, as typed. */
  type(text: string): Promise<void>;
  /** Literal text that must not appear in any process's arguments (goes through a tmux paste buffer). */
  typeSecret(text: string): Promise<void>;
  /** The visible screen plus scrollback, as plain text (with `escapes`, SGR sequences kept). */
  capture(options?: { escapes?: boolean }): Promise<string>;
  /** Polls the screen until `pattern` appears; fails after `timeoutMs` with the last screen. */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Waits for the program to end; returns its exit status (the pane stays, remain-on-exit). */
  waitForExit(timeoutMs?: number): Promise<number>;
  /** PID of the small shell in the pane that runs the program and records its exit status. */
  pid(): Promise<number>;
  /** Stops the tmux server (and the program, if still running) and removes the socket directory. */
  kill(): Promise<void>;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tmux(socket: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('tmux', ['-S', socket, ...args], { env: options.env ?? { PATH: process.env.PATH, HOME: os.tmpdir() }, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (options.input !== undefined) {
      child.stdin?.on('error', reject);
      child.stdin?.end(options.input);
    }
  });
}

async function ok(socket: string, args: string[], options?: { env?: NodeJS.ProcessEnv; input?: string }): Promise<string> {
  const run = await tmux(socket, args, options);
  if (run.code !== 0) throw new Error(`tmux ${args[0]} failed (${run.code}): ${run.stderr.trim()}`);
  return run.stdout;
}

const matches = (screen: string, pattern: string | RegExp) => (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen));
const POLL_MS = 40;
const pause = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));

export async function startTmux(options: TmuxOptions): Promise<TmuxSession> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bs-tmux-'));
  const socket = path.join(dir, 'socket');
  const conf = path.join(dir, 'tmux.conf');
  // Loaded before the session exists: the pane survives the program so its exit status can be read.
  await writeFile(conf, ['set -g remain-on-exit on', 'set -g status off', 'set -g history-limit 20000', 'set -g default-terminal screen-256color', ''].join('\n'));
  const env = Object.fromEntries(Object.entries(options.env).filter((e): e is [string, string] => e[1] !== undefined));
  // tmux 3.3 sometimes never records a dead pane's exit status (pane_dead_status stays empty), so a small
  // shell records it in a file. `trap : INT` makes the shell outlive the Ctrl-C its child handles; a caught
  // (not ignored) signal is reset to its default in the child, so the program sees Ctrl-C exactly as before.
  const statusFile = path.join(dir, 'exit-status');
  const wrapped = ['/bin/sh', '-c', 'trap : INT; "$@"; echo $? > "$0"', statusFile, ...options.command];
  await ok(socket, ['-f', conf, 'new-session', '-d', '-s', 'cli', '-x', String(options.width ?? 120), '-y', String(options.height ?? 40), '-c', options.cwd, '--', ...wrapped], {
    env: { ...env, PATH: env.PATH ?? process.env.PATH ?? '/usr/bin:/bin' },
  });
  const target = 'cli:0.0';
  const paneValue = async (format: string) => (await ok(socket, ['display-message', '-p', '-t', target, format])).trim();

  const session: TmuxSession = {
    keys: async (...keys) => void (await ok(socket, ['send-keys', '-t', target, ...keys])),
    type: async (text) => void (await ok(socket, ['send-keys', '-t', target, '-l', text])),
    typeSecret: async (text) => {
      await ok(socket, ['load-buffer', '-b', 'secret', '-'], { input: text });
      await ok(socket, ['paste-buffer', '-d', '-b', 'secret', '-t', target]);
    },
    capture: async (capture = {}) => ok(socket, ['capture-pane', '-p', '-J', '-S', '-', '-t', target, ...(capture.escapes ? ['-e'] : [])]),
    async waitFor(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = await session.capture();
        if (matches(screen, pattern)) return screen;
        if (Date.now() > deadline) throw new Error(`screen never showed ${String(pattern)} within ${timeoutMs} ms; last screen:\n${screen}`);
        if ((await paneValue('#{pane_dead}')) === '1' && !matches(await session.capture(), pattern)) {
          throw new Error(`the program exited (status ${await paneValue('#{pane_dead_status}')}) without showing ${String(pattern)}; screen:\n${screen}`);
        }
        await pause();
      }
    },
    async waitForExit(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // The shell writes the status (128 + signal for a program killed by one) just before the pane dies.
        const status = (await readFile(statusFile, 'utf8').catch(() => '')).trim();
        if (/^\d+$/.test(status)) return Number(status);
        if (Date.now() > deadline) throw new Error(`the program was still running after ${timeoutMs} ms; screen:\n${await session.capture()}`);
        await pause();
      }
    },
    pid: async () => Number(await paneValue('#{pane_pid}')),
    async kill() {
      await tmux(socket, ['kill-server']);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return session;
}

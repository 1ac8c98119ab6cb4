import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface ChildWorker {
  process: ChildProcess;
  /** JSON log lines seen so far. */
  lines: Array<Record<string, unknown>>;
  /** stdout + stderr text. */
  output(): string;
  /** Resolves when a log line with this event appears (or the process exits first: resolves false). */
  waitForEvent(event: string): Promise<boolean>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The worker as the image runs it, in its own process (tsx instead of the compiled dist/). */
export function spawnWorker(args: readonly string[], env: NodeJS.ProcessEnv): ChildWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts', ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  let pending = '';
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ event: string; resolve: (seen: boolean) => void }> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    pending += chunk.toString();
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        for (const waiter of waiters.filter((w) => w.event === parsed.event)) waiter.resolve(true);
      } catch {
        // not a JSON line (kept in output())
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const waiter of waiters) waiter.resolve(false);
      resolve({ code, signal });
    }),
  );
  return {
    process: child,
    lines,
    output: () => text,
    exited,
    waitForEvent(event) {
      if (lines.some((l) => l.event === event)) return Promise.resolve(true);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(false);
      return new Promise((resolve) => waiters.push({ event, resolve }));
    },
  };
}

/**
 * Environments and worker runs for bench:worker. Three processes, as on SPCS where they are different
 * machines: the stand-ins (worker-bench-host.ts), the worker (compiled dist/worker/main.js, what the image
 * runs) and this bench process, which only orchestrates and measures.
 */
import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchSandboxOptions, SandboxStats } from '../../standins/batch/index.js';
import type { BatchInfo, HostCommands, SnowflakeInfo } from './worker-bench-host.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const WORKER_ENTRY = 'dist/worker/main.js';

/** The node flags of the image's ENTRYPOINT (worker/Dockerfile), so the bench runs the worker as the image does. */
export function imageNodeFlags(): string[] {
  const dockerfile = readFileSync(path.join(REPO, 'worker', 'Dockerfile'), 'utf8');
  const entry = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
  const argv = entry ? (JSON.parse(entry) as string[]) : [];
  return argv.slice(1).filter((arg) => arg.startsWith('--'));
}
/** BENCH_PROFILE_DIR=<dir>: V8 CPU profiles of the stand-in host and of every worker run go there. */
const PROFILE_ARGS = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];

/** The seed's task arguments for the demo view (as test/worker/helpers/e2e.ts SEED_ARGS). */
export function seedArguments(projectKey: string): string[] {
  return ['--project-key', projectKey, '--source-stream', 'DEMO_DB.PUBLIC.CUSTOMER_STREAM', '--id-column', 'CUSTOMER_ID', '--date-columns', 'SIGNUP_DATE,LAST_LOGIN_AT', '--url-columns', 'PROFILE_URL'];
}

type Call = <K extends keyof HostCommands>(cmd: K, arg: Parameters<HostCommands[K]>[0]) => Promise<ReturnType<HostCommands[K]>>;

export interface Host {
  call: Call;
  close(): Promise<void>;
}

/** Forks one stand-in host process and talks to it over IPC. */
export function forkHost(): Host {
  const child = fork(fileURLToPath(new URL('./worker-bench-host.ts', import.meta.url)), [], {
    cwd: REPO,
    execArgv: ['--import', 'tsx', ...PROFILE_ARGS],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (message: { id: number; ok: boolean; value?: unknown; error?: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.value);
    else waiter?.reject(new Error(`stand-in host: ${message.error}`));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error('stand-in host exited'));
    pending.clear();
  });
  const call: Call = (cmd, arg) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, cmd, arg });
    });
  return {
    call,
    async close() {
      const deadline = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await call('close', null).catch(() => undefined);
      if (child.connected) child.disconnect();
      await exited;
      clearTimeout(deadline);
    },
  };
}

export interface BenchEnvironment {
  snowflake: Host;
  batch: Host;
  snowflakeInfo: SnowflakeInfo;
  batchInfo: BatchInfo;
  /** The seed's task arguments for this environment. */
  workerArgs: string[];
  workerEnv: NodeJS.ProcessEnv;
  stats(): Promise<SandboxStats>;
  /** CPU milliseconds used so far by the two stand-in processes. */
  standinCpuMs(): Promise<{ snowflake: number; batch: number }>;
  close(): Promise<void>;
}

/** Starts the Snowflake stand-in and the Batch sandbox in two processes; the stream holds `rows` INSERT changes. */
export async function benchEnvironment(rows: number, batchOptions: BatchSandboxOptions): Promise<BenchEnvironment> {
  const snowflake = forkHost();
  const batch = forkHost();
  try {
    const [snowflakeInfo, batchInfo] = await Promise.all([snowflake.call('startSnowflake', null), batch.call('startBatch', batchOptions)]);
    await snowflake.call('grow', { rows });
    return {
      snowflake,
      batch,
      snowflakeInfo,
      batchInfo,
      workerArgs: seedArguments(batchInfo.projectKey),
      workerEnv: { ...snowflakeInfo.workerEnv, BATCH_API_URL: batchInfo.apiUrl, BATCH_REST_API_KEY: batchInfo.restApiKey },
      stats: () => batch.call('stats', null),
      async standinCpuMs() {
        const [s, b] = await Promise.all([snowflake.call('cpu', null), batch.call('cpu', null)]);
        return { snowflake: s.cpuMs, batch: b.cpuMs };
      },
      close: async () => void (await Promise.all([snowflake.close(), batch.close()])),
    };
  } catch (error) {
    await Promise.all([snowflake.close(), batch.close()]);
    throw error;
  }
}

export interface WorkerRun {
  summary: Record<string, unknown>;
  lines: Array<Record<string, unknown>>;
  /** From the worker's own send.start → send.done log timestamps. */
  sendMs: number;
  /** Process start → exit, as seen by the bench. */
  totalMs: number;
  /** Process start → the worker's send.start line (driver load, login, capture, count). */
  startupMs: number;
  peakRssMb: number;
  /** CPU milliseconds the worker process used (user + system), from its own summary line. */
  cpuMs: number;
  /** Query requests of the worker's session(s), counted by the stand-in (from outside the worker). */
  statements: number;
  /** Result chunks the worker downloaded (not statements). */
  chunkDownloads: number;
  /** Process start → the worker's first statement reaching the stand-in (driver load, option parsing, login). */
  firstStatementMs: number | null;
  /** Process start → its login request answered by the stand-in. */
  loginMs: number | null;
}

/** Runs the compiled worker (`npm run build` first) as SPCS does: `node dist/worker/main.js <args>`. */
export async function runWorkerProcess(env: BenchEnvironment, ...extra: string[]): Promise<WorkerRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [...PROFILE_ARGS, ...imageNodeFlags(), WORKER_ENTRY, ...env.workerArgs, ...extra], { cwd: REPO, env: env.workerEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const totalMs = Date.now() - started;
  const lines = text.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
  if (code !== 0) throw new Error(`worker exited ${code}: ${text.slice(-2000)}`);
  const sessions = (await env.snowflake.call('statements', null)).filter((c) => c.loginAtMs >= started);
  const at = (event: string) => Date.parse(String(lines.find((l) => l.event === event)?.ts));
  const summary = lines.find((l) => l.event === 'run.summary') ?? {};
  return {
    summary,
    lines,
    sendMs: at('send.done') - at('send.start'),
    totalMs,
    startupMs: at('send.start') - started,
    peakRssMb: Number(summary.peakRssMb),
    cpuMs: Number(summary.cpuMs),
    statements: sessions.reduce((n, c) => n + c.statements, 0),
    chunkDownloads: sessions.reduce((n, c) => n + c.chunkDownloads, 0),
    firstStatementMs: sessions[0]?.firstStatementAtMs ? sessions[0].firstStatementAtMs - started : null,
    loginMs: sessions[0] ? sessions[0].loginAtMs - started : null,
  };
}

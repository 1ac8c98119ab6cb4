/**
 * One stand-in of bench:worker in a process of its own, forked with an IPC channel by worker-bench-env.ts:
 * `worker-bench-host.ts snowflake` or `worker-bench-host.ts batch`. On SPCS the worker, Snowflake and Batch
 * are different machines; here each gets its own event loop, so neither the bench nor the other stand-in
 * delays its answers. Requests { id, cmd, arg } → { id, ok, value | error }.
 */
import { startBatchSandbox, type BatchSandbox, type BatchSandboxOptions, type SandboxStats } from '../../standins/batch/index.js';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { StatementCounts } from '../../standins/snowflake/server.js';
import { growCustomers, prepareSnowflakeSide } from '../worker/helpers/e2e.js';

export interface SnowflakeInfo {
  /** SPCS-like worker environment: token file, SNOWFLAKE_* (no Batch variables). */
  workerEnv: NodeJS.ProcessEnv;
  /** Password login of the demo user, for the bench's own sessions. */
  login: { accessUrl: string; account: string; user: string; password: string; role: string; warehouse: string; database: string; schema: string };
}

export interface BatchInfo {
  apiUrl: string;
  projectKey: string;
  restApiKey: string;
}

export interface RequestTiming {
  /** Arrival (ms since epoch). */
  atMs: number;
  durationMs: number;
  operations: number | null;
  status: number | null;
}

export interface HostCommands {
  startSnowflake: (arg: null) => SnowflakeInfo;
  /** Grows the demo table (and so the stream's INSERT changes) to `rows` by doubling. */
  grow: (arg: { rows: number }) => { rows: number };
  /** Runs one statement as the demo user (bench setup only). */
  query: (arg: { sql: string }) => { rowsAffected: number | null };
  startBatch: (arg: BatchSandboxOptions) => BatchInfo;
  stats: (arg: null) => SandboxStats;
  requests: (arg: null) => RequestTiming[];
  reset: (arg: null) => { reset: true };
  /** Statements per session of the Snowflake stand-in (every query request, counted by the server). */
  statements: (arg: null) => StatementCounts[];
  /** Milliseconds added to every statement from now on (a real warehouse: ~50–300). */
  setStatementLatency: (arg: { ms: number }) => { ms: number };
  /** Milliseconds of CPU this process used since it started (user + system). */
  cpu: (arg: null) => { cpuMs: number };
  close: (arg: null) => { closed: true };
}

let snowflake: { standin: SnowflakeStandin; admin: SnowflakeSession } | undefined;
let batch: BatchSandbox | undefined;

async function handle(cmd: keyof HostCommands, arg: unknown): Promise<unknown> {
  switch (cmd) {
    case 'startSnowflake': {
      const standin = await startSnowflakeStandin({ seed: 'demo' });
      const { admin, env } = await prepareSnowflakeSide(standin);
      snowflake = { standin, admin };
      const user = standin.defaultUser;
      return {
        workerEnv: env,
        login: { accessUrl: standin.accessUrl, account: standin.account, user: user.user, password: user.password, role: user.role, warehouse: user.warehouse, database: user.database, schema: user.schema },
      } satisfies SnowflakeInfo;
    }
    case 'grow':
      await growCustomers(snowflake!.admin, (arg as { rows: number }).rows);
      return arg;
    case 'query': {
      const result = await snowflake!.admin.query((arg as { sql: string }).sql);
      return { rowsAffected: result.rowsAffected ?? null };
    }
    case 'startBatch':
      batch = await startBatchSandbox({ logBodies: false, latencyMs: 20, ...(arg as BatchSandboxOptions) });
      return { apiUrl: batch.apiUrl, projectKey: batch.projectKey, restApiKey: batch.restApiKey } satisfies BatchInfo;
    case 'stats':
      return batch!.stats();
    case 'requests':
      return batch!.requests().map((r) => ({ atMs: Date.parse(r.time), durationMs: r.durationMs, operations: r.operations, status: r.status }));
    case 'reset':
      batch!.reset();
      return { reset: true };
    case 'statements':
      return snowflake!.standin.observed.statements.map((c) => ({ ...c }));
    case 'setStatementLatency':
      snowflake!.standin.setStatementLatency((arg as { ms: number }).ms);
      return arg;
    case 'cpu': {
      const usage = process.cpuUsage();
      return { cpuMs: Math.round((usage.user + usage.system) / 1000) };
    }
    case 'close':
      await close();
      return { closed: true };
  }
}

let closing: Promise<void> | undefined;

/** Idempotent; a failure to close is reported on stderr (the bench goes on). */
function close(): Promise<void> {
  closing ??= (async () => {
    const results = await Promise.allSettled([
      (async () => {
        await snowflake?.admin.destroy().catch(() => undefined);
        await snowflake?.standin.close();
      })(),
      batch?.close(),
    ]);
    for (const r of results) if (r.status === 'rejected') process.stderr.write(`stand-in host: close failed: ${String(r.reason)}\n`);
  })();
  return closing;
}

process.on('message', (message: { id: number; cmd: keyof HostCommands; arg: unknown }) => {
  handle(message.cmd, message.arg).then(
    (value) => process.send!({ id: message.id, ok: true, value }),
    (error: unknown) => process.send!({ id: message.id, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  );
});
// The bench is gone or done: exit even if a server does not finish closing (it holds nothing worth waiting for).
process.on('disconnect', () => {
  setTimeout(() => process.exit(0), 3_000).unref();
  void close().finally(() => process.exit(0));
});

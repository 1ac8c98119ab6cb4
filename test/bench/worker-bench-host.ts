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
import { createEventSource, insertEvents, utcText, type EventRow } from '../events/helpers/events-env.js';

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
  /** An APPEND_ONLY event source holding `base × 2^doublings` events, 1–15 per profile (bench:worker events). */
  eventSource: (arg: { base: number; doublings: number; seed: number }) => { events: number; profiles: number };
  startBatch: (arg: BatchSandboxOptions) => BatchInfo;
  /** Events the sandbox accepted: total, distinct, duplicates. */
  events: (arg: null) => { total: number; distinct: number; duplicates: number };
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
    case 'eventSource': {
      const { base, doublings, seed } = arg as { base: number; doublings: number; seed: number };
      const admin = snowflake!.admin;
      await createEventSource(admin);
      let state = seed >>> 0 || 1;
      const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
      const rows: EventRow[] = [];
      const now = Date.now();
      let profiles = 0;
      while (rows.length < base) {
        const count = Math.min(base - rows.length, 1 + Math.floor(random() * 15));
        for (let i = 0; i < count; i++) rows.push({ user: `p${profiles}`, name: 'page_view', time: utcText(-(60 + rows.length) * 1000, now), amount: rows.length });
        profiles++;
      }
      await insertEvents(admin, rows);
      // Each doubling copies every event to new profiles (same per-profile counts).
      for (let d = 0; d < doublings; d++) {
        await admin.query(`INSERT INTO DEMO_DB.PUBLIC.ORDER_EVENTS SELECT USER_ID || '_${d}', EVENT_NAME, EVENT_TIME, AMOUNT, ITEMS, PAGE_URL, LABEL, TAGS FROM DEMO_DB.PUBLIC.ORDER_EVENTS`);
      }
      return { events: base * 2 ** doublings, profiles: profiles * 2 ** doublings };
    }
    case 'events':
      return batch!.events();
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

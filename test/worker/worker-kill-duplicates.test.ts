/**
 * Duplicates after a crash, at a scale that can show them: 20 000 changed rows (then 5 000 new ones per
 * crash) through /profiles/update, the worker SIGKILLed mid-send three times, then run to the end. Nothing
 * may be lost, and each crash may make Batch accept again only what the worker could not yet record as
 * progress: the operations Batch accepted in that run minus the rows its committed progress statements
 * deleted (every PROGRESS_INTERVAL_MS while sending, logged as `progress.recorded` after the commit). Counting
 * rows rather than comparing Batch's clock with the tick's keeps the bound exact under load: a response the
 * worker has not processed yet when a tick starts is not in that tick, however early Batch finished it.
 * Duplicates are read from the sandbox's request log: operations accepted for a custom_id with exactly the
 * payload already accepted.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../standins/batch/index.js';
import { waitFor } from '../../standins/snowflake/driver-helpers.js';
import { spawnWorker } from './helpers/child-worker.js';
import { CUSTOMER_COLUMNS, growCustomers, startWorkerEnvironment, type WorkerEnvironment } from './helpers/e2e.js';
import { expectSandboxMatchesView, outboxCount, pendingInStream } from './helpers/expected-profiles.js';
import { KILLED_WORKER_LOCK_ENV, lockFree } from './helpers/run-lock.js';

/** Changed rows before the first crash; each later crash adds 5 000 new IDs. */
const ROWS = 20_000;
const CRASHES = 3;
const SEED = Number(process.env.WORKER_KILL_SEED ?? Date.now() % 100_000);
const CONCURRENCY = 2;
const BATCH_SIZE = 200;
/**
 * Progress every 500 ms (BATCH_SYNC_PROGRESS_INTERVAL_MS) instead of PROGRESS_INTERVAL_MS: each run sends for
 * 1.5 s or more before its kill, so each records progress at least once and the bound below is not simply
 * "everything the run sent".
 */
const PROGRESS_MS = 500;

function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

let env: WorkerEnvironment;
beforeAll(async () => {
  env = await startWorkerEnvironment({ latencyMs: 20, updateRate: 2_000, updateBurst: 200 });
  await growCustomers(env.admin, ROWS);
}, 120_000);
afterAll(() => env?.close());

type Accepted = { atMs: number; endMs: number; operations: number; duplicates: number };

/** Each accepted request with how many of its operations repeat the payload last accepted for that ID. */
function acceptedRequests(requests: RequestLogEntry[]): Accepted[] {
  const last = new Map<string, string>();
  return requests
    .filter((r) => r.status === 202 && Array.isArray(r.body))
    .map((r) => {
      let duplicates = 0;
      for (const op of r.body as Array<{ identifiers: { custom_id: string }; attributes: unknown }>) {
        const payload = JSON.stringify(op.attributes);
        if (last.get(op.identifiers.custom_id) === payload) duplicates++;
        last.set(op.identifiers.custom_id, payload);
      }
      const atMs = Date.parse(r.time);
      return { atMs, endMs: atMs + r.durationMs, operations: (r.body as unknown[]).length, duplicates };
    });
}

it(`after ${CRASHES} SIGKILLs mid-send of ${ROWS} changes: nothing lost, each crash resends at most its last progress interval and the requests in flight`, async () => {
  const random = prng(SEED);
  expect((await env.run()).code).toBe(0); // initial backfill (mass-update)
  const pace = ['--endpoint', 'update', '--rate', '2000', '--burst', String(BATCH_SIZE), '--concurrency', String(CONCURRENCY)];
  const kills: number[] = [];
  const exits: number[] = [];
  const starts: number[] = [];
  /** Per crash: when the tick of the last progress the worker recorded (committed) started, if any. */
  const lastProgress: Array<number | null> = [];
  /** Per crash: rows the run's committed progress statements deleted from the outbox. */
  const recordedRows: number[] = [];
  // Every row changes once; later crashes add new IDs only, so what a crash resends keeps the payload Batch
  // already accepted and counts as a duplicate (a newer change to the same ID would not be one).
  await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET LAST_NAME = 'Changed'`);
  for (let crash = 1; crash <= CRASHES; crash++) {
    if (crash > 1) {
      await env.admin.query(
        `INSERT INTO DEMO_DB.PUBLIC.CUSTOMERS (ID, ${CUSTOMER_COLUMNS}) SELECT ID + ${crash * 100_000}, ${CUSTOMER_COLUMNS} FROM DEMO_DB.PUBLIC.CUSTOMERS WHERE ID <= 5000`,
      );
    }
    // The previous crash's lease must expire first, or this run exits 75 (LOCKED) without sending.
    await lockFree(env.admin);
    const acceptedBefore = env.batch.stats().update.acceptedOperations;
    starts.push(Date.now());
    const child = spawnWorker(env.args(...pace), { ...env.env, ...KILLED_WORKER_LOCK_ENV, BATCH_SYNC_PROGRESS_INTERVAL_MS: String(PROGRESS_MS) });
    // Mid-send, whatever the machine's load: once Batch accepted 3 000–8 000 operations of this run (1.5–4 s
    // of sending at 2 000/s), with rows still to send.
    const target = acceptedBefore + 3_000 + Math.floor(random() * 5_000);
    await waitFor(() => env.batch.stats().update.acceptedOperations >= target || child.process.exitCode !== null, 120_000);
    kills.push(Date.now());
    child.process.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');
    // A request already written to its socket when the kill was decided may reach Batch a moment later:
    // what the killed process sent arrived before its exit was seen.
    exits.push(Date.now());
    const recorded = child.lines.filter((l) => l.event === 'progress.recorded').map((l) => Date.parse(String(l.issuedAt)));
    lastProgress.push(recorded.at(-1) ?? null);
    recordedRows.push(child.lines.filter((l) => l.event === 'progress.recorded').reduce((n, l) => n + Number(l.rowsDeleted), 0));
  }
  await lockFree(env.admin);
  const final = await env.run(...pace);
  expect(final.code, final.output).toBe(0);
  await expectSandboxMatchesView(env);
  expect(await pendingInStream(env)).toBe(0);
  expect(await outboxCount(env)).toBe(0);

  const accepted = acceptedRequests(env.batch.requests());
  const perCrash = kills.map((killMs, k) => {
    const nextKill = kills[k + 1] ?? Infinity;
    // Resent after this crash: accepted duplicates among the requests that arrived after it, before the next.
    const duplicates = accepted.filter((r) => r.atMs > killMs && r.atMs < nextKill).reduce((n, r) => n + r.duplicates, 0);
    // What could not be recorded: every operation Batch accepted during this run (the requests in flight at
    // the kill included) less the rows its committed progress deleted. One row is one operation here: every
    // row is an upsert, none is rejected.
    const since = lastProgress[k] ?? starts[k]!;
    const acceptedInRun = accepted.filter((r) => r.atMs > starts[k]! && r.atMs <= exits[k]!).reduce((n, r) => n + r.operations, 0);
    const bound = acceptedInRun - recordedRows[k]!;
    const sentBeforeKill = accepted.filter((r) => r.atMs <= killMs && r.atMs > starts[k]!).reduce((n, r) => n + r.operations, 0);
    // How long ago that tick was (~PROGRESS_MS at most on an idle machine) is reported, not asserted:
    // under load a tick is skipped while the previous progress statement still runs.
    return { duplicates, bound, acceptedInRun, recordedRows: recordedRows[k]!, sentBeforeKill, msSinceLastRecordedTick: killMs - since };
  });
  console.log(JSON.stringify({ seed: SEED, rows: ROWS, progressIntervalMs: PROGRESS_MS, perCrash }));
  for (const crash of perCrash) {
    expect(crash.sentBeforeKill, 'each kill lands mid-send').toBeGreaterThan(0);
    expect(crash.recordedRows, `progress recorded while sending: ${JSON.stringify(crash)}`).toBeGreaterThan(0);
    expect(crash.duplicates, JSON.stringify(crash)).toBeLessThanOrEqual(crash.bound);
  }
}, 600_000);

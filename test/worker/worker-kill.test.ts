/**
 * SIGKILL the worker process at random points (connecting, capturing, between capture and send, sending,
 * finishing) over many trials, with new changes before each: after a final clean run, every row of the view
 * must be in Batch with its latest values (zero loss). Duplicate deliveries are counted and reported.
 * A killed worker leaves its run lock behind (a lease nobody can release for it); each next run starts once
 * that lease expired (short lease for the killed workers, expiry read on the stand-in's clock), else it
 * would exit 75 (LOCKED) and test nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../standins/batch/index.js';
import { spawnWorker } from './helpers/child-worker.js';
import { startWorkerEnvironment, type WorkerEnvironment } from './helpers/e2e.js';
import { expectSandboxMatchesView, outboxCount, pendingInStream } from './helpers/expected-profiles.js';
import { KILLED_WORKER_LOCK_ENV, lockFree } from './helpers/run-lock.js';

const TRIALS = Number(process.env.WORKER_KILL_TRIALS ?? 20);
const SEED = Number(process.env.WORKER_KILL_SEED ?? Date.now() % 100_000);
const KILL_POINTS = ['spawn', 'run.start', 'capture.done', 'send.start', 'send.done'] as const;

function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

let env: WorkerEnvironment;
beforeAll(async () => {
  env = await startWorkerEnvironment({ latencyMs: 20 });
});
afterAll(() => env?.close());

/** Operations accepted for a custom_id with exactly the payload already accepted for it before. */
function countDuplicates(requests: RequestLogEntry[]): { accepted: number; duplicates: number } {
  const last = new Map<string, string>();
  let accepted = 0;
  let duplicates = 0;
  for (const request of requests) {
    if (request.status !== 202 || !Array.isArray(request.body)) continue;
    for (const op of request.body as Array<{ identifiers: { custom_id: string }; attributes: unknown }>) {
      accepted++;
      const payload = JSON.stringify(op.attributes);
      if (last.get(op.identifiers.custom_id) === payload) duplicates++;
      last.set(op.identifiers.custom_id, payload);
    }
  }
  return { accepted, duplicates };
}

it(`loses no row when the worker is SIGKILLed at random points (${TRIALS} trials)`, async () => {
  const random = prng(SEED);
  expect((await env.run()).code).toBe(0); // initial backfill
  const pace = ['--endpoint', 'update', '--rate', '500', '--burst', '200', '--concurrency', '2'];
  const outcomes: string[] = [];
  for (let trial = 1; trial <= TRIALS; trial++) {
    await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET LAST_NAME = ? WHERE MOD(ID + ?, 3) = 0`, [`T${trial}`, trial]);
    await env.admin.query(`INSERT INTO DEMO_DB.PUBLIC.CUSTOMERS (ID, FIRST_NAME) VALUES (?, ?)`, [2000 + trial, `New${trial}`]);
    const point = KILL_POINTS[Math.floor(random() * KILL_POINTS.length)]!;
    const delayMs = Math.floor(random() * (point === 'spawn' ? 2500 : point === 'send.start' ? 700 : 60));
    await lockFree(env.admin);
    const child = spawnWorker(env.args(...pace), { ...env.env, ...KILLED_WORKER_LOCK_ENV });
    const reached = point === 'spawn' ? true : await child.waitForEvent(point);
    if (reached) await new Promise((resolve) => setTimeout(resolve, delayMs));
    child.process.kill('SIGKILL');
    const exit = await child.exited;
    outcomes.push(`${point}+${delayMs}ms:${exit.signal ?? exit.code}`);
  }
  await lockFree(env.admin);
  const final = await env.run();
  expect(final.code, final.output).toBe(0);
  await expectSandboxMatchesView(env);
  expect(await pendingInStream(env)).toBe(0);
  expect(await outboxCount(env)).toBe(0);
  const { accepted, duplicates } = countDuplicates(env.batch.requests());
  const killed = outcomes.filter((o) => o.endsWith('SIGKILL')).length;
  console.log(JSON.stringify({ seed: SEED, trials: TRIALS, killedMidRun: killed, acceptedOperations: accepted, duplicateOperations: duplicates, outcomes }));
  expect(killed).toBeGreaterThan(TRIALS / 2);
  expect(outcomes.filter((o) => o.endsWith(':75')), 'no trial found the lock of a killed run still held').toEqual([]);
}, 600_000);

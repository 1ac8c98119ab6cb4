/**
 * Event duplicates after a crash: 20 000 events (4 000 profiles × 5) through /profiles/update, the worker
 * SIGKILLed mid-send twice, then run to the end. No event may be lost, and each crash may make Batch accept
 * again only what the worker could not yet record: progress is recorded per acknowledged request (one
 * prefix delete at a time, the next right after it commits), so the bound is the events of the requests
 * acknowledged after the last recorded delete was issued (the requests in flight at the kill included),
 * plus the requests that finished out of order behind one still in flight (concurrency − 1 requests).
 * Duplicates are counted with the sandbox's event keys (same content = same event).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventKey } from '../../standins/batch/events.js';
import type { RequestLogEntry } from '../../standins/batch/index.js';
import { waitFor } from '../../standins/snowflake/driver-helpers.js';
import { spawnWorker } from '../worker/helpers/child-worker.js';
import { startWorkerEnvironment, type WorkerEnvironment } from '../worker/helpers/e2e.js';
import { EVENTS_STREAM, createEventSource, eventArgs, insertEvents, utcText } from './helpers/events-env.js';

const PROFILES = 4_000;
const PER_PROFILE = 5;
const EVENTS = PROFILES * PER_PROFILE;
const CRASHES = 2;
const CONCURRENCY = 2;
const SEED = Number(process.env.WORKER_KILL_SEED ?? Date.now() % 100_000);

function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

let env: WorkerEnvironment;
beforeAll(async () => {
  env = await startWorkerEnvironment({ latencyMs: 20, updateRate: 600, updateBurst: 200 });
  await createEventSource(env.admin);
  const base = Date.now();
  await insertEvents(env.admin, Array.from({ length: EVENTS }, (_, i) => ({ user: `k${i % PROFILES}`, name: 'page_view', time: utcText(-(i + 60) * 1000, base), amount: i })));
}, 300_000);
afterAll(() => env?.close());

type Accepted = { atMs: number; endMs: number; events: number; duplicates: number };

function acceptedRequests(requests: RequestLogEntry[]): Accepted[] {
  const seen = new Set<string>();
  return requests
    .filter((r) => r.status === 202 && Array.isArray(r.body))
    .map((r) => {
      let events = 0;
      let duplicates = 0;
      for (const op of r.body as Array<{ identifiers: { custom_id: string }; events: Array<{ name: string; time?: string; attributes?: unknown }> }>) {
        for (const event of op.events) {
          const key = eventKey(op.identifiers.custom_id, event);
          events++;
          if (seen.has(key)) duplicates++;
          seen.add(key);
        }
      }
      const atMs = Date.parse(r.time);
      return { atMs, endMs: atMs + r.durationMs, events, duplicates };
    });
}

it(`after ${CRASHES} SIGKILLs mid-send of ${EVENTS} events: none lost, each crash resends at most the requests acknowledged since its last recorded progress`, async () => {
  const random = prng(SEED);
  const pace = ['--rate', '600', '--burst', '200', '--concurrency', String(CONCURRENCY)];
  const kills: number[] = [];
  const starts: number[] = [];
  const lastProgress: Array<number | null> = [];
  for (let crash = 1; crash <= CRASHES; crash++) {
    const before = env.batch.events().total;
    starts.push(Date.now());
    const child = spawnWorker(eventArgs(env, ...pace), env.env);
    // Mid-send whatever the load: once Batch accepted 2 000–6 000 events of this run.
    const target = before + 2_000 + Math.floor(random() * 4_000);
    await waitFor(() => env.batch.events().total >= target || child.process.exitCode !== null, 120_000);
    kills.push(Date.now());
    child.process.kill('SIGKILL');
    expect((await child.exited).signal, child.output().slice(-3000)).toBe('SIGKILL');
    // The killed run's lock would expire after its TTL (15 min); the test expires it now, as time would.
    await env.admin.query(`UPDATE DEMO_DB.PUBLIC.BATCH_SYNC_CONTROL SET LOCK_HOLDER = NULL WHERE SYNC_NAME = '${EVENTS_STREAM}'`);
    const recorded = child.lines.filter((l) => l.event === 'progress.recorded').map((l) => Date.parse(String(l.issuedAt)));
    lastProgress.push(recorded.at(-1) ?? null);
  }
  let output = '';
  const final = spawnWorker(eventArgs(env, ...pace), env.env);
  const exit = await final.exited;
  output = final.output();
  expect(exit.code, output).toBe(0);

  const summary = env.batch.events();
  expect(summary.distinct, 'every event delivered').toBe(EVENTS);
  const outbox = await env.admin.query<{ N: number }>('SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.BATCH_SYNC_EVENTS_OUTBOX');
  expect(Number(outbox.rows[0]!.N)).toBe(0);

  const accepted = acceptedRequests(env.batch.requests());
  const largest = Math.max(...accepted.map((r) => r.events));
  const perCrash = kills.map((killMs, k) => {
    const nextKill = kills[k + 1] ?? Infinity;
    const duplicates = accepted.filter((r) => r.atMs > killMs && r.atMs < nextKill).reduce((n, r) => n + r.duplicates, 0);
    const since = lastProgress[k] ?? starts[k]!;
    const bound = accepted.filter((r) => r.atMs <= killMs && r.endMs > since).reduce((n, r) => n + r.events, 0) + (CONCURRENCY - 1) * largest;
    const sentBeforeKill = accepted.filter((r) => r.atMs <= killMs && r.atMs > starts[k]!).reduce((n, r) => n + r.events, 0);
    return { duplicates, bound, sentBeforeKill, msSinceLastRecordedProgress: killMs - since };
  });
  console.log(JSON.stringify({ seed: SEED, events: EVENTS, totalAccepted: summary.total, duplicates: summary.duplicates, largestRequestEvents: largest, perCrash }));
  expect(summary.duplicates).toBe(perCrash.reduce((n, c) => n + c.duplicates, 0));
  for (const crash of perCrash) {
    expect(crash.sentBeforeKill, 'each kill lands mid-send').toBeGreaterThan(0);
    expect(crash.duplicates, JSON.stringify(crash)).toBeLessThanOrEqual(crash.bound);
  }
}, 600_000);

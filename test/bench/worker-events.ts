/**
 * bench:worker, event syncs (issue 16): the compiled worker in event mode (`--kind event`) against an
 * APPEND_ONLY stream with 1–15 events per profile.
 *  - at the documented /profiles/update limits (300 operations/s, burst 1 000): delivered events/s after
 *    the burst vs the ceiling, which is 300 operations/s × the events per operation of the run (goal ≥ 0.95);
 *  - a 100 000-event burst (at x3.3 the documented rate, 1 000/s burst 3 333, to keep it short): operations
 *    per call and events per operation.
 */
import { benchEnvironment, runWorkerProcess, type BenchEnvironment } from './worker-bench-env.js';

type Print = (line: string) => void;
const ratio = (value: number) => Math.round(value * 1000) / 1000;
const BASE = 3_125;

function eventArguments(env: BenchEnvironment): string[] {
  return [
    '--project-key', env.batchInfo.projectKey, '--source-stream', 'DEMO_DB.PUBLIC.ORDER_EVENTS_STREAM', '--id-column', 'USER_ID',
    '--date-columns', '', '--url-columns', 'PAGE_URL', '--kind', 'event', '--event-name-column', 'EVENT_NAME', '--event-time-column', 'EVENT_TIME',
  ];
}

async function eventRun(doublings: number, rate: number, burst: number) {
  const env = await benchEnvironment(1_000, { updateRate: rate, updateBurst: burst });
  try {
    const source = await env.snowflake.call('eventSource', { base: BASE, doublings, seed: 16 });
    const run = await runWorkerProcess({ ...env, workerArgs: eventArguments(env) }, '--rate', String(rate), '--burst', String(burst), '--concurrency', '8');
    const stats = await env.stats();
    const events = await env.batch.call('events', null);
    const requests = (await env.batch.call('requests', null)).filter((r) => r.status === 202);
    return { env, source, run, stats, events, requests };
  } finally {
    await env.close();
  }
}

export async function eventThroughput(print: Print) {
  const rate = 300;
  const burst = 1_000;
  const { source, run, stats, events, requests } = await eventRun(3, rate, burst);
  const operations = stats.update.acceptedOperations;
  const eventsPerOperation = events.total / operations;
  // After the burst: the first `burst` operations are free, the rest paced at `rate`.
  const pacedMs = Math.max(...requests.map((r) => r.atMs + r.durationMs)) - Math.min(...requests.map((r) => r.atMs));
  const pacedEvents = ((operations - burst) / operations) * events.total;
  const perSecond = (pacedEvents / pacedMs) * 1000;
  const ceiling = rate * eventsPerOperation;
  const result = {
    events: source.events, profiles: source.profiles, rate, burst, delivered: events.total, duplicates: events.duplicates, operations,
    requests: requests.length, eventsPerOperation: ratio(eventsPerOperation), pacedMs, eventsPerSecond: Math.round(perSecond),
    ceilingEventsPerSecond: Math.round(ceiling), ratioToCeiling: ratio(perSecond / ceiling), rateLimited: stats.rateLimited, sendMs: run.sendMs,
    summary: { eventsSent: run.summary.eventsSent, eventsRejected: run.summary.eventsRejected },
  };
  print(
    `events at the documented ${rate} operations/s (burst ${burst}), ${source.events} events of ${source.profiles} profiles (1–15 each): ` +
      `${result.eventsPerSecond} events/s after the burst vs ceiling ${result.ceilingEventsPerSecond} (${rate} ops/s × ${result.eventsPerOperation} events/op) ` +
      `= ${result.ratioToCeiling} (goal >= 0.95); delivered ${events.total}/${source.events}, duplicates ${events.duplicates}, 429s ${stats.rateLimited}`,
  );
  return result;
}

export async function eventBurst(print: Print) {
  const rate = 1_000;
  const burst = 3_333;
  const { source, run, stats, events, requests } = await eventRun(5, rate, burst);
  const operations = stats.update.acceptedOperations;
  const perCall = requests.map((r) => r.operations ?? 0);
  const result = {
    events: source.events, profiles: source.profiles, delivered: events.total, duplicates: events.duplicates, operations, requests: requests.length,
    operationsPerCall: { mean: ratio(operations / requests.length), max: Math.max(...perCall) },
    eventsPerOperation: ratio(events.total / operations), sendMs: run.sendMs, peakRssMb: run.peakRssMb, rateLimited: stats.rateLimited,
  };
  print(
    `event burst: ${source.events} events of ${source.profiles} profiles at ${rate}/s (burst ${burst}): ${requests.length} calls, ` +
      `${result.operationsPerCall.mean} operations per call (max ${result.operationsPerCall.max}, limit 200), ${result.eventsPerOperation} events per operation (limit 15), ` +
      `send ${run.sendMs} ms, delivered ${events.total}/${source.events}, duplicates ${events.duplicates}, 429s ${stats.rateLimited}, peak RSS ${run.peakRssMb} MB`,
  );
  return result;
}

/** The scenarios of bench:worker (worker-bench.ts prints them); each starts fresh stand-ins. */
import { connect } from '../../shared/snowflake/client.js';
import { runBaselineJob } from './worker-baseline.js';
import { benchEnvironment, runWorkerProcess, type BenchEnvironment, type WorkerRun } from './worker-bench-env.js';
import type { Ceilings } from './worker-ceilings.js';

type Print = (line: string) => void;
const ratio = (value: number) => Math.round(value * 1000) / 1000;

async function cpuDuring<T>(env: BenchEnvironment, work: () => Promise<T>): Promise<{ result: T; standinCpuMs: { snowflake: number; batch: number } }> {
  const before = await env.standinCpuMs();
  const result = await work();
  const after = await env.standinCpuMs();
  return { result, standinCpuMs: { snowflake: after.snowflake - before.snowflake, batch: after.batch - before.batch } };
}

/** Worker vs Batch's job, all at the documented /profiles/update limits (300/s, burst 1 000). */
export async function documentedLimitsComparison(rows: number, print: Print) {
  const env = await benchEnvironment(rows, { updateRate: 300, updateBurst: 1_000 });
  try {
    const login = env.snowflakeInfo.login;
    const session = await connect({ account: login.account, accessUrl: login.accessUrl, username: login.user, password: login.password, role: login.role, warehouse: login.warehouse, database: login.database, schema: login.schema });
    const base = {
      session, stream: 'DEMO_DB.PUBLIC.CUSTOMER_STREAM', idColumn: 'CUSTOMER_ID', dateColumns: ['SIGNUP_DATE', 'LAST_LOGIN_AT'], urlColumns: ['PROFILE_URL'],
      apiUrl: env.batchInfo.apiUrl, apiKey: env.batchInfo.restApiKey, projectKey: env.batchInfo.projectKey,
    };
    // Batch's job only SELECTs from the stream, so the worker still finds every change afterwards.
    const faithful = await runBaselineJob(base);
    const faithfulDelivered = (await env.stats()).update.acceptedOperations;
    await env.batch.call('reset', null);
    const fixed200 = await runBaselineJob({ ...base, batchSize: 200 });
    const fixedDelivered = (await env.stats()).update.acceptedOperations;
    await session.destroy();
    await env.batch.call('reset', null);
    const worker = await runWorkerProcess(env, '--endpoint', 'update');
    const stats = await env.stats();
    const ideal = (Math.max(0, rows - 1_000) / 300) * 1_000;
    const result = {
      rows,
      idealSendMs: Math.round(ideal),
      worker: { sendMs: worker.sendMs, totalMs: worker.totalMs, sendRatioToIdeal: ratio(worker.sendMs / ideal), delivered: stats.update.acceptedOperations, rateLimited: stats.rateLimited },
      batchJob: { ...faithful, delivered: faithfulDelivered },
      batchJobWith200: { ...fixed200, delivered: fixedDelivered, workerSpeedup: ratio(fixed200.durationMs / worker.totalMs) },
    };
    print(`documented limits (300/s, burst 1000), ${rows} changes:`);
    print(`  worker              whole run ${worker.totalMs} ms (send ${worker.sendMs} ms vs ideal ${Math.round(ideal)} ms = x${result.worker.sendRatioToIdeal}), delivered ${stats.update.acceptedOperations}/${rows}, 429s ${stats.rateLimited}`);
    print(`  Batch's job         ${faithful.durationMs} ms, delivered ${faithfulDelivered}/${rows} (statuses ${JSON.stringify(faithful.statuses)}: 1000-op calls exceed the 200 limit), stream offset never advanced`);
    print(`  Batch's job @200    ${fixed200.durationMs} ms, delivered ${fixedDelivered}/${rows} (sleep 1 s between calls): the worker's whole run is x${result.batchJobWith200.workerSpeedup} faster`);
    return result;
  } finally {
    await env.close();
  }
}

/** /profiles/update at `rate` with `burst`: achieved rate after the burst, over the paced period and the whole send. */
export async function updateThroughput(rows: number, rate: number, burst: number, print: Print) {
  const env = await benchEnvironment(rows, { updateRate: rate, updateBurst: burst });
  try {
    const { result: run, standinCpuMs } = await cpuDuring(env, () =>
      runWorkerProcess(env, '--endpoint', 'update', '--rate', String(rate), '--burst', String(burst), '--concurrency', '8'),
    );
    const stats = await env.stats();
    const requests = (await env.batch.call('requests', null)).filter((r) => r.status === 202);
    const pacedMs = Math.max(...requests.map((r) => r.atMs + r.durationMs)) - Math.min(...requests.map((r) => r.atMs));
    const sent = stats.update.acceptedOperations;
    const pacedRate = ((sent - burst) / pacedMs) * 1000;
    const wholeRate = ((sent - burst) / run.sendMs) * 1000;
    const result = {
      rows, rate, burst, delivered: sent, rateLimited: stats.rateLimited, requests: requests.length,
      pacedMs, achievedPerSecond: Math.round(pacedRate), ratioToCeiling: ratio(pacedRate / rate),
      sendMs: run.sendMs, wholeSendRatioToCeiling: ratio(wholeRate / rate), ...runFigures(run), standinCpuMs,
    };
    print(
      `/profiles/update at ${rate}/s (burst ${burst}), ${rows} changes: ${Math.round(pacedRate)} updates/s after the burst, first to last call ` +
        `= ${result.ratioToCeiling} of the ceiling (goal >= 0.95); over the whole send step (first page read included) ${result.wholeSendRatioToCeiling}; ` +
        `delivered ${sent}/${rows}, 429s ${stats.rateLimited}`,
    );
    return result;
  } finally {
    await env.close();
  }
}

/** Initial backfill through /profiles/mass-update (the worker's own choice) at `rate`. */
export async function massBackfill(rows: number, rate: number, ceilings: Ceilings, print: Print) {
  const env = await benchEnvironment(rows, { massRate: rate });
  try {
    const { result: run, standinCpuMs } = await cpuDuring(env, () => runWorkerProcess(env, '--mass-update-rate', String(rate)));
    const stats = await env.stats();
    const sent = stats.massUpdate.acceptedOperations;
    // The sandbox's bucket starts full with one second's worth: the first `rate` operations are free.
    const ideal = (Math.max(0, sent - rate) / rate) * 1000;
    const machineRate = Math.min(rate, ceilings.readRowsPerSecond, ceilings.massUpdateOpsPerSecond);
    // Below the configured rate the free first second no longer helps: the machine's own rate is the bound.
    const idealOnMachine = machineRate < rate ? (sent / machineRate) * 1000 : ideal;
    const result = {
      rows, rate, endpoint: run.summary.endpoint, delivered: sent, rateLimited: stats.rateLimited,
      sendMs: run.sendMs, idealSendMs: Math.round(ideal), ratioToIdeal: ratio(run.sendMs / ideal),
      machineCeilingPerSecond: machineRate, idealSendMsOnMachine: Math.round(idealOnMachine), ratioToMachineIdeal: ratio(run.sendMs / idealOnMachine),
      ...runFigures(run), standinCpuMs,
    };
    const machineNote = machineRate < rate ? `; the machine's measured ceiling ${machineRate}/s gives ideal ${result.idealSendMsOnMachine} ms (x${result.ratioToMachineIdeal})` : '';
    print(
      `mass-update backfill at ${rate}/s, ${rows} rows: send ${run.sendMs} ms vs ideal ${Math.round(ideal)} ms = x${result.ratioToIdeal} (goal <= 1.15)${machineNote}; ` +
        `whole run ${run.totalMs} ms (of which process start, login, capture ${run.startupMs} ms), delivered ${sent}/${rows}, 429s ${stats.rateLimited}, ` +
        `peak RSS ${run.peakRssMb} MB, CPU ms worker ${run.cpuMs} / Snowflake stand-in ${standinCpuMs.snowflake} / Batch sandbox ${standinCpuMs.batch}`,
    );
    return result;
  } finally {
    await env.close();
  }
}

function runFigures(run: WorkerRun) {
  return { totalMs: run.totalMs, startupMs: run.startupMs, peakRssMb: run.peakRssMb, workerCpuMs: run.cpuMs, retries: run.summary.retries };
}

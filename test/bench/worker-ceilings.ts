/**
 * What this machine can physically do, measured in the same bench run as the worker: the Snowflake stand-in
 * serving the outbox to a trivial consumer (worker-read-probe.ts: same driver, pages and columns, rows only
 * counted) and the Batch sandbox accepting mass-update calls from a trivial sender (bodies built up front,
 * no rate limit). Each is measured alone; during a worker run the worker and both stand-ins share the cores.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { benchEnvironment, forkHost } from './worker-bench-env.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const PROBE_TABLE = 'DEMO_DB.PUBLIC.BENCH_PROBE_OUTBOX';

export interface Ceilings {
  rows: number;
  /** Rows/s the stand-in serves the outbox to a consumer that does nothing else. */
  readRowsPerSecond: number;
  readConsumerCpuMs: number;
  /** Operations/s the sandbox accepts through /profiles/mass-update (2 500 per call, 2 at once). */
  massUpdateOpsPerSecond: number;
}

export async function measureCeilings(rows: number): Promise<Ceilings> {
  const env = await benchEnvironment(rows, {});
  let read: { rowsPerSecond: number; cpuMs: number; rows: number };
  try {
    // An outbox as capture leaves it (same columns and key), without consuming the stream.
    await env.snowflake.call('query', {
      sql: `CREATE TABLE ${PROBE_TABLE} AS SELECT *, CAST(CUSTOMER_ID AS VARCHAR) AS BATCH_SYNC_ID, 'INSERT' AS BATCH_SYNC_ACTION, ` +
        `'probe' AS BATCH_SYNC_RUN_ID, CURRENT_TIMESTAMP() AS BATCH_SYNC_CAPTURED_AT FROM DEMO_DB.PUBLIC.CUSTOMER_PROFILES`,
    });
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/bench/worker-read-probe.ts', JSON.stringify(env.snowflakeInfo.login), PROBE_TABLE], { cwd: REPO });
    read = JSON.parse(stdout.trim().split('\n').pop()!) as typeof read;
    if (read.rows !== rows) throw new Error(`read probe saw ${read.rows} rows, expected ${rows}`);
  } finally {
    await env.close();
  }
  return { rows, readRowsPerSecond: read.rowsPerSecond, readConsumerCpuMs: read.cpuMs, massUpdateOpsPerSecond: await massUpdateCapacity(rows) };
}

/** Operations shaped like the demo view's payloads. */
function demoOperations(from: number, count: number): unknown[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      identifiers: { custom_id: String(i + 1) },
      attributes: {
        email: `ada.lovelace${i + 1}@example.com`, first_name: 'Ada', last_name: 'Lovelace',
        'date(signup_date)': '2021-03-04T00:00:00Z', 'date(last_login_at)': '2024-05-06T07:08:09Z',
        'url(profile_url)': `https://example.com/customers/${i + 1}`, lifetime_value: 12345.67, is_subscribed: i % 3 !== 0, tags: ['vip', 'newsletter'],
      },
    };
  });
}

async function massUpdateCapacity(operations: number): Promise<number> {
  const host = forkHost();
  try {
    const batch = await host.call('startBatch', { massRate: 1e9 });
    const perCall = 2_500;
    const bodies: string[] = [];
    for (let i = 0; i < operations; i += perCall) bodies.push(JSON.stringify(demoOperations(i, Math.min(perCall, operations - i))));
    const headers = { authorization: `Bearer ${batch.restApiKey}`, 'x-batch-project': batch.projectKey, 'content-type': 'application/json' };
    const started = performance.now();
    let next = 0;
    const sender = async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const response = await fetch(`${batch.apiUrl}/2.11/profiles/mass-update`, { method: 'POST', headers, body });
        await response.text();
        if (response.status !== 202) throw new Error(`mass-update probe answered ${response.status}`);
      }
    };
    await Promise.all([sender(), sender()]);
    return Math.round((operations / (performance.now() - started)) * 1000);
  } finally {
    await host.close();
  }
}

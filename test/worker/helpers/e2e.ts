import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '../../../shared/snowflake/client.js';
import type { SnowflakeSession } from '../../../shared/snowflake/types.js';
import { runWorker } from '../../../worker/main.js';
import { createJsonLogger } from '../../../worker/sync/log.js';
import { startBatchSandbox, type BatchSandbox, type BatchSandboxOptions } from '../../../standins/batch/index.js';
import { startSnowflakeStandin, type SnowflakeStandin, type SnowflakeStandinOptions } from '../../../standins/snowflake/index.js';

export const STREAM = 'DEMO_DB.PUBLIC.CUSTOMER_STREAM';
/** The seed's task arguments (shared/seed/batch-snowflake-guide.txt step 4) for the demo view. */
export const SEED_ARGS = [
  '--project-key', '', // filled per environment
  '--source-stream', STREAM,
  '--id-column', 'CUSTOMER_ID',
  '--date-columns', 'SIGNUP_DATE,LAST_LOGIN_AT',
  '--url-columns', 'PROFILE_URL',
];

/**
 * The demo stream (SHOW_INITIAL_ROWS) and the environment of a worker inside SPCS: token file + SNOWFLAKE_*.
 * The Batch half (BATCH_API_URL, BATCH_REST_API_KEY) is added by the caller.
 */
export async function prepareSnowflakeSide(snowflake: SnowflakeStandin): Promise<{ admin: SnowflakeSession; env: NodeJS.ProcessEnv }> {
  const user = snowflake.defaultUser;
  const admin = await connect({
    account: snowflake.account, accessUrl: snowflake.accessUrl, username: user.user, password: user.password,
    role: user.role, warehouse: user.warehouse, database: user.database, schema: user.schema,
  });
  await admin.query(`CREATE OR REPLACE STREAM ${STREAM} ON VIEW DEMO_DB.PUBLIC.CUSTOMER_PROFILES SHOW_INITIAL_ROWS = TRUE`);
  const tokenFile = path.join(mkdtempSync(path.join(tmpdir(), 'worker-e2e-')), 'token');
  writeFileSync(tokenFile, snowflake.accounts.issueOAuthToken(user.user, user.role));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: path.dirname(tokenFile),
    SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
    BATCH_SNOWFLAKE_TOKEN_FILE: tokenFile,
    SNOWFLAKE_HOST: '127.0.0.1',
    SNOWFLAKE_PROTOCOL: 'http',
    SNOWFLAKE_PORT: String(snowflake.port),
    SNOWFLAKE_ACCOUNT: snowflake.account,
    SNOWFLAKE_DATABASE: user.database,
    SNOWFLAKE_SCHEMA: user.schema,
    SNOWFLAKE_ROLE: user.role,
    SNOWFLAKE_WAREHOUSE: user.warehouse,
  };
  return { admin, env };
}

export const CUSTOMER_COLUMNS = 'EMAIL, FIRST_NAME, LAST_NAME, SIGNUP_DATE, LAST_LOGIN_AT, PROFILE_URL, LIFETIME_VALUE, IS_SUBSCRIBED, TAGS';

/** Grows the demo table (and so the stream's INSERT changes) from its 1 000 seed rows to `rows` by doubling. */
export async function growCustomers(admin: SnowflakeSession, rows: number): Promise<void> {
  let count = 1000;
  while (count < rows) {
    const add = Math.min(count, rows - count);
    await admin.query(
      `INSERT INTO DEMO_DB.PUBLIC.CUSTOMERS (ID, ${CUSTOMER_COLUMNS}) SELECT ID + ${count}, ${CUSTOMER_COLUMNS} FROM DEMO_DB.PUBLIC.CUSTOMERS WHERE ID <= ${add}`,
    );
    count += add;
  }
  if (rows < 1000) await admin.query(`DELETE FROM DEMO_DB.PUBLIC.CUSTOMERS WHERE ID > ${rows}`);
}

export interface WorkerEnvironment {
  snowflake: SnowflakeStandin;
  batch: BatchSandbox;
  /** Password session of the demo user, for test setup and inspection. */
  admin: SnowflakeSession;
  /** Environment of a worker inside SPCS: token file + SNOWFLAKE_* + Batch URL and key. */
  env: NodeJS.ProcessEnv;
  args(...extra: string[]): string[];
  /** Runs the worker in this process; returns its exit code and JSON log lines. */
  run(...extra: string[]): Promise<{ code: number; lines: Array<Record<string, unknown>>; output: string }>;
  close(): Promise<void>;
}

export async function startWorkerEnvironment(batchOptions: BatchSandboxOptions = {}, snowflakeOptions: SnowflakeStandinOptions = {}): Promise<WorkerEnvironment> {
  const snowflake = await startSnowflakeStandin({ seed: 'demo', ...snowflakeOptions });
  const batch = await startBatchSandbox({ updateRate: 20_000, updateBurst: 20_000, massRate: 50_000, ...batchOptions });
  const { admin, env: snowflakeEnv } = await prepareSnowflakeSide(snowflake);
  const env: NodeJS.ProcessEnv = { ...snowflakeEnv, BATCH_API_URL: batch.apiUrl, BATCH_REST_API_KEY: batch.restApiKey };
  const args = (...extra: string[]) => {
    const base = [...SEED_ARGS];
    base[1] = batch.projectKey;
    return [...base, ...extra];
  };
  return {
    snowflake, batch, admin, env, args,
    async run(...extra) {
      let output = '';
      const log = createJsonLogger((line) => (output += line));
      const code = await runWorker(args(...extra), { env, log, signal: new AbortController().signal });
      const lines = output.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
      return { code, lines, output };
    },
    async close() {
      await admin.destroy().catch(() => undefined);
      await batch.close();
      await snowflake.close();
    },
  };
}

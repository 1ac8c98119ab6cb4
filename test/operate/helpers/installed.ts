/**
 * An installed sync for the operate tests: both stand-ins, the plan init would apply for the demo view
 * (planner + executor, as `init` runs them; no docker: --skip-image with a fixed tag, the stand-in runs the job
 * as a worker process), and batch-snowflake.json as init saves it. `cli()` runs the real CLI in-process
 * with the real snowflake-sdk talking HTTP to the stand-in.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyPlan } from '../../../src/apply/executor.js';
import { main, type CliIo } from '../../../src/cli/main.js';
import { saveProjectConfig, type ProjectConfig } from '../../../src/config/project-config.js';
import { configAfterInit } from '../../../src/apply/record-install.js';
import { planInit } from '../../../src/plan/init-plan.js';
import type { InitAnswersInput } from '../../../src/config/answers.js';
import { connect } from '../../../shared/snowflake/client.js';
import type { SnowflakeSession } from '../../../shared/snowflake/types.js';
import { createOutput } from '../../../src/adapters/ui/output.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../standins/index.js';
import { parseInitAnswers, resolveAnswers } from '../../../src/plan/names.js';

export const TARGET = 'DEMO_DB.BATCH_SYNC';
export const TASK = 'DEMO_DB.BATCH_SYNC.BATCH_SYNC_TASK';
export const STREAM = 'DEMO_DB.BATCH_SYNC.BATCH_SYNC_STREAM';

export interface Installed {
  sandbox: Sandbox;
  dir: string;
  configPath: string;
  config: ProjectConfig;
  /** A session as the sandbox user (for arranging state and checking results). */
  admin: SnowflakeSession;
  /** Every statement the stand-in received from any client, in order (install statements excluded). */
  statements: string[];
  close(): Promise<void>;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: () => { ok: boolean; result?: any; error?: any };
}

const quiet = createOutput({ json: true, verbose: false, stdout: { write: () => true }, stderr: { write: () => true } });

export function demoAnswers(sandbox: Sandbox, overrides: Partial<InitAnswersInput> = {}): InitAnswersInput {
  const { snowflake, batch } = sandbox.connection;
  return {
    target: TARGET,
    source: { kind: 'view', view: 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES' },
    idColumn: 'CUSTOMER_ID',
    dateColumns: ['SIGNUP_DATE', 'LAST_LOGIN_AT'],
    urlColumns: ['PROFILE_URL'],
    projectKey: batch.projectKey,
    warehouse: snowflake.warehouse,
    role: snowflake.role,
    imageTag: '0.1.0',
    skipImage: true,
    batchApiHost: new URL(batch.apiUrl).host,
    ...overrides,
  };
}

export function adminSession(sandbox: Sandbox): Promise<SnowflakeSession> {
  const s = sandbox.connection.snowflake;
  return connect({ account: s.account, accessUrl: s.accessUrl, username: s.user, password: s.password, role: s.role, warehouse: s.warehouse, database: s.database, schema: s.schema });
}

/** Sets up what `init` would (SQL via the planner and executor) and saves batch-snowflake.json. */
export async function install(options: { answers?: Partial<InitAnswersInput>; resume?: boolean; sandbox?: Omit<SandboxOptions, 'seed'> } = {}): Promise<Installed> {
  const sandbox = await startSandbox({ ...options.sandbox, seed: 'demo' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'operate-'));
  const admin = await adminSession(sandbox);
  const statements: string[] = [];
  try {
    await admin.query(`CREATE SCHEMA ${TARGET}`);
    const answers = parseInitAnswers(demoAnswers(sandbox, options.answers));
    const plan = planInit(resolveAnswers(answers), { baseTables: [{ name: ['DEMO_DB', 'PUBLIC', 'CUSTOMERS'], changeTracking: false }], stateTables: [] }, { apiKeyProvided: true });
    for (const step of plan.steps) {
      // The Batch sandbox speaks plain HTTP on loopback; a real account reaches api.batch.com over HTTPS.
      if (step.kind === 'sql' && (step.id === 'task' || step.id === 'service')) step.sql = step.sql.replace('"https://127.0.0.1', '"http://127.0.0.1');
    }
    if (options.resume === false) plan.steps = plan.steps.filter((s) => s.kind !== 'task-resume');
    const applied = await applyPlan(plan, { session: admin, secrets: { BATCH_REST_API_KEY: sandbox.connection.batch.restApiKey }, output: quiet, images: null });
    if (applied.failed) throw applied.failed.error;
    const config = configAfterInit(null, resolveAnswers(answers), plan, applied.completed, new Date());
    const configPath = path.join(dir, 'batch-snowflake.json');
    await saveProjectConfig(configPath, config);
    recordStatements(sandbox, statements);
    return {
      sandbox, dir, configPath, config, admin, statements,
      close: async () => {
        await admin.destroy();
        await sandbox.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await admin.destroy();
    await sandbox.close();
    throw error;
  }
}

/** Records every statement the stand-in engine receives (through its statement hook, chained). */
function recordStatements(sandbox: Sandbox, into: string[]): void {
  const core = (sandbox.snowflake.engine as unknown as { core: { hooks: { statement?: (...args: any[]) => Promise<unknown> } } }).core;
  const previous = core.hooks.statement;
  core.hooks.statement = async (session: unknown, sql: string, ...rest: unknown[]) => {
    into.push(sql);
    return previous ? previous(session, sql, ...rest) : undefined;
  };
}

/**
 * The CLI in-process, connected to the stand-in by flags and SNOWFLAKE_PASSWORD (never a flag). Every call also
 * checks that neither the Batch REST API key nor the Snowflake password appears in what the CLI printed.
 */
export async function cli(installed: Pick<Installed, 'sandbox' | 'dir'>, argv: string[], env: NodeJS.ProcessEnv = {}, io: Partial<CliIo> = {}): Promise<CliResult> {
  const s = installed.sandbox.connection.snowflake;
  let stdout = '';
  let stderr = '';
  const code = await main(
    [...argv, '--access-url', s.accessUrl, '--account', s.account, '--user', s.user, '--warehouse', s.warehouse],
    {
      stdout: { write: (t: string) => (stdout += t), isTTY: false },
      stderr: { write: (t: string) => (stderr += t), isTTY: false },
      stdinIsTTY: false,
      env: { SNOWFLAKE_PASSWORD: s.password, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true', HOME: installed.dir, SNOWFLAKE_HOME: installed.dir, ...env },
      cwd: installed.dir,
      ...io,
    },
  );
  for (const secret of [installed.sandbox.connection.batch.restApiKey, s.password]) {
    if ((stdout + stderr).includes(secret)) throw new Error(`a secret appeared in the output of batch-snowflake ${argv.join(' ')}`);
  }
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

export async function count(session: SnowflakeSession, sql: string): Promise<number> {
  const { rows } = await session.query<{ N: unknown }>(sql);
  return Number(rows[0]?.N ?? NaN);
}

/**
 * `init` against account profiles of the Snowflake stand-in (full / restricted / admin-only, SPCS on or off,
 * enforced grants, tasks and job services) plus the Batch sandbox: starts both, records every statement the
 * engine receives (through its statement hook, so also those sent under another role), and runs the real CLI
 * in-process with the password in SNOWFLAKE_PASSWORD (never a flag).
 */
import path from 'node:path';
import { saveProjectConfig } from '../../src/config/project-config.js';
import type { InitAnswersInput } from '../../src/config/answers.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../standins/index.js';
import { runCli, tempDir, type CliRun } from './support.js';

export const VIEW = 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES';

export interface ProfileRig {
  sandbox: Sandbox;
  dir: string;
  configPath: string;
  /** Every SQL text the engine received, in order. */
  statements: string[];
  /** init (or any command) with the connection flags of the stand-in's seeded user. */
  cli(argv: string[], env?: NodeJS.ProcessEnv): Promise<CliRun>;
  close(): Promise<void>;
}

function recordStatements(sandbox: Sandbox, into: string[]): void {
  const core = (sandbox.snowflake.engine as unknown as { core: { hooks: { statement?: (...args: unknown[]) => Promise<unknown> } } }).core;
  const previous = core.hooks.statement;
  core.hooks.statement = async (session: unknown, sql: unknown, ...rest: unknown[]) => {
    into.push(String(sql));
    return previous ? previous(session, sql, ...rest) : undefined;
  };
}

export async function startProfileRig(options: { snowflake: NonNullable<SandboxOptions['snowflake']>; env?: NodeJS.ProcessEnv }): Promise<ProfileRig> {
  const sandbox = await startSandbox({ seed: 'demo', snowflake: options.snowflake });
  const work = await tempDir('bs-init-profile-');
  const statements: string[] = [];
  recordStatements(sandbox, statements);
  const s = sandbox.connection.snowflake;
  return {
    sandbox,
    dir: work.dir,
    configPath: path.join(work.dir, 'batch-snowflake.json'),
    statements,
    cli: (argv, env = {}) =>
      runCli([...argv, '--access-url', s.accessUrl, '--account', s.account, '--user', s.user], {
        env: {
          PATH: process.env.PATH,
          HOME: work.dir,
          SNOWFLAKE_HOME: work.dir,
          SNOWFLAKE_PASSWORD: s.password,
          SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
          BATCH_REST_API_KEY: sandbox.connection.batch.restApiKey,
          ...options.env,
          ...env,
        },
        cwd: work.dir,
      }),
    close: async () => {
      await sandbox.close();
      await work.cleanup();
    },
  };
}

/**
 * Answers saved as a previous run would have: the only way to point the worker at the Batch sandbox is the
 * `batchApiHost` answer of batch-snowflake.json (no flag: real installs always talk to api.batch.com).
 */
export async function saveSandboxAnswers(rig: ProfileRig, answers: Partial<InitAnswersInput> = {}): Promise<void> {
  const s = rig.sandbox.connection;
  await saveProjectConfig(rig.configPath, {
    version: 1,
    created: [],
    answers: {
      target: 'DEMO_DB.BATCH_SYNC',
      source: { kind: 'view', view: VIEW },
      idColumn: 'CUSTOMER_ID',
      dateColumns: ['SIGNUP_DATE', 'LAST_LOGIN_AT'],
      urlColumns: ['PROFILE_URL'],
      projectKey: s.batch.projectKey,
      credentials: 'secret',
      warehouse: s.snowflake.warehouse,
      role: s.snowflake.role,
      computePool: 'BATCH_SYNC_POOL',
      instanceFamily: 'CPU_X64_XS',
      autoSuspendSecs: 300,
      imageRepository: 'BATCH_SYNC_REPOSITORY',
      schedule: '60 MINUTE',
      skipEmptyRuns: true,
      initialSync: true,
      skipImage: false,
      batchApiHost: new URL(s.batch.apiUrl).host,
      names: {},
      ...answers,
    },
  });
}

/** Statements that change something (what a refused or dry run must never send). */
export const writes = (statements: readonly string[]): string[] => statements.filter((s) => !/^\s*(SHOW|SELECT|DESC|DESCRIBE|USE)\b/i.test(s));

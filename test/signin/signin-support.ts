/**
 * One sign-in method end to end through the built CLI (child process, real snowflake-sdk): a fresh account of
 * the `full` profile on a 2026 footing (password-only sign-in blocked once the test's admin set it up), its
 * registry gateway in front of a shared real registry, the Batch sandbox, and a working folder with
 * connections.toml [signin] and batch-snowflake.json answers that point the worker at the sandbox.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { saveProjectConfig } from '../../src/config/project-config.js';
import { startSandbox, type Sandbox } from '../../standins/index.js';
import { DEFAULT_ACCOUNT_NAME, defaultUserConfig, type UserConfig } from '../../standins/snowflake/index.js';
import { connect, destroy, query, standinOptions } from '../../standins/snowflake/driver-helpers.js';
import { runCli, type CliResult } from '../init-bad-input/run-cli.js';
import type { TestRegistry } from '../support/registry.js';

export const VIEW = 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES';

export interface SignInRig {
  sandbox: Sandbox;
  dir: string;
  /** Runs the CLI with connection [signin] of connections.toml; `env` adds secrets for this call only. */
  cli(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** SQL as the seeded user with its password (an administrator's setup, before passwords are blocked). */
  admin(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Logins the CLI made (CLIENT_ENVIRONMENT.APPLICATION batch-snowflake), not the job's. */
  cliLogins(): number;
  writeConnection(settings: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export async function startSignInRig(options: { registry: TestRegistry; dockerConfig: string; baseImage: string; user?: Partial<UserConfig> }): Promise<SignInRig> {
  const { registry } = options;
  const sandbox = await startSandbox({
    seed: 'demo',
    snowflake: {
      profile: 'full',
      jobRunner: 'process',
      registry: { host: registry.host, username: registry.username, password: registry.password },
      account: { name: DEFAULT_ACCOUNT_NAME, users: [{ ...defaultUserConfig(), ...options.user }] },
    },
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bs-signin-'));
  const snowflakeHome = path.join(dir, 'snowflake');
  await mkdir(snowflakeHome, { mode: 0o700 });
  const s = sandbox.connection;
  await saveProjectConfig(path.join(dir, 'batch-snowflake.json'), {
    version: 1,
    created: [],
    answers: {
      target: 'DEMO_DB.BATCH_SYNC', source: { kind: 'view', view: VIEW }, idColumn: 'CUSTOMER_ID', dateColumns: ['SIGNUP_DATE', 'LAST_LOGIN_AT'],
      urlColumns: ['PROFILE_URL'], projectKey: s.batch.projectKey, runner: 'spcs', credentials: 'secret', warehouse: s.snowflake.warehouse, role: s.snowflake.role,
      computePool: 'BATCH_SYNC_POOL', instanceFamily: 'CPU_X64_XS', autoSuspendSecs: 300, imageRepository: 'BATCH_SYNC_REPOSITORY', schedule: '60 MINUTE',
      skipEmptyRuns: true, initialSync: true, skipImage: false, batchApiHost: new URL(s.batch.apiUrl).host, names: {},
    },
  });
  const standin = sandbox.snowflake;
  return {
    sandbox,
    dir,
    cli: (args, env = {}) =>
      runCli([...args, '-c', 'signin'], {
        cwd: dir,
        env: {
          PATH: process.env.PATH, HOME: dir, SNOWFLAKE_HOME: snowflakeHome, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
          DOCKER_CONFIG: options.dockerConfig, BATCH_SNOWFLAKE_BASE_IMAGE: options.baseImage, BATCH_REST_API_KEY: s.batch.restApiKey,
          NO_PROXY: '127.0.0.1', ...env,
        },
        timeoutMs: 540_000,
      }),
    admin: async (sql) => {
      const conn = await connect(standinOptions(standin));
      try {
        return (await query(conn, sql)).rows;
      } finally {
        await destroy(conn);
      }
    },
    cliLogins: () => standin.observed.loginLog.filter((l) => l.application === 'batch-snowflake').length,
    writeConnection: async (settings) => {
      const lines = Object.entries({ account: s.snowflake.account, access_url: s.snowflake.accessUrl, user: s.snowflake.user, role: s.snowflake.role, warehouse: s.snowflake.warehouse, ...settings })
        .map(([key, value]) => `${key} = ${JSON.stringify(value)}`);
      const file = path.join(snowflakeHome, 'connections.toml');
      await writeFile(file, `[signin]\n${lines.join('\n')}\n`, { mode: 0o600 });
      await chmod(file, 0o600);
    },
    close: async () => {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The init every method runs: plan, apply, build, log in and push, start the task and wait for its first run. */
/**
 * A command that must sign in and changes nothing: `init --dry-run` reads the account (preflight, introspection).
 * Not `status`: before an install it answers "not installed" (exit 13) without connecting.
 */
export function signInProbeArgs(): string[] {
  return ['init', '--no-interactive', '--dry-run', '--view', VIEW, '--id-column', 'CUSTOMER_ID', '--json'];
}

export function initArgs(tag: string): string[] {
  return ['init', '--no-interactive', '--yes', '--view', VIEW, '--id-column', 'CUSTOMER_ID', '--image-tag', tag, '--run-now'];
}

/**
 * An external-runner install on the no-SPCS stand-in profile (`--spcs off`): both stand-ins, `init --runner
 * external` applied by the built CLI, and helpers to run `batch-snowflake …` as separate processes the way a
 * scheduler does (key pair from env, Batch key from env, stdin not a TTY).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../../shared/snowflake/client.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { startSandbox, type Sandbox } from '../../standins/index.js';
import { runCli, type CliResult } from '../init-bad-input/run-cli.js';
import { BIN } from '../wizard-tty/wizard-tty.js';

export const TARGET = 'DEMO_DB.BATCH_SYNC';
export const STREAM = 'DEMO_DB.BATCH_SYNC.BATCH_SYNC_STREAM';
export const CONTROL = 'DEMO_DB.BATCH_SYNC.BATCH_SYNC_CONTROL';

export interface ExternalInstall {
  sandbox: Sandbox;
  dir: string;
  admin: SnowflakeSession;
  /** Env of a scheduler: key pair (SNOWFLAKE_PRIVATE_KEY_FILE), Batch key, nothing else secret. */
  env: Record<string, string | undefined>;
  /** Connection flags (no secret) for every command. */
  flags: string[];
  cli(args: string[], extra?: { env?: Record<string, string | undefined>; stdin?: string; timeoutMs?: number }): Promise<CliResult>;
  /** Starts `batch-snowflake sync --verbose` and resolves `locked` once its log says it holds the run lock. */
  startSync(env?: Record<string, string | undefined>): { child: ChildProcess; locked: Promise<void>; done: Promise<CliResult> };
  /** custom_ids of every operation Batch accepted (2xx), in order, from the sandbox's request log. */
  sentIds(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startExternalInstall(options: { latencyMs?: number; initArgs?: string[]; initEnv?: Record<string, string>; skipInit?: boolean; taskTimeScale?: number } = {}): Promise<ExternalInstall> {
  const sandbox = await startSandbox({ seed: 'demo', snowflake: { profile: 'full', spcs: false, ...(options.taskTimeScale ? { taskTimeScale: options.taskTimeScale } : {}) }, batch: { logBodies: true, latencyMs: options.latencyMs ?? 0 } });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'external-'));
  const s = sandbox.connection.snowflake;
  const admin = await connect({ account: s.account, accessUrl: s.accessUrl, username: s.user, password: s.password, role: s.role, warehouse: s.warehouse, database: s.database, schema: s.schema });
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = path.join(dir, 'rsa_key.p8');
  await writeFile(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  sandbox.snowflake.accounts.registerPublicKey(s.user, keys.publicKey.export({ type: 'spki', format: 'pem' }) as string);
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    SNOWFLAKE_HOME: dir,
    SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
    SNOWFLAKE_PRIVATE_KEY_FILE: keyFile,
    BATCH_REST_API_KEY: sandbox.connection.batch.restApiKey,
    // The sandbox instead of https://api.batch.com, as a scheduler's env would point a test run elsewhere.
    BATCH_API_URL: sandbox.connection.batch.apiUrl,
  };
  const flags = ['--access-url', s.accessUrl, '--account', s.account, '--user', s.user, '--role', s.role, '--warehouse', s.warehouse];
  const cli: ExternalInstall['cli'] = (args, extra = {}) =>
    runCli([...args, ...flags], { cwd: dir, env: { ...env, ...extra.env }, ...(extra.stdin !== undefined ? { stdin: extra.stdin } : {}), timeoutMs: extra.timeoutMs ?? 120_000 });
  const install: ExternalInstall = {
    sandbox, dir, admin, env, flags, cli,
    startSync(extraEnv = {}) {
      const child = spawn(process.execPath, [BIN, 'sync', '--verbose', ...flags], { cwd: dir, env: Object.fromEntries(Object.entries({ ...env, ...extraEnv }).filter((e): e is [string, string] => e[1] !== undefined)), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let onLocked!: () => void;
      const locked = new Promise<void>((resolve) => (onLocked = resolve));
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('"event":"lock.acquired"')) onLocked();
      });
      const started = performance.now();
      const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started })));
      return { child, locked, done };
    },
    async sentIds() {
      const response = await fetch(`${sandbox.connection.batch.apiUrl}/_sandbox/requests`);
      const log = (await response.json()) as Array<{ status: number | null; body: unknown }>;
      return log
        .filter((entry) => entry.status !== null && entry.status >= 200 && entry.status < 300 && Array.isArray(entry.body))
        .flatMap((entry) => (entry.body as Array<{ identifiers?: { custom_id?: string } }>).map((op) => String(op.identifiers?.custom_id)));
    },
    async close() {
      await admin.destroy();
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  if (options.skipInit) return install;
  const init = await cli(['init', '--runner', 'external', '--no-interactive', '--yes', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID',
    '--date-columns', 'SIGNUP_DATE,LAST_LOGIN_AT', '--url-columns', 'PROFILE_URL', '--project-key', sandbox.connection.batch.projectKey, '--target', TARGET, ...(options.initArgs ?? [])], { env: options.initEnv ?? {} });
  if (init.code !== 0) {
    await install.close();
    throw new Error(`init --runner external failed (${init.code}): ${init.stderr}\n${init.stdout}`);
  }
  return install;
}

/** Counts how often each id occurs. */
export function counts(ids: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const id of ids) map.set(id, (map.get(id) ?? 0) + 1);
  return map;
}

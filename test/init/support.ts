/**
 * Test support for `init`: a Snowflake stand-in whose engine records every statement it receives (to prove
 * what a run executed), and a runner that calls the real CLI entry point (main) with captured output.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Engine } from '../../standins/snowflake/engine-types.js';
import { createEngine, type SnowflakeEngine } from '../../standins/snowflake/engine/index.js';
import { DEFAULT_ACCOUNT_NAME, defaultUserConfig, startSnowflakeStandin, type SnowflakeStandin, type SnowflakeStandinOptions } from '../../standins/snowflake/index.js';

export interface RecordingStandin {
  standin: SnowflakeStandin;
  engine: SnowflakeEngine;
  /** Every SQL text the engine received, in order. */
  statements: string[];
  close(): Promise<void>;
}

function recordingEngine(inner: Engine, statements: string[]): Engine {
  return {
    async openSession(context) {
      const session = await inner.openSession(context);
      return {
        get context() {
          return session.context;
        },
        execute: (sql, binds) => {
          statements.push(sql);
          return session.execute(sql, binds);
        },
        close: () => session.close(),
      };
    },
    close: () => inner.close(),
  };
}

/**
 * Demo seed; the seeded user's password can be set. With `registry`, repository URLs name the stand-in's registry
 * gateway in front of it (docker logs in as 0sessiontoken); `sessionTtlSeconds` shortens session tokens.
 */
export async function startRecordingStandin(password?: string, options: Pick<SnowflakeStandinOptions, 'registry' | 'sessionTokenValiditySeconds'> = {}): Promise<RecordingStandin> {
  const engine = await createEngine({ seed: 'demo' });
  const statements: string[] = [];
  const user = { ...defaultUserConfig(), ...(password ? { password } : {}) };
  const standin = await startSnowflakeStandin({ engine: recordingEngine(engine, statements), account: { name: DEFAULT_ACCOUNT_NAME, users: [user] }, ...options });
  if (standin.registryGateway) engine.core.catalog.registryHost = standin.registryGateway.host;
  return {
    standin,
    engine,
    statements,
    close: async () => {
      await standin.close();
      await engine.close();
    },
  };
}

/** Statements that only read (what a dry run and a no-change rerun may send). */
export const READ_ONLY = /^\s*(SHOW|SELECT|DESC|DESCRIBE|USE)\b/i;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], options: { env: NodeJS.ProcessEnv; cwd: string }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t), isTTY: false },
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    stdinIsTTY: false,
    env: options.env,
    cwd: options.cwd,
  });
  return { code, stdout, stderr };
}

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Connection flags for the stand-in (the password comes from SNOWFLAKE_PASSWORD, never a flag). */
export function connectionArgs(standin: SnowflakeStandin): string[] {
  const u = standin.defaultUser;
  return ['--access-url', standin.accessUrl, '--account', standin.account, '--user', u.user, '--role', u.role, '--warehouse', u.warehouse];
}

export const DEMO_ANSWERS = ['--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', 'PROJECT_KEY_E2E', '--target', 'DEMO_DB.PUBLIC'];

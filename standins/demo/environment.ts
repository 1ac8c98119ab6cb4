/**
 * What the demo stands on: a temporary working folder (the CLI runs there: batch-snowflake.json, the Snowflake
 * connection in connections.toml, docker's credentials), the Snowflake stand-in with the demo data and the `full`
 * account profile, the Batch sandbox, and with docker a local registry with basic auth. The Snowflake user's
 * password is fresh and doubles as the registry password (reference §2.4: docker logs in with the Snowflake
 * user and password); it travels in env only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { saveProjectConfig } from '../../src/config/project-config.js';
import { connect } from '../../shared/snowflake/client.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { startBatchSandbox, type BatchSandbox } from '../batch/index.js';
import { DEFAULT_ACCOUNT_NAME, defaultUserConfig, startSnowflakeStandin, type SnowflakeStandin } from '../snowflake/index.js';
import { startRegistry, type TestRegistry } from '../../test/support/registry.js';
import { demoAnswers, TARGET_SCHEMA } from './data.js';

export interface DemoEnvironment {
  dir: string;
  snowflake: SnowflakeStandin;
  batch: BatchSandbox;
  registry: TestRegistry | null;
  /** Environment of every CLI call (connection from connections.toml, secrets in env). */
  cliEnv: NodeJS.ProcessEnv;
  /** A session as the demo user, through the real driver. */
  session(): Promise<SnowflakeSession>;
  /** Stops the stand-ins and the registry, removes the folder; safe to call more than once. */
  close(): Promise<void>;
}

export const CONNECTION_NAME = 'demo';

/** The caller's own Snowflake/Batch settings must not leak into the demo's CLI calls (nor its docker context). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SNOWFLAKE_|BATCH_|PRIVATE_KEY_PASSPHRASE$)/.test(k)));
}

function connectionsToml(snowflake: SnowflakeStandin): string {
  const u = snowflake.defaultUser;
  // No password here: it comes from SNOWFLAKE_PASSWORD, as it should on a real machine too.
  return [`[${CONNECTION_NAME}]`, `account = "${snowflake.account}"`, `user = "${u.user}"`, `role = "${u.role}"`, `warehouse = "${u.warehouse}"`,
    `database = "${u.database}"`, `schema = "${u.schema}"`, `access_url = "${snowflake.accessUrl}"`, ''].join('\n');
}

export async function startDemoEnvironment(options: { docker: { baseImage: string } | null }): Promise<DemoEnvironment> {
  const cleanups: Array<() => Promise<unknown>> = [];
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    })();
    return closing;
  };
  try {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'batch-snowflake-demo-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const registry = options.docker ? await startRegistry({ username: defaultUserConfig().name }) : null;
    if (registry) cleanups.push(() => registry.stop());
    const password = registry?.password ?? randomBytes(18).toString('base64url');
    const batch = await startBatchSandbox();
    cleanups.push(() => batch.close());
    const snowflake = await startSnowflakeStandin({
      seed: 'demo',
      profile: 'full',
      account: { name: DEFAULT_ACCOUNT_NAME, users: [{ ...defaultUserConfig(), password }] },
      ...(registry ? { registry: { host: registry.host, username: registry.username, password }, jobRunner: 'docker' as const } : { jobRunner: 'process' as const }),
    });
    cleanups.push(() => snowflake.close());

    const u = snowflake.defaultUser;
    const session = () => connect({ account: snowflake.account, accessUrl: snowflake.accessUrl, username: u.user, password, role: u.role, warehouse: u.warehouse, database: u.database, schema: u.schema });
    // A dedicated schema for the integration's objects, as an admin would prepare it (init suggests it when it exists).
    const admin = await session();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${TARGET_SCHEMA}`);
    } finally {
      await admin.destroy();
    }

    const snowflakeHome = path.join(dir, 'snowflake');
    await mkdir(snowflakeHome, { mode: 0o700 });
    await writeFile(path.join(snowflakeHome, 'connections.toml'), connectionsToml(snowflake), { mode: 0o600 });
    await saveProjectConfig(path.join(dir, 'batch-snowflake.json'), demoAnswers({ projectKey: batch.projectKey, batchApiHost: new URL(batch.apiUrl).host, role: u.role, warehouse: u.warehouse }));
    const dockerConfig = path.join(dir, 'docker');
    await mkdir(dockerConfig, { mode: 0o700 });
    const cliEnv: NodeJS.ProcessEnv = {
      ...cleanEnv(),
      SNOWFLAKE_HOME: snowflakeHome,
      SNOWFLAKE_DEFAULT_CONNECTION_NAME: CONNECTION_NAME,
      SNOWFLAKE_PASSWORD: password,
      SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
      BATCH_REST_API_KEY: batch.restApiKey,
      DOCKER_CONFIG: dockerConfig,
      NO_PROXY: ['127.0.0.1', process.env.NO_PROXY].filter(Boolean).join(','),
      ...(options.docker ? { BATCH_SNOWFLAKE_BASE_IMAGE: options.docker.baseImage } : {}),
    };
    return { dir, snowflake, batch, registry, cliEnv, session, close };
  } catch (error) {
    await close();
    throw error;
  }
}

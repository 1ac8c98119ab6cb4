/**
 * What the demo stands on: a temporary working folder (the CLI runs there: batch-snowflake.json, the Snowflake
 * connection in connections.toml, docker's credentials), the Snowflake stand-in with the demo data and the `full`
 * account profile, the Batch sandbox, and with docker a local registry behind the stand-in's registry gateway:
 * docker logs in as 0sessiontoken with the CLI's session token, as on Snowflake (registry-gateway.ts).
 * The demo signs in with a key pair, as the README's quick start does: an encrypted key made for this run in the
 * working folder (0600), its public half registered with `ALTER USER … SET RSA_PUBLIC_KEY`, the passphrase in env
 * only; after that set-up the account blocks password-only sign-in, as Snowflake does in 2026.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
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
import { createOrdersSource } from './orders.js';

export interface DemoEnvironment {
  dir: string;
  snowflake: SnowflakeStandin;
  batch: BatchSandbox;
  registry: TestRegistry | null;
  /** The account's registry host (the gateway docker logs in to), null without docker. */
  registryHost: string | null;
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

function connectionsToml(snowflake: SnowflakeStandin, keyFile: string): string {
  const u = snowflake.defaultUser;
  // No secret here: the key's passphrase comes from PRIVATE_KEY_PASSPHRASE, as it should on a real machine too.
  return [`[${CONNECTION_NAME}]`, `account = "${snowflake.account}"`, `user = "${u.user}"`, `role = "${u.role}"`, `warehouse = "${u.warehouse}"`,
    `database = "${u.database}"`, `schema = "${u.schema}"`, `access_url = "${snowflake.accessUrl}"`, 'authenticator = "SNOWFLAKE_JWT"',
    `private_key_file = ${JSON.stringify(keyFile)}`, ''].join('\n');
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
    const password = randomBytes(18).toString('base64url');
    const batch = await startBatchSandbox();
    cleanups.push(() => batch.close());
    const snowflake = await startSnowflakeStandin({
      seed: 'demo',
      profile: 'full',
      account: { name: DEFAULT_ACCOUNT_NAME, users: [{ ...defaultUserConfig(), password }] },
      ...(registry ? { registry: { host: registry.host, username: registry.username, password: registry.password }, jobRunner: 'docker' as const } : { jobRunner: 'process' as const }),
    });
    cleanups.push(() => snowflake.close());

    const u = snowflake.defaultUser;
    const keyFile = path.join(dir, 'rsa_key.p8');
    const passphrase = randomBytes(18).toString('base64url');
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await writeFile(keyFile, key.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }), { mode: 0o600 });
    const keyBody = key.publicKey.export({ type: 'spki', format: 'pem' }).toString().replace(/-----[A-Z ]+-----|\s/g, '');
    const target = { account: snowflake.account, accessUrl: snowflake.accessUrl, username: u.user, role: u.role, warehouse: u.warehouse, database: u.database, schema: u.schema };
    // The administrator's one-time set-up (with the password): the target schema and the user's public key.
    const admin = await connect({ ...target, password });
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${TARGET_SCHEMA}`);
      await createOrdersSource(admin);
      await admin.query(`ALTER USER ${u.user} SET RSA_PUBLIC_KEY = '${keyBody}'`);
    } finally {
      await admin.destroy();
    }
    snowflake.accounts.blockSingleFactorPasswords = true;
    const session = () => connect({ ...target, authenticator: 'SNOWFLAKE_JWT', privateKeyPath: keyFile, privateKeyPass: passphrase });

    const snowflakeHome = path.join(dir, 'snowflake');
    await mkdir(snowflakeHome, { mode: 0o700 });
    await writeFile(path.join(snowflakeHome, 'connections.toml'), connectionsToml(snowflake, keyFile), { mode: 0o600 });
    await saveProjectConfig(path.join(dir, 'batch-snowflake.json'), demoAnswers({ projectKey: batch.projectKey, batchApiHost: new URL(batch.apiUrl).host, role: u.role, warehouse: u.warehouse }));
    const dockerConfig = path.join(dir, 'docker');
    await mkdir(dockerConfig, { mode: 0o700 });
    const cliEnv: NodeJS.ProcessEnv = {
      ...cleanEnv(),
      SNOWFLAKE_HOME: snowflakeHome,
      SNOWFLAKE_DEFAULT_CONNECTION_NAME: CONNECTION_NAME,
      PRIVATE_KEY_PASSPHRASE: passphrase,
      SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
      BATCH_REST_API_KEY: batch.restApiKey,
      DOCKER_CONFIG: dockerConfig,
      NO_PROXY: ['127.0.0.1', process.env.NO_PROXY].filter(Boolean).join(','),
      ...(options.docker ? { BATCH_SNOWFLAKE_BASE_IMAGE: options.docker.baseImage } : {}),
    };
    return { dir, snowflake, batch, registry, registryHost: snowflake.registryGateway?.host ?? null, cliEnv, session, close };
  } catch (error) {
    await close();
    throw error;
  }
}

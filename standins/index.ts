/**
 * Both stand-ins at once, for tests and for `npm run sandbox`: the Snowflake stand-in (real snowflake-sdk
 * talks to it) and the Batch Profile API sandbox (the worker talks to it). Each call starts fresh servers
 * on free ports of 127.0.0.1 unless ports are given.
 */
import { startBatchSandbox, type BatchSandbox, type BatchSandboxOptions } from './batch/index.js';
import { startSnowflakeStandin, type SnowflakeStandin, type SnowflakeStandinOptions } from './snowflake/index.js';

export interface SandboxOptions {
  /** Snowflake seed: `demo` (customer table and view) or `empty`. Default demo. */
  seed?: 'demo' | 'empty';
  snowflake?: Omit<SnowflakeStandinOptions, 'seed'>;
  batch?: BatchSandboxOptions;
}

export interface Sandbox {
  snowflake: SnowflakeStandin;
  batch: BatchSandbox;
  /** What a client needs to reach both (the JSON line printed by `npm run sandbox`). */
  connection: SandboxConnection;
  /** Closes both; safe to call more than once. */
  close(): Promise<void>;
}

export interface SandboxConnection {
  snowflake: {
    accessUrl: string; account: string; user: string; password: string; role: string; warehouse: string; database: string; schema: string;
    /** With --registry: the account's registry host (docker login -u 0sessiontoken with a session token). */
    registryHost?: string;
  };
  batch: { apiUrl: string; projectKey: string; restApiKey: string };
  /** Where the stand-in's alerts deliver (webhook receiver + mailbox; GET <url>/_catcher/messages lists them). */
  notifications?: { catcherUrl: string };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const [snowflake, batch] = await Promise.allSettled([
    startSnowflakeStandin({ ...options.snowflake, seed: options.seed ?? 'demo' }),
    startBatchSandbox(options.batch),
  ]);
  if (snowflake.status === 'rejected' || batch.status === 'rejected') {
    // Do not leave the one that started listening behind.
    await Promise.allSettled([snowflake, batch].map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
    throw snowflake.status === 'rejected' ? snowflake.reason : (batch as PromiseRejectedResult).reason;
  }
  const sandbox = { snowflake: snowflake.value, batch: batch.value };
  let closing: Promise<void> | undefined;
  return {
    ...sandbox,
    connection: connectionInfo(sandbox),
    close: () => {
      closing ??= Promise.allSettled([sandbox.snowflake.close(), sandbox.batch.close()]).then((results) => {
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      });
      return closing;
    },
  };
}

function connectionInfo({ snowflake, batch }: { snowflake: SnowflakeStandin; batch: BatchSandbox }): SandboxConnection {
  const user = snowflake.defaultUser;
  return {
    snowflake: {
      accessUrl: snowflake.accessUrl,
      account: snowflake.account,
      user: user.user,
      password: user.password,
      role: user.role,
      warehouse: user.warehouse,
      database: user.database,
      schema: user.schema,
      ...(snowflake.registryGateway ? { registryHost: snowflake.registryGateway.host } : {}),
    },
    batch: { apiUrl: batch.apiUrl, projectKey: batch.projectKey, restApiKey: batch.restApiKey },
    ...(snowflake.runtime?.catcher ? { notifications: { catcherUrl: snowflake.runtime.catcher.url } } : {}),
  };
}

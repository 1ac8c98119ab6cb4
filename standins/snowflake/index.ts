/**
 * Snowflake stand-in: an HTTP server speaking Snowflake's REST/JSON protocol to the real, unmodified
 * snowflake-sdk, backed by an Engine (Snowflake SQL on DuckDB by default). See engine-types.ts for the
 * protocol/engine boundary and shared/reference/snowflake-sdk.md for the wire protocol.
 */
import { StandinAccount, type AccountConfig, type UserConfig } from './account.js';
import type { Engine } from './engine-types.js';
import { createEngine, SEED_DEFAULTS, SnowflakeEngine } from './engine/index.js';
import { AccountRuntime, type AccountRuntimeOptions } from './account-runtime.js';
import { ResultChunkStore } from './result-chunks.js';
import { listenStandin } from './server.js';
import { SessionRegistry } from './sessions.js';
import type { StandinState } from './server.js';
import type { StandinFaults } from './faults.js';
import { startRegistryGateway, type RegistryGateway } from './registry-gateway.js';

export { StandinAccount, type AccountConfig, type UserConfig } from './account.js';
export { publicKeyFingerprint } from './keypair-jwt.js';
export type { ResultChunkFault, SlowStatement, StandinFaults } from './faults.js';
export { AccountRuntime, type AccountRuntimeOptions } from './account-runtime.js';
export { builtinProfile, parseProfile, PROFILE_NAMES, type AccountProfile, type ProfileName } from './profiles.js';

/** Account profiles, SPCS, jobs and tasks (account-runtime.ts): spcs, profile, registry, jobRunner, taskTimeScale, … */
export interface SnowflakeStandinOptions extends AccountRuntimeOptions {
  port?: number;
  host?: '127.0.0.1';
  /** Engine to serve; by default the DuckDB engine with `seed`. A given engine is not closed by close(). */
  engine?: Engine;
  seed?: 'demo' | 'empty';
  /** Delay added to every query-request answer, for benchmarks (setStatementLatency changes it later). */
  latencyMs?: number;
  /** Test fault injection from the start (faults.ts; setFaults changes it later). */
  faults?: StandinFaults;
  /** Rows per result chunk; results longer than this are served in chunks. Default 10 000. */
  chunkRows?: number;
  /** Users and credentials; default: one password user (see defaultUser). */
  account?: AccountConfig;
  /**
   * Session token validity (Snowflake: 3600 s) and master token validity (14400 s). The session token is also
   * the image registry credential (registry-gateway.ts), so a short validity makes a slow build outlive it.
   */
  sessionTokenValiditySeconds?: number;
  masterTokenValiditySeconds?: number;
}

export interface DefaultUser {
  user: string;
  password: string;
  role: string;
  warehouse: string;
  database: string;
  schema: string;
}

export interface SnowflakeStandin {
  accessUrl: string;
  port: number;
  /** Account name to pass as the driver's `account` option. */
  account: string;
  defaultUser: DefaultUser;
  accounts: StandinAccount;
  engine: Engine;
  /** Profiles, tasks (await runs: runtime.tasks.waitForRun) and jobs; null when a non-DuckDB engine was given. */
  runtime: AccountRuntime | null;
  /**
   * With the `registry` option: the account's registry host (`127.0.0.1:PORT`, what repository_url names), the
   * stand-in's session-token authentication in front of that registry. Null without a registry.
   */
  registryGateway: RegistryGateway | null;
  /** What the server saw (telemetry batches, aborted request ids, logins, open sessions). */
  observed: StandinState['observed'] & { openSessions(): number; heartbeats(): number };
  /** Makes every current session token expired; the driver then renews it with its master token. */
  expireSessionTokens(): void;
  /** Test fault injection (faults.ts): replaces the current faults; `{}` clears them. */
  setFaults(faults: StandinFaults): void;
  /** Milliseconds added to every statement's answer from now on. */
  setStatementLatency(ms: number): void;
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNT_NAME = SEED_DEFAULTS.account;

/**
 * The seeded user (the engine's seed creates it with these defaults; the engine also checks that a
 * logging-in user exists in its catalog, so extra AccountConfig users need a CREATE USER there too).
 */
export function defaultUserConfig(): UserConfig {
  return {
    name: SEED_DEFAULTS.user,
    password: SEED_DEFAULTS.password,
    defaultRole: SEED_DEFAULTS.role,
    defaultWarehouse: SEED_DEFAULTS.warehouse,
    defaultDatabase: SEED_DEFAULTS.database,
    defaultSchema: SEED_DEFAULTS.schema,
  };
}

export async function startSnowflakeStandin(options: SnowflakeStandinOptions = {}): Promise<SnowflakeStandin> {
  const accountConfig = options.account ?? { name: DEFAULT_ACCOUNT_NAME, users: [defaultUserConfig()] };
  const accounts = new StandinAccount(accountConfig);
  const firstUser = accountConfig.users?.[0];
  const ownsEngine = !options.engine;
  const engine = options.engine ?? (await createEngine({ seed: options.seed ?? 'demo' }));
  let port = 0;
  const runtime = engine instanceof SnowflakeEngine
    ? await AccountRuntime.install(engine, accounts, options, options.seed ?? 'demo', () => ({ host: '127.0.0.1', port }))
    : null;
  const state: StandinState = {
    account: accounts,
    engine,
    sessions: new SessionRegistry({
      sessionSeconds: options.sessionTokenValiditySeconds ?? 3600,
      masterSeconds: options.masterTokenValiditySeconds ?? 14400,
    }),
    chunkStore: new ResultChunkStore(),
    latencyMs: options.latencyMs ?? 0,
    chunkRows: Math.max(1, options.chunkRows ?? 10_000),
    faults: options.faults ?? {},
    baseUrl: '',
    observed: { telemetryBatches: 0, abortedRequestIds: [], logins: 0, loginLog: [], statements: [] },
  };
  const running = await listenStandin(state, options.port ?? 0, options.host ?? '127.0.0.1');
  port = running.port;
  const registryGateway = options.registry ? await startRegistryGateway(options.registry, state.sessions) : null;
  if (registryGateway && engine instanceof SnowflakeEngine) engine.core.catalog.registryHost = registryGateway.host;
  let closed = false;
  return {
    accessUrl: state.baseUrl,
    port: running.port,
    account: accounts.name,
    defaultUser: {
      user: firstUser?.name.toUpperCase() ?? '',
      password: firstUser?.password ?? '',
      role: runtime?.profile?.defaultRole ?? firstUser?.defaultRole ?? '',
      warehouse: firstUser?.defaultWarehouse ?? '',
      database: firstUser?.defaultDatabase ?? '',
      schema: firstUser?.defaultSchema ?? '',
    },
    accounts,
    engine,
    runtime,
    registryGateway,
    observed: Object.assign(state.observed, {
      openSessions: () => state.sessions.all().length,
      heartbeats: () => state.sessions.all().reduce((n, s) => n + s.heartbeats, 0),
    }),
    expireSessionTokens: () => state.sessions.expireSessionTokens(),
    setFaults: (faults: StandinFaults) => void (state.faults = faults),
    setStatementLatency: (ms: number) => void (state.latencyMs = Math.max(0, ms)),
    async close() {
      if (closed) return;
      closed = true;
      await runtime?.close();
      await registryGateway?.close();
      await running.close();
      for (const session of state.sessions.all()) {
        state.sessions.remove(session);
        await session.engineSession.close().catch(() => undefined);
      }
      if (ownsEngine) await engine.close();
    },
  };
}

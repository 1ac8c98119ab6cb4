/**
 * Installs account profiles, SPCS availability, job services and tasks onto A2's engine through its hooks
 * (statement, queryReplacements, authorizeQuery, Authorizer). Without a profile privileges are not enforced (every
 * role may do everything, as before); with one, statements fail with Snowflake's access-control errors.
 */
import type { StandinAccount } from './account.js';
import { SEED_DEFAULTS, Session, type SnowflakeEngine } from './engine/index.js';
import { spcsUnavailable } from './engine/grants/access-errors.js';
import { PrivilegeModel } from './engine/grants/privilege-model.js';
import { StatementGuard } from './engine/grants/statement-guard.js';
import type { Token } from './engine/lexer.js';
import { TaskRuntime } from './engine/tasks/task-runtime.js';
import { AlertRuntime } from './engine/alerts/alert-runtime.js';
import { NotificationCatcher } from '../notifications/catcher.js';
import { DockerJobRunner, dockerAvailable, ProcessJobRunner, type RegistryConfig } from './jobs/container-runner.js';
import { JobRegistry } from './jobs/job-registry.js';
import { UserStatements } from './user-statements.js';
import { showImages } from './images.js';
import { resolveProfile, SYSTEM_GRANTS, type AccountProfile, type ProfileName } from './profiles.js';

export interface AccountRuntimeOptions {
  /** Snowpark Container Services available (default true); off: its statements fail as reference §2.1. */
  spcs?: boolean;
  /** Account profile (roles and grants, enforced); default none: nothing is enforced. */
  profile?: ProfileName | AccountProfile;
  /** Local registry behind the account's registry host (registry-gateway.ts), with its own credentials. */
  registry?: RegistryConfig;
  /** How EXECUTE JOB SERVICE runs containers; `auto` (default): docker when a registry is set and dockerd answers. */
  jobRunner?: 'docker' | 'process' | 'auto';
  /** Process runner command (default: node + tsx on worker/main.ts); the spec's args are appended. */
  processEntry?: string[];
  /** Virtual seconds per real second for task schedules (default 1). */
  taskTimeScale?: number;
  /** A job container is killed after this long (default 10 minutes). */
  jobTimeoutMs?: number;
  /** Where notifications go (webhook receiver + mailbox); default: a catcher the runtime starts (runtime.catcher). */
  notificationCatcherUrl?: string;
  /** Triggered tasks available (default true); off models an account without the feature (task-triggers.ts). */
  triggeredTasks?: boolean;
  /** Stand-in knob: lowest USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS accepted (default the documented 10). */
  triggerIntervalFloorSeconds?: number;
}

type Runner = DockerJobRunner | ProcessJobRunner;

/** SPCS statements (reference §2.1: SHOW COMPUTE POOLS errors on an account without SPCS). */
function spcsFeature(tokens: Token[]): string | null {
  const words = tokens.slice(0, 6).map((t) => (t.type === 'word' ? t.value : '')).join(' ');
  const m = /^(?:CREATE (?:OR REPLACE )?|ALTER |DROP |DESC |DESCRIBE |SHOW )(COMPUTE POOLS?|IMAGE REPOSITOR(?:Y|IES)|IMAGES|(?:JOB )?SERVICES?|SERVICE CONTAINERS)\b/.exec(words)
    ?? /^(EXECUTE JOB SERVICE)/.exec(words);
  if (m) return m[1]!;
  const fn = tokens.find((t) => t.type === 'word' && (t.value === 'SYSTEM$GET_SERVICE_LOGS' || t.value === 'SYSTEM$GET_SERVICE_STATUS'));
  return fn ? fn.value : null;
}

export class AccountRuntime {
  readonly tasks: TaskRuntime;
  readonly jobs: JobRegistry;
  readonly model: PrivilegeModel | null;
  readonly users: UserStatements;
  readonly alerts: AlertRuntime;
  /** The notification catcher this runtime started (null when notificationCatcherUrl was given). */
  catcher: NotificationCatcher | null = null;
  private runner: Promise<Runner> | undefined;

  private constructor(
    readonly engine: SnowflakeEngine,
    readonly accounts: StandinAccount,
    readonly profile: AccountProfile | null,
    readonly options: AccountRuntimeOptions,
    target: () => { host: string; port: number },
  ) {
    const { core } = engine;
    this.users = new UserStatements(accounts);
    this.model = profile ? new PrivilegeModel(core.catalog) : null;
    this.jobs = new JobRegistry({
      accounts, model: this.model, target, timeoutMs: options.jobTimeoutMs ?? 600_000,
      run: async (container) => (await this.getRunner()).run(container),
    });
    this.tasks = new TaskRuntime({ core, model: this.model, timeScale: options.taskTimeScale ?? 1, jobOf: (s) => this.jobs.jobOf(s) });
    this.alerts = new AlertRuntime({ core, model: this.model, clock: this.tasks.scheduler, catcherUrl: () => options.notificationCatcherUrl ?? this.catcher?.url ?? 'http://127.0.0.1:9' });
    this.tasks = new TaskRuntime({ core, model: this.model, timeScale: options.taskTimeScale ?? 1, jobOf: (s) => this.jobs.jobOf(s),
      triggers: { available: options.triggeredTasks ?? true, floorSeconds: options.triggerIntervalFloorSeconds ?? 10 } });
    const guard = this.model ? new StatementGuard(this.model) : null;
    if (this.model) core.authz = this.model;
    core.hooks.statement = async (session, sql, tokens) => {
      const feature = options.spcs === false ? spcsFeature(tokens) : null;
      if (feature) throw spcsUnavailable(feature);
      guard?.check(session, sql, tokens);
      const images = options.registry ? await showImages(session, sql, tokens, options.registry) : undefined;
      return images ?? this.users.handle(session, sql, tokens) ?? (await this.jobs.handle(session, sql, tokens)) ?? (await this.tasks.handle(session, sql, tokens)) ?? (await this.alerts.handle(session, sql, tokens));
    };
    core.hooks.queryReplacements = async (session, sql, tokens) => new Map([...(await this.tasks.replacements(session, sql, tokens)), ...this.jobs.replacements(session, sql, tokens), ...this.alerts.replacements(session, sql, tokens)]);
    if (guard) core.hooks.authorizeQuery = (session, kind, objects) => guard.authorizeQuery(session, kind, objects);
  }

  static async install(engine: SnowflakeEngine, accounts: StandinAccount, options: AccountRuntimeOptions, seed: 'demo' | 'empty', target: () => { host: string; port: number }): Promise<AccountRuntime> {
    // Access control holds in every account: without a named profile the account is the 'full' one (SYSADMIN has
    // what the wizard needs, PUBLIC only what Snowflake gives it), never an account where nothing is checked.
    const profile = resolveProfile(options.profile ?? 'full', seed);
    const runtime = new AccountRuntime(engine, accounts, profile, options, target);
    if (options.registry) runtime.useRegistry(options.registry);
    if (!options.notificationCatcherUrl) {
      runtime.catcher = await NotificationCatcher.start();
      runtime.catcher.onVerify = (token) => runtime.alerts.deliveries.followLink(token);
    }
    if (profile) await runtime.applyProfile(profile);
    return runtime;
  }

  /** Runs SQL as ACCOUNTADMIN (for tests: grants an administrator would make). */
  async runAsAdmin(sql: string): Promise<void> {
    const session = await Session.open(this.engine.core, { user: SEED_DEFAULTS.user, role: 'ACCOUNTADMIN', warehouse: SEED_DEFAULTS.warehouse, database: SEED_DEFAULTS.database, schema: SEED_DEFAULTS.schema });
    try {
      await session.execute(sql, []);
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.tasks.close();
    await this.alerts.close();
    await this.catcher?.close();
    await this.jobs.close();
    await (await this.runner?.catch(() => undefined))?.close();
  }

  /**
   * Repository URLs name the account's registry (reference §2.4): index.ts puts the stand-in's session-token
   * gateway (registry-gateway.ts) in front of this registry and names the gateway; jobs pull from the registry
   * itself with its own credentials, as SPCS pulls images inside Snowflake.
   */
  private useRegistry(registry: RegistryConfig): void {
    this.engine.core.catalog.registryHost = registry.host;
  }

  private async applyProfile(profile: AccountProfile): Promise<void> {
    const { catalog } = this.engine.core;
    for (const [role, privileges] of SYSTEM_GRANTS) {
      for (const privilege of privileges) catalog.grants.push({ privilege, grantedOn: 'ACCOUNT', name: catalog.account_name, granteeKind: 'ROLE', grantee: role, grantOption: true, grantedBy: '', createdOn: new Date() });
    }
    for (const sql of profile.setup) await this.runAsAdmin(sql);
    const user = SEED_DEFAULTS.user;
    for (let i = catalog.grants.length - 1; i >= 0; i--) {
      const g = catalog.grants[i]!;
      if (g.granteeKind === 'USER' && g.grantee === user && g.grantedOn === 'ROLE') catalog.grants.splice(i, 1);
    }
    for (const role of profile.userRoles) {
      if (!catalog.accountObjects('ROLE').has(role)) throw new Error(`account profile ${profile.name}: role ${role} does not exist (create it in setup)`);
      catalog.grants.push({ privilege: 'USAGE', grantedOn: 'ROLE', name: role, granteeKind: 'USER', grantee: user, grantOption: false, grantedBy: 'SECURITYADMIN', createdOn: new Date() });
    }
    const entry = catalog.accountObjects('USER').get(user);
    if (entry) entry.props.DEFAULT_ROLE = profile.defaultRole;
    const account = this.accounts.getUser(user);
    if (account) account.defaultRole = profile.defaultRole;
  }

  private getRunner(): Promise<Runner> {
    this.runner ??= (async () => {
      const { jobRunner = 'auto', registry, processEntry } = this.options;
      const docker = jobRunner === 'docker' || (jobRunner === 'auto' && registry !== undefined && (await dockerAvailable()));
      if (!docker) return new ProcessJobRunner(processEntry);
      if (!registry) throw new Error("jobRunner 'docker' needs the registry option (host and credentials)");
      return DockerJobRunner.create(registry);
    })();
    return this.runner;
  }
}

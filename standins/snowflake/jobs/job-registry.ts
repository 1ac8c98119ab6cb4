/**
 * Job services and long-running services (long-service.ts: CREATE SERVICE, ALTER SERVICE SUSPEND | RESUME) kept by
 * the stand-in and the statements about them: EXECUTE JOB SERVICE, SHOW [JOB] SERVICES (service-show.ts),
 * DESC[RIBE] SERVICE, SHOW SERVICE CONTAINERS IN SERVICE, DROP SERVICE (reference §3.5: OWNERSHIP), and
 * SYSTEM$GET_SERVICE_LOGS(name, instance, container[, lines]) (§3.4: MONITOR on the service, up to 100 KB).
 * SHOW columns: reference §7 (SHOW SERVICES); containers: §3.4 (`status` DONE/FAILED, `message` "Completed
 * successfully"), the other container columns are the stand-in's choice.
 */
import type { EngineResult } from '../engine-types.js';
import { qualifiedName, sqlString } from '../engine/catalog.js';
import { Cursor } from '../engine/cursor.js';
import { kindDoesNotExist, syntaxError } from '../engine/errors.js';
import { isOp, isWord, type Token } from '../engine/lexer.js';
import { parseNameString, qualify } from '../engine/names.js';
import { statusResult, type Session } from '../engine/session.js';
import { executeJob, type JobContext } from './job-service.js';
import { alterService, createService, parseCreateService, serviceStatusJson, stopService } from './long-service.js';
import { describeService, readFilter, showContainers, showServices } from './service-show.js';
import { parseJobStatement } from './job-spec.js';
import { accountUsageViews } from './account-usage-metering.js';

export interface JobContainerState {
  name: string;
  image: string;
  status: 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED' | 'CANCELLED' | 'SUSPENDED';
  message: string;
  exitCode: number | null;
  logs: string;
  /** Restarts of a long-running service's container after it exited (long-service.ts). */
  restartCount: number;
}

export interface JobService {
  /**
   * SERVICE_ID (Account Usage SERVICES, https://docs.snowflake.com/en/sql-reference/account-usage/services), which is
   * also TASK_HISTORY.SPCS_JOB_ID ("corresponds to the SERVICE_ID column in ACCOUNT_USAGE.SERVICES",
   * https://docs.snowflake.com/en/release-notes/bcr-bundles/2026_02/bcr-2182). Assigned when registered.
   */
  id: number;
  /** Set by DROP SERVICE (Account Usage keeps dropped services). */
  deletedOn?: Date;
  database: string;
  schema: string;
  name: string;
  /** EXECUTE JOB SERVICE (true) or CREATE SERVICE (a long-running service, long-service.ts). */
  isJob: boolean;
  owner: string;
  computePool: string;
  /** Jobs: RUNNING → DONE | FAILED | CANCELLED. Long-running services: PENDING → RUNNING ⇄ SUSPENDED (ALTER SERVICE). */
  status: 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED' | 'CANCELLED' | 'SUSPENDED';
  suspendedOn: Date | null;
  createdOn: Date;
  updatedOn: Date;
  comment: string | null;
  externalAccessIntegrations: string[];
  queryWarehouse: string | null;
  async: boolean;
  specText: string;
  containers: JobContainerState[];
  /** Settles when every container has exited. */
  done: Promise<void>;
  /** Stops a running job: its containers are killed and it ends CANCELLED. */
  stop(): void;
}

export class JobRegistry {
  readonly services = new Map<string, JobService>();
  /** Every job ever started, dropped ones included (ACCOUNT_USAGE.SERVICES). */
  private readonly everyJob: JobService[] = [];
  private readonly lastJob = new WeakMap<Session, number>();
  /** Service ids are large account-wide numbers in Snowflake; their values are not documented. */
  private nextId = 4_100_000_001;

  constructor(private readonly context: Omit<JobContext, 'register' | 'exists'>) {}

  /** The id of the job service the session started last (TASK_HISTORY.SPCS_JOB_ID, a NUMBER). */
  jobOf(session: Session): number | null {
    return this.lastJob.get(session) ?? null;
  }

  /** A job by SERVICE_ID, dropped ones included. */
  byId(id: number): JobService | undefined {
    return this.everyJob.find((s) => s.id === id);
  }

  private register(service: JobService): void {
    service.id = this.nextId++;
    this.services.set(qualifiedName(service), service);
    this.everyJob.push(service);
  }

  async handle(session: Session, sql: string, tokens: Token[]): Promise<EngineResult | undefined> {
    const job = parseJobStatement(sql, tokens);
    if (job) {
      const { service, result } = await executeJob({ ...this.context, register: (s) => this.register(s), exists: (n) => this.services.has(n) }, session, job);
      this.lastJob.set(session, service.id);
      // ASYNC = TRUE returns at once (reference §3.1); the text is UNCONFIRMED.
      if (job.async) {
        result.catch(() => undefined);
        return statusResult('OTHER', `Job ${service.name} started.`);
      }
      return result;
    }
    const created = parseCreateService(sql, tokens);
    if (created) {
      const exists = this.services.has(qualifiedName(qualify(created.name, session.context)));
      if (exists && created.ifNotExists) return statusResult('DDL', `${created.name.at(-1)} already exists, statement succeeded.`);
      const service = createService({ ...this.context, register: (s) => this.register(s), exists: (n) => this.services.has(n), all: () => [...this.services.values()] } as JobContext, session, created);
      return statusResult('DDL', `Service ${service.name} successfully created.`);
    }
    const c = new Cursor(sql, tokens);
    if (c.accept('ALTER', 'SERVICE')) return this.alter(session, c);
    if (c.accept('SHOW', 'SERVICE', 'CONTAINERS', 'IN', 'SERVICE')) return showContainers(this.find(session, c.name()));
    const jobsOnly = c.accept('SHOW', 'JOB', 'SERVICES');
    if (jobsOnly || c.accept('SHOW', 'SERVICES')) {
      const { filter, scope } = readFilter(c, session, jobsOnly);
      return showServices(this.visible(session).filter(scope), filter);
    }
    if (c.accept('DESC', 'SERVICE') || c.accept('DESCRIBE', 'SERVICE')) return describeService(this.find(session, c.name()));
    if (c.accept('DROP', 'SERVICE')) return this.drop(session, c);
    if (c.accept('ALTER', 'COMPUTE', 'POOL')) this.stopAll(session, c);
    return undefined;
  }

  /**
   * `ALTER COMPUTE POOL [IF EXISTS] <pool> STOP ALL` (Snowflake docs; not in our reference) stops the pool's
   * services and jobs. The engine answers the statement (existence, OWNERSHIP); the running jobs stop here.
   */
  private stopAll(session: Session, c: Cursor): void {
    c.accept('IF', 'EXISTS');
    const [pool] = c.name(1) as [string];
    if (!c.accept('STOP', 'ALL') || !c.atEnd()) return;
    if (!session.core.catalog.accountObjects('COMPUTE POOL').has(pool)) return; // the engine reports it
    session.core.authz.check(session.context.role, 'OWNERSHIP', 'COMPUTE POOL', pool);
    for (const service of this.services.values()) if (service.computePool === pool && service.status === 'RUNNING') service.stop();
  }

  /** SYSTEM$GET_SERVICE_LOGS calls → string literals; SNOWFLAKE.ACCOUNT_USAGE views → inline relations. */
  replacements(session: Session, sql: string, tokens: Token[]): Map<number, [number, string]> {
    const map = accountUsageViews(session, tokens, this.everyJob);
    tokens.forEach((t, i) => {
      if (isWord(t, 'SYSTEM$GET_SERVICE_STATUS')) {
        const name = tokens[i + 2];
        if (!isOp(tokens[i + 1], '(') || name?.type !== 'string') throw syntaxError(sql, t.pos);
        let k = i + 3;
        while (k < tokens.length && !isOp(tokens[k], ')')) k++;
        map.set(i, [k + 1, sqlString(serviceStatusJson(this.find(session, parseNameString(name.value))))]);
        return;
      }
      if (!isWord(t, 'SYSTEM$GET_SERVICE_LOGS')) return;
      const args: Token[] = [];
      let k = i + 2;
      if (!isOp(tokens[i + 1], '(')) throw syntaxError(sql, t.pos);
      for (; k < tokens.length && !isOp(tokens[k], ')'); k++) if (!isOp(tokens[k], ',')) args.push(tokens[k]!);
      const [name, instance, container, lines] = args;
      if (name?.type !== 'string' || instance?.type !== 'number' || container?.type !== 'string' || k >= tokens.length) throw syntaxError(sql, t.pos);
      const service = this.find(session, parseNameString(name.value));
      const state = service.containers.find((x) => x.name === container.value);
      if (instance.value !== '0' || !state) throw kindDoesNotExist('CONTAINER', `${container.value}' of instance '${instance.value}`);
      let text = state.logs;
      if (lines?.type === 'number') text = text.split('\n').filter((l, n, all) => n < all.length - 1 || l !== '').slice(-Number(lines.value)).join('\n');
      map.set(i, [k + 1, sqlString(text)]);
    });
    return map;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.services.values()].map((s) => (s.isJob ? s.done : stopService(s))));
  }

  /** ALTER SERVICE [IF EXISTS] <name> SUSPEND | RESUME: OPERATE or OWNERSHIP (only the owner role holds either here). */
  private async alter(session: Session, c: Cursor): Promise<EngineResult | undefined> {
    const ifExists = c.accept('IF', 'EXISTS');
    const parts = c.name();
    const action = c.accept('SUSPEND') ? 'SUSPEND' : c.accept('RESUME') ? 'RESUME' : null;
    if (!action || !c.atEnd()) return undefined;
    let service: JobService;
    try {
      service = this.find(session, parts);
    } catch (error) {
      if (ifExists) return statusResult('DDL', 'Statement executed successfully.');
      throw error;
    }
    // find(): only the owner role sees the service here (grants on services are not modelled), so it may operate it.
    return alterService(service, action);
  }

  private visible(session: Session): JobService[] {
    const { model } = this.context;
    return [...this.services.values()].filter((s) => !model || model.owns(session.context.role, s.owner));
  }

  /** Missing, or not visible to the role (only its owner has privileges on a job service): does not exist. */
  private find(session: Session, parts: string[]): JobService {
    const q = qualify(parts, session.context);
    const service = this.services.get(qualifiedName(q));
    const { model } = this.context;
    if (!service || (model && !model.owns(session.context.role, service.owner))) throw kindDoesNotExist('SERVICE', parts.join('.'));
    return service;
  }

  private async drop(session: Session, c: Cursor): Promise<EngineResult> {
    const ifExists = c.accept('IF', 'EXISTS');
    const parts = c.name();
    let service: JobService;
    try {
      service = this.find(session, parts);
    } catch (error) {
      if (ifExists) return statusResult('DDL', `Drop statement executed successfully (${parts.join('.')} already dropped).`);
      throw error;
    }
    if (!service.isJob) await stopService(service);
    this.services.delete(qualifiedName(service));
    service.deletedOn = new Date();
    const { catalog } = session.core;
    catalog.accountObjects('USER').delete(service.name);
    const grant = catalog.grants.findIndex((g) => g.granteeKind === 'USER' && g.grantee === service.name && g.grantedOn === 'ROLE');
    if (grant >= 0) catalog.grants.splice(grant, 1);
    return statusResult('DDL', `${service.name} successfully dropped.`);
  }
}


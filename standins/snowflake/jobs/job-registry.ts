/**
 * Job services kept by the stand-in and the statements about them: EXECUTE JOB SERVICE, SHOW [JOB] SERVICES,
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
import { parseNameString, qualify, qualifySchema } from '../engine/names.js';
import { statusResult, type Session } from '../engine/session.js';
import { showResult, type ShowFilter, type ShowRow } from '../engine/show-format.js';
import { executeJob, type JobContext } from './job-service.js';
import { parseJobStatement } from './job-spec.js';
import { accountUsageViews } from './account-usage-metering.js';

export interface JobContainerState {
  name: string;
  image: string;
  status: 'RUNNING' | 'DONE' | 'FAILED' | 'CANCELLED';
  message: string;
  exitCode: number | null;
  logs: string;
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
  owner: string;
  computePool: string;
  status: 'RUNNING' | 'DONE' | 'FAILED' | 'CANCELLED';
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
    const c = new Cursor(sql, tokens);
    if (c.accept('SHOW', 'SERVICE', 'CONTAINERS', 'IN', 'SERVICE')) return showContainers(this.find(session, c.name()));
    if (c.accept('SHOW', 'JOB', 'SERVICES') || c.accept('SHOW', 'SERVICES')) {
      const { filter, scope } = readFilter(c, session);
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
    await Promise.allSettled([...this.services.values()].map((s) => s.done));
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

  private drop(session: Session, c: Cursor): EngineResult {
    const ifExists = c.accept('IF', 'EXISTS');
    const parts = c.name();
    let service: JobService;
    try {
      service = this.find(session, parts);
    } catch (error) {
      if (ifExists) return statusResult('DDL', `Drop statement executed successfully (${parts.join('.')} already dropped).`);
      throw error;
    }
    this.services.delete(qualifiedName(service));
    service.deletedOn = new Date();
    const { catalog } = session.core;
    catalog.accountObjects('USER').delete(service.name);
    const grant = catalog.grants.findIndex((g) => g.granteeKind === 'USER' && g.grantee === service.name && g.grantedOn === 'ROLE');
    if (grant >= 0) catalog.grants.splice(grant, 1);
    return statusResult('DDL', `${service.name} successfully dropped.`);
  }
}

/**
 * `SHOW [JOB] SERVICES [EXCLUDE JOBS] [LIKE '…'] [IN ACCOUNT | DATABASE [<db>] | SCHEMA [<schema>] | COMPUTE POOL
 * <pool>] [STARTS WITH '…'] [LIMIT n]` (Snowflake docs, SHOW SERVICES; our reference lists only the columns, §7).
 * A named database or schema that does not exist is an error, as for other SHOW … IN commands.
 */
function readFilter(c: Cursor, session: Session): { filter: ShowFilter; scope: (s: JobService) => boolean } {
  const filter: ShowFilter = {};
  let scope = (s: JobService) => s !== undefined;
  let excludeJobs = false;
  const { catalog } = session.core;
  const named = () => !c.atEnd() && !['STARTS', 'LIMIT'].some((w) => isWord(c.peek(), w));
  while (!c.atEnd()) {
    if (c.accept('EXCLUDE', 'JOBS')) excludeJobs = true;
    else if (c.accept('LIKE')) filter.like = c.string();
    else if (c.accept('STARTS', 'WITH')) filter.startsWith = c.string();
    else if (c.accept('LIMIT')) filter.limit = Number(c.value());
    else if (c.accept('IN', 'ACCOUNT')) scope = () => true;
    else if (c.accept('IN', 'COMPUTE', 'POOL')) {
      const [pool] = c.name(1) as [string];
      if (!catalog.accountObjects('COMPUTE POOL').has(pool)) throw kindDoesNotExist('COMPUTE POOL', pool);
      scope = (s) => s.computePool === pool;
    } else if (c.accept('IN', 'DATABASE')) {
      const database = named() ? c.name(1)[0]! : session.context.database;
      if (!database || !catalog.databases.has(database)) throw kindDoesNotExist('DATABASE', database ?? '');
      scope = (s) => s.database === database;
    } else if (c.accept('IN', 'SCHEMA') || c.accept('IN')) {
      const q = named() ? qualifySchema(c.name(2), session.context) : { database: session.context.database, schema: session.context.schema };
      if (!q.database || !q.schema || !catalog.schema(q.database, q.schema)) throw kindDoesNotExist('SCHEMA', `${q.database}.${q.schema}`);
      scope = (s) => s.database === q.database && s.schema === q.schema;
    } else throw c.error();
  }
  // Every service the stand-in keeps is a job service: EXCLUDE JOBS leaves none.
  return { filter, scope: (s) => !excludeJobs && scope(s) };
}

export const SERVICE_COLUMNS = [
  'name', 'status', 'database_name', 'schema_name', 'owner', 'compute_pool', 'dns_name', 'current_instances', 'target_instances',
  'min_ready_instances', 'min_instances', 'max_instances', 'auto_resume', 'external_access_integrations', 'created_on', 'updated_on',
  'resumed_on', 'suspended_on', 'auto_suspend_secs', 'comment', 'owner_role_type', 'query_warehouse', 'is_job', 'is_async_job',
  'spec_digest', 'is_upgrading', 'managing_object_domain', 'managing_object_name',
];

const CONTAINER_COLUMNS = ['database_name', 'schema_name', 'service_name', 'instance_id', 'container_name', 'status', 'message', 'image_name', 'image_digest', 'restart_count', 'start_time', 'last_exit_code'];

function serviceRow(s: JobService): ShowRow {
  const running = s.status === 'RUNNING' ? '1' : '0';
  return {
    name: s.name, status: s.status, database_name: s.database, schema_name: s.schema, owner: s.owner, compute_pool: s.computePool,
    dns_name: `${s.name.toLowerCase().replace(/_/g, '-')}.${s.schema.toLowerCase().replace(/_/g, '-')}.${s.database.toLowerCase().replace(/_/g, '-')}.snowflakecomputing.internal`,
    current_instances: running, target_instances: '1', min_ready_instances: '1', min_instances: '1', max_instances: '1', auto_resume: 'false',
    external_access_integrations: JSON.stringify(s.externalAccessIntegrations), created_on: s.createdOn, updated_on: s.updatedOn, resumed_on: null,
    suspended_on: null, auto_suspend_secs: '0', comment: s.comment, owner_role_type: 'ROLE', query_warehouse: s.queryWarehouse, is_job: 'true',
    is_async_job: String(s.async), spec_digest: null, is_upgrading: 'false', managing_object_domain: null, managing_object_name: null,
  };
}

export function showServices(services: JobService[], filter: ShowFilter): EngineResult {
  return showResult(SERVICE_COLUMNS, services.sort((a, b) => a.name.localeCompare(b.name)).map(serviceRow), filter);
}

export function describeService(service: JobService): EngineResult {
  return showResult([...SERVICE_COLUMNS, 'spec'], [{ ...serviceRow(service), spec: service.specText }]);
}

export function showContainers(service: JobService): EngineResult {
  const rows = service.containers.map((c): ShowRow => ({
    database_name: service.database, schema_name: service.schema, service_name: service.name, instance_id: '0', container_name: c.name,
    status: c.status, message: c.message, image_name: c.image, image_digest: null, restart_count: '0', start_time: service.createdOn.toISOString(),
    last_exit_code: c.exitCode === null ? null : String(c.exitCode),
  }));
  return showResult(CONTAINER_COLUMNS, rows, {}, 'container_name');
}

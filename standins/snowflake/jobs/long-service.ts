/**
 * Long-running services (https://docs.snowflake.com/en/developer-guide/snowpark-container-services/working-with-services):
 * "A long-running is like a web service that does not end automatically. … if a service container stops, for
 * whatever reason, Snowflake restarts that container so the service runs uninterrupted."
 *   CREATE SERVICE [IF NOT EXISTS] <name> IN COMPUTE POOL <pool> FROM SPECIFICATION <text> [properties]
 *     (https://docs.snowflake.com/en/sql-reference/sql/create-service: the pool, then the specification, then the
 *     optional properties in the documented order; no OR REPLACE: "If a service with that name already exists,
 *     use the DROP SERVICE command"). The same checks as a job (job-service.ts prepareService).
 *   ALTER SERVICE [IF EXISTS] <name> { SUSPEND | RESUME } (https://docs.snowflake.com/en/sql-reference/sql/alter-service):
 *     OPERATE or OWNERSHIP; suspending stops the containers, resuming starts them again.
 *   SYSTEM$GET_SERVICE_STATUS(<name>) (https://docs.snowflake.com/en/sql-reference/functions/system_get_service_status):
 *     a JSON array, one object per container (status, message, containerName, instanceId, serviceName, image,
 *     restartCount, startTime).
 * DROP SERVICE, SHOW SERVICES and SYSTEM$GET_SERVICE_LOGS are the registry's (job-registry.ts), shared with jobs.
 * The delay before a restart is not documented: the stand-in waits RESTART_DELAY_MS.
 */
import type { EngineResult } from '../engine-types.js';
import { Cursor } from '../engine/cursor.js';
import { SnowflakeSqlError } from '../engine/errors.js';
import type { Token } from '../engine/lexer.js';
import { statusResult, type Session } from '../engine/session.js';
import { createServiceUser, LOG_LIMIT, prepareService, type JobContext } from './job-service.js';
import type { JobService } from './job-registry.js';
import { acceptTagClause } from './job-spec.js';

const RESTART_DELAY_MS = 1000;
/** A long-running service has no job timeout. */
const NO_TIMEOUT_MS = 2 ** 31 - 1;
const PROPERTIES = ['AUTO_SUSPEND_SECS', 'EXTERNAL_ACCESS_INTEGRATIONS', 'AUTO_RESUME', 'MIN_INSTANCES', 'MIN_READY_INSTANCES', 'MAX_INSTANCES', 'LOG_LEVEL', 'QUERY_WAREHOUSE', 'COMMENT'];

export interface ServiceStatement {
  ifNotExists: boolean;
  name: string[];
  computePool: string;
  specText: string;
  externalAccessIntegrations: string[];
  queryWarehouse: string | null;
  comment: string | null;
}

/** Parses CREATE SERVICE; null for any other statement. */
export function parseCreateService(sql: string, tokens: Token[]): ServiceStatement | null {
  const c = new Cursor(sql, tokens);
  if (!c.accept('CREATE', 'SERVICE')) return null;
  const stmt: ServiceStatement = { ifNotExists: c.accept('IF', 'NOT', 'EXISTS'), name: c.name(), computePool: '', specText: '', externalAccessIntegrations: [], queryWarehouse: null, comment: null };
  c.expect('IN', 'COMPUTE', 'POOL');
  stmt.computePool = c.ident();
  c.expect('FROM', 'SPECIFICATION');
  stmt.specText = c.string();
  let last = -1;
  while (!c.atEnd() && !c.acceptOp(';')) {
    if (acceptTagClause(c)) continue;
    const at = c.i;
    const key = c.ident();
    const index = PROPERTIES.indexOf(key);
    // Unknown, or out of the documented order ("the command parameters must be specified in specific order").
    if (index <= last) {
      c.i = at;
      throw c.error();
    }
    last = index;
    c.expectOp('=');
    if (key === 'EXTERNAL_ACCESS_INTEGRATIONS') {
      c.expectOp('(');
      while (!c.acceptOp(')')) {
        stmt.externalAccessIntegrations.push(c.ident());
        c.acceptOp(',');
      }
    } else if (key === 'COMMENT') stmt.comment = c.string();
    else if (key === 'QUERY_WAREHOUSE') stmt.queryWarehouse = c.ident();
    else c.value();
  }
  if (!c.atEnd()) throw c.error();
  return stmt;
}

/** Creates the service and starts its containers; each restarts when it exits, until suspended or dropped. */
export function createService(ctx: JobContext, session: Session, stmt: ServiceStatement): JobService {
  const { pool, q, containers, secretEnv } = prepareService(ctx, session, { ...stmt, name: stmt.name });
  const role = session.context.role;
  let running: AbortController | null = null;
  let loops: Promise<void> = Promise.resolve();
  const service: JobService = {
    id: 0, ...q, isJob: false, owner: role, computePool: pool.name, status: 'PENDING', createdOn: new Date(), updatedOn: new Date(), comment: stmt.comment,
    externalAccessIntegrations: stmt.externalAccessIntegrations, queryWarehouse: stmt.queryWarehouse, async: false, specText: stmt.specText, suspendedOn: null,
    containers: containers.map((c) => ({ name: c.name, image: c.image, status: 'PENDING', message: 'Pending', exitCode: null, logs: '', restartCount: 0 })),
    done: Promise.resolve(),
    stop: () => running?.abort(),
  };
  ctx.register(service);
  createServiceUser(ctx, session, service);
  const { host, port } = ctx.target();
  const start = () => {
    const controller = new AbortController();
    running = controller;
    Object.assign(service, { status: 'RUNNING', suspendedOn: null, updatedOn: new Date() });
    pool.props.STATE = 'ACTIVE';
    loops = Promise.all(containers.map(async (c, k) => {
      const state = service.containers[k]!;
      const append = (line: string) => {
        state.logs = `${state.logs}${line}\n`.slice(-LOG_LIMIT);
      };
      while (!controller.signal.aborted) {
        // A fresh OAuth token for each container start (Snowflake refreshes /snowflake/session/token itself).
        const token = ctx.accounts.issueOAuthToken(q.name, role, 3600);
        Object.assign(state, { status: 'RUNNING', message: 'Running', exitCode: null });
        const env = { ...c.env, SNOWFLAKE_ACCOUNT: ctx.accounts.name, SNOWFLAKE_HOST: host, SNOWFLAKE_PORT: String(port), SNOWFLAKE_PROTOCOL: 'http', SNOWFLAKE_DATABASE: q.database, SNOWFLAKE_SCHEMA: q.schema, SNOWFLAKE_SERVICE_NAME: q.name, ...secretEnv[k]!.env };
        const outcome = await ctx.run({ jobName: q.name, containerName: c.name, image: c.image, command: c.command, args: c.args, env, token, secretValues: secretEnv[k]!.values, onLine: append, timeoutMs: NO_TIMEOUT_MS, signal: controller.signal })
          .catch((error: unknown) => ({ exitCode: undefined, tail: error instanceof Error ? error.message : String(error) }));
        ctx.accounts.revokeOAuthToken(token);
        state.exitCode = outcome.exitCode ?? null;
        if (controller.signal.aborted) break;
        Object.assign(state, { status: 'FAILED', message: `Container exited with code ${outcome.exitCode ?? 'unknown'}; restarting` });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, RESTART_DELAY_MS);
          controller.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
        });
        if (!controller.signal.aborted) state.restartCount += 1;
      }
    })).then(() => undefined);
    service.done = loops;
  };
  const suspend = async () => {
    running?.abort();
    running = null;
    await loops;
    Object.assign(service, { status: 'SUSPENDED', suspendedOn: new Date(), updatedOn: new Date() });
    for (const state of service.containers) Object.assign(state, { status: 'SUSPENDED', message: 'Suspended' });
    if (!anotherRunning(ctx, pool.name, service)) pool.props.STATE = 'IDLE';
  };
  controls.set(service, { start, suspend });
  start();
  return service;
}

/** Suspend/resume handles of each long-running service (jobs have none). */
const controls = new WeakMap<JobService, { start(): void; suspend(): Promise<void> }>();

function anotherRunning(ctx: JobContext & { all?: () => JobService[] }, pool: string, self: JobService): boolean {
  return (ctx.all?.() ?? []).some((s) => s !== self && s.computePool === pool && s.status === 'RUNNING');
}

/** ALTER SERVICE … SUSPEND | RESUME: idempotent (the docs do not say a second SUSPEND fails). */
export async function alterService(service: JobService, action: 'SUSPEND' | 'RESUME'): Promise<EngineResult> {
  const control = controls.get(service);
  if (!control) throw new SnowflakeSqlError('002023', '22000', `SQL compilation error:\nService ${service.name} is a job service; only long-running services can be suspended or resumed.`);
  if (action === 'SUSPEND' && service.status !== 'SUSPENDED') await control.suspend();
  if (action === 'RESUME' && service.status === 'SUSPENDED') control.start();
  return statusResult('DDL', 'Statement executed successfully.');
}

/** Stops a long-running service for good (DROP SERVICE, stand-in close). */
export async function stopService(service: JobService): Promise<void> {
  await controls.get(service)?.suspend();
}

/** SYSTEM$GET_SERVICE_STATUS's JSON (one object per container). */
export function serviceStatusJson(service: JobService): string {
  const ready = (status: string) => (status === 'RUNNING' ? 'READY' : status);
  return JSON.stringify(service.containers.map((c) => ({
    status: ready(c.status), message: c.message, containerName: c.name, instanceId: '0', serviceName: service.name, image: c.image,
    restartCount: c.restartCount, startTime: service.updatedOn.toISOString(),
  })));
}

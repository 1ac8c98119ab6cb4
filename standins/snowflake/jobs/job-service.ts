/**
 * One EXECUTE JOB SERVICE (reference §3): checks (SPCS, pool, privileges §6.1 "Run the job", owner role not
 * privileged §6.3, EAIs, secrets), then the job's service user (named like the service, §3.3) with an OAuth token
 * for the owner role, then every container at once. Synchronous by default: the statement waits and fails with
 * the container's error when one exits non-zero ("If any instance fails, the job status is FAILED").
 */
import { randomUUID } from 'node:crypto';
import type { EngineResult } from '../engine-types.js';
import type { StandinAccount } from '../account.js';
import { qualifiedName, type AccountObject } from '../engine/catalog.js';
import { kindDoesNotExist, objectDoesNotExist } from '../engine/errors.js';
import { display, parseNameString, qualify } from '../engine/names.js';
import { statusResult, type Session } from '../engine/session.js';
import { jobCancelled, jobFailed, PRIVILEGED_SERVICE_ROLES, privilegedServiceOwner, serviceExists } from '../engine/grants/access-errors.js';
import type { PrivilegeModel } from '../engine/grants/privilege-model.js';
import type { ContainerResult, ContainerRun } from './container-runner.js';
import { parseSpec, type ContainerSpec, type JobStatement } from './job-spec.js';
import type { JobService } from './job-registry.js';

export interface JobContext {
  accounts: StandinAccount;
  model: PrivilegeModel | null;
  /** Where containers reach the stand-in. */
  target(): { host: string; port: number };
  run(container: ContainerRun): Promise<ContainerResult>;
  register(service: JobService): void;
  exists(fqName: string): boolean;
  timeoutMs: number;
}

export const LOG_LIMIT = 100 * 1024; // reference §3.4: "returns up to 100 KB"

/** What a job and a long-running service both need before any container starts (checks in the documented order). */
export interface PreparedService {
  pool: AccountObject;
  q: { database: string; schema: string; name: string };
  fq: string;
  containers: ContainerSpec[];
  secretEnv: Array<{ env: Record<string, string>; values: string[] }>;
}

export function prepareService(ctx: JobContext, session: Session, job: Pick<JobStatement, 'computePool' | 'name' | 'externalAccessIntegrations' | 'specText'>): PreparedService {
  const { catalog } = session.core;
  const { model } = ctx;
  const role = session.context.role;
  const pool = catalog.accountObjects('COMPUTE POOL').get(job.computePool);
  if (!pool || (model && !model.hasAny(role, 'COMPUTE POOL', pool.name))) throw kindDoesNotExist('COMPUTE POOL', job.computePool);
  const q = qualify(job.name ?? [`JOB_${randomUUID().replace(/-/g, '').toUpperCase()}`], session.context);
  const fq = qualifiedName(q);
  if (PRIVILEGED_SERVICE_ROLES.has(role)) throw privilegedServiceOwner(role, q.name);
  if (model) {
    const schemaName = display([q.database, q.schema]);
    if (!model.has(role, 'USAGE', 'DATABASE', display([q.database])) || !model.has(role, 'USAGE', 'SCHEMA', schemaName)) throw kindDoesNotExist('SCHEMA', schemaName);
    if (!model.has(role, 'CREATE SERVICE', 'SCHEMA', schemaName)) throw model.refusal(role, 'SCHEMA', schemaName);
    model.check(role, 'USAGE', 'COMPUTE POOL', pool.name);
  }
  for (const eai of job.externalAccessIntegrations) {
    if (!catalog.accountObjects('INTEGRATION').has(eai)) throw kindDoesNotExist('INTEGRATION', eai);
    model?.check(role, 'USAGE', 'INTEGRATION', eai);
  }
  const containers = parseSpec(job.specText);
  const secretEnv = containers.map((c) => resolveSecrets(session, model, c));
  for (const c of containers) checkImage(session, model, c.image);
  if (ctx.exists(fq)) throw serviceExists(q.name);
  return { pool, q, fq, containers, secretEnv };
}

export async function executeJob(ctx: JobContext, session: Session, job: JobStatement): Promise<{ service: JobService; result: Promise<EngineResult> }> {
  const { pool, q, containers, secretEnv } = prepareService(ctx, session, job);
  const role = session.context.role;
  const stopped = new AbortController();
  const service: JobService = {
    id: 0, ...q, isJob: true, owner: role, computePool: pool.name, status: 'RUNNING', createdOn: new Date(), updatedOn: new Date(), comment: job.comment,
    externalAccessIntegrations: job.externalAccessIntegrations, queryWarehouse: job.queryWarehouse, async: job.async, specText: job.specText,
    containers: containers.map((c) => ({ name: c.name, image: c.image, status: 'RUNNING', message: 'Running', exitCode: null, logs: '', restartCount: 0 })),
    suspendedOn: null,
    done: Promise.resolve(),
    stop: () => stopped.abort(),
  };
  ctx.register(service);
  createServiceUser(ctx, session, service);
  pool.props.STATE = 'ACTIVE';
  const token = ctx.accounts.issueOAuthToken(q.name, role, 3600);
  const { host, port } = ctx.target();
  const baseEnv = {
    SNOWFLAKE_ACCOUNT: ctx.accounts.name, SNOWFLAKE_HOST: host, SNOWFLAKE_PORT: String(port), SNOWFLAKE_PROTOCOL: 'http',
    SNOWFLAKE_DATABASE: q.database, SNOWFLAKE_SCHEMA: q.schema, SNOWFLAKE_SERVICE_NAME: q.name,
  };
  const runs = containers.map(async (c, k) => {
    const state = service.containers[k]!;
    const append = (line: string) => {
      state.logs = `${state.logs}${line}\n`.slice(-LOG_LIMIT);
    };
    const env = { ...c.env, ...baseEnv, ...secretEnv[k]!.env };
    const outcome = await ctx.run({ jobName: q.name, containerName: c.name, image: c.image, command: c.command, args: c.args, env, token, secretValues: secretEnv[k]!.values, onLine: append, timeoutMs: ctx.timeoutMs, signal: stopped.signal })
      .catch((error: unknown): ContainerResult => ({ exitCode: undefined, tail: error instanceof Error ? error.message : String(error) }));
    if (stopped.signal.aborted) Object.assign(state, { status: 'CANCELLED', message: 'Stopped by ALTER COMPUTE POOL … STOP ALL', exitCode: outcome.exitCode ?? null });
    else Object.assign(state, outcome.exitCode === 0
      ? { status: 'DONE', message: 'Completed successfully', exitCode: 0 }
      : { status: 'FAILED', message: outcome.tail || 'Container failed', exitCode: outcome.exitCode ?? null });
    return { container: c.name, ...outcome };
  });
  const result = Promise.all(runs).then((outcomes) => {
    const failed = outcomes.find((o) => o.exitCode !== 0);
    const cancelled = stopped.signal.aborted;
    Object.assign(service, { status: cancelled ? 'CANCELLED' : failed ? 'FAILED' : 'DONE', updatedOn: new Date() });
    pool.props.STATE = 'IDLE';
    ctx.accounts.revokeOAuthToken(token);
    // The error of a synchronous EXECUTE JOB SERVICE whose job is stopped is UNCONFIRMED; this says what happened.
    if (cancelled) throw jobCancelled(q.name);
    if (failed) throw jobFailed(q.name, failed.container, failed.exitCode, failed.tail);
    return statusResult('OTHER', `Job ${q.name} completed successfully with status: DONE.`);
  });
  service.done = result.then(() => undefined, () => undefined);
  return { service, result };
}

/** Spec secrets → env values; the owner role needs READ on each (reference §3.2). Values never leave env. */
function resolveSecrets(session: Session, model: PrivilegeModel | null, c: ContainerSpec): { env: Record<string, string>; values: string[] } {
  const env: Record<string, string> = {};
  for (const ref of c.secrets) {
    const q = qualify(parseNameString(ref.objectName), session.context);
    const secret = session.core.catalog.object(q.database, q.schema, q.name);
    if (!secret || secret.kind !== 'SECRET') throw objectDoesNotExist(ref.objectName);
    model?.check(session.context.role, 'READ', 'SECRET', display([secret.database, secret.schema, secret.name]));
    const key = { secret_string: 'SECRET_STRING', username: 'USERNAME', password: 'PASSWORD' }[ref.secretKeyRef];
    env[ref.envVarName] = secret.props[key] ?? '';
  }
  return { env, values: Object.values(env).filter((v) => v.length > 0) };
}

/** `/db/schema/repo/image:tag`: the repository must exist and the owner role needs READ on it (§6.1). */
function checkImage(session: Session, model: PrivilegeModel | null, image: string): void {
  const m = /^\/([^/]+)\/([^/]+)\/([^/]+)\/[^/]+$/.exec(image);
  if (!m) return; // a full registry reference: nothing to check in the catalog
  const [database, schema, repo] = [m[1]!, m[2]!, m[3]!].map((p) => p.toUpperCase()) as [string, string, string];
  const obj = session.core.catalog.object(database, schema, repo);
  if (!obj || obj.kind !== 'IMAGE REPOSITORY') throw objectDoesNotExist(`${database}.${schema}.${repo}`);
  model?.check(session.context.role, 'READ', 'IMAGE REPOSITORY', display([obj.database, obj.schema, obj.name]));
}

/** The service user has the owner role (and PUBLIC) only, reference §3.3; QUERY_WAREHOUSE is its default warehouse. */
export function createServiceUser(ctx: JobContext, session: Session, service: JobService): void {
  const { catalog } = session.core;
  ctx.accounts.addUser({ name: service.name, defaultRole: service.owner, defaultWarehouse: service.queryWarehouse, defaultDatabase: service.database, defaultSchema: service.schema });
  catalog.accountObjects('USER').set(service.name, { kind: 'USER', name: service.name, owner: service.owner, createdOn: new Date(), comment: null, props: { TYPE: 'SNOWFLAKE_SERVICE' } });
  catalog.grants.push({ privilege: 'USAGE', grantedOn: 'ROLE', name: service.owner, granteeKind: 'USER', grantee: service.name, grantOption: false, grantedBy: '', createdOn: new Date() });
}

/**
 * SHOW [JOB] SERVICES, DESC SERVICE and SHOW SERVICE CONTAINERS for jobs and long-running services. SHOW columns:
 * reference §7 (SHOW SERVICES); containers: §3.4 (`status` DONE/FAILED, `message` "Completed successfully"), the
 * other container columns are the stand-in's choice. SHOW JOB SERVICES lists job services only, EXCLUDE JOBS the
 * long-running ones only (https://docs.snowflake.com/en/sql-reference/sql/show-services).
 */
import type { EngineResult } from '../engine-types.js';
import type { Cursor } from '../engine/cursor.js';
import { kindDoesNotExist } from '../engine/errors.js';
import { isWord } from '../engine/lexer.js';
import { qualifySchema } from '../engine/names.js';
import type { Session } from '../engine/session.js';
import { showResult, type ShowFilter, type ShowRow } from '../engine/show-format.js';
import type { JobService } from './job-registry.js';

/**
 * `SHOW [JOB] SERVICES [EXCLUDE JOBS] [LIKE '…'] [IN ACCOUNT | DATABASE [<db>] | SCHEMA [<schema>] | COMPUTE POOL
 * <pool>] [STARTS WITH '…'] [LIMIT n]` (Snowflake docs, SHOW SERVICES; our reference lists only the columns, §7).
 * A named database or schema that does not exist is an error, as for other SHOW … IN commands.
 */
export function readFilter(c: Cursor, session: Session, jobsOnly: boolean): { filter: ShowFilter; scope: (s: JobService) => boolean } {
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
  return { filter, scope: (s) => (excludeJobs ? !s.isJob : !jobsOnly || s.isJob) && scope(s) };
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
  const target = s.isJob || s.status !== 'SUSPENDED' ? '1' : '0';
  return {
    name: s.name, status: s.status, database_name: s.database, schema_name: s.schema, owner: s.owner, compute_pool: s.computePool,
    dns_name: `${s.name.toLowerCase().replace(/_/g, '-')}.${s.schema.toLowerCase().replace(/_/g, '-')}.${s.database.toLowerCase().replace(/_/g, '-')}.snowflakecomputing.internal`,
    current_instances: running, target_instances: target, min_ready_instances: '1', min_instances: '1', max_instances: '1', auto_resume: 'false',
    external_access_integrations: JSON.stringify(s.externalAccessIntegrations), created_on: s.createdOn, updated_on: s.updatedOn, resumed_on: null,
    suspended_on: s.suspendedOn, auto_suspend_secs: '0', comment: s.comment, owner_role_type: 'ROLE', query_warehouse: s.queryWarehouse, is_job: String(s.isJob),
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
    status: c.status, message: c.message, image_name: c.image, image_digest: null, restart_count: String(c.restartCount), start_time: service.createdOn.toISOString(),
    last_exit_code: c.exitCode === null ? null : String(c.exitCode),
  }));
  return showResult(CONTAINER_COLUMNS, rows, {}, 'container_name');
}

/**
 * SHOW [JOB] SERVICES, DESCRIBE SERVICE and SHOW SERVICE CONTAINERS IN SERVICE for job services, with the
 * columns of reference §7 (SHOW SERVICES) and §3.4 (containers: `status` DONE/FAILED, `message`
 * "Completed successfully"). Columns the reference does not list for containers are the stand-in's choice.
 */
import type { EngineResult } from '../engine-types.js';
import { showResult, type ShowFilter, type ShowRow } from '../engine/show-format.js';
import type { JobService } from './job-registry.js';

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

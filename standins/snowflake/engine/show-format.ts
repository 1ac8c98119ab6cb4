/** Building SHOW results: lowercase column names (reference §6.4), typed cells, LIKE / STARTS WITH / LIMIT. */
import type { CellValue, ColumnMeta, EngineResult } from '../engine-types.js';

export type ShowRow = Record<string, CellValue | Date | undefined>;

const TIMESTAMP = /(_on|^created|_time_stamp|^stale_after)$/;
const NUMERIC = new Set(['rows', 'bytes', 'retention_time', 'min_nodes', 'max_nodes', 'num_services', 'num_jobs', 'auto_suspend_secs', 'active_nodes', 'idle_nodes', 'target_nodes', 'entries_in_valuelist', 'assigned_to_users', 'granted_to_roles', 'granted_roles', 'min_cluster_count', 'max_cluster_count', 'started_clusters', 'running', 'queued', 'auto_suspend', 'id']);

function meta(name: string): ColumnMeta {
  // `granted_on` (SHOW GRANTS) names an object kind, not a time.
  if (TIMESTAMP.test(name) && name !== 'granted_on') return { name, type: 'TIMESTAMP_LTZ', scale: 3, nullable: true };
  if (NUMERIC.has(name)) return { name, type: 'FIXED', precision: 38, scale: 0, nullable: true };
  return { name, type: 'TEXT', length: 16777216, nullable: true };
}

function cell(col: ColumnMeta, v: ShowRow[string]): CellValue {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return BigInt(v.getTime()) * 1_000_000n;
  if (col.type === 'FIXED') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v;
}

/** SQL LIKE (case-insensitive, as SHOW … LIKE is) → RegExp. */
export function likeToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, 'is');
}

export interface ShowFilter {
  like?: string;
  startsWith?: string;
  limit?: number;
}

export function showResult(columns: string[], rows: ShowRow[], filter: ShowFilter = {}, nameColumn = 'name'): EngineResult {
  const metas = columns.map(meta);
  let kept = rows;
  if (filter.like !== undefined) {
    const re = likeToRegExp(filter.like);
    kept = kept.filter((r) => re.test(String(r[nameColumn] ?? '')));
  }
  if (filter.startsWith !== undefined) kept = kept.filter((r) => String(r[nameColumn] ?? '').startsWith(filter.startsWith!));
  if (filter.limit !== undefined) kept = kept.slice(0, filter.limit);
  return { kind: 'SHOW', columns: metas, rows: kept.map((r) => metas.map((m) => cell(m, r[m.name]))) };
}

export const COLUMNS = {
  DATABASES: ['created_on', 'name', 'is_default', 'is_current', 'origin', 'owner', 'comment', 'options', 'retention_time', 'kind', 'budget', 'owner_role_type'],
  SCHEMAS: ['created_on', 'name', 'is_default', 'is_current', 'database_name', 'owner', 'comment', 'options', 'retention_time', 'owner_role_type', 'budget'],
  TABLES: ['created_on', 'name', 'database_name', 'schema_name', 'kind', 'comment', 'cluster_by', 'rows', 'bytes', 'owner', 'retention_time', 'automatic_clustering', 'change_tracking', 'search_optimization', 'search_optimization_progress', 'search_optimization_bytes', 'is_external', 'enable_schema_evolution', 'owner_role_type', 'is_event', 'budget', 'is_hybrid', 'is_iceberg', 'is_dynamic', 'is_immutable'],
  VIEWS: ['created_on', 'name', 'reserved', 'kind', 'database_name', 'schema_name', 'owner', 'comment', 'text', 'is_secure', 'is_materialized', 'owner_role_type', 'change_tracking'],
  STREAMS: ['created_on', 'name', 'database_name', 'schema_name', 'owner', 'comment', 'table_name', 'source_type', 'base_tables', 'type', 'stale', 'mode', 'stale_after', 'invalid_reason', 'owner_role_type'],
  TASKS: ['created_on', 'name', 'id', 'database_name', 'schema_name', 'owner', 'comment', 'warehouse', 'schedule', 'scheduling_mode', 'target_completion_interval', 'predecessors', 'state', 'definition', 'condition', 'allow_overlapping_execution', 'error_integration', 'success_integration', 'last_committed_on', 'last_suspended_on', 'owner_role_type', 'config', 'last_suspended_reason', 'task_relations', 'execute_as_user'],
  WAREHOUSES: ['name', 'state', 'type', 'size', 'min_cluster_count', 'max_cluster_count', 'started_clusters', 'running', 'queued', 'is_default', 'is_current', 'auto_suspend', 'auto_resume', 'available', 'provisioning', 'quiescing', 'other', 'created_on', 'resumed_on', 'updated_on', 'owner', 'comment', 'resource_monitor', 'scaling_policy', 'owner_role_type'],
  COMPUTE_POOLS: ['name', 'state', 'min_nodes', 'max_nodes', 'instance_family', 'num_services', 'num_jobs', 'auto_suspend_secs', 'auto_resume', 'active_nodes', 'idle_nodes', 'target_nodes', 'created_on', 'resumed_on', 'updated_on', 'owner', 'comment', 'is_exclusive', 'application', 'placement_group', 'backup_instance_families'],
  IMAGE_REPOSITORIES: ['created_on', 'name', 'database_name', 'schema_name', 'repository_url', 'owner', 'owner_role_type', 'comment', 'encryption', 'privatelink_repository_url'],
  NETWORK_RULES: ['created_on', 'name', 'database_name', 'schema_name', 'owner', 'comment', 'type', 'mode', 'entries_in_valuelist', 'owner_role_type'],
  INTEGRATIONS: ['name', 'type', 'category', 'enabled', 'comment', 'created_on'],
  SECRETS: ['created_on', 'name', 'schema_name', 'database_name', 'owner', 'comment', 'secret_type', 'oauth_scopes', 'owner_role_type'],
  ROLES: ['created_on', 'name', 'is_default', 'is_current', 'is_inherited', 'assigned_to_users', 'granted_to_roles', 'granted_roles', 'owner', 'comment'],
  USERS: ['name', 'created_on', 'login_name', 'display_name', 'first_name', 'last_name', 'email', 'comment', 'disabled', 'default_warehouse', 'default_namespace', 'default_role', 'owner', 'has_password', 'has_rsa_public_key', 'type'],
  GRANTS_TO_ROLE: ['created_on', 'privilege', 'granted_on', 'name', 'granted_to', 'grantee_name', 'grant_option', 'granted_by'],
  GRANTS_TO_USER: ['created_on', 'role', 'granted_to', 'grantee_name', 'granted_by'],
};

/** SHOW commands with Snowflake's documented lowercase columns (reference §2.3, §5.3, §6.4, §7). */
import type { EngineResult } from '../engine-types.js';
import { displayIdent, type AccountObjectKind, type SchemaObject } from './catalog.js';
import { kindDoesNotExist } from './errors.js';
import { qualifySchema } from './names.js';
import { COLUMNS, showResult, type ShowFilter, type ShowRow } from './show-format.js';
import { showGrants } from './grants.js';
import { showParameters } from './parameters/show-parameters.js';
import type { StatementEnv } from './statements.js';

type Scope = { level: 'account' } | { level: 'database'; database: string } | { level: 'schema'; database: string; schema: string };

function parseFilterAndScope(env: StatementEnv, defaultLevel: 'schema' | 'database'): { filter: ShowFilter; scope: Scope } {
  const c = env.cursor;
  const ctx = env.session.context;
  const { catalog } = env.session.core;
  const filter: ShowFilter = {};
  let scope: Scope | undefined;
  while (!c.atEnd()) {
    if (c.accept('LIKE')) filter.like = c.string();
    else if (c.accept('STARTS', 'WITH')) filter.startsWith = c.string();
    else if (c.accept('LIMIT')) filter.limit = Number(c.value());
    else if (c.accept('IN')) {
      if (c.accept('ACCOUNT')) scope = { level: 'account' };
      else if (c.accept('DATABASE')) {
        const database = c.atEnd() || c.peek()?.value === 'LIMIT' || c.peek()?.value === 'STARTS' ? ctx.database : c.ident();
        if (!database || !catalog.databases.has(database)) throw kindDoesNotExist('DATABASE', database ?? '');
        scope = { level: 'database', database };
      } else {
        const explicitSchema = c.accept('SCHEMA');
        const parts = c.atEnd() ? [ctx.schema ?? ''] : c.name(2);
        if (!explicitSchema && parts.length === 1 && catalog.databases.has(parts[0]!)) scope = { level: 'database', database: parts[0]! };
        else {
          const q = qualifySchema(parts, ctx);
          if (!catalog.schema(q.database, q.schema)) throw kindDoesNotExist('SCHEMA', `${q.database}.${q.schema}`);
          scope = { level: 'schema', ...q };
        }
      }
    } else if (c.accept('TERSE') || c.accept('HISTORY')) continue;
    else throw c.error();
  }
  if (!scope) {
    if (defaultLevel === 'schema' && ctx.database && ctx.schema) scope = { level: 'schema', database: ctx.database, schema: ctx.schema };
    else if (ctx.database) scope = { level: 'database', database: ctx.database };
    else scope = { level: 'account' };
  }
  return { filter, scope };
}

function inScope(o: { database: string; schema: string }, scope: Scope): boolean {
  if (scope.level === 'account') return true;
  if (scope.level === 'database') return o.database === scope.database;
  return o.database === scope.database && o.schema === scope.schema;
}

const yn = (b: boolean) => (b ? 'Y' : 'N');
const onOff = (b: boolean) => (b ? 'ON' : 'OFF');

export async function runShow(env: StatementEnv): Promise<EngineResult> {
  const c = env.cursor;
  const { catalog, authz } = env.session.core;
  const ctx = env.session.context;
  c.i = 1;
  c.accept('TERSE');
  if (c.accept('GRANTS')) return showGrants(env);
  if (c.accept('PARAMETERS')) return showParameters(env);
  const roleType = 'ROLE';
  const visible = (kind: string, name: string, owner: string) => authz.visible(ctx.role, kind, name, owner);
  const schemaObjects = (kind: SchemaObject['kind'], columns: string[], row: (o: SchemaObject) => ShowRow): EngineResult => {
    const { filter, scope } = parseFilterAndScope(env, 'schema');
    const rows = catalog.allObjects()
      .filter((o) => o.kind === kind && inScope(o, scope) && visible(kind, `${o.database}.${o.schema}.${o.name}`, o.owner))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((o) => ({ created_on: o.createdOn, name: o.name, database_name: o.database, schema_name: o.schema, owner: o.owner, comment: o.comment ?? '', owner_role_type: roleType, ...row(o) }));
    return showResult(columns, rows, filter);
  };
  const accountObjects = (kind: AccountObjectKind, columns: string[], row: (o: { name: string; owner: string; createdOn: Date; comment: string | null; props: Record<string, string> }) => ShowRow): EngineResult => {
    const { filter } = parseFilterAndScope(env, 'database');
    const rows = [...catalog.accountObjects(kind).values()]
      .filter((o) => visible(kind, o.name, o.owner))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((o) => ({ created_on: o.createdOn, name: o.name, owner: o.owner, comment: o.comment ?? '', owner_role_type: roleType, ...row(o) }));
    return showResult(columns, rows, filter);
  };

  if (c.accept('DATABASES')) {
    const { filter } = parseFilterAndScope(env, 'database');
    const rows = [...catalog.databases.values()].filter((d) => visible('DATABASE', d.name, d.owner)).map((d) => ({
      created_on: d.createdOn, name: d.name, is_default: yn(false), is_current: yn(ctx.database === d.name), origin: '', owner: d.owner,
      comment: d.comment ?? '', options: '', retention_time: '1', kind: 'STANDARD', owner_role_type: roleType,
    }));
    return showResult(COLUMNS.DATABASES, rows, filter);
  }
  if (c.accept('SCHEMAS')) {
    const { filter, scope } = parseFilterAndScope(env, 'database');
    const rows: ShowRow[] = [];
    for (const db of catalog.databases.values()) {
      if (scope.level !== 'account' && db.name !== scope.database) continue;
      const schemas = [...db.schemas.values()].map((s) => ({ name: s.name, owner: s.owner, createdOn: s.createdOn, comment: s.comment }));
      schemas.push({ name: 'INFORMATION_SCHEMA', owner: '', createdOn: db.createdOn, comment: 'Views describing the contents of schemas in this database' });
      for (const s of schemas.sort((a, b) => a.name.localeCompare(b.name))) {
        if (s.owner && !visible('SCHEMA', `${db.name}.${s.name}`, s.owner)) continue;
        rows.push({ created_on: s.createdOn, name: s.name, is_default: yn(false), is_current: yn(ctx.database === db.name && ctx.schema === s.name), database_name: db.name, owner: s.owner, comment: s.comment ?? '', options: '', retention_time: '1', owner_role_type: s.owner ? roleType : '' });
      }
    }
    return showResult(COLUMNS.SCHEMAS, rows, filter);
  }
  if (c.accept('TABLES')) {
    return schemaObjects('TABLE', COLUMNS.TABLES, (o) => ({ kind: 'TABLE', cluster_by: '', rows: null, bytes: null, retention_time: '1', automatic_clustering: 'OFF', change_tracking: onOff(o.changeTracking), search_optimization: 'OFF', is_external: 'N', enable_schema_evolution: 'N', is_event: 'N', is_hybrid: 'N', is_iceberg: 'N', is_dynamic: 'N', is_immutable: 'N' }));
  }
  if (c.accept('VIEWS')) {
    return schemaObjects('VIEW', COLUMNS.VIEWS, (o) => ({ reserved: '', kind: 'VIEW', text: o.text, is_secure: String(o.view?.isSecure ?? false), is_materialized: 'false', change_tracking: onOff(o.changeTracking) }));
  }
  if (c.accept('STREAMS')) {
    return schemaObjects('STREAM', COLUMNS.STREAMS, (o) => {
      const s = o.stream!;
      // stale_after: last consumption + 14 days, the default MAX_DATA_EXTENSION_TIME_IN_DAYS (reference §1.6).
      return { table_name: s.sourceName, source_type: s.sourceKind, base_tables: s.baseTables.join(', '), type: 'DELTA', stale: String(s.stale), mode: s.appendOnly ? 'APPEND_ONLY' : 'DEFAULT', stale_after: new Date(s.lastConsumedOn.getTime() + 14 * 86_400_000), invalid_reason: 'N/A' };
    });
  }
  if (c.accept('TASKS')) {
    return schemaObjects('TASK', COLUMNS.TASKS, taskRow);
  }
  if (c.accept('NETWORK', 'RULES')) {
    return schemaObjects('NETWORK RULE', COLUMNS.NETWORK_RULES, (o) => ({ type: o.props.TYPE ?? 'IPV4', mode: o.props.MODE ?? 'INGRESS', entries_in_valuelist: (o.props.VALUE_LIST ?? '').split(',').filter(Boolean).length }));
  }
  if (c.accept('SECRETS')) {
    return schemaObjects('SECRET', COLUMNS.SECRETS, (o) => ({ secret_type: o.props.TYPE ?? 'GENERIC_STRING', oauth_scopes: o.props.OAUTH_SCOPES ?? null }));
  }
  if (c.accept('IMAGE', 'REPOSITORIES')) {
    // Reference §2.4: <registry host>/<db>/<schema>/<repo>, always lowercase.
    return schemaObjects('IMAGE REPOSITORY', COLUMNS.IMAGE_REPOSITORIES, (o) => ({
      repository_url: `${catalog.registryHost}/${o.database}/${o.schema}/${o.name}`.toLowerCase(),
      encryption: o.props.ENCRYPTION?.replace(/^TYPE,?/, '') || 'SNOWFLAKE_FULL', privatelink_repository_url: '',
    }));
  }
  if (c.accept('WAREHOUSES')) {
    return accountObjects('WAREHOUSE', COLUMNS.WAREHOUSES, (o) => ({ state: o.props.STATE ?? 'STARTED', type: o.props.WAREHOUSE_TYPE ?? 'STANDARD', size: o.props.WAREHOUSE_SIZE ?? 'X-Small', min_cluster_count: 1, max_cluster_count: 1, started_clusters: o.props.STATE === 'SUSPENDED' ? 0 : 1, running: 0, queued: 0, is_default: yn(false), is_current: yn(ctx.warehouse === o.name), auto_suspend: o.props.AUTO_SUSPEND ?? '600', auto_resume: String(o.props.AUTO_RESUME !== 'FALSE'), resumed_on: o.createdOn, updated_on: o.createdOn, resource_monitor: 'null', scaling_policy: 'STANDARD' }));
  }
  if (c.accept('COMPUTE', 'POOLS')) {
    return accountObjects('COMPUTE POOL', COLUMNS.COMPUTE_POOLS, (o) => ({ state: o.props.STATE ?? 'IDLE', min_nodes: o.props.MIN_NODES, max_nodes: o.props.MAX_NODES, instance_family: o.props.INSTANCE_FAMILY, num_services: 0, num_jobs: 0, auto_suspend_secs: o.props.AUTO_SUSPEND_SECS ?? '3600', auto_resume: String(o.props.AUTO_RESUME !== 'FALSE'), active_nodes: 0, idle_nodes: 0, target_nodes: o.props.MIN_NODES, resumed_on: o.createdOn, updated_on: o.createdOn, is_exclusive: 'false', application: null, placement_group: null, backup_instance_families: null }));
  }
  if (c.accept('EXTERNAL', 'ACCESS', 'INTEGRATIONS') || c.accept('INTEGRATIONS')) {
    return accountObjects('INTEGRATION', COLUMNS.INTEGRATIONS, (o) => ({ type: o.props.TYPE?.replace(/_/g, ' ') ?? 'EXTERNAL ACCESS', category: 'SECURITY', enabled: String(o.props.ENABLED === 'TRUE') }));
  }
  if (c.accept('ROLES')) {
    return accountObjects('ROLE', COLUMNS.ROLES, (o) => ({ is_default: yn(false), is_current: yn(ctx.role === o.name), is_inherited: yn(ctx.role !== o.name && authz.effectiveRoles(ctx.role).has(o.name)), assigned_to_users: catalog.grants.filter((g) => g.grantedOn === 'ROLE' && g.name === o.name && g.granteeKind === 'USER').length, granted_to_roles: catalog.grants.filter((g) => g.grantedOn === 'ROLE' && g.name === o.name && g.granteeKind === 'ROLE').length, granted_roles: catalog.grants.filter((g) => g.grantedOn === 'ROLE' && g.grantee === o.name && g.granteeKind === 'ROLE').length }));
  }
  if (c.accept('USERS')) {
    return accountObjects('USER', COLUMNS.USERS, (o) => ({ login_name: o.props.LOGIN_NAME ?? o.name, display_name: o.name, email: o.props.EMAIL ?? null, disabled: 'false', default_warehouse: o.props.DEFAULT_WAREHOUSE ?? null, default_namespace: o.props.DEFAULT_NAMESPACE ?? null, default_role: o.props.DEFAULT_ROLE ?? null, has_password: String(Boolean(o.props.PASSWORD)), has_rsa_public_key: String(Boolean(o.props.RSA_PUBLIC_KEY)), type: o.props.TYPE ?? 'PERSON' }));
  }
  throw c.error();
}

/** A task's SHOW TASKS row (DESCRIBE TASK prints the same columns). */
export function taskRow(o: SchemaObject): ShowRow {
  const t = o.task!;
  return { id: String(o.id), warehouse: t.warehouse, schedule: t.schedule, scheduling_mode: t.schedule ? 'FIXED' : null, predecessors: '[]', state: t.state, definition: t.definition, condition: t.condition, allow_overlapping_execution: 'false', last_committed_on: null, last_suspended_on: t.lastSuspendedOn, config: null, last_suspended_reason: t.lastSuspendedReason ?? null, task_relations: '{"Predecessors":[]}', execute_as_user: null };
}

export { displayIdent };

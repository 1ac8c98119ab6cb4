/**
 * Which privileges each step needs (reference §6.1 table, §6.2, §5.2 "Task security"). The task step also
 * lists what the task owner needs when the task RUNS (the job runs as the task owner role, §5.1), so a
 * missing runtime grant is caught before the first hourly run fails.
 */
import { renderQualifiedName, type NameParts } from '../../shared/sql/identifiers.js';
import type { GrantObjectType, Privilege } from './types.js';
import { schemaOf, type ResolvedNames } from './names.js';

const on = (type: GrantObjectType, name: NameParts, privilege: string, why: string, extra: Partial<Privilege> = {}): Privilege => ({
  privilege,
  on: type,
  name,
  why,
  ...extra,
});
const account = (privilege: string, why: string, extra: Partial<Privilege> = {}): Privilege => on('ACCOUNT', [], privilege, why, extra);

/** USAGE on the database and schema that hold a schema object (or on a DB.SCHEMA). */
function reach(objectOrSchema: NameParts, why: string): Privilege[] {
  const schema = objectOrSchema.length === 3 ? schemaOf(objectOrSchema) : objectOrSchema;
  return [on('DATABASE', schema.slice(0, 1), 'USAGE', why), on('SCHEMA', schema, 'USAGE', why)];
}

/** CREATE SCHEMA on the database (reference §6.1); the role then owns the schema and may create in it. */
export function forSchema(names: ResolvedNames): Privilege[] {
  const why = `create schema ${renderQualifiedName(names.schema)}`;
  return [on('DATABASE', names.database, 'USAGE', why), on('DATABASE', names.database, 'CREATE SCHEMA', why)];
}

export function forTableChangeTracking(table: NameParts): Privilege[] {
  const why = `enable change tracking on table ${renderQualifiedName(table)} (only its owner can)`;
  return [on('TABLE', table, 'OWNERSHIP', why, { fix: `ALTER TABLE ${renderQualifiedName(table)} SET CHANGE_TRACKING = TRUE` })];
}

export function forViewChangeTracking(view: NameParts): Privilege[] {
  const why = `enable change tracking on view ${renderQualifiedName(view)} (only its owner can)`;
  return [on('VIEW', view, 'OWNERSHIP', why, { fix: `ALTER VIEW ${renderQualifiedName(view)} SET CHANGE_TRACKING = TRUE` })];
}

export function forCreateView(view: NameParts, baseTables: NameParts[]): Privilege[] {
  const why = `create view ${renderQualifiedName(view)}`;
  return [
    ...reach(view, why),
    on('SCHEMA', schemaOf(view), 'CREATE VIEW', why),
    ...baseTables.flatMap((t) => [...reach(t, why), on('TABLE', t, 'SELECT', why)]),
  ];
}

export function forStream(names: ResolvedNames): Privilege[] {
  const why = `create stream ${renderQualifiedName(names.stream)}`;
  return [
    ...reach(names.stream, why),
    on('SCHEMA', schemaOf(names.stream), 'CREATE STREAM', why),
    ...reach(names.view, why),
    on('VIEW', names.view, 'SELECT', why),
  ];
}

/** The pending-changes marker: a table and an append-only stream on it, in the target schema. */
export function forPendingMarker(names: ResolvedNames): Privilege[] {
  const why = `create the pending-changes marker ${renderQualifiedName(names.pendingTable)} and its stream`;
  return [...reach(names.pendingTable, why), on('SCHEMA', schemaOf(names.pendingTable), 'CREATE TABLE', why), on('SCHEMA', schemaOf(names.pendingStream), 'CREATE STREAM', why)];
}

export function forImageRepository(names: ResolvedNames): Privilege[] {
  const why = `create image repository ${renderQualifiedName(names.imageRepository)}`;
  return [...reach(names.imageRepository, why), on('SCHEMA', schemaOf(names.imageRepository), 'CREATE IMAGE REPOSITORY', why)];
}

export function forComputePool(names: ResolvedNames): Privilege[] {
  return [account('CREATE COMPUTE POOL', `create compute pool ${renderQualifiedName(names.computePool)}`)];
}

export function forNetworkRule(names: ResolvedNames): Privilege[] {
  const why = `create network rule ${renderQualifiedName(names.networkRule)}`;
  return [...reach(names.networkRule, why), on('SCHEMA', schemaOf(names.networkRule), 'CREATE NETWORK RULE', why)];
}

export function forIntegration(names: ResolvedNames): Privilege[] {
  const why = `create external access integration ${renderQualifiedName(names.integration)}`;
  return [account('CREATE INTEGRATION', why, { anyOf: ['CREATE EXTERNAL ACCESS INTEGRATION'] })];
}

export function forSecret(names: ResolvedNames): Privilege[] {
  const why = `create secret ${renderQualifiedName(names.secret)}`;
  return [...reach(names.secret, why), on('SCHEMA', schemaOf(names.secret), 'CREATE SECRET', why)];
}

export function forCredentialsTable(names: ResolvedNames): Privilege[] {
  const why = `create credentials table ${renderQualifiedName(names.credentialsTable)}`;
  return [...reach(names.credentialsTable, why), on('SCHEMA', schemaOf(names.credentialsTable), 'CREATE TABLE', why)];
}

export function forImagePush(names: Pick<ResolvedNames, 'imageRepository'>): Privilege[] {
  const why = `push the worker image to ${renderQualifiedName(names.imageRepository)}`;
  return [...reach(names.imageRepository, why), on('IMAGE REPOSITORY', names.imageRepository, 'WRITE', why)];
}

/** Creating the task, and what its owner (this role) needs each time it runs the job. */
export function forTask(names: ResolvedNames, credentials: 'secret' | 'table' | 'none'): Privilege[] {
  const create = `create task ${renderQualifiedName(names.task)}`;
  const run = `run the sync job from task ${renderQualifiedName(names.task)}`;
  return [
    ...reach(names.task, create),
    on('SCHEMA', schemaOf(names.task), 'CREATE TASK', create),
    // A serverless task (templates/task.sql.hbs): creating and running it need EXECUTE MANAGED TASK (§6.2).
    account('EXECUTE MANAGED TASK', create, { grantor: 'ACCOUNTADMIN' }),
    account('EXECUTE TASK', run, { grantor: 'ACCOUNTADMIN' }),
    // The job's queries run on the warehouse named by QUERY_WAREHOUSE / SNOWFLAKE_WAREHOUSE.
    on('WAREHOUSE', names.warehouse, 'USAGE', run),
    on('SCHEMA', schemaOf(names.task), 'CREATE SERVICE', run),
    on('COMPUTE POOL', names.computePool, 'USAGE', run),
    ...reach(names.imageRepository, run),
    on('IMAGE REPOSITORY', names.imageRepository, 'READ', run),
    on('INTEGRATION', names.integration, 'USAGE', run),
    credentials === 'secret'
      ? on('SECRET', names.secret, 'READ', run)
      : on('TABLE', names.credentialsTable, 'SELECT', run),
    on('STREAM', names.stream, 'SELECT', run),
    ...reach(names.view, run),
    on('VIEW', names.view, 'SELECT', run),
    // The worker creates its outbox/runs/rejected tables in the task's schema when they are missing.
    on('SCHEMA', schemaOf(names.task), 'CREATE TABLE', run),
  ];
}

/** ALTER TASK … RESUME/SUSPEND and EXECUTE TASK: OWNERSHIP or OPERATE, plus EXECUTE TASK and, serverless, EXECUTE MANAGED TASK (§5.2, §6.2). */
export function forTaskOperate(names: ResolvedNames): Privilege[] {
  const why = `resume or run task ${renderQualifiedName(names.task)}`;
  return [
    on('TASK', names.task, 'OPERATE', why),
    account('EXECUTE TASK', why, { grantor: 'ACCOUNTADMIN' }),
    account('EXECUTE MANAGED TASK', why, { grantor: 'ACCOUNTADMIN' }),
  ];
}

/** Altering or dropping an object needs its ownership. */
export function forOwner(type: GrantObjectType, name: NameParts, verb: 'alter' | 'drop'): Privilege[] {
  return [on(type, name, 'OWNERSHIP', `${verb} ${type.toLowerCase()} ${renderQualifiedName(name)}`)];
}

export function forCredentialsRow(names: ResolvedNames): Privilege[] {
  const why = `store the Batch credentials in ${renderQualifiedName(names.credentialsTable)}`;
  return ['INSERT', 'UPDATE', 'SELECT'].map((p) => on('TABLE', names.credentialsTable, p, why));
}

/**
 * Alerts (issue 17 §2; reference §8.5, https://docs.snowflake.com/en/user-guide/alerts): creating one needs CREATE
 * ALERT on the schema and USAGE on its warehouse; the owner needs the global EXECUTE ALERT to resume it and each
 * time it runs; the condition reads the runs table (and SHOW STREAMS, which needs any privilege on the stream).
 */
export function forAlert(names: ResolvedNames, alert: NameParts): Privilege[] {
  const create = `create alert ${renderQualifiedName(alert)}`;
  return [
    ...reach(alert, create),
    on('SCHEMA', schemaOf(alert), 'CREATE ALERT', create),
    on('WAREHOUSE', names.warehouse, 'USAGE', create),
    account('EXECUTE ALERT', `resume and run alert ${renderQualifiedName(alert)}`, { grantor: 'ACCOUNTADMIN' }),
  ];
}

export function forAlertResume(alert: NameParts): Privilege[] {
  const why = `resume alert ${renderQualifiedName(alert)}`;
  return [on('ALERT', alert, 'OPERATE', why), account('EXECUTE ALERT', why, { grantor: 'ACCOUNTADMIN' })];
}

/** A notification integration is account-level (CREATE INTEGRATION); a webhook one also needs USAGE on its SECRET. */
export function forNotificationIntegration(integration: NameParts, secret: NameParts | null): Privilege[] {
  const why = `create notification integration ${renderQualifiedName(integration)}`;
  return [account('CREATE INTEGRATION', why), ...(secret ? [on('SECRET', secret, 'USAGE', why)] : [])];
}

export function forAlertSecret(secret: NameParts): Privilege[] {
  const why = `create secret ${renderQualifiedName(secret)} (alert webhook)`;
  return [...reach(secret, why), on('SCHEMA', schemaOf(secret), 'CREATE SECRET', why)];
}

export function forRunsTable(runs: NameParts): Privilege[] {
  const why = `create table ${renderQualifiedName(runs)} (the runs the alerts read)`;
  return [...reach(runs, why), on('SCHEMA', schemaOf(runs), 'CREATE TABLE', why)];
}

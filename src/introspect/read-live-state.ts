/**
 * Reads the live state the planner compares (src/plan/live-state.ts) with SHOW / DESCRIBE. Independent
 * lookups run concurrently; only lookups that need an earlier answer (DESCRIBE after SHOW, base tables after
 * the view) wait. Read-only: nothing here changes the account (a dry run relies on it).
 * Columns: reference §7 (SHOW VIEWS/STREAMS/TABLES/TASKS/COMPUTE POOLS/IMAGE REPOSITORIES), §2.3 (SHOW IMAGES),
 * §1.2 (GET_OBJECT_REFERENCES), §4.1/§4.2 (DESC NETWORK RULE / INTEGRATION).
 */
import { countViewProfiles } from './view-profiles.js';
import { readUnfinishedResync } from './unfinished-resync.js';
import { CONTROL_TABLE_NAME } from '../../shared/state/control-table.js';
import { renderQualifiedName, type NameParts } from '../../shared/sql/identifiers.js';
import { sqlLiteral } from '../../shared/sql/literals.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { STATE_TABLE_NAMES } from '../config/answers.js';
import type { LiveState } from '../plan/live-state.js';
import type { ResolvedNames } from '../plan/names.js';
import { WORKER_IMAGE_NAME } from '../plan/task-steps.js';
import { errorCode, isNotAvailable, showExact, splitList, text, type ShowRow } from './show.js';

export interface IntrospectOptions {
  credentials: 'secret' | 'table' | 'none';
  /** external: the account may have no SPCS (SHOW COMPUTE POOLS fails there), and no SPCS object is used. */
  runner?: 'spcs' | 'external';
  /** Image tag deployed by the previous run (fallback when SHOW IMAGES is not available). */
  deployedImageTag?: string | undefined;
  /**
   * Hosts our own network rule was last created or altered with, from the saved config (fallback when DESC
   * NETWORK RULE is not available). Never the hosts wanted now: that would hide a changed Batch host from the
   * plan. Empty when nothing was saved: the planner then rewrites the rule's hosts, which is always safe.
   */
  savedHosts: string[];
  /** Told about every fallback taken (shown with --verbose). */
  onFallback?: (message: string) => void;
  /**
   * Look for the sync's long-running service (SHOW SERVICES EXCLUDE JOBS): only when the schedule is or was
   * `continuous` (the answers, or a SERVICE recorded as created), so other installs send no extra statement.
   */
  service?: boolean;
  /** The mapping changed: count the profiles a resync re-sends (distinct values of this ID column, in the view or the SELECT of --view-sql). */
  countProfiles?: { idColumn: string; select?: string };
}

const isOurs = (row: ShowRow | undefined) => (text(row?.comment) ?? '').startsWith('created by batch-snowflake');

/**
 * The view's base tables from `<db>.INFORMATION_SCHEMA.GET_OBJECT_REFERENCES` (§1.2,
 * https://docs.snowflake.com/en/sql-reference/functions/get_object_references). Qualified: init never sets a
 * current database, and the unqualified name needs one. The name arguments are identifiers inside single quotes,
 * double-quoted when mixed-case or special (`'"My DB"'` vs `'mydb'`), which is what renderQualifiedName gives.
 * The function "returns an error" for a view that references stages, UDFs or materialized views, and for a secure
 * view in the chain the role does not own: init goes on with the fallback below and says why.
 */
export function objectReferencesSql(view: NameParts): string {
  const [database, schema, name] = view as [string, string, string];
  const arg = (part: string) => sqlLiteral(renderQualifiedName([part]));
  return (
    `SELECT * FROM TABLE(${renderQualifiedName([database, 'INFORMATION_SCHEMA'])}.GET_OBJECT_REFERENCES(` +
    `DATABASE_NAME => ${arg(database)}, SCHEMA_NAME => ${arg(schema)}, OBJECT_NAME => ${arg(name)}))`
  );
}

/** The base tables of the view, and the other views in its chain (whose text a stream also depends on, §1.3). */
async function baseTablesOf(session: SnowflakeSession, view: NameParts, streamRow: Promise<ShowRow | undefined>, options: IntrospectOptions): Promise<{ tables: NameParts[]; views: NameParts[] }> {
  try {
    const { rows } = await session.query<ShowRow>(objectReferencesSql(view));
    const pick = (row: ShowRow, key: string) => text(row[key] ?? row[key.toLowerCase()]) ?? '';
    const ofType = (type: string) => rows
      .filter((row) => pick(row, 'REFERENCED_OBJECT_TYPE').toUpperCase() === type)
      .map((row) => [pick(row, 'REFERENCED_DATABASE_NAME'), pick(row, 'REFERENCED_SCHEMA_NAME'), pick(row, 'REFERENCED_OBJECT_NAME')]);
    return { tables: ofType('TABLE'), views: ofType('VIEW') };
  } catch (error) {
    // Only a statement error falls back; a lost connection or a timeout still stops init.
    if (errorCode(error) === undefined) throw error;
    // Fallback: SHOW STREAMS base_tables ("Underlying tables for the view", §7) once our stream exists.
    const stream = await streamRow;
    const why = isNotAvailable(error)
      ? 'GET_OBJECT_REFERENCES is not available'
      : `GET_OBJECT_REFERENCES failed for view ${renderQualifiedName(view)} (it does for views that use UDFs, stages, materialized views or a secure view the role does not own): ${(error as Error).message.split('\n').join(' ')}`;
    options.onFallback?.(`${why}; base tables taken from SHOW STREAMS (none known before the stream exists).`);
    return { tables: splitList(stream?.base_tables).map((table) => table.split('.')), views: [] };
  }
}

/** SHOW VIEWS text of each view in the chain (null when the role cannot see it). */
async function viewTexts(session: SnowflakeSession, views: NameParts[]): Promise<Array<{ name: NameParts; text: string | null }>> {
  return Promise.all(views.map(async (name) => ({ name, text: text((await showExact(session, 'VIEWS', name, true).catch(() => []))[0]?.text) || null })));
}

async function tableChangeTracking(session: SnowflakeSession, table: NameParts): Promise<{ name: NameParts; changeTracking: boolean }> {
  const [row] = await showExact(session, 'TABLES', table, true);
  return { name: table, changeTracking: text(row?.change_tracking) === 'ON' };
}

async function imageRepository(session: SnowflakeSession, names: ResolvedNames, options: IntrospectOptions): Promise<LiveState['imageRepository']> {
  const [row] = await showExact(session, 'IMAGE REPOSITORIES', names.imageRepository, true);
  const url = text(row?.repository_url);
  if (!url) return undefined;
  try {
    const { rows } = await session.query<ShowRow>(`SHOW IMAGES IN IMAGE REPOSITORY ${renderQualifiedName(names.imageRepository)}`);
    const tags = rows
      .filter((r) => (text(r.image_name) ?? '').toLowerCase() === WORKER_IMAGE_NAME)
      .flatMap((r) => splitList(r.tags));
    return { url, imageTags: [...new Set(tags)], tagsVerified: true };
  } catch (error) {
    if (!isNotAvailable(error)) throw error;
    options.onFallback?.('SHOW IMAGES is not available: assuming the image tag deployed by the previous run is still in the repository.');
    return { url, imageTags: options.deployedImageTag ? [options.deployedImageTag] : [], tagsVerified: false };
  }
}

async function describeValue(session: SnowflakeSession, what: string, name: NameParts, column: string, row: ShowRow, fallback: string[], options: IntrospectOptions): Promise<string[]> {
  try {
    const { rows } = await session.query<ShowRow>(`DESC ${what} ${renderQualifiedName(name)}`);
    // DESC NETWORK RULE has one row with a value_list column; DESC INTEGRATION has property/property_value rows.
    const direct = rows.find((r) => column in r);
    if (direct) return splitList(direct[column]);
    const property = rows.find((r) => text(r.property)?.toLowerCase() === column);
    return splitList(property?.property_value);
  } catch (error) {
    if (!isNotAvailable(error) || !isOurs(row)) throw error;
    options.onFallback?.(`DESC ${what} is not available: assuming our own ${what.toLowerCase()} still has the settings it was created with.`);
    return fallback;
  }
}

/** SHOW SCHEMAS LIKE … IN DATABASE (reference §7); a missing database means a missing schema. */
async function schemaExists(session: SnowflakeSession, schema: NameParts): Promise<boolean> {
  const [database, name] = schema as [string, string];
  try {
    const { rows } = await session.query<ShowRow>(`SHOW SCHEMAS LIKE ${sqlLiteral(name)} IN DATABASE ${renderQualifiedName([database])}`);
    return rows.some((row) => row.name === name);
  } catch (error) {
    if (errorCode(error) === '002003') return false;
    throw error;
  }
}

export async function introspectLiveState(session: SnowflakeSession, names: ResolvedNames, options: IntrospectOptions): Promise<LiveState> {
  const streamRow = showExact(session, 'STREAMS', names.stream, true).then((rows) => rows[0]);
  const viewRow = showExact(session, 'VIEWS', names.view, true).then((rows) => rows[0]);
  const references = viewRow.then((row) => (row ? baseTablesOf(session, names.view, streamRow, options) : { tables: [], views: [] }));
  const baseTables = references.then(({ tables }) => Promise.all(tables.map((t) => tableChangeTracking(session, t))));
  const viewChain = references.then(({ views }) => viewTexts(session, views));
  const spcs = options.runner !== 'external';
  const none = Promise.resolve(undefined);
  const pool = spcs ? showExact(session, 'COMPUTE POOLS', names.computePool, false).then((rows) => rows[0]) : none;
  const rule = !spcs ? none : showExact(session, 'NETWORK RULES', names.networkRule, true).then(async (rows) => {
    const row = rows[0];
    return row ? { valueList: await describeValue(session, 'NETWORK RULE', names.networkRule, 'value_list', row, options.savedHosts, options) } : undefined;
  });
  const integration = !spcs ? none : showExact(session, 'INTEGRATIONS', names.integration, false).then(async (rows) => {
    const row = rows[0];
    if (!row) return undefined;
    const rules = await describeValue(session, 'INTEGRATION', names.integration, 'allowed_network_rules', row, [renderQualifiedName(names.networkRule)], options);
    return { enabled: text(row.enabled) === 'true', allowedNetworkRules: rules };
  });
  const credentials = options.credentials === 'secret'
    ? showExact(session, 'SECRETS', names.secret, true)
    : showExact(session, 'TABLES', names.credentialsTable, true);
  const ourTables = session
    .query<ShowRow>(`SHOW TABLES LIKE 'BATCH_SYNC_%' IN SCHEMA ${renderQualifiedName(names.schema)}`)
    .then(({ rows }) => rows.map((r) => text(r.name) ?? ''))
    .catch(() => [] as string[]);
  const stateTables = ourTables.then((found) => found.filter((n) => (STATE_TABLE_NAMES as readonly string[]).includes(n) || n === names.outbox[2]));
  const pendingTable = ourTables.then((found) => found.includes(names.pendingTable[2] as string));
  const pendingStream = showExact(session, 'STREAMS', names.pendingStream, true).then((rows) => rows[0]);
  const task = spcs ? showExact(session, 'TASKS', names.task, true).then((rows) => rows[0]) : none;
  const service = spcs && options.service ? showExact(session, 'SERVICES EXCLUDE JOBS', names.service, true).then((rows) => rows[0]) : none;
  const targetSchema = schemaExists(session, names.schema);
  const count = options.countProfiles;
  const unfinished = !count ? none : ourTables.then((found) => (found.includes(CONTROL_TABLE_NAME) ? readUnfinishedResync(session, names) : undefined));
  const profiles = !count ? none : count.select ? countViewProfiles(session, { select: count.select }, count.idColumn) : viewRow.then((row) => (row ? countViewProfiles(session, names.view, count.idColumn) : undefined));

  const [view, stream, tables, poolRow, repository, networkRule, integrationState, credentialRows, stateTableNames, taskRow, schemaFound, markerTable, markerStream, chain, viewProfiles, unfinishedResync, serviceRow] = await Promise.all([
    viewRow, streamRow, baseTables, pool, spcs ? imageRepository(session, names, options) : none, rule, integration, credentials, stateTables, task, targetSchema, pendingTable, pendingStream, viewChain, profiles, unfinished, service,
  ]);
  const live: LiveState = { baseTables: tables, stateTables: stateTableNames };
  if (serviceRow) live.service = { status: text(serviceRow.status) ?? '', comment: text(serviceRow.comment) || null };
  if (schemaFound) live.targetSchema = {};
  if (view) live.view = { comment: text(view.comment) || null, changeTracking: text(view.change_tracking) === 'ON', text: text(view.text) || null };
  if (stream) live.stream = { source: text(stream.table_name) ?? '', stale: text(stream.stale) === 'true', ...(text(stream.mode) ? { mode: text(stream.mode)! } : {}) };
  if (chain.length > 0) live.viewChain = chain;
  if (markerTable) live.pendingTable = {};
  if (viewProfiles !== undefined) live.viewProfiles = viewProfiles;
  if (unfinishedResync) live.unfinishedResync = unfinishedResync;
  if (markerStream) live.pendingStream = { stale: text(markerStream.stale) === 'true' };
  if (poolRow) live.computePool = { autoSuspendSecs: Number(poolRow.auto_suspend_secs ?? 3600), instanceFamily: text(poolRow.instance_family) ?? '' };
  if (repository) live.imageRepository = repository;
  if (networkRule) live.networkRule = networkRule;
  if (integrationState) live.integration = integrationState;
  if (credentialRows.length > 0) live[options.credentials === 'secret' ? 'secret' : 'credentialsTable'] = {};
  if (taskRow) {
    const state = text(taskRow.state) === 'started' ? 'started' : 'suspended';
    live.task = { state, comment: text(taskRow.comment) || null, lastSuspendedReason: text(taskRow.last_suspended_reason) || null };
  }
  return live;
}

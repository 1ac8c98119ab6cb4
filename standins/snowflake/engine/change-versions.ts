/**
 * Versions of change-tracked tables, for the CHANGES clause (https://docs.snowflake.com/en/sql-reference/constructs/changes):
 * when change tracking is on, every committed change of a table keeps a copy of its rows with their stable row id
 * ("__SF_RID", as streams use), tagged with the time and the statement order (query-log.ts ticks). The first copy
 * is taken when tracking starts (or, for a table created with CHANGE_TRACKING = TRUE, before its first change), so
 * a point before that is refused, as Snowflake refuses a range it has no change tracking data for. The newest 20
 * copies per table are kept, and only while the table has at most 100 000 rows (benchmarks load millions into
 * tracked tables): an older point, or any point on a larger table, is refused the same way.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckName, type SchemaObject } from './catalog.js';
import type { EngineCore } from './session.js';
import { nextTick } from './query-log.js';
import { rowIdentityQuery } from './stream-rows.js';
import { INTERNAL_SCHEMA } from './streams.js';

export interface TableVersion {
  tick: number;
  at: Date;
  /** DuckDB table with the rows (and "__SF_RID") as of this version. */
  table: string;
}

const MAX_VERSIONS = 20;
const MAX_ROWS = 100_000;
const versions = new WeakMap<SchemaObject, TableVersion[]>();

export function versionsOf(table: SchemaObject): readonly TableVersion[] {
  return table.changeTracking ? (versions.get(table) ?? []) : [];
}

async function snapshot(conn: DuckDBConnection, core: EngineCore, table: SchemaObject): Promise<void> {
  const list = versions.get(table) ?? [];
  const rows = Number((await conn.runAndReadAll(`SELECT COUNT(*) FROM ${duckName(table)}`)).getRows()[0]?.[0] ?? 0);
  if (rows > MAX_ROWS) {
    // Too large to copy on every change: no history for this table from now on (CHANGES refuses it).
    for (const old of list.splice(0)) await conn.run(`DROP TABLE IF EXISTS ${old.table}`);
    versions.set(table, list);
    return;
  }
  const tick = nextTick(core);
  const name = `${INTERNAL_SCHEMA}."ct_${table.id}_${tick}"`;
  await conn.run(`CREATE OR REPLACE TABLE ${name} AS SELECT * EXCLUDE ("__SF_LOCAL") FROM (${rowIdentityQuery(core.catalog, table).sql})`);
  list.push({ tick, at: new Date(), table: name });
  versions.set(table, list);
  for (const old of list.splice(0, Math.max(0, list.length - MAX_VERSIONS))) await conn.run(`DROP TABLE IF EXISTS ${old.table}`);
}

/** Change tracking was just turned on (outside any transaction): the first version. */
export async function startTracking(conn: DuckDBConnection, core: EngineCore, tables: SchemaObject[]): Promise<void> {
  for (const t of tables) if (t.kind === 'TABLE' && t.changeTracking && !versions.has(t)) await snapshot(conn, core, t);
}

/** Change tracking was turned off: its versions are gone. */
export function stopTracking(table: SchemaObject): void {
  versions.delete(table);
}

/** Before a change outside a transaction: a tracked table without versions gets its first one now. */
export async function beforeChange(conn: DuckDBConnection, core: EngineCore, table: SchemaObject): Promise<void> {
  if (table.changeTracking && !versions.has(table)) await snapshot(conn, core, table);
}

/** After a committed change. */
export async function recordVersion(conn: DuckDBConnection, core: EngineCore, table: SchemaObject): Promise<void> {
  if (table.changeTracking && versions.has(table)) await snapshot(conn, core, table);
}

/**
 * Streams as snapshot diffs (reference §1): a stream keeps, in a DuckDB table, its source's rows as of its
 * offset; reading it returns the net difference to the source's current rows, keyed by the stable row id.
 * The snapshot is only rewritten by a committed DML transaction that read the stream (session.ts), so a
 * plain SELECT never moves the offset and a ROLLBACK leaves it where it was.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { Catalog, qualifiedName, type SchemaObject } from './catalog.js';
import { SnowflakeSqlError } from './errors.js';
import { rowIdentityQuery } from './stream-rows.js';
import { sqlIdent } from './translate.js';

export const INTERNAL_SCHEMA = '"__sf_internal"';

export function snapshotTableFor(id: number): string {
  return `${INTERNAL_SCHEMA}."stream_${id}"`;
}

/**
 * APPEND_ONLY streams: rows appended since the offset that a later DELETE (or TRUNCATE, MERGE … DELETE) removed
 * are still returned. Snowflake's streams intro, "Types of streams" > Append-only
 * (https://docs.snowflake.com/en/user-guide/streams-intro#types-of-streams): "Append-only streams track row
 * inserts only. Update, delete, and truncate operations are not recorded (i.e. an append-only stream doesn't
 * remove rows). For example, if 10 rows are inserted into a table and then 5 of those rows are deleted before
 * the offset for an append-only stream is advanced, the stream records 10 rows." A snapshot diff cannot see a
 * deleted row, so those rows are copied here before any non-INSERT DML on a base table (rememberAppended) and
 * cleared when the offset advances. An UPDATE of an appended row: the docs are silent on which image the
 * stream returns; the current one is returned (the row is still in the source).
 */
export function appendedTableFor(snapshotTable: string): string {
  return snapshotTable.replace(/"$/, '_appended"');
}

function source(catalog: Catalog, stream: SchemaObject): SchemaObject {
  const state = stream.stream!;
  const src = catalog.objectById(state.sourceId);
  if (!src || state.stale) {
    // Not in the reference: Snowflake reports reads of a stale stream with error 091901.
    throw new SnowflakeSqlError(
      '091901',
      '01000',
      `Base table '${state.baseTables[0] ?? state.sourceName}' dropped, cannot read from stream '${stream.name}' in line 1 position 0`,
    );
  }
  return src;
}

/** The stream's net changes: source columns + METADATA$ACTION, METADATA$ISUPDATE, METADATA$ROW_ID (reference §1.4). */
export function streamDiffSql(catalog: Catalog, stream: SchemaObject): string {
  const src = source(catalog, stream);
  const current = rowIdentityQuery(catalog, src).sql;
  const snap = stream.stream!.snapshotTable;
  const names = stream.columns.map((c) => sqlIdent(c.name));
  const pick = (alias: string) => names.map((n) => `${alias}.${n}`).join(', ');
  const changed = names.length === 0 ? 'FALSE' : names.map((n) => `n.${n} IS DISTINCT FROM o.${n}`).join(' OR ');
  const inserts =
    `SELECT ${pick('n')}, 'INSERT' AS "METADATA$ACTION", o."__SF_RID" IS NOT NULL AS "METADATA$ISUPDATE", md5(n."__SF_RID") AS "METADATA$ROW_ID" ` +
    `FROM "__sf_new" n LEFT JOIN "__sf_old" o ON n."__SF_RID" = o."__SF_RID" WHERE o."__SF_RID" IS NULL` +
    (stream.stream!.appendOnly ? '' : ` OR (${changed})`);
  const deletes =
    `SELECT ${pick('o')}, 'DELETE', n."__SF_RID" IS NOT NULL, md5(o."__SF_RID") ` +
    `FROM "__sf_old" o LEFT JOIN "__sf_new" n ON n."__SF_RID" = o."__SF_RID" WHERE n."__SF_RID" IS NULL OR (${changed})`;
  // Appended rows a DML statement removed since the offset (appendedTableFor): still INSERTs of an APPEND_ONLY stream.
  const removed =
    `SELECT ${pick('a')}, 'INSERT', FALSE, md5(a."__SF_RID") FROM ${appendedTableFor(snap)} a ` +
    `WHERE a."__SF_RID" NOT IN (SELECT "__SF_RID" FROM "__sf_new") AND a."__SF_RID" NOT IN (SELECT "__SF_RID" FROM "__sf_old")`;
  const body = stream.stream!.appendOnly ? `${inserts} UNION ALL ${removed}` : `${inserts} UNION ALL ${deletes}`;
  return `WITH "__sf_new" AS (${current}), "__sf_old" AS (SELECT * FROM ${snap}) ${body}`;
}

/** Creates the snapshot at CREATE STREAM: empty with SHOW_INITIAL_ROWS = TRUE, the current rows otherwise. */
export async function createSnapshot(conn: DuckDBConnection, catalog: Catalog, stream: SchemaObject): Promise<void> {
  const state = stream.stream!;
  const current = rowIdentityQuery(catalog, source(catalog, stream)).sql;
  const keep = state.showInitialRows ? 'FALSE' : 'NOT "__SF_LOCAL"';
  await conn.run(`CREATE OR REPLACE TABLE ${state.snapshotTable} AS SELECT * EXCLUDE ("__SF_LOCAL") FROM (${current}) WHERE ${keep}`);
  if (state.appendOnly) await conn.run(`CREATE OR REPLACE TABLE ${appendedTableFor(state.snapshotTable)} AS SELECT * EXCLUDE ("__SF_LOCAL") FROM (${current}) WHERE FALSE`);
}

/**
 * Before a DML statement other than INSERT on `table`: each APPEND_ONLY stream over it copies the committed rows
 * appended since its offset that it does not hold yet (appendedTableFor). Same connection as the statement, so
 * an explicit transaction's ROLLBACK drops the copy too; a copied row that is still in the source is ignored.
 */
export async function rememberAppended(conn: DuckDBConnection, catalog: Catalog, table: SchemaObject): Promise<void> {
  for (const stream of catalog.streamsDependingOn(table)) {
    const state = stream.stream!;
    if (!state.appendOnly || state.stale || !catalog.objectById(state.sourceId)) continue;
    const current = rowIdentityQuery(catalog, source(catalog, stream)).sql;
    const appended = appendedTableFor(state.snapshotTable);
    await conn.run(
      `INSERT INTO ${appended} SELECT * EXCLUDE ("__SF_LOCAL") FROM (${current}) n WHERE NOT n."__SF_LOCAL" ` +
        `AND n."__SF_RID" NOT IN (SELECT "__SF_RID" FROM ${state.snapshotTable}) AND n."__SF_RID" NOT IN (SELECT "__SF_RID" FROM ${appended})`,
    );
  }
}

/** AT(STREAM => 'x'): the new stream starts from x's offset (its snapshot and, if APPEND_ONLY, the rows appended since). */
export async function copyOffset(conn: DuckDBConnection, from: SchemaObject, snapshotTable: string): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE ${snapshotTable} AS SELECT * FROM ${from.stream!.snapshotTable}`);
  const appended = from.stream!.appendOnly ? appendedTableFor(from.stream!.snapshotTable) : `${snapshotTable} WHERE FALSE`;
  await conn.run(`CREATE OR REPLACE TABLE ${appendedTableFor(snapshotTable)} AS SELECT * FROM ${appended}`);
}

/** Moves the offset to the source's current committed rows (called inside the consuming transaction). */
export async function advanceOffset(conn: DuckDBConnection, catalog: Catalog, stream: SchemaObject): Promise<void> {
  const state = stream.stream!;
  const current = rowIdentityQuery(catalog, source(catalog, stream)).sql;
  await conn.run(`DELETE FROM ${state.snapshotTable}`);
  await conn.run(`INSERT INTO ${state.snapshotTable} SELECT * EXCLUDE ("__SF_LOCAL") FROM (${current}) WHERE NOT "__SF_LOCAL"`);
  if (state.appendOnly) await conn.run(`DELETE FROM ${appendedTableFor(state.snapshotTable)}`);
  state.lastConsumedOn = new Date();
}

/** SYSTEM$STREAM_HAS_DATA (reference §1.7): TRUE when the stream has net changes. */
export async function streamHasData(conn: DuckDBConnection, catalog: Catalog, stream: SchemaObject): Promise<boolean> {
  const reader = await conn.runAndReadAll(`SELECT EXISTS (${streamDiffSql(catalog, stream)})`);
  return reader.getRows()[0]?.[0] === true;
}

export async function dropSnapshot(conn: DuckDBConnection, stream: SchemaObject): Promise<void> {
  await dropSnapshotTables(conn, stream.stream!.snapshotTable);
}

export async function dropSnapshotTables(conn: DuckDBConnection, snapshotTable: string): Promise<void> {
  await conn.run(`DROP TABLE IF EXISTS ${snapshotTable}`);
  await conn.run(`DROP TABLE IF EXISTS ${appendedTableFor(snapshotTable)}`);
}

/** Dropping or replacing a stream's source or one of its base tables makes the stream stale (reference §1.3). */
export function markDependentsStale(catalog: Catalog, obj: SchemaObject): void {
  for (const s of catalog.streamsDependingOn(obj)) s.stream!.stale = true;
}

export function baseTablesOf(catalog: Catalog, src: SchemaObject): SchemaObject[] {
  const names = rowIdentityQuery(catalog, src).baseTables;
  return catalog.allObjects().filter((o) => o.kind === 'TABLE' && names.includes(qualifiedName(o)));
}

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
import { nextTick } from './query-log.js';
import { appendOnlySql } from './stream-append-only.js';

export const INTERNAL_SCHEMA = '"__sf_internal"';

export function snapshotTableFor(id: number): string {
  return `${INTERNAL_SCHEMA}."stream_${id}"`;
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
  const appendOnly = stream.stream!.appendOnly ? appendOnlySql(catalog, stream, src, current) : null;
  if (appendOnly) return appendOnly;
  return diffSql(stream.columns.map((c) => c.name), current, `SELECT * FROM ${stream.stream!.snapshotTable}`, stream.stream!.appendOnly);
}

/** Net changes from the rows of `oldSql` to those of `newSql` (both with "__SF_RID"), as a stream or CHANGES shows them. */
export function diffSql(columns: string[], newSql: string, oldSql: string, appendOnly: boolean): string {
  const names = columns.map((c) => sqlIdent(c));
  const pick = (alias: string) => names.map((n) => `${alias}.${n}`).join(', ');
  const changed = names.length === 0 ? 'FALSE' : names.map((n) => `n.${n} IS DISTINCT FROM o.${n}`).join(' OR ');
  const inserts =
    `SELECT ${pick('n')}, 'INSERT' AS "METADATA$ACTION", o."__SF_RID" IS NOT NULL AS "METADATA$ISUPDATE", md5(n."__SF_RID") AS "METADATA$ROW_ID" ` +
    `FROM "__sf_new" n LEFT JOIN "__sf_old" o ON n."__SF_RID" = o."__SF_RID" WHERE o."__SF_RID" IS NULL` +
    (appendOnly ? '' : ` OR (${changed})`);
  const deletes =
    `SELECT ${pick('o')}, 'DELETE', n."__SF_RID" IS NOT NULL, md5(o."__SF_RID") ` +
    `FROM "__sf_old" o LEFT JOIN "__sf_new" n ON n."__SF_RID" = o."__SF_RID" WHERE n."__SF_RID" IS NULL OR (${changed})`;
  const body = appendOnly ? inserts : `${inserts} UNION ALL ${deletes}`;
  return `WITH "__sf_new" AS (${newSql}), "__sf_old" AS (${oldSql}) ${body}`;
}

/** Creates the snapshot at CREATE STREAM: empty with SHOW_INITIAL_ROWS = TRUE, the current rows otherwise. */
export async function createSnapshot(conn: DuckDBConnection, catalog: Catalog, stream: SchemaObject): Promise<void> {
  const state = stream.stream!;
  const current = rowIdentityQuery(catalog, source(catalog, stream)).sql;
  const keep = state.showInitialRows ? 'FALSE' : 'NOT "__SF_LOCAL"';
  await conn.run(`CREATE OR REPLACE TABLE ${state.snapshotTable} AS SELECT * EXCLUDE ("__SF_LOCAL") FROM (${current}) WHERE ${keep}`);
  state.offsetTick = nextTick();
}

/** Moves the offset to the source's current committed rows (called inside the consuming transaction). */
export async function advanceOffset(conn: DuckDBConnection, catalog: Catalog, stream: SchemaObject): Promise<void> {
  const state = stream.stream!;
  const current = rowIdentityQuery(catalog, source(catalog, stream)).sql;
  await conn.run(`DELETE FROM ${state.snapshotTable}`);
  await conn.run(`INSERT INTO ${state.snapshotTable} SELECT * EXCLUDE ("__SF_LOCAL") FROM (${current}) WHERE NOT "__SF_LOCAL"`);
  state.lastConsumedOn = new Date();
  state.offsetTick = nextTick();
}

/** SYSTEM$STREAM_HAS_DATA (reference §1.7): TRUE when the stream has net changes. */
export async function streamHasData(conn: DuckDBConnection, catalog: Catalog, stream: SchemaObject): Promise<boolean> {
  const reader = await conn.runAndReadAll(`SELECT EXISTS (${streamDiffSql(catalog, stream)})`);
  return reader.getRows()[0]?.[0] === true;
}

export async function dropSnapshot(conn: DuckDBConnection, stream: SchemaObject): Promise<void> {
  await conn.run(`DROP TABLE IF EXISTS ${stream.stream!.snapshotTable}`);
}

/** Dropping or replacing a stream's source or one of its base tables makes the stream stale (reference §1.3). */
export function markDependentsStale(catalog: Catalog, obj: SchemaObject): void {
  for (const s of catalog.streamsDependingOn(obj)) s.stream!.stale = true;
}

export function baseTablesOf(catalog: Catalog, src: SchemaObject): SchemaObject[] {
  const names = rowIdentityQuery(catalog, src).baseTables;
  return catalog.allObjects().filter((o) => o.kind === 'TABLE' && names.includes(qualifiedName(o)));
}

/**
 * Append-only streams (https://docs.snowflake.com/en/user-guide/streams-intro#types-of-streams): "tracks row inserts
 * only. Update, delete, and truncate operations are not recorded. For example, if 10 rows are inserted into a table
 * and then 5 of those rows are deleted before the offset for an append-only stream is advanced, the stream records
 * 10 rows." A net diff of the current rows loses the 5, so rows are read from every committed version of the base
 * tables since the offset (change-versions.ts) and the current rows: each row whose id was not there at the offset,
 * as first seen. When the versions do not reach back to the offset (a table above the history size limit, or older
 * versions dropped), the stream falls back to the net inserts.
 */
import { qualifiedName, type Catalog, type SchemaObject } from './catalog.js';
import { versionsOf, type TableVersion } from './change-versions.js';
import { rowIdentityQuery } from './stream-rows.js';
import { sqlIdent } from './translate.js';

export function appendOnlySql(catalog: Catalog, stream: SchemaObject, source: SchemaObject, current: string): string | null {
  const state = stream.stream!;
  const offset = state.offsetTick;
  if (offset === undefined) return null;
  const names = rowIdentityQuery(catalog, source).baseTables;
  const bases = catalog.allObjects().filter((o) => o.kind === 'TABLE' && names.includes(qualifiedName(o)));
  const lists = new Map<SchemaObject, readonly TableVersion[]>(bases.map((b) => [b, versionsOf(b)]));
  if (bases.length === 0 || [...lists.values()].some((l) => !l.some((v) => v.tick <= offset))) return null;
  const points = [...new Set([...lists.values()].flatMap((l) => l.filter((v) => v.tick > offset).map((v) => v.tick)))].sort((a, b) => a - b);
  const at = (point: number) => (table: SchemaObject) => [...(lists.get(table) ?? [])].reverse().find((v) => v.tick <= point)?.table;
  const sources = points.map((p, k) => `SELECT *, ${k} AS "__SF_V" FROM (${rowIdentityQuery(catalog, source, new Set(), at(p)).sql})`);
  sources.push(`SELECT *, ${points.length} AS "__SF_V" FROM (${current})`);
  const cols = stream.columns.map((c) => sqlIdent(c.name)).join(', ');
  return `SELECT ${cols}, 'INSERT' AS "METADATA$ACTION", FALSE AS "METADATA$ISUPDATE", md5("__SF_RID") AS "METADATA$ROW_ID" FROM (` +
    `SELECT *, row_number() OVER (PARTITION BY "__SF_RID" ORDER BY "__SF_V") AS "__SF_N" FROM (${sources.join(' UNION ALL BY NAME ')}) ` +
    `WHERE "__SF_RID" NOT IN (SELECT "__SF_RID" FROM ${state.snapshotTable})) WHERE "__SF_N" = 1`;
}

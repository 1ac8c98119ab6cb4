/**
 * <db>.INFORMATION_SCHEMA views, generated from the catalog as an inline VALUES relation (the data must
 * live in the same DuckDB database as the user's tables, see catalog.ts duckSchema). Column names and
 * DATA_TYPE values per shared/reference/snowflake-spcs.md §7.
 */
import type { SessionContext } from '../engine-types.js';
import { Catalog, sqlString } from './catalog.js';
import { objectDoesNotExist } from './errors.js';
import { display } from './names.js';
import { DEFAULT_TEXT_LENGTH, type SfColumn } from './types.js';

type Cell = string | number | null;
type Spec = Array<[name: string, duckType: string]>;

const COLUMNS_SPEC: Spec = [
  ['TABLE_CATALOG', 'VARCHAR'], ['TABLE_SCHEMA', 'VARCHAR'], ['TABLE_NAME', 'VARCHAR'], ['COLUMN_NAME', 'VARCHAR'],
  ['ORDINAL_POSITION', 'DECIMAL(38,0)'], ['COLUMN_DEFAULT', 'VARCHAR'], ['IS_NULLABLE', 'VARCHAR'], ['DATA_TYPE', 'VARCHAR'],
  ['CHARACTER_MAXIMUM_LENGTH', 'DECIMAL(38,0)'], ['CHARACTER_OCTET_LENGTH', 'DECIMAL(38,0)'], ['NUMERIC_PRECISION', 'DECIMAL(38,0)'],
  ['NUMERIC_PRECISION_RADIX', 'DECIMAL(38,0)'], ['NUMERIC_SCALE', 'DECIMAL(38,0)'], ['DATETIME_PRECISION', 'DECIMAL(38,0)'],
  ['IS_IDENTITY', 'VARCHAR'], ['COMMENT', 'VARCHAR'], ['DATA_TYPE_ALIAS', 'VARCHAR'],
];

const TABLES_SPEC: Spec = [
  ['TABLE_CATALOG', 'VARCHAR'], ['TABLE_SCHEMA', 'VARCHAR'], ['TABLE_NAME', 'VARCHAR'], ['TABLE_OWNER', 'VARCHAR'],
  ['TABLE_TYPE', 'VARCHAR'], ['IS_TRANSIENT', 'VARCHAR'], ['ROW_COUNT', 'DECIMAL(38,0)'], ['CREATED', 'TIMESTAMPTZ'], ['COMMENT', 'VARCHAR'],
];

const SCHEMATA_SPEC: Spec = [
  ['CATALOG_NAME', 'VARCHAR'], ['SCHEMA_NAME', 'VARCHAR'], ['SCHEMA_OWNER', 'VARCHAR'], ['CREATED', 'TIMESTAMPTZ'], ['COMMENT', 'VARCHAR'],
];

function dataType(c: SfColumn): string {
  return c.type === 'VARCHAR' ? 'TEXT' : c.type;
}

function relation(spec: Spec, rows: Cell[][]): string {
  const names = spec.map(([n]) => `"${n}"`).join(', ');
  if (rows.length === 0) return `SELECT ${spec.map(([n, t]) => `CAST(NULL AS ${t}) AS "${n}"`).join(', ')} WHERE FALSE`;
  const literal = (v: Cell, t: string) => (v === null ? `CAST(NULL AS ${t})` : typeof v === 'number' ? `CAST(${v} AS ${t})` : `CAST(${sqlString(v)} AS ${t})`);
  const values = rows.map((r) => `(${r.map((v, k) => literal(v, spec[k]![1])).join(', ')})`).join(', ');
  return `SELECT * FROM (VALUES ${values}) AS t(${names})`;
}

/** SQL for `[db.]INFORMATION_SCHEMA.<view>`, or null when the name is not an information-schema view. */
export function informationSchemaSql(catalog: Catalog, parts: string[], session: SessionContext): string | null {
  const at = parts.indexOf('INFORMATION_SCHEMA');
  if (at < 0 || at !== parts.length - 2) return null;
  const database = at === 1 ? parts[0]! : session.database;
  const db = database ? catalog.databases.get(database) : undefined;
  if (!db) throw objectDoesNotExist(display(parts));
  const view = parts[parts.length - 1]!;
  const objects = [...db.schemas.values()].flatMap((s) => [...s.objects.values()]).filter((o) => o.kind === 'TABLE' || o.kind === 'VIEW');
  if (view === 'COLUMNS') {
    const rows: Cell[][] = [];
    for (const o of objects) {
      o.columns.forEach((c, k) => {
        const text = c.type === 'VARCHAR';
        rows.push([
          o.database, o.schema, o.name, c.name, k + 1, c.default ?? null, c.nullable ? 'YES' : 'NO', dataType(c),
          text ? (c.length ?? DEFAULT_TEXT_LENGTH) : null, text ? (c.length ?? DEFAULT_TEXT_LENGTH) * 4 : null,
          c.type === 'NUMBER' ? (c.precision ?? 38) : null, c.type === 'NUMBER' ? 10 : null, c.type === 'NUMBER' ? (c.scale ?? 0) : null,
          null, 'NO', null, null,
        ]);
      });
    }
    return relation(COLUMNS_SPEC, rows);
  }
  if (view === 'TABLES') {
    const rows: Cell[][] = objects.map((o) => [
      o.database, o.schema, o.name, o.owner, o.kind === 'VIEW' ? 'VIEW' : 'BASE TABLE', 'NO', null, o.createdOn.toISOString(), o.comment,
    ]);
    return relation(TABLES_SPEC, rows);
  }
  if (view === 'SCHEMATA') {
    return relation(SCHEMATA_SPEC, [...db.schemas.values()].map((s) => [db.name, s.name, s.owner, s.createdOn.toISOString(), s.comment]));
  }
  throw objectDoesNotExist(display(parts));
}

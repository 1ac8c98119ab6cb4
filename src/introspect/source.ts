/**
 * Reads about the data source: the views the role can see, a sample of rows (columns typed as the driver
 * reports them, the same input the payload transform gets), and whether the ID column is unique and
 * non-null on the data. Read-only.
 */
import { renderIdentifier, renderQualifiedName } from '../../shared/sql/identifiers.js';
import type { ColumnInfo, SnowflakeSession } from '../../shared/snowflake/types.js';
import type { Row } from '../../shared/payload/index.js';
import { text, type ShowRow } from './show.js';

/** The session's current role, warehouse, user, database and schema (one query). */
export interface SessionFacts {
  role: string | null;
  warehouse: string | null;
  user: string | null;
  database: string | null;
  schema: string | null;
}

export async function sessionFacts(session: SnowflakeSession): Promise<SessionFacts> {
  const { rows } = await session.query<Record<string, unknown>>(
    'SELECT CURRENT_ROLE() AS ROLE, CURRENT_WAREHOUSE() AS WAREHOUSE, CURRENT_USER() AS USER_NAME, CURRENT_DATABASE() AS DATABASE_NAME, CURRENT_SCHEMA() AS SCHEMA_NAME',
  );
  const row = rows[0] ?? {};
  return { role: text(row.ROLE), warehouse: text(row.WAREHOUSE), user: text(row.USER_NAME), database: text(row.DATABASE_NAME), schema: text(row.SCHEMA_NAME) };
}

/** Every view the role can see, as `DB.SCHEMA.VIEW` SQL names (quoted where needed). */
export async function listViews(session: SnowflakeSession): Promise<string[]> {
  const { rows } = await session.query<ShowRow>('SHOW VIEWS IN ACCOUNT');
  return rows
    .filter((row) => text(row.database_name) && text(row.schema_name) !== 'INFORMATION_SCHEMA')
    .map((row) => renderQualifiedName([text(row.database_name) as string, text(row.schema_name) as string, text(row.name) as string]))
    .sort();
}

/** The FROM target of a source: a view name, or the user's SELECT as a subquery. */
export function sourceRelation(source: { kind: 'view'; view: string[] } | { kind: 'select'; sql: string }): string {
  return source.kind === 'view' ? renderQualifiedName(source.view) : `(${source.sql}) AS SOURCE`;
}

export interface SourceSample {
  columns: ColumnInfo[];
  rows: Row[];
}

export async function sampleSource(session: SnowflakeSession, relation: string, limit: number): Promise<SourceSample> {
  const { rows, columns } = await session.query<Row>(`SELECT * FROM ${relation} LIMIT ${Math.max(1, Math.floor(limit))}`);
  return { rows, columns };
}

export interface IdColumnStats {
  rows: number;
  nulls: number;
  duplicates: number;
}

/** COUNT(*), COUNT(id), COUNT(DISTINCT id) over the whole source. */
export async function idColumnStats(session: SnowflakeSession, relation: string, idColumn: string): Promise<IdColumnStats> {
  const id = renderIdentifier(idColumn);
  const { rows } = await session.query<Record<string, unknown>>(
    `SELECT COUNT(*) AS TOTAL_ROWS, COUNT(${id}) AS NON_NULL, COUNT(DISTINCT ${id}) AS DISTINCT_IDS FROM ${relation}`,
  );
  const row = rows[0] ?? {};
  const total = Number(row.TOTAL_ROWS ?? 0);
  const nonNull = Number(row.NON_NULL ?? 0);
  return { rows: total, nulls: total - nonNull, duplicates: nonNull - Number(row.DISTINCT_IDS ?? 0) };
}

const URL_VALUE = /^https?:\/\/[^\s/$.?#][^\s]*$/i;

/** Text columns whose non-empty sampled values are all http(s) URLs (at least one value seen). */
export function suggestUrlColumns(sample: SourceSample): string[] {
  return sample.columns
    .filter((column) => column.type === 'text')
    .filter((column) => {
      const values = sample.rows.map((row) => row[column.name]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
      return values.length > 0 && values.every((v) => URL_VALUE.test(v.trim()));
    })
    .map((column) => column.name);
}

const DATE_TYPES = new Set(['date', 'timestamp_ntz', 'timestamp_ltz', 'timestamp_tz']);

/** DATE / TIMESTAMP_* columns: pre-selected as Batch date attributes. */
export function suggestDateColumns(columns: readonly ColumnInfo[]): string[] {
  return columns.filter((column) => DATE_TYPES.has(column.type)).map((column) => column.name);
}

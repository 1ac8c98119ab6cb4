/**
 * BATCH_SYNC_CONTROL: one row per source stream, next to the worker's other state tables, holding the pause
 * flag (`batch-snowflake pause` / `resume` of an install whose sync runs outside Snowflake) and the run lock
 * (worker/sync/run-lock.ts). Shared because the CLI sets the flag and the worker honours it.
 */
import type { SnowflakeSession, SqlStatement } from '../snowflake/types.js';

export const CONTROL_TABLE_NAME = 'BATCH_SYNC_CONTROL';

export const CONTROL_DDL = `(
  SYNC_NAME VARCHAR NOT NULL, PAUSED BOOLEAN, LOCK_HOLDER VARCHAR, LOCK_ACQUIRED_AT TIMESTAMP_LTZ,
  LOCK_EXPIRES_AT TIMESTAMP_LTZ, UPDATED_AT TIMESTAMP_LTZ, RESYNC_REQUEST VARCHAR, RESYNC_FILLED VARCHAR)`;

export function controlTable(schemaSql: string | null): string {
  return schemaSql ? `${schemaSql}.${CONTROL_TABLE_NAME}` : CONTROL_TABLE_NAME;
}

/** The table and the stream's row (PAUSED = FALSE), created if missing: two statements. */
export function ensureControlRowStatements(table: string, syncName: string): SqlStatement[] {
  return [
    { sql: `CREATE TABLE IF NOT EXISTS ${table} ${CONTROL_DDL}` },
    {
      sql: `MERGE INTO ${table} AS t USING (SELECT ? AS SYNC_NAME) AS s ON t.SYNC_NAME = s.SYNC_NAME
     WHEN NOT MATCHED THEN INSERT (SYNC_NAME, PAUSED, UPDATED_AT) VALUES (s.SYNC_NAME, FALSE, CURRENT_TIMESTAMP())`,
      binds: [syncName],
    },
  ];
}

/** Creates the table and the stream's row (PAUSED = FALSE) if missing. Also used by `pause` / `resume`. */
export async function ensureControlRow(session: SnowflakeSession, table: string, syncName: string): Promise<void> {
  for (const statement of ensureControlRowStatements(table, syncName)) await session.query(statement.sql, statement.binds);
}

export interface ControlRow {
  paused: boolean;
  holder: string | null;
  expiresAt: string | null;
  /** RESYNC_REQUEST (JSON text, shared/state/resync.ts) and RESYNC_FILLED; null when absent (tables made before issue 20 lack the columns). */
  resyncRequest: string | null;
  resyncFilled: string | null;
}

export function readControlRowStatement(table: string, syncName: string): SqlStatement {
  // c.*: a table created before the resync columns existed is read as well (they are added by the first resync request).
  return { sql: `SELECT c.*, TO_VARCHAR(c.LOCK_EXPIRES_AT) AS EXPIRES_AT FROM ${table} c WHERE c.SYNC_NAME = ?`, binds: [syncName] };
}

export async function readControlRow(session: SnowflakeSession, table: string, syncName: string): Promise<ControlRow | null> {
  const { sql, binds } = readControlRowStatement(table, syncName);
  return parseControlRow((await session.query<Record<string, unknown>>(sql, binds)).rows[0]);
}

export function parseControlRow(row: Record<string, unknown> | undefined): ControlRow | null {
  if (!row) return null;
  const paused = row.PAUSED === true || row.PAUSED === 'true' || row.PAUSED === 1;
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);
  return { paused, holder: text(row.LOCK_HOLDER), expiresAt: text(row.EXPIRES_AT), resyncRequest: text(row.RESYNC_REQUEST), resyncFilled: text(row.RESYNC_FILLED) };
}

/** Sets the pause flag (the `pause` / `resume` of an external install); returns whether it changed. */
export async function setPaused(session: SnowflakeSession, table: string, syncName: string, paused: boolean): Promise<boolean> {
  await ensureControlRow(session, table, syncName);
  const result = await session.query(`UPDATE ${table} SET PAUSED = ?, UPDATED_AT = CURRENT_TIMESTAMP() WHERE SYNC_NAME = ? AND PAUSED <> ?`, [paused, syncName, paused]);
  return (result.rowsAffected ?? 0) > 0;
}

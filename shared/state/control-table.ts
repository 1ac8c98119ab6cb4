/**
 * BATCH_SYNC_CONTROL: one row per source stream, next to the worker's other state tables, holding the pause
 * flag (`batch-snowflake pause` / `resume` of an install whose sync runs outside Snowflake) and the run lock
 * (worker/sync/run-lock.ts). Shared because the CLI sets the flag and the worker honours it.
 */
import type { SnowflakeSession } from '../snowflake/types.js';

export const CONTROL_TABLE_NAME = 'BATCH_SYNC_CONTROL';

export const CONTROL_DDL = `(
  SYNC_NAME VARCHAR NOT NULL, PAUSED BOOLEAN, LOCK_HOLDER VARCHAR, LOCK_ACQUIRED_AT TIMESTAMP_LTZ,
  LOCK_EXPIRES_AT TIMESTAMP_LTZ, UPDATED_AT TIMESTAMP_LTZ)`;

export function controlTable(schemaSql: string | null): string {
  return schemaSql ? `${schemaSql}.${CONTROL_TABLE_NAME}` : CONTROL_TABLE_NAME;
}

/** Creates the table and the stream's row (PAUSED = FALSE) if missing. Also used by `pause` / `resume`. */
export async function ensureControlRow(session: SnowflakeSession, table: string, syncName: string): Promise<void> {
  await session.query(`CREATE TABLE IF NOT EXISTS ${table} ${CONTROL_DDL}`);
  await session.query(
    `MERGE INTO ${table} AS t USING (SELECT ? AS SYNC_NAME) AS s ON t.SYNC_NAME = s.SYNC_NAME
     WHEN NOT MATCHED THEN INSERT (SYNC_NAME, PAUSED, UPDATED_AT) VALUES (s.SYNC_NAME, FALSE, CURRENT_TIMESTAMP())`,
    [syncName],
  );
}

export interface ControlRow {
  paused: boolean;
  holder: string | null;
  expiresAt: string | null;
}

export async function readControlRow(session: SnowflakeSession, table: string, syncName: string): Promise<ControlRow | null> {
  const { rows } = await session.query<Record<string, unknown>>(
    `SELECT PAUSED, LOCK_HOLDER, TO_VARCHAR(LOCK_EXPIRES_AT) AS EXPIRES_AT FROM ${table} WHERE SYNC_NAME = ?`,
    [syncName],
  );
  const row = rows[0];
  if (!row) return null;
  const paused = row.PAUSED === true || row.PAUSED === 'true' || row.PAUSED === 1;
  return { paused, holder: (row.LOCK_HOLDER as string | null) ?? null, expiresAt: (row.EXPIRES_AT as string | null) ?? null };
}

/** Sets the pause flag (the `pause` / `resume` of an external install); returns whether it changed. */
export async function setPaused(session: SnowflakeSession, table: string, syncName: string, paused: boolean): Promise<boolean> {
  await ensureControlRow(session, table, syncName);
  const result = await session.query(`UPDATE ${table} SET PAUSED = ?, UPDATED_AT = CURRENT_TIMESTAMP() WHERE SYNC_NAME = ? AND PAUSED <> ?`, [paused, syncName, paused]);
  return (result.rowsAffected ?? 0) > 0;
}

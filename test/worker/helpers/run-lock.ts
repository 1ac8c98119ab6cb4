/**
 * The run lock (worker/sync/run-lock.ts) is a lease: a SIGKILLed worker cannot release it, and no other run
 * may take it until its expiry has passed (a holder's process cannot be seen from Snowflake: there is no
 * session-bound lock, only the row). Tests that kill workers give them a short lease through
 * BATCH_SYNC_LOCK_TTL_SECONDS and, before the next run, wait for the expiry on the server's clock.
 */
import type { SnowflakeSession } from '../../../shared/snowflake/types.js';
import { CONTROL_TABLE_NAME } from '../../../shared/state/control-table.js';

/** Lease of the workers a test kills: renewed every ttl/3 while alive, free ≤ 2 s after a kill. */
export const KILLED_WORKER_LOCK_ENV = { BATCH_SYNC_LOCK_TTL_SECONDS: '2' } as const;

/**
 * Resolves once no live lease is held on the control table in the session's schema, judged by the stand-in's
 * CURRENT_TIMESTAMP() (the clock the worker's compare-and-set uses), polling the condition itself.
 */
export async function lockFree(admin: SnowflakeSession, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await admin.query<{ HELD: unknown }>(
      `SELECT COUNT(*) AS HELD FROM ${CONTROL_TABLE_NAME} WHERE LOCK_HOLDER IS NOT NULL AND LOCK_EXPIRES_AT >= CURRENT_TIMESTAMP()`,
    );
    if (Number(rows[0]?.HELD ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`the run lock was still held after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

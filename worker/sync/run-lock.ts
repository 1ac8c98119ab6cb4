/**
 * One run at a time per stream, and the pause flag, in a control table next to the other state tables:
 * BATCH_SYNC_CONTROL has one row per source stream with PAUSED and a lock (holder + expiry).
 *
 * Two overlapping runs (a cron tick while the previous run still sends, a manual `sync` next to the
 * scheduler) would both read the outbox and send the same changes. The lock is a compare-and-set UPDATE:
 * it succeeds only when no one holds the row or the holder's expiry has passed, so exactly one of two
 * concurrent runs gets rowsAffected = 1. Snowflake makes the second UPDATE wait for the first one's table
 * lock and then evaluate its WHERE against the committed row ("UPDATE, DELETE and MERGE statements hold
 * locks … other statements wait", https://docs.snowflake.com/en/sql-reference/transactions#resource-locking);
 * the stand-in models that wait (standins/snowflake/engine/table-locks.ts).
 *
 * The holder renews the expiry every ttl/3 while it runs; a run that crashed (killed, machine lost) stops
 * renewing, so its lock expires and the next run takes it over. Nothing is lost then: rows leave the
 * outbox only after Batch accepted them, so the next run resends what the crashed one had not finished.
 * A holder that finds its lock taken over (it was stalled past the expiry) stops sending at once.
 */
import { randomUUID } from 'node:crypto';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { controlTable, ensureControlRowStatements, parseControlRow, readControlRowStatement, type ControlRow } from '../../shared/state/control-table.js';
import { queryAll } from '../../shared/snowflake/query-all.js';

/** Env BATCH_SYNC_LOCK_TTL_SECONDS (default 900): how long a silent holder keeps the lock. */
export const DEFAULT_LOCK_TTL_SECONDS = 900;

export function lockTtlFromEnv(env: NodeJS.ProcessEnv): number {
  const value = Number(env.BATCH_SYNC_LOCK_TTL_SECONDS);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_LOCK_TTL_SECONDS;
}

export type LockAttempt =
  | { kind: 'acquired'; lock: RunLock; control: ControlRow | null }
  | { kind: 'paused' }
  | { kind: 'busy'; holder: string | null; expiresAt: string | null };

export interface RunLockOptions {
  ttlSeconds: number;
  /** Called once when a renewal finds the lock taken over or cannot renew before it expires. */
  onLost: (reason: string) => void;
}

export class RunLock {
  private timer: NodeJS.Timeout | undefined;
  private released = false;

  constructor(
    private readonly session: SnowflakeSession,
    private readonly table: string,
    private readonly syncName: string,
    readonly holder: string,
    private readonly options: RunLockOptions,
  ) {}

  /** Renews every ttl/3: two renewals may fail (a slow statement) before the lock can expire. */
  startRenewing(): void {
    const everyMs = Math.max(250, Math.floor((this.options.ttlSeconds * 1000) / 3));
    this.timer = setInterval(() => {
      this.renew().then(
        (held) => {
          if (!held && !this.released) this.lose('the lock was taken over by another run after it expired');
        },
        () => undefined, // A failed renewal is retried at the next tick; the expiry still covers two ticks.
      );
    }, everyMs);
    this.timer.unref();
  }

  private lose(reason: string): void {
    this.stop();
    this.options.onLost(reason);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async renew(): Promise<boolean> {
    const result = await this.session.query(
      `UPDATE ${this.table} SET LOCK_EXPIRES_AT = DATEADD(second, ?, CURRENT_TIMESTAMP()), UPDATED_AT = CURRENT_TIMESTAMP()
       WHERE SYNC_NAME = ? AND LOCK_HOLDER = ?`,
      [this.options.ttlSeconds, this.syncName, this.holder],
    );
    return (result.rowsAffected ?? 0) === 1;
  }

  async release(): Promise<void> {
    this.released = true;
    this.stop();
    await this.session.query(
      `UPDATE ${this.table} SET LOCK_HOLDER = NULL, LOCK_ACQUIRED_AT = NULL, LOCK_EXPIRES_AT = NULL, UPDATED_AT = CURRENT_TIMESTAMP()
       WHERE SYNC_NAME = ? AND LOCK_HOLDER = ?`,
      [this.syncName, this.holder],
    );
  }
}

/**
 * Pause flag and compare-and-set in ONE query request (shared/snowflake/query-all.ts): create the table and the
 * stream's row if missing, the compare-and-set (which takes no lock while PAUSED), then the row as it stands
 * after it: holder = ours when acquired; paused or the other holder otherwise.
 */
export async function acquireRunLock(session: SnowflakeSession, schemaSql: string | null, syncName: string, options: RunLockOptions): Promise<LockAttempt> {
  const table = controlTable(schemaSql);
  const holder = randomUUID();
  const results = await queryAll(session, [
    ...ensureControlRowStatements(table, syncName),
    {
      sql: `UPDATE ${table} SET LOCK_HOLDER = ?, LOCK_ACQUIRED_AT = CURRENT_TIMESTAMP(),
       LOCK_EXPIRES_AT = DATEADD(second, ?, CURRENT_TIMESTAMP()), UPDATED_AT = CURRENT_TIMESTAMP()
     WHERE SYNC_NAME = ? AND PAUSED = FALSE AND (LOCK_HOLDER IS NULL OR LOCK_EXPIRES_AT < CURRENT_TIMESTAMP())`,
      binds: [holder, options.ttlSeconds, syncName],
    },
    readControlRowStatement(table, syncName),
  ]);
  const acquired = (results[2]?.rowsAffected ?? 0) === 1;
  const now = parseControlRow(results[3]?.rows[0]);
  if (acquired) return { kind: 'acquired', lock: new RunLock(session, table, syncName, holder, options), control: now };
  if (now?.paused) return { kind: 'paused' };
  return { kind: 'busy', holder: now?.holder ?? null, expiresAt: now?.expiresAt ?? null };
}

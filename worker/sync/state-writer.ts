import type { BindValue, SnowflakeSession } from '../../shared/snowflake/types.js';
import { OUTBOX_COLUMNS, type StateTables } from './state-tables.js';

export interface RejectedRecord {
  customId: string | null;
  attribute: string | null;
  valueExcerpt: string | null;
  reason: string;
  message: string;
  /** transform: our validation; batch: Batch's partial error or a permanently rejected request. */
  origin: 'transform' | 'batch';
}

const REJECTED_ROWS_PER_STATEMENT = 100;
const IDS_PER_DELETE = 1000;
const REJECTED_FLUSH_THRESHOLD = 500;

/**
 * Serialises the worker's writes to its state tables on one session: rejected-table inserts and outbox
 * deletes. Rejections are always written before any delete queued after them, so a crash can never drop a
 * row from the outbox whose rejection was not recorded. Statements are bounded (binds, not literals).
 */
export class StateWriter {
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private rejections: RejectedRecord[] = [];
  private failure: unknown;
  deletedRows = 0;
  /** Statements this writer sent (progress deletes and rejected-row inserts). */
  statements = 0;
  /** Time its writes took while the run went on sending (before flush(): nobody waited for them). */
  backgroundMs = 0;
  private flushing = false;

  constructor(
    private readonly session: SnowflakeSession,
    private readonly tables: StateTables,
    private readonly runId: string,
    private readonly sourceStream: string,
  ) {}

  get error(): unknown {
    return this.failure;
  }

  /** No write queued or running: a new one would be the only statement in flight besides sending. */
  get idle(): boolean {
    return this.queued === 0;
  }

  reject(records: readonly RejectedRecord[]): void {
    this.rejections.push(...records);
    if (this.rejections.length >= REJECTED_FLUSH_THRESHOLD) this.enqueue(() => this.writeRejections());
  }

  /** Deletes every outbox row up to and including `syncId` in send order (all of them were handled). */
  deleteThrough(syncId: string, onCommitted?: (rowsDeleted: number) => void): void {
    this.enqueue(async () => {
      await this.writeRejections();
      this.statements++;
      const result = await this.session.query(`DELETE FROM ${this.tables.outbox} WHERE ${OUTBOX_COLUMNS.syncId} <= ?`, [syncId]);
      this.deletedRows += result.rowsAffected ?? 0;
      onCommitted?.(result.rowsAffected ?? 0);
    });
  }

  /** Deletes these outbox rows (handled rows beyond the contiguous prefix when a run stops early). */
  deleteIds(syncIds: readonly string[]): void {
    if (syncIds.length === 0) return;
    this.enqueue(async () => {
      await this.writeRejections();
      for (let i = 0; i < syncIds.length; i += IDS_PER_DELETE) {
        const chunk = syncIds.slice(i, i + IDS_PER_DELETE);
        const placeholders = chunk.map(() => '?').join(', ');
        this.statements++;
        const result = await this.session.query(
          `DELETE FROM ${this.tables.outbox} WHERE ${OUTBOX_COLUMNS.syncId} IN (${placeholders})`,
          chunk,
        );
        this.deletedRows += result.rowsAffected ?? 0;
      }
    });
  }

  /** Writes what is pending and waits; throws the first failure of any queued write. */
  async flush(): Promise<void> {
    this.flushing = true;
    this.enqueue(() => this.writeRejections());
    await this.chain;
    if (this.failure !== undefined) throw this.failure;
  }

  private enqueue(write: () => Promise<void>): void {
    this.queued++;
    this.chain = this.chain.then(async () => {
      const started = performance.now();
      try {
        if (this.failure === undefined) await write();
      } catch (error) {
        this.failure = error;
      } finally {
        this.queued--;
        if (!this.flushing) this.backgroundMs += performance.now() - started;
      }
    });
  }

  private async writeRejections(): Promise<void> {
    while (this.rejections.length > 0) {
      const chunk = this.rejections.splice(0, REJECTED_ROWS_PER_STATEMENT);
      const binds: BindValue[] = [];
      const rows = chunk.map((r) => {
        binds.push(this.runId, this.sourceStream, this.tables.syncName, r.customId, r.attribute, r.valueExcerpt, r.reason, r.message, r.origin);
        return '(?, ?, ?, CURRENT_TIMESTAMP(), ?, ?, ?, ?, ?, ?)';
      });
      try {
        this.statements++;
        await this.session.query(
          `INSERT INTO ${this.tables.rejected} (RUN_ID, SOURCE_STREAM, SYNC_NAME, REJECTED_AT, CUSTOM_ID, ATTRIBUTE, VALUE_EXCERPT, REASON, MESSAGE, ORIGIN) VALUES ${rows.join(', ')}`,
          binds,
        );
      } catch (error) {
        this.rejections.unshift(...chunk);
        throw error;
      }
    }
  }
}

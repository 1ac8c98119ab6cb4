/**
 * Table locks of DML statements. Snowflake: "UPDATE, DELETE and MERGE statements hold locks that generally
 * prevent them from running in parallel with other UPDATE, DELETE and MERGE statements"; a blocked
 * statement waits (up to LOCK_TIMEOUT, 12 hours by default) and then runs against the committed data; the
 * lock is released when the transaction commits or rolls back
 * (https://docs.snowflake.com/en/sql-reference/transactions#resource-locking).
 * DuckDB instead fails the second writer of a row with a conflict, so without this a compare-and-set
 * UPDATE racing another would error here where Snowflake waits. INSERT takes no such lock (docs: inserts
 * generally run in parallel). Deadlock detection and LOCK_TIMEOUT are not modelled (docs silent on the
 * stand-in's needs; nothing in the product holds two tables in one explicit transaction).
 */
import type { SchemaObject } from './catalog.js';

type Release = () => void;

export class TableLocks {
  private readonly tails = new Map<SchemaObject, Promise<void>>();

  /** Resolves when the caller holds the table's lock; call the returned function to release it. */
  async acquire(table: SchemaObject): Promise<Release> {
    const previous = this.tails.get(table) ?? Promise.resolve();
    let release!: Release;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => held);
    this.tails.set(table, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(table) === tail) this.tails.delete(table);
    };
  }
}

const byCore = new WeakMap<object, TableLocks>();

/** One lock table per engine (all sessions of one stand-in account). */
export function tableLocksOf(core: object): TableLocks {
  let locks = byCore.get(core);
  if (!locks) byCore.set(core, (locks = new TableLocks()));
  return locks;
}

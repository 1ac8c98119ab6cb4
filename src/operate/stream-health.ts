/**
 * The stream's health and what it holds, without consuming it:
 * - SHOW STREAMS `stale` / `stale_after` (reference §1.6): a stream goes stale when its offset falls outside
 *   the retention period; `stale_after` is the last consumption time plus the retention/extension period.
 *   A stale stream must be recreated (`batch-snowflake init` does it; the next run resends every row).
 * - SYSTEM$STREAM_HAS_DATA (§1.7): cheap, may give false positives on views, never false negatives; on an
 *   empty stream it also keeps the stream from going stale.
 * - SELECT COUNT(*) FROM <stream> (an update counted once): a SELECT never advances the offset (only DML in a committed transaction
 *   does, §1.5), so counting is safe; it is skipped when the stream has no data or is stale.
 */
import { showExact, text } from '../introspect/show.js';
import type { ResolvedNames } from '../plan/names.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import { sqlLiteral } from '../../shared/sql/literals.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { toDate, toNumber } from './installed.js';

/** Warn this long before `stale_after`: the hourly task has time to run (or the user to run it). */
export const STALE_WARNING_MS = 2 * 24 * 3600 * 1000;

export interface StreamHealth {
  name: string;
  exists: boolean;
  /** The source as SHOW STREAMS prints it (table_name). */
  source: string | null;
  stale: boolean;
  staleAfter: Date | null;
  /** stale_after is in less than STALE_WARNING_MS. */
  staleSoon: boolean;
  hasData: boolean | null;
  /** Net changes waiting in the stream; null when not counted (stale, missing, or the count failed). */
  pendingRows: number | null;
}

export async function readStreamHealth(session: SnowflakeSession, names: ResolvedNames, now: Date): Promise<StreamHealth> {
  const name = renderQualifiedName(names.stream);
  const [row] = await showExact(session, 'STREAMS', names.stream, true);
  if (!row) return { name, exists: false, source: null, stale: false, staleAfter: null, staleSoon: false, hasData: null, pendingRows: null };
  const stale = text(row.stale)?.toLowerCase() === 'true';
  const staleAfter = toDate(row.stale_after);
  const staleSoon = !stale && staleAfter !== null && staleAfter.getTime() - now.getTime() < STALE_WARNING_MS;
  const health: StreamHealth = { name, exists: true, source: text(row.table_name), stale, staleAfter, staleSoon, hasData: null, pendingRows: null };
  if (stale) return health;
  // §1.7: the whole (quoted) name goes inside one string literal.
  const { rows } = await session.query<{ HAS_DATA: unknown }>(`SELECT SYSTEM$STREAM_HAS_DATA(${sqlLiteral(name)}) AS HAS_DATA`);
  const value = rows[0]?.HAS_DATA;
  health.hasData = value === true || String(value).toLowerCase() === 'true';
  if (!health.hasData) {
    health.pendingRows = 0;
    return health;
  }
  try {
    // Changed rows, not stream rows: an update is a DELETE and an INSERT row both with METADATA$ISUPDATE (§1.4); count its INSERT half.
    const count = await session.query<{ N: unknown }>(`SELECT COUNT(*) AS N FROM ${name} WHERE NOT (METADATA$ISUPDATE AND METADATA$ACTION = 'DELETE')`);
    health.pendingRows = toNumber(count.rows[0]?.N);
  } catch {
    // A count needs a warehouse and SELECT on the view; the pending flag above is still meaningful.
    health.pendingRows = null;
  }
  return health;
}

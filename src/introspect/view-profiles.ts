/**
 * How many profiles a resync re-sends: the distinct non-NULL IDs of the view, in ONE read-only statement
 * (https://docs.snowflake.com/en/sql-reference/functions/count: COUNT(DISTINCT …) ignores NULLs, as the
 * sync does: a row without an ID never reaches Batch). Read only when the mapping changed.
 */
import { renderIdentifier, renderQualifiedName, type NameParts } from '../../shared/sql/identifiers.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';

/** `source`: the view, or the SELECT of --view-sql (the view it becomes may not exist yet, or still have the old SELECT). */
export async function countViewProfiles(session: SnowflakeSession, source: NameParts | { select: string }, idColumn: string): Promise<number | undefined> {
  const from = 'select' in source ? `(${source.select}) AS BATCH_SYNC_SOURCE` : renderQualifiedName(source);
  try {
    const { rows } = await session.query<{ PROFILES: unknown }>(
      `SELECT COUNT(DISTINCT CAST(${renderIdentifier(idColumn)} AS VARCHAR)) AS PROFILES FROM ${from}`,
    );
    const n = Number(rows[0]?.PROFILES);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined; // the plan says `?` profiles; the apply does not depend on the count
  }
}

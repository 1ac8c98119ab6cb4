/**
 * A resync request not finished yet (issue 20): RESYNC_REQUEST of the sync's control row, which `init` reads
 * when the mapping changed so that a new request carries the attributes the unfinished one was to unset
 * (src/plan/resync-step.ts). One read-only SELECT, only when the control table exists; a table made before the
 * resync columns existed is read as well (readControlRow selects c.*).
 */
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { controlTable, readControlRow } from '../../shared/state/control-table.js';
import { parseResyncRequest } from '../../shared/state/resync.js';
import type { LiveState } from '../plan/live-state.js';
import type { ResolvedNames } from '../plan/names.js';

export async function readUnfinishedResync(session: SnowflakeSession, names: Pick<ResolvedNames, 'schema' | 'stream'>): Promise<LiveState['unfinishedResync']> {
  const row = await readControlRow(session, controlTable(renderQualifiedName(names.schema)), renderQualifiedName(names.stream)).catch(() => null);
  const request = parseResyncRequest(row?.resyncRequest ?? null);
  return request ? { unset: request.unset, requestedAt: request.requestedAt } : undefined;
}

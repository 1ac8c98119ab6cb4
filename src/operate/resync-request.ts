/**
 * `batch-snowflake run --resync` (issue 20): records a resync request (shared/state/resync.ts) that the next
 * run honours: it re-sends every current row of the view through mass-update, as the first backfill did.
 * An unfinished request's unset attributes are carried over (by the MERGE itself, with what is recorded when it
 * runs), except those of columns in the saved mapping (back in the view since). Also counts the profiles (distinct IDs) the
 * resync re-sends, so a view with 0 rows is said so.
 */
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { readControlRow } from '../../shared/state/control-table.js';
import { newResyncRequest, parseResyncRequest, resyncRequestStatements } from '../../shared/state/resync.js';
import { findSync } from '../config/project-config.js';
import { countViewProfiles } from '../introspect/view-profiles.js';
import { mappedAttributes } from '../plan/resync-step.js';
import type { Installed } from './installed.js';
import { controlTableOf, syncNameOf } from './pause-flag.js';

export interface RecordedResync {
  requestId: string;
  /** Distinct IDs in the view; undefined when the count could not be read. */
  profiles: number | undefined;
  /** Attributes the resync unsets (carried over from an unfinished request). */
  unset: string[];
}

export async function recordResync(session: SnowflakeSession, installed: Installed, now: Date): Promise<RecordedResync> {
  const { answers } = installed;
  const table = controlTableOf(installed);
  const unfinished = await readControlRow(session, table, syncNameOf(installed)).catch(() => null);
  // Never unset a column the mapping has (again): the saved mapping's columns, as last synced.
  const mapped = mappedAttributes({ columns: findSync(installed.config, installed.sync)?.syncedColumns ?? null });
  const carried = (parseResyncRequest(unfinished?.resyncRequest ?? null)?.unset ?? []).filter((a) => !mapped.includes(a));
  const request = newResyncRequest(renderQualifiedName(installed.names.view), carried, now);
  const pending = answers.runner === 'spcs' && answers.skipEmptyRuns ? renderQualifiedName(installed.names.pendingTable) : null;
  for (const statement of resyncRequestStatements(table, syncNameOf(installed), request, pending, mapped)) {
    await session.query(statement.sql, statement.binds.length > 0 ? statement.binds : undefined);
  }
  const profiles = await countViewProfiles(session, installed.names.view, answers.idColumn);
  return { requestId: request.id, profiles, unset: request.unset };
}

export function describeResync(recorded: RecordedResync): string {
  if (recorded.profiles === 0) return 'The view has 0 rows: the resync has nothing to re-send (recorded anyway; it clears itself on the next run).';
  const count = recorded.profiles === undefined ? 'every' : `${recorded.profiles}`;
  const unset = recorded.unset.length > 0 ? `, unsetting ${recorded.unset.join(', ')}` : '';
  return `Resync requested: the next run re-sends ${count} profile(s) of the view through mass-update${unset}.`;
}

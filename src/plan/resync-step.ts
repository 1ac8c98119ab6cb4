/**
 * The resync step of a reconfigure (issue 20): when the mapping changed in a way that changes what Batch
 * holds for profiles already sent, the plan lists what it means (src/plan/mapping-changes.ts) and records a
 * resync request that the worker honours on its next run (shared/state/resync.ts, worker/sync/resync.ts). The request's write
 * merges with the request recorded by then (one MERGE): one recorded after the plan read the control row keeps its unsets.
 * Pure: the request's id and time come from the caller.
 */
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import { newResyncRequest, resyncRequestStatements } from '../../shared/state/resync.js';
import type { ColumnInfo } from '../../shared/snowflake/types.js';
import { controlTable } from '../../shared/state/control-table.js';
import type { PlanBuilder } from './builder.js';
import type { LiveState } from './live-state.js';
import { attributeName, diffMapping, formatCount, type MappingChange, type SyncedMapping } from './mapping-changes.js';
import type { ResolvedAnswers } from './names.js';
import type { ResyncStep } from './types.js';

export interface MappingPlanInput {
  /** The mapping last synced (from the saved config); null on a first install. */
  before: SyncedMapping | null;
  after: SyncedMapping;
  columnInfo?: readonly ColumnInfo[];
  /** false: --no-resync. */
  resync: boolean;
  /** Columns removed from the mapping: unset in Batch (--unset-removed or the wizard's yes). */
  unsetRemoved: boolean;
  /** The user chose (flag or prompt); false = kept by default, which the plan warns about. */
  removedDecided: boolean;
  requestId: string;
  now: Date;
}

/** https://doc.batch.com/api/gdpr/create (shared/reference/batch-api.md §2, S10): the profile API has no delete. */
export const OLD_ID_REMOVAL =
  "Batch's profile API cannot delete profiles: remove the old ones with Batch's GDPR API (POST /1.0/<API key>/gdpr/request, request_type \"remove\", one custom_id per request) or from the dashboard's privacy center.";

export function planResync({ answers, names }: ResolvedAnswers, live: LiveState, input: MappingPlanInput | undefined, plan: PlanBuilder): void {
  if (!input?.before) return;
  const changes = diffMapping({ before: input.before, after: input.after, ...(input.columnInfo ? { columnInfo: input.columnInfo } : {}), ...(live.viewProfiles !== undefined ? { profiles: live.viewProfiles } : {}), unsetRemoved: input.unsetRemoved });
  if (changes.length === 0) return;
  const removed = changes.filter((c) => c.kind === 'removed');
  if (removed.length > 0 && !input.unsetRemoved && !input.removedDecided) {
    plan.note(`Column(s) ${removed.map((c) => c.column).join(', ')} no longer in the view: their attributes are kept in Batch (no --unset-removed given). Pass --unset-removed to unset them, --keep-removed to keep them without this warning.`);
  }
  if (changes.some((c) => c.kind === 'id')) {
    plan.note(`The ID column changed from ${input.before.idColumn} to ${input.after.idColumn}: the profiles Batch holds under the old IDs are not touched by the sync and stay in Batch. ${OLD_ID_REMOVAL}`);
  }
  const lines = changes.map((c) => ({ symbol: c.symbol, text: c.text }));
  if (!changes.some((c) => c.needsResync)) {
    for (const line of lines) plan.note(`${line.symbol} ${line.text}`);
    return;
  }
  if (!input.resync) {
    plan.note(`The mapping changed (${lines.map((l) => l.text).join('; ')}) but --no-resync: profiles already in Batch keep what they hold until their row changes. \`batch-snowflake run --resync\` re-sends every row later.`);
    return;
  }
  const unset = unsetAttributes(removed, input, live);
  const request = { ...newResyncRequest(renderQualifiedName(names.view), unset, input.now), id: input.requestId };
  const pending = answers.runner === 'spcs' && answers.skipEmptyRuns ? renderQualifiedName(names.pendingTable) : null;
  const step: ResyncStep = {
    kind: 'resync',
    id: 'resync',
    action: 'change',
    summary: `resync: the next run re-sends every row of ${renderQualifiedName(names.view)} (${formatCount(live.viewProfiles)} profiles, mass-update)${describeUnset(unset, live)}`,
    statements: resyncRequestStatements(controlTable(renderQualifiedName(names.schema)), renderQualifiedName(names.stream), request, pending, mappedAttributes(input.after)),
    changes: lines,
    requires: [],
  };
  plan.add(step);
}

/**
 * The attributes the new request unsets: the columns removed now (when the user agreed) and those an unfinished
 * earlier request was to unset, since the new request replaces it; but never a column the view has again.
 */
function unsetAttributes(removed: readonly MappingChange[], input: MappingPlanInput, live: LiveState): string[] {
  const now = input.unsetRemoved ? removed.map((c) => attributeName(c.column!)) : [];
  const present = new Set(mappedAttributes(input.after));
  const carried = (live.unfinishedResync?.unset ?? []).filter((a) => !present.has(a));
  return [...new Set([...carried, ...now])].sort();
}

/** The attributes of the columns in a mapping (none when its columns are unknown): never unset by a request. */
export function mappedAttributes(mapping: Pick<SyncedMapping, 'columns'>): string[] {
  return (mapping.columns ?? []).map(attributeName);
}

function describeUnset(unset: readonly string[], live: LiveState): string {
  if (unset.length === 0) return '';
  const carried = unset.filter((a) => live.unfinishedResync?.unset.includes(a));
  return `, unsetting ${unset.join(', ')}${carried.length > 0 ? ` (${carried.join(', ')}: from an earlier resync not finished yet)` : ''}`;
}

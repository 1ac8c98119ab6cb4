/**
 * The mapping compare of a reconfigure (issue 20): the saved mapping (batch-snowflake.json answers and the
 * view's columns as last synced) against the new one; whether to count the profiles (one COUNT, only when
 * something changed); whether to unset removed columns (--unset-removed / --keep-removed, else asked; without
 * a terminal they are kept, and the plan warns).
 */
import { randomUUID } from 'node:crypto';
import { answersOf, findSync, type ProjectConfig } from '../config/project-config.js';
import type { ResolvedAnswers } from '../plan/names.js';
import { diffMapping, removedColumns, type SyncedMapping } from '../plan/mapping-changes.js';
import type { MappingPlanInput } from '../plan/resync-step.js';
import type { Collected } from './collect.js';
import type { Wizard } from './context.js';
import type { InitFlags } from './given.js';

/** The mapping sync `sync` last synced; null on a first install and for a sync new to the project. */
export function savedMapping(previous: ProjectConfig | null, sync: string): SyncedMapping | null {
  const a = previous ? answersOf(previous, sync) : undefined;
  if (!previous || !a) return null;
  return { idColumn: a.idColumn, dateColumns: a.dateColumns, urlColumns: a.urlColumns, nullPolicy: a.worker.nullPolicy, columns: findSync(previous, sync)?.syncedColumns ?? null };
}

export function newMapping({ answers }: ResolvedAnswers, collected: Collected): SyncedMapping {
  return { idColumn: answers.idColumn, dateColumns: answers.dateColumns, urlColumns: answers.urlColumns, nullPolicy: answers.worker.nullPolicy, columns: collected.columns?.map((c) => c.name) ?? null };
}

/** Asks (or reads the flags) about removed columns, then returns the planner's input; null on a first install. */
export async function mappingPlanInput(w: Wizard, flags: InitFlags, previous: ProjectConfig | null, resolved: ResolvedAnswers, collected: Collected, now: Date): Promise<MappingPlanInput | undefined> {
  const before = savedMapping(previous, resolved.sync);
  if (!before) return undefined;
  const after = newMapping(resolved, collected);
  const removed = removedColumns(before, after);
  let unsetRemoved = flags.unsetRemoved;
  let removedDecided = flags.unsetRemoved || flags.keepRemoved;
  if (removed.length > 0 && !removedDecided && w.prompter && flags.resync) {
    unsetRemoved = await w.prompter.confirm({
      message: `Column(s) ${removed.join(', ')} are no longer in the view. Unset their attributes (${removed.map((c) => c.toLowerCase()).join(', ')}) in the profiles already in Batch?`,
      default: false,
    });
    removedDecided = true;
  }
  return { before, after, ...(collected.columns ? { columnInfo: collected.columns } : {}), resync: flags.resync, unsetRemoved, removedDecided, requestId: randomUUID(), now };
}

/** The ID column whose distinct values to count, when the mapping changed at all (else no COUNT is sent). */
export function countProfilesBy(input: MappingPlanInput | undefined): string | undefined {
  if (!input?.before) return undefined;
  return diffMapping({ before: input.before, after: input.after }).length > 0 ? input.after.idColumn : undefined;
}

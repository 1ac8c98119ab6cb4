/**
 * What a reconfigure means for profiles already in Batch (issue 20): the saved mapping (the config's answers
 * and the view's columns as last synced) against the new one. Pure. Each change says what happens to the
 * profiles, with the count that introspection read (one COUNT on the view, src/introspect/read-live-state.ts).
 */
import type { ColumnInfo } from '../../shared/snowflake/types.js';

/** What decides the payload of a row: the ID, the typed columns, the null policy and the columns of the view. */
export interface SyncedMapping {
  idColumn: string;
  dateColumns: readonly string[];
  urlColumns: readonly string[];
  nullPolicy: 'skip' | 'delete';
  /** The view's columns (exact names); null when unknown (a config written before this was recorded). */
  columns: readonly string[] | null;
}

export type MappingChangeKind = 'type' | 'added' | 'removed' | 'null-policy' | 'id';

export interface MappingChange {
  kind: MappingChangeKind;
  /** The column concerned (exact name), for added / removed / type. */
  column?: string;
  /** `+` added, `~` changed, `-` removed. */
  symbol: '+' | '~' | '-';
  /** Whether re-sending every row is what brings Batch in line. */
  needsResync: boolean;
  text: string;
}

const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();
const has = (list: readonly string[], name: string) => list.some((c) => same(c, name));

/** The Batch attribute name of a column (lower case), as the payload transform names it. */
export const attributeName = (column: string) => column.toLowerCase();

/** The type Batch stores for a column: date / url as mapped, else what its Snowflake type is sent as. */
function sentType(column: string, mapping: SyncedMapping, info: ColumnInfo | undefined): string {
  if (has(mapping.dateColumns, column)) return 'date';
  if (has(mapping.urlColumns, column)) return 'url';
  switch (info?.type.toLowerCase()) {
    case 'fixed':
    case 'real':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return 'array';
    default:
      return 'string';
  }
}

/** `1 000`: the count as the plan prints it; `?` when it could not be read. */
export function formatCount(n: number | undefined): string {
  return n === undefined ? '?' : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

export interface DiffInput {
  before: SyncedMapping;
  after: SyncedMapping;
  /** The view's columns now, with their types (for the sent type of a column no longer a date or URL). */
  columnInfo?: readonly ColumnInfo[];
  /** Distinct IDs in the view (COUNT on the view); undefined when not read. */
  profiles?: number;
  /** Removed columns: unset in Batch (true) or kept (false); undefined = not decided yet. */
  unsetRemoved?: boolean;
}

export function diffMapping({ before, after, columnInfo = [], profiles, unsetRemoved }: DiffInput): MappingChange[] {
  const n = formatCount(profiles);
  const changes: MappingChange[] = [];
  const info = (name: string) => columnInfo.find((c) => same(c.name, name));
  if (!same(before.idColumn, after.idColumn)) {
    changes.push({
      kind: 'id', symbol: '~', needsResync: true,
      text: `ID column ${before.idColumn} → ${after.idColumn}: ${n} profiles re-sent under the new IDs; the profiles under the old ${before.idColumn} IDs stay in Batch`,
    });
  }
  const current = after.columns ?? before.columns;
  const removed = before.columns && after.columns ? before.columns.filter((c) => !has(after.columns!, c) && !same(c, before.idColumn)) : [];
  const added = before.columns && after.columns ? after.columns.filter((c) => !has(before.columns!, c) && !same(c, after.idColumn)) : [];
  for (const column of current ?? []) {
    if (same(column, after.idColumn) || has(added, column)) continue;
    const from = sentType(column, before, info(column));
    const to = sentType(column, after, info(column));
    if (from !== to) changes.push({ kind: 'type', column, symbol: '~', needsResync: true, text: `${attributeName(column)}: ${from} → ${to}, ${n} profiles re-sent` });
  }
  if (current === null) {
    // Columns unknown: still report date/URL lists that changed.
    for (const column of [...before.dateColumns, ...before.urlColumns, ...after.dateColumns, ...after.urlColumns]) {
      const from = sentType(column, before, undefined);
      const to = sentType(column, after, undefined);
      if (from !== to && !changes.some((c) => c.column !== undefined && same(c.column, column))) {
        changes.push({ kind: 'type', column, symbol: '~', needsResync: true, text: `${attributeName(column)}: ${from} → ${to}, ${n} profiles re-sent` });
      }
    }
  }
  for (const column of added) changes.push({ kind: 'added', column, symbol: '+', needsResync: true, text: `column ${column} added: set in ${n} profiles` });
  for (const column of removed) {
    const what = unsetRemoved === undefined ? `unset in ${n} profiles?` : unsetRemoved ? `unset in ${n} profiles` : `kept as it is in ${n} profiles (not unset)`;
    changes.push({ kind: 'removed', column, symbol: '-', needsResync: unsetRemoved === true, text: `column ${column} removed: ${what}` });
  }
  if (before.nullPolicy !== after.nullPolicy) {
    const toDelete = after.nullPolicy === 'delete';
    changes.push({
      kind: 'null-policy', symbol: '~', needsResync: toDelete,
      text: toDelete
        ? `null policy skip → delete: NULL values deleted in Batch, ${n} profiles re-sent`
        : 'null policy delete → skip: NULL values are no longer sent (nothing to re-send: what was deleted stays deleted)',
    });
  }
  return changes;
}

/** The columns removed from the mapping (the wizard asks whether to unset them). */
export function removedColumns(before: SyncedMapping, after: SyncedMapping): string[] {
  if (!before.columns || !after.columns) return [];
  return before.columns.filter((c) => !has(after.columns!, c) && !same(c, before.idColumn));
}

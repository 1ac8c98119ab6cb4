/**
 * Decides once per result set how each column is sent (its Batch key and value rules), and reports up front
 * which columns Batch would refuse and the alias that fixes them (the wizard shows this before setup).
 */
import type { ColumnInfo } from '../snowflake/types.js';
import { attributeNameProblem, isMetadataColumn, isNativeAttribute, sameColumn, suggestAttributeName } from './names.js';
import type { ColumnIssue, ColumnIssueCode, ColumnPlan, ColumnReport, PayloadMapping, RejectionReason } from './types.js';

const DATE_TYPES = new Set(['date', 'timestamp_ntz', 'timestamp_ltz', 'timestamp_tz']);
const DATE_COMPATIBLE = new Set([...DATE_TYPES, 'text', 'variant']);
/** Third-party integrations cap profiles at 50 attributes (batch-api.md §3.7, unconfirmed): a warning only. */
export const ATTRIBUTES_WARNING_THRESHOLD = 50;
const BLOCKING: ReadonlySet<ColumnIssueCode> = new Set(['missing_id_column', 'unknown_date_column', 'unknown_url_column']);

/** The ID column: an exact name match first, else case-insensitive (like Batch's job). */
export function findIdColumn(columns: readonly ColumnInfo[], idColumn: string): ColumnInfo | undefined {
  return columns.find((c) => c.name === idColumn) ?? columns.find((c) => sameColumn(c.name, idColumn));
}

const quote = (name: string) => JSON.stringify(name);

export function planColumns(columns: readonly ColumnInfo[], mapping: PayloadMapping): ColumnPlan[] {
  const id = findIdColumn(columns, mapping.idColumn);
  const listed = (list: readonly string[] | undefined, name: string) => (list ?? []).some((c) => sameColumn(c, name));
  const seenNames = new Map<string, string>();
  return columns.map((column): ColumnPlan => {
    const base = { column: column.name, type: column.type, scale: column.scale };
    if (column === id) return { ...base, role: 'id', key: null };
    if (isMetadataColumn(column.name) || listed(mapping.ignoreColumns, column.name)) return { ...base, role: 'ignored', key: null };
    const invalid = (reason: RejectionReason, issue: ColumnIssueCode, message: string, suggestedAlias?: string): ColumnPlan => ({
      ...base,
      role: 'invalid',
      key: null,
      problem: { reason, issue, message, ...(suggestedAlias === undefined ? {} : { suggestedAlias }) },
    });
    const name = column.name.toLowerCase();
    const isDate = listed(mapping.dateColumns, column.name);
    const isUrl = !isDate && listed(mapping.urlColumns, column.name);
    if (name.startsWith('$')) {
      if (!isNativeAttribute(name)) {
        const alias = suggestAttributeName(column.name);
        const message = `${quote(column.name)} is not a Batch native attribute ($email_address, $phone_number, …) and custom attribute names cannot start with $. Alias it in the view, e.g. AS ${alias}.`;
        return invalid('unknown_native', 'unknown_native', message, alias);
      }
      if (isDate || isUrl) {
        const message = `Native attribute ${name} cannot be a ${isDate ? 'date' : 'URL'} column; remove it from ${isDate ? '--date-columns' : '--url-columns'}.`;
        return invalid('invalid_name', 'native_cannot_be_date_or_url', message);
      }
    } else {
      const problem = attributeNameProblem(column.name);
      if (problem) return invalid('invalid_name', 'invalid_name', problem.message, problem.suggestedAlias);
    }
    const first = seenNames.get(name);
    if (first !== undefined) {
      const alias = suggestAttributeName(`${name}_2`);
      const message = `Columns ${quote(first)} and ${quote(column.name)} both become attribute ${name}; alias one of them in the view, e.g. AS ${alias}.`;
      return invalid('duplicate_name', 'duplicate_name', message, alias);
    }
    seenNames.set(name, column.name);
    if (name.startsWith('$')) return { ...base, role: 'native', key: name };
    if (isDate) return { ...base, role: 'date', key: `date(${name})` };
    if (isUrl) return { ...base, role: 'url', key: `url(${name})` };
    return { ...base, role: 'attribute', key: name };
  });
}

/** Everything the wizard (and the worker at start-up) should know about the columns before sending. */
export function validateColumns(columns: readonly ColumnInfo[], mapping: PayloadMapping): ColumnReport {
  const plan = planColumns(columns, mapping);
  const issues: ColumnIssue[] = [];
  const error = (code: ColumnIssueCode, column: string, message: string, suggestedAlias?: string) =>
    issues.push({ severity: 'error', code, column, message, ...(suggestedAlias === undefined ? {} : { suggestedAlias }) });
  const warning = (code: ColumnIssueCode, column: string, message: string) => issues.push({ severity: 'warning', code, column, message });

  if (!findIdColumn(columns, mapping.idColumn)) {
    const names = columns.filter((c) => !isMetadataColumn(c.name)).map((c) => c.name).join(', ');
    error('missing_id_column', mapping.idColumn, `ID column ${quote(mapping.idColumn)} is not in the view (columns: ${names}). Pass --id-column with one of them.`);
  }
  const has = (name: string) => columns.some((c) => sameColumn(c.name, name));
  for (const name of mapping.dateColumns.filter((n) => !has(n))) {
    error('unknown_date_column', name, `Date column ${quote(name)} is not in the view; fix the --date-columns list.`);
  }
  for (const name of mapping.urlColumns.filter((n) => !has(n))) {
    error('unknown_url_column', name, `URL column ${quote(name)} is not in the view; fix the --url-columns list.`);
  }
  for (const entry of plan) {
    const column = quote(entry.column);
    if (entry.problem) {
      error(entry.problem.issue, entry.column, entry.problem.message, entry.problem.suggestedAlias);
      continue;
    }
    if (entry.role === 'id' || entry.role === 'ignored') continue;
    if (entry.role === 'date' && !DATE_COMPATIBLE.has(entry.type)) {
      error('date_column_type', entry.column, `Date column ${column} has type ${entry.type}: every value would be rejected. Convert it in the view with TO_TIMESTAMP(col).`);
    } else if (entry.role === 'attribute' && DATE_TYPES.has(entry.type)) {
      warning('timestamp_not_in_date_columns', entry.column, `Column ${column} is a ${entry.type} but not a date column, so it is sent as text. Add it to --date-columns to make it a Batch date.`);
    }
    if (entry.type === 'object') {
      error('object_column', entry.column, `Column ${column} is an OBJECT; Batch profiles do not accept objects. Select its fields as separate columns (col:field::VARCHAR AS name).`);
    } else if (entry.type === 'binary') {
      error('binary_column', entry.column, `Column ${column} is BINARY; Batch has no binary type. Use HEX_ENCODE(col) or BASE64_ENCODE(col) in the view.`);
    }
  }
  const sent = plan.filter((p) => p.key !== null).length;
  if (sent > ATTRIBUTES_WARNING_THRESHOLD) {
    warning('too_many_attributes', '', `${sent} attributes per profile; integrations report that Batch accepts at most ${ATTRIBUTES_WARNING_THRESHOLD} (unconfirmed).`);
  }
  return { plan, issues, ok: !issues.some((i) => BLOCKING.has(i.code)) };
}

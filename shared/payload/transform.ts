/**
 * THE row → Batch profile operation transform (issue 4, "One transform"), used by the worker for every
 * change row and by the wizard's preview. Pure: no I/O, no clock. A bad attribute is dropped alone with
 * its reason; only a missing or invalid ID rejects the whole row.
 */
import { usageError } from '../errors.js';
import type { ColumnInfo } from '../snowflake/types.js';
import { findIdColumn, planColumns } from './columns.js';
import { customIdFrom } from './custom-id.js';
import { dateValue } from './dates.js';
import { isNativeAttribute } from './names.js';
import { nativeValue } from './natives.js';
import { urlValue } from './urls.js';
import {
  EMPTY,
  arrayValue,
  booleanValue,
  isBlank,
  isPlainObject,
  numberValue,
  reject,
  stringValue,
  type ValueResult,
} from './values.js';
import type { AttributeValue, ColumnPlan, PayloadMapping, Rejection, TransformResult } from './types.js';
import { valueExcerpt } from './excerpt.js';

export type Row = Readonly<Record<string, unknown>>;

export interface RowTransform {
  /** How each column is sent, in column order. */
  readonly plan: readonly ColumnPlan[];
  /** The ID column's name as Snowflake returned it. */
  readonly idColumn: string;
  /** INSERT (and UPDATE) change rows: the profile operation for this row. */
  toOperation(row: Row): TransformResult;
  /** DELETE change rows with the "unset" delete policy: every mapped attribute → null. */
  toDeleteOperation(row: Row): TransformResult;
}

/** Compiles the column plan once; throws UserError when the ID column is not among the columns. */
export function createTransform(columns: readonly ColumnInfo[], mapping: PayloadMapping): RowTransform {
  const id = findIdColumn(columns, mapping.idColumn);
  if (!id) {
    throw usageError('ID_COLUMN_NOT_FOUND', `ID column ${JSON.stringify(mapping.idColumn)} is not in the source columns.`, {
      suggestion: `Pass --id-column with one of: ${columns.map((c) => c.name).join(', ')}`,
    });
  }
  const plan = planColumns(columns, mapping);
  const idPlan = plan.find((p) => p.role === 'id') as ColumnPlan;
  const sent = plan.filter((p) => p.key !== null);
  const invalid = plan.filter((p) => p.role === 'invalid');

  const identify = (row: Row, rejections: Rejection[]): string | null => {
    const raw = row[id.name];
    const result = customIdFrom(raw, idPlan.type, idPlan.scale);
    if (result.ok) return result.id;
    rejections.push({
      customId: null,
      scope: 'row',
      column: id.name,
      attribute: id.name.toLowerCase(),
      valueExcerpt: valueExcerpt(raw),
      reason: result.reason,
      message: result.message,
    });
    return null;
  };

  const rejectInvalidColumns = (row: Row, customId: string, rejections: Rejection[]) => {
    for (const entry of invalid) {
      const raw = row[entry.column];
      if (raw === null || raw === undefined || (typeof raw === 'string' && isBlank(raw)) || !entry.problem) continue;
      rejections.push({
        customId,
        scope: 'attribute',
        column: entry.column,
        attribute: entry.column.toLowerCase(),
        valueExcerpt: valueExcerpt(raw),
        reason: entry.problem.reason,
        message: entry.problem.message,
      });
    }
  };

  return {
    plan,
    idColumn: id.name,
    toOperation(row) {
      const rejections: Rejection[] = [];
      const customId = identify(row, rejections);
      if (customId === null) return { operation: null, rejections };
      const attributes: Record<string, AttributeValue> = {};
      for (const entry of sent) {
        const raw = row[entry.column];
        if (raw === undefined) continue; // column absent from this row object: nothing to say about it
        const result = convert(raw, entry);
        const key = entry.key as string;
        if (result.kind === 'value') attributes[key] = result.value;
        else if (result.kind === 'empty') {
          if (mapping.nullPolicy === 'delete') attributes[key] = null;
        } else {
          rejections.push({
            customId,
            scope: 'attribute',
            column: entry.column,
            attribute: key,
            valueExcerpt: valueExcerpt(raw),
            reason: result.reason,
            message: result.message,
          });
        }
      }
      rejectInvalidColumns(row, customId, rejections);
      return { operation: { identifiers: { custom_id: customId }, attributes }, rejections };
    },
    toDeleteOperation(row) {
      const rejections: Rejection[] = [];
      const customId = identify(row, rejections);
      if (customId === null) return { operation: null, rejections };
      const attributes: Record<string, AttributeValue> = {};
      for (const entry of sent) attributes[entry.key as string] = null;
      return { operation: { identifiers: { custom_id: customId }, attributes }, rejections };
    },
  };
}

/** One-off form of createTransform(columns, mapping).toOperation(row); prefer createTransform in loops. */
export function transformRow(row: Row, columns: readonly ColumnInfo[], mapping: PayloadMapping): TransformResult {
  return createTransform(columns, mapping).toOperation(row);
}

/** One-off form of createTransform(columns, mapping).toDeleteOperation(row). */
export function deleteOperation(row: Row, columns: readonly ColumnInfo[], mapping: PayloadMapping): TransformResult {
  return createTransform(columns, mapping).toDeleteOperation(row);
}

const TEMPORAL_TYPES = new Set(['date', 'timestamp_ntz', 'timestamp_ltz', 'timestamp_tz']);

function convert(raw: unknown, entry: ColumnPlan): ValueResult {
  if (raw === null) return EMPTY;
  if (entry.role === 'date') return dateValue(raw);
  if (entry.role === 'url') return urlValue(raw);
  if (entry.role === 'native' && entry.key !== null && isNativeAttribute(entry.key)) return nativeValue(entry.key, raw);
  return attributeValue(raw, entry.type, entry.scale);
}

/** A custom attribute: the driver type decides first (fetchAsString gives text for every type). */
export function attributeValue(raw: unknown, type: string, scale: number | undefined): ValueResult {
  if (raw === null || raw === undefined) return EMPTY;
  if (type === 'object') return reject('object_not_supported', 'Batch profile attributes cannot be objects; select its fields as separate columns.');
  if (type === 'binary' || Buffer.isBuffer(raw)) return reject('unsupported_type', 'Binary values are not supported; use HEX_ENCODE(col) in the view.');
  if (type === 'boolean') return booleanValue(raw);
  if (type === 'fixed' || type === 'real') return numberValue(raw, type, scale);
  if (type === 'array' && typeof raw === 'string') return arrayFromJsonText(raw);
  // A date or timestamp read as text (the worker's TO_VARCHAR): sent as RFC 3339 text, like a Date below.
  if (TEMPORAL_TYPES.has(type) && typeof raw === 'string') return dateValue(raw);
  if (typeof raw === 'string') return stringValue(raw);
  if (typeof raw === 'number' || typeof raw === 'bigint') return numberValue(raw, type, scale);
  if (typeof raw === 'boolean') return { kind: 'value', value: raw };
  if (raw instanceof Date) return dateValue(raw); // a timestamp that is not a date column: sent as RFC 3339 text
  if (Array.isArray(raw)) return arrayValue(raw);
  if (isPlainObject(raw)) return reject('object_not_supported', 'Batch profile attributes cannot be objects; select its fields as separate columns.');
  return reject('unsupported_type', `Unsupported value of type ${typeof raw}.`);
}

function arrayFromJsonText(text: string): ValueResult {
  if (isBlank(text)) return EMPTY;
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return arrayValue(parsed);
  } catch {
    // fall through: not JSON
  }
  return reject('invalid_array_item', 'ARRAY column value is not a JSON array.');
}

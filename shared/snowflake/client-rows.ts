/**
 * Turns the driver's rows into the value representation documented on `CellValue` in types.ts.
 * The driver is asked for numbers as strings (`fetchAsString: ['Number']`) so that NUMBER(p,s) keeps its
 * exact decimal text; scale-0 numbers that are safe integers, and FLOAT/REAL, are turned back into numbers.
 * Structural types only: this module must not import snowflake-sdk (client.ts is the only one that does).
 */
import type { ColumnInfo } from './types.js';

/** The part of the driver's Column object we read. */
export interface DriverColumn {
  getName(): string;
  getType(): string;
  getScale(): number;
  getPrecision(): number;
  isNullable(): boolean;
}

export function toColumnInfo(column: DriverColumn): ColumnInfo {
  const type = column.getType();
  const info: ColumnInfo = { name: column.getName(), type, nullable: column.isNullable() };
  if (type === 'fixed') {
    info.precision = column.getPrecision();
    info.scale = column.getScale();
  } else if (type.startsWith('timestamp') || type === 'time') {
    info.scale = column.getScale();
  }
  return info;
}

type Converter = (value: unknown) => unknown;

/**
 * Driver quirk (snowflake-sdk 3.3 column.js): a SQL NULL read through fetchAsString comes back as the
 * text "NULL", and TIME values always go through the string path, so a NULL TIME is "NULL" too. Neither a
 * number nor a TIME can legitimately be that text, so it is turned back into null.
 */
const NULL_TEXT = 'NULL';

const integerOrExactText: Converter = (value) => {
  if (value === NULL_TEXT || typeof value !== 'string') return value === NULL_TEXT ? null : value;
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value;
};
const exactText: Converter = (value) => (value === NULL_TEXT ? null : value);
// Snowflake writes FLOAT infinities as "inf"/"-inf", which Number() does not read.
const FLOAT_TEXT: Record<string, number> = { inf: Infinity, '-inf': -Infinity };
const realNumber: Converter = (value) =>
  value === NULL_TEXT ? null : typeof value === 'string' ? (FLOAT_TEXT[value.toLowerCase()] ?? Number(value)) : value;

function converterFor(column: ColumnInfo): Converter | undefined {
  if (column.type === 'fixed') return (column.scale ?? 0) === 0 ? integerOrExactText : exactText;
  if (column.type === 'real') return realNumber;
  if (column.type === 'time') return exactText;
  return undefined;
}

/**
 * Returns a function that converts one driver row (object mode) in place. Columns are looked up once per
 * statement, so the per-row cost is one property read per numeric column.
 */
export function rowConverter<Row>(columns: ColumnInfo[]): (row: Record<string, unknown>) => Row {
  const conversions: Array<[string, Converter]> = [];
  for (const column of columns) {
    const convert = converterFor(column);
    if (convert) conversions.push([column.name, convert]);
  }
  if (conversions.length === 0) return (row) => row as Row;
  return (row) => {
    for (const [name, convert] of conversions) {
      const value = row[name];
      if (value !== null && value !== undefined) row[name] = convert(value);
    }
    return row as Row;
  };
}

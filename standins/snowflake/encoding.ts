/**
 * Snowflake's JSON result encoding (reference §3.4): every cell is a string or null, dates are day
 * numbers, timestamps epoch seconds with `scale` fraction digits, TIMESTAMP_TZ adds "<offset+1440>",
 * binaries are upper-case hex, semi-structured values are JSON text.
 */
import type { CellValue, ColumnMeta, SnowflakeTypeName } from './engine-types.js';

const MAX_TEXT_LENGTH = 16_777_216;
const MAX_BINARY_LENGTH = 8_388_608;

export interface RowType {
  name: string;
  database: string;
  schema: string;
  table: string;
  type: string;
  nullable: boolean;
  precision: number | null;
  scale: number | null;
  length: number | null;
  byteLength: number | null;
  collation: null;
}

const fractionScale = (column: ColumnMeta): number => column.scale ?? 9;

export function rowTypeOf(column: ColumnMeta): RowType {
  const base = { name: column.name, database: '', schema: '', table: '', type: column.type.toLowerCase(), nullable: column.nullable, collation: null };
  switch (column.type) {
    case 'FIXED':
      return { ...base, precision: column.precision ?? 38, scale: column.scale ?? 0, length: null, byteLength: null };
    case 'TEXT': {
      const length = column.length ?? MAX_TEXT_LENGTH;
      return { ...base, precision: null, scale: null, length, byteLength: Math.min(length * 4, MAX_TEXT_LENGTH) };
    }
    case 'BINARY': {
      const length = column.length ?? MAX_BINARY_LENGTH;
      return { ...base, precision: null, scale: null, length, byteLength: length };
    }
    case 'TIME':
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return { ...base, precision: 0, scale: fractionScale(column), length: null, byteLength: null };
    case 'VARIANT':
    case 'ARRAY':
    case 'OBJECT':
      return { ...base, precision: null, scale: null, length: MAX_TEXT_LENGTH, byteLength: MAX_TEXT_LENGTH };
    default:
      return { ...base, precision: null, scale: null, length: null, byteLength: null };
  }
}

const NANOS_PER_SECOND = 1_000_000_000n;

/** bigint nanoseconds → "<seconds>.<fraction>" with `scale` digits (truncating), sign in front. */
export function epochNanosToWire(nanos: bigint, scale: number): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const seconds = abs / NANOS_PER_SECOND;
  const fraction = (abs % NANOS_PER_SECOND).toString().padStart(9, '0').slice(0, scale);
  return `${negative ? '-' : ''}${seconds}${scale > 0 ? '.' + fraction : ''}`;
}

function dateToDays(text: string): string {
  const match = /^(-?\d{1,6})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new TypeError(`DATE value ${JSON.stringify(text)} is not YYYY-MM-DD`);
  const ms = new Date(0).setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return String(Math.round(ms / 86_400_000));
}

function timeToSeconds(text: string, scale: number): string {
  const match = /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(text);
  if (!match) throw new TypeError(`TIME value ${JSON.stringify(text)} is not HH:MM:SS[.fffffffff]`);
  const seconds = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
  const fraction = (match[4] ?? '').padEnd(9, '0').slice(0, scale);
  return scale > 0 ? `${seconds}.${fraction}` : String(seconds);
}

function mismatch(type: SnowflakeTypeName, value: CellValue): TypeError {
  const shown = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value);
  return new TypeError(`engine returned ${typeof value} ${shown} for a ${type} column`);
}

/** One cell in Snowflake's wire form. Throws TypeError when the engine broke the CellValue contract. */
export function encodeCell(value: CellValue, column: ColumnMeta): string | null {
  if (value === null || value === undefined) return null;
  const type = column.type;
  switch (type) {
    case 'FIXED':
      if (typeof value === 'string' || typeof value === 'bigint') return value.toString();
      if (typeof value === 'number' && Number.isFinite(value)) return column.scale ? value.toFixed(column.scale) : String(value);
      throw mismatch(type, value);
    case 'REAL':
      if (typeof value === 'number') return String(value);
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return value;
      throw mismatch(type, value);
    case 'TEXT':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
      throw mismatch(type, value);
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value ? '1' : '0';
      throw mismatch(type, value);
    case 'DATE':
      if (typeof value === 'string') return dateToDays(value);
      throw mismatch(type, value);
    case 'TIME':
      if (typeof value === 'string') return timeToSeconds(value, fractionScale(column));
      throw mismatch(type, value);
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
      if (typeof value === 'bigint') return epochNanosToWire(value, fractionScale(column));
      throw mismatch(type, value);
    case 'TIMESTAMP_TZ':
      if (typeof value === 'object' && !Buffer.isBuffer(value) && typeof value.epochNanos === 'bigint') {
        // Result version 1 (we always send version 1): "<epoch.frac> <offsetMinutes + 1440>".
        return `${epochNanosToWire(value.epochNanos, fractionScale(column))} ${value.offsetMinutes + 1440}`;
      }
      throw mismatch(type, value);
    case 'VARIANT':
    case 'ARRAY':
    case 'OBJECT':
      if (typeof value === 'string') return value;
      throw mismatch(type, value);
    case 'BINARY':
      if (Buffer.isBuffer(value)) return value.toString('hex').toUpperCase();
      throw mismatch(type, value);
    default:
      throw mismatch(type, value);
  }
}

export function encodeRows(rows: CellValue[][], columns: ColumnMeta[]): Array<Array<string | null>> {
  return rows.map((row) => columns.map((column, i) => encodeCell(row[i] ?? null, column)));
}

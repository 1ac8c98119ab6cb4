/** DuckDB results → EngineResult cells (encodings per ../engine-types.ts CellValue). */
import type { DuckDBMaterializedResult, DuckDBResult, DuckDBValue } from '@duckdb/node-api';
import type { CellValue, EngineResult, StatementKind } from '../engine-types.js';
import type { SchemaObject } from './catalog.js';
import { chunkedRows, windowedResult } from './lazy-rows.js';
import { columnMeta, sameStorage, sfColumnFromDuck, type SfColumn } from './types.js';

/** Result columns, refined by the catalog columns of the objects the query read (TIMESTAMP_TZ, ARRAY, VARCHAR(n)…). */
export function resultColumns(reader: Pick<DuckDBResult, 'columnNames' | 'columnTypes'>, objects: SchemaObject[]): SfColumn[] {
  const names = reader.columnNames();
  const types = reader.columnTypes();
  return names.map((name, k) => {
    const fromDuck = sfColumnFromDuck(name, types[k]!);
    for (const o of objects) {
      const c = o.columns.find((col) => col.name === name);
      if (c && sameStorage(c, fromDuck)) return { ...c, name };
    }
    return fromDuck;
  });
}

/**
 * TIMESTAMP_TZ values are sent with their own offset (tz-values.ts,
 * https://docs.snowflake.com/en/sql-reference/data-types-datetime#timestamp-ltz-timestamp-ntz-timestamp-tz).
 */
export function toEngineResult(kind: StatementKind, reader: DuckDBMaterializedResult, objects: SchemaObject[]): EngineResult {
  const columns = resultColumns(reader, objects);
  const window = chunkedRows(reader, (row) => row.map((v, k) => toCell(v, columns[k]!)));
  return windowedResult(kind, columns.map(columnMeta), window);
}

export function decimalText(value: bigint, scale: number): string {
  if (scale === 0) return value.toString();
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function micros(v: unknown): bigint {
  const o = v as { micros?: bigint; nanos?: bigint; millis?: bigint; seconds?: bigint };
  if (o.micros !== undefined) return o.micros;
  if (o.nanos !== undefined) return o.nanos / 1000n;
  if (o.millis !== undefined) return o.millis * 1000n;
  return (o.seconds ?? 0n) * 1_000_000n;
}

function nanos(v: unknown): bigint {
  const o = v as { nanos?: bigint };
  return o.nanos !== undefined ? o.nanos : micros(v) * 1000n;
}

export function toCell(v: DuckDBValue, c: SfColumn): CellValue {
  if (v === null || v === undefined) return null;
  switch (c.type) {
    case 'NUMBER': {
      if (typeof v === 'bigint') return decimalText(v, 0);
      if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
      const d = v as unknown as { value: bigint; scale: number };
      return decimalText(d.value, d.scale);
    }
    case 'FLOAT': return typeof v === 'number' ? v : Number(v);
    case 'BOOLEAN': return v === true;
    case 'DATE': {
      const days = (v as unknown as { days: number }).days;
      return new Date(days * 86_400_000).toISOString().slice(0, 10);
    }
    case 'TIME': {
      const us = micros(v);
      const total = Number(us / 1_000_000n);
      const frac = (us % 1_000_000n).toString().padStart(6, '0');
      const hh = String(Math.floor(total / 3600)).padStart(2, '0');
      const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
      const ss = String(total % 60).padStart(2, '0');
      return `${hh}:${mm}:${ss}.${frac}000`;
    }
    case 'TIMESTAMP_NTZ': case 'TIMESTAMP_LTZ': return nanos(v);
    case 'TIMESTAMP_TZ': {
      const { sf_utc: utc, sf_off: off } = (v as unknown as { entries: { sf_utc: unknown; sf_off: number } }).entries;
      return { epochNanos: nanos(utc), offsetMinutes: Number(off) };
    }
    case 'VARIANT': case 'OBJECT': case 'ARRAY': return typeof v === 'string' ? v : JSON.stringify(toJson(v));
    case 'BINARY': return Buffer.from((v as unknown as { bytes: Uint8Array }).bytes);
    default: return typeof v === 'string' ? v : String(v);
  }
}

/** Nested DuckDB values (LIST/STRUCT/MAP) as plain JSON. */
function toJson(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.items)) return o.items.map(toJson);
  if (o.entries && typeof o.entries === 'object') {
    if (Array.isArray(o.entries)) return Object.fromEntries((o.entries as Array<{ key: unknown; value: unknown }>).map((e) => [String(e.key), toJson(e.value)]));
    return Object.fromEntries(Object.entries(o.entries as Record<string, unknown>).map(([k, x]) => [k, toJson(x)]));
  }
  if (typeof o.value === 'bigint' && typeof o.scale === 'number') return Number(decimalText(o.value, o.scale));
  return String(v);
}

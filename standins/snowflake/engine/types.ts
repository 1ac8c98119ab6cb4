/**
 * Snowflake data types: DDL type names → DuckDB storage types, and DuckDB result types → the ColumnMeta the
 * protocol layer encodes (shared/reference/snowflake-sdk.md §3.4).
 * TIMESTAMP_LTZ is DuckDB TIMESTAMPTZ (the instant); TIMESTAMP_TZ is a struct of the instant and the value's own
 * offset (tz-values.ts).
 */
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import type { ColumnMeta, SnowflakeTypeName } from '../engine-types.js';
import { isOp, type Token } from './lexer.js';
import { syntaxError } from './errors.js';
import { isTzStruct, TZ_TYPE } from './tz-values.js';

export const DEFAULT_TEXT_LENGTH = 16777216;

/** A column as the catalog keeps it. `type` is the Snowflake family, as DESCRIBE prints it (NUMBER, VARCHAR…). */
export interface SfColumn {
  name: string;
  type: 'NUMBER' | 'FLOAT' | 'VARCHAR' | 'BINARY' | 'BOOLEAN' | 'DATE' | 'TIME' | 'TIMESTAMP_NTZ' | 'TIMESTAMP_LTZ' | 'TIMESTAMP_TZ' | 'VARIANT' | 'OBJECT' | 'ARRAY';
  precision?: number;
  scale?: number;
  length?: number;
  nullable: boolean;
  default?: string | null;
}

const ALIASES: Record<string, SfColumn['type']> = {
  NUMBER: 'NUMBER', NUMERIC: 'NUMBER', DECIMAL: 'NUMBER', INT: 'NUMBER', INTEGER: 'NUMBER', BIGINT: 'NUMBER',
  SMALLINT: 'NUMBER', TINYINT: 'NUMBER', BYTEINT: 'NUMBER',
  FLOAT: 'FLOAT', FLOAT4: 'FLOAT', FLOAT8: 'FLOAT', DOUBLE: 'FLOAT', REAL: 'FLOAT',
  VARCHAR: 'VARCHAR', STRING: 'VARCHAR', TEXT: 'VARCHAR', CHAR: 'VARCHAR', CHARACTER: 'VARCHAR', NCHAR: 'VARCHAR', NVARCHAR: 'VARCHAR', NVARCHAR2: 'VARCHAR', 'CHAR VARYING': 'VARCHAR',
  BINARY: 'BINARY', VARBINARY: 'BINARY', BOOLEAN: 'BOOLEAN', DATE: 'DATE', TIME: 'TIME',
  DATETIME: 'TIMESTAMP_NTZ', TIMESTAMP: 'TIMESTAMP_NTZ', TIMESTAMP_NTZ: 'TIMESTAMP_NTZ', TIMESTAMPNTZ: 'TIMESTAMP_NTZ', 'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP_NTZ',
  TIMESTAMP_LTZ: 'TIMESTAMP_LTZ', TIMESTAMPLTZ: 'TIMESTAMP_LTZ', 'TIMESTAMP WITH LOCAL TIME ZONE': 'TIMESTAMP_LTZ',
  TIMESTAMP_TZ: 'TIMESTAMP_TZ', TIMESTAMPTZ: 'TIMESTAMP_TZ', 'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP_TZ',
  VARIANT: 'VARIANT', OBJECT: 'OBJECT', ARRAY: 'ARRAY',
};

export function isTypeName(word: string): boolean {
  return word in ALIASES;
}

/** Parses a type at tokens[start]; returns the column type and the index after it. */
export function parseType(sql: string, tokens: Token[], start: number): { column: Omit<SfColumn, 'name' | 'nullable'>; end: number } {
  const first = tokens[start];
  if (!first || first.type !== 'word') throw syntaxError(sql, first?.pos ?? sql.length);
  let word = first.value;
  let i = start + 1;
  for (const tail of ['WITHOUT TIME ZONE', 'WITH LOCAL TIME ZONE', 'WITH TIME ZONE', 'VARYING', 'PRECISION']) {
    const parts = tail.split(' ');
    if (parts.every((p, k) => tokens[i + k]?.value === p)) {
      word = tail === 'PRECISION' ? word : `${word} ${tail}`;
      i += parts.length;
      break;
    }
  }
  const type = ALIASES[word];
  if (!type) throw syntaxError(sql, first.pos);
  const args: number[] = [];
  if (isOp(tokens[i], '(')) {
    i++;
    while (i < tokens.length && !isOp(tokens[i], ')')) {
      if (tokens[i]!.type === 'number') args.push(Number(tokens[i]!.value));
      i++;
    }
    i++;
  }
  const column: Omit<SfColumn, 'name' | 'nullable'> = { type };
  if (type === 'NUMBER') {
    const integerAlias = word !== 'NUMBER' && word !== 'NUMERIC' && word !== 'DECIMAL';
    column.precision = integerAlias ? 38 : (args[0] ?? 38);
    column.scale = integerAlias ? 0 : (args[1] ?? 0);
  } else if (type === 'VARCHAR') column.length = args[0] ?? (word === 'CHAR' || word === 'CHARACTER' || word === 'NCHAR' ? 1 : DEFAULT_TEXT_LENGTH);
  else if (type === 'BINARY') column.length = args[0] ?? 8388608;
  else if (type.startsWith('TIMESTAMP') || type === 'TIME') column.scale = args[0] ?? 9;
  return { column, end: i };
}

export function duckType(c: Pick<SfColumn, 'type' | 'precision' | 'scale'>): string {
  switch (c.type) {
    case 'NUMBER': return `DECIMAL(${c.precision ?? 38},${c.scale ?? 0})`;
    case 'FLOAT': return 'DOUBLE';
    case 'VARCHAR': return 'VARCHAR';
    case 'BINARY': return 'BLOB';
    case 'BOOLEAN': return 'BOOLEAN';
    case 'DATE': return 'DATE';
    case 'TIME': return 'TIME';
    case 'TIMESTAMP_NTZ': return 'TIMESTAMP';
    case 'TIMESTAMP_LTZ': return 'TIMESTAMPTZ';
    case 'TIMESTAMP_TZ': return TZ_TYPE;
    default: return 'JSON';
  }
}

/** DESCRIBE's `type` text, e.g. NUMBER(38,0), VARCHAR(16777216), TIMESTAMP_TZ(9). */
export function describeType(c: SfColumn): string {
  switch (c.type) {
    case 'NUMBER': return `NUMBER(${c.precision ?? 38},${c.scale ?? 0})`;
    case 'VARCHAR': return `VARCHAR(${c.length ?? DEFAULT_TEXT_LENGTH})`;
    case 'BINARY': return `BINARY(${c.length ?? 8388608})`;
    case 'TIME': case 'TIMESTAMP_NTZ': case 'TIMESTAMP_LTZ': case 'TIMESTAMP_TZ': return `${c.type}(${c.scale ?? 9})`;
    default: return c.type;
  }
}

/** Snowflake column from a DuckDB type (CTAS, views, query results). */
export function sfColumnFromDuck(name: string, t: DuckDBType, nullable = true): SfColumn {
  switch (t.typeId) {
    case DuckDBTypeId.DECIMAL: {
      const d = t as unknown as { width: number; scale: number };
      return { name, type: 'NUMBER', precision: d.width, scale: d.scale, nullable };
    }
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UHUGEINT: case DuckDBTypeId.INTEGER_LITERAL:
      return { name, type: 'NUMBER', precision: 38, scale: 0, nullable };
    case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE: return { name, type: 'FLOAT', nullable };
    case DuckDBTypeId.BOOLEAN: return { name, type: 'BOOLEAN', nullable };
    case DuckDBTypeId.DATE: return { name, type: 'DATE', nullable };
    case DuckDBTypeId.TIME: case DuckDBTypeId.TIME_NS: return { name, type: 'TIME', scale: 9, nullable };
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_S: case DuckDBTypeId.TIMESTAMP_MS: case DuckDBTypeId.TIMESTAMP_NS:
      return { name, type: 'TIMESTAMP_NTZ', scale: 9, nullable };
    case DuckDBTypeId.TIMESTAMP_TZ: return { name, type: 'TIMESTAMP_LTZ', scale: 9, nullable };
    case DuckDBTypeId.LIST: case DuckDBTypeId.ARRAY: return { name, type: 'ARRAY', nullable };
    case DuckDBTypeId.STRUCT:
      if (isTzStruct((t as unknown as { entryNames?: string[] }).entryNames)) return { name, type: 'TIMESTAMP_TZ', scale: 9, nullable };
      return { name, type: 'OBJECT', nullable };
    case DuckDBTypeId.MAP: return { name, type: 'OBJECT', nullable };
    case DuckDBTypeId.BLOB: return { name, type: 'BINARY', length: 8388608, nullable };
    case DuckDBTypeId.VARCHAR:
      return t.alias === 'JSON' ? { name, type: 'VARIANT', nullable } : { name, type: 'VARCHAR', length: DEFAULT_TEXT_LENGTH, nullable };
    default: return { name, type: 'VARCHAR', length: DEFAULT_TEXT_LENGTH, nullable };
  }
}

/** Same physical DuckDB storage: a catalog column may refine a result column (ARRAY vs VARIANT, VARCHAR length, TZ scale). */
export function sameStorage(a: SfColumn, b: SfColumn): boolean {
  if (a.type === 'NUMBER' || b.type === 'NUMBER') return a.type === b.type && a.precision === b.precision && a.scale === b.scale;
  return duckType(a) === duckType(b);
}

export function columnMeta(c: SfColumn): ColumnMeta {
  const wire: Record<SfColumn['type'], SnowflakeTypeName> = {
    NUMBER: 'FIXED', FLOAT: 'REAL', VARCHAR: 'TEXT', BINARY: 'BINARY', BOOLEAN: 'BOOLEAN', DATE: 'DATE', TIME: 'TIME',
    TIMESTAMP_NTZ: 'TIMESTAMP_NTZ', TIMESTAMP_LTZ: 'TIMESTAMP_LTZ', TIMESTAMP_TZ: 'TIMESTAMP_TZ', VARIANT: 'VARIANT', OBJECT: 'OBJECT', ARRAY: 'ARRAY',
  };
  const meta: ColumnMeta = { name: c.name, type: wire[c.type], nullable: c.nullable };
  if (c.type === 'NUMBER') { meta.precision = c.precision ?? 38; meta.scale = c.scale ?? 0; }
  if (c.type === 'VARCHAR' || c.type === 'BINARY') meta.length = c.length ?? DEFAULT_TEXT_LENGTH;
  if (c.type === 'TIME' || c.type.startsWith('TIMESTAMP')) meta.scale = c.scale ?? 9;
  return meta;
}

export function textColumn(name: string): SfColumn {
  return { name, type: 'VARCHAR', length: DEFAULT_TEXT_LENGTH, nullable: true };
}

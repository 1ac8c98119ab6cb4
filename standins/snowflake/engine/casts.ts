/**
 * Snowflake casts DuckDB's own casts get wrong:
 * - a string to BINARY is read in BINARY_INPUT_FORMAT, default HEX
 *   (https://docs.snowflake.com/en/sql-reference/binary-input-output): '48656C6C6F'::BINARY is "Hello";
 * - a string to BOOLEAN accepts 'true'/'t'/'yes'/'y'/'on'/'1' and 'false'/'f'/'no'/'n'/'off'/'0', any case
 *   (https://docs.snowflake.com/en/sql-reference/data-types-logical#conversion-to-boolean); a number is TRUE
 *   unless 0;
 * - timestamp literals in the AUTO input formats (https://docs.snowflake.com/en/sql-reference/date-time-input-output#supported-formats-for-auto-detection):
 *   an offset after a space ('2024-03-01 10:00:00 +02:00'), '+0200', 'Z', and RFC 2822
 *   ('Thu, 21 Jan 2016 06:32:44 -0800'); to TIMESTAMP_NTZ the offset is dropped, to TIMESTAMP_TZ/LTZ it sets the instant.
 * Errors are raised with error('SF:<code>:<sqlstate>:<message>'), which engine-errors.ts turns into Snowflake's.
 */
import type { SfColumn } from './types.js';
import type { TranslateContext } from './translate.js';
import type { Token } from './lexer.js';
import { sqlString } from './catalog.js';
import { syntaxError } from './errors.js';
import { hasAggregate } from './tz-values.js';

export const CAST_MACROS = [
  `CREATE OR REPLACE TEMP MACRO SF_TO_BINARY(x) AS CASE WHEN x IS NULL THEN NULL WHEN regexp_full_match(CAST(x AS VARCHAR), '([0-9A-Fa-f]{2})*') THEN unhex(CAST(x AS VARCHAR)) ELSE error('SF:100115:22000:The following string is not a legal hex-encoded value: ''' || CAST(x AS VARCHAR) || '''') END`,
  `CREATE OR REPLACE TEMP MACRO SF_TO_BOOLEAN(x) AS CASE WHEN x IS NULL THEN NULL
     WHEN lower(trim(CAST(x AS VARCHAR))) IN ('true', 't', 'yes', 'y', 'on', '1') THEN TRUE
     WHEN lower(trim(CAST(x AS VARCHAR))) IN ('false', 'f', 'no', 'n', 'off', '0') THEN FALSE
     WHEN TRY_CAST(CAST(x AS VARCHAR) AS DOUBLE) IS NOT NULL THEN TRY_CAST(CAST(x AS VARCHAR) AS DOUBLE) <> 0
     ELSE error('SF:100037:22018:Boolean value ''' || CAST(x AS VARCHAR) || ''' is not recognized') END`,
  'CREATE OR REPLACE TEMP MACRO TO_BOOLEAN(x) AS SF_TO_BOOLEAN(x)',
  'CREATE OR REPLACE TEMP MACRO TO_BINARY(x) AS SF_TO_BINARY(x)',
  'CREATE OR REPLACE TEMP MACRO TRY_TO_BOOLEAN(x) AS CASE WHEN lower(trim(CAST(x AS VARCHAR))) IN (\'true\', \'t\', \'yes\', \'y\', \'on\', \'1\') THEN TRUE WHEN lower(trim(CAST(x AS VARCHAR))) IN (\'false\', \'f\', \'no\', \'n\', \'off\', \'0\') THEN FALSE END',
];

/** A cast whose operand must be wrapped (the target's DuckDB cast would read the value differently). */
export function castWrapper(target: SfColumn['type']): string | null {
  if (target === 'BINARY') return 'SF_TO_BINARY';
  if (target === 'BOOLEAN') return 'SF_TO_BOOLEAN';
  // Dates and timestamps as text follow the *_OUTPUT_FORMAT parameters (output-formats.ts).
  if (target === 'VARCHAR') return 'SF_TO_VARCHAR';
  // Into and out of TIMESTAMP_TZ, whose values carry their own offset (tz-values.ts).
  if (target === 'TIMESTAMP_TZ') return 'SF_TZ';
  if (target === 'TIMESTAMP_LTZ') return 'SF_TO_LTZ';
  if (target === 'TIMESTAMP_NTZ') return 'SF_TO_NTZ';
  if (target === 'DATE') return 'SF_TO_DATE';
  if (target === 'TIME') return 'SF_TO_TIME';
  return null;
}

const MONTHS: Record<string, string> = { JAN: '01', FEB: '02', MAR: '03', APR: '04', MAY: '05', JUN: '06', JUL: '07', AUG: '08', SEP: '09', OCT: '10', NOV: '11', DEC: '12' };

/**
 * A timestamp literal in one of the AUTO forms, as DuckDB reads it ('YYYY-MM-DD HH:MM:SS[.f]±HH:MM'), or
 * null when the text is not one of those forms (DuckDB's own parser then decides).
 */
export function normaliseTimestampLiteral(text: string, target: SfColumn['type']): string | null {
  const trimmed = text.trim();
  let m = /^[A-Za-z]{3},\s+(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}:\d{2}:\d{2})\s*([+-]\d{2}):?(\d{2})$/.exec(trimmed);
  let wall: string;
  let offset: string | null;
  if (m) {
    const month = MONTHS[m[2]!.toUpperCase()];
    if (!month) return null;
    wall = `${m[3]}-${month}-${m[1]!.padStart(2, '0')} ${m[4]}`;
    offset = `${m[5]}:${m[6]}`;
  } else {
    m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(trimmed);
    if (!m) return null;
    wall = `${m[1]} ${m[2]}`;
    const z = m[3];
    offset = !z ? null : z === 'Z' ? '+00:00' : z.length === 3 ? `${z}:00` : z.includes(':') ? z : `${z.slice(0, 3)}:${z.slice(3)}`;
  }
  if (target === 'TIMESTAMP_NTZ' || target === 'DATE' || offset === null) return wall;
  return `${wall}${offset}`;
}

/** Binds become typed literals (the driver sends every value as a string, reference snowflake-sdk.md §3.3). */
export function bindLiteral(ctx: Pick<TranslateContext, 'sql' | 'binds'>, t: Token): string {
  const bind = ctx.binds[Number(t.value) - 1];
  if (!bind) throw syntaxError(ctx.sql, t.pos);
  const value = bind.value;
  if (value === null) return 'NULL';
  if (Array.isArray(value)) throw syntaxError(ctx.sql, t.pos);
  switch (bind.type.toUpperCase()) {
    case 'FIXED': return /^[-+]?\d+(\.\d+)?$/.test(value) ? value : `CAST(${sqlString(value)} AS DECIMAL(38,0))`;
    case 'REAL': return `CAST(${sqlString(value)} AS DOUBLE)`;
    case 'BOOLEAN': return /^(true|1|t|yes|y|on)$/i.test(value) ? 'TRUE' : 'FALSE';
    case 'VARIANT': case 'OBJECT': case 'ARRAY': return `CAST(${sqlString(value)} AS JSON)`;
    default: return sqlString(value);
  }
}

/** `wrapper(inner)` for a cast; out of TIMESTAMP_TZ (SF_TO_*) an aggregate's value is cast plainly (tz-values.ts hasAggregate). */
export function wrapCast(wrapper: string, inner: string, duckType: string): string {
  return wrapper.startsWith('SF_TO_') && wrapper !== 'SF_TO_VARCHAR' && hasAggregate(inner) ? `CAST(${inner} AS ${duckType})` : `${wrapper}(${inner})`;
}

/**
 * ALTER SESSION SET / UNSET (https://docs.snowflake.com/en/sql-reference/sql/alter-session): the session
 * parameters the stand-in models, with their documented defaults and value rules
 * (https://docs.snowflake.com/en/sql-reference/parameters). An unknown parameter or a value outside its
 * rules is refused; the docs do not print the error, so the code (001008 / 22023) is UNCONFIRMED and the
 * text follows Snowflake's "invalid value [X] for parameter 'NAME'" shape.
 */
import type { EngineResult } from '../engine-types.js';
import type { Cursor } from './cursor.js';
import { SnowflakeSqlError } from './errors.js';

type Value = string | number | boolean;

/** TIMEZONE's documented default (https://docs.snowflake.com/en/sql-reference/parameters#timezone). */
export const DEFAULT_TIMEZONE = 'America/Los_Angeles';
type Rule = 'string' | 'boolean' | { min: number; max: number } | 'timezone' | readonly string[];

const FORMAT = 'string';
/** Documented parameters and their value rules (defaults are the protocol layer's, sessions.ts). */
export const SESSION_PARAMETER_RULES: Record<string, Rule> = {
  TIMEZONE: 'timezone',
  MULTI_STATEMENT_COUNT: { min: 0, max: 2147483647 },
  AUTOCOMMIT: 'boolean',
  QUERY_TAG: 'string',
  STATEMENT_TIMEOUT_IN_SECONDS: { min: 0, max: 604800 },
  LOCK_TIMEOUT: { min: 0, max: 2147483647 },
  USE_CACHED_RESULT: 'boolean',
  ROWS_PER_RESULTSET: { min: 0, max: 2147483647 },
  WEEK_START: { min: 0, max: 7 },
  WEEK_OF_YEAR_POLICY: { min: 0, max: 1 },
  DATE_OUTPUT_FORMAT: FORMAT, DATE_INPUT_FORMAT: FORMAT, TIME_OUTPUT_FORMAT: FORMAT, TIME_INPUT_FORMAT: FORMAT,
  TIMESTAMP_OUTPUT_FORMAT: FORMAT, TIMESTAMP_NTZ_OUTPUT_FORMAT: FORMAT, TIMESTAMP_LTZ_OUTPUT_FORMAT: FORMAT,
  TIMESTAMP_TZ_OUTPUT_FORMAT: FORMAT, TIMESTAMP_INPUT_FORMAT: FORMAT,
  TIMESTAMP_TYPE_MAPPING: ['TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ'],
  BINARY_INPUT_FORMAT: ['HEX', 'BASE64', 'UTF8', 'UTF-8'],
  BINARY_OUTPUT_FORMAT: ['HEX', 'BASE64'],
  JS_TREAT_INTEGER_AS_BIGINT: 'boolean',
  CLIENT_SESSION_KEEP_ALIVE: 'boolean',
  ABORT_DETACHED_QUERY: 'boolean',
  ERROR_ON_NONDETERMINISTIC_MERGE: 'boolean',
  ERROR_ON_NONDETERMINISTIC_UPDATE: 'boolean',
  TRANSACTION_ABORT_ON_ERROR: 'boolean',
  QUOTED_IDENTIFIERS_IGNORE_CASE: 'boolean',
};

export function invalidParameterValue(name: string, value: string): SnowflakeSqlError {
  return new SnowflakeSqlError('001008', '22023', `SQL compilation error:\ninvalid value [${value}] for parameter '${name}'`);
}

export function invalidParameter(name: string): SnowflakeSqlError {
  return new SnowflakeSqlError('001008', '22023', `SQL compilation error:\ninvalid parameter '${name}'`);
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    // Snowflake takes IANA names as written; a lower-case 'utc' is not one of them.
    return name === 'UTC' || Intl.supportedValuesOf('timeZone').includes(name) || /^[A-Z][A-Za-z_]+\/[A-Z][A-Za-z_\-/]+$/.test(name) || /^Etc\/GMT[+-]\d{1,2}$/.test(name);
  } catch {
    return false;
  }
}

function checkValue(name: string, raw: Value): Value {
  const rule = SESSION_PARAMETER_RULES[name];
  if (!rule) throw invalidParameter(name);
  const text = String(raw);
  if (rule === 'string') return text;
  if (rule === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
    throw invalidParameterValue(name, text);
  }
  if (rule === 'timezone') {
    if (!isTimeZone(text)) throw invalidParameterValue(name, text);
    return text;
  }
  if (Array.isArray(rule)) {
    const upper = text.toUpperCase();
    if (!rule.includes(upper)) throw invalidParameterValue(name, text);
    return upper;
  }
  const range = rule as { min: number; max: number };
  const n = Number(text);
  if (!Number.isInteger(n) || n < range.min || n > range.max) throw invalidParameterValue(name, text);
  return n;
}

/** Parses `SET name = value [ name = value … ]` or `UNSET name [, name …]` after ALTER SESSION. */
export function alterSession(cursor: Cursor, parameters: Map<string, Value>, onChange: (name: string) => Promise<void>): Promise<EngineResult> {
  const changed: string[] = [];
  if (cursor.accept('UNSET')) {
    do {
      const name = cursor.ident().toUpperCase();
      if (!SESSION_PARAMETER_RULES[name]) throw invalidParameter(name);
      parameters.delete(name);
      changed.push(name);
    } while (cursor.acceptOp(','));
  } else {
    cursor.expect('SET');
    const updates: Array<[string, Value]> = [];
    while (!cursor.atEnd()) {
      const name = cursor.ident().toUpperCase();
      cursor.expectOp('=');
      const negative = cursor.acceptOp('-');
      const t = cursor.peek();
      if (negative && t?.type === 'number') { cursor.i++; updates.push([name, checkValue(name, `-${t.value}`)]); cursor.acceptOp(','); continue; }
      if (!t || !['string', 'number', 'word'].includes(t.type)) throw cursor.error();
      cursor.i++;
      const raw: Value = t.type === 'word' && /^(TRUE|FALSE)$/.test(t.value) ? t.value === 'TRUE' : t.type === 'word' ? t.value : t.value;
      updates.push([name, checkValue(name, raw)]);
      cursor.acceptOp(',');
    }
    if (updates.length === 0) throw cursor.error();
    for (const [name, value] of updates) { parameters.set(name, value); changed.push(name); }
  }
  return (async () => {
    for (const name of changed) await onChange(name);
    return { kind: 'DDL', columns: [{ name: 'status', type: 'TEXT', length: 16777216, nullable: true }], rows: [['Statement executed successfully.']] };
  })();
}

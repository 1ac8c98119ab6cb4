/**
 * Snowflake functions DuckDB lacks. Simple renames are DuckDB temporary macros created on every session's
 * connection (SESSION_MACROS); the ones that need argument surgery or the session context are rewritten here.
 */
import { sqlString } from './catalog.js';
import { unsupported } from './errors.js';
import { CAST_MACROS } from './casts.js';
import { ARITHMETIC_MACROS } from './arithmetic.js';
import { ARRAY_MACROS } from './array-functions.js';
import { hasAggregate, TZ_TYPE } from './tz-values.js';
import { datePart, toVarcharWithFormat } from './format-models.js';
import { isOp, isWord, type Token } from './lexer.js';
import { closeParen, type TranslateContext } from './translate.js';

/** Created after TZ_MACROS and SF_TO_VARCHAR (session.ts), which some of them use. */
export const SESSION_MACROS = [
  ...CAST_MACROS,
  ...ARITHMETIC_MACROS,
  ...ARRAY_MACROS,
  'CREATE OR REPLACE TEMP MACRO IFF(c, a, b) AS CASE WHEN c THEN a ELSE b END',
  'CREATE OR REPLACE TEMP MACRO NVL(a, b) AS coalesce(a, b)',
  'CREATE OR REPLACE TEMP MACRO NVL2(x, a, b) AS CASE WHEN x IS NOT NULL THEN a ELSE b END',
  'CREATE OR REPLACE TEMP MACRO ZEROIFNULL(x) AS coalesce(x, 0)',
  'CREATE OR REPLACE TEMP MACRO TO_VARCHAR(x) AS SF_TO_VARCHAR(x)',
  'CREATE OR REPLACE TEMP MACRO TO_CHAR(x) AS SF_TO_VARCHAR(x)',
  `CREATE OR REPLACE TEMP MACRO SF_CONCAT_TEXT(x ${TZ_TYPE}) AS SF_TO_VARCHAR(x), (x) AS x`,
  'CREATE OR REPLACE TEMP MACRO TRY_TO_TIME(x) AS TRY_CAST(x AS TIME)',
  'CREATE OR REPLACE TEMP MACRO TRY_TO_DATE(x) AS TRY_CAST(x AS DATE)',
  'CREATE OR REPLACE TEMP MACRO TRY_TO_TIMESTAMP(x) AS TRY_CAST(x AS TIMESTAMP)',
  // PARSE_JSON (https://docs.snowflake.com/en/sql-reference/functions/parse_json): an empty or blank string is NULL;
  // duplicate keys are refused unless 'd' (only top-level keys are checked; 'd' is not modelled and refused);
  // TRY_PARSE_JSON's example parses '[-1, 12, 289, 2188, FALSE,]': upper-case literals and a trailing comma are
  // accepted (Snowflake shows the trailing element as undefined, which JSON text cannot hold: it is dropped).
  `CREATE OR REPLACE TEMP MACRO SF_JSON_TEXT(s) AS CASE WHEN json_valid(s) THEN s ELSE regexp_replace(regexp_replace(regexp_replace(s, '(?i)\\btrue\\b', 'true', 'g'), '(?i)\\bfalse\\b', 'false', 'g'), '(?i)\\bnull\\b', 'null', 'g') END`,
  `CREATE OR REPLACE TEMP MACRO SF_JSON_DUP(j) AS coalesce(json_type(j) = 'OBJECT' AND len(json_keys(j)) <> len(list_distinct(json_keys(j))), FALSE)`,
  `CREATE OR REPLACE TEMP MACRO SF_PARSE_JSON(s) AS CASE WHEN trim(s) = '' THEN NULL WHEN SF_JSON_DUP(json(SF_JSON_TEXT(s))) THEN error('SF:100069:22P02:Error parsing JSON: duplicate object attribute') ELSE json(SF_JSON_TEXT(s)) END`,
  `CREATE OR REPLACE TEMP MACRO PARSE_JSON(s) AS SF_PARSE_JSON(s), (s, p) AS CASE WHEN lower(p) = 's' THEN SF_PARSE_JSON(s) ELSE error('SF:002040:42601:PARSE_JSON parameter ''' || p || ''' is not modelled by this stand-in') END`,
  `CREATE OR REPLACE TEMP MACRO TRY_PARSE_JSON(s) AS CASE WHEN trim(s) = '' THEN NULL WHEN NOT json_valid(SF_JSON_TEXT(s)) THEN NULL WHEN SF_JSON_DUP(json(SF_JSON_TEXT(s))) THEN NULL ELSE json(SF_JSON_TEXT(s)) END`,
  'CREATE OR REPLACE TEMP MACRO TO_VARIANT(x) AS to_json(x)',
  'CREATE OR REPLACE TEMP MACRO ARRAY_SIZE(j) AS json_array_length(j)',
  // TYPEOF names the type of a VARIANT value (https://docs.snowflake.com/en/sql-reference/functions/typeof).
  `CREATE OR REPLACE TEMP MACRO SF_TYPEOF(x) AS CASE json_type(CAST(x AS JSON)) WHEN 'BIGINT' THEN 'INTEGER' WHEN 'UBIGINT' THEN 'INTEGER' WHEN 'DOUBLE' THEN 'DECIMAL' WHEN 'VARCHAR' THEN 'VARCHAR' WHEN 'BOOLEAN' THEN 'BOOLEAN' WHEN 'ARRAY' THEN 'ARRAY' WHEN 'OBJECT' THEN 'OBJECT' WHEN 'NULL' THEN 'NULL_VALUE' END`,
  'CREATE OR REPLACE TEMP MACRO SYSDATE() AS (now() AT TIME ZONE \'UTC\')',
  'CREATE OR REPLACE TEMP MACRO GETDATE() AS now()',
];

const TO_TIMESTAMP: Record<string, string> = { TO_DATE: 'SF_TO_DATE', TO_TIMESTAMP: 'SF_TO_NTZ', TO_TIMESTAMP_NTZ: 'SF_TO_NTZ', TO_TIMESTAMP_LTZ: 'SF_TO_LTZ', TO_TIMESTAMP_TZ: 'SF_TZ', TO_TIME: 'SF_TO_TIME' };
/** The same conversions of an aggregate's value, which the typed macros cannot take (tz-values.ts hasAggregate). */
const PLAIN_CAST: Record<string, string> = { TO_DATE: 'DATE', TO_TIMESTAMP: 'TIMESTAMP', TO_TIMESTAMP_NTZ: 'TIMESTAMP', TO_TIMESTAMP_LTZ: 'TIMESTAMPTZ', TO_TIME: 'TIME' };

const NO_PAREN_NEEDED = new Set(['CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'LOCALTIMESTAMP', 'LOCALTIME', 'CURRENT_USER', 'CURRENT_ROLE']);

function contextValue(ctx: TranslateContext, name: string): string | undefined {
  const s = ctx.session;
  const values: Record<string, string | null> = {
    CURRENT_ROLE: s.role,
    CURRENT_USER: s.user,
    CURRENT_WAREHOUSE: s.warehouse,
    CURRENT_DATABASE: s.database,
    CURRENT_SCHEMA: s.schema,
    CURRENT_ACCOUNT: ctx.catalog.account_name,
    CURRENT_ACCOUNT_NAME: ctx.catalog.account_name,
    CURRENT_ORGANIZATION_NAME: 'SANDBOX_ORG',
    CURRENT_REGION: ctx.catalog.region,
    CURRENT_VERSION: '9.0.0',
    CURRENT_SECONDARY_ROLES: '{"roles":"","value":""}',
  };
  if (!(name in values)) return undefined;
  const v = values[name];
  return v === null || v === undefined ? 'CAST(NULL AS VARCHAR)' : sqlString(v);
}

/** Top-level comma-separated argument ranges of the call whose '(' is at `open`. */
function argRanges(tokens: Token[], open: number, close: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < close; i++) {
    if (isOp(tokens[i], '(')) depth++;
    else if (isOp(tokens[i], ')')) depth--;
    else if (depth === 0 && isOp(tokens[i], ',')) { ranges.push([start, i]); start = i + 1; }
  }
  if (start < close) ranges.push([start, close]);
  return ranges;
}

const INTERVAL_UNITS: Record<string, string> = {
  YEAR: 'YEAR', YEARS: 'YEAR', Y: 'YEAR', YY: 'YEAR', YYYY: 'YEAR', MONTH: 'MONTH', MONTHS: 'MONTH', MM: 'MONTH', MON: 'MONTH',
  WEEK: 'WEEK', WEEKS: 'WEEK', W: 'WEEK', DAY: 'DAY', DAYS: 'DAY', D: 'DAY', DD: 'DAY', HOUR: 'HOUR', HOURS: 'HOUR', H: 'HOUR', HH: 'HOUR',
  MINUTE: 'MINUTE', MINUTES: 'MINUTE', MI: 'MINUTE', M: 'MINUTE', SECOND: 'SECOND', SECONDS: 'SECOND', S: 'SECOND', SS: 'SECOND',
  MILLISECOND: 'MILLISECOND', MILLISECONDS: 'MILLISECOND', MS: 'MILLISECOND', MICROSECOND: 'MICROSECOND', US: 'MICROSECOND',
};

export function rewriteFunction(
  ctx: TranslateContext,
  i: number,
  end: number,
  translateRange: (start: number, end: number) => string,
): { sql: string; end: number } | null {
  const { tokens } = ctx;
  const name = tokens[i]!.value;
  const hasParen = isOp(tokens[i + 1], '(') && i + 1 < end;
  const ctxValue = contextValue(ctx, name);
  if (ctxValue !== undefined && (hasParen || NO_PAREN_NEEDED.has(name))) {
    return { sql: ctxValue, end: hasParen ? closeParen(ctx, i + 1) + 1 : i + 1 };
  }
  if (!hasParen) return null;
  const close = closeParen(ctx, i + 1);
  const args = argRanges(tokens, i + 1, close);
  const arg = (k: number) => (args[k] ? translateRange(args[k]![0], args[k]![1]) : 'NULL');
  const star = args.length === 1 && isOp(tokens[args[0]![0]], '*') && args[0]![1] - args[0]![0] === 1;
  switch (name) {
    case 'TO_DATE': case 'TO_TIME': case 'TO_TIMESTAMP': case 'TO_TIMESTAMP_NTZ': case 'TO_TIMESTAMP_LTZ': case 'TO_TIMESTAMP_TZ':
      // In and out of TIMESTAMP_TZ, whose values keep their offset (tz-values.ts, https://docs.snowflake.com/en/sql-reference/functions/to_timestamp).
      if (args.length !== 1) throw unsupported(`${name} with a format or scale argument`);
      if (name !== 'TO_TIMESTAMP_TZ' && hasAggregate(arg(0))) return { sql: `CAST(${arg(0)} AS ${PLAIN_CAST[name]})`, end: close + 1 };
      return { sql: `${TO_TIMESTAMP[name]}(${arg(0)})`, end: close + 1 };
    case 'CURRENT_TIMESTAMP': case 'CURRENT_DATE': case 'CURRENT_TIME': case 'LOCALTIMESTAMP':
      return args.length === 0 ? { sql: name, end: close + 1 } : null;
    case 'OBJECT_CONSTRUCT_KEEP_NULL':
      return { sql: star ? 'to_json(struct_pack(*COLUMNS(*)))' : `json_object(${args.map((_, k) => arg(k)).join(', ')})`, end: close + 1 };
    case 'OBJECT_CONSTRUCT': {
      // Snowflake drops NULL values from OBJECT_CONSTRUCT; a JSON merge patch onto {} does the same.
      const inner = star ? 'to_json(struct_pack(*COLUMNS(*)))' : `json_object(${args.map((_, k) => arg(k)).join(', ')})`;
      return { sql: `json_merge_patch('{}', ${inner})`, end: close + 1 };
    }
    case 'ARRAY_CONSTRUCT':
      // Elements may differ in type (https://docs.snowflake.com/en/sql-reference/functions/array_construct).
      return { sql: args.length === 0 ? `CAST('[]' AS JSON)` : `json_array(${args.map((_, k) => arg(k)).join(', ')})`, end: close + 1 };
    case 'TO_NUMBER': case 'TO_DECIMAL': case 'TO_NUMERIC': case 'TRY_TO_NUMBER': case 'TRY_TO_DECIMAL': case 'TRY_TO_NUMERIC': {
      // (x) → NUMBER(38,0); (x, p, s) → NUMBER(p,s) (https://docs.snowflake.com/en/sql-reference/functions/to_decimal).
      const cast = name.startsWith('TRY_') ? 'TRY_CAST' : 'CAST';
      if (args.length === 1) return { sql: `${cast}(${arg(0)} AS DECIMAL(38,0))`, end: close + 1 };
      if (args.length === 3) return { sql: `${cast}(${arg(0)} AS DECIMAL(${arg(1)},${arg(2)}))`, end: close + 1 };
      throw unsupported(`${name} with a format model`);
    }
    case 'TYPEOF':
      // DuckDB has its own typeof (the engine's type names); a macro of that name would shadow it.
      return { sql: `SF_TYPEOF(${arg(0)})`, end: close + 1 };
    case 'GET': {
      // GET(variant, key or index) (https://docs.snowflake.com/en/sql-reference/functions/get): NULL when absent.
      if (args.length !== 2) return null;
      const key = tokens[args[1]![0]];
      const single = args[1]![1] - args[1]![0] === 1;
      const path = single && key?.type === 'string' ? sqlString(`$."${key.value}"`) : single && key?.type === 'number' ? sqlString(`$[${key.value}]`) : `'$[' || CAST(${arg(1)} AS VARCHAR) || ']'`;
      return { sql: `json_extract(CAST(${arg(0)} AS JSON), ${path})`, end: close + 1 };
    }
    case 'CONVERT_TIMEZONE': {
      // (source, target, ntz) → the wall time in target, TIMESTAMP_NTZ; (target, ts) → the same instant as a
      // TIMESTAMP_TZ with the target zone's offset (https://docs.snowflake.com/en/sql-reference/functions/convert_timezone).
      if (args.length === 3) return { sql: `timezone(${arg(1)}, timezone(${arg(0)}, SF_TO_NTZ(${arg(2)})))`, end: close + 1 };
      if (args.length === 2 && hasAggregate(arg(1))) return { sql: `CAST(${arg(1)} AS TIMESTAMPTZ)`, end: close + 1 };
      if (args.length === 2) return { sql: `SF_CONVERT_TZ(${arg(0)}, SF_UTC(SF_TZ(${arg(1)})))`, end: close + 1 };
      return null;
    }
    case 'TO_VARCHAR': case 'TO_CHAR': {
      if (args.length !== 2) return null;
      const fmt = tokens[args[1]![0]];
      if (fmt?.type !== 'string' || args[1]![1] - args[1]![0] !== 1) throw unsupported(`${name} with a computed format`);
      return { sql: toVarcharWithFormat(arg(0), fmt.value), end: close + 1 };
    }
    case 'DATE_PART': {
      if (args.length !== 2) return null;
      const part = tokens[args[0]![0]];
      const word = part?.type === 'string' ? part.value.toUpperCase() : part?.type === 'word' ? part.value : '';
      return { sql: datePart(word, arg(1)), end: close + 1 };
    }
    case 'YEAR': case 'QUARTER': case 'MONTH': case 'WEEK': case 'DAY': case 'DAYOFMONTH': case 'DAYOFWEEK': case 'DAYOFYEAR':
    case 'HOUR': case 'MINUTE': case 'SECOND':
      // Shortcuts for DATE_PART (https://docs.snowflake.com/en/sql-reference/functions/year): a TIMESTAMP_TZ value's
      // parts are those of its own offset (format-models.ts).
      return args.length === 1 ? { sql: datePart(name, arg(0)), end: close + 1 } : null;
    case 'DATE_TRUNC': {
      // (https://docs.snowflake.com/en/sql-reference/functions/date_trunc) a TIMESTAMP_TZ value is truncated in its own
      // offset's wall time and keeps that offset (tz-values.ts).
      const unit = unitOf(tokens[args[0]?.[0] ?? -1]);
      if (!unit || args.length !== 2) return null;
      return { sql: `${hasAggregate(arg(1)) ? 'date_trunc' : 'SF_DATE_TRUNC'}('${unit.toLowerCase()}', ${arg(1)})`, end: close + 1 };
    }
    case 'DATEADD': case 'TIMEADD': case 'TIMESTAMPADD': {
      const unit = unitOf(tokens[args[0]?.[0] ?? -1]);
      if (!unit) throw unsupported(`${name} unit`);
      // A DATE plus days or more stays a DATE; smaller units give TIMESTAMP_NTZ (https://docs.snowflake.com/en/sql-reference/functions/dateadd).
      if (['YEAR', 'MONTH', 'WEEK', 'DAY'].includes(unit)) return { sql: `SF_DATEADD_WHOLE(${arg(2)}, INTERVAL (${arg(1)}) ${unit})`, end: close + 1 };
      if (hasAggregate(arg(2))) return { sql: `(${arg(2)} + INTERVAL (${arg(1)}) ${unit})`, end: close + 1 };
      return { sql: `SF_DATEADD_PART(${arg(2)}, INTERVAL (${arg(1)}) ${unit})`, end: close + 1 };
    }
    case 'DATEDIFF': case 'TIMEDIFF': case 'TIMESTAMPDIFF': {
      const unit = unitOf(tokens[args[0]?.[0] ?? -1]);
      if (!unit) throw unsupported(`${name} unit`);
      const utc = (x: string) => (hasAggregate(x) ? x : `SF_UTC(${x})`);
      return { sql: `date_diff('${unit.toLowerCase()}', ${utc(arg(1))}, ${utc(arg(2))})`, end: close + 1 };
    }
    default:
      if (name.startsWith('SYSTEM$')) throw unsupported(name);
      return null;
  }
}

function unitOf(t: Token | undefined): string | undefined {
  if (!t) return undefined;
  const word = t.type === 'string' ? t.value.toUpperCase() : isWord(t) ? t.value : '';
  return INTERVAL_UNITS[word];
}

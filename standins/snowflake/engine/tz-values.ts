/**
 * TIMESTAMP_TZ values keep their own offset: "TIMESTAMP_TZ internally stores UTC time together with an associated
 * time zone offset. When a time zone isn't provided, the session time zone offset is used"
 * (https://docs.snowflake.com/en/sql-reference/data-types-datetime#timestamp-ltz-timestamp-ntz-timestamp-tz); "all
 * operations are performed with the time zone offset specific to each record" (same page): DATEADD, DATE_PART,
 * TO_CHAR and the output formats work on the wall time at the value's own offset.
 * DuckDB has no such type, so a TZ value is a STRUCT(sf_utc TIMESTAMPTZ, sf_off SMALLINT) (the instant and the
 * offset in minutes), in tables, views, streams and expressions alike. The macros below are overloaded on that
 * struct type (DuckDB picks the typed overload), so the same call works on TZ structs and on every other type:
 * - SF_TZ(x): x as TIMESTAMP_TZ. Text keeps its written offset ('…+02:00', '… -0500', 'Z'), text without one, an
 *   NTZ value (its wall time) or an LTZ value takes the session TIMEZONE's offset at that instant (the docs above);
 * - SF_UTC(x): the instant of a TZ value, x itself otherwise. Comparisons use it on both operands: "when comparing
 *   TIMESTAMP_TZ values, the time zone offsets are taken into account" — the same instant written with two offsets
 *   is equal (https://docs.snowflake.com/en/sql-reference/data-types-datetime#timestamp-tz);
 * - SF_WALL(x) / SF_OFFSET_SECONDS(x): the local wall time at the value's own offset and that offset, used by the
 *   output formats, TO_VARCHAR/TO_CHAR models and DATE_PART (format-models.ts), the offset of an LTZ value being
 *   the session zone's;
 * - SF_TO_LTZ / SF_TO_NTZ / SF_TO_DATE / SF_TO_TIME: casts out of TIMESTAMP_TZ: LTZ keeps the instant, the others keep the
 *   wall time at the value's offset (https://docs.snowflake.com/en/sql-reference/data-types-datetime#data-type-conversion).
 */

export const TZ_TYPE = 'STRUCT(sf_utc TIMESTAMPTZ, sf_off SMALLINT)';
export const TZ_FIELDS = ['sf_utc', 'sf_off'];
/** typeof() of a TZ value. */
export const TZ_TYPEOF = 'STRUCT(sf_utc TIMESTAMP WITH TIME ZONE, sf_off SMALLINT)';

/** x read as a TZ struct through its text, which binds whatever x's type is (for CASE typeof(x) branches). */
export function asTz(x: string): string {
  return `CAST(CAST(${x} AS VARCHAR) AS ${TZ_TYPE})`;
}

const AGGREGATE = /\b(COUNT\w*|SUM|MIN|MAX|AVG|ANY_VALUE|ARRAY_AGG|ARRAY_UNIQUE_AGG|OBJECT_AGG|LISTAGG|STRING_AGG|MEDIAN|MODE|STDDEV\w*|VAR\w*|BOOL_AND|BOOL_OR|FIRST|LAST|ARG_MAX|ARG_MIN|MAX_BY|MIN_BY|APPROX_\w+|HLL|LIST|GROUPING)\s*\(|\bOVER\s*\(/i;

/**
 * Whether SQL holds an aggregate or window call. DuckDB cannot type such an argument when it picks a macro overload
 * (it then picks the TZ-struct one), so the typed macros above are applied only to other arguments; an aggregate's
 * value goes through the plain (LTZ/NTZ) SQL, as before TZ values were structs.
 */
export function hasAggregate(sql: string): boolean {
  return AGGREGATE.test(sql);
}

/** An offset text ('+02:00', '-0500', '+02', 'Z') at the end of a timestamp text, after its time of day. */
const OFFSET_RE = `'\\d:\\d{2}(:\\d{2}(\\.\\d*)?)?\\s*(Z|[+-]\\d{2}(:?\\d{2})?)$'`;
const OFFSET_TAIL_RE = `'\\s*(Z|[+-]\\d{2}(:?\\d{2})?)$'`;

/**
 * `body` with `name` bound to the value of `expr`: DuckDB inlines a macro's argument wherever the body names it, so
 * nested macros that use an argument several times grow exponentially; a lambda over a one-element list evaluates it
 * once (each macro uses its own name, so an argument never meets a lambda of the same name).
 */
export function letIn(expr: string, name: string, body: string): string {
  return `list_transform([${expr}], lambda ${name}: ${body})[1]`;
}

export const TZ_MACROS = [
  `CREATE OR REPLACE TEMP MACRO SF_TZ_AT(utc, off) AS ${letIn('utc', 'sf_at', `CASE WHEN sf_at IS NULL THEN NULL ELSE CAST(struct_pack(sf_utc := sf_at, sf_off := off) AS ${TZ_TYPE}) END`)}`,
  `CREATE OR REPLACE TEMP MACRO SF_TZ_LOCAL(utc) AS ${letIn('utc', 'sf_lu', `SF_TZ_AT(sf_lu, CAST(date_part('timezone', sf_lu) // 60 AS SMALLINT))`)}`,
  // Offset text → minutes: sign, hours, optional minutes.
  `CREATE OR REPLACE TEMP MACRO SF_TZ_OFF_MINUTES(o) AS ${letIn('o', 'sf_o', `CASE WHEN sf_o = 'Z' THEN 0 ELSE (CASE WHEN sf_o[1] = '-' THEN -1 ELSE 1 END) * (CAST(substr(sf_o, 2, 2) AS INTEGER) * 60 + CASE WHEN length(sf_o) > 3 THEN CAST(right(sf_o, 2) AS INTEGER) ELSE 0 END) END`)}`,
  // The wall time before an offset: ISO text, or RFC 2822 ('Thu, 21 Jan 2016 06:32:44 -0800'), one of the AUTO forms
  // (https://docs.snowflake.com/en/sql-reference/date-time-input-output#supported-formats-for-auto-detection).
  `CREATE OR REPLACE TEMP MACRO SF_TZ_WALL_TEXT(w) AS ${letIn('w', 'sf_wt', `CASE WHEN TRY_CAST(sf_wt AS TIMESTAMP) IS NULL AND try_strptime(sf_wt, '%a, %d %b %Y %H:%M:%S') IS NOT NULL THEN try_strptime(sf_wt, '%a, %d %b %Y %H:%M:%S') ELSE CAST(sf_wt AS TIMESTAMP) END`)}`,
  `CREATE OR REPLACE TEMP MACRO SF_TZ_TEXT(wall, o) AS ${letIn('o', 'sf_to', `CASE WHEN sf_to = '' THEN SF_TZ_LOCAL(CAST(wall AS TIMESTAMPTZ)) ELSE SF_TZ_AT(timezone('UTC', SF_TZ_WALL_TEXT(wall) - to_minutes(SF_TZ_OFF_MINUTES(sf_to))), CAST(SF_TZ_OFF_MINUTES(sf_to) AS SMALLINT)) END`)}`,
  `CREATE OR REPLACE TEMP MACRO SF_TZ(x ${TZ_TYPE}) AS x, (x VARCHAR) AS ${letIn('trim(x)', 'sf_s', `SF_TZ_TEXT(regexp_replace(sf_s, ${OFFSET_TAIL_RE}, ''), regexp_extract(sf_s, ${OFFSET_RE}, 3))`)}, (x TIMESTAMPTZ) AS SF_TZ_LOCAL(x), (x) AS SF_TZ_LOCAL(CAST(x AS TIMESTAMPTZ))`,
  // Without a lambda (x named three times), for small expressions: literals and column DEFAULTs, where DuckDB takes
  // a lambda's parameter for a column name.
  `CREATE OR REPLACE TEMP MACRO SF_TZ_OF(x ${TZ_TYPE}) AS x, (x) AS CASE WHEN x IS NULL THEN NULL ELSE CAST(struct_pack(sf_utc := CAST(x AS TIMESTAMPTZ), sf_off := CAST(date_part('timezone', CAST(x AS TIMESTAMPTZ)) // 60 AS SMALLINT)) AS ${TZ_TYPE}) END`,
  `CREATE OR REPLACE TEMP MACRO SF_UTC(x ${TZ_TYPE}) AS x.sf_utc, (x) AS x`,
  `CREATE OR REPLACE TEMP MACRO SF_TZ_WALL(x) AS ${letIn('x', 'sf_w', `(sf_w.sf_utc AT TIME ZONE 'UTC') + to_minutes(CAST(sf_w.sf_off AS BIGINT))`)}`,
  `CREATE OR REPLACE TEMP MACRO SF_WALL(x ${TZ_TYPE}) AS SF_TZ_WALL(x), (x) AS x`,
  `CREATE OR REPLACE TEMP MACRO SF_OFFSET_SECONDS(x ${TZ_TYPE}) AS CAST(x.sf_off AS BIGINT) * 60, (x) AS CAST(date_part('timezone', x) AS BIGINT)`,
  `CREATE OR REPLACE TEMP MACRO SF_TO_LTZ(x ${TZ_TYPE}) AS x.sf_utc, (x) AS CAST(x AS TIMESTAMPTZ)`,
  `CREATE OR REPLACE TEMP MACRO SF_TO_NTZ(x ${TZ_TYPE}) AS SF_TZ_WALL(x), (x) AS CAST(x AS TIMESTAMP)`,
  `CREATE OR REPLACE TEMP MACRO SF_TO_DATE(x ${TZ_TYPE}) AS CAST(SF_TZ_WALL(x) AS DATE), (x) AS CAST(x AS DATE)`,
  `CREATE OR REPLACE TEMP MACRO SF_TO_TIME(x ${TZ_TYPE}) AS CAST(SF_TZ_WALL(x) AS TIME), (x) AS CAST(x AS TIME)`,
  // DATEADD keeps the value's offset and adds to its wall time (https://docs.snowflake.com/en/sql-reference/functions/dateadd;
  // the offset per record: data-types-datetime page above). DATE_TRUNC truncates that wall time.
  `CREATE OR REPLACE TEMP MACRO SF_TZ_PLUS(x, iv) AS ${letIn('x', 'sf_p', `SF_TZ_AT(timezone('UTC', SF_TZ_WALL(sf_p) + iv - to_minutes(CAST(sf_p.sf_off AS BIGINT))), sf_p.sf_off)`)}`,
  `CREATE OR REPLACE TEMP MACRO SF_DATE_TRUNC(p VARCHAR, x ${TZ_TYPE}) AS ${letIn('x', 'sf_d', `SF_TZ_AT(timezone('UTC', date_trunc(p, SF_TZ_WALL(sf_d)) - to_minutes(CAST(sf_d.sf_off AS BIGINT))), sf_d.sf_off)`)}, (p, x) AS date_trunc(p, x)`,
  `CREATE OR REPLACE TEMP MACRO SF_DATEADD_PART(x ${TZ_TYPE}, iv) AS SF_TZ_PLUS(x, iv), (x, iv) AS x + iv`,
  // CONVERT_TIMEZONE(target, ts): the same instant, as a TIMESTAMP_TZ with the target zone's offset at that instant
  // (https://docs.snowflake.com/en/sql-reference/functions/convert_timezone).
  `CREATE OR REPLACE TEMP MACRO SF_CONVERT_TZ(zone, utc) AS ${letIn('utc', 'sf_c', `SF_TZ_AT(sf_c, CAST((epoch(timezone(zone, sf_c)) - epoch(sf_c)) // 60 AS SMALLINT))`)}`,
];

/** A TIMESTAMP_TZ literal normalised by casts.ts ('wall±HH:MM' or 'wall'), as a constant (no offset: the session zone's). */
export function tzLiteralSql(literal: string): string {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(literal);
  const text = `TIMESTAMPTZ '${literal.replace(/'/g, "''")}'`;
  if (!m) return `SF_TZ_OF(${text})`;
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  return `CAST(struct_pack(sf_utc := ${text}, sf_off := ${minutes}) AS ${TZ_TYPE})`;
}

export function isTzStruct(entryNames: readonly string[] | undefined): boolean {
  return !!entryNames && entryNames.length === 2 && entryNames[0] === TZ_FIELDS[0] && entryNames[1] === TZ_FIELDS[1];
}

/**
 * Text forms of dates and timestamps (https://docs.snowflake.com/en/sql-reference/date-time-input-output#output-formats,
 * https://docs.snowflake.com/en/sql-reference/parameters#timestamp-output-format): `x::VARCHAR`, TO_VARCHAR(x) and
 * TO_CHAR(x) follow DATE_OUTPUT_FORMAT, TIME_OUTPUT_FORMAT and TIMESTAMP_{NTZ,LTZ,TZ}_OUTPUT_FORMAT (an empty one
 * falls back to TIMESTAMP_OUTPUT_FORMAT), as set by ALTER SESSION or sent with the request: TIMESTAMP_LTZ values
 * use TIMESTAMP_LTZ_OUTPUT_FORMAT and are shown in the session TIMEZONE
 * (https://docs.snowflake.com/en/sql-reference/parameters#timestamp-ltz-output-format); TIMESTAMP_TZ values use
 * TIMESTAMP_TZ_OUTPUT_FORMAT and are shown at their own offset
 * (https://docs.snowflake.com/en/sql-reference/parameters#timestamp-tz-output-format, tz-values.ts).
 * The functions are DuckDB macros, re-created when the formats in effect change.
 */
import { formatSql } from './format-models.js';
import { asTz, letIn, TZ_TYPEOF } from './tz-values.js';

export const OUTPUT_FORMAT_DEFAULTS: Record<string, string> = {
  DATE_OUTPUT_FORMAT: 'YYYY-MM-DD',
  TIME_OUTPUT_FORMAT: 'HH24:MI:SS',
  TIMESTAMP_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
  TIMESTAMP_NTZ_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3',
  TIMESTAMP_LTZ_OUTPUT_FORMAT: '',
  TIMESTAMP_TZ_OUTPUT_FORMAT: '',
};

/** The formats in effect: request parameters over session parameters over the documented defaults. */
export function formatsInEffect(get: (name: string) => unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, def] of Object.entries(OUTPUT_FORMAT_DEFAULTS)) {
    const v = get(name);
    out[name] = v === undefined || v === null ? def : String(v);
  }
  return out;
}

/** CREATE OR REPLACE TEMP MACRO SF_TO_VARCHAR(x) for these formats. */
export function toVarcharMacro(formats: Record<string, string>): string {
  const ts = formats.TIMESTAMP_OUTPUT_FORMAT!;
  const ntz = formats.TIMESTAMP_NTZ_OUTPUT_FORMAT || ts;
  const ltz = formats.TIMESTAMP_LTZ_OUTPUT_FORMAT || ts;
  const tz = formats.TIMESTAMP_TZ_OUTPUT_FORMAT || ts;
  // The value goes through text first so every branch binds whatever x's type is (only the matching one runs).
  const as = (type: string) => `CAST(CAST(x AS VARCHAR) AS ${type})`;
  // x is bound once (letIn): the branches name it many times.
  return `CREATE OR REPLACE TEMP MACRO SF_TO_VARCHAR(v) AS ${letIn('v', 'x', `CASE typeof(x)
    WHEN '${TZ_TYPEOF}' THEN ${letIn(asTz('x'), 'sf_tzv', formatSql('sf_tzv', tz, 'tz'))}
    WHEN 'TIMESTAMP WITH TIME ZONE' THEN ${formatSql(as('TIMESTAMPTZ'), ltz, 'plain')}
    WHEN 'TIMESTAMP' THEN ${formatSql(as('TIMESTAMP'), ntz, 'plain')}
    WHEN 'TIMESTAMP_NS' THEN ${formatSql(as('TIMESTAMP'), ntz, 'plain')}
    WHEN 'DATE' THEN ${formatSql(as('DATE'), formats.DATE_OUTPUT_FORMAT!, 'plain')}
    WHEN 'TIME' THEN ${formatSql(`CAST('1970-01-01 ' || CAST(x AS VARCHAR) AS TIMESTAMP)`, formats.TIME_OUTPUT_FORMAT!, 'plain')}
    ELSE CAST(x AS VARCHAR) END`)}`;
}

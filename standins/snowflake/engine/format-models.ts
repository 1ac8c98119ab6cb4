/**
 * TO_VARCHAR / TO_CHAR with a format argument and DATE_PART, on the engine's functions.
 * Date/time format models: https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions
 * Binary formats: https://docs.snowflake.com/en/sql-reference/functions/to_char (HEX, BASE64, UTF-8).
 * DATE_PART parts: https://docs.snowflake.com/en/sql-reference/functions-date-time#label-supported-date-time-parts
 */
import { unsupported } from './errors.js';
import { hasAggregate } from './tz-values.js';

/** Snowflake format-model elements → strftime, longest first. */
const ELEMENTS: Array<[string, string]> = [
  ['YYYY', '%Y'], ['HH24', '%H'], ['HH12', '%I'], ['MMMM', '%B'], ['TZH:TZM', '%z'], ['TZHTZM', '%z'], ['FF9', '%n'], ['FF6', '%f'], ['FF3', '%g'],
  ['FF', '%n'], ['MON', '%b'], ['YY', '%y'], ['MM', '%m'], ['DD', '%d'], ['DY', '%a'], ['HH', '%I'], ['MI', '%M'], ['SS', '%S'], ['AM', '%p'], ['PM', '%p'],
];

/** A Snowflake date/time format model as a strftime pattern; text in double quotes is copied as is. */
export function strftimePattern(model: string): string {
  let out = '';
  let i = 0;
  while (i < model.length) {
    if (model[i] === '"') {
      const end = model.indexOf('"', i + 1);
      const literal = model.slice(i + 1, end < 0 ? model.length : end);
      out += literal.replace(/%/g, '%%');
      i = end < 0 ? model.length : end + 1;
      continue;
    }
    const upper = model.slice(i).toUpperCase();
    const element = ELEMENTS.find(([e]) => upper.startsWith(e));
    if (element) {
      out += element[1];
      i += element[0].length;
      continue;
    }
    if (/[A-Za-z]/.test(model[i]!)) throw unsupported(`format element at '${model.slice(i)}'`);
    out += model[i] === '%' ? '%%' : model[i];
    i++;
  }
  return out;
}

/** TO_VARCHAR(x, 'fmt') with a literal format: binary encodings by name, otherwise a date/time model. */
export function toVarcharWithFormat(x: string, format: string): string {
  const mode = hasAggregate(x) ? 'plain' : 'auto';
  const f = format.toUpperCase();
  if (f === 'HEX') return `upper(hex(${x}))`;
  if (f === 'BASE64') return `to_base64(${x})`;
  if (f === 'UTF-8' || f === 'UTF8') return `decode(${x})`;
  if (/^[90.,$SMIDGLXEB-]+$/i.test(format) && /[90]/.test(format)) throw unsupported('numeric format models in TO_VARCHAR');
  return formatSql(x, format, mode);
}

const TZ_ELEMENTS = /(TZH:TZM|TZHTZM|TZH|TZM)/i;

/**
 * SQL text of `x` (a date/time value) in a Snowflake format model. A TIMESTAMP_TZ value is shown at its own offset
 * and TZH / TZM are that offset; an LTZ value is shown in the session zone (SF_WALL / SF_OFFSET_SECONDS, tz-values.ts).
 * `mode`: 'tz' when x is known to be a TZ struct, 'plain' when it is known not to be (or holds an aggregate).
 */
export function formatSql(x: string, model: string, mode: 'auto' | 'tz' | 'plain' = 'auto'): string {
  const wall = mode === 'tz' ? `SF_TZ_WALL(${x})` : mode === 'plain' ? x : `SF_WALL(${x})`;
  if (!TZ_ELEMENTS.test(model)) return `strftime(${wall}, '${strftimePattern(model).replace(/'/g, "''")}')`;
  const seconds = mode === 'tz' ? `(CAST(struct_extract(${x}, 'sf_off') AS BIGINT) * 60)` : mode === 'plain' ? `CAST(date_part('timezone', ${x}) AS BIGINT)` : `SF_OFFSET_SECONDS(${x})`;
  const hours = `(CASE WHEN ${seconds} < 0 THEN '-' ELSE '+' END || lpad(CAST(abs(${seconds}) // 3600 AS VARCHAR), 2, '0'))`;
  const minutes = `lpad(CAST((abs(${seconds}) % 3600) // 60 AS VARCHAR), 2, '0')`;
  const parts = model.split(TZ_ELEMENTS).filter((p) => p !== '').map((part) => {
    switch (part.toUpperCase()) {
      case 'TZH:TZM': return `${hours} || ':' || ${minutes}`;
      case 'TZHTZM': return `${hours} || ${minutes}`;
      case 'TZH': return hours;
      case 'TZM': return minutes;
      default: return `strftime(${wall}, '${strftimePattern(part).replace(/'/g, "''")}')`;
    }
  });
  return `(${parts.join(' || ')})`;
}


const PARTS: Record<string, string> = {
  YEAR: 'year', Y: 'year', YY: 'year', YYYY: 'year', YR: 'year', YEARS: 'year', YRS: 'year',
  MONTH: 'month', MM: 'month', MON: 'month', MONS: 'month', MONTHS: 'month',
  DAY: 'day', D: 'day', DD: 'day', DAYS: 'day', DAYOFMONTH: 'day',
  DAYOFWEEK: 'dow', WEEKDAY: 'dow', DOW: 'dow', DW: 'dow', DAYOFWEEKISO: 'isodow', WEEKDAY_ISO: 'isodow', DOW_ISO: 'isodow',
  DAYOFYEAR: 'doy', YEARDAY: 'doy', DOY: 'doy', DY: 'doy',
  WEEK: 'week', W: 'week', WK: 'week', WEEKOFYEAR: 'week', WOY: 'week', WY: 'week', WEEKISO: 'week', WEEK_ISO: 'week',
  QUARTER: 'quarter', Q: 'quarter', QTR: 'quarter', QTRS: 'quarter', QUARTERS: 'quarter',
  HOUR: 'hour', H: 'hour', HH: 'hour', HR: 'hour', HOURS: 'hour', HRS: 'hour',
  MINUTE: 'minute', M: 'minute', MI: 'minute', MIN: 'minute', MINUTES: 'minute', MINS: 'minute',
  SECOND: 'second', S: 'second', SEC: 'second', SECONDS: 'second', SECS: 'second',
  TIMEZONE_HOUR: 'timezone_hour', TZH: 'timezone_hour', TIMEZONE_MINUTE: 'timezone_minute', TZM: 'timezone_minute',
  YEAROFWEEK: 'yearweek', YEAROFWEEKISO: 'isoyear',
};

/**
 * DATE_PART(part, x) / EXTRACT(part FROM x) as a NUMBER, like Snowflake's. Of a TIMESTAMP_TZ value the calendar and
 * clock parts are those of its own offset's wall time, TIMEZONE_HOUR / TIMEZONE_MINUTE that offset (-05:30 is -5 and
 * -30), the epoch parts its instant (tz-values.ts).
 */
export function datePart(part: string, x: string): string {
  const plain = hasAggregate(x);
  const utc = plain ? x : `SF_UTC(${x})`;
  const wall = plain ? x : `SF_WALL(${x})`;
  const seconds = plain ? `CAST(date_part('timezone', ${x}) AS BIGINT)` : `SF_OFFSET_SECONDS(${x})`;
  switch (part) {
    case 'EPOCH_SECOND': case 'EPOCH': case 'EPOCH_SECONDS': return `CAST(floor(epoch(${utc})) AS BIGINT)`;
    case 'EPOCH_MILLISECOND': case 'EPOCH_MILLISECONDS': return `epoch_ms(${utc})`;
    case 'EPOCH_MICROSECOND': case 'EPOCH_MICROSECONDS': return `epoch_us(${utc})`;
    case 'EPOCH_NANOSECOND': case 'EPOCH_NANOSECONDS': return `epoch_ns(${utc})`;
    case 'NANOSECOND': case 'NS': case 'NSEC': case 'NANOSEC': case 'NANOSECONDS': return `(CAST(date_part('microsecond', ${wall}) AS BIGINT) % 1000000) * 1000`;
    default: {
      const duck = PARTS[part];
      if (!duck) throw unsupported(`date or time part ${part}`);
      if (duck === 'timezone_hour') return `CAST(trunc(${seconds} / 3600) AS BIGINT)`;
      if (duck === 'timezone_minute') return `CAST(trunc((${seconds} % 3600) / 60) AS BIGINT)`;
      return `CAST(date_part('${duck}', ${wall}) AS BIGINT)`;
    }
  }
}

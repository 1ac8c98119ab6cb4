/**
 * Errors raised by the engine underneath, reshaped into Snowflake's: the code, SQL state and message a
 * Snowflake client would see, never the engine's own text ("Binder Error", "Candidate macros", "LINE 1:"
 * and its rewritten SQL). Shapes: "SQL compilation error: error line L at position P\ninvalid identifier 'X'"
 * (https://docs.snowflake.com/en/sql-reference/identifiers-syntax), conversion errors 100035–100040 /
 * 22007–22018 and 100051 "Division by zero" / 22012 as Snowflake prints them in its docs' examples
 * (https://docs.snowflake.com/en/sql-reference/functions/try_to_decimal,
 * https://docs.snowflake.com/en/sql-reference/functions/div0). Codes the docs do not print are marked.
 */
import { SnowflakeSqlError } from '../engine-types.js';
import { invalidIdentifier, lineAndColumn } from './errors.js';

const sf = (code: string, sqlState: string, message: string) => new SnowflakeSqlError(code, sqlState, message);

/** Where a name first appears in the statement (word boundary, any case), for "error line L at position P". */
function positionOf(sql: string, name: string): { line: number; column: number } {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(^|[^A-Za-z0-9_$])"?${escaped}"?(?![A-Za-z0-9_$])`, 'i').exec(sql);
  return lineAndColumn(sql, m ? m.index + m[1]!.length : 0);
}

/** DuckDB type names → Snowflake's, for the rare message that has to quote a type. */
function snowflakeTypes(text: string): string {
  return text
    // A TIMESTAMP_TZ value is a struct of instant and offset underneath (tz-values.ts).
    .replace(/STRUCT\(\s*"?sf_utc"? TIMESTAMP WITH TIME ZONE,\s*"?sf_off"? SMALLINT\)/g, 'TIMESTAMP_TZ')
    .replace(/\bTIMESTAMP WITH TIME ZONE\b|\bTIMESTAMPTZ\b/g, 'TIMESTAMP_LTZ')
    .replace(/\bTIMESTAMP\b(?!_)/g, 'TIMESTAMP_NTZ')
    .replace(/\bBLOB\b/g, 'BINARY')
    .replace(/\bDOUBLE\b/g, 'FLOAT')
    .replace(/\b(U?(TINY|SMALL|BIG|HUGE)?INT(8|16|32|64|128)?|INTEGER)\b/g, 'NUMBER')
    .replace(/\bDECIMAL\b/g, 'NUMBER')
    .replace(/\bBOOL\b/g, 'BOOLEAN')
    .replace(/\bJSON\b/g, 'VARIANT');
}

/** First line of an engine message without its "<Kind> Error: " prefix, in Snowflake's type names. */
function plain(message: string): string {
  const first = message.replace(/^[A-Za-z ]+Error: /, '').split('\n')[0]!.trim();
  return snowflakeTypes(first.replace(/[!.]$/, ''));
}

export function fromDuckDb(err: unknown, sql = ''): SnowflakeSqlError {
  if (err instanceof SnowflakeSqlError) return err;
  const message = err instanceof Error ? err.message : String(err);
  let m: RegExpExecArray | null;
  // The stand-in's own checks raise error('SF:<code>:<sqlstate>:<message>') inside a query (casts.ts).
  if ((m = /SF:(\d{6}):([0-9A-Z]{5}):([^\n]*)/.exec(message))) return sf(m[1]!, m[2]!, m[3]!);
  if ((m = /Referenced column "([^"]+)" (?:was )?not found|column "([^"]+)" not found|Referenced table "([^"]+)" not found/i.exec(message))) {
    const name = (m[1] ?? m[2] ?? m[3])!;
    const shown = /^[A-Z_][A-Z0-9_$]*$/.test(name) || /^[a-z_][a-z0-9_$]*$/.test(name) ? name.toUpperCase() : `"${name}"`;
    return invalidIdentifier(shown, positionOf(sql, name));
  }
  if ((m = /Scalar Function with name "?([^" ]+)"? does not exist|Table Function with name "?([^" ]+)"? does not exist|Aggregate Function with name "?([^" ]+)"? does not exist/i.exec(message))) {
    // Not printed in the docs: 002140 / 42601 "Unknown function X" (UNCONFIRMED).
    const name = (m[1] ?? m[2] ?? m[3])!.toUpperCase();
    const at = positionOf(sql, name);
    return sf('002140', '42601', `SQL compilation error: error line ${at.line} at position ${at.column}\nUnknown function ${name}`);
  }
  if ((m = /(?:Macro|function) "?([A-Za-z_][A-Za-z0-9_$]*)"?\(?\)? does not support the supplied arguments|No function matches the given name and argument types '([A-Za-z_][A-Za-z0-9_$]*)\(/i.exec(message))) {
    // Not printed in the docs: 001044 / 42P13 "Invalid argument types for function 'X'" (UNCONFIRMED).
    const name = (m[1] ?? m[2])!.toUpperCase();
    const at = positionOf(sql, name);
    return sf('001044', '42P13', `SQL compilation error: error line ${at.line} at position ${at.column}\nInvalid argument types for function '${name}'`);
  }
  if ((m = /Table with name ([^ ]+) does not exist/i.exec(message))) {
    return sf('002003', '42S02', `SQL compilation error:\nObject '${m[1]!.toUpperCase()}' does not exist or not authorized.`);
  }
  if (/Parser Error/.test(message)) {
    const near = /at or near "([^"]*)"/.exec(message)?.[1] ?? '<EOF>';
    const at = near === '<EOF>' ? lineAndColumn(sql, sql.length) : positionOf(sql, near);
    return sf('001003', '42000', `SQL compilation error:\nsyntax error line ${at.line} at position ${at.column} unexpected '${near}'.`);
  }
  if (/Division by zero/i.test(message)) return sf('100051', '22012', 'Division by zero');
  if ((m = /Could not convert string ['"]([^'"]*)['"] to BOOL/.exec(message))) return sf('100037', '22018', `Boolean value '${m[1]}' is not recognized`);
  if ((m = /invalid date field format: "([^"]*)"|Could not convert string '([^']*)' to DATE|date field value out of range: "([^"]*)"/.exec(message))) {
    return sf('100040', '22007', `Date '${m[1] ?? m[2] ?? m[3]}' is not recognized`);
  }
  if ((m = /invalid timestamp field format: "([^"]*)"|Could not convert string '([^']*)' to TIMESTAMP|timestamp field value out of range: "([^"]*)"|Unknown TimeZone '([^']*)'/.exec(message))) {
    return sf('100035', '22007', `Timestamp '${m[1] ?? m[2] ?? m[3] ?? m[4]}' is not recognized`);
  }
  if ((m = /Could not convert string ['"]([^'"]*)['"] to (?:INT|UINT|DECIMAL|DOUBLE|FLOAT|HUGEINT|NUMBER)/.exec(message))) {
    return sf('100038', '22018', `Numeric value '${m[1]}' is not recognized`);
  }
  if ((m = /Could not cast value (\S+) to DECIMAL|Value (\S+) can't be cast|out of range for the destination type|Overflow in|overflow/i.exec(message))) {
    // Not printed in the docs: 100039 / 22003 for a value outside NUMBER(p,s), 100046 / 22003 for arithmetic (UNCONFIRMED).
    const value = m[1] ?? m[2];
    return value
      ? sf('100039', '22003', `Numeric value '${value}' is out of range`)
      : sf('100046', '22003', 'Number out of representable range');
  }
  if (/Malformed JSON|JSON/.test(message) && /Invalid Input|Conversion/.test(message)) {
    return sf('100069', '22P02', `Error parsing JSON: ${plain(message).replace(/^Malformed JSON[^:]*:\s*/, '')}`);
  }
  if (/Conflict|conflict/.test(message)) {
    // Concurrent writes: Snowflake waits for the lock and times out (LOCK_TIMEOUT); no engine text.
    return sf('000625', '57014', 'Statement reached its statement or warehouse timeout of 0 second(s) and was canceled.');
  }
  if (/Conversion Error|Invalid Input Error|Out of Range/.test(message)) return sf('100038', '22018', plain(message));
  return sf('002040', '42601', `SQL compilation error:\n${plain(message)}`);
}

/**
 * Snowflake error shapes. Only 002003/42S02 (object does not exist), 001003/42000 (syntax) and 000604/57014
 * are confirmed by shared/reference/snowflake-sdk.md §3.5; the other codes, SQL states and texts are the
 * ones Snowflake prints in its docs and community threads (chosen from memory where the reference is
 * silent; each is marked below).
 */
import { SnowflakeSqlError } from '../engine-types.js';

export { SnowflakeSqlError };

/** Reference §3.5 (measured). */
export function objectDoesNotExist(name: string): SnowflakeSqlError {
  return new SnowflakeSqlError('002003', '42S02', `SQL compilation error:\nObject '${name}' does not exist or not authorized.`);
}

/** DROP/ALTER/USE on a missing object: Snowflake names the kind ("Table 'X' does not exist…", SQL state 02000). Not in the reference. */
export function kindDoesNotExist(kind: string, name: string): SnowflakeSqlError {
  const label = kind.charAt(0) + kind.slice(1).toLowerCase();
  return new SnowflakeSqlError('002003', '02000', `SQL compilation error:\n${label} '${name}' does not exist or not authorized.`);
}

/** `USE DATABASE nope` (not in the reference): code 002043, SQL state 02000. */
export function cannotPerform(): SnowflakeSqlError {
  return new SnowflakeSqlError('002043', '02000', 'SQL compilation error:\nObject does not exist, or operation cannot be performed.');
}

/** Not in the reference: 002002 / 42710 "Object 'X' already exists." */
export function alreadyExists(kind: string, name: string): SnowflakeSqlError {
  const label = kind.charAt(0) + kind.slice(1).toLowerCase();
  return new SnowflakeSqlError('002002', '42710', `SQL compilation error:\n${label} '${name}' already exists.`);
}

/** Reference §3.5 names 001003/42000; the text layout is Snowflake's ("syntax error line L at position P unexpected 'X'."). */
export function syntaxError(sql: string, pos: number, _detail?: string): SnowflakeSqlError {
  const before = sql.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - (before.lastIndexOf('\n') + 1);
  const near = /^\S+/.exec(sql.slice(pos))?.[0] ?? '<EOF>';
  return new SnowflakeSqlError('001003', '42000', `SQL compilation error:\nsyntax error line ${line} at position ${column} unexpected '${near}'.`);
}

/** Not in the reference: 003001 / 42501, "SQL access control error:\nInsufficient privileges to operate on <kind> '<name>'". */
export function insufficientPrivileges(kind: string, name: string): SnowflakeSqlError {
  return new SnowflakeSqlError('003001', '42501', `SQL access control error:\nInsufficient privileges to operate on ${kind.toLowerCase()} '${name}'`);
}

/** Not in the reference: 000904 / 42000 "invalid identifier". */
export function invalidIdentifier(name: string): SnowflakeSqlError {
  return new SnowflakeSqlError('000904', '42000', `SQL compilation error: error line 1 at position 0\ninvalid identifier '${name}'`);
}

/** Not in the reference: 000606 / 57P03, raised when a query needs compute and no warehouse is in use. */
export function noActiveWarehouse(): SnowflakeSqlError {
  return new SnowflakeSqlError(
    '000606',
    '57P03',
    "No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.\n",
  );
}

/** Generic compilation error (code 002057 is not documented; we use 001003's SQL state). Docs silent: stricter = fail. */
export function unsupported(what: string): SnowflakeSqlError {
  return new SnowflakeSqlError('002040', '0A000', `SQL compilation error:\nUnsupported feature '${what}'.`);
}

/** Stream on a view whose base tables lack change tracking, caller not owner. Text UNCONFIRMED (reference §1.2). */
export function changeTrackingNotEnabled(objectName: string): SnowflakeSqlError {
  return new SnowflakeSqlError(
    '003001',
    '42501',
    `SQL access control error:\nInsufficient privileges to operate on table '${objectName}'. Change tracking is not enabled on '${objectName}' and only the owner can enable it.`,
  );
}

/** DuckDB errors that reach the user: map the common ones to Snowflake shapes, keep the rest as a compilation error. */
export function fromDuckDb(err: unknown): SnowflakeSqlError {
  if (err instanceof SnowflakeSqlError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const column = /Referenced column "([^"]+)" not found/.exec(message) ?? /column "([^"]+)" not found/i.exec(message);
  if (column) return invalidIdentifier(column[1]!.toUpperCase());
  if (/Parser Error/.test(message)) return new SnowflakeSqlError('001003', '42000', `SQL compilation error:\n${message}`);
  if (/Conflict|conflict/.test(message)) {
    return new SnowflakeSqlError('000625', '57014', `Statement reached its statement or warehouse timeout of 0 second(s) and was canceled: ${message}`);
  }
  if (/Conversion Error|Invalid Input Error|Out of Range/.test(message)) {
    return new SnowflakeSqlError('100038', '22018', message.replace(/^[A-Za-z ]+Error: /, ''));
  }
  return new SnowflakeSqlError('002040', '42601', `SQL compilation error:\n${message}`);
}

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

/** Not in the reference: 000904 / 42000 "invalid identifier" (a quoted name is shown with its quotes). */
export function invalidIdentifier(name: string, at: { line: number; column: number } = { line: 1, column: 0 }): SnowflakeSqlError {
  return new SnowflakeSqlError('000904', '42000', `SQL compilation error: error line ${at.line} at position ${at.column}\ninvalid identifier '${name}'`);
}

/** Line (1-based) and position (0-based) of `pos` in `sql`, as Snowflake's messages print them. */
export function lineAndColumn(sql: string, pos: number): { line: number; column: number } {
  const before = sql.slice(0, Math.max(0, pos));
  return { line: before.split('\n').length, column: pos - (before.lastIndexOf('\n') + 1) };
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

export { fromDuckDb } from './engine-errors.js';

/**
 * Error mapping for codes the stand-in tests do not reach (grants, warehouses, SPCS), with errors shaped
 * as the driver builds them from Snowflake's answers (shared/reference/snowflake-sdk.md §3.5).
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { mapDriverError } from '../../shared/snowflake/driver-errors.js';

const context = { target: 'https://org-acct.snowflakecomputing.com (account org-acct)', user: 'ALICE', role: 'SYNC_ROLE' };

function driverError(code: string | number, message: string, sqlState?: string): Error {
  return Object.assign(new Error(message), { name: 'OperationFailedError', code, sqlState, data: { queryId: '01b2-0000' } });
}

const cases: Array<[string, Error, { kind: string; code: string }, RegExp]> = [
  ['003001 → the GRANT to run', driverError('003001', "SQL access control error:\nInsufficient privileges to operate on schema 'DB.SYNC'", '42501'), { kind: 'permission', code: 'INSUFFICIENT_PRIVILEGES' }, /GRANT <PRIVILEGE> ON SCHEMA DB\.SYNC TO ROLE SYNC_ROLE;/],
  ['000606 no warehouse', driverError('000606', "No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.", '57P03'), { kind: 'sql', code: 'WAREHOUSE_MISSING' }, /--warehouse/],
  ['suspended warehouse', driverError('000630', "Warehouse 'SYNC_WH' cannot be resumed because resource monitor 'RM' has exceeded its quota."), { kind: 'sql', code: 'WAREHOUSE_SUSPENDED' }, /ALTER WAREHOUSE SYNC_WH RESUME/],
  ['SPCS unavailable (trial account)', driverError('395054', "Feature 'COMPUTE POOL' not available for trial accounts."), { kind: 'sql', code: 'SPCS_UNAVAILABLE' }, /admin/],
  ['external access on a trial account', driverError('509009', 'SQL compilation error: External access is not supported for trial accounts.', '0A000'), { kind: 'sql', code: 'SPCS_UNAVAILABLE' }, /SPCS/],
  ['USE ROLE not granted', driverError('003013', "Requested role 'ADMIN_ROLE' is not assigned to the executing user. Specify another role to activate."), { kind: 'permission', code: 'ROLE_NOT_GRANTED' }, /GRANT ROLE ADMIN_ROLE TO USER ALICE/],
  ['driver option error (404xxx)', driverError(404007, 'An account must be specified.'), { kind: 'usage', code: 'CONNECTION_OPTIONS_INVALID' }, /connections\.toml/],
  ['other SQL error keeps Snowflake\'s message', driverError('001003', "SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'SELEC'.", '42000'), { kind: 'sql', code: 'SQL_SYNTAX' }, /.*/],
];

describe('mapDriverError', () => {
  it.each(cases)('%s', (_name, error, expected, suggestion) => {
    const mapped = mapDriverError(error, context);
    expect(mapped).toBeInstanceOf(UserError);
    expect(mapped).toMatchObject({ ...expected, message: expect.stringContaining(error.message.split('\n').pop()!) });
    expect((mapped as UserError).suggestion ?? '').toMatch(suggestion);
    expect((mapped as UserError).details).toMatchObject({ snowflakeCode: String((error as Error & { code: unknown }).code), queryId: '01b2-0000' });
  });

  it('a network failure deep in the cause chain is "unreachable"', () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    const wrapped = Object.assign(new Error('Network error. Could not reach Snowflake.'), { code: 401001, cause: socket });
    expect(mapDriverError(wrapped, context)).toMatchObject({ kind: 'connection', code: 'SNOWFLAKE_UNREACHABLE' });
  });

  it('unknown codes during login are connection errors, during queries SQL errors', () => {
    const error = driverError('394999', 'Something about the login.');
    expect(mapDriverError(error, { ...context, phase: 'login' })).toMatchObject({ kind: 'connection', code: 'LOGIN_FAILED' });
    expect(mapDriverError(error, context)).toMatchObject({ kind: 'sql', code: 'SQL_ERROR' });
  });

  it('leaves programming errors alone (they are internal errors)', () => {
    const bug = new TypeError('x is not a function');
    expect(mapDriverError(bug, context)).toBe(bug);
  });
});

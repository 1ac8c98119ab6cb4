/**
 * Errors of account profiles, SPCS and tasks. The reference confirms only some of them; each says where its
 * code and text come from. Where the docs are silent we refuse (the stricter behaviour) with a clear text.
 */
import { SnowflakeSqlError } from '../errors.js';

/**
 * SPCS not available (reference §2.1): code 395054 was seen for SHOW COMPUTE POOLS on a trial account
 * (third-party); the message text is UNCONFIRMED.
 */
export function spcsUnavailable(feature: string): SnowflakeSqlError {
  return new SnowflakeSqlError('395054', '0A000', `SQL compilation error:\nSnowpark Container Services feature '${feature}' is not available for this account.`);
}

/**
 * A privileged role owning a service (reference §3.3, §6.3: "you cannot use the ACCOUNTADMIN role to create a
 * service"; older docs add SECURITYADMIN; ORGADMIN unconfirmed, refused to be safe). Code and text UNCONFIRMED.
 */
export function privilegedServiceOwner(role: string, service: string): SnowflakeSqlError {
  return new SnowflakeSqlError(
    '003001',
    '42501',
    `SQL access control error:\nInsufficient privileges to operate on service '${service}'. A service cannot be created or owned by the privileged role ${role} (ACCOUNTADMIN, SECURITYADMIN, ORGADMIN); use another role.`,
  );
}

export const PRIVILEGED_SERVICE_ROLES = new Set(['ACCOUNTADMIN', 'SECURITYADMIN', 'ORGADMIN']);

/**
 * RESUME / EXECUTE TASK when the owner lacks the global EXECUTE TASK privilege (reference §5.2: "if not, an error
 * is produced"). The text is the one Snowflake users report; code and SQL state UNCONFIRMED.
 */
export function executeTaskNotGranted(): SnowflakeSqlError {
  return new SnowflakeSqlError('003001', '42501', 'SQL access control error:\nCannot execute task , EXECUTE TASK privilege must be granted to owner role');
}

/**
 * RESUME / EXECUTE TASK of a serverless task (no WAREHOUSE) whose owner lacks EXECUTE MANAGED TASK
 * (https://docs.snowflake.com/en/user-guide/security-access-control-privileges: "For serverless tasks to run, the role
 * that has the OWNERSHIP privilege on the task must also have the global EXECUTE MANAGED TASK privilege"). Text, code
 * and SQL state UNCONFIRMED; shaped like the EXECUTE TASK one.
 */
export function executeManagedTaskNotGranted(): SnowflakeSqlError {
  return new SnowflakeSqlError('003001', '42501', 'SQL access control error:\nCannot execute task , EXECUTE MANAGED TASK privilege must be granted to owner role');
}

/** GRANT without the right to grant: 003102 / 42501 "Grant not executed: Insufficient privileges." (third-party, SnowDDL#179). */
export function grantNotExecuted(): SnowflakeSqlError {
  return new SnowflakeSqlError('003102', '42501', 'Grant not executed: Insufficient privileges.');
}

/** USE ROLE of a role the user does not have (same shape as statements.ts, not in the reference). */
export function roleNotAssigned(role: string): SnowflakeSqlError {
  return new SnowflakeSqlError('003013', '42501', `SQL execution error: Requested role '${role}' is not assigned to the executing user. Specify another role to activate.`);
}

/** EXECUTE JOB SERVICE whose container exited non-zero (reference §3.1: UNCONFIRMED, "presumably an error"). */
export function jobFailed(name: string, container: string, exitCode: number | undefined, detail: string): SnowflakeSqlError {
  const status = exitCode === undefined ? 'did not exit normally' : `exited with code ${exitCode}`;
  return new SnowflakeSqlError('100357', 'P0000', `Job ${name} completed with status: FAILED. Container '${container}' ${status}. ${detail}`.trim());
}

/** A synchronous job stopped by ALTER COMPUTE POOL … STOP ALL (status CANCELLED, §3.1; code and text UNCONFIRMED). */
export function jobCancelled(name: string): SnowflakeSqlError {
  return new SnowflakeSqlError('100357', 'P0000', `Job ${name} completed with status: CANCELLED.`);
}

/** A service (job) with that name exists already (reference §3.1: re-running with the same NAME). */
export function serviceExists(name: string): SnowflakeSqlError {
  return new SnowflakeSqlError('002002', '42710', `SQL compilation error:\nObject '${name}' already exists.`);
}

/** Generic compilation error for a bad specification (text UNCONFIRMED). */
export function invalidSpec(detail: string): SnowflakeSqlError {
  return new SnowflakeSqlError('395018', '22023', `Invalid spec: ${detail}`);
}

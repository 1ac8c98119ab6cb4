/**
 * Before applying a plan that creates the email notification integration: Snowflake sends alert emails only to
 * users of the account whose address is verified, and CREATE NOTIFICATION INTEGRATION fails on any other address
 * (https://docs.snowflake.com/en/user-guide/notifications/creating-notification-integration-email). SHOW USERS
 * shows whose address it is (the `email` column); whether it is verified is not shown by any documented command,
 * so that part is left to the statement itself, which the plan runs first of all (src/plan/alert-steps.ts):
 * refused, nothing else is created.
 */
import { usageError, UserError } from '../../shared/errors.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { Plan } from '../plan/types.js';
import type { Wizard } from './context.js';

export async function checkAlertEmail(w: Wizard, session: SnowflakeSession, plan: Plan, email: string | undefined): Promise<void> {
  if (!email || !plan.steps.some((s) => s.id === 'alert-integration-email')) return;
  let rows: Array<Record<string, unknown>>;
  try {
    rows = (await session.query<Record<string, unknown>>('SHOW USERS')).rows;
  } catch {
    w.output.warn(`Could not list the account's users (SHOW USERS): not checked that ${email} is a user's address.`);
    return;
  }
  const emails = rows.map((r) => (typeof r.email === 'string' ? r.email.toLowerCase() : null));
  if (emails.every((e) => e === null)) {
    w.output.warn(`SHOW USERS shows no email addresses to this role: not checked that ${email} is a user's address.`);
    return;
  }
  if (emails.includes(email.toLowerCase())) return;
  throw usageError('ALERT_EMAIL_NOT_A_USER', `${email} is not the email address of a user of this Snowflake account; Snowflake sends alert emails only to its users' verified addresses. Nothing was created.`, {
    suggestion: `Use the address of a user of the account (SHOW USERS, column email) who verified it, or have an admin set it: ALTER USER <name> SET EMAIL = '${email}'; then SELECT SYSTEM$START_USER_EMAIL_VERIFICATION('<name>'); and rerun batch-snowflake init once the user clicked the verification link.`,
  });
}

/**
 * The email integration (the plan's first step) refused by Snowflake: the address is a user's but not verified
 * (nothing else was created). A typed error saying how to verify it; null for any other failure.
 */
export function unverifiedEmailFailure(failedStepId: string | undefined, email: string | undefined, error: unknown): UserError | null {
  if (failedStepId !== 'alert-integration-email' || !email) return null;
  const detail = error instanceof Error ? error.message : String(error);
  return new UserError('usage', 'ALERT_EMAIL_NOT_VERIFIED', `Snowflake refused to send alerts to ${email}: ${detail.split('\n').pop()} Nothing was created.`, {
    cause: error,
    suggestion: `The user whose email this is must verify it (Snowsight: profile → email → verify), or an admin starts it: SELECT SYSTEM$START_USER_EMAIL_VERIFICATION('<user name>'); then rerun batch-snowflake init.`,
  });
}

/**
 * How a secret reaches Snowflake without ever being part of a plan, a dry run or a log.
 *
 * - DDL (CREATE/ALTER SECRET … SECRET_STRING = …) cannot take bind variables (binds replace values in DML and
 *   queries only), so the plan's SQL holds a placeholder literal, e.g. `'<from BATCH_REST_API_KEY>'`, and
 *   `secretSlots` names it. At apply time `fillSecrets` swaps that exact literal for the escaped value; the
 *   result goes straight to the driver and must not be logged.
 * - DML (the credentials table MERGE) uses real binds: `{ secret: 'BATCH_REST_API_KEY' }` in `binds` becomes
 *   the value; the SQL text never contains it.
 * Note: the CREATE SECRET text (with the value) is what Snowflake receives; whether its query history
 * redacts SECRET_STRING is not documented in our reference (UNCONFIRMED).
 */
import { usageError } from '../../shared/errors.js';
import type { BindValue } from '../../shared/snowflake/types.js';
import { sqlLiteral } from '../../shared/sql/literals.js';
import type { Plan, PlanBind, SecretName, SqlStep } from './types.js';

export const SECRET_PLACEHOLDER: Record<SecretName, string> = {
  BATCH_REST_API_KEY: '<from BATCH_REST_API_KEY>',
  BATCH_ALERT_WEBHOOK_SECRET: '<from BATCH_ALERT_WEBHOOK_URL>',
};

export type SecretValues = Partial<Record<SecretName, string>>;

function secretValue(name: SecretName, secrets: SecretValues): string {
  const value = secrets[name];
  if ((value === undefined || value.length === 0) && name === 'BATCH_ALERT_WEBHOOK_SECRET') {
    throw usageError('SECRET_MISSING', 'The alert webhook URL is needed to apply this plan but was not provided.', {
      suggestion: 'Set it in the environment (export BATCH_ALERT_WEBHOOK_URL=https://hooks.slack.com/services/…), or run interactively to paste it (hidden).',
    });
  }
  if (value === undefined || value.length === 0) {
    throw usageError('SECRET_MISSING', `The Batch REST API key is needed to apply this plan but was not provided.`, {
      suggestion: 'Set it in the environment (export BATCH_REST_API_KEY=…), pipe it on stdin, or run interactively to type it (hidden).',
    });
  }
  return value!;
}

/** The statement and binds to execute, with secrets in place. Never print or log the result. */
export function fillSecrets(step: Pick<SqlStep, 'sql' | 'binds' | 'secretSlots'>, secrets: SecretValues): { sql: string; binds: BindValue[] } {
  let sql = step.sql;
  for (const name of step.secretSlots ?? []) {
    const placeholder = sqlLiteral(SECRET_PLACEHOLDER[name]);
    const pieces = sql.split(placeholder);
    if (pieces.length !== 2) throw new Error(`internal: secret placeholder for ${name} must appear exactly once in the statement`);
    sql = pieces.join(sqlLiteral(secretValue(name, secrets)));
  }
  const binds = (step.binds ?? []).map((bind: PlanBind) => ('secret' in bind ? secretValue(bind.secret, secrets) : bind.value));
  return { sql, binds };
}

/** Which secrets applying the plan needs (so the wizard asks for the key only when it must). */
export function secretsNeeded(plan: Plan): SecretName[] {
  const names = new Set<SecretName>();
  for (const step of plan.steps) {
    if (step.kind !== 'sql') continue;
    step.secretSlots?.forEach((n) => names.add(n));
    step.binds?.forEach((b) => ('secret' in b ? names.add(b.secret) : undefined));
  }
  return [...names];
}

/** A bind as shown in plans and dry runs. */
export function displayBind(bind: PlanBind): string {
  if ('secret' in bind) return SECRET_PLACEHOLDER[bind.secret];
  return bind.value === null ? 'NULL' : JSON.stringify(bind.value instanceof Date ? bind.value.toISOString() : bind.value);
}

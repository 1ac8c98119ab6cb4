/**
 * The webhook test of an init with alerts (NotifyTestStep, src/plan/alert-steps.ts): SYSTEM$SEND_SNOWFLAKE_NOTIFICATION
 * only queues a message, so the step notes the history rows that exist, sends the test message, then reads
 * INFORMATION_SCHEMA.NOTIFICATION_HISTORY (https://docs.snowflake.com/en/sql-reference/functions/notification_history)
 * until the new request's last attempt is SUCCESS or FAILURE. The wait is bounded (WEBHOOK_TEST_TIMEOUT_SECONDS); still
 * QUEUED or RETRIABLE_FAILURE then counts as unreachable. The docs do not say what the CALL returns, so the new request
 * is the ID that was not in the history before the CALL. Statements: 1 history read + 1 CALL + a few reads (polls
 * at 0.25, 0.5, 1, 2, then every 5 s). ERROR_MESSAGE may hold the webhook's response body ("may contain sensitive data"):
 * every secret value and anything that looks like the URL's path is redacted before it is shown.
 */
import { UserError } from '../../shared/errors.js';
import { WEBHOOK_TEST_TIMEOUT_SECONDS } from '../plan/alert-steps.js';
import type { SecretValues } from '../plan/secret-slots.js';
import type { NotifyTestStep } from '../plan/types.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';

interface HistoryRow { ID: string; ATTEMPT: number | string; STATUS: string; ERROR_MESSAGE: string | null }

export interface WebhookTestDeps {
  session: SnowflakeSession;
  secrets: SecretValues;
  /** Counts each statement sent. */
  counted: () => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

const DELAYS_MS = [250, 500, 1000, 2000];
const wait = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

export function redact(text: string, secrets: SecretValues): string {
  let out = text;
  for (const value of Object.values(secrets)) if (typeof value === 'string' && value.length >= 4) out = out.split(value).join('<redacted>');
  // The path after /services/ or /workflows/, or a key-like token (20+ characters mixing letters and digits), may be a
  // secret part too (a body echoing another URL or key).
  return out.replace(/(\/(?:services|workflows)\/)[^\s"'<>]+/g, '$1<redacted>').replace(/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}\b/g, '<redacted>');
}

async function history(step: NotifyTestStep, deps: WebhookTestDeps): Promise<HistoryRow[]> {
  deps.counted();
  const { rows } = await deps.session.query<HistoryRow>(step.historySql);
  return rows;
}

/** Resolves when the test message was delivered; throws ALERT_WEBHOOK_UNREACHABLE otherwise. */
export async function testWebhook(step: NotifyTestStep, deps: WebhookTestDeps): Promise<string> {
  const known = new Set((await history(step, deps)).map((r) => r.ID));
  deps.counted();
  await deps.session.query(step.sendSql);
  const deadline = Date.now() + (deps.timeoutMs ?? WEBHOOK_TEST_TIMEOUT_SECONDS * 1000);
  let last: HistoryRow | undefined;
  for (let poll = 0; ; poll++) {
    await wait(Math.min(DELAYS_MS[poll] ?? 5000, Math.max(0, deadline - Date.now())), deps.signal);
    const attempts = (await history(step, deps)).filter((r) => !known.has(r.ID));
    // The request is the one new ID; its latest attempt is the highest ATTEMPT.
    last = attempts.sort((a, b) => Number(b.ATTEMPT) - Number(a.ATTEMPT))[0] ?? last;
    if (last?.STATUS === 'SUCCESS') return `test notification delivered to ${step.host}`;
    if (last?.STATUS === 'FAILURE' || Date.now() >= deadline || deps.signal?.aborted) break;
  }
  const what = last === undefined
    ? `Snowflake did not report the test notification to ${step.host} in NOTIFICATION_HISTORY within ${WEBHOOK_TEST_TIMEOUT_SECONDS} s`
    : last.STATUS === 'FAILURE'
      ? `Snowflake could not deliver the test notification to ${step.host}: ${redact(last.ERROR_MESSAGE ?? 'no error message', deps.secrets)}`
      : `Snowflake had not delivered the test notification to ${step.host} after ${WEBHOOK_TEST_TIMEOUT_SECONDS} s (status ${last.STATUS}${last.ERROR_MESSAGE ? `: ${redact(last.ERROR_MESSAGE, deps.secrets)}` : ''})`;
  throw new UserError('usage', 'ALERT_WEBHOOK_UNREACHABLE', `${what}. No alert was created (the webhook is tried before any alert).`, {
    suggestion: 'Check the webhook URL (copy it again from Slack, Teams or PagerDuty; it must accept a POST from the internet) and put it in env BATCH_ALERT_WEBHOOK_URL',
    details: { host: step.host, status: last?.STATUS ?? null },
  });
}

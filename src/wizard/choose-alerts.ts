/**
 * Alert answers (issue 17 §2): `--alert-email ADDRESS`, `--alert-webhook` (the URL, which holds a secret, comes from
 * env BATCH_ALERT_WEBHOOK_URL or a hidden prompt, never argv), `--alert-reject-percent N`, `--alert-stale-hours N`.
 * The webhook URL is checked before connecting (https, a Slack/Teams/PagerDuty URL: src/config/alert-answers.ts),
 * so a bad one stops init before anything is created. Flags beat the saved answers.
 */
import { ALERT_WEBHOOK_ENV, parseWebhookUrl, type AlertDestinations, type AlertRules } from '../config/alert-answers.js';
import type { InitAnswers } from '../config/answers.js';
import type { ProjectAnswers } from '../config/syncs.js';
import type { Wizard } from './context.js';
import type { InitFlags } from './given.js';

export interface SuppliedWebhook {
  webhook: NonNullable<AlertDestinations['webhook']>;
  /** The secret part of the URL: only ever bound into CREATE/ALTER SECRET at apply time. */
  secret: string;
}

/** The webhook URL from env (or the hidden prompt with --alert-webhook), checked; undefined when none is given. */
export async function suppliedWebhook(w: Wizard, flags: InitFlags): Promise<SuppliedWebhook | undefined> {
  const env = w.env[ALERT_WEBHOOK_ENV];
  if (env !== undefined && env !== '') return parseWebhookUrl(env, `env ${ALERT_WEBHOOK_ENV}`);
  if (!flags.alertWebhook) return undefined;
  if (!w.prompter) {
    w.missing.push({ flag: `${ALERT_WEBHOOK_ENV}=… (env)`, what: 'the alert webhook URL (--alert-webhook; it holds a secret, so it is never a flag)' });
    return undefined;
  }
  const url = await w.prompter.password({ message: 'Webhook URL for alerts (Slack, Microsoft Teams or PagerDuty; hidden, stored as a Snowflake SECRET):', validate: (v) => (v.trim() ? true : 'the URL is needed') });
  return parseWebhookUrl(url, 'the prompt');
}

/** The alert answers of this init: destinations (project) and thresholds (this sync). */
export function alertAnswers(flags: InitFlags, supplied: SuppliedWebhook | undefined, saved: InitAnswers | ProjectAnswers | undefined): { alerts?: AlertDestinations; alertRules?: AlertRules } {
  const own = saved && 'source' in saved ? saved : undefined;
  const email = flags.alertEmail ?? saved?.alerts?.email;
  const webhook = supplied?.webhook ?? saved?.alerts?.webhook;
  const rules: AlertRules = { ...own?.alertRules };
  if (flags.alertRejectPercent !== undefined) rules.rejectPercent = flags.alertRejectPercent;
  if (flags.alertStaleHours !== undefined) rules.staleHours = flags.alertStaleHours;
  return {
    ...(email || webhook ? { alerts: { ...(email ? { email } : {}), ...(webhook ? { webhook } : {}) } } : {}),
    ...(Object.keys(rules).length > 0 ? { alertRules: rules } : {}),
  };
}

/**
 * The wizard's question on a first install (a terminal, no alert flag, no BATCH_ALERT_WEBHOOK_URL): where alerts
 * should go. None by default; email asks for the address, a webhook for its URL (hidden).
 */
export async function askAlerts(w: Wizard, flags: InitFlags, saved: InitAnswers | ProjectAnswers | undefined): Promise<{ email?: string; webhook?: SuppliedWebhook } | undefined> {
  const env = w.env[ALERT_WEBHOOK_ENV];
  if (!w.prompter || saved !== undefined || flags.alertEmail !== undefined || flags.alertWebhook || (env !== undefined && env !== '')) return undefined;
  const choice = await w.prompter.select({
    message: 'Alerts from Snowflake when a run fails, rejects too much, stops, or the stream goes stale?',
    default: 'none' as const,
    choices: [
      { value: 'none' as const, name: 'No alerts (add them later with init --alert-email / --alert-webhook)' },
      { value: 'email' as const, name: 'Email (a verified address of a user of this Snowflake account)' },
      { value: 'webhook' as const, name: 'Slack, Microsoft Teams or PagerDuty webhook' },
      { value: 'both' as const, name: 'Email and webhook' },
    ],
  });
  if (choice === 'none') return undefined;
  const email = choice === 'email' || choice === 'both'
    ? (await w.prompter.input({ message: 'Email address for alerts:', validate: (v) => (/^[^\s@'"]+@[^\s@'"]+\.[^\s@'"]+$/.test(v.trim()) ? true : 'an email address such as ops@example.com') })).trim()
    : undefined;
  const webhook = choice === 'webhook' || choice === 'both' ? await suppliedWebhook(w, { ...flags, alertWebhook: true }) : undefined;
  return { ...(email ? { email } : {}), ...(webhook ? { webhook } : {}) };
}

/**
 * Alerts from inside Snowflake (issue 17 §2): where they go (the project's: an email address and/or a webhook)
 * and when they fire (each sync's thresholds). Nothing here is secret: a webhook is saved as its URL with the
 * secret part replaced by Snowflake's placeholder SNOWFLAKE_WEBHOOK_SECRET; the secret itself goes to a Snowflake
 * SECRET at apply time (src/plan/alert-steps.ts) and is read from env BATCH_ALERT_WEBHOOK_URL or a hidden prompt.
 * Snowflake sends webhooks only to Slack, Microsoft Teams and PagerDuty, always over https
 * (https://docs.snowflake.com/en/sql-reference/sql/create-notification-integration-webhooks,
 * https://docs.snowflake.com/en/user-guide/notifications/webhook-notifications), so any other URL is refused here,
 * before anything is created.
 */
import { z } from 'zod';
import { usageError } from '../../shared/errors.js';

export const ALERT_WEBHOOK_ENV = 'BATCH_ALERT_WEBHOOK_URL';
export const WEBHOOK_SECRET_PLACEHOLDER = 'SNOWFLAKE_WEBHOOK_SECRET';
export const WEBHOOK_KINDS = ['slack', 'teams', 'pagerduty'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

export const AlertDestinationsSchema = z.object({
  /** A verified email address of a user of the account (Snowflake sends to nobody else). */
  email: z.string().regex(/^[^\s@'"]+@[^\s@'"]+\.[^\s@'"]+$/, 'an email address such as ops@example.com').optional(),
  webhook: z.object({ kind: z.enum(WEBHOOK_KINDS), url: z.string().startsWith('https://').includes(WEBHOOK_SECRET_PLACEHOLDER) }).optional(),
});
export type AlertDestinations = z.output<typeof AlertDestinationsSchema>;

export const DEFAULT_ALERT_RULES = { rejectPercent: 5, staleHours: 24 } as const;

export const AlertRulesSchema = z.object({
  /** A run rejecting more than this share (rows + attributes rejected per row captured, %) fires the reject alert. */
  rejectPercent: z.number().int().min(0).max(100).optional(),
  /** No successful (or partial) run for this many hours fires the no-success alert. */
  staleHours: z.number().int().min(1).max(24 * 30).optional(),
});
export type AlertRules = z.output<typeof AlertRulesSchema>;

export const hasAlertDestination = (d: AlertDestinations | undefined): d is AlertDestinations => Boolean(d && (d.email || d.webhook));

/** A webhook URL as the user pastes it → what is saved (secret part replaced) and the secret part. */
export function parseWebhookUrl(input: string, source: string): { webhook: NonNullable<AlertDestinations['webhook']>; secret: string } {
  const raw = input.trim();
  const fix = `Use the https URL of a Slack incoming webhook (https://hooks.slack.com/services/…), a Microsoft Teams workflow, or PagerDuty's https://events.pagerduty.com/v2/enqueue#<integration key>, in env ${ALERT_WEBHOOK_ENV}; Snowflake sends webhooks to nothing else. Nothing was created.`;
  if (!raw.toLowerCase().startsWith('https://')) {
    throw usageError('ALERT_WEBHOOK_NOT_HTTPS', `The alert webhook URL from ${source} does not use https:// (Snowflake's notification integrations accept https only).`, { suggestion: fix });
  }
  const slack = /^https:\/\/hooks\.slack\.com\/services\/(\S+)$/.exec(raw);
  if (slack) return { webhook: { kind: 'slack', url: `https://hooks.slack.com/services/${WEBHOOK_SECRET_PLACEHOLDER}` }, secret: slack[1]! };
  // Teams: Snowflake requires the port (:443) to be left out of WEBHOOK_URL.
  const teams = /^(https:\/\/(?:[A-Za-z0-9-]+\.[A-Za-z0-9-]+\.logic\.azure\.com|default[A-Za-z0-9-]+\.environment\.api\.powerplatform\.com\/powerautomate\/automations\/direct))(?::443)?(\/workflows\/)(\S+)$/.exec(raw.replace(/(\.logic\.azure\.com):443\//, '$1/'));
  if (teams) return { webhook: { kind: 'teams', url: `${teams[1]}${teams[2]}${WEBHOOK_SECRET_PLACEHOLDER}` }, secret: teams[3]! };
  const pagerduty = /^https:\/\/events\.pagerduty\.com\/v2\/enqueue#(\S+)$/.exec(raw);
  if (pagerduty) return { webhook: { kind: 'pagerduty', url: `https://events.pagerduty.com/v2/enqueue#${WEBHOOK_SECRET_PLACEHOLDER}` }, secret: pagerduty[1]! };
  throw usageError('ALERT_WEBHOOK_UNSUPPORTED', `The alert webhook URL from ${source} is not a Slack, Microsoft Teams or PagerDuty webhook.`, { suggestion: fix });
}

/** The URL Snowflake calls (WEBHOOK_URL) and the JSON body it sends, per kind (SNOWFLAKE_WEBHOOK_MESSAGE = the alert text). */
export function webhookRequest(webhook: NonNullable<AlertDestinations['webhook']>): { url: string; bodyTemplate: string } {
  if (webhook.kind === 'pagerduty') {
    return {
      url: 'https://events.pagerduty.com/v2/enqueue',
      bodyTemplate: JSON.stringify({ routing_key: WEBHOOK_SECRET_PLACEHOLDER, event_action: 'trigger', payload: { summary: 'SNOWFLAKE_WEBHOOK_MESSAGE', source: 'batch-snowflake', severity: 'error' } }),
    };
  }
  return { url: webhook.url, bodyTemplate: JSON.stringify({ text: 'SNOWFLAKE_WEBHOOK_MESSAGE' }) };
}

/**
 * Alerts from inside Snowflake (issue 17 §2): the project's notification integrations (email; webhook with its
 * secret part in a SECRET) and, for each sync, four ALERTs over its rows of BATCH_SYNC_RUNS and its stream:
 *   runFailed   a run ended with STATUS = 'ERROR' since the last evaluation;
 *   rejects     a run rejected more than rejectPercent % (rows + attributes rejected per row captured);
 *   noSuccess   no SUCCESS/PARTIAL run in the last staleHours hours (also fires while the sync is paused);
 *   streamStale the stream is stale or goes stale within 2 days (SHOW STREAMS `stale_after`).
 * Each message says what happened and the command to run next. Alerts are created suspended and resumed
 * (ALTER ALERT … RESUME). They run every ALERT_SCHEDULE on the project's warehouse: each evaluation is a small
 * query (an alert with a warehouse wakes it; see README "Alerts" for the cost).
 * Staleness: an alert condition may be a SELECT, SHOW or CALL; SHOW output cannot take a WHERE, so the condition
 * pipes it into a SELECT (`SHOW STREAMS … ->> SELECT … FROM $1 WHERE …`, the documented flow operator). Whether an
 * alert condition may be a pipe chain is not stated in the docs (UNCONFIRMED). SYSTEM$STREAM_GET_TABLE_TIMESTAMP
 * was rejected: it errors on a stream on a view, which is what a sync reads.
 * Reruns: an object whose settings did not change since the last apply (batch-snowflake.json) and that init created
 * is kept; otherwise it is created OR REPLACEd (an alert is then resumed again).
 */
import { renderQualifiedName, type NameParts } from '../../shared/sql/identifiers.js';
import { DEFAULT_ALERT_RULES, hasAlertDestination, webhookRequest, type AlertDestinations } from '../config/alert-answers.js';
import type { ProjectConfig } from '../config/project-config.js';
import { OBJECT_COMMENT, show, sqlStep, type PlanBuilder } from './builder.js';
import { ALERT_KINDS, type AlertKind, type ResolvedAnswers } from './names.js';
import * as need from './requirements.js';
import { SECRET_PLACEHOLDER } from './secret-slots.js';
import { renderTemplate } from './sql-templates.js';
import type { NotifyTestStep } from './types.js';

export const ALERT_SCHEDULE_MINUTES = 60;
const STEP_IDS: Record<AlertKind, string> = { runFailed: 'alert-run-failed', rejects: 'alert-rejects', noSuccess: 'alert-no-success', streamStale: 'alert-stream-stale' };

export interface AlertPlanOptions {
  previous?: ProjectConfig | null;
  /** BATCH_SYNC_RUNS exists (live state): otherwise it is created before the alerts, whose conditions read it. */
  runsTableExists?: boolean;
  /** The webhook URL (its secret part) is in hand: store it, or rotate it when the secret exists. */
  webhookSecretProvided?: boolean;
}

/** What each alert says: what happened, and the command to run next. */
export function alertMessage(kind: AlertKind, sync: string, stream: string, rules: { rejectPercent: number; staleHours: number }): string {
  const who = `batch-snowflake sync "${sync}"`;
  switch (kind) {
    case 'runFailed': return `${who}: a sync run failed (status ERROR in BATCH_SYNC_RUNS); nothing is lost, the next run retries. Next: npx batch-snowflake logs --sync ${sync}`;
    case 'rejects': return `${who}: a run rejected more than ${rules.rejectPercent}% of its rows/attributes (details in BATCH_SYNC_REJECTED). Next: npx batch-snowflake status --sync ${sync}`;
    case 'noSuccess': return `${who}: no successful run in the last ${rules.staleHours} hours (failing, paused or not running). Next: npx batch-snowflake status --sync ${sync}`;
    case 'streamStale': return `${who}: stream ${stream} is stale or goes stale within 2 days; once stale every row is re-sent. Next: npx batch-snowflake run --sync ${sync} (consumes it), then npx batch-snowflake status --sync ${sync}`;
  }
}

/** The test send right after the webhook integration (and its secret) are created: see NotifyTestStep. */
export function webhookTestStep(integration: NameParts, host: string, schema: NameParts): NotifyTestStep {
  const name = integration[0]!;
  const message = `batch-snowflake: alerts for ${renderQualifiedName(schema)} are set up; this is a test`;
  return {
    kind: 'notify-test', id: 'alert-webhook-test', action: 'change', host, requires: [],
    summary: `send a test notification through ${show(integration)} to ${host} and wait for Snowflake to deliver it (up to ${WEBHOOK_TEST_TIMEOUT_SECONDS} s)`,
    sendSql: renderTemplate('notification-test-send', { message, integration: name }),
    historySql: renderTemplate('notification-history', { database: [schema[0]!], integration: name }),
  };
}
export const WEBHOOK_TEST_TIMEOUT_SECONDS = 60;

const sameDestinations = (a: AlertDestinations | undefined, b: AlertDestinations | undefined) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

export function planAlerts(target: ResolvedAnswers, syncs: readonly ResolvedAnswers[], plan: PlanBuilder, scope: (sync: string) => PlanBuilder, options: AlertPlanOptions): void {
  const destinations = target.answers.alerts;
  if (!hasAlertDestination(destinations)) return;
  const { names } = target;
  const previous = options.previous ?? null;
  const before = previous?.project.alerts;
  const createdBefore = (type: string, parts: NameParts) => (previous?.created ?? []).some((c) => c.type === type && c.name === renderQualifiedName(parts));
  const integrations: string[] = [];
  if (destinations.email) {
    const name = names.alertEmailIntegration;
    integrations.push(name[0]!);
    if (before?.email === destinations.email && createdBefore('INTEGRATION', name)) plan.keep(`notification integration ${show(name)} (email to ${destinations.email})`);
    else {
      plan.add(sqlStep({ id: 'alert-integration-email', action: 'create', object: { type: 'INTEGRATION', name }, summary: `notification integration ${show(name)} (alerts by email to ${destinations.email})`, template: 'notification-integration-email', data: { name, recipients: [destinations.email], subject: 'batch-snowflake alert', comment: OBJECT_COMMENT }, requires: need.forNotificationIntegration(name, null) }));
      // First of the whole plan: Snowflake refuses an address no user has verified, and then nothing else is created.
      plan.steps.unshift(plan.steps.pop()!);
    }
  }
  if (destinations.webhook) {
    const secret = names.alertWebhookSecret;
    const name = names.alertWebhookIntegration;
    integrations.push(name[0]!);
    const secretRef = { type: 'SECRET' as const, name: secret };
    if (!createdBefore('SECRET', secret)) {
      plan.add(sqlStep({ id: 'alert-webhook-secret', action: 'create', object: secretRef, summary: `secret ${show(secret)} (the alert webhook's secret part)`, template: 'secret', data: { name: secret, placeholder: SECRET_PLACEHOLDER.BATCH_ALERT_WEBHOOK_SECRET, comment: OBJECT_COMMENT }, requires: need.forAlertSecret(secret) }, { secretSlots: ['BATCH_ALERT_WEBHOOK_SECRET'] }));
    } else if (options.webhookSecretProvided) {
      plan.add(sqlStep({ id: 'alert-webhook-secret', action: 'change', object: secretRef, summary: `secret ${show(secret)} (new alert webhook URL)`, template: 'secret-update', data: { name: secret, placeholder: SECRET_PLACEHOLDER.BATCH_ALERT_WEBHOOK_SECRET }, requires: need.forOwner('SECRET', secret, 'alter') }, { secretSlots: ['BATCH_ALERT_WEBHOOK_SECRET'] }));
    } else plan.keep(`secret ${show(secret)}`);
    const request = webhookRequest(destinations.webhook);
    if (JSON.stringify(before?.webhook) === JSON.stringify(destinations.webhook) && createdBefore('INTEGRATION', name)) plan.keep(`notification integration ${show(name)} (${destinations.webhook.kind} webhook)`);
    else {
      plan.add(sqlStep({ id: 'alert-integration-webhook', action: 'create', object: { type: 'INTEGRATION', name }, summary: `notification integration ${show(name)} (alerts to a ${destinations.webhook.kind} webhook)`, template: 'notification-integration-webhook', data: { name, url: request.url, secret, bodyTemplate: request.bodyTemplate, comment: OBJECT_COMMENT }, requires: need.forNotificationIntegration(name, secret) }));
    }
    // A new or changed webhook (URL or secret) is tried before any alert exists: Snowflake only queues the CALL, so the
    // step waits for NOTIFICATION_HISTORY to report the delivery; an unreachable webhook stops the apply here.
    if (plan.has('alert-integration-webhook') || plan.has('alert-webhook-secret')) plan.add(webhookTestStep(name, new URL(request.url).host, names.schema));
  }
  const runs = names.stateTables[1]!;
  if (options.runsTableExists === false) {
    plan.add(sqlStep({ id: 'alert-runs-table', action: 'create', object: { type: 'TABLE', name: runs }, summary: `table ${show(runs)} (the runs the alerts read; the worker would create it on its first run)`, template: 'runs-table', data: { name: runs }, requires: need.forRunsTable(runs) }));
  }
  for (const resolved of syncs) planSyncAlerts(resolved, integrations, scope(resolved.sync), previous, sameDestinations(before, destinations), createdBefore);
}

function planSyncAlerts(resolved: ResolvedAnswers, integrations: string[], plan: PlanBuilder, previous: ProjectConfig | null, sameDestinations: boolean, createdBefore: (type: string, parts: NameParts) => boolean): void {
  const { answers, names, sync } = resolved;
  const rules = { ...DEFAULT_ALERT_RULES, ...answers.alertRules };
  const saved = previous?.syncs.find((s) => s.name === sync);
  const unchanged = sameDestinations && saved !== undefined && JSON.stringify(saved.alertRules ?? {}) === JSON.stringify(answers.alertRules ?? {});
  const stream = renderQualifiedName(names.stream);
  const resumes: Array<() => void> = [];
  for (const kind of ALERT_KINDS) {
    const name = names.alerts[kind];
    if (unchanged && createdBefore('ALERT', name)) {
      plan.keep(`alert ${show(name)}`);
      continue;
    }
    const data = {
      name, warehouse: names.warehouse, schedule: `${ALERT_SCHEDULE_MINUTES} MINUTE`, comment: OBJECT_COMMENT,
      runFailed: kind === 'runFailed', rejects: kind === 'rejects', noSuccess: kind === 'noSuccess', streamStale: kind === 'streamStale',
      runs: names.stateTables[1]!, stream, streamName: names.stream[2]!, schema: names.schema, windowMinutes: ALERT_SCHEDULE_MINUTES,
      rejectPercent: rules.rejectPercent, staleHours: rules.staleHours, integrations, message: alertMessage(kind, sync, stream, rules),
    };
    const what = { runFailed: 'a run failed', rejects: `rejects above ${rules.rejectPercent} %`, noSuccess: `no successful run in ${rules.staleHours} h`, streamStale: 'stream stale within 2 days' }[kind];
    plan.add(sqlStep({ id: STEP_IDS[kind], action: 'create', object: { type: 'ALERT', name }, summary: `alert ${show(name)} (${what}; every ${ALERT_SCHEDULE_MINUTES} min)`, template: 'alert', data, requires: need.forAlert(names, name) }));
    resumes.push(() => plan.add(sqlStep({ id: `${STEP_IDS[kind]}-resume`, action: 'change', object: { type: 'ALERT', name }, summary: `resume alert ${show(name)}`, template: 'alert-resume', data: { name }, requires: need.forAlertResume(name) })));
  }
  for (const resume of resumes) resume();
}

/**
 * The alert part of the plan (src/plan/alert-steps.ts), pure: which steps, in which order (the email integration
 * first of all, the resumes after the alerts), what the preflight asks for (CREATE ALERT, EXECUTE ALERT from
 * ACCOUNTADMIN, CREATE INTEGRATION), the webhook secret as a placeholder only, and a rerun that keeps what did
 * not change (and recreates the alerts whose thresholds did).
 */
import { describe, expect, it } from 'vitest';
import { planInit } from '../../src/plan/init-plan.js';
import { findMissingPrivileges, renderAdminScript, requiredPrivileges } from '../../src/plan/privileges.js';
import { resolveAnswers } from '../../src/plan/names.js';
import { configAfterInit } from '../../src/apply/record-install.js';
import { renderPlanSql } from '../../src/plan/render-plan.js';
import { BASE_ANSWERS, FRESH_ACCOUNT } from './fixtures.js';

const ALERTS = { email: 'ops@example.com', webhook: { kind: 'slack' as const, url: 'https://hooks.slack.com/services/SNOWFLAKE_WEBHOOK_SECRET' } };
const resolved = (rules?: { rejectPercent?: number; staleHours?: number }) => resolveAnswers({ ...BASE_ANSWERS, alerts: ALERTS, ...(rules ? { alertRules: rules } : {}) });

describe('alert steps', () => {
  it('email integration first, then the rest of the install, the webhook secret + integration, four alerts, four resumes', () => {
    const plan = planInit(resolved(), FRESH_ACCOUNT, { apiKeyProvided: true, webhookSecretProvided: true });
    const ids = plan.steps.map((s) => s.id);
    expect(ids[0]).toBe('alert-integration-email');
    const tail = ids.slice(ids.indexOf('alert-webhook-secret'));
    expect(tail).toEqual(['alert-webhook-secret', 'alert-integration-webhook', 'alert-webhook-test', 'alert-runs-table', 'alert-run-failed', 'alert-rejects', 'alert-no-success', 'alert-stream-stale', 'alert-run-failed-resume', 'alert-rejects-resume', 'alert-no-success-resume', 'alert-stream-stale-resume']);
    const secret = plan.steps.find((s) => s.id === 'alert-webhook-secret')!;
    expect(secret.kind === 'sql' && secret.sql).toContain("SECRET_STRING = '<from BATCH_ALERT_WEBHOOK_URL>'");
    const rejects = plan.steps.find((s) => s.id === 'alert-rejects')!;
    expect(rejects.kind === 'sql' && rejects.sql).toContain('* 100 > 5 * ROWS_CAPTURED');
    expect(rejects.kind === 'sql' && rejects.sql).toContain("SNOWFLAKE.NOTIFICATION.INTEGRATION('BATCH_SYNC_ALERT_EMAIL'), SNOWFLAKE.NOTIFICATION.INTEGRATION('BATCH_SYNC_ALERT_WEBHOOK')");
  });

  it('the preflight asks for EXECUTE ALERT (from ACCOUNTADMIN), CREATE ALERT and CREATE INTEGRATION', () => {
    const plan = planInit(resolved(), { ...FRESH_ACCOUNT, targetSchema: {} }, { apiKeyProvided: true, webhookSecretProvided: true });
    const missing = findMissingPrivileges(requiredPrivileges(plan), 'SYNC_ROLE', { 'ROLE:SYNC_ROLE': [], 'ROLE:PUBLIC': [] });
    const script = renderAdminScript(missing, 'SYNC_ROLE');
    expect(script).toContain('GRANT EXECUTE ALERT ON ACCOUNT TO ROLE SYNC_ROLE;');
    expect(script).toContain('GRANT CREATE ALERT ON SCHEMA ANALYTICS.BATCH_SYNC TO ROLE SYNC_ROLE;');
    expect(script).toContain('GRANT CREATE INTEGRATION ON ACCOUNT TO ROLE SYNC_ROLE;');
    expect(missing.find((m) => m.privilege.privilege === 'EXECUTE ALERT')?.runAs).toBe('ACCOUNTADMIN');
  });

  it('a rerun keeps unchanged alerts and integrations, and recreates + resumes the alerts whose thresholds changed', () => {
    const first = resolved();
    const plan = planInit(first, FRESH_ACCOUNT, { apiKeyProvided: true, webhookSecretProvided: true });
    const previous = configAfterInit(null, first, plan, new Set(plan.steps.map((s) => s.id)), new Date('2026-12-01T00:00:00Z'));
    const after = { ...FRESH_ACCOUNT, stateTables: ['BATCH_SYNC_RUNS'] };
    const same = planInit(first, after, { previous });
    expect(same.steps.filter((s) => s.id.startsWith('alert'))).toEqual([]);
    expect(same.unchanged).toContain('alert ANALYTICS.BATCH_SYNC.BATCH_SYNC_ALERT_REJECTS');
    const changed = planInit(resolved({ rejectPercent: 20 }), after, { previous });
    expect(changed.steps.filter((s) => s.id.startsWith('alert')).map((s) => s.id)).toEqual([
      'alert-run-failed', 'alert-rejects', 'alert-no-success', 'alert-stream-stale', 'alert-run-failed-resume', 'alert-rejects-resume', 'alert-no-success-resume', 'alert-stream-stale-resume',
    ]);
  });

  it('the runs table the alerts read is created only when it does not exist yet', () => {
    const fresh = planInit(resolved(), FRESH_ACCOUNT, { apiKeyProvided: true, webhookSecretProvided: true });
    const step = fresh.steps.find((s) => s.id === 'alert-runs-table')!;
    expect(step.kind === 'sql' && step.sql).toMatch(/^CREATE TABLE IF NOT EXISTS ANALYTICS\.BATCH_SYNC\.BATCH_SYNC_RUNS \(\s*RUN_ID VARCHAR NOT NULL/);
    const existing = planInit(resolved(), { ...FRESH_ACCOUNT, stateTables: ['BATCH_SYNC_RUNS'] }, { apiKeyProvided: true, webhookSecretProvided: true });
    expect(existing.steps.some((s) => s.id === 'alert-runs-table')).toBe(false);
  });

  it('a new or rotated webhook is tested (one CALL, then NOTIFICATION_HISTORY reads) before any alert; an unchanged one is not', () => {
    const first = resolved();
    const plan = planInit(first, FRESH_ACCOUNT, { apiKeyProvided: true, webhookSecretProvided: true });
    const step = plan.steps.find((s) => s.id === 'alert-webhook-test')!;
    expect(step.kind).toBe('notify-test');
    if (step.kind !== 'notify-test') return;
    expect(step.host).toBe('hooks.slack.com');
    expect(step.sendSql).toBe("CALL SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(SNOWFLAKE.NOTIFICATION.TEXT_PLAIN('batch-snowflake: alerts for ANALYTICS.BATCH_SYNC are set up; this is a test'), SNOWFLAKE.NOTIFICATION.INTEGRATION('BATCH_SYNC_ALERT_WEBHOOK'))");
    expect(step.historySql).toContain("FROM TABLE(ANALYTICS.INFORMATION_SCHEMA.NOTIFICATION_HISTORY(INTEGRATION_NAME => 'BATCH_SYNC_ALERT_WEBHOOK', RESULT_LIMIT => 100))");
    expect(renderPlanSql(plan)).toContain(`${step.sendSql};`);
    const previous = configAfterInit(null, first, plan, new Set(plan.steps.map((s) => s.id)), new Date('2026-12-01T00:00:00Z'));
    const after = { ...FRESH_ACCOUNT, stateTables: ['BATCH_SYNC_RUNS'] };
    expect(planInit(first, after, { previous }).steps.some((s) => s.id === 'alert-webhook-test')).toBe(false);
    const rotated = planInit(first, after, { previous, webhookSecretProvided: true }).steps.map((s) => s.id).filter((id) => id.startsWith('alert'));
    expect(rotated).toEqual(['alert-webhook-secret', 'alert-webhook-test']);
  });

  it('no destination, no alert step', () => {
    const plan = planInit(resolveAnswers(BASE_ANSWERS), FRESH_ACCOUNT, { apiKeyProvided: true });
    expect(plan.steps.some((s) => s.id.startsWith('alert'))).toBe(false);
  });
});

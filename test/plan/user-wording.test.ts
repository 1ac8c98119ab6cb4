/**
 * What a user reads never points into our internal reference notes (issue 12, item 8): no "(§1.2)" in the
 * plan summary, its notes, its SQL, or the admin script (grants.sql) — for a first install that needs
 * change tracking, a rerun on a stale stream, and a reused compute pool that never suspends.
 */
import { describe, expect, it } from 'vitest';
import { planInit } from '../../src/plan/init-plan.js';
import { renderPlanSql, renderPlanSummary } from '../../src/plan/render-plan.js';
import { findMissingPrivileges, renderAdminScript, requiredPrivileges } from '../../src/plan/privileges.js';
import { resolveAnswers } from '../../src/plan/names.js';
import { BASE_ANSWERS, FRESH_ACCOUNT } from './fixtures.js';

const INTERNAL_REFERENCE = /§|reference \d|anchors\.md|snowflake-spcs\.md|batch-api\.md/;

function everythingShown(plan: ReturnType<typeof planInit>): string {
  const missing = findMissingPrivileges(requiredPrivileges(plan), BASE_ANSWERS.role, {});
  return [renderPlanSummary(plan), renderPlanSql(plan), ...plan.notes, renderAdminScript(missing, BASE_ANSWERS.role)].join('\n');
}

describe('user-facing plan text', () => {
  it('first install (change tracking by the table owner): no internal reference in the summary, SQL or grants.sql', () => {
    const shown = everythingShown(planInit(resolveAnswers({ ...BASE_ANSWERS, source: { kind: 'view', view: 'ANALYTICS.PUBLIC.USERS_V' } }), FRESH_ACCOUNT));
    expect(shown).toContain('enable change tracking');
    expect(shown).not.toMatch(INTERNAL_REFERENCE);
  });

  it('stale stream and a reused pool that never suspends: the reasons and notes say why in words', () => {
    const live = {
      ...FRESH_ACCOUNT,
      view: { comment: null, changeTracking: true },
      baseTables: [{ name: ['ANALYTICS', 'PUBLIC', 'USERS'], changeTracking: true }],
      stream: { source: 'ANALYTICS.PUBLIC.USERS_V', stale: true },
      computePool: { autoSuspendSecs: 0, instanceFamily: 'CPU_X64_XS' },
    };
    const plan = planInit(resolveAnswers({ ...BASE_ANSWERS, source: { kind: 'view', view: 'ANALYTICS.PUBLIC.USERS_V' } }), live);
    const shown = everythingShown(plan);
    expect(shown).toMatch(/stale/);
    expect(plan.notes.join('\n')).toMatch(/suspends after never s idle/);
    expect(shown).not.toMatch(INTERNAL_REFERENCE);
  });
});

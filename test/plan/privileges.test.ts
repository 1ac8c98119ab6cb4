import { describe, expect, it } from 'vitest';
import { planInit } from '../../src/plan/init-plan.js';
import {
  checkServiceOwnerRole, collectRoleGrants, effectiveGrants, findMissingPrivileges, granteeKey, renderAdminScript,
  requiredPrivileges, type GrantRow, type Grantee,
} from '../../src/plan/privileges.js';
import type { Privilege } from '../../src/plan/types.js';
import { BASE_ANSWERS, FRESH_ACCOUNT } from './fixtures.js';
import { resolveAnswers } from '../../src/plan/names.js';

const row = (privilege: string, granted_on: string, name: string): GrantRow => ({ privilege, granted_on, name });

/** Everything a fresh install needs, split over a role hierarchy: SYNC_ROLE → SYNC_CHILD → SYNC_GRANDCHILD, plus PUBLIC. */
const FULL: Record<string, GrantRow[]> = {
  'ROLE:BATCH_SYNC_ROLE': [
    row('USAGE', 'ROLE', 'SYNC_CHILD'),
    row('USAGE', 'DATABASE', 'ANALYTICS'),
    row('OWNERSHIP', 'SCHEMA', 'ANALYTICS.BATCH_SYNC'),
    row('EXECUTE TASK', 'ACCOUNT', 'MYACCOUNT'),
    // The task is serverless (templates/task.sql.hbs).
    row('EXECUTE MANAGED TASK', 'ACCOUNT', 'MYACCOUNT'),
  ],
  'ROLE:SYNC_CHILD': [
    row('USAGE', 'ROLE', 'SYNC_GRANDCHILD'),
    row('USAGE', 'ROLE', 'BATCH_SYNC_ROLE'), // a cycle must not loop
    row('CREATE COMPUTE POOL', 'ACCOUNT', 'MYACCOUNT'),
    row('CREATE EXTERNAL ACCESS INTEGRATION', 'ACCOUNT', 'MYACCOUNT'),
    row('USAGE', 'SCHEMA', 'ANALYTICS.PUBLIC'),
  ],
  'ROLE:SYNC_GRANDCHILD': [row('OWNERSHIP', 'TABLE', 'ANALYTICS.PUBLIC.USERS'), row('SELECT', 'TABLE', 'ANALYTICS.PUBLIC.USERS')],
  'ROLE:PUBLIC': [row('USAGE', 'WAREHOUSE', 'COMPUTE_WH')],
};

/** The role owns the existing target schema (FULL), so the plan does not create it. */
const planned = () => requiredPrivileges(planInit(resolveAnswers(BASE_ANSWERS), { ...FRESH_ACCOUNT, targetSchema: {} }));

describe('required privileges', () => {
  it('skips privileges on objects the plan creates and lists each need once', () => {
    const needs = planned().map((p) => `${p.privilege} ON ${p.on} ${p.name.join('.')}`);
    expect(needs).toEqual([...new Set(needs)]);
    expect(needs).toEqual(expect.arrayContaining([
      'OWNERSHIP ON TABLE ANALYTICS.PUBLIC.USERS', 'CREATE VIEW ON SCHEMA ANALYTICS.BATCH_SYNC', 'CREATE STREAM ON SCHEMA ANALYTICS.BATCH_SYNC',
      'CREATE COMPUTE POOL ON ACCOUNT ', 'CREATE INTEGRATION ON ACCOUNT ', 'EXECUTE TASK ON ACCOUNT ', 'EXECUTE MANAGED TASK ON ACCOUNT ', 'USAGE ON WAREHOUSE COMPUTE_WH',
      'CREATE SERVICE ON SCHEMA ANALYTICS.BATCH_SYNC', 'CREATE TABLE ON SCHEMA ANALYTICS.BATCH_SYNC',
    ]));
    // Created by the plan → owned by the role: no separate grant needed.
    expect(needs.filter((n) => /ON (VIEW|STREAM|COMPUTE POOL|IMAGE REPOSITORY|INTEGRATION|SECRET|TASK) /.test(n))).toEqual([]);
  });
});

describe('a missing target schema', () => {
  it('needs CREATE SCHEMA on the database instead of privileges on the schema the plan creates', () => {
    const needs = requiredPrivileges(planInit(resolveAnswers(BASE_ANSWERS), FRESH_ACCOUNT)).map((p) => `${p.privilege} ON ${p.on} ${p.name.join('.')}`);
    expect(needs).toEqual(expect.arrayContaining(['USAGE ON DATABASE ANALYTICS', 'CREATE SCHEMA ON DATABASE ANALYTICS']));
    expect(needs.filter((n) => n.includes('SCHEMA ANALYTICS.BATCH_SYNC'))).toEqual([]);
    const missing = findMissingPrivileges(requiredPrivileges(planInit(resolveAnswers(BASE_ANSWERS), FRESH_ACCOUNT)), 'BATCH_SYNC_ROLE', FULL).map((m) => m.statement);
    expect(missing).toEqual(['GRANT CREATE SCHEMA ON DATABASE ANALYTICS TO ROLE BATCH_SYNC_ROLE;']);
  });
});

describe('checking SHOW GRANTS rows', () => {
  it('collects the role hierarchy breadth-first, once per role, with PUBLIC', async () => {
    const asked: string[] = [];
    const grants = await collectRoleGrants('BATCH_SYNC_ROLE', async (g: Grantee) => {
      asked.push(granteeKey(g));
      return FULL[granteeKey(g)] ?? [];
    });
    expect(asked.sort()).toEqual(['ROLE:BATCH_SYNC_ROLE', 'ROLE:PUBLIC', 'ROLE:SYNC_CHILD', 'ROLE:SYNC_GRANDCHILD']);
    expect(Object.keys(grants).sort()).toEqual(asked);
    expect(effectiveGrants('BATCH_SYNC_ROLE', grants)).toHaveLength(13);
  });

  it('finds nothing missing when inherited roles hold the grants', () => {
    expect(findMissingPrivileges(planned(), 'BATCH_SYNC_ROLE', FULL)).toEqual([]);
  });

  it('ignores grants of roles the current role does not inherit', () => {
    const detached = { ...FULL, 'ROLE:BATCH_SYNC_ROLE': FULL['ROLE:BATCH_SYNC_ROLE']!.filter((r) => r.name !== 'SYNC_CHILD') };
    const missing = findMissingPrivileges(planned(), 'BATCH_SYNC_ROLE', detached).map((m) => m.statement);
    expect(missing).toEqual([
      'ALTER TABLE ANALYTICS.PUBLIC.USERS SET CHANGE_TRACKING = TRUE;',
      'GRANT USAGE ON SCHEMA ANALYTICS.PUBLIC TO ROLE BATCH_SYNC_ROLE;',
      'GRANT SELECT ON TABLE ANALYTICS.PUBLIC.USERS TO ROLE BATCH_SYNC_ROLE;',
      'GRANT CREATE COMPUTE POOL ON ACCOUNT TO ROLE BATCH_SYNC_ROLE;',
      'GRANT CREATE INTEGRATION ON ACCOUNT TO ROLE BATCH_SYNC_ROLE;',
    ]);
  });

  // Remove one grant at a time: exactly the needs it covered must be reported, with the statement that fixes them.
  const removals: Array<[string, (r: GrantRow) => boolean, string[]]> = [
    ['EXECUTE TASK', (r) => r.privilege === 'EXECUTE TASK', ['GRANT EXECUTE TASK ON ACCOUNT TO ROLE BATCH_SYNC_ROLE;']],
    ['warehouse usage (via PUBLIC)', (r) => r.granted_on === 'WAREHOUSE', ['GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE BATCH_SYNC_ROLE;']],
    ['database usage', (r) => r.granted_on === 'DATABASE', ['GRANT USAGE ON DATABASE ANALYTICS TO ROLE BATCH_SYNC_ROLE;']],
    ['schema ownership', (r) => r.name === 'ANALYTICS.BATCH_SYNC', [
      'GRANT USAGE ON SCHEMA ANALYTICS.BATCH_SYNC TO ROLE BATCH_SYNC_ROLE;', 'GRANT CREATE VIEW ON SCHEMA ANALYTICS.BATCH_SYNC TO ROLE BATCH_SYNC_ROLE;',
      'GRANT CREATE STREAM ON SCHEMA ANALYTICS.BATCH_SYNC TO ROLE BATCH_SYNC_ROLE;', 'GRANT CREATE IMAGE REPOSITORY ON SCHEMA ANALYTICS.BATCH_SYNC TO ROLE BATCH_SYNC_ROLE;',
      'GRANT CREATE NETWORK RULE ON SCHEMA ANALYTICS.BATCH_SYNC TO ROLE BATCH_SYNC_ROLE;', 'GRANT CREATE SECRET ON SCHEMA ANALYTICS.BATCH_SYNC TO ROLE BATCH_SYNC_ROLE;',
      // The pending-changes marker table (created before the task) needs CREATE TABLE first.
      'GRANT CREATE TABLE ON SCHEMA ANALYTICS.BATCH_SYNC TO ROLE BATCH_SYNC_ROLE;',
      'GRANT CREATE TASK ON SCHEMA ANALYTICS.BATCH_SYNC TO ROLE BATCH_SYNC_ROLE;', 'GRANT CREATE SERVICE ON SCHEMA ANALYTICS.BATCH_SYNC TO ROLE BATCH_SYNC_ROLE;',
    ]],
    ['compute pool creation', (r) => r.privilege === 'CREATE COMPUTE POOL', ['GRANT CREATE COMPUTE POOL ON ACCOUNT TO ROLE BATCH_SYNC_ROLE;']],
    ['integration creation', (r) => r.privilege === 'CREATE EXTERNAL ACCESS INTEGRATION', ['GRANT CREATE INTEGRATION ON ACCOUNT TO ROLE BATCH_SYNC_ROLE;']],
    ['table ownership (change tracking)', (r) => r.privilege === 'OWNERSHIP' && r.granted_on === 'TABLE', ['ALTER TABLE ANALYTICS.PUBLIC.USERS SET CHANGE_TRACKING = TRUE;']],
    ['base table select', (r) => r.privilege === 'SELECT' || (r.privilege === 'OWNERSHIP' && r.granted_on === 'TABLE'), [
      'ALTER TABLE ANALYTICS.PUBLIC.USERS SET CHANGE_TRACKING = TRUE;', 'GRANT SELECT ON TABLE ANALYTICS.PUBLIC.USERS TO ROLE BATCH_SYNC_ROLE;',
    ]],
    ['source schema usage', (r) => r.name === 'ANALYTICS.PUBLIC', ['GRANT USAGE ON SCHEMA ANALYTICS.PUBLIC TO ROLE BATCH_SYNC_ROLE;']],
  ];
  it.each(removals)('reports a missing %s with its fix', (_label, drop, expected) => {
    const grants = Object.fromEntries(Object.entries(FULL).map(([k, rows]) => [k, rows.filter((r) => r.granted_on === 'ROLE' || !drop(r))]));
    expect(findMissingPrivileges(planned(), 'BATCH_SYNC_ROLE', grants).map((m) => m.statement)).toEqual(expected);
  });

  it('matches quoted names and granted_on spellings from SHOW GRANTS', () => {
    const need: Privilege = { privilege: 'READ', on: 'IMAGE REPOSITORY', name: ['my db', 'S', 'REPO'], why: 'x' };
    expect(findMissingPrivileges([need], 'R', { 'ROLE:R': [row('READ', 'IMAGE_REPOSITORY', '"my db".S.REPO')] })).toEqual([]);
    expect(findMissingPrivileges([need], 'R', { 'ROLE:R': [row('READ', 'IMAGE_REPOSITORY', 'MY DB.S.REPO')] })).toHaveLength(1);
  });

  it('writes an admin script grouped by who can run each statement', () => {
    const missing = findMissingPrivileges(planned(), 'BATCH_SYNC_ROLE', { 'ROLE:BATCH_SYNC_ROLE': [] });
    const script = renderAdminScript(missing, 'BATCH_SYNC_ROLE');
    expect(script.split('\n').filter((l) => l.startsWith('USE ROLE') || l.startsWith('-- run as'))).toEqual([
      '-- run as the owner of TABLE ANALYTICS.PUBLIC.USERS:', 'USE ROLE SECURITYADMIN;', 'USE ROLE ACCOUNTADMIN;',
    ]);
    expect(script).toContain('GRANT EXECUTE TASK ON ACCOUNT TO ROLE BATCH_SYNC_ROLE;  -- run the sync job from task ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK');
    const accountadminSection = script.slice(script.indexOf('USE ROLE ACCOUNTADMIN;'));
    expect(accountadminSection).toContain('GRANT CREATE COMPUTE POOL ON ACCOUNT');
  });
});

describe('service owner role', () => {
  it.each(['ACCOUNTADMIN', 'securityadmin', 'ORGADMIN'])('refuses %s', (role) => {
    expect(checkServiceOwnerRole(role)).toMatchObject({ ok: false, suggestion: expect.stringContaining('CREATE ROLE BATCH_SYNC_ROLE') });
  });
  it('accepts a dedicated role', () => expect(checkServiceOwnerRole('BATCH_SYNC_ROLE')).toEqual({ ok: true }));
});

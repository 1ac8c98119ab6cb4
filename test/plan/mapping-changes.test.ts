/**
 * Issue 20: the planner compares the saved mapping with the new one and says, in the `+ ~ -` plan, what it
 * means for profiles already in Batch, with the count introspection read (LiveState.viewProfiles). Pure.
 */
import { describe, expect, it } from 'vitest';
import { planInit } from '../../src/plan/init-plan.js';
import { diffMapping, formatCount, type SyncedMapping } from '../../src/plan/mapping-changes.js';
import { resolveAnswers } from '../../src/plan/names.js';
import { planToJson, renderPlanSql, renderPlanSummary } from '../../src/plan/render-plan.js';
import type { MappingPlanInput } from '../../src/plan/resync-step.js';
import type { ColumnInfo } from '../../shared/snowflake/types.js';
import { applyToLive, BASE_ANSWERS, FRESH_ACCOUNT } from './fixtures.js';

const COLUMNS = ['USER_ID', 'EMAIL', 'SIGNUP_DATE', 'HOMEPAGE', 'NOTES'];
const INFO: ColumnInfo[] = [
  { name: 'USER_ID', type: 'fixed' }, { name: 'EMAIL', type: 'text' }, { name: 'SIGNUP_DATE', type: 'timestamp_tz' }, { name: 'HOMEPAGE', type: 'text' },
] as ColumnInfo[];
const BEFORE: SyncedMapping = { idColumn: 'USER_ID', dateColumns: ['SIGNUP_DATE'], urlColumns: ['HOMEPAGE'], nullPolicy: 'skip', columns: COLUMNS };
const NOW = new Date('2026-12-06T12:00:00Z');

/** Plan of a reconfigure on an installed account (the first plan applied), with the mapping input given. */
function reconfigure(answers: Partial<typeof BASE_ANSWERS> & Record<string, unknown>, mapping: Partial<MappingPlanInput>, profiles: number | null = 1000) {
  const first = planInit(resolveAnswers(BASE_ANSWERS), FRESH_ACCOUNT, { apiKeyProvided: true });
  const live = { ...applyToLive(FRESH_ACCOUNT, first), ...(profiles === null ? {} : { viewProfiles: profiles }) };
  const resolved = resolveAnswers({ ...BASE_ANSWERS, ...answers });
  const after: SyncedMapping = { idColumn: resolved.answers.idColumn, dateColumns: resolved.answers.dateColumns, urlColumns: resolved.answers.urlColumns, nullPolicy: resolved.answers.worker.nullPolicy, columns: COLUMNS.filter((c) => c !== 'NOTES') };
  return planInit(resolved, live, {
    mapping: { before: BEFORE, after, columnInfo: INFO, resync: true, unsetRemoved: false, removedDecided: false, requestId: 'req-1', now: NOW, ...mapping },
  });
}

describe('diffMapping', () => {
  it('a date column taken out of the date columns: its type in Batch changes, every profile re-sent', () => {
    const changes = diffMapping({ before: BEFORE, after: { ...BEFORE, dateColumns: [] }, columnInfo: INFO, profiles: 1000 });
    expect(changes).toEqual([{ kind: 'type', column: 'SIGNUP_DATE', symbol: '~', needsResync: true, text: 'signup_date: date → string, 1 000 profiles re-sent' }]);
  });

  it('added and removed columns, URL and null policy changes, each with the count', () => {
    const after: SyncedMapping = { ...BEFORE, urlColumns: [], nullPolicy: 'delete', columns: ['USER_ID', 'EMAIL', 'SIGNUP_DATE', 'HOMEPAGE', 'PLAN'] };
    const texts = diffMapping({ before: BEFORE, after, columnInfo: INFO, profiles: 1234567 }).map((c) => `${c.symbol} ${c.text}`);
    expect(texts).toEqual([
      '~ homepage: url → string, 1 234 567 profiles re-sent',
      '+ column PLAN added: set in 1 234 567 profiles',
      '- column NOTES removed: unset in 1 234 567 profiles?',
      '~ null policy skip → delete: NULL values deleted in Batch, 1 234 567 profiles re-sent',
    ]);
  });

  it('nothing changed: nothing to say (and no COUNT is needed)', () => {
    expect(diffMapping({ before: BEFORE, after: { ...BEFORE } })).toEqual([]);
  });

  it('formats counts with a space per thousand, `?` when unknown', () => {
    expect([formatCount(0), formatCount(999), formatCount(1000), formatCount(undefined)]).toEqual(['0', '999', '1 000', '?']);
  });
});

describe('planInit with a mapping change', () => {
  it('lists what it means for profiles under a resync step, with the count', () => {
    const plan = reconfigure({ dateColumns: [] }, {});
    const summary = renderPlanSummary(plan);
    expect(summary).toContain('~  resync: the next run re-sends every row of ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW (1 000 profiles, mass-update)');
    expect(summary).toContain('      ~ signup_date: date → string, 1 000 profiles re-sent');
    expect(summary).toContain('      - column NOTES removed: kept as it is in 1 000 profiles (not unset)');
    // Removed columns kept without a flag: a warning that names both flags.
    expect(summary).toMatch(/note: Column\(s\) NOTES no longer in the view: their attributes are kept in Batch \(no --unset-removed given\)/);
    const sql = renderPlanSql(plan);
    expect(sql).toContain('ALTER TABLE ANALYTICS.BATCH_SYNC.BATCH_SYNC_CONTROL ADD COLUMN IF NOT EXISTS RESYNC_REQUEST VARCHAR;');
    expect(sql).toMatch(/MERGE INTO ANALYTICS\.BATCH_SYNC\.BATCH_SYNC_CONTROL AS t USING \(.*FROM \(SELECT \? AS SYNC_NAME, \? AS RESYNC_REQUEST, \? AS MAPPED\)\)/);
    // The write merges the unset list recorded when it runs, minus the columns in the new mapping (a bound JSON array).
    expect(sql).toContain("ARRAY_EXCEPT(ARRAY_DISTINCT(ARRAY_CAT(IFF(IS_ARRAY(TRY_PARSE_JSON(t.RESYNC_REQUEST):unset)");
    // The task only runs WHEN a stream has data: the request also marks the run pending.
    expect(sql).toContain('INSERT INTO ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING (RUN_ID, MARKED_AT) VALUES (?, CURRENT_TIMESTAMP());');
    const json = planToJson(plan).steps.find((s) => s.id === 'resync')!;
    expect(json.kind).toBe('resync');
  });

  it('--unset-removed: the removed column is unset by the resync', () => {
    const plan = reconfigure({}, { unsetRemoved: true, removedDecided: true });
    const summary = renderPlanSummary(plan);
    expect(summary).toContain('unsetting notes');
    expect(summary).toContain('      - column NOTES removed: unset in 1 000 profiles');
    expect(summary).not.toContain('no --unset-removed given');
    const step = plan.steps.find((s) => s.kind === 'resync');
    const request = step?.kind === 'resync' ? step.statements.flatMap((s) => s.binds).find((b) => typeof b === 'string' && b.startsWith('{')) : undefined;
    expect(JSON.parse(String(request))).toEqual({ id: 'req-1', source: 'ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW', unset: ['notes'], requestedAt: NOW.toISOString() });
    // The columns still mapped are bound too, so that the MERGE never unsets them (notes is not among them).
    const mapped = step?.kind === 'resync' ? step.statements.flatMap((s) => s.binds).find((b) => typeof b === 'string' && b.startsWith('[')) : undefined;
    expect(JSON.parse(String(mapped))).not.toContain('notes');
    expect(JSON.parse(String(mapped)).length).toBeGreaterThan(0);
  });

  it('--keep-removed alone: nothing to re-send, no resync step, no warning', () => {
    const plan = reconfigure({}, { removedDecided: true });
    expect(plan.steps.some((s) => s.id === 'resync')).toBe(false);
    expect(renderPlanSummary(plan)).not.toContain('no --unset-removed given');
  });

  it('--no-resync: no step, a warning that says how to re-send later', () => {
    const plan = reconfigure({ dateColumns: [] }, { resync: false });
    expect(plan.steps.some((s) => s.id === 'resync')).toBe(false);
    expect(renderPlanSummary(plan)).toMatch(/--no-resync: profiles already in Batch keep what they hold .*batch-snowflake run --resync/);
  });

  it('a new ID column: profiles under the old IDs stay in Batch, and the plan says how to remove them', () => {
    const plan = reconfigure({ idColumn: 'EMAIL' }, { removedDecided: true });
    const summary = renderPlanSummary(plan);
    expect(summary).toContain('~ ID column USER_ID → EMAIL: 1 000 profiles re-sent under the new IDs; the profiles under the old USER_ID IDs stay in Batch');
    expect(summary).toMatch(/GDPR API .*request_type "remove"/);
  });

  it('the resync step comes before resume / run now, after the task', () => {
    const plan = reconfigure({ dateColumns: [] }, {});
    const ids = plan.steps.map((s) => s.id);
    const at = ids.indexOf('resync');
    expect(at).toBeGreaterThanOrEqual(0);
    for (const later of ['task-resume', 'run-now']) if (ids.includes(later)) expect(ids.indexOf(later)).toBeGreaterThan(at);
  });

  it('the count is `?` when introspection could not read it', () => {
    expect(renderPlanSummary(reconfigure({ dateColumns: [] }, {}, null))).toContain('signup_date: date → string, ? profiles re-sent');
  });
});

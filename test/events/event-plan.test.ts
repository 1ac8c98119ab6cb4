/** init's plan for an event sync: an APPEND_ONLY stream, the task's worker arguments, the answers' rules. */
import { describe, expect, it } from 'vitest';
import { InitAnswersSchema } from '../../src/config/answers.js';
import { planInit } from '../../src/plan/init-plan.js';
import { resolveAnswers } from '../../src/plan/names.js';
import { renderTaskSql, workerArgs } from '../../src/plan/task-steps.js';
import { parseWorkerOptions } from '../../worker/options.js';
import { BASE_ANSWERS, FRESH_ACCOUNT } from '../plan/fixtures.js';

const EVENT_ANSWERS = {
  ...BASE_ANSWERS,
  source: { kind: 'view' as const, view: 'ANALYTICS.PUBLIC.ORDER_EVENTS_V' },
  dateColumns: [],
  urlColumns: ['PAGE_URL'],
  initialSync: false,
  kind: 'event' as const,
  event: { eventNameColumn: 'EVENT_NAME', eventTimeColumn: 'EVENT_TIME', labelColumn: 'LABEL', tagsColumn: 'TAGS', attributeColumns: ['AMOUNT', 'ITEMS', 'PAGE_URL'] },
};
const IMAGE = { repository: ['ANALYTICS', 'BATCH_SYNC', 'REPO'], repositoryUrl: null, name: 'batch-snowflake-worker', tag: '0.1.0', specPath: '/analytics/batch_sync/repo/batch-snowflake-worker:0.1.0' };
const LIVE = { ...FRESH_ACCOUNT, baseTables: [], view: { comment: null, changeTracking: true } };

describe('event sync plan', () => {
  it('creates the stream APPEND_ONLY', () => {
    const stream = planInit(resolveAnswers(EVENT_ANSWERS), LIVE).steps.find((s) => s.id === 'stream');
    expect(stream?.kind === 'sql' && stream.sql).toMatch(/ON VIEW ANALYTICS\.PUBLIC\.ORDER_EVENTS_V\s+APPEND_ONLY = TRUE\s+SHOW_INITIAL_ROWS = FALSE/);
    const profile = planInit(resolveAnswers({ ...BASE_ANSWERS }), FRESH_ACCOUNT).steps.find((s) => s.id === 'stream');
    expect(profile?.kind === 'sql' && profile.sql).not.toContain('APPEND_ONLY');
  });

  it('recreates a DEFAULT stream when the sync becomes an event sync (APPEND_ONLY cannot be altered)', () => {
    const live = { ...LIVE, stream: { source: 'ANALYTICS.PUBLIC.ORDER_EVENTS_V', stale: false, mode: 'DEFAULT' } };
    const stream = planInit(resolveAnswers(EVENT_ANSWERS), live).steps.find((s) => s.id === 'stream');
    expect(stream).toMatchObject({ action: 'change', warning: expect.stringContaining('APPEND_ONLY') });
    const same = planInit(resolveAnswers(EVENT_ANSWERS), { ...live, stream: { ...live.stream, mode: 'APPEND_ONLY' } });
    expect(same.steps.find((s) => s.id === 'stream')).toBeUndefined();
  });

  it('runs the worker in event mode with the event columns, which the worker parses back', () => {
    const { answers, names } = resolveAnswers(EVENT_ANSWERS);
    const args = workerArgs(answers, names);
    expect(args).toEqual(expect.arrayContaining(['--kind', 'event', '--event-name-column', 'EVENT_NAME', '--event-time-column', 'EVENT_TIME', '--label-column', 'LABEL', '--tags-column', 'TAGS', '--event-attribute-columns', 'AMOUNT,ITEMS,PAGE_URL']));
    expect(renderTaskSql(answers, names, IMAGE as never).sql).toContain('--event-time-column');
    const parsed = parseWorkerOptions(args, { env: { BATCH_REST_API_KEY: 'k' } });
    expect(parsed).toMatchObject({ kind: 'event', events: { eventName: { column: 'EVENT_NAME' }, timeColumn: 'EVENT_TIME', attributeColumns: ['AMOUNT', 'ITEMS', 'PAGE_URL'], labelColumn: 'LABEL', tagsColumn: 'TAGS' } });
  });

  it('refuses an event sync without its columns, or both a name column and a constant name', () => {
    expect(InitAnswersSchema.safeParse({ ...EVENT_ANSWERS, event: undefined }).success).toBe(false);
    expect(InitAnswersSchema.safeParse({ ...EVENT_ANSWERS, event: { ...EVENT_ANSWERS.event, eventName: 'purchase' } }).success).toBe(false);
    expect(InitAnswersSchema.safeParse({ ...EVENT_ANSWERS, event: { eventName: 'Bad Name', eventTimeColumn: 'T' } }).success).toBe(false);
    expect(InitAnswersSchema.safeParse({ ...EVENT_ANSWERS, event: { eventName: 'purchase', eventTimeColumn: 'T' } }).success).toBe(true);
  });
});

/**
 * The task's SCHEDULE is written in CREATE TASK's grammar, `'<num> { HOURS | MINUTES | SECONDS }'` or
 * `'USING CRON <expr> <time_zone>'` (https://docs.snowflake.com/en/sql-reference/sql/create-task): the one-letter
 * shorthands the wizard accepts (`10 m`, only in a docs example, not in the grammar) are written out.
 */
import { describe, expect, it } from 'vitest';
import { normalizeSchedule } from '../../src/config/answers.js';
import { resolveAnswers } from '../../src/plan/names.js';
import { renderTaskSql } from '../../src/plan/task-steps.js';
import { parseSchedule } from '../../standins/snowflake/engine/tasks/schedule.js';
import { BASE_ANSWERS } from './fixtures.js';

const IMAGE = { repository: ['ANALYTICS', 'BATCH_SYNC', 'REPO'], repositoryUrl: null, name: 'batch-snowflake-worker', tag: '0.1.0', specPath: '/analytics/batch_sync/repo/batch-snowflake-worker:0.1.0' };

describe('task schedule', () => {
  it('writes shorthand units out and keeps the documented forms', () => {
    expect(['10 m', '10m', '15 s', '2h', '90 seconds', '60 MINUTE', '5 MINUTES', 'using cron 0 * * * * UTC'].map(normalizeSchedule)).toEqual([
      '10 MINUTES', '10 MINUTES', '15 SECONDS', '2 HOURS', '90 SECONDS', '60 MINUTE', '5 MINUTES', 'USING CRON 0 * * * * UTC',
    ]);
  });

  it('the task SQL carries the grammar form, which the stand-in (and the docs) accept', () => {
    const { answers, names } = resolveAnswers({ ...BASE_ANSWERS, schedule: '10m' });
    expect(answers.schedule).toBe('10 MINUTES');
    const { sql } = renderTaskSql(answers, names, IMAGE as never);
    expect(sql).toContain("SCHEDULE = '10 MINUTES'");
    expect(parseSchedule('10 MINUTES')).toEqual({ kind: 'interval', ms: 600_000 });
    expect(() => parseSchedule('10m')).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { planInit } from '../../src/plan/init-plan.js';
import { planToJson, renderPlanSql, renderPlanSummary } from '../../src/plan/render-plan.js';
import { fillSecrets, secretsNeeded } from '../../src/plan/secret-slots.js';
import type { SqlStep } from '../../src/plan/types.js';
import { BASE_ANSWERS, FRESH_ACCOUNT } from './fixtures.js';
import { lexSql } from '../sql/sql-lexer.js';
import { resolveAnswers } from '../../src/plan/names.js';

const KEY = "sk_live_'; DROP TABLE x; -- \\ $$ ä";

describe('secrets never enter a plan', () => {
  for (const credentials of ['secret', 'table'] as const) {
    it(`dry run, summary and JSON hold only placeholders (${credentials})`, () => {
      const plan = planInit(resolveAnswers({ ...BASE_ANSWERS, credentials }), FRESH_ACCOUNT, { apiKeyProvided: true });
      expect(secretsNeeded(plan)).toEqual(['BATCH_REST_API_KEY']);
      const outputs = [renderPlanSql(plan), renderPlanSummary(plan), JSON.stringify(planToJson(plan)), JSON.stringify(plan)];
      for (const text of outputs) expect(text).not.toContain('sk_live');
      expect(renderPlanSql(plan)).toContain('<from BATCH_REST_API_KEY>');
    });
  }

  it('fills the secret literal at apply time, escaped, exactly once', () => {
    const plan = planInit(resolveAnswers(BASE_ANSWERS), FRESH_ACCOUNT);
    const step = plan.steps.find((s): s is SqlStep => s.kind === 'sql' && s.id === 'secret')!;
    const { sql, binds } = fillSecrets(step, { BATCH_REST_API_KEY: KEY });
    expect(binds).toEqual([]);
    expect(sql).not.toContain('<from BATCH_REST_API_KEY>');
    expect(lexSql(sql).filter((t) => t.kind === 'string').map((t) => t.value)).toEqual([KEY, 'created by batch-snowflake']);
    expect(step.sql).toContain("'<from BATCH_REST_API_KEY>'");
  });

  it('binds the key for the credentials table; the SQL text never holds it', () => {
    const plan = planInit(resolveAnswers({ ...BASE_ANSWERS, credentials: 'table' }), FRESH_ACCOUNT);
    const step = plan.steps.find((s): s is SqlStep => s.kind === 'sql' && s.id === 'credentials-row')!;
    const { sql, binds } = fillSecrets(step, { BATCH_REST_API_KEY: KEY });
    expect(sql).toBe(step.sql);
    expect(sql).not.toContain('sk_live');
    expect(binds).toEqual(['PROJECT_KEY_1', KEY]);
    expect(renderPlanSql(plan)).toContain("-- binds: \"PROJECT_KEY_1\", <from BATCH_REST_API_KEY>");
  });

  it('fails clearly when the key is needed but missing', () => {
    const plan = planInit(resolveAnswers(BASE_ANSWERS), FRESH_ACCOUNT);
    const step = plan.steps.find((s): s is SqlStep => s.kind === 'sql' && s.id === 'secret')!;
    expect(() => fillSecrets(step, {})).toThrow(/Batch REST API key is needed/);
    expect(() => fillSecrets(step, { BATCH_REST_API_KEY: '' })).toThrow(/Batch REST API key is needed/);
  });

  it('statements without secrets pass through unchanged', () => {
    const plan = planInit(resolveAnswers(BASE_ANSWERS), FRESH_ACCOUNT);
    const stream = plan.steps.find((s): s is SqlStep => s.kind === 'sql' && s.id === 'stream')!;
    expect(fillSecrets(stream, {})).toEqual({ sql: stream.sql, binds: [] });
  });
});

describe('plan JSON', () => {
  it('is stable, serialisable, and carries the dry-run text of each step', () => {
    const plan = planInit(resolveAnswers(BASE_ANSWERS), FRESH_ACCOUNT, { runNow: true });
    const json = planToJson(plan);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json.counts).toEqual({ create: 14, change: 3, drop: 0 });
    expect(json.steps.map((s) => s.text).join('\n\n')).toBe(
      renderPlanSql(plan).split('\n\n').map((block) => block.replace(/^-- \[.*\n(-- .*\n)?/, '')).join('\n\n').trimEnd(),
    );
    expect(json.steps[0]).toMatchObject({ kind: 'sql', id: 'schema', action: 'create', requires: [expect.objectContaining({ privilege: 'USAGE', on: 'DATABASE' }), expect.objectContaining({ privilege: 'CREATE SCHEMA', on: 'DATABASE' })] });
    expect(json.steps[1]).toMatchObject({ kind: 'sql', id: 'change-tracking:ANALYTICS.PUBLIC.USERS', action: 'change', requires: [expect.objectContaining({ privilege: 'OWNERSHIP', on: 'TABLE' })] });
  });
});

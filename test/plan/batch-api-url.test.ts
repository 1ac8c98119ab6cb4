/**
 * The worker's BATCH_API_URL from the Batch API host answer: HTTPS for every real host (Batch serves nothing
 * else), plain HTTP only for a loopback address, where the local Batch sandbox of the demo and tests listens.
 */
import { describe, expect, it } from 'vitest';
import { planInit } from '../../src/plan/init-plan.js';
import { renderPlanSql } from '../../src/plan/render-plan.js';
import { batchApiUrl } from '../../src/plan/task-steps.js';
import { BASE_ANSWERS, FRESH_ACCOUNT } from './fixtures.js';
import { resolveAnswers } from '../../src/plan/names.js';

describe('BATCH_API_URL of the worker', () => {
  it('is https for real hosts, with or without a port', () => {
    expect(batchApiUrl('api.batch.com')).toBe('https://api.batch.com');
    expect(batchApiUrl('batch-sandbox.internal:8443')).toBe('https://batch-sandbox.internal:8443');
    // Look-alikes of a loopback address are ordinary host names.
    expect(batchApiUrl('127.0.0.1.example.com')).toBe('https://127.0.0.1.example.com');
    expect(batchApiUrl('10.0.0.1:8080')).toBe('https://10.0.0.1:8080');
  });

  it('is http for the loopback sandbox', () => {
    expect(batchApiUrl('127.0.0.1:41234')).toBe('http://127.0.0.1:41234');
    expect(batchApiUrl('127.1.2.3')).toBe('http://127.1.2.3');
  });

  it('reaches the task specification', () => {
    const sql = renderPlanSql(planInit(resolveAnswers({ ...BASE_ANSWERS, batchApiHost: '127.0.0.1:41234' }), FRESH_ACCOUNT));
    expect(sql).toContain('BATCH_API_URL: "http://127.0.0.1:41234"');
    expect(sql).toContain("VALUE_LIST = ('127.0.0.1:41234')");
  });
});

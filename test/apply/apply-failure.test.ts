/** The message and next step of a failed apply: the cause's suggestion ends its sentence before "Then rerun". */
import { describe, expect, it } from 'vitest';
import { dockerError } from '../../shared/errors.js';
import { applyFailure } from '../../src/apply/executor.js';
import { planInit } from '../../src/plan/init-plan.js';
import { resolveAnswers } from '../../src/plan/names.js';
import { BASE_ANSWERS, FRESH_ACCOUNT } from '../plan/fixtures.js';

describe('applyFailure', () => {
  const plan = planInit(resolveAnswers(BASE_ANSWERS), FRESH_ACCOUNT);
  const push = plan.steps.find((step) => step.kind === 'docker-push');
  const completed = new Set(plan.steps.slice(0, plan.steps.indexOf(push!)).map((step) => step.id));

  it('keeps sentences apart when the suggestion has no final period', () => {
    const cause = dockerError('DOCKER_PUSH_FAILED', 'push refused', { suggestion: 'Grant WRITE on the image repository' });
    const error = applyFailure(plan, { completed, failed: { step: push!, error: cause }, statements: 0 }, 'batch-snowflake init');
    expect(error.suggestion).toBe('Grant WRITE on the image repository. Then rerun: batch-snowflake init (it reads what exists and continues with the remaining steps).');
    expect(error.message).toContain('Step failed: push');
  });

  it('does not double a period that is there', () => {
    const cause = dockerError('DOCKER_PUSH_FAILED', 'push refused', { suggestion: 'Start Docker.' });
    const error = applyFailure(plan, { completed, failed: { step: push!, error: cause }, statements: 0 }, 'batch-snowflake init');
    expect(error.suggestion).toMatch(/^Start Docker\. Then rerun: /);
  });
});

/**
 * The one executor: runs a plan step by step (a spinner per step on a TTY, one line per step otherwise),
 * binding secrets only at this moment (src/plan/secret-slots.ts), and stops at the first failure. It returns
 * what was done and what failed; `applyFailure` turns that into the error that says how to continue.
 */
import { UserError } from '../../shared/errors.js';
import { fillSecrets, type SecretValues } from '../plan/secret-slots.js';
import type { Plan, PlanStep } from '../plan/types.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { Output } from '../adapters/ui/output.js';
import type { ImageSteps } from './docker-steps.js';
import { testWebhook } from './webhook-test.js';

export interface ApplyDeps {
  session: SnowflakeSession;
  secrets: SecretValues;
  output: Output;
  /** Needed only when the plan has docker steps. */
  images: ImageSteps | null;
  signal?: AbortSignal;
  /** Sends the run-now step's EXECUTE TASK itself (init notes the time, to find the run in TASK_HISTORY). */
  runNow?: () => Promise<void>;
}

export interface ApplyResult {
  completed: Set<string>;
  failed: { step: PlanStep; error: unknown } | null;
  /** Statements sent (count), for reports and tests. */
  statements: number;
}

const SYMBOL = { create: '+', change: '~', drop: '-' } as const;

async function runStep(step: PlanStep, deps: ApplyDeps, result: ApplyResult): Promise<string> {
  switch (step.kind) {
    case 'sql': {
      const { sql, binds } = fillSecrets(step, deps.secrets);
      result.statements += 1;
      await deps.session.query(sql, binds.length > 0 ? binds : undefined);
      return step.summary;
    }
    case 'run-now':
      if (deps.runNow) {
        result.statements += 1;
        await deps.runNow();
        return step.summary;
      }
    // falls through: without a hook the statement is sent as is
    case 'task-resume':
      result.statements += 1;
      await deps.session.query(step.sql);
      return step.summary;
    case 'notify-test':
      return testWebhook(step, { session: deps.session, secrets: deps.secrets, counted: () => { result.statements += 1; }, ...(deps.signal ? { signal: deps.signal } : {}) });
    case 'resync':
      for (const statement of step.statements) {
        result.statements += 1;
        await deps.session.query(statement.sql, statement.binds.length > 0 ? statement.binds : undefined);
      }
      return step.summary;
    case 'docker-build':
    case 'docker-login':
    case 'docker-push': {
      if (!deps.images) throw new Error('internal: docker step without an image executor');
      if (step.kind === 'docker-build') return `built ${await deps.images.build(step)}`;
      if (step.kind === 'docker-login') return `logged in to ${await deps.images.login(step)}`;
      return `pushed ${await deps.images.push(step)}`;
    }
  }
}

export async function applyPlan(plan: Plan, deps: ApplyDeps): Promise<ApplyResult> {
  const result: ApplyResult = { completed: new Set(), failed: null, statements: 0 };
  for (const [index, step] of plan.steps.entries()) {
    if (deps.signal?.aborted) {
      result.failed = { step, error: new UserError('aborted', 'CANCELLED', 'Interrupted before this step.') };
      break;
    }
    const label = `[${index + 1}/${plan.steps.length}] ${SYMBOL[step.action]} ${step.summary}`;
    try {
      await deps.output.step(label, () => runStep(step, deps, result), (done) => `[${index + 1}/${plan.steps.length}] ${SYMBOL[step.action]} ${done}`);
      result.completed.add(step.id);
    } catch (error) {
      result.failed = { step, error };
      break;
    }
  }
  return result;
}

/** The error after a failed apply: what was done, what failed (with its own fix), and how to continue. */
export function applyFailure(plan: Plan, result: ApplyResult, rerun: string): UserError {
  const failed = result.failed!;
  const cause = failed.error instanceof UserError ? failed.error : undefined;
  const done = plan.steps.filter((s) => result.completed.has(s.id)).map((s) => s.summary);
  const left = plan.steps.slice(plan.steps.indexOf(failed.step) + 1).map((s) => s.summary);
  const message = [
    `Step failed: ${failed.step.summary}: ${cause?.message ?? (failed.error instanceof Error ? failed.error.message : String(failed.error))}`,
    `Done (${done.length}/${plan.steps.length}): ${done.length > 0 ? done.join('; ') : 'nothing'}.`,
    left.length > 0 ? `Not run: ${left.join('; ')}.` : '',
  ].filter(Boolean).join('\n');
  const own = scheduleFix(failed.step, cause?.message) ?? cause?.suggestion;
  const fix = own ? `${asSentence(own)} Then rerun` : 'Fix the cause, then rerun';
  return new UserError(cause?.kind ?? 'internal', cause?.code ?? 'APPLY_FAILED', message, {
    cause: failed.error,
    suggestion: `${fix}: ${rerun} (it reads what exists and continues with the remaining steps).`,
    details: { failedStep: failed.step.id, completed: [...result.completed], notRun: plan.steps.slice(plan.steps.indexOf(failed.step) + 1).map((s) => s.id), ...(cause?.details ?? {}) },
  });
}

/**
 * Snowflake checks a task's SCHEDULE when the task is created or resumed (the docs do not say which; the stand-in
 * refuses it at RESUME, https://docs.snowflake.com/en/sql-reference/sql/create-task):
 * its "invalid value […] for parameter 'SCHEDULE'" gets the forms it accepts and the flag to change.
 */
function scheduleFix(step: PlanStep, message: string | undefined): string | undefined {
  if (!/^task(-resume)?(@|$)/.test(step.id) || !/'SCHEDULE'/i.test(message ?? '')) return undefined;
  return 'Snowflake refused the task schedule. Write it as "<n> MINUTE" (or HOURS, SECONDS) or "USING CRON <minute 0-59> <hour 0-23> <day of month 1-31> <month 1-12> <day of week 0-6 or SUN-SAT> <time zone>", e.g. --schedule "USING CRON 0 9 * * MON-FRI Europe/Paris", or use --schedule triggered / continuous';
}

/** A suggestion ends its sentence before the next one starts ("…the image repository. Then rerun"). */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

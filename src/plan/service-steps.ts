/**
 * The `continuous` schedule: a long-running SPCS service (templates/service.sql.hbs) runs the worker with
 * --loop-interval-seconds, instead of a task starting a job. Switching schedules replaces the object: a service
 * is dropped when the sync goes back to a task (`- service`, `+ task`), the task when it goes to a service. A
 * service has no CREATE OR REPLACE (https://docs.snowflake.com/en/sql-reference/sql/create-service), so a changed
 * one is dropped and created again; its COMMENT carries the fingerprint, as the task's does.
 */
import { scheduleMode, type InitAnswers } from '../config/answers.js';
import { PlanBuilder, show, sqlStep, withFingerprint } from './builder.js';
import type { LiveState } from './live-state.js';
import type { ResolvedNames } from './names.js';
import { forOwner, forTask } from './requirements.js';
import { renderTemplate } from './sql-templates.js';
import { planPendingMarker, planTask, renderSpec } from './task-steps.js';
import type { ImageRef, Privilege, SqlStep } from './types.js';
import { LOOP_INTERVAL_SECONDS, scheduleModeRows } from './schedule-modes.js';

export { LOOP_INTERVAL_SECONDS } from './schedule-modes.js';

/** Task or service, as the schedule says, replacing the other one when it exists. */
export function planRunner(answers: InitAnswers, names: ResolvedNames, live: LiveState, image: ImageRef, runNow: boolean, plan: PlanBuilder): void {
  const row = scheduleModeRows(answers.instanceFamily).find((r) => r.mode === scheduleMode(answers.schedule));
  if (row && row.mode !== 'scheduled') plan.note(`Schedule ${row.mode}: latency ${row.latency}; cost ${row.cost}.`);
  if (scheduleMode(answers.schedule) === 'continuous') return planService(answers, names, live, image, runNow, plan);
  if (live.service) plan.add(dropStep('SERVICE', names.service, 'service-drop', 'replaced by the task'));
  planTask(answers, names, live, image, runNow, plan);
}

function dropStep(type: 'SERVICE' | 'TASK', name: ResolvedNames['task'], id: string, why: string): SqlStep {
  return sqlStep({ id, action: 'drop', object: { type, name }, summary: `${type.toLowerCase()} ${show(name)} (${why})`, template: 'drop', data: { objectType: type, name }, requires: forOwner(type, name, 'drop') });
}

/** What creating and running the service needs: the task's privileges without the task ones (CREATE/EXECUTE TASK). */
export function forService(names: ResolvedNames, credentials: InitAnswers['credentials']): Privilege[] {
  const why = `create and run service ${show(names.service)}`;
  return forTask(names, credentials).filter((p) => !/TASK/.test(p.privilege)).map((p) => ({ ...p, why }));
}

export function renderServiceSql(answers: InitAnswers, names: ResolvedNames, image: ImageRef): { sql: string; comment: string } {
  const spec = renderSpec(answers, names, image, '  ', ['--loop-interval-seconds', String(LOOP_INTERVAL_SECONDS)]);
  return withFingerprint((comment) => renderTemplate('service', { name: names.service, computePool: names.computePool, spec, integrations: [names.integration], warehouse: names.warehouse, comment }));
}

function planService(answers: InitAnswers, names: ResolvedNames, live: LiveState, image: ImageRef, runNow: boolean, plan: PlanBuilder): void {
  if (answers.skipEmptyRuns) planPendingMarker(names, live, plan);
  if (live.task) plan.add(dropStep('TASK', names.task, 'task-drop', 'replaced by the continuous service'));
  const { sql, comment } = renderServiceSql(answers, names, image);
  const service = live.service;
  if (service?.comment === comment) {
    plan.keep(`service ${show(names.service)} (continuous, ${service.status.toLowerCase()})`);
    if (service.status.toUpperCase() === 'SUSPENDED') {
      plan.add(sqlStep({ id: 'service-resume', action: 'change', object: { type: 'SERVICE', name: names.service }, summary: `resume service ${show(names.service)} (paused)`, template: 'service-toggle', data: { name: names.service, action: 'RESUME' }, requires: forOwner('SERVICE', names.service, 'alter') }));
    }
  } else {
    if (service) plan.add(dropStep('SERVICE', names.service, 'service-drop', 'replaced: its specification changed'));
    plan.add({ kind: 'sql', id: 'service', action: 'create', object: { type: 'SERVICE', name: names.service }, summary: `service ${show(names.service)}: the worker runs continuously on ${show(names.computePool)}, checking the stream every ${LOOP_INTERVAL_SECONDS} s (the pool is billed around the clock)`, sql, requires: forService(names, answers.credentials) });
  }
  if (runNow) plan.note(`--run-now: the service ${show(names.service)} runs as soon as it is up; nothing else to start.`);
}

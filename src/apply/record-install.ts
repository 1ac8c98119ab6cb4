/**
 * What to save after applying a plan (pure): the answers, the objects this install created (merged with those
 * of earlier runs, minus what an uninstall dropped), and the image tag the task now runs.
 */
import { renderQualifiedName, sameName } from '../../shared/sql/identifiers.js';
import type { ResolvedAnswers } from '../plan/names.js';
import type { Plan } from '../plan/types.js';
import { CONFIG_VERSION, withSyncAnswers, type CreatedObject, type ProjectConfig } from '../config/project-config.js';
import { baseStepId, stepSync } from '../plan/builder.js';
import { DEFAULT_SYNC_NAME } from '../../shared/state/sync-names.js';

const same = (a: CreatedObject, b: CreatedObject) => a.type === b.type && (a.name === b.name || sameName(a.name, [b.name]));

function addUnique(list: CreatedObject[], item: CreatedObject): CreatedObject[] {
  return list.some((x) => same(x, item)) ? list : [...list, item];
}

/**
 * `completed`: ids of the steps that succeeded (all of them after a full apply; a prefix after a failure, so
 * that a partial install is still recorded and can be uninstalled).
 */
export function configAfterInit(
  previous: ProjectConfig | null,
  target: ResolvedAnswers,
  plan: Plan,
  completed: ReadonlySet<string>,
  now: Date,
  /** Every sync the plan covered (target included), to record the state tables of each sync whose task was created. */
  syncs: readonly ResolvedAnswers[] = [target],
  /** The target sync's view columns now (null: unknown, its saved ones are kept). */
  columns: readonly string[] | null = null,
): ProjectConfig {
  const { answers } = target;
  const namesOf = (id: string) => (syncs.find((s) => s.sync === (stepSync(id) ?? DEFAULT_SYNC_NAME)) ?? target).names;
  let created = previous?.created ?? [];
  for (const step of plan.steps) {
    // A schedule switch drops the task or the service it replaces (service-steps.ts): forgotten, in plan order.
    if (step.kind === 'sql' && step.action === 'drop' && completed.has(step.id)) {
      const dropped: CreatedObject = { type: step.object.type as CreatedObject['type'], name: renderQualifiedName(step.object.name) };
      created = created.filter((c) => !same(c, dropped));
      continue;
    }
    if (step.kind !== 'sql' || step.action !== 'create' || !completed.has(step.id)) continue;
    // The target schema is not recorded: uninstall drops what is in it, never the schema (it may hold other objects).
    if (step.object.type === 'SCHEMA') continue;
    created = addUnique(created, { type: step.object.type as CreatedObject['type'], name: renderQualifiedName(step.object.name) });
    // The worker (run by this task, or by `sync` of an external install, which consumes this stream) creates its
    // state tables in the target schema; they belong to this install.
    if (baseStepId(step.id) === 'task' || baseStepId(step.id) === 'service' || (answers.runner === 'external' && baseStepId(step.id) === 'stream')) {
      for (const table of namesOf(step.id).stateTables) created = addUnique(created, { type: 'TABLE', name: renderQualifiedName(table) });
    }
  }
  let changeTrackingEnabled = previous?.changeTrackingEnabled ?? [];
  for (const step of plan.steps) {
    if (step.kind !== 'sql' || !completed.has(step.id) || !(step.id.startsWith('change-tracking:') || baseStepId(step.id) === 'view-change-tracking')) continue;
    const entry = { type: step.object.type as 'TABLE' | 'VIEW', name: renderQualifiedName(step.object.name) };
    if (!changeTrackingEnabled.some((e) => e.type === entry.type && e.name === entry.name)) changeTrackingEnabled = [...changeTrackingEnabled, entry];
  }
  const taskSteps = plan.steps.filter((s) => baseStepId(s.id) === 'task' || baseStepId(s.id) === 'service');
  const taskRunsPlanTag = taskSteps.every((s) => completed.has(s.id));
  const deployedImageTag = taskRunsPlanTag && plan.imageTag ? plan.imageTag : previous?.deployedImageTag;
  const base = { version: CONFIG_VERSION, syncs: previous?.syncs ?? [], created, changeTrackingEnabled, ...(deployedImageTag ? { deployedImageTag } : {}), updatedAt: now.toISOString() };
  return withSyncAnswers(base, target.sync, answers, columns);
}

/** After `uninstall`: forget the objects whose drop succeeded. */
export function configAfterUninstall(config: ProjectConfig, plan: Plan, completed: ReadonlySet<string>, now: Date): ProjectConfig {
  const dropped = plan.steps.flatMap((step) =>
    step.kind === 'sql' && step.action === 'drop' && completed.has(step.id)
      ? [{ type: step.object.type as CreatedObject['type'], name: renderQualifiedName(step.object.name) }]
      : [],
  );
  const turnedOff = new Set(plan.steps.filter((step) => step.id.startsWith('change-tracking-off:') && completed.has(step.id)).map((step) => step.id.slice('change-tracking-off:'.length)));
  const changeTrackingEnabled = (config.changeTrackingEnabled ?? []).filter((e) => !turnedOff.has(`${e.type}:${e.name}`));
  return { ...config, created: config.created.filter((c) => !dropped.some((d) => same(c, d))), changeTrackingEnabled, updatedAt: now.toISOString() };
}

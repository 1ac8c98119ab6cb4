/**
 * planInit: answers + live state → the ordered steps that bring the account to what the answers describe.
 * Rerun = reconfigure: objects already as wanted are not in `steps` (listed in `unchanged`), so a rerun with
 * the same answers on an up-to-date account yields an empty plan.
 * Order: target schema → change tracking → view → stream → image repository → compute pool → network rule → integration →
 * credentials → image login/build/push → task → resume → run now.
 */
import { sameName } from '../../shared/sql/identifiers.js';
import type { ProjectConfig } from '../config/project-config.js';
import { OBJECT_COMMENT, PlanBuilder, show, sqlStep } from './builder.js';
import { planInfrastructure } from './infra-steps.js';
import type { LiveState } from './live-state.js';
import type { ResolvedAnswers } from './names.js';
import { planSource } from './source-steps.js';
import { planTask, resolveImage } from './task-steps.js';
import { forSchema } from './requirements.js';
import type { ObjectRef, Plan } from './types.js';

export interface PlanInitOptions {
  /** The saved config of the previous run: what it created (only those are ever altered), the deployed tag. */
  previous?: ProjectConfig | null;
  /** The REST API key is in hand: store it (or rotate it when the secret already exists). */
  apiKeyProvided?: boolean;
  /** Append EXECUTE TASK to run the sync once right away. */
  runNow?: boolean;
}

/** Plans from answers already validated and resolved to typed names (resolveAnswers, once, by the caller). */
export function planInit(input: ResolvedAnswers, live: LiveState, options: PlanInitOptions = {}): Plan {
  const { answers: parsed, names } = input;
  const plan = new PlanBuilder();
  const created = options.previous?.created ?? [];
  const createdBefore = (object: ObjectRef) => created.some((c) => c.type === object.type && sameName(c.name, object.name));

  if (live.targetSchema) plan.keep(`schema ${show(names.schema)}`);
  else plan.add(sqlStep({ id: 'schema', action: 'create', object: { type: 'SCHEMA', name: names.schema }, summary: `schema ${show(names.schema)}`, template: 'schema', data: { name: names.schema, comment: OBJECT_COMMENT }, requires: forSchema(names) }));
  planSource(parsed, names, live, plan);
  planInfrastructure(
    {
      answers: parsed,
      names,
      live,
      createdBefore,
      apiKeyProvided: options.apiKeyProvided ?? false,
      previousProjectKey: options.previous?.answers.projectKey,
    },
    plan,
  );
  const image = resolveImage(parsed, names, live, options.previous?.deployedImageTag);
  planTask(parsed, names, live, image, options.runNow ?? false, plan);
  return { command: 'init', steps: plan.steps, unchanged: plan.unchanged, notes: plan.notes, imageTag: image.tag };
}

/**
 * planInit: answers + live state → the ordered steps that bring the account to what the answers describe.
 * Rerun = reconfigure: objects already as wanted are not in `steps` (listed in `unchanged`), so a rerun with
 * the same answers on an up-to-date account yields an empty plan.
 * Order: target schema → change tracking → view → stream → image repository → compute pool → network rule → integration →
 * credentials → image login/build/push → task → resume → run now.
 */
import { sameName } from '../../shared/sql/identifiers.js';
import type { ProjectConfig } from '../config/project-config.js';
import { OBJECT_COMMENT, PlanBuilder, show, sqlStep, stepSync } from './builder.js';
import { planCredentials, planInfrastructure, type InfraContext } from './infra-steps.js';
import { usageError } from '../../shared/errors.js';
import type { LiveState } from './live-state.js';
import type { ResolvedAnswers } from './names.js';
import { planSource } from './source-steps.js';
import { planResync, type MappingPlanInput } from './resync-step.js';
import { planImage, resolveImage } from './task-steps.js';
import { planAlerts } from './alert-steps.js';
import { planRunner } from './service-steps.js';
import { DEFAULT_SYNC_NAME } from '../../shared/state/sync-names.js';
import { answersOf } from '../config/project-config.js';
import { checkSyncNames } from './names.js';
import { forSchema } from './requirements.js';
import type { ObjectRef, Plan } from './types.js';

export interface PlanInitOptions {
  /** The saved config of the previous run: what it created (only those are ever altered), the deployed tag. */
  previous?: ProjectConfig | null;
  /** The REST API key is in hand: store it (or rotate it when the secret already exists). */
  apiKeyProvided?: boolean;
  /** Append EXECUTE TASK to run the sync once right away. */
  runNow?: boolean;
  /** The saved and the new mapping: a change that alters profiles already in Batch adds the resync step. */
  mapping?: MappingPlanInput;
  /** The alert webhook URL is in hand (its secret part is stored or rotated). */
  webhookSecretProvided?: boolean;
}

/**
 * The resync request (the target sync's mapping changed) goes after everything it may need (control table's
 * schema, the sync's pending marker) and before the sync's resume / run now. `scoped`: the target's scope.
 */
function addResync(input: ResolvedAnswers, live: LiveState, options: PlanInitOptions, plan: PlanBuilder, scoped: PlanBuilder): void {
  const before = plan.steps.length;
  planResync(input, live, options.mapping, scoped);
  if (plan.steps.length === before) return;
  const step = plan.steps.pop()!;
  const ofTarget = (id: string) => (stepSync(id) ?? DEFAULT_SYNC_NAME) === input.sync;
  const at = plan.steps.findIndex((s) => (s.kind === 'task-resume' || s.kind === 'run-now') && ofTarget(s.id));
  plan.steps.splice(at === -1 ? plan.steps.length : at, 0, step);
}

/** One sync of the project with what introspection found of its objects. */
export interface SyncPlanInput {
  resolved: ResolvedAnswers;
  live: LiveState;
}

/** Plans from answers already validated and resolved to typed names (resolveAnswers, once, by the caller). */
export function planInit(input: ResolvedAnswers, live: LiveState, options: PlanInitOptions = {}): Plan {
  return planProject(input, [{ resolved: input, live }], options);
}

/**
 * Several syncs per project: `target` is the sync being set up or reconfigured (its answers carry what all
 * syncs share: schema, pool, image, network rule, integration, credentials); `syncs` are all the project's
 * syncs after this init (target included), each with its live state. Shared objects are planned once; each
 * sync's source, marker and task in its own scope (ids `…@sync`, lines `[sync] …`), so a sync whose answers
 * did not change shows only unchanged lines. Run-now is the target's only.
 */
export function planProject(target: ResolvedAnswers, syncs: readonly SyncPlanInput[], options: PlanInitOptions = {}): Plan {
  const { answers: parsed, names } = target;
  checkRunnerCredentials(parsed.runner, parsed.credentials);
  checkSyncNames(syncs.map((s) => s.resolved));
  const targetLive = syncs.find((s) => s.resolved.sync === target.sync)?.live;
  if (!targetLive) throw new Error(`internal: sync ${target.sync} is not among the planned syncs`);
  const plan = new PlanBuilder();
  const label = syncs.length > 1 || target.sync !== DEFAULT_SYNC_NAME;
  const scope = (sync: string) => (label ? plan.forSync(sync, label) : plan);
  const created = options.previous?.created ?? [];
  const createdBefore = (object: ObjectRef) => created.some((c) => c.type === object.type && sameName(c.name, object.name));

  if (targetLive.targetSchema) plan.keep(`schema ${show(names.schema)}`);
  else plan.add(sqlStep({ id: 'schema', action: 'create', object: { type: 'SCHEMA', name: names.schema }, summary: `schema ${show(names.schema)}`, template: 'schema', data: { name: names.schema, comment: OBJECT_COMMENT }, requires: forSchema(names) }));
  for (const { resolved, live } of syncs) planSource(resolved.answers, resolved.names, live, scope(resolved.sync));
  const previousAnswers = options.previous ? answersOf(options.previous, target.sync) : undefined;
  // A sync new to an existing project has no credentials row yet: '' differs from any key, so it is written.
  const previousProjectKey = previousAnswers?.projectKey ?? (options.previous ? '' : undefined);
  const infra = { answers: parsed, names, live: targetLive, createdBefore, apiKeyProvided: options.apiKeyProvided ?? false, previousProjectKey };
  const alerts = () => planAlerts(target, syncs.map((s) => s.resolved), plan, scope, { previous: options.previous ?? null, webhookSecretProvided: options.webhookSecretProvided === true, runsTableExists: targetLive.stateTables.includes(names.stateTables[1]![2]!) });
  const resync = () => {
    addResync(target, targetLive, options, plan, scope(target.sync));
    alerts();
  };
  if (parsed.runner === 'external') return planExternal(infra, plan, resync);
  planInfrastructure(infra, plan);
  const image = resolveImage(parsed, names, targetLive, options.previous?.deployedImageTag);
  planImage(parsed, names, targetLive, image, plan);
  for (const { resolved, live } of syncs) planRunner(resolved.answers, resolved.names, live, image, options.runNow === true && resolved.sync === target.sync, scope(resolved.sync));
  resync();
  return { command: 'init', steps: plan.steps, unchanged: plan.unchanged, notes: plan.notes, imageTag: image.tag };
}

/**
 * A SECRET is readable only from inside Snowflake (an SPCS service), so an external runner keeps the key in
 * the scheduler's env (`none`) or in the credentials table; and an SPCS job has no env of its own to read.
 */
function checkRunnerCredentials(runner: 'spcs' | 'external', credentials: 'secret' | 'table' | 'none'): void {
  if (runner === 'external' && credentials === 'secret') {
    throw usageError('CREDENTIALS_SECRET_EXTERNAL', 'A Snowflake SECRET can only be read by a job inside Snowflake; with --runner external the sync runs outside it.', {
      suggestion: 'Use --credentials none (the scheduler passes BATCH_REST_API_KEY to each run) or --credentials table.',
    });
  }
  if (runner === 'spcs' && credentials === 'none') {
    throw usageError('CREDENTIALS_NONE_SPCS', 'With --runner spcs the job needs the Batch REST API key stored in Snowflake.', {
      suggestion: 'Use --credentials secret (recommended) or --credentials table, or --runner external to run the sync from your own scheduler.',
    });
  }
}

/**
 * External runner: only what runs in Snowflake (view, stream, credentials table if asked); the worker creates
 * its state tables on the first `batch-snowflake sync`. No image, compute pool, network rule, integration or task.
 */
function planExternal(ctx: InfraContext, plan: PlanBuilder, resync: () => void): Plan {
  const { answers } = ctx;
  if (answers.credentials === 'table') planCredentials({ ...ctx, createdBefore: () => false }, plan);
  plan.note('Runner: external. No compute pool, image, network rule, integration or task: your scheduler runs `batch-snowflake sync` (or the worker image); see README "Running without SPCS: scheduler recipes". The state tables are created by the first run.');
  if (answers.credentials === 'none') plan.note('The Batch REST API key is not stored in Snowflake: each `batch-snowflake sync` reads it from env BATCH_REST_API_KEY (or --rest-api-key-stdin).');
  resync();
  return { command: 'init', steps: plan.steps, unchanged: plan.unchanged, notes: plan.notes, imageTag: null };
}

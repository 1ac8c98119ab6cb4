/**
 * From complete answers to a result: introspect the live state (concurrent reads, counted), plan, check
 * privileges and docker, show the summary, and either print the dry run or confirm, apply and save the
 * config atomically. Also the offline dry run (no connection: planned against an empty account).
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import { UserError } from '../../shared/errors.js';
import { sameConfig, saveProjectConfig, type ProjectConfig } from '../config/project-config.js';
import { configAfterInit } from '../apply/record-install.js';
import type { Docker } from '../adapters/docker/docker.js';
import type { WorkerBuildContext } from '../adapters/docker/build-context.js';
import { applyFailure, applyPlan } from '../apply/executor.js';
import { ImageSteps } from '../apply/docker-steps.js';
import { registryCredentialsFor } from '../apply/registry-credentials.js';
import type { CountingSession } from '../introspect/counting-session.js';
import { introspectLiveState } from '../introspect/read-live-state.js';
import { scheduleMode, type InitAnswersInput } from '../config/answers.js';
import { planProject, type SyncPlanInput } from '../plan/init-plan.js';
import { checkAlertEmail, unverifiedEmailFailure } from './alert-preflight.js';
import { stepSync } from '../plan/builder.js';
import { DEFAULT_SYNC_NAME } from '../../shared/state/sync-names.js';
import { splitAnswers, syncAnswers } from '../config/syncs.js';
import { EMPTY_LIVE_STATE } from '../plan/live-state.js';
import { resolveAnswers, type ResolvedAnswers } from '../plan/names.js';
import { planToJson, renderPlanSql, renderPlanSummary } from '../plan/render-plan.js';
import { secretsNeeded } from '../plan/secret-slots.js';
import type { Plan } from '../plan/types.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { Collected } from './collect.js';
import { countProfilesBy, mappingPlanInput } from './mapping-change.js';
import { checkViewSelect } from '../plan/view-select.js';
import type { MappingPlanInput } from '../plan/resync-step.js';
import { assertNothingMissing, confirmOrMissing, type Wizard } from './context.js';
import type { InitFlags } from './given.js';
import { checkBeforeApply } from './apply-preflight.js';
import { ensurePrivileges, runGrants } from './privilege-check.js';
import { promptRestKey } from './rest-key.js';
import { firstRunOutcome, firstRunStarter } from './run-now.js';

export interface PlanPhaseDeps {
  docker: () => Docker;
  prepareContext: () => Promise<WorkerBuildContext>;
  baseImage?: string | undefined;
  connectAs: (role: string) => Promise<SnowflakeSession>;
  now: () => Date;
}

export interface PlanPhaseInput {
  flags: InitFlags;
  context: CommandContext;
  previous: ProjectConfig | null;
  restKey: string | undefined;
  /** The secret part of the alert webhook URL (env BATCH_ALERT_WEBHOOK_URL or the prompt), never saved. */
  alertWebhookSecret?: string | undefined;
  user: string | null;
  preflightQueries: number;
  /** A reconfigure: the preflight did not check docker, which is needed only if the plan builds an image. */
  dockerDeferred?: boolean;
  /** The sync being set up or reconfigured (the project's other syncs are planned along, unchanged unless shared answers changed). */
  sync: string;
  /**
   * The first send (init's last step, src/commands/init.ts): applied without the task's RESUME, then this runs
   * with the key init holds and returns its lines; it resumes the task itself.
   */
  firstSend?: {
    /** How many profiles to send now (the flag, or the user's answer), null: none. */
    wanted: () => Promise<number | null>;
    run: (restKey: string | undefined, count: number | null, resume: boolean) => Promise<{ lines: string[]; exitCode?: number }>;
  };
}

const RERUN = 'batch-snowflake init';
const withPort = (host: string) => (/:\d+$/.test(host) ? host : `${host}:443`);

function dryRunOutcome(w: Wizard, plan: Plan, extra: Record<string, unknown>): CommandOutcome {
  w.output.info(renderPlanSummary(plan).trimEnd());
  w.output.info(w.output.style.dim('Dry run: nothing was executed, no docker command was run, no file was written.'));
  return { result: { dryRun: true, ...extra, plan: planToJson(plan) }, text: renderPlanSql(plan) };
}

/** No connection: plan against an empty account; the SQL is what a first install runs. */
export function offlineDryRun(w: Wizard, answers: Partial<InitAnswersInput>, previous: ProjectConfig | null, sync: string): CommandOutcome {
  const resolved = resolveAnswers(answers, sync);
  const syncs = [resolved, ...otherSyncs(previous, resolved)].map((r) => ({ resolved: r, live: EMPTY_LIVE_STATE }));
  const plan = planProject(resolved, syncs, { previous, apiKeyProvided: false });
  plan.notes.push('Planned without a connection (no Snowflake connection is configured): objects that already exist would be reused, not recreated.');
  return dryRunOutcome(w, plan, { offline: true });
}

/**
 * The project's other syncs as this init leaves them: their own answers from batch-snowflake.json with the
 * shared half of the answers just collected (a new pool or image tag applies to every sync).
 */
export function otherSyncs(previous: ProjectConfig | null, target: ResolvedAnswers): ResolvedAnswers[] {
  if (!previous) return [];
  const { project } = splitAnswers(target.answers, target.sync);
  return previous.syncs.filter((s) => s.name !== target.sync).map((s) => resolveAnswers(syncAnswers(project, s), s.name));
}

/**
 * Reads the live state of every sync at once (each one's source, stream, marker and task; shared objects
 * alike); the profiles of the target's view are counted when its mapping changed (`mapping`).
 */
async function introspect(w: Wizard, session: CountingSession, syncs: readonly ResolvedAnswers[], previous: ProjectConfig | null, mapping?: MappingPlanInput): Promise<{ live: SyncPlanInput[]; queries: { count: number; maxConcurrent: number } }> {
  const countBy = countProfilesBy(mapping);
  const mark = session.mark();
  const live = await w.output.step('Reading what already exists', () =>
    Promise.all(syncs.map(async (resolved, i) => ({ resolved, live: await readOne(w, session, resolved, previous, i === 0 ? countBy : undefined) }))),
  );
  const stats = session.since(mark);
  w.output.debug(`Introspection: ${stats.count} queries, up to ${stats.maxConcurrent} at once`);
  return { live, queries: { count: stats.count, maxConcurrent: stats.maxConcurrent } };
}

function readOne(w: Wizard, session: CountingSession, { answers, names }: ResolvedAnswers, previous: ProjectConfig | null, countBy: string | undefined) {
  return introspectLiveState(session, names, {
    credentials: answers.credentials,
    runner: answers.runner,
    deployedImageTag: previous?.deployedImageTag,
    savedHosts: previous ? [withPort(previous.project.batchApiHost)] : [],
    onFallback: (message) => w.output.debug(message),
    service: scheduleMode(answers.schedule) === 'continuous' || (previous?.created ?? []).some((c) => c.type === 'SERVICE'),
    ...(countBy ? { countProfiles: { idColumn: countBy, ...(answers.source.kind === 'select' ? { select: checkViewSelect(answers.source.sql).sql } : {}) } } : {}),
  });
}

/** Introspects, plans, and makes sure the role has what the plan needs (re-planning after an admin role granted it). */
async function planWithPrivileges(w: Wizard, session: CountingSession, resolved: ResolvedAnswers, input: PlanPhaseInput, deps: PlanPhaseDeps, mapping?: MappingPlanInput) {
  const { flags, previous } = input;
  const options = { previous, apiKeyProvided: input.restKey !== undefined, webhookSecretProvided: input.alertWebhookSecret !== undefined, runNow: flags.runNow === true, ...(mapping ? { mapping } : {}) };
  const check = { role: resolved.answers.role, user: input.user, adminScript: flags.adminScript, adminRole: flags.adminRole, connectAs: deps.connectAs, rerunCommand: RERUN, dryRun: flags.dryRun };
  const syncs = [resolved, ...otherSyncs(previous, resolved)];
  const { live, queries } = await introspect(w, session, syncs, previous, mapping);
  const plan = planProject(resolved, live, options);
  const { grantsToRun } = await ensurePrivileges(w, session, plan, check);
  /** After the confirmation: run the GRANTs as the admin role, then re-read and re-plan (they may have changed the account). */
  const afterConfirm = async (): Promise<Plan> => {
    if (!grantsToRun) return plan;
    await runGrants(w, deps.connectAs, grantsToRun.role, grantsToRun.missing);
    const again = await introspect(w, session, syncs, previous, mapping);
    const replanned = planProject(resolved, again.live, options);
    await ensurePrivileges(w, session, replanned, { ...check, adminRole: undefined, adminScript: undefined, grantedBy: grantsToRun.role });
    return replanned;
  };
  return { plan, queries, grantsToRun, afterConfirm, syncs };
}

export async function planAndApply(w: Wizard, session: CountingSession, collected: Collected, input: PlanPhaseInput, deps: PlanPhaseDeps): Promise<CommandOutcome> {
  const { flags, previous } = input;
  const resolved = resolveAnswers(collected.answers, input.sync);
  const mapping = await mappingPlanInput(w, flags, previous, resolved, collected, deps.now());
  const { plan: proposed, queries, grantsToRun, afterConfirm, syncs } = await planWithPrivileges(w, session, resolved, input, deps, mapping);
  const report = { preview: collected.preview, introspection: queries };
  if (flags.dryRun) return dryRunOutcome(w, proposed, report);

  // Docker was checked by the preflight of a first install (unless --skip-image: no image steps then); on a
  // reconfigure only now, and only when the image is not in the repository yet (so it must be built).
  const docker = proposed.steps.some((s) => s.kind === 'docker-build') ? deps.docker() : null;
  if (docker && input.dockerDeferred) {
    await w.output.step('Checking docker (the image must be built)', () => docker.check(), (v) => `Docker running (engine ${v.server})`).catch((error: unknown) => {
      const cause = error instanceof UserError ? error : undefined;
      throw new UserError('docker', cause?.code ?? 'DOCKER_UNAVAILABLE', `Image ${proposed.imageTag ?? ''} is not in the repository yet, so it must be built, and docker does not answer: ${cause?.message ?? String(error)}`, {
        cause: error,
        suggestion: `${cause?.suggestion ?? 'Start Docker.'} Nothing was changed. Or pass --skip-image --image-tag TAG to use an image already pushed.`,
      });
    });
  }
  w.output.info(renderPlanSummary(proposed).trimEnd());
  if (proposed.steps.length === 0 && !grantsToRun) {
    // No object changes, but the answers may have (a mapping change with --no-resync, --keep-removed): save them.
    const columns = collected.columns?.map((c) => c.name) ?? null;
    const next = configAfterInit(previous, resolved, proposed, new Set(), deps.now(), syncs, columns);
    const changed = !sameConfig(next, previous);
    if (changed) await saveProjectConfig(input.context.configPath, next, { forbiddenValues: [input.restKey ?? ''].filter(Boolean) });
    const text = changed ? `No changes to the account; the new answers are saved to ${input.context.configPath}.` : 'No changes: everything is already set up as requested.';
    return { result: { applied: [], unchanged: proposed.unchanged, ...(changed ? { config: input.context.configPath } : {}), ...report }, text };
  }

  let restKey = input.restKey;
  if (secretsNeeded(proposed).includes('BATCH_REST_API_KEY') && restKey === undefined) restKey = await promptRestKey(w);
  if (secretsNeeded(proposed).includes('BATCH_ALERT_WEBHOOK_SECRET') && input.alertWebhookSecret === undefined) {
    w.missing.push({ flag: 'BATCH_ALERT_WEBHOOK_URL=… (env) or --alert-webhook', what: 'the alert webhook URL (its secret part is stored in a Snowflake SECRET)' });
  }
  if (w.missing.length === 0) await checkAlertEmail(w, session, proposed, resolved.answers.alerts?.email);
  // Not when answers are missing (non-interactive): that error comes first, below.
  if (w.missing.length === 0) await checkBeforeApply(w, { plan: proposed, resolved, session, restKey, docker, registryCredentials: () => registryCredentialsFor(session) });
  const grants = grantsToRun ? `Run the ${grantsToRun.missing.length} GRANT statement(s) above as ${grantsToRun.role}, then apply` : 'Apply';
  const go = await confirmOrMissing(w, `${grants} these ${proposed.steps.length} step(s) to your Snowflake account?`);
  assertNothingMissing(w);
  if (!go) throw new UserError('aborted', 'NOT_CONFIRMED', 'Not applied: nothing was changed and no file was written.');

  const plan = await afterConfirm();
  // The task starts only after the first send, so that the schedule does not race it to the same rows.
  const targetResume = (s: Plan['steps'][number]) => s.kind === 'task-resume' && (stepSync(s.id) ?? DEFAULT_SYNC_NAME) === input.sync;
  const holdResume = input.firstSend !== undefined && !flags.runNow && plan.steps.some(targetResume);
  if (holdResume) plan.steps = plan.steps.filter((s) => !targetResume(s));
  if (plan !== proposed && plan.steps.length !== proposed.steps.length) w.output.info(`After the grants, ${plan.steps.length} step(s) are left to apply (the grants did part of the plan).`);

  const images = plan.steps.some((s) => s.kind === 'docker-build') && docker ? new ImageSteps({ session, docker, prepareContext: deps.prepareContext, baseImage: deps.baseImage, registryCredentials: () => registryCredentialsFor(session) }) : null;
  const firstRun = firstRunStarter(session, resolved.names);
  const result = await applyPlan(plan, { session, secrets: { ...(restKey ? { BATCH_REST_API_KEY: restKey } : {}), ...(input.alertWebhookSecret ? { BATCH_ALERT_WEBHOOK_SECRET: input.alertWebhookSecret } : {}) }, output: w.output, images, signal: input.context.signal, runNow: firstRun.start });
  const forbidden = [restKey ?? '', input.alertWebhookSecret ?? ''].filter(Boolean);
  const save = (completed: Set<string>) =>
    saveProjectConfig(input.context.configPath, configAfterInit(previous, resolved, plan, completed, deps.now(), syncs, collected.columns?.map((c) => c.name) ?? null), { forbiddenValues: forbidden });
  if (result.failed) {
    // Objects created before the failure are recorded, so a rerun continues and `uninstall` can remove them.
    if (plan.steps.some((s) => s.action === 'create' && result.completed.has(s.id))) await save(result.completed);
    throw unverifiedEmailFailure(result.failed.step.id, resolved.answers.alerts?.email, result.failed.error) ?? applyFailure(plan, result, RERUN);
  }
  await save(result.completed);
  w.output.success(`Saved the answers (no secrets) to ${input.context.configPath}`);
  const since = firstRun.since();
  const first = since ? await firstRunOutcome(w, session, resolved.names, since) : null;
  const count = input.firstSend && !flags.runNow ? await input.firstSend.wanted() : null;
  const sent = input.firstSend && (count !== null || holdResume) ? await input.firstSend.run(restKey, count, holdResume) : null;
  const next =
    resolved.answers.runner === 'external'
      ? ['Next:', '  batch-snowflake sync     # one sync run from here; schedule this line (README: cron, GitHub Actions, Kubernetes)', '  batch-snowflake status   # last runs, pending changes']
      : ['Next:', '  batch-snowflake status   # task state, last runs, pending changes', '  batch-snowflake run      # run the sync now'];
  return {
    result: { applied: plan.steps.map((s) => s.id), unchanged: plan.unchanged, imageTag: plan.imageTag, pushed: images?.pushed ?? null, config: input.context.configPath, ...report, ...(first ? { firstRun: first.result } : {}) },
    text: [`Setup complete: ${plan.steps.length} step(s) applied.`, ...(first?.lines ?? []), ...(sent?.lines ?? []), ...next].join('\n'),
    ...(first?.exitCode ? { exitCode: first.exitCode } : sent?.exitCode ? { exitCode: sent.exitCode } : {}),
  };
}

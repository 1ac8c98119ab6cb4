/**
 * `batch-snowflake uninstall`: drops exactly what `init` recorded as created (batch-snowflake.json
 * `created`), in dependency order, and nothing it reused, plus the job services its task ran (JOB_…, kept 30
 * days by Snowflake otherwise; every dropped sync's task's, src/plan/uninstall-plan.ts); keeps the user's view and data. Plan by
 * src/plan/uninstall-plan.ts against the live state, applied by the same executor as init, after a
 * confirmation (--yes). `--dry-run` prints the SQL and executes nothing (without a configured connection
 * it plans offline: every recorded object DROP … IF EXISTS). The config is saved atomically afterwards,
 * without the objects that are gone, also after a partial failure (a rerun continues).
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import { connectionConfigured } from '../runtime/snowflake-context.js';
import type { UninstallOptions } from './options.js';
import { UserError, usageError } from '../../shared/errors.js';
import { saveProjectConfig, type ProjectConfig } from '../config/project-config.js';
import { configAfterUninstall } from '../apply/record-install.js';
import { applyFailure, applyPlan } from '../apply/executor.js';
import { readLiveState, loadInstalled, connectInstalled, type Installed } from '../operate/installed.js';
import { resolveInstall, syncOwnObjects } from '../plan/names.js';
import { poolJobServices } from '../introspect/job-services.js';
import { countOutbox } from '../operate/run-records.js';
import type { LiveState } from '../plan/live-state.js';
import { existsLive, planUninstall } from '../plan/uninstall-plan.js';
import { planToJson, renderPlanSql, renderPlanSummary } from '../plan/render-plan.js';
import type { Plan } from '../plan/types.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import { createInquirerPrompter, type Prompter } from '../adapters/ui/prompts.js';
import { imageDeps } from './image-deps.js';
import { handleLocalImages } from './local-images.js';

export interface UninstallDeps {
  prompter: Prompter | null;
  now: () => Date;
  /** Removing one sync: what to write instead of the plain result (the sync leaves the file, the rest stays). */
  save?: (config: ProjectConfig) => ProjectConfig;
}

const RERUN = 'batch-snowflake uninstall';

export async function run(options: UninstallOptions, context: CommandContext): Promise<CommandOutcome> {
  const prompter = context.interactive ? createInquirerPrompter({ signal: context.signal, spinners: context.output }) : null;
  return runUninstall(options, context, { prompter, now: () => new Date() });
}

/** Forgets the objects whose drop succeeded and those found already gone. */
function configAfter(installed: Installed, plan: Plan, completed: ReadonlySet<string>, live: LiveState, now: Date): ProjectConfig {
  const after = configAfterUninstall(installed.config, plan, completed, now);
  const gone = new Set(installed.created.filter((object) => existsLive(object, installed.names, live) === false).map((object) => `${object.type} ${object.name}`));
  return { ...after, created: after.created.filter((object) => object.type === 'VIEW' || !gone.has(`${object.type} ${object.name}`)) };
}

const isJobService = (step: Plan['steps'][number]) => step.kind === 'sql' && step.object.type === 'SERVICE';

function dryRun(context: CommandContext, plan: Plan, offline: boolean): CommandOutcome {
  context.output.info(renderPlanSummary(plan).trimEnd());
  context.output.info(context.output.style.dim('Dry run: nothing was executed and batch-snowflake.json was not changed.'));
  return { result: { dryRun: true, offline, plan: planToJson(plan) }, text: renderPlanSql(plan) };
}

const lost = (unsent: number) => `${unsent} captured change(s) that were never sent to Batch`;

/**
 * Dropping the outbox loses the changes in it: the stream has already moved past them. Interactive: the
 * question says how many. Otherwise (--yes, no terminal) it takes --force, so a script cannot lose them silently.
 */
async function confirm(context: CommandContext, deps: UninstallDeps, plan: Plan, unsent: number, force: boolean): Promise<void> {
  const drops = plan.steps.filter((s) => s.action === 'drop').length;
  if (unsent > 0 && !force && (context.yes || !deps.prompter)) {
    throw usageError('OUTBOX_NOT_EMPTY', `The outbox holds ${lost(unsent)}; uninstall would drop them with it.`, {
      suggestion: 'Send them first: fix what makes runs fail (`batch-snowflake status`), then `batch-snowflake run`; or drop them anyway with `batch-snowflake uninstall --yes --force`.',
      details: { unsentChanges: unsent },
    });
  }
  if (context.yes) return;
  if (!deps.prompter) {
    throw usageError('CONFIRMATION_REQUIRED', `Uninstall drops ${drops} object(s) and needs a confirmation, but this is not an interactive terminal.`, {
      suggestion: 'Review the plan with `batch-snowflake uninstall --dry-run`, then run `batch-snowflake uninstall --yes`.',
    });
  }
  const warning = unsent > 0 ? ` The outbox holds ${lost(unsent)}: they are lost.` : '';
  const go = await deps.prompter.confirm({ message: `Drop these ${drops} object(s) from your Snowflake account?${warning} This cannot be undone.`, default: false });
  if (!go) throw new UserError('aborted', 'NOT_CONFIRMED', 'Not uninstalled: nothing was dropped and batch-snowflake.json is unchanged.');
}

/**
 * `--sync NAME` on a project of several syncs (or `init --remove-sync NAME`): only that sync's own objects
 * (task, stream, marker, outbox, a view made from its SELECT) are dropped and it leaves batch-snowflake.json;
 * the shared objects and the other syncs are untouched (not even in the plan).
 */
function scopeToSync(installed: Installed, options: UninstallOptions): { installed: Installed; removing: string | null } {
  const sync = options.sync;
  if (sync === undefined) return { installed, removing: null };
  const one = { ...installed, ...resolveInstall(installed.config, sync) };
  if (installed.config.syncs.length === 1) {
    if (options.removeSync) throw usageError('LAST_SYNC', `Sync ${sync} is the only one of this project: removing it is uninstalling.`, { suggestion: 'Run `batch-snowflake uninstall`.' });
    return { installed: one, removing: null };
  }
  const own = syncOwnObjects(one.names, one.answers);
  const created = one.created.filter((c) => own.some((o) => o.type === c.type && o.name.join('.') === c.parts.join('.')));
  return { installed: { ...one, created, config: { ...one.config, changeTrackingEnabled: [] } }, removing: sync };
}

export async function runUninstall(options: UninstallOptions, context: CommandContext, deps: UninstallDeps): Promise<CommandOutcome> {
  const scoped = scopeToSync(await loadInstalled(context, undefined, true), options);
  const installed = scoped.installed;
  if (scoped.removing) return removeSync(options, context, deps, installed, scoped.removing);
  return uninstallScoped(options, context, deps, installed);
}

async function removeSync(options: UninstallOptions, context: CommandContext, deps: UninstallDeps, installed: Installed, sync: string): Promise<CommandOutcome> {
  const full = await loadInstalled(context, undefined, true);
  const keepFile = { ...deps, save: (config: ProjectConfig) => ({ ...config, changeTrackingEnabled: full.config.changeTrackingEnabled ?? [], syncs: full.config.syncs.filter((s) => s.name !== sync) }) };
  const outcome = await uninstallScoped(options, context, keepFile, installed);
  return { ...outcome, result: { ...(outcome.result as object), removedSync: sync, keptSyncs: full.config.syncs.filter((s) => s.name !== sync).map((s) => s.name) } };
}

async function uninstallScoped(options: UninstallOptions, context: CommandContext, deps: UninstallDeps & { save?: (config: ProjectConfig) => ProjectConfig }, installed: Installed): Promise<CommandOutcome> {
  if (installed.config.created.length === 0) {
    return { result: { dropped: [], kept: [], nothingToDo: true }, text: `Nothing to uninstall: ${context.configPath} records no object created by batch-snowflake.` };
  }
  if (options.dryRun && !(await connectionConfigured(context))) {
    const plan = planUninstall(installed, null);
    plan.notes.push('Planned without a connection: every recorded object is dropped IF EXISTS.');
    return dryRun(context, plan, true);
  }
  const { session } = await connectInstalled(context, installed);
  try {
    const ourTask = installed.config.created.some((object) => object.type === 'TASK');
    const [live, jobServices] = await context.output.step('Reading what exists', () =>
      Promise.all([readLiveState(session, installed, (m) => context.output.debug(m)), ourTask ? poolJobServices(session, installed.names) : Promise.resolve([])]),
    );
    const plan = planUninstall(installed, live, { jobServices, disableChangeTracking: options.disableChangeTracking });
    if (options.dryRun) return dryRun(context, plan, false);
    const unsent = await unsentChanges(session, installed, plan);
    // Removing one sync keeps the image (the other syncs run it).
    const images = deps.save ? null : { remove: options.removeLocalImages === true };
    return await apply(context, deps, installed, plan, live, session, { unsent, force: options.force }, images);
  } finally {
    await session.destroy();
  }
}

/** Changes captured but not sent, in the outboxes this plan drops (every sync's, profile or event, when the whole project goes). */
async function unsentChanges(session: SnowflakeSession, installed: Installed, plan: Plan): Promise<number> {
  const dropped = new Set(plan.steps.flatMap((s) => (s.action === 'drop' && s.kind === 'sql' && s.object.type === 'TABLE' ? [renderQualifiedName(s.object.name)] : [])));
  let total = 0;
  for (const { name } of installed.config.syncs) {
    const { names } = resolveInstall(installed.config, name);
    if (dropped.has(renderQualifiedName(names.outbox))) total += (await countOutbox(session, names)) ?? 0;
  }
  return total;
}

async function apply(context: CommandContext, deps: UninstallDeps, installed: Installed, plan: Plan, live: LiveState, session: SnowflakeSession, outbox: { unsent: number; force: boolean }, images: { remove: boolean } | null): Promise<CommandOutcome> {
  context.output.info(renderPlanSummary(plan).trimEnd());
  const after = (completed: ReadonlySet<string>) => configAfter(installed, plan, completed, live, deps.now());
  const save = (completed: ReadonlySet<string>) => saveProjectConfig(context.configPath, deps.save ? deps.save(after(completed)) : after(completed));
  if (plan.steps.length === 0) {
    await save(new Set());
    return { result: { dropped: [], kept: plan.notes, alreadyGone: plan.unchanged }, text: 'Nothing left to drop: everything batch-snowflake created is already gone.' };
  }
  await confirm(context, deps, plan, outbox.unsent, outbox.force);
  const result = await applyPlan(plan, { session, secrets: {}, output: context.output, images: null, signal: context.signal });
  await save(result.completed);
  if (result.failed) throw applyFailure(plan, result, RERUN);
  const dropped = plan.steps.filter((s) => s.action === 'drop' && !isJobService(s)).map((s) => s.summary);
  const jobs = plan.steps.filter(isJobService).length;
  const kept = plan.notes;
  const jobsText = jobs > 0 ? ` and ${jobs} job service(s) its task ran` : '';
  const lines = [`Uninstalled: dropped ${dropped.length} object(s) created by batch-snowflake${jobsText}.`, ...kept.map((k) => `  ${k}`)];
  if (outbox.unsent > 0) lines.push(`${lost(outbox.unsent)} were dropped with the outbox.`.replace(/^./, (c) => c.toUpperCase()));
  lines.push(`Your source data is untouched. ${context.configPath} keeps your answers: \`batch-snowflake init\` sets everything up again.`);
  const url = live.imageRepository?.url;
  const local = images && url ? await handleLocalImages({ docker: imageDeps(context).docker(), repositoryUrl: url, remove: images.remove, prompter: context.yes ? null : deps.prompter }) : null;
  if (local) lines.push(...local.lines);
  const localImages = local ? { found: local.found.map((i) => i.ref), removed: local.removed } : { found: [], removed: [] };
  return { result: { dropped: plan.steps.filter((s) => s.action === 'drop').map((s) => s.id), unsentChangesDropped: outbox.unsent, kept, alreadyGone: plan.unchanged, config: context.configPath, localImages }, text: lines.join('\n') };
}

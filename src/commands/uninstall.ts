/**
 * `batch-snowflake uninstall`: drops exactly what `init` recorded as created (batch-snowflake.json
 * `created`), in dependency order, and nothing it reused, plus the job services its task ran (JOB_…, kept 30
 * days by Snowflake otherwise); keeps the user's view and data. Plan by
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
import { taskJobServices } from '../introspect/job-services.js';
import type { LiveState } from '../plan/live-state.js';
import { existsLive, planUninstall } from '../plan/uninstall-plan.js';
import { planToJson, renderPlanSql, renderPlanSummary } from '../plan/render-plan.js';
import type { Plan } from '../plan/types.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { createInquirerPrompter, type Prompter } from '../adapters/ui/prompts.js';

export interface UninstallDeps {
  prompter: Prompter | null;
  now: () => Date;
}

const RERUN = 'batch-snowflake uninstall';

export async function run(options: UninstallOptions, context: CommandContext): Promise<CommandOutcome> {
  const prompter = context.interactive ? createInquirerPrompter({ signal: context.signal }) : null;
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

async function confirm(context: CommandContext, deps: UninstallDeps, plan: Plan): Promise<void> {
  if (context.yes) return;
  const drops = plan.steps.filter((s) => s.action === 'drop').length;
  if (!deps.prompter) {
    throw usageError('CONFIRMATION_REQUIRED', `Uninstall drops ${drops} object(s) and needs a confirmation, but this is not an interactive terminal.`, {
      suggestion: 'Review the plan with `batch-snowflake uninstall --dry-run`, then run `batch-snowflake uninstall --yes`.',
    });
  }
  const go = await deps.prompter.confirm({ message: `Drop these ${drops} object(s) from your Snowflake account? This cannot be undone.`, default: false });
  if (!go) throw new UserError('aborted', 'NOT_CONFIRMED', 'Not uninstalled: nothing was dropped and batch-snowflake.json is unchanged.');
}

export async function runUninstall(options: UninstallOptions, context: CommandContext, deps: UninstallDeps): Promise<CommandOutcome> {
  const installed = await loadInstalled(context);
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
      Promise.all([readLiveState(session, installed, (m) => context.output.debug(m)), ourTask ? taskJobServices(session, installed.names) : Promise.resolve([])]),
    );
    const plan = planUninstall(installed, live, { jobServices, disableChangeTracking: options.disableChangeTracking });
    if (options.dryRun) return dryRun(context, plan, false);
    return await apply(context, deps, installed, plan, live, session);
  } finally {
    await session.destroy();
  }
}

async function apply(context: CommandContext, deps: UninstallDeps, installed: Installed, plan: Plan, live: LiveState, session: SnowflakeSession): Promise<CommandOutcome> {
  context.output.info(renderPlanSummary(plan).trimEnd());
  const save = (completed: ReadonlySet<string>) => saveProjectConfig(context.configPath, configAfter(installed, plan, completed, live, deps.now()));
  if (plan.steps.length === 0) {
    await save(new Set());
    return { result: { dropped: [], kept: plan.notes, alreadyGone: plan.unchanged }, text: 'Nothing left to drop: everything batch-snowflake created is already gone.' };
  }
  await confirm(context, deps, plan);
  const result = await applyPlan(plan, { session, secrets: {}, output: context.output, images: null, signal: context.signal });
  await save(result.completed);
  if (result.failed) throw applyFailure(plan, result, RERUN);
  const dropped = plan.steps.filter((s) => s.action === 'drop' && !isJobService(s)).map((s) => s.summary);
  const jobs = plan.steps.filter(isJobService).length;
  const kept = plan.notes;
  const jobsText = jobs > 0 ? ` and ${jobs} job service(s) its task ran` : '';
  const lines = [`Uninstalled: dropped ${dropped.length} object(s) created by batch-snowflake${jobsText}.`, ...kept.map((k) => `  ${k}`)];
  lines.push(`Your source data is untouched. ${context.configPath} keeps your answers: \`batch-snowflake init\` sets everything up again.`);
  return { result: { dropped: plan.steps.filter((s) => s.action === 'drop').map((s) => s.id), kept, alreadyGone: plan.unchanged, config: context.configPath }, text: lines.join('\n') };
}

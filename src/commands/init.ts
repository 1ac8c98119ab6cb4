/**
 * `batch-snowflake init`: connect → preflight → choices → preview → plan → privileges → (dry run: print and
 * stop) → confirm → apply → save. Nothing is written (account or files) before the confirmation; Ctrl-C at
 * any prompt leaves everything as it was. Rerun = reconfigure: the saved answers are the defaults and the
 * live state decides what is left to do. Prompter, docker and stdin are injectable (runInit) for tests.
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import { connectionConfigured } from '../runtime/snowflake-context.js';
import { UserError } from '../../shared/errors.js';
import { loadProjectConfig } from '../config/project-config.js';
import { imageDeps } from './image-deps.js';
import { countingSession, type CountingSession } from '../introspect/counting-session.js';
import { sessionFacts } from '../introspect/source.js';
import { createInquirerPrompter, type Prompter } from '../adapters/ui/prompts.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { collectAnswers } from '../wizard/collect.js';
import { assertNothingMissing, type Wizard } from '../wizard/context.js';
import { givenAnswers, type InitFlags } from '../wizard/given.js';
import { offlineDryRun, planAndApply, type PlanPhaseDeps, type PlanPhaseInput } from '../wizard/plan-phase.js';
import { checkPickedSchedule, runPreflight, type PreflightInput } from '../wizard/preflight.js';
import { readAllStdin, suppliedRestKey } from '../wizard/rest-key.js';
import { suppliedWebhook } from '../wizard/choose-alerts.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import { answersOf } from '../config/project-config.js';
import { chooseSync } from '../wizard/choose-sync.js';

export interface InitDeps extends PlanPhaseDeps {
  prompter: Prompter | null;
  readStdin: () => Promise<string>;
  packageVersion: string;
  /** Default image tag (`<version>-<content hash>`, image-deps.ts); tests may leave it out: the version then. */
  defaultImageTag?: () => Promise<string>;
}

export function defaultDeps(context: CommandContext): InitDeps {
  return {
    ...imageDeps(context),
    prompter: context.interactive ? createInquirerPrompter({ signal: context.signal, spinners: context.output }) : null,
    readStdin: () => readAllStdin(),
    connectAs: async (role) => {
      const resolved = await context.snowflake.resolve();
      const client = await import('../../shared/snowflake/client.js');
      return client.connect({ ...resolved.options, role });
    },
    now: () => new Date(),
  };
}

export async function run(options: unknown, context: CommandContext): Promise<CommandOutcome> {
  const flags = options as InitFlags;
  const deps = defaultDeps(context);
  return runInit(flags, context, flags.baseImage ? { ...deps, baseImage: flags.baseImage } : deps);
}

async function connect(w: Wizard, context: CommandContext): Promise<CountingSession> {
  const session = await w.output.step('Connecting to Snowflake', () => context.snowflake.connect(), () => 'Connected to Snowflake');
  return countingSession(session);
}

/** Uses the role and warehouse the answers name (a rerun may name others than the connection's). */
async function useRoleAndWarehouse(session: SnowflakeSession, role: string | undefined, warehouse: string | undefined, facts: { role: string | null; warehouse: string | null }): Promise<void> {
  if (role && role !== facts.role) await session.query(`USE ROLE ${renderQualifiedName([role])}`);
  if (warehouse && warehouse !== facts.warehouse) await session.query(`USE WAREHOUSE ${renderQualifiedName([warehouse])}`);
}

/** The preflight's docker line: checked unless no image is built (--skip-image) or it is a dry run (no docker at all). */
function dockerCheck(flags: InitFlags, deps: InitDeps, reconfigure: boolean): Pick<PreflightInput, 'docker' | 'dockerSkipReason'> {
  if (flags.dryRun) return { docker: null, dockerSkipReason: 'dry run: no docker command is run' };
  if (flags.skipImage) return { docker: null, dockerSkipReason: '--skip-image: the worker image is not built' };
  if (reconfigure) return { docker: null, dockerSkipReason: 'checked only if the image is not in the repository yet' };
  return { docker: () => deps.docker().check(), dockerSkipReason: '' };
}

export async function runInit(flags: InitFlags, context: CommandContext, deps: InitDeps): Promise<CommandOutcome> {
  const w: Wizard = { output: context.output, prompter: deps.prompter, yes: context.yes, env: context.env, cwd: context.cwd, signal: context.signal, missing: [] };
  const previous = await loadProjectConfig(context.configPath);
  if (previous) w.output.info(`Reconfiguring: the answers saved in ${context.configPath} are the defaults.`);
  const choice = await chooseSync(w, flags, previous);
  if (choice.action === 'remove') {
    const { runUninstall } = await import('./uninstall.js');
    return runUninstall({ dryRun: flags.dryRun, force: false, disableChangeTracking: false, sync: choice.sync, removeSync: true }, context, { prompter: deps.prompter, now: deps.now });
  }
  const saved = previous ? (answersOf(previous, choice.sync) ?? previous.project) : undefined;
  if (previous && choice.isNew) w.output.info(`Adding sync ${choice.sync}: it shares the project's schema, compute pool, image, network rule, integration and credentials.`);
  const given = await givenAnswers(flags, context.connectionFlags, context.cwd);
  const restKey = await suppliedRestKey(w, flags.restApiKeyStdin === true, deps.readStdin);
  // Checked before connecting: a webhook URL Snowflake would refuse stops init before anything is created.
  const webhook = await suppliedWebhook(w, flags);
  const alerts = { flags, webhook };
  if (!flags.dryRun && !w.yes && !w.prompter) w.missing.push({ flag: '--yes', what: 'confirm applying the plan (not running interactively)' });

  if (flags.dryRun && (flags.offline === true || !(await connectionConfigured(context)))) {
    const collected = await collectAnswers(w, null, given, saved, null, deps.packageVersion, alerts);
    assertNothingMissing(w);
    return offlineDryRun(w, collected.answers, previous, choice.sync);
  }

  const session = await connect(w, context);
  try {
    const facts = await sessionFacts(session);
    const role = given.settings.role ?? saved?.role ?? facts.role ?? undefined;
    const warehouse = given.settings.warehouse ?? saved?.warehouse ?? facts.warehouse ?? undefined;
    await useRoleAndWarehouse(session, role, warehouse, facts);
    w.output.success(`Logged in as ${facts.user ?? '?'} with role ${role ?? '(none)'}`);
    if (!role) throw new UserError('usage', 'ROLE_MISSING', 'The connection has no role.', { suggestion: 'Pass --role ROLE (a role granted to your user, not ACCOUNTADMIN).' });
    const preflightSchedule = given.settings.schedule ?? (saved && 'schedule' in saved ? String(saved.schedule) : undefined);
    const runner = await preflightOrExternal(w, session, flags, saved?.runner, { role, warehouse, user: facts.user, schedule: preflightSchedule, ...dockerCheck(flags, deps, previous !== null) });
    if (runner) given.settings.runner = runner;
    const preflightQueries = session.stats.count;
    const collected = await collectAnswers(w, session, given, saved, { ...facts, role, warehouse: warehouse ?? null }, deps.defaultImageTag ? await deps.defaultImageTag() : deps.packageVersion, alerts);
    assertNothingMissing(w);
    await checkPickedSchedule(w, session, collected.answers.schedule, preflightSchedule?.trim().toLowerCase() === 'triggered');
    const firstSend = await firstSendStep(w, flags, context, choice.sync, collected.answers.kind ?? 'profile');
    return await planAndApply(w, session, collected, { flags, context, previous, restKey, alertWebhookSecret: webhook?.secret ?? collected.webhookSecret, user: facts.user, preflightQueries, dockerDeferred: previous !== null && !flags.skipImage, sync: choice.sync, ...(firstSend ? { firstSend } : {}) }, deps);
  } finally {
    await session.destroy();
  }
}

/**
 * init's last step (issue 17): send a few profiles now, each with Batch's answer and a link, then resume the
 * task for the rest. `--first-send N` in scripts; on a terminal the question "send 10 profiles now?".
 * A failed first send does not undo the install: the task is resumed anyway and the result says what failed.
 */
async function firstSendStep(w: Wizard, flags: InitFlags, context: CommandContext, sync: string, kind: 'profile' | 'event'): Promise<PlanPhaseInput['firstSend'] | undefined> {
  if (kind === 'event') {
    // A first send is profile attributes (/profiles/update); an event sync is not asked, and the flag is refused.
    if (flags.firstSend === undefined) return undefined;
    const { eventSyncUnsupported, runEventSync } = await import('../operate/installed.js');
    throw eventSyncUnsupported(sync, "--first-send sends a few profiles' attributes now (/profiles/update)", 'nothing was applied', `Rerun without --first-send; once it is set up, \`${runEventSync(sync)}\` sends its pending events.`);
  }
  if (flags.dryRun) return undefined;
  const { parseLimit } = await import('./first-send.js');
  const given = flags.firstSend === undefined ? null : parseLimit(flags.firstSend, '--first-send');
  if (given === null && !w.prompter) return undefined;
  return {
    wanted: async () => given ?? ((await w.prompter!.confirm({ message: 'Send 10 profiles now, to look at them in Batch before the schedule sends the rest?', default: true })) ? 10 : null),
    run: async (restKey, count, resume) => {
      const { firstSend } = await import('./first-send.js');
      const { loadInstalled } = await import('../operate/installed.js');
      const installed = await loadInstalled(context, sync);
      const lines: string[] = [];
      let exitCode: number | undefined;
      if (count !== null) {
        try {
          const outcome = await firstSend(installed, { restriction: { kind: 'limit', limit: count }, restApiKeyStdin: false, ...(restKey !== undefined ? { knownRestKey: restKey } : {}) }, context);
          lines.push(outcome.text ?? '');
          if (outcome.exitCode) exitCode = outcome.exitCode;
        } catch (error) {
          lines.push(`The first send failed: ${(error as Error).message} (nothing is lost: the changes stay for the task).`);
          exitCode = error instanceof UserError ? error.exitCode : 1;
        }
      }
      if (resume) {
        const { toggleTask } = await import('../operate/task-toggle.js');
        lines.push((await toggleTask('resume', false, context, sync)).text ?? '');
      }
      return { lines, ...(exitCode ? { exitCode } : {}) };
    },
  };
}

/**
 * The preflight for the runner asked for (flag, else the saved one, else spcs). When SPCS is missing and the
 * runner was not chosen, the wizard offers the external runner instead of stopping; without prompts the
 * error says to rerun with --runner external. Returns the runner chosen here, if any.
 */
async function preflightOrExternal(w: Wizard, session: SnowflakeSession, flags: InitFlags, savedRunner: 'spcs' | 'external' | undefined, input: PreflightInput): Promise<'external' | undefined> {
  const runner = flags.runner ?? savedRunner;
  try {
    await runPreflight(w, session, { ...input, runner: runner ?? 'spcs' });
    return undefined;
  } catch (error) {
    const spcsMissing = error instanceof UserError && error.code === 'PREFLIGHT_SPCS';
    if (!spcsMissing || runner !== undefined || !w.prompter) throw error;
    const external = await w.prompter.confirm({
      message: 'Snowpark Container Services is not available on this account. Run the sync from your own scheduler instead (cron, GitHub Actions, Kubernetes: `batch-snowflake sync`)?',
      default: true,
    });
    if (!external) throw error;
    await runPreflight(w, session, { ...input, runner: 'external' });
    return 'external';
  }
}

/**
 * planUninstall: drop exactly what `init` recorded as created (batch-snowflake.json `created`), in dependency
 * order, and nothing it merely reused. The user's view and data are kept: a view made from the user's SELECT
 * is dropped only with `dropView`.
 */
import { parseQualifiedName, renderQualifiedName, type NameParts } from '../../shared/sql/identifiers.js';
import type { CreatedObject } from '../config/project-config.js';
import { PlanBuilder, sqlStep } from './builder.js';
import { isJobOfTask, type LiveState, type TaskJobService } from './live-state.js';
import { resolveInstall, type ResolvedCreated, type ResolvedInstall, type ResolvedNames } from './names.js';
import { forOwner } from './requirements.js';
import type { Plan } from './types.js';

export interface PlanUninstallOptions {
  dropView?: boolean;
  /** Turn off the change tracking init turned on (recorded in changeTrackingEnabled); kept by default. */
  disableChangeTracking?: boolean;
  /**
   * The job services on the project's pool in its schema (src/introspect/job-services.ts poolJobServices);
   * those of each task dropped (isJobOfTask, every sync's) are dropped right after that task. `null`: the
   * server could not list them. Offline (no live state) they cannot be looked for.
   */
  jobServices?: TaskJobService[] | null;
}

/**
 * Dependents first: alerts read the runs table and stream and notify through the notification integrations;
 * the task uses everything (its job services follow it: no new one can start once it is gone); the integration
 * references the network rule (a webhook integration its SECRET: dropped after it, SECRET before INTEGRATION
 * is fine as Snowflake checks the secret only when sending); jobs run on the pool.
 */
const DROP_ORDER: CreatedObject['type'][] = ['ALERT', 'SERVICE', 'TASK', 'STREAM', 'TABLE', 'SECRET', 'INTEGRATION', 'NETWORK RULE', 'VIEW', 'IMAGE REPOSITORY', 'COMPUTE POOL'];

const LOSSES: Partial<Record<CreatedObject['type'], string>> = {
  SERVICE: 'the continuous sync stops (a run in progress is stopped; unsent rows stay in the outbox until it is dropped too)',
  STREAM: 'changes not yet read by the worker are lost',
  TABLE: 'its rows are deleted (run history, rejected rows, unsent outbox rows or the stored credentials)',
  'IMAGE REPOSITORY': 'the worker images in it are deleted',
  'COMPUTE POOL': 'any job still running on it is stopped',
};

/** true/false when the live state says so for this name, undefined when it does not describe it. */
export function existsLive({ type, parts }: ResolvedCreated, names: ResolvedNames, live: LiveState): boolean | undefined {
  const is = (expected: NameParts) => expected.length === parts.length && expected.every((p, i) => p === parts[i]);
  switch (type) {
    case 'TASK': return is(names.task) ? live.task !== undefined : undefined;
    case 'SERVICE': return is(names.service) ? live.service !== undefined : undefined;
    case 'STREAM': return is(names.stream) ? live.stream !== undefined : is(names.pendingStream) ? live.pendingStream !== undefined : undefined;
    case 'SECRET': return is(names.secret) ? live.secret !== undefined : undefined;
    case 'INTEGRATION': return is(names.integration) ? live.integration !== undefined : undefined;
    case 'NETWORK RULE': return is(names.networkRule) ? live.networkRule !== undefined : undefined;
    case 'VIEW': return is(names.view) ? live.view !== undefined : undefined;
    case 'IMAGE REPOSITORY': return is(names.imageRepository) ? live.imageRepository !== undefined : undefined;
    case 'COMPUTE POOL': return is(names.computePool) ? live.computePool !== undefined : undefined;
    case 'TABLE':
      if (is(names.credentialsTable)) return live.credentialsTable !== undefined;
      if (is(names.pendingTable)) return live.pendingTable !== undefined;
      if (names.stateTables.some(is)) return live.stateTables.includes(parts[2] as string);
      return undefined;
  }
}

/** `live` null = not connected (dry run without a connection): every recorded object is dropped IF EXISTS. */
export function planUninstall(install: ResolvedInstall, live: LiveState | null, options: PlanUninstallOptions = {}): Plan {
  const plan = new PlanBuilder();
  const ordered = [...install.created].sort((a, b) => DROP_ORDER.indexOf(a.type) - DROP_ORDER.indexOf(b.type));
  // Each task's jobs right after it, once (syncs without a fixed job NAME share the `JOB_…` ones); the note once.
  const planned = new Set<string>();
  let noted = false;
  const jobsAfterTask = (task: NameParts) => {
    const jobs = live === null ? undefined : options.jobServices === undefined ? [] : options.jobServices;
    if (jobs === undefined || jobs === null) {
      if (!noted) planJobServices(plan, jobs);
      noted = true;
      return;
    }
    const jobName = taskJobName(install, task);
    const sharing = jobName === null ? keptTasksRunningGeneratedJobs(install) : [];
    if (sharing.length > 0) {
      plan.note(`Kept the job services named JOB_… on the pool: the task of sync(s) ${sharing.join(', ')}, which stay, runs jobs named so too, and SHOW JOB SERVICES does not say which task ran which; they expire after 30 days.`);
      return;
    }
    const fresh = jobs.filter((job) => isJobOfTask(job, jobName) && !planned.has(renderQualifiedName(job.name)));
    for (const job of fresh) planned.add(renderQualifiedName(job.name));
    planJobServices(plan, fresh);
  };
  for (const object of ordered) {
    const { parts } = object;
    const shown = renderQualifiedName(parts);
    if (object.type === 'VIEW' && !options.dropView) {
      plan.note(`Kept view ${shown} (your SELECT); drop it yourself with DROP VIEW ${shown}; if you no longer need it.`);
      continue;
    }
    if (live && existsLive(object, install.names, live) === false) {
      plan.keep(`${object.type.toLowerCase()} ${shown} (already gone)`);
      if (object.type === 'TASK') jobsAfterTask(object.parts);
      continue;
    }
    if (object.type === 'COMPUTE POOL') {
      plan.add(sqlStep({ id: `stop:${object.type}:${shown}`, action: 'change', object: { type: object.type, name: parts }, summary: `stop all jobs on compute pool ${shown}`, template: 'compute-pool-stop', data: { name: parts }, requires: forOwner(object.type, parts, 'alter') }));
    }
    const loss = LOSSES[object.type];
    plan.add(
      sqlStep({
        id: `drop:${object.type}:${shown}`,
        action: 'drop',
        object: { type: object.type, name: parts },
        summary: `${object.type.toLowerCase()} ${shown}`,
        template: 'drop',
        data: { objectType: object.type, name: parts },
        requires: forOwner(object.type, parts, 'drop'),
        ...(loss ? { destructive: true, warning: loss } : {}),
      }),
    );
    if (object.type === 'TASK') jobsAfterTask(object.parts);
  }
  planChangeTrackingOff(install, options.disableChangeTracking === true, plan);
  plan.note('Kept on purpose: your source data, the target schema, and any compute pool, image repository or integration init reused rather than created.');
  return { command: 'uninstall', steps: plan.steps, unchanged: plan.unchanged, notes: plan.notes, imageTag: null };
}

/**
 * Change tracking init turned on: off with --disable-change-tracking (ALTER … SET CHANGE_TRACKING = FALSE, by the
 * owner: https://docs.snowflake.com/en/user-guide/streams-manage), otherwise kept and said so (other streams
 * may rely on it).
 */
function planChangeTrackingOff(install: ResolvedInstall, disable: boolean, plan: PlanBuilder): void {
  const enabled = install.config.changeTrackingEnabled ?? [];
  if (enabled.length === 0) return;
  if (!disable) {
    plan.note(`Kept change tracking on ${enabled.map((e) => `${e.type.toLowerCase()} ${e.name}`).join(', ')} (init turned it on; other streams may use it): \`batch-snowflake uninstall --disable-change-tracking\` turns it off.`);
    return;
  }
  for (const entry of enabled) {
    const parts = parseQualifiedName(entry.name, `${entry.type.toLowerCase()} name in batch-snowflake.json`, [1, 2, 3]);
    plan.add(sqlStep({
      id: `change-tracking-off:${entry.type}:${entry.name}`,
      action: 'change',
      object: { type: entry.type, name: parts },
      summary: `change tracking off on ${entry.type.toLowerCase()} ${entry.name}`,
      template: entry.type === 'TABLE' ? 'table-change-tracking' : 'view-change-tracking',
      data: { name: parts, off: true },
      requires: forOwner(entry.type, parts, 'alter'),
    }));
  }
}

/** The fixed job NAME of the sync whose task this is (null: its jobs are `JOB_…`); the install's own when no sync names it. */
function taskJobName(install: ResolvedInstall, task: NameParts): NameParts | null {
  const same = (parts: NameParts) => renderQualifiedName(parts) === renderQualifiedName(task);
  for (const { name } of install.config.syncs) {
    const { names } = resolveInstall(install.config, name);
    if (same(names.task)) return names.jobName;
  }
  return install.names.jobName;
}

/**
 * Removing one sync (uninstall --sync / init --remove-sync): the syncs that stay, have their task installed and
 * no fixed job NAME, so their jobs are `JOB_…` like the removed sync's.
 */
function keptTasksRunningGeneratedJobs(install: ResolvedInstall): string[] {
  const key = (parts: NameParts) => parts.join('.');
  const dropped = new Set(install.created.filter((c) => c.type === 'TASK').map((c) => key(c.parts)));
  const recorded = new Set(install.config.created.filter((c) => c.type === 'TASK').map((c) => key(parseQualifiedName(c.name, 'task name in batch-snowflake.json', [1, 2, 3]))));
  return install.config.syncs.flatMap(({ name }) => {
    const { names } = resolveInstall(install.config, name);
    return names.jobName === null && recorded.has(key(names.task)) && !dropped.has(key(names.task)) ? [name] : [];
  });
}

/** DROP SERVICE for each job the task ran (reference §3.5: OWNERSHIP, which the task's owner role has). */
function planJobServices(plan: PlanBuilder, jobs: TaskJobService[] | null | undefined): void {
  if (jobs === undefined) {
    plan.note('Job services the task ran (JOB_…) are looked for only with a connection; they are dropped by `batch-snowflake uninstall`.');
    return;
  }
  if (jobs === null) {
    plan.note('SHOW JOB SERVICES is not available here: job services the task ran (JOB_…) were not looked for; they expire after 30 days.');
    return;
  }
  for (const job of jobs) {
    const shown = renderQualifiedName(job.name);
    const running = ['PENDING', 'RUNNING'].includes(job.status.toUpperCase());
    plan.add(
      sqlStep({
        id: `drop:SERVICE:${shown}`,
        action: 'drop',
        object: { type: 'SERVICE', name: job.name },
        summary: `job service ${shown} (${job.status.toLowerCase() || 'status unknown'})`,
        template: 'drop',
        data: { objectType: 'SERVICE', name: job.name },
        requires: forOwner('SERVICE', job.name, 'drop'),
        ...(running ? { destructive: true, warning: 'this sync run is stopped before it finishes' } : {}),
      }),
    );
  }
}

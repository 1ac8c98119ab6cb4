/**
 * The worker image (docker login/build/push), the task that runs it as a job service, and resume/run-now.
 *
 * NAME on EXECUTE JOB SERVICE is omitted by default: whether an hourly rerun with the same NAME fails with
 * "already exists" while the previous job's metadata is kept (30 days) is UNCONFIRMED (reference §3.1), and a
 * single-statement task body cannot DROP SERVICE first. Snowflake then names each job JOB_<uuid>;
 * TASK_HISTORY.SPCS_JOB_ID links a run to its job (§5.3). `names.jobName` opts in to a fixed NAME.
 */
import { eventWorkerArgs } from '../config/event-answers.js';
import { usageError } from '../../shared/errors.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import { DEFAULT_SYNC_NAME } from '../../shared/state/sync-names.js';
import { renderTemplate } from './sql-templates.js';
import { DEFAULT_BATCH_API_HOST, scheduleMode, type InitAnswers, type WorkerSettings } from '../config/answers.js';
import { batchApiUrl } from '../config/batch-api-host.js';
import { OBJECT_COMMENT, PlanBuilder, show, sqlStep, withFingerprint } from './builder.js';
import type { LiveState } from './live-state.js';
import type { ResolvedNames } from './names.js';
import { forImagePush, forPendingMarker, forTask, forTaskOperate } from './requirements.js';
import type { DockerBuildStep, DockerLoginStep, DockerPushStep, ImageRef } from './types.js';

export const WORKER_IMAGE_NAME = 'batch-snowflake-worker';

/**
 * A serverless triggered task must set TARGET_COMPLETION_INTERVAL (https://docs.snowflake.com/en/user-guide/tasks-triggered);
 * Snowflake sizes the task's compute to finish within it. The body only waits for the job on the compute pool,
 * so the smallest size does; 10 minutes is well above a usual run.
 */
export const TRIGGERED_TARGET_COMPLETION_INTERVAL = '10 MINUTES';

export function resolveImage(answers: InitAnswers, names: ResolvedNames, live: LiveState, deployedTag: string | undefined): ImageRef {
  const tag = answers.imageTag ?? deployedTag;
  if (!tag) {
    throw usageError('IMAGE_TAG_MISSING', 'No worker image tag: nothing was deployed before and no --image-tag was given.', {
      suggestion: 'Pass --image-tag TAG (e.g. the package version), or drop --skip-image to build and push the worker image.',
    });
  }
  return workerImage(names, tag, live.imageRepository?.url ?? null);
}

export function workerImage(names: Pick<ResolvedNames, 'imageRepository'>, tag: string, repositoryUrl: string | null): ImageRef {
  // Repository paths are lowercase in image references (§2.4); the names are unquotable so this is lossless.
  const path = names.imageRepository.map((p) => p.toLowerCase()).join('/');
  return { repository: names.imageRepository, repositoryUrl, name: WORKER_IMAGE_NAME, tag, specPath: `/${path}/${WORKER_IMAGE_NAME}:${tag}` };
}

/**
 * The worker trims each item of a column list and unquotes "…" items (worker/options.ts splitColumnList), so a
 * name with surrounding spaces or a leading quote is passed quoted to arrive exactly.
 */
function columnListItem(name: string): string {
  return name === name.trim() && !name.startsWith('"') ? name : `"${name.replaceAll('"', '""')}"`;
}

/**
 * Arguments of Batch's job (seed step 4), same names; identifiers as SQL text, columns as exact names; plus
 * --state-schema so the worker's outbox/runs/rejected tables land in the target schema that uninstall cleans.
 */
export function workerArgs(answers: InitAnswers, names: ResolvedNames): string[] {
  const args = ['--project-key', answers.projectKey, '--source-stream', renderQualifiedName(names.stream), '--id-column', answers.idColumn];
  if (answers.dateColumns.length > 0) args.push('--date-columns', answers.dateColumns.map(columnListItem).join(','));
  if (answers.urlColumns.length > 0) args.push('--url-columns', answers.urlColumns.map(columnListItem).join(','));
  if (answers.credentials === 'table') args.push('--api-credentials-table', renderQualifiedName(names.credentialsTable));
  args.push('--state-schema', renderQualifiedName(names.schema));
  if (names.sync !== DEFAULT_SYNC_NAME) args.push('--sync-name', names.sync);
  // The marker exists for the task's WHEN only: an external install has neither (planExternal creates none).
  if (answers.skipEmptyRuns && answers.runner === 'spcs') args.push('--pending-marker');
  if (answers.kind === 'event' && answers.event) args.push(...eventWorkerArgs(answers.event, columnListItem));
  args.push(...workerSettingArgs(answers.worker));
  return args;
}

/** The worker's own options, only where they differ from its defaults (so an unchanged task keeps its text). */
export function workerSettingArgs(worker: WorkerSettings): string[] {
  const args: string[] = [];
  if (worker.nullPolicy !== 'skip') args.push('--null-policy', worker.nullPolicy);
  if (worker.deletePolicy !== 'ignore') args.push('--delete-policy', worker.deletePolicy);
  if (worker.endpoint !== 'auto') args.push('--endpoint', worker.endpoint);
  const numbers: Array<[string, number | undefined]> = [
    ['--mass-update-threshold', worker.massUpdateThreshold],
    ['--mass-update-rate', worker.massUpdateRate],
    ['--rate', worker.rate],
    ['--burst', worker.burst],
    ['--concurrency', worker.concurrency],
  ];
  for (const [flag, value] of numbers) if (value !== undefined) args.push(flag, String(value));
  return args;
}

export function workerEnv(answers: InitAnswers, names: ResolvedNames): Array<{ name: string; value: string }> {
  const env = [
    { name: 'SNOWFLAKE_ROLE', value: names.role[0] as string },
    // Snowflake sets SNOWFLAKE_DATABASE/SCHEMA in the container but not SNOWFLAKE_WAREHOUSE (§3.3).
    { name: 'SNOWFLAKE_WAREHOUSE', value: names.warehouse[0] as string },
  ];
  if (answers.batchApiHost !== DEFAULT_BATCH_API_HOST) env.push({ name: 'BATCH_API_URL', value: batchApiUrl(answers.batchApiHost) });
  return env;
}

export { batchApiUrl, batchHostFromUrl } from '../config/batch-api-host.js';

/** The worker's service specification (a job's, or with `extraArgs` the long-running service's), indented by `indent`. */
export function renderSpec(answers: InitAnswers, names: ResolvedNames, image: ImageRef, indent: string, extraArgs: string[] = []): string {
  const spec = renderTemplate('task-spec', {
    image: image.specPath,
    args: [...workerArgs(answers, names), ...extraArgs],
    env: workerEnv(answers, names),
    secret: answers.credentials === 'secret' ? renderQualifiedName(names.secret) : null,
  });
  return spec.split('\n').map((line) => `${indent}${line}`).join('\n');
}

export function renderTaskSql(answers: InitAnswers, names: ResolvedNames, image: ImageRef): { sql: string; comment: string } {
  const indented = renderSpec(answers, names, image, '    ');
  const triggered = scheduleMode(answers.schedule) === 'triggered';
  // A triggered task always checks the stream (and the marker when there is one): that is what starts it.
  const when = answers.skipEmptyRuns || triggered;
  const rendered = withFingerprint((comment) =>
    renderTemplate('task', {
      name: names.task,
      warehouse: names.warehouse,
      schedule: triggered ? null : answers.schedule,
      targetCompletionInterval: triggered ? TRIGGERED_TARGET_COMPLETION_INTERVAL : null,
      comment,
      whenStream: when ? names.stream : null,
      whenPending: answers.skipEmptyRuns ? names.pendingStream : null,
      computePool: names.computePool,
      jobName: names.jobName,
      integrations: [names.integration],
      spec: indented,
    }),
  );
  // The only `$$` allowed are the delimiters of the specification (a name containing `$$` could confuse them).
  if (rendered.sql.split('$$').length !== 3) {
    throw usageError('DOLLAR_QUOTE_IN_NAME', 'A name used in the task (task, stream, warehouse, compute pool, integration) contains "$$", which cannot appear next to the task\'s $$-quoted specification.', {
      suggestion: 'Rename the object without "$$".',
    });
  }
  return rendered;
}

export function planImage(answers: InitAnswers, names: ResolvedNames, live: LiveState, image: ImageRef, plan: PlanBuilder): void {
  const present = live.imageRepository?.imageTags.includes(image.tag) ?? false;
  if (answers.skipImage) {
    if (live.imageRepository && !present) plan.note(`Image ${image.specPath} was not found in ${show(names.imageRepository)}; the task will fail until it is pushed.`);
    else plan.keep(`worker image ${image.specPath} (--skip-image)`);
    return;
  }
  if (present) return plan.keep(`worker image ${image.specPath}`);
  for (const step of imageSteps(image, names)) plan.add(step);
}

/** Where the push goes, with the registry host once the repository exists (SHOW IMAGE REPOSITORIES repository_url). */
function pushTarget(image: ImageRef): string {
  if (image.repositoryUrl) return `${image.repositoryUrl.toLowerCase()}/${image.name}:${image.tag}`;
  // The host is the repository's (repository_url), unknown until this plan creates it: say so rather than print a bare `/db/…` path.
  return `<registry host>${image.specPath} (the registry host of ${show(image.repository)}, known once this plan creates it)`;
}

/** Login, build, push of the worker image: init's image steps, and `batch-snowflake image build --push`. */
export function imageSteps(image: ImageRef, names: Pick<ResolvedNames, 'imageRepository'>): [DockerLoginStep, DockerBuildStep, DockerPushStep] {
  const base = { action: 'create' as const, image };
  // Login first: a refused login (wrong password or token, no access) fails in seconds, before the build.
  return [
    { ...base, kind: 'docker-login', id: 'docker-login', summary: `docker login to the registry of ${show(names.imageRepository)}`, requires: [] },
    { ...base, kind: 'docker-build', id: 'docker-build', summary: `build worker image ${WORKER_IMAGE_NAME}:${image.tag} (linux/amd64)`, platform: 'linux/amd64', dockerfile: 'worker/Dockerfile', context: '.', requires: [] },
    { ...base, kind: 'docker-push', id: 'docker-push', summary: `push ${pushTarget(image)}`, requires: forImagePush(names) },
  ];
}

/**
 * Why the task's WHEN also checks a second stream. `WHEN SYSTEM$STREAM_HAS_DATA(view stream)` alone skips every
 * run once a failed run has moved the changes into the outbox (the capture consumed the view stream), so they
 * would wait for an unrelated new change (issue 12 §1). The WHEN clause cannot look at the outbox itself: only
 * SYSTEM$STREAM_HAS_DATA, SYSTEM$GET_PREDECESSOR_RETURN_VALUE, Boolean/comparison operators and casts are
 * allowed, because it is evaluated in the cloud services layer without a warehouse
 * (https://docs.snowflake.com/en/sql-reference/sql/create-task, parameter WHEN; its example ORs two streams).
 * So the worker keeps a marker: it inserts a row into BATCH_SYNC_PENDING when a run starts and, only when the
 * run ends with an empty outbox, deletes the rows and consumes the append-only stream on it. A run that fails
 * (or is killed) leaves the marker, so the next scheduled run or `run` starts; with nothing captured and
 * nothing pending both streams are empty and the run is skipped without starting a warehouse or the job.
 */
export function planPendingMarker(names: ResolvedNames, live: LiveState, plan: PlanBuilder): void {
  if (!live.pendingTable) {
    plan.add(sqlStep({ id: 'pending-table', action: 'create', object: { type: 'TABLE', name: names.pendingTable }, summary: `pending-changes marker table ${show(names.pendingTable)}`, template: 'pending-table', data: { name: names.pendingTable, comment: OBJECT_COMMENT }, requires: forPendingMarker(names) }));
  }
  const replace = live.pendingStream?.stale === true || (live.pendingStream !== undefined && !live.pendingTable);
  if (!live.pendingStream || replace) {
    plan.add(sqlStep({ id: 'pending-stream', action: live.pendingStream ? 'change' : 'create', object: { type: 'STREAM', name: names.pendingStream }, summary: `stream ${show(names.pendingStream)} on the marker${replace ? ' (recreated)' : ''}`, template: 'pending-stream', data: { name: names.pendingStream, table: names.pendingTable, replace, comment: OBJECT_COMMENT }, requires: forPendingMarker(names) }));
  }
  if (live.pendingTable && live.pendingStream && !replace) plan.keep(`pending-changes marker ${show(names.pendingTable)} and its stream`);
}

/** How the task starts, for plan lines: `every 60 MINUTE`, `triggered when … has data`. */
export function scheduleText(schedule: string): string {
  if (schedule === 'triggered') return 'triggered when its stream has data (runs at least USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS apart, 30 s by default)';
  if (schedule === 'continuous') return 'continuous (a long-running service)';
  return `every ${schedule}`;
}

export function planTask(answers: InitAnswers, names: ResolvedNames, live: LiveState, image: ImageRef, runNow: boolean, plan: PlanBuilder): void {
  if (answers.skipEmptyRuns) planPendingMarker(names, live, plan);
  const { sql, comment } = renderTaskSql(answers, names, image);
  const task = live.task;
  const unchanged = task?.comment === comment;
  const how = scheduleText(answers.schedule);
  if (unchanged) plan.keep(`task ${show(names.task)} (${how.replace(/^every /, '')})`);
  else {
    if (task?.state === 'started') {
      plan.add(sqlStep({ id: 'task-suspend', action: 'change', object: { type: 'TASK', name: names.task }, summary: `suspend task ${show(names.task)} while it is replaced`, template: 'task-suspend', data: { name: names.task }, requires: forTaskOperate(names) }));
    }
    plan.add({ kind: 'sql', id: 'task', action: task ? 'change' : 'create', object: { type: 'TASK', name: names.task }, summary: `task ${show(names.task)} ${how}${answers.skipEmptyRuns && how.startsWith('every') ? ', skipped when the stream is empty and nothing is pending' : ''}`, sql, requires: forTask(names, answers.credentials) });
  }
  if (!unchanged || task?.state !== 'started') {
    const why = task?.lastSuspendedReason ? ` (suspended: ${task.lastSuspendedReason})` : '';
    plan.add({ kind: 'task-resume', id: 'task-resume', action: 'change', task: names.task, summary: `resume task ${show(names.task)}${unchanged ? why : ''}`, sql: renderTemplate('task-resume', { name: names.task }), requires: forTaskOperate(names) });
  }
  if (runNow) {
    plan.add({ kind: 'run-now', id: 'run-now', action: 'change', task: names.task, summary: `run task ${show(names.task)} once now`, sql: renderTemplate('execute-task', { name: names.task }), requires: forTaskOperate(names) });
  }
}

/**
 * Every object name the plan uses, resolved to exact parts once (so templates, privileges and comparisons all
 * agree). One-part names of schema objects live in the target schema. The boundary: the wizard (and the
 * operate commands, from batch-snowflake.json) call resolveAnswers / resolveNames once; the planner, the
 * introspection and the executor work on the typed names only.
 */
import { usageError } from '../../shared/errors.js';
import { parseQualifiedName, requireSimpleNames, type NameParts } from '../../shared/sql/identifiers.js';
import { DEFAULT_OBJECT_NAMES, InitAnswersSchema, PENDING_MARKER_NAMES, stateTableNames, type InitAnswers } from '../config/answers.js';
import { answersOf, type CreatedObject, type ProjectConfig } from '../config/project-config.js';
import { DEFAULT_SYNC_NAME, perSyncName } from '../../shared/state/sync-names.js';

export interface ResolvedNames {
  database: NameParts;
  schema: NameParts;
  view: NameParts;
  stream: NameParts;
  task: NameParts;
  /** The long-running service of the `continuous` schedule. */
  service: NameParts;
  networkRule: NameParts;
  integration: NameParts;
  secret: NameParts;
  credentialsTable: NameParts;
  imageRepository: NameParts;
  computePool: NameParts;
  warehouse: NameParts;
  role: NameParts;
  jobName: NameParts | null;
  /** This sync's outbox, then the state tables every sync shares (runs, rejected, control). */
  stateTables: NameParts[];
  /** This sync's outbox (BATCH_SYNC_OUTBOX, or BATCH_SYNC_EVENTS_OUTBOX for an event sync; `__<SYNC>` added but for the sync named default). */
  outbox: NameParts;
  /** The sync these names are for (the worker's --sync-name). */
  sync: string;
  /** The pending-changes marker table and its append-only stream (PENDING_MARKER_NAMES). */
  pendingTable: NameParts;
  pendingStream: NameParts;
  /** This sync's ALERTs (issue 17 §2), in the target schema; created only when the project has alert destinations. */
  alerts: Record<AlertKind, NameParts>;
  /** The project's notification integrations (account-level) and the SECRET holding the webhook's secret part. */
  alertEmailIntegration: NameParts;
  alertWebhookIntegration: NameParts;
  alertWebhookSecret: NameParts;
}

export const ALERT_KINDS = ['runFailed', 'rejects', 'noSuccess', 'streamStale'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
const ALERT_BASE_NAMES: Record<AlertKind, string> = {
  runFailed: 'BATCH_SYNC_ALERT_RUN_FAILED',
  rejects: 'BATCH_SYNC_ALERT_REJECTS',
  noSuccess: 'BATCH_SYNC_ALERT_NO_SUCCESS',
  streamStale: 'BATCH_SYNC_ALERT_STREAM_STALE',
};

function inTarget(target: NameParts, input: string, what: string): NameParts {
  const parts = parseQualifiedName(input, what, [1, 3]);
  return parts.length === 1 ? [...target, ...parts] : parts;
}

/**
 * `syncName`: the sync these answers are for; its stream, task, pending marker and outbox default to
 * per-sync names (shared/state/sync-names.ts), everything else is the project's.
 */
export function resolveNames(answers: InitAnswers, syncName: string = DEFAULT_SYNC_NAME): ResolvedNames {
  const own = (base: string) => perSyncName(base, syncName);
  const target = parseQualifiedName(answers.target, 'target schema', 2);
  const [database] = target as [string, string];
  const names = answers.names;
  const view =
    answers.source.kind === 'view'
      ? parseQualifiedName(answers.source.view, 'view', 3)
      : inTarget(target, answers.source.viewName, 'view name');
  const imageRepository = inTarget(target, answers.imageRepository, 'image repository');
  // Image repositories (and their database and schema) and compute pools cannot have quoted names (§2.2, §2.3).
  requireSimpleNames(imageRepository, 'image repository');
  const computePool = parseQualifiedName(answers.computePool, 'compute pool', 1);
  requireSimpleNames(computePool, 'compute pool');
  const jobName = names.jobName === undefined ? null : parseQualifiedName(names.jobName, 'job name', 1);
  if (jobName) requireSimpleNames(jobName, 'job');
  const [outboxBase, ...shared] = stateTableNames(answers.kind) as [string, ...string[]];
  const outbox = [...target, own(outboxBase)];
  return {
    database: [database],
    schema: target,
    view,
    stream: inTarget(target, names.stream ?? own(DEFAULT_OBJECT_NAMES.stream), 'stream'),
    task: inTarget(target, names.task ?? own(DEFAULT_OBJECT_NAMES.task), 'task'),
    service: [...target, own(DEFAULT_OBJECT_NAMES.service)],
    networkRule: inTarget(target, names.networkRule ?? DEFAULT_OBJECT_NAMES.networkRule, 'network rule'),
    integration: parseQualifiedName(names.integration ?? DEFAULT_OBJECT_NAMES.integration, 'integration', 1),
    secret: inTarget(target, names.secret ?? DEFAULT_OBJECT_NAMES.secret, 'secret'),
    credentialsTable: inTarget(target, names.credentialsTable ?? DEFAULT_OBJECT_NAMES.credentialsTable, 'credentials table'),
    imageRepository,
    computePool,
    warehouse: parseQualifiedName(answers.warehouse, 'warehouse', 1),
    role: parseQualifiedName(answers.role, 'role', 1),
    jobName,
    stateTables: [outbox, ...shared.map((table) => [...target, table])],
    outbox,
    sync: syncName,
    pendingTable: [...target, own(PENDING_MARKER_NAMES.table)],
    pendingStream: [...target, own(PENDING_MARKER_NAMES.stream)],
    alerts: Object.fromEntries(ALERT_KINDS.map((kind) => [kind, [...target, own(ALERT_BASE_NAMES[kind])]])) as unknown as Record<AlertKind, NameParts>,
    alertEmailIntegration: ['BATCH_SYNC_ALERT_EMAIL'],
    alertWebhookIntegration: ['BATCH_SYNC_ALERT_WEBHOOK'],
    alertWebhookSecret: [...target, 'BATCH_SYNC_ALERT_WEBHOOK_SECRET'],
  };
}

/** The schema (DB.SCHEMA) that holds a 3-part object. */
export function schemaOf(parts: NameParts): NameParts {
  return parts.slice(0, 2);
}

/** Validates answers from flags/prompts/config; throws a usage error listing every problem. */
export function parseInitAnswers(input: unknown): InitAnswers {
  const parsed = InitAnswersSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(answers)'}: ${i.message}`);
  throw usageError('INVALID_ANSWERS', `Invalid setup answers:\n${problems.join('\n')}`, {
    suggestion: 'Fix the flags listed above (see `batch-snowflake init --help`), or the answers in batch-snowflake.json.',
  });
}

/** Answers validated, with every object name parsed to exact parts: what the planner takes. */
export interface ResolvedAnswers {
  /** The sync these answers are for. */
  sync: string;
  answers: InitAnswers;
  names: ResolvedNames;
}

/** Validates answers from flags/prompts/config and resolves their names, once, before planning. */
export function resolveAnswers(input: unknown, sync: string = DEFAULT_SYNC_NAME): ResolvedAnswers {
  const answers = parseInitAnswers(input);
  return { sync, answers, names: resolveNames(answers, sync) };
}

/** An object batch-snowflake.json records as created, with its name parsed. */
export interface ResolvedCreated extends CreatedObject {
  parts: NameParts;
}

/** A saved install with every name parsed once (from batch-snowflake.json, for the operate commands and uninstall). */
export interface ResolvedInstall {
  config: ProjectConfig;
  /** The sync this view of the install is about, and its answers (project's + its own). */
  sync: string;
  answers: InitAnswers;
  names: ResolvedNames;
  created: ResolvedCreated[];
}

/** One sync of a saved install (the first one when `sync` is not given). */
export function resolveInstall(config: ProjectConfig, sync: string = config.syncs[0]!.name): ResolvedInstall {
  const created = config.created.map((object) => ({
    ...object,
    parts: parseQualifiedName(object.name, `${object.type.toLowerCase()} name in batch-snowflake.json`, [1, 2, 3]),
  }));
  const answers = answersOf(config, sync);
  if (!answers) throw unknownSync(config, sync);
  return { config, sync, answers, names: resolveNames(answers, sync), created };
}

export function unknownSync(config: ProjectConfig, sync: string) {
  const known = config.syncs.map((s) => s.name);
  return usageError('SYNC_UNKNOWN', `No sync named "${sync}" in batch-snowflake.json (syncs: ${known.join(', ')}).`, {
    suggestion: `Pass --sync with one of: ${known.join(', ')}; or add it with \`batch-snowflake init --sync ${sync}\`.`,
    details: { sync, syncs: known },
  });
}

/** The objects that belong to one sync alone (dropped when it is removed); everything else is shared. */
export function syncOwnObjects(names: ResolvedNames, answers: InitAnswers): Array<{ type: CreatedObject['type']; name: NameParts }> {
  return [
    { type: 'TASK', name: names.task },
    { type: 'SERVICE', name: names.service },
    { type: 'STREAM', name: names.stream },
    { type: 'STREAM', name: names.pendingStream },
    { type: 'TABLE', name: names.pendingTable },
    { type: 'TABLE', name: names.outbox },
    ...ALERT_KINDS.map((kind) => ({ type: 'ALERT' as const, name: names.alerts[kind] })),
    ...(answers.source.kind === 'select' ? [{ type: 'VIEW' as const, name: names.view }] : []),
  ];
}

/**
 * Two syncs may not share a stream, task, marker, outbox or view made from a SELECT (their own objects), and
 * none of those may be a shared object: refused before planning, with the sync names and the object.
 */
export function checkSyncNames(resolved: readonly ResolvedAnswers[]): void {
  const owner = new Map<string, string>();
  for (const { sync, answers, names } of resolved) {
    for (const object of syncOwnObjects(names, answers)) {
      const key = object.name.join('\u0000');
      const other = owner.get(key);
      if (other !== undefined && other !== sync) {
        throw usageError('SYNC_NAME_COLLISION', `Syncs "${other}" and "${sync}" would both use ${object.type.toLowerCase()} ${parseShown(object.name)}.`, {
          suggestion: 'Give one of them other object names (names.stream / names.task in its entry of batch-snowflake.json), or another --view-name.',
        });
      }
      owner.set(key, sync);
    }
  }
}

const parseShown = (parts: NameParts) => parts.join('.');

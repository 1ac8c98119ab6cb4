/**
 * Every object name the plan uses, resolved to exact parts once (so templates, privileges and comparisons all
 * agree). One-part names of schema objects live in the target schema. The boundary: the wizard (and the
 * operate commands, from batch-snowflake.json) call resolveAnswers / resolveNames once; the planner, the
 * introspection and the executor work on the typed names only.
 */
import { usageError } from '../../shared/errors.js';
import { parseQualifiedName, requireSimpleNames, type NameParts } from '../../shared/sql/identifiers.js';
import { DEFAULT_OBJECT_NAMES, InitAnswersSchema, PENDING_MARKER_NAMES, stateTableNames, type InitAnswers } from '../config/answers.js';
import type { CreatedObject, ProjectConfig } from '../config/project-config.js';

export interface ResolvedNames {
  database: NameParts;
  schema: NameParts;
  view: NameParts;
  stream: NameParts;
  task: NameParts;
  networkRule: NameParts;
  integration: NameParts;
  secret: NameParts;
  credentialsTable: NameParts;
  imageRepository: NameParts;
  computePool: NameParts;
  warehouse: NameParts;
  role: NameParts;
  jobName: NameParts | null;
  stateTables: NameParts[];
  /** The pending-changes marker table and its append-only stream (PENDING_MARKER_NAMES). */
  pendingTable: NameParts;
  pendingStream: NameParts;
}

function inTarget(target: NameParts, input: string, what: string): NameParts {
  const parts = parseQualifiedName(input, what, [1, 3]);
  return parts.length === 1 ? [...target, ...parts] : parts;
}

export function resolveNames(answers: InitAnswers): ResolvedNames {
  const target = parseQualifiedName(answers.target, 'target schema', 2);
  const [database, schema] = target as [string, string];
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
  return {
    database: [database],
    schema: target,
    view,
    stream: inTarget(target, names.stream ?? DEFAULT_OBJECT_NAMES.stream, 'stream'),
    task: inTarget(target, names.task ?? DEFAULT_OBJECT_NAMES.task, 'task'),
    networkRule: inTarget(target, names.networkRule ?? DEFAULT_OBJECT_NAMES.networkRule, 'network rule'),
    integration: parseQualifiedName(names.integration ?? DEFAULT_OBJECT_NAMES.integration, 'integration', 1),
    secret: inTarget(target, names.secret ?? DEFAULT_OBJECT_NAMES.secret, 'secret'),
    credentialsTable: inTarget(target, names.credentialsTable ?? DEFAULT_OBJECT_NAMES.credentialsTable, 'credentials table'),
    imageRepository,
    computePool,
    warehouse: parseQualifiedName(answers.warehouse, 'warehouse', 1),
    role: parseQualifiedName(answers.role, 'role', 1),
    jobName,
    stateTables: stateTableNames(answers.kind).map((table) => [...target, table]),
    pendingTable: [...target, PENDING_MARKER_NAMES.table],
    pendingStream: [...target, PENDING_MARKER_NAMES.stream],
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
  answers: InitAnswers;
  names: ResolvedNames;
}

/** Validates answers from flags/prompts/config and resolves their names, once, before planning. */
export function resolveAnswers(input: unknown): ResolvedAnswers {
  const answers = parseInitAnswers(input);
  return { answers, names: resolveNames(answers) };
}

/** An object batch-snowflake.json records as created, with its name parsed. */
export interface ResolvedCreated extends CreatedObject {
  parts: NameParts;
}

/** A saved install with every name parsed once (from batch-snowflake.json, for the operate commands and uninstall). */
export interface ResolvedInstall {
  config: ProjectConfig;
  names: ResolvedNames;
  created: ResolvedCreated[];
}

export function resolveInstall(config: ProjectConfig): ResolvedInstall {
  const created = config.created.map((object) => ({
    ...object,
    parts: parseQualifiedName(object.name, `${object.type.toLowerCase()} name in batch-snowflake.json`, [1, 2, 3]),
  }));
  return { config, names: resolveNames(config.answers), created };
}

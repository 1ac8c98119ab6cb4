/**
 * Several syncs per project (issue 16 §3). batch-snowflake.json (version 2) holds what every sync shares
 * (`project`: target schema, role, warehouse, compute pool, image repository and tag, API host, credentials,
 * network rule, integration, secret) and a list of named `syncs` (kind — profile or event — with an event
 * sync's event columns, source, columns, Batch project key, schedule, worker policies, the view's columns at
 * the last apply (`syncedColumns`, for the mapping-change resync) and their own stream/task names). The planner still takes one InitAnswers per
 * sync: `syncAnswers` merges the two halves, `splitAnswers` takes them apart again.
 * A version-1 file (one sync) is migrated on read into one sync named `default`, whose objects keep their
 * historic names (shared/state/sync-names.ts), so nothing moves; it is written back as version 2 only on the
 * next apply.
 */
import { z } from 'zod';
import { DEFAULT_SYNC_NAME, syncNameProblem } from '../../shared/state/sync-names.js';
import { checkKind, InitAnswersObject, SharedNamesSchema, SyncNamesSchema, type InitAnswers } from './answers.js';
import { SYNC_KINDS, type SyncKind } from './event-answers.js';

const PROJECT_FIELDS = {
  target: true, runner: true, credentials: true, warehouse: true, role: true, computePool: true, instanceFamily: true,
  autoSuspendSecs: true, imageRepository: true, imageTag: true, skipImage: true, batchApiHost: true, alerts: true,
} as const;
const SYNC_FIELDS = {
  kind: true, event: true, source: true, idColumn: true, dateColumns: true, urlColumns: true, projectKey: true, schedule: true,
  skipEmptyRuns: true, initialSync: true, worker: true, alertRules: true,
} as const;
const SHARED_NAME_KEYS = ['networkRule', 'integration', 'secret', 'credentialsTable'] as const;
const SYNC_NAME_KEYS = ['stream', 'task', 'jobName'] as const;

export const SyncNameSchema = z.string().superRefine((value, ctx) => {
  const problem = syncNameProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid sync name "${value}": ${problem}` });
});

/** What every sync of the project shares. */
export const ProjectAnswersSchema = InitAnswersObject.pick(PROJECT_FIELDS).extend({ names: SharedNamesSchema });

/** One named sync: a profile sync or an event sync (`kind`, `event`: src/config/event-answers.ts). */
export const SyncSchema = InitAnswersObject.pick(SYNC_FIELDS)
  .extend({
    name: SyncNameSchema,
    kind: z.enum(SYNC_KINDS).default('profile'),
    names: SyncNamesSchema,
    /** The view's columns when init last applied this sync (exact names): a later init compares them (issue 20 resync). */
    syncedColumns: z.array(z.string()).optional(),
  })
  .superRefine(checkKind);

export type ProjectAnswers = z.output<typeof ProjectAnswersSchema>;
export type SyncEntry = z.output<typeof SyncSchema>;
export type { SyncKind };

/** The answers the planner takes for one sync: the project's shared answers plus the sync's own. */
export function syncAnswers(project: ProjectAnswers, sync: SyncEntry): InitAnswers {
  const { name: _name, syncedColumns: _columns, names, ...own } = sync;
  return { ...project, ...own, names: { ...project.names, ...names } };
}

function pickKeys<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out;
}

/** One sync's answers → the project half and the sync half (inverse of syncAnswers; syncedColumns: the sync's, kept). */
export function splitAnswers(answers: InitAnswers, name: string, syncedColumns?: readonly string[]): { project: ProjectAnswers; sync: SyncEntry } {
  const project = { ...pickKeys(answers, Object.keys(PROJECT_FIELDS) as Array<keyof typeof PROJECT_FIELDS>), names: pickKeys(answers.names, SHARED_NAME_KEYS) };
  const own = pickKeys(answers, Object.keys(SYNC_FIELDS) as Array<keyof typeof SYNC_FIELDS>);
  const sync = { name, ...own, kind: answers.kind, names: pickKeys(answers.names, SYNC_NAME_KEYS), ...(syncedColumns ? { syncedColumns: [...syncedColumns] } : {}) };
  return { project: project as ProjectAnswers, sync: sync as SyncEntry };
}

/** The fields of a version-1 file (one sync); version 2 moved `answers` into `project` + `syncs`. */
export interface V1Fields {
  answers: InitAnswers;
}

/** A version-1 config's answers → the project and its one sync, named `default` (so its object names stay). */
export function migrateV1Answers(answers: InitAnswers, syncedColumns?: readonly string[]): { project: ProjectAnswers; syncs: SyncEntry[] } {
  const { project, sync } = splitAnswers(answers, DEFAULT_SYNC_NAME, syncedColumns);
  return { project, syncs: [sync] };
}

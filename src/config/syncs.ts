/**
 * Several syncs per project (issue 16 §3). batch-snowflake.json (version 2) holds what every sync shares
 * (`project`: target schema, role, warehouse, compute pool, image repository and tag, API host, credentials,
 * network rule, integration, secret) and a list of named `syncs` (kind, source, columns, Batch project key,
 * schedule, worker policies, and their own stream/task names). The planner still takes one InitAnswers per
 * sync: `syncAnswers` merges the two halves, `splitAnswers` takes them apart again.
 * A version-1 file (one sync) is migrated on read into one sync named `default`, whose objects keep their
 * historic names (shared/state/sync-names.ts), so nothing moves; it is written back as version 2 only on the
 * next apply.
 */
import { z } from 'zod';
import { DEFAULT_SYNC_NAME, syncNameProblem } from '../../shared/state/sync-names.js';
import { InitAnswersSchema, SharedNamesSchema, SyncNamesSchema, type InitAnswers } from './answers.js';

const PROJECT_FIELDS = {
  target: true, runner: true, credentials: true, warehouse: true, role: true, computePool: true, instanceFamily: true,
  autoSuspendSecs: true, imageRepository: true, imageTag: true, skipImage: true, batchApiHost: true,
} as const;
const SYNC_FIELDS = {
  source: true, idColumn: true, dateColumns: true, urlColumns: true, projectKey: true, schedule: true, skipEmptyRuns: true,
  initialSync: true, worker: true,
} as const;
const SHARED_NAME_KEYS = ['networkRule', 'integration', 'secret', 'credentialsTable'] as const;
const SYNC_NAME_KEYS = ['stream', 'task', 'jobName'] as const;

export const SyncNameSchema = z.string().superRefine((value, ctx) => {
  const problem = syncNameProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid sync name "${value}": ${problem}` });
});

/** What every sync of the project shares. */
export const ProjectAnswersSchema = InitAnswersSchema.pick(PROJECT_FIELDS).extend({ names: SharedNamesSchema });

/** One named sync. `kind` leaves room for `event` (issue 16 §1). */
export const SyncSchema = InitAnswersSchema.pick(SYNC_FIELDS).extend({
  name: SyncNameSchema,
  kind: z.enum(['profile']).default('profile'),
  names: SyncNamesSchema,
});

export type ProjectAnswers = z.output<typeof ProjectAnswersSchema>;
export type SyncEntry = z.output<typeof SyncSchema>;
export type SyncKind = SyncEntry['kind'];

/** The answers the planner takes for one sync: the project's shared answers plus the sync's own. */
export function syncAnswers(project: ProjectAnswers, sync: SyncEntry): InitAnswers {
  const { name: _name, kind: _kind, names, ...own } = sync;
  return { ...project, ...own, names: { ...project.names, ...names } };
}

function pickKeys<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out;
}

/** One sync's answers → the project half and the sync half (inverse of syncAnswers). */
export function splitAnswers(answers: InitAnswers, name: string, kind: SyncKind = 'profile'): { project: ProjectAnswers; sync: SyncEntry } {
  const project = { ...pickKeys(answers, Object.keys(PROJECT_FIELDS) as Array<keyof typeof PROJECT_FIELDS>), names: pickKeys(answers.names, SHARED_NAME_KEYS) };
  const sync = { name, kind, ...pickKeys(answers, Object.keys(SYNC_FIELDS) as Array<keyof typeof SYNC_FIELDS>), names: pickKeys(answers.names, SYNC_NAME_KEYS) };
  return { project: project as ProjectAnswers, sync: sync as SyncEntry };
}

/** The fields of a version-1 file (one sync); version 2 moved `answers` into `project` + `syncs`. */
export interface V1Fields {
  answers: InitAnswers;
}

/** A version-1 config's answers → the project and its one sync, named `default` (so its object names stay). */
export function migrateV1Answers(answers: InitAnswers): { project: ProjectAnswers; syncs: SyncEntry[] } {
  const { project, sync } = splitAnswers(answers, DEFAULT_SYNC_NAME);
  return { project, syncs: [sync] };
}

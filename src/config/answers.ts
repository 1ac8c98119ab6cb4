/**
 * The wizard's connection-independent answers: everything the planner needs, nothing secret. The same shape
 * is saved in batch-snowflake.json and filled from flags, prompts or that file.
 * Object names are written in SQL identifier syntax (`DB.SCHEMA.NAME`, `"My Schema"`); column names are the
 * exact names DESC VIEW reports (no quoting), as the worker takes them.
 */
import { z } from 'zod';
import { parseQualifiedName } from '../../shared/sql/identifiers.js';
import { DEFAULT_BATCH_API_HOST } from './batch-api-host.js';
import { EventAnswersSchema, SYNC_KINDS } from './event-answers.js';
import { AlertDestinationsSchema, AlertRulesSchema } from './alert-answers.js';

function sqlName(what: string, parts: 1 | 2 | 3 | readonly number[]) {
  return z.string().superRefine((value, ctx) => {
    try {
      parseQualifiedName(value, what, parts);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  });
}

// eslint-disable-next-line no-control-regex
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
const columnName = z.string().min(1).max(255).regex(NO_CONTROL, 'control characters are not allowed in a column name');
/** The worker takes these lists comma-separated (seed §4), so a comma cannot be part of such a name. */
const listedColumn = columnName.refine((v) => !v.includes(','), 'a date or URL column name cannot contain a comma');

/**
 * `60 MINUTE`, `1 HOUR`, `90 SECONDS`, `10 m` or `USING CRON <5 fields> <time zone>` (reference §5.1): a scheduled
 * task; `triggered`: a task that runs when the stream has data; `continuous`: a long-running service that polls it
 * (src/plan/schedule-modes.ts).
 */
export const SCHEDULE_PATTERN = /^(\d{1,6} ?(SECONDS?|MINUTES?|HOURS?|[smh])|USING CRON( \S+){5} [A-Za-z_/+\-0-9]+|triggered|continuous)$/i;

const SHORT_UNITS: Record<string, string> = { S: 'SECONDS', M: 'MINUTES', H: 'HOURS' };

/**
 * The schedule as CREATE TASK's grammar writes it: `'<num> { HOURS | MINUTES | SECONDS }'` or
 * `'USING CRON <expr> <time_zone>'` (https://docs.snowflake.com/en/sql-reference/sql/create-task). The one-letter
 * units (`10 m`) appear in a docs example only, not in the grammar, and `10m` in neither: they are written out
 * (`10 MINUTES`); the singular words are kept, as the docs' own examples use them (`'60 MINUTE'`, jobs-as-tasks).
 */
export function normalizeSchedule(schedule: string): string {
  if (/^\s*(triggered|continuous)\s*$/i.test(schedule)) return schedule.trim().toLowerCase();
  const interval = /^(\d+) ?([A-Za-z]+)$/.exec(schedule.trim());
  if (!interval) return schedule.trim().replace(/^using cron/i, 'USING CRON');
  const unit = interval[2]!.toUpperCase();
  return `${Number(interval[1])} ${SHORT_UNITS[unit] ?? unit}`;
}
export type ScheduleMode = 'scheduled' | 'triggered' | 'continuous';

/** How the sync is started: a scheduled task (interval or CRON), a triggered task, or a long-running service. */
export function scheduleMode(schedule: string): ScheduleMode {
  return schedule === 'triggered' || schedule === 'continuous' ? schedule : 'scheduled';
}

/** Docker tag grammar. */
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HOST_PORT = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?$/i;

export const DEFAULT_OBJECT_NAMES = {
  view: 'BATCH_SYNC_VIEW',
  stream: 'BATCH_SYNC_STREAM',
  task: 'BATCH_SYNC_TASK',
  networkRule: 'BATCH_API_NETWORK_RULE',
  integration: 'BATCH_API_INTEGRATION',
  secret: 'BATCH_API_KEY_SECRET',
  credentialsTable: 'BATCH_API_CREDENTIALS',
  imageRepository: 'BATCH_SYNC_REPOSITORY',
  computePool: 'BATCH_SYNC_POOL',
  /** The long-running service of the `continuous` schedule (per sync, like the task). */
  service: 'BATCH_SYNC_SERVICE',
} as const;

/** The worker's state tables (it also creates them if missing), always in the target schema. */
/** BATCH_SYNC_CONTROL holds the pause flag and the run lock (shared/state/control-table.ts). */
export const STATE_TABLE_NAMES = ['BATCH_SYNC_OUTBOX', 'BATCH_SYNC_RUNS', 'BATCH_SYNC_REJECTED', 'BATCH_SYNC_CONTROL'] as const;
/** An event sync's outbox (worker/events/capture.ts EVENTS_OUTBOX), in place of BATCH_SYNC_OUTBOX. */
export const EVENTS_OUTBOX_NAME = 'BATCH_SYNC_EVENTS_OUTBOX';

/** The state tables of a sync of this kind, in STATE_TABLE_NAMES order (the outbox first). */
export function stateTableNames(kind: 'profile' | 'event'): string[] {
  return STATE_TABLE_NAMES.map((name) => (kind === 'event' && name === 'BATCH_SYNC_OUTBOX' ? EVENTS_OUTBOX_NAME : name));
}

/**
 * The "changes still pending" marker (worker/sync/pending-marker.ts): a table the worker writes a row to at
 * the start of each run and empties once the outbox is, and an append-only stream on it that the task's WHEN
 * also checks. Created by init (the task's condition names the stream), in the target schema.
 */
export const PENDING_MARKER_NAMES = { table: 'BATCH_SYNC_PENDING', stream: 'BATCH_SYNC_PENDING_STREAM' } as const;

export { DEFAULT_BATCH_API_HOST };

export const SourceSchema = z.discriminatedUnion('kind', [
  /** An existing view, never modified (except enabling change tracking). */
  z.object({ kind: z.literal('view'), view: sqlName('view', 3) }),
  /** A SELECT that becomes a view named viewName (1 part = in the target schema). */
  z.object({ kind: z.literal('select'), sql: z.string().min(1), viewName: sqlName('view name', [1, 3]) }),
]);

/** The worker's choices init can set (same names and ranges as worker/options.ts). */
export const WorkerSettingsSchema = z.object({
  /** NULL/empty values: omitted (skip) or sent as null, which deletes the attribute in Batch (delete). */
  nullPolicy: z.enum(['skip', 'delete']).default('skip'),
  /** Rows deleted from the view: ignored, or every mapped attribute unset. */
  deletePolicy: z.enum(['ignore', 'unset']).default('ignore'),
  endpoint: z.enum(['auto', 'update', 'mass-update']).default('auto'),
  massUpdateThreshold: z.number().int().min(0).optional(),
  massUpdateRate: z.number().positive().optional(),
  rate: z.number().positive().max(1_000_000).optional(),
  burst: z.number().int().min(1).max(1_000_000).optional(),
  concurrency: z.number().int().min(1).max(64).optional(),
});
export type WorkerSettings = z.output<typeof WorkerSettingsSchema>;

/** Names of objects every sync of a project shares (src/config/syncs.ts). */
const SHARED_NAME_FIELDS = {
  networkRule: sqlName('network rule', [1, 3]),
  integration: sqlName('integration', 1),
  secret: sqlName('secret', [1, 3]),
  credentialsTable: sqlName('credentials table', [1, 3]),
};
/** Names of objects each sync has its own of (defaults: shared/state/sync-names.ts). */
const SYNC_NAME_FIELDS = {
  stream: sqlName('stream', [1, 3]),
  task: sqlName('task', [1, 3]),
  /** NAME = of EXECUTE JOB SERVICE; omitted by default (see src/plan/task-steps.ts). */
  jobName: sqlName('job name', 1),
};
export const SharedNamesSchema = z.object(SHARED_NAME_FIELDS).partial().default({});
export const SyncNamesSchema = z.object(SYNC_NAME_FIELDS).partial().default({});

/** The answers' fields (src/config/syncs.ts picks the project's and each sync's from it); InitAnswersSchema adds the kind check. */
export const InitAnswersObject = z.object({
  /** profile: view rows → profile attributes; event: one row = one Batch event (APPEND_ONLY stream, `event` below). */
  kind: z.enum(SYNC_KINDS).default('profile'),
  /** The event columns of an event sync (src/config/event-answers.ts); required when kind is event. */
  event: EventAnswersSchema.optional(),
  /** DATABASE.SCHEMA where the integration's objects live (stream, task, secret, tables, network rule). */
  target: sqlName('target schema', 2),
  source: SourceSchema,
  idColumn: columnName,
  dateColumns: z.array(listedColumn).default([]),
  urlColumns: z.array(listedColumn).default([]),
  projectKey: z.string().min(1).max(200).regex(NO_CONTROL, 'control characters are not allowed in the project key'),
  /**
   * Where the sync runs: `spcs` = a task runs the worker image on Snowpark Container Services; `external` =
   * `batch-snowflake sync` (or the worker image) run by the user's own scheduler, so nothing but the view,
   * stream, state tables and (optionally) the credentials table lives in Snowflake.
   */
  runner: z.enum(['spcs', 'external']).default('spcs'),
  /** secret (SPCS only) | table | none (external only: the key comes from the scheduler's env at each run). */
  credentials: z.enum(['secret', 'table', 'none']).default('secret'),
  /** Warehouse of the task and of the worker's queries. */
  warehouse: sqlName('warehouse', 1),
  /** Role that owns the task and runs the job (SNOWFLAKE_ROLE for the worker); not ACCOUNTADMIN (§6.3). */
  role: sqlName('role', 1),
  /** Reused when it exists, created otherwise. Account-level; unquotable name (§2.2). */
  computePool: sqlName('compute pool', 1).default(DEFAULT_OBJECT_NAMES.computePool),
  instanceFamily: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an instance family such as CPU_X64_XS').default('CPU_X64_XS'),
  /**
   * 300 s: the smallest sensible value. The pool is billed at least 5 minutes per resume (shared/cost/credits.ts
   * COMPUTE_POOL_MINIMUM_SECONDS, the stricter reading), so suspending sooner saves nothing, while a shorter
   * wait makes a retry or a `run` right after a job pay a node start again; Snowflake's default (3600 s) would
   * keep the pool of an hourly task up all the time (templates/compute-pool.sql.hbs).
   */
  autoSuspendSecs: z.number().int().min(0).max(604800).default(300),
  /** 1 part = in the target schema. Reused when it exists. */
  imageRepository: sqlName('image repository', [1, 3]).default(DEFAULT_OBJECT_NAMES.imageRepository),
  schedule: z.string().regex(SCHEDULE_PATTERN, 'a schedule such as "60 MINUTE", "USING CRON 0 * * * * UTC", "triggered" or "continuous"').default('60 MINUTE').transform(normalizeSchedule),
  /** WHEN SYSTEM$STREAM_HAS_DATA(...) on the task. */
  skipEmptyRuns: z.boolean().default(true),
  /** SHOW_INITIAL_ROWS = TRUE on the stream: send every existing row on the first run. */
  initialSync: z.boolean().default(true),
  /** Tag of the worker image to build and run; when skipImage, the tag already in the repository. */
  imageTag: z.string().regex(IMAGE_TAG, 'a docker tag ([A-Za-z0-9_.-], at most 128)').optional(),
  skipImage: z.boolean().default(false),
  batchApiHost: z.string().regex(HOST_PORT, 'a host name such as api.batch.com (optionally :port)').default(DEFAULT_BATCH_API_HOST),
  /**
   * The worker's policies and pacing (worker/options.ts), passed as its arguments by the task. Unset numbers
   * keep the worker's documented defaults (300 updates/s, burst 1000, 4 requests in flight, mass-update from
   * 10 000 pending changes at 10 000/s).
   */
  worker: WorkerSettingsSchema.default({ nullPolicy: 'skip', deletePolicy: 'ignore', endpoint: 'auto' }),
  /** Where alerts go (the project's: email and/or webhook, src/config/alert-answers.ts); none = no alerts. */
  alerts: AlertDestinationsSchema.optional(),
  /** This sync's alert thresholds (defaults DEFAULT_ALERT_RULES), used when the project has alert destinations. */
  alertRules: AlertRulesSchema.optional(),
  /** Overrides of the default object names (1 part = in the target schema; integration is account-level). */
  names: z.object({ ...SHARED_NAME_FIELDS, ...SYNC_NAME_FIELDS }).partial().default({}),
});

/** An event sync has its event columns, a profile sync none (also checked on each sync of batch-snowflake.json). */
export function checkKind(answers: { kind: 'profile' | 'event'; event?: unknown }, ctx: z.RefinementCtx): void {
  if (answers.kind === 'event' && !answers.event) ctx.addIssue({ code: 'custom', path: ['event'], message: 'an event sync needs its event columns (--event-time-column and --event-name-column or --event-name)' });
  if (answers.kind === 'profile' && answers.event) ctx.addIssue({ code: 'custom', path: ['kind'], message: 'event columns are given but kind is profile (pass --kind event)' });
}

export const InitAnswersSchema = InitAnswersObject.superRefine(checkKind);

/** Answers after defaults (what the planner reads). */
export type InitAnswers = z.output<typeof InitAnswersSchema>;
/** Answers as given (defaults optional). */
export type InitAnswersInput = z.input<typeof InitAnswersSchema>;

/**
 * A plan: the ordered, typed steps `init` (or `uninstall`) will apply. Pure data (JSON-serialisable): the
 * wizard renders it (summary, dry-run SQL, --json) and the executor runs it step by step.
 * A plan never contains a secret. SQL that needs one carries a placeholder literal and `secretSlots`; binds
 * that need one are `{ secret }` references. The executor resolves both with `fillSecrets` at apply time.
 */
import type { BindValue } from '../../shared/snowflake/types.js';
import type { NameParts } from '../../shared/sql/identifiers.js';

export type GrantObjectType =
  | 'ACCOUNT' | 'DATABASE' | 'SCHEMA' | 'WAREHOUSE' | 'VIEW' | 'TABLE' | 'STREAM' | 'TASK' | 'SECRET'
  | 'INTEGRATION' | 'NETWORK RULE' | 'COMPUTE POOL' | 'IMAGE REPOSITORY' | 'SERVICE' | 'ALERT';

export interface Privilege {
  privilege: string;
  on: GrantObjectType;
  /** Exact name parts; [] for ACCOUNT. */
  name: NameParts;
  /** Other privileges that satisfy the need too (OWNERSHIP always does). */
  anyOf?: string[];
  /** Which step needs it and why, for messages. */
  why: string;
  /** Only ownership works (change tracking): the owner runs this statement instead of a GRANT. */
  fix?: string;
  /** Only this role can grant it (EXECUTE TASK: ACCOUNTADMIN, §5.2). */
  grantor?: 'ACCOUNTADMIN';
}

export type StepAction = 'create' | 'change' | 'drop';

/**
 * Names of secrets the executor supplies: the Batch REST API key (env BATCH_REST_API_KEY, stdin or the hidden
 * prompt) and the secret part of the alert webhook URL (env BATCH_ALERT_WEBHOOK_URL or the hidden prompt).
 */
export type SecretName = 'BATCH_REST_API_KEY' | 'BATCH_ALERT_WEBHOOK_SECRET';

export type PlanBind = { value: BindValue } | { secret: SecretName };

export interface ObjectRef {
  /** SCHEMA: only the dedicated target schema, created when missing (never recorded or dropped, see record.ts). */
  type: Exclude<GrantObjectType, 'ACCOUNT' | 'DATABASE' | 'WAREHOUSE'>;
  name: NameParts;
}

interface StepBase {
  /** Stable id, e.g. `stream`, `task-resume` (unique within a plan). */
  id: string;
  action: StepAction;
  /** One line for the summary, e.g. `stream DB.SCH.BATCH_SYNC_STREAM on view DB.SCH.V`. */
  summary: string;
  /** Loses data or resends everything (e.g. stream recreate = full resync). */
  destructive?: boolean;
  /** Why it is destructive, or what the user should know. */
  warning?: string;
  requires: Privilege[];
}

export interface SqlStep extends StepBase {
  kind: 'sql';
  object: ObjectRef;
  /** One statement, no trailing semicolon. */
  sql: string;
  binds?: PlanBind[];
  /** Secrets whose placeholder literal appears in `sql` (exactly once each). */
  secretSlots?: SecretName[];
}

export interface ImageRef {
  /** The image repository, exact parts. */
  repository: NameParts;
  /** From SHOW IMAGE REPOSITORIES; null until the repository exists (resolved by the executor). */
  repositoryUrl: string | null;
  /** Image name inside the repository. */
  name: string;
  tag: string;
  /** Reference used in the service specification: /db/schema/repo/name:tag (§2.4). */
  specPath: string;
}

export interface DockerBuildStep extends StepBase {
  kind: 'docker-build';
  image: ImageRef;
  platform: 'linux/amd64';
  /** Relative to the package root. */
  dockerfile: string;
  context: string;
}

export interface DockerLoginStep extends StepBase {
  kind: 'docker-login';
  image: ImageRef;
}

export interface DockerPushStep extends StepBase {
  kind: 'docker-push';
  image: ImageRef;
}

export interface TaskResumeStep extends StepBase {
  kind: 'task-resume';
  task: NameParts;
  sql: string;
}

export interface RunNowStep extends StepBase {
  kind: 'run-now';
  task: NameParts;
  sql: string;
}

/**
 * Records a resync request (shared/state/resync.ts): the next run re-sends every current row of the view.
 * Several statements (control table and its columns if missing, the request, the pending marker), one step.
 */
export interface ResyncStep extends StepBase {
  kind: 'resync';
  statements: Array<{ sql: string; binds: BindValue[] }>;
  /** What the mapping change means for profiles already in Batch, one line each (`+ ~ -`). */
  changes: Array<{ symbol: '+' | '~' | '-'; text: string }>;
}

/**
 * Sends a test notification through a webhook integration and waits (bounded) for INFORMATION_SCHEMA.NOTIFICATION_HISTORY
 * to report its delivery (src/apply/webhook-test.ts): a webhook Snowflake cannot reach stops the apply before any alert.
 */
export interface NotifyTestStep extends StepBase {
  kind: 'notify-test';
  /** The webhook host, for the error message (never the URL: its path may hold the secret part). */
  host: string;
  /** CALL SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(…) with the test message. */
  sendSql: string;
  /** SELECT … FROM TABLE(<db>.INFORMATION_SCHEMA.NOTIFICATION_HISTORY(INTEGRATION_NAME => …)). */
  historySql: string;
}

export type PlanStep = NotifyTestStep | SqlStep | DockerBuildStep | DockerLoginStep | DockerPushStep | TaskResumeStep | RunNowStep | ResyncStep;

export interface Plan {
  command: 'init' | 'uninstall';
  /** Steps that change something, in order. Empty = nothing to do. */
  steps: PlanStep[];
  /** Objects found as wanted (one line each, for the summary). */
  unchanged: string[];
  /** Things the user should read before applying (no step attached). */
  notes: string[];
  /** The image tag the task runs after this plan (init only). */
  imageTag: string | null;
}

/**
 * What introspection found in the account, reduced to what the planner compares. `undefined` means the
 * object does not exist (or the current role cannot see it: SHOW only lists objects the role has a privilege
 * on, reference §2.1/§2.3 — the wizard's preflight reports that case separately).
 * Source columns: SHOW VIEWS / STREAMS / TASKS / COMPUTE POOLS / IMAGE REPOSITORIES, DESC NETWORK RULE /
 * INTEGRATION, GET_OBJECT_REFERENCES (reference §1.2, §7).
 */
import type { NameParts } from '../../shared/sql/identifiers.js';

export interface LiveState {
  /** SHOW SCHEMAS: the target schema (DB.SCHEMA of the answers) exists. */
  targetSchema?: Record<string, never>;
  /** The view the stream reads (the existing one, or the one made from the SELECT). */
  view?: { comment: string | null; changeTracking: boolean; /** SHOW VIEWS text (its CREATE VIEW statement), when shown. */ text?: string | null };
  /** The view's base tables (GET_OBJECT_REFERENCES), exact parts, with SHOW TABLES change_tracking. */
  baseTables: Array<{ name: NameParts; changeTracking: boolean }>;
  /** SHOW STREAMS: table_name (the source, as printed), stale. */
  /** mode: SHOW STREAMS `mode` (DEFAULT / APPEND_ONLY / INSERT_ONLY), when reported. */
  stream?: { source: string; stale: boolean; mode?: string };
  computePool?: { autoSuspendSecs: number; instanceFamily: string };
  /** SHOW IMAGE REPOSITORIES repository_url; tags of the worker image found by SHOW IMAGES IN IMAGE REPOSITORY. */
  imageRepository?: {
    url: string;
    imageTags: string[];
    /** false: SHOW IMAGES could not be read and imageTags is what the previous run deployed (not verified). */
    tagsVerified?: boolean;
  };
  /** DESC NETWORK RULE value_list. */
  networkRule?: { valueList: string[] };
  /** DESC INTEGRATION: enabled, allowed_network_rules (names as printed). */
  integration?: { enabled: boolean; allowedNetworkRules: string[] };
  secret?: Record<string, never>;
  credentialsTable?: Record<string, never>;
  /** Which of the worker's state tables exist (names, exact). */
  stateTables: string[];
  /** The other views the view reads (GET_OBJECT_REFERENCES), with their SHOW VIEWS text: a stream needs all of them trackable. */
  viewChain?: Array<{ name: NameParts; text: string | null }>;
  /** SHOW TABLES / SHOW STREAMS: the pending-changes marker table and its stream. */
  pendingTable?: Record<string, never>;
  pendingStream?: { stale: boolean };
  /** Distinct IDs in the view (one COUNT, read only when the mapping changed: src/plan/mapping-changes.ts). */
  viewProfiles?: number;
  /** A resync request not finished yet (read with viewProfiles): the attributes it unsets are carried into a new one. */
  unfinishedResync?: { unset: string[]; requestedAt: string };
  /** SHOW TASKS: state (started/suspended), comment, last_suspended_reason. */
  task?: { state: 'started' | 'suspended'; comment: string | null; lastSuspendedReason: string | null };
  /** SHOW SERVICES (long-running, the `continuous` schedule): status (RUNNING, SUSPENDED, …), comment. */
  service?: { status: string; comment: string | null };
}

/** A fresh account: nothing exists yet. */
export const EMPTY_LIVE_STATE: LiveState = { baseTables: [], stateTables: [] };

/** A job service the sync task ran (SHOW JOB SERVICES IN SCHEMA, filtered to our pool and task). */
export interface TaskJobService {
  /** DB.SCHEMA.NAME, exact parts. */
  name: NameParts;
  /** SHOW SERVICES status: PENDING, RUNNING, FAILED, DONE, CANCELLED, … (§3.1). */
  status: string;
  /** SHOW SERVICES created_on (matches a task run to its job, src/operate/job-resolve.ts). */
  createdOn?: Date | null;
}

/** Generated job names: `JOB_` and the query id's characters (the docs do not show one; ids are hex with separators). */
const GENERATED_JOB_NAME = /^JOB_[0-9A-Z_]+$/i;

/**
 * Whether a job service on the project's pool is one a sync's task ran: named like that task's jobs (its fixed
 * job NAME when the answers set one, else `JOB_…`, which every sync without a fixed name shares).
 */
export function isJobOfTask(job: TaskJobService, jobName: NameParts | null): boolean {
  const fixed = jobName?.[jobName.length - 1];
  return fixed !== undefined ? job.name[2] === fixed : GENERATED_JOB_NAME.test(job.name[2] ?? '');
}

/**
 * The worker's command-line/env interface, as parsed by worker/options.ts. Drop-in for Batch's own job
 * (shared/reference/batch-api.md §6): same arguments, same env SNOWFLAKE_ROLE, plus our own options.
 */
import type { NullPolicy, PayloadMapping } from '../shared/payload/types.js';
import type { SnowflakeConnectionOptions } from '../shared/snowflake/types.js';
import type { Secret } from './secret.js';
import type { EventSettings, SyncKind } from './options-events.js';

export type DeletePolicy = 'ignore' | 'unset';
export type EndpointChoice = 'auto' | 'update' | 'mass-update';

/** A restricted run (issue 17): capture as usual, send only these outbox rows, leave the rest for the next run. */
export type Restriction = { kind: 'limit'; limit: number } | { kind: 'ids'; ids: string[] };
/** At most this many rows per restricted run (one request each): a first look, not a backfill. */
export const MAX_RESTRICTED = 200;

/** A Snowflake object name validated so it can be interpolated into SQL (identifiers cannot be bound). */
export interface QualifiedName {
  /** Exact, case-resolved parts (unquoted → upper case, quoted → as written), e.g. ['MY_DB', 'my schema', 'S']. */
  parts: string[];
  /** SQL text that means exactly these parts (quoted where needed), safe to interpolate into SQL. */
  sql: string;
  /** The last part (exact). */
  name: string;
}

/** Where the Batch REST API key comes from. */
export type RestApiKeySource =
  /** `--api-credentials-table`: read `REST_API_KEY` WHERE `PROJECT_KEY` = ? (bound parameter). */
  | { kind: 'table'; table: QualifiedName }
  /** env BATCH_REST_API_KEY (an SPCS secret; the wizard's default). */
  | { kind: 'env'; key: Secret }
  /** Only with --dry-run: nothing is sent, no key needed. */
  | { kind: 'none' };

export interface SnowflakeConnectionPlan {
  /** spcs: OAuth with the session token file; env: SNOWFLAKE_* variables; named: --connection NAME. */
  kind: 'spcs' | 'env' | 'named';
  /** Safe for logs (never contains a password, token or key). */
  description: string;
  /**
   * Builds the driver options. Call it right before each connect: in SPCS it re-reads the token file,
   * which Snowflake refreshes every few minutes (snowflake-spcs.md §3.3). Throws UserError.
   */
  resolve(): Promise<SnowflakeConnectionOptions>;
}

export interface WorkerOptions {
  projectKey: string;
  /** profile (default): view rows → profile attributes; event: one row = one Batch event (worker/events/). */
  kind: SyncKind;
  /** The event columns when kind is event, else null. */
  events: EventSettings | null;
  sourceStream: QualifiedName;
  idColumn: string;
  dateColumns: string[];
  urlColumns: string[];
  restApiKey: RestApiKeySource;
  nullPolicy: NullPolicy;
  /** DELETE change rows: ignore (default, like Batch's job) or unset every mapped attribute (send null). */
  deletePolicy: DeletePolicy;
  /** auto: mass-update for the initial backfill or when pending changes ≥ massUpdateThreshold. */
  endpoint: EndpointChoice;
  massUpdateThreshold: number;
  /** Concurrent HTTP requests in flight. */
  concurrency: number;
  /** /profiles/update token bucket: updates (custom IDs) per second and burst (batch-api.md §2.2). */
  rate: number;
  burst: number;
  /** /profiles/mass-update pacing in updates per second (documented 10 000/s, no burst). */
  massUpdateRate: number;
  /** Build payloads and record nothing / send nothing. */
  dryRun: boolean;
  /** --limit N / --only-ids A,B: send only these rows of the outbox now (null: a normal run). */
  restriction: Restriction | null;
  /** Maintain the pending-changes marker table (BATCH_SYNC_PENDING) in the state schema. */
  pendingMarker: boolean;
  /** --loop-interval-seconds: null = one run; N = poll the stream every N seconds until stopped (worker/run-loop.ts). */
  loopIntervalSeconds: number | null;
  /** Where the outbox/runs/rejected tables live; null = the session's current schema. */
  stateSchema: QualifiedName | null;
  /** The sync of a project of several (shared/state/sync-names.ts): picks its own outbox and pending marker. */
  syncName: string;
  /** Batch base URL without trailing slash (env BATCH_API_URL, default https://api.batch.com). */
  batchApiUrl: string;
  snowflake: SnowflakeConnectionPlan;
}

export type { NullPolicy, PayloadMapping };

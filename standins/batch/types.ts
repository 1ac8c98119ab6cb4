/**
 * Shared types of the Batch Profile API sandbox (see shared/reference/batch-api.md).
 * The sandbox answers over HTTP exactly like the documented API; everything under /_sandbox is ours.
 */

export type Endpoint = 'update' | 'mass-update';

/** Faults the sandbox can inject, each with its own probability per API request (sum ≤ 1). */
export interface FaultRates {
  /** Answer 500 or 503 without applying anything. */
  serverError: number;
  /** Answer 429 without applying anything (and without consuming rate tokens). */
  tooManyRequests: number;
  /** Read the request, apply nothing, never answer: the client must give up on its own. */
  timeout: number;
  /** Read the request, apply nothing, destroy the socket (client sees ECONNRESET / "socket hang up"). */
  connectionReset: number;
  /**
   * Explicit at-least-once mode: process and APPLY the request, then never answer. A client that retries
   * will send the same operations twice, which Batch's upsert semantics make harmless (§1.1).
   */
  timeoutAfterProcessing: number;
}

export type FaultKind = keyof FaultRates;

export const FAULT_KINDS: readonly FaultKind[] = [
  'serverError',
  'tooManyRequests',
  'timeout',
  'connectionReset',
  'timeoutAfterProcessing',
];

/** Faults that `faultRate` spreads evenly over: the ones that leave no trace (timeoutAfterProcessing is opt-in). */
export const NON_APPLYING_FAULTS: readonly FaultKind[] = ['serverError', 'tooManyRequests', 'timeout', 'connectionReset'];

export interface SandboxConfig {
  /** /profiles/update refill rate, custom IDs per second (documented: 300). */
  updateRate: number;
  /** /profiles/update bucket capacity (documented burst: 1000). */
  updateBurst: number;
  /** /profiles/mass-update refill rate, custom IDs per second (documented: 10 000, no burst). */
  massRate: number;
  /** Added before every API answer (including faults), in ms. */
  latencyMs: number;
  faults: FaultRates;
  /**
   * Retry-After header (seconds) on 429s, or null to send none. Default null: the docs never mention the
   * header and only say "wait a few seconds" (§2.2), so clients must back off without it.
   */
  retryAfterSeconds: number | null;
}

/** What `configure()` / `POST /_sandbox/config` accept: any subset; `faultRate` spreads over NON_APPLYING_FAULTS. */
export type ConfigPatch = Partial<Omit<SandboxConfig, 'faults'>> & {
  faultRate?: number;
  faults?: Partial<FaultRates>;
};

export type StoredAttribute =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'date'; value: string }
  | { type: 'url'; value: string }
  | { type: 'array'; value: string[] };

export type Identifiers = { custom_id: string } | { installation: string };

export interface StoredEvent {
  /** Content key (standins/batch/events.ts eventKey): the same event resent has the same key. */
  key: string;
  name: string;
  time?: string;
  attributes?: unknown;
  receivedAt: string;
}

export interface StoredProfile {
  identifiers: Identifiers;
  /** Keyed by bare name (`date(birthdate)` is stored as `birthdate` with type `date`); natives keep their `$`. */
  attributes: Record<string, StoredAttribute>;
  events: StoredEvent[];
  createdAt: string;
  updatedAt: string;
  /** Number of accepted operations that targeted this profile. */
  updates: number;
}

/** One partial error of a 202 SUCCESS_WITH_PARTIAL_ERRORS answer (shape per §1.5). */
export interface PartialError {
  category: 'attribute' | 'event';
  /** 0-based index of the operation in the request array. */
  bulk_index: number;
  reason: string;
  attribute?: string;
}

export interface RequestLogEntry {
  id: number;
  time: string;
  method: string;
  path: string;
  endpoint: Endpoint | null;
  /** null when no answer was sent (timeout, connection reset). */
  status: number | null;
  /** Number of operations in a well-formed array body, else null. */
  operations: number | null;
  /** Parsed JSON body, the raw text if it was not JSON, or null (empty, or logBodies=false). */
  body: unknown;
  fault: FaultKind | null;
  /** True once the sandbox has answered or decided not to answer (status null). */
  finished: boolean;
  durationMs: number;
}

export interface EndpointStats {
  requests: number;
  accepted: number;
  acceptedOperations: number;
  partialErrors: number;
}

export interface SandboxStats {
  update: EndpointStats;
  massUpdate: EndpointStats;
  /** 429s from the token buckets (not injected ones). */
  rateLimited: number;
  injectedFaults: Record<FaultKind, number>;
}

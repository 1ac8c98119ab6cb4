/** Wire shapes of the Profile API (batch-api.md §1.5, §3.1). */

export interface ProfileOperation {
  identifiers: { custom_id: string };
  attributes?: Record<string, unknown>;
}

/** One entry of a 202 SUCCESS_WITH_PARTIAL_ERRORS body; bulk_index is 0-based (§1.5). */
export interface ItemError {
  customId: string | undefined;
  bulkIndex: number;
  category: string;
  reason: string;
  attribute?: string;
}

export type SendOutcome =
  | { kind: 'accepted'; itemErrors: ItemError[]; attempts: number }
  /** A permanent 4xx (not 408/429): retrying the same body cannot succeed. */
  | { kind: 'rejected'; status: number; errorCode: string | undefined; message: string; attempts: number };

export type BatchClientEvent =
  | { type: 'retry'; endpoint: string; attempt: number; delayMs: number; reason: string; operations: number }
  | { type: 'rejected'; endpoint: string; status: number; errorCode: string | undefined; operations: number };

export interface BatchClientStats {
  requests: number;
  retries: number;
  operationsAccepted: number;
  rateLimited: number;
  serverErrors: number;
  networkErrors: number;
  timeouts: number;
}

/** Thrown when a request still fails after every attempt: nothing is lost, the rows stay in the outbox. */
export class BatchTransientError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'BatchTransientError';
  }
}

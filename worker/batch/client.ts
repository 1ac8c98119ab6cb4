import { setTimeout as sleep } from 'node:timers/promises';
import {
  BATCH_API_VERSION,
  DEFAULT_RATE_LIMITS,
  ENDPOINT_PATHS,
  MAX_OPERATIONS,
  type Endpoint,
  type RateLimit,
} from '../../shared/batch/constants.js';
import { operationCount, operationList, requestBody, type Operations } from './operation-batch.js';
import { parseAcceptedBody, parseErrorBody } from './response.js';
import { DEFAULT_BACKOFF, describeNetworkError, isTransientStatus, parseRetryAfter, retryDelayMs, type BackoffPolicy } from './retry.js';
import { TokenBucket } from './token-bucket.js';
import {
  BatchTransientError,
  type BatchClientEvent,
  type BatchClientStats,
  type SendOutcome,
} from './types.js';

export interface BatchClientOptions {
  /** e.g. https://api.batch.com, or the sandbox's http://127.0.0.1:PORT */
  baseUrl: string;
  apiKey: string;
  projectKey: string;
  version?: string;
  /** Per attempt. */
  timeoutMs?: number;
  backoff?: Partial<BackoffPolicy>;
  rateLimits?: Partial<Record<Endpoint, RateLimit>>;
  /** The largest request the caller will send per endpoint (default the API's maximum): sizes the headroom. */
  largestRequest?: Partial<Record<Endpoint, number>>;
  /**
   * How much later than it was paced a request may reach Batch's bucket (cold connections, TLS, jitter):
   * kept as spare burst capacity. Default 250 ms of rate (no cost to sustained throughput).
   */
  burstHeadroomMs?: number;
  /** Where the burst leaves no room (mass-update), the same safety is charged per request. Default 25 ms. */
  perRequestMarginMs?: number;
  onEvent?: (event: BatchClientEvent) => void;
  random?: () => number;
}

/**
 * Our bucket must stay behind Batch's even when requests arrive bunched (a slow first connection, jitter).
 * Where the burst allows, keep `headroom × rate` tokens spare (costs no sustained throughput); where one
 * request already needs the whole bucket (mass-update: 10 000 of 10 000, "no burst"), charge a smaller
 * margin on every request instead.
 */
function clientBucket(limit: RateLimit, largestRequest: number, margins: { headroomMs: number; perRequestMs: number }): TokenBucket {
  const headroom = (limit.perSecond * margins.headroomMs) / 1000;
  if (!Number.isFinite(headroom)) return new TokenBucket(limit.perSecond, limit.burst);
  const requestSize = Math.min(largestRequest, limit.burst);
  if (limit.burst - headroom >= requestSize) return new TokenBucket(limit.perSecond, limit.burst - headroom);
  return new TokenBucket(limit.perSecond, limit.burst, undefined, (limit.perSecond * margins.perRequestMs) / 1000);
}

/**
 * Profile API client: paces every attempt through a per-endpoint token bucket counted in Custom IDs, retries
 * transient failures with backoff, and reports permanent rejections and per-item partial errors.
 * Node's fetch (undici) keeps connections alive by default. The REST key only ever goes into a header.
 */
export class BatchClient {
  readonly stats: BatchClientStats = {
    requests: 0,
    retries: 0,
    operationsAccepted: 0,
    rateLimited: 0,
    serverErrors: 0,
    networkErrors: 0,
    timeouts: 0,
  };
  private readonly buckets: Record<Endpoint, TokenBucket>;
  private readonly backoff: BackoffPolicy;
  private readonly headers: Record<string, string>;
  private readonly baseUrl: string;

  constructor(private readonly options: BatchClientOptions) {
    const limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
    const margins = { headroomMs: options.burstHeadroomMs ?? 250, perRequestMs: options.perRequestMarginMs ?? 25 };
    this.buckets = {
      update: clientBucket(limits.update, options.largestRequest?.update ?? MAX_OPERATIONS.update, margins),
      'mass-update': clientBucket(limits['mass-update'], options.largestRequest?.['mass-update'] ?? MAX_OPERATIONS['mass-update'], margins),
    };
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.baseUrl = `${options.baseUrl.replace(/\/+$/, '')}/${options.version ?? BATCH_API_VERSION}`;
    this.headers = {
      authorization: `Bearer ${options.apiKey}`,
      'x-batch-project': options.projectKey,
      'content-type': 'application/json',
    };
  }

  /** Resolves with the outcome; throws BatchTransientError when attempts run out, or the abort reason. */
  async send(endpoint: Endpoint, batch: Operations, signal?: AbortSignal): Promise<SendOutcome> {
    const count = operationCount(batch);
    if (count === 0) throw new RangeError('send() needs at least one operation');
    if (count > MAX_OPERATIONS[endpoint]) {
      throw new RangeError(`${endpoint} accepts at most ${MAX_OPERATIONS[endpoint]} operations, got ${count}`);
    }
    const url = `${this.baseUrl}/${ENDPOINT_PATHS[endpoint]}`;
    const body = requestBody(batch);
    const bucket = this.buckets[endpoint];
    let lastReason = '';
    for (let attempt = 1; attempt <= this.backoff.maxAttempts; attempt++) {
      // Every attempt spends rate budget: the server counts Custom IDs per request received (§2.2).
      await bucket.take(count, signal);
      this.stats.requests++;
      const attemptResult = await this.attempt(url, body, signal);
      if (attemptResult.kind === 'response') {
        const { status, text, retryAfter } = attemptResult;
        if (status >= 200 && status < 300) {
          this.stats.operationsAccepted += count;
          return { kind: 'accepted', itemErrors: parseAcceptedBody(text, () => operationList(batch)), attempts: attempt };
        }
        if (!isTransientStatus(status)) {
          const { errorCode, message } = parseErrorBody(text);
          this.options.onEvent?.({ type: 'rejected', endpoint, status, errorCode, operations: count });
          return { kind: 'rejected', status, errorCode, message, attempts: attempt };
        }
        if (status === 429) {
          this.stats.rateLimited++;
          bucket.drain();
        } else {
          this.stats.serverErrors++;
        }
        lastReason = `HTTP ${status} ${parseErrorBody(text).errorCode ?? ''}`.trim();
        if (attempt < this.backoff.maxAttempts) {
          await this.pause(endpoint, attempt, lastReason, parseRetryAfter(retryAfter), status, count, signal);
        }
      } else {
        lastReason = attemptResult.reason;
        if (attempt < this.backoff.maxAttempts) {
          await this.pause(endpoint, attempt, lastReason, undefined, undefined, count, signal);
        }
      }
    }
    throw new BatchTransientError(
      `Batch ${endpoint} failed after ${this.backoff.maxAttempts} attempts (last: ${lastReason})`,
      this.backoff.maxAttempts,
    );
  }

  private async pause(
    endpoint: Endpoint,
    attempt: number,
    reason: string,
    retryAfterMs: number | undefined,
    status: number | undefined,
    operations: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const delayMs = retryDelayMs(this.backoff, attempt, retryAfterMs, status, this.options.random);
    this.stats.retries++;
    this.options.onEvent?.({ type: 'retry', endpoint, attempt, delayMs, reason, operations });
    await sleep(delayMs, undefined, signal ? { signal } : undefined);
  }

  private async attempt(
    url: string,
    body: string,
    signal: AbortSignal | undefined,
  ): Promise<{ kind: 'response'; status: number; text: string; retryAfter: string | null } | { kind: 'failed'; reason: string }> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await fetch(url, { method: 'POST', headers: this.headers, body, signal: combined });
      const text = await response.text();
      return { kind: 'response', status: response.status, text, retryAfter: response.headers.get('retry-after') };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        this.stats.timeouts++;
        return { kind: 'failed', reason: `timeout after ${this.options.timeoutMs ?? 30_000} ms` };
      }
      this.stats.networkErrors++;
      return { kind: 'failed', reason: describeNetworkError(error) };
    }
  }
}

/**
 * What is worth retrying and for how long (batch-api.md §1.6, §2.2): 429, 5xx, 408, timeouts and network
 * failures are transient; any other 4xx is permanent. Batch documents no Retry-After header (§2.2, "wait a
 * few seconds"), so it is honoured when present and a 429 without one waits at least `rateLimitFloorMs`.
 */

export interface BackoffPolicy {
  /** Attempts per request including the first one. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Minimum wait after a 429 without Retry-After ("please wait a few seconds before retrying"). */
  rateLimitFloorMs: number;
  /** Upper bound applied to a server-supplied Retry-After. */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  maxAttempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  rateLimitFloorMs: 1_000,
  maxRetryAfterMs: 120_000,
};

export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Returns ms, or undefined. */
export function parseRetryAfter(value: string | null, nowMs: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): full jitter over an exponential ceiling,
 * never below the server's Retry-After.
 */
export function retryDelayMs(
  policy: BackoffPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  status: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  let delay = ceiling / 2 + (random() * ceiling) / 2;
  if (status === 429 && retryAfterMs === undefined) delay = Math.max(delay, policy.rateLimitFloorMs);
  if (retryAfterMs !== undefined) delay = Math.max(delay, Math.min(retryAfterMs, policy.maxRetryAfterMs));
  return Math.round(delay);
}

/**
 * What actually went wrong under fetch's generic "fetch failed": undici puts the socket error in `cause`
 * (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET "other side closed", …), sometimes as an AggregateError (one error
 * per address tried) with an empty message. The chain is followed until a code or a specific message shows.
 */
export function describeNetworkError(error: unknown): string {
  type Failure = { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const seen = new Set<unknown>();
  let code: string | undefined;
  let detail: string | undefined;
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const failure = value as Failure;
    if (!code && typeof failure.code === 'string' && failure.code !== '') code = failure.code;
    if (!detail && typeof failure.message === 'string' && failure.message !== '' && failure.message !== 'fetch failed') detail = failure.message;
    visit(failure.cause);
    if (Array.isArray(failure.errors)) failure.errors.forEach(visit);
  };
  visit(error);
  const top = error instanceof Error ? error.message : String(error);
  if (!code) return detail ?? top;
  return detail && detail.includes(code) ? detail : `${code}: ${detail ?? top}`;
}

/**
 * Batch Profile API facts (shared/reference/batch-api.md). One place to change when Batch moves on.
 */

/**
 * API version in the URL path. The official OpenAPI's server default is 2.11 (§1.3); a third party read 2.13
 * on the live page in 2026 but that is unconfirmed, so we pin the last officially documented default.
 * Override with env BATCH_API_VERSION (the worker options expose it).
 */
export const BATCH_API_VERSION = '2.11';

export const DEFAULT_BATCH_API_URL = 'https://api.batch.com';

export type Endpoint = 'update' | 'mass-update';

export const ENDPOINT_PATHS: Record<Endpoint, string> = {
  update: 'profiles/update',
  'mass-update': 'profiles/mass-update',
};

/** "at most 200 operations or the API call will be rejected" / "at most 10 000 operations" (§2.1). */
export const MAX_OPERATIONS: Record<Endpoint, number> = {
  update: 200,
  'mass-update': 10_000,
};

export interface RateLimit {
  /** Custom IDs per second (§2.2: the unit is Custom IDs, not requests). */
  perSecond: number;
  /** Bucket capacity in Custom IDs. */
  burst: number;
}

/**
 * §2.2: update = 300/s with peaks up to 1000; mass-update = 10 000/s, "No burst". A bucket must still hold
 * one full request (10 000 ops), so "no burst" means a capacity of one second's worth.
 */
export const DEFAULT_RATE_LIMITS: Record<Endpoint, RateLimit> = {
  update: { perSecond: 300, burst: 1000 },
  'mass-update': { perSecond: 10_000, burst: 10_000 },
};

/**
 * Batch's API host: the default, the URL the worker and the preflight use, and the check of `--batch-api-url`.
 * Free of zod on purpose: the CLI's flag definitions import it, and `--help` must not load zod
 * (test/cli/bin.test.ts).
 */

export const DEFAULT_BATCH_API_HOST = 'api.batch.com';

/**
 * Batch's API is HTTPS only. A loopback host (127.0.0.0/8) is the local Batch sandbox of the demo and tests, which
 * speaks plain HTTP; an SPCS container could never reach a loopback host of the user's machine anyway.
 */
export function batchApiUrl(host: string): string {
  return `${isLoopback(host) ? 'http' : 'https'}://${host}`;
}

const isLoopback = (host: string) => /^127(\.\d{1,3}){3}(:\d+)?$/.test(host);

/**
 * `--batch-api-url URL` → the host[:port] answer batchApiUrl() turns back into the same URL. Batch serves
 * HTTPS only; plain http is accepted for a loopback address (the local Batch sandbox), and only there.
 * Returns the problem as a sentence when the URL cannot be followed exactly.
 */
export function batchHostFromUrl(value: string): { host: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { problem: `"${value}" is not a URL (e.g. https://api.batch.com, or http://127.0.0.1:PORT for the sandbox)` };
  }
  if (url.username || url.password) return { problem: 'the URL must not contain credentials (the REST API key goes in BATCH_REST_API_KEY)' };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return { problem: `give the base URL only, without a path (got "${value}")` };
  const host = url.host.toLowerCase();
  const wanted = url.protocol === 'http:' ? 'http' : url.protocol === 'https:' ? 'https' : null;
  if (!wanted) return { problem: `the URL must start with https:// (got "${value}")` };
  if ((wanted === 'http') !== isLoopback(host)) {
    return { problem: wanted === 'http' ? `Batch's API is HTTPS only: use https://${host} (plain http is only for a local sandbox on 127.0.0.1)` : `a loopback address is the local Batch sandbox, which speaks plain http: use http://${host}` };
  }
  return { host };
}

/**
 * Batch Profile API sandbox for tests and `npm run sandbox`. Start one per test file:
 *
 *   const batch = await startBatchSandbox({ updateRate: 10, updateBurst: 20 });
 *   await fetch(`${batch.apiUrl}/2.11/profiles/update`, { method: 'POST', headers: {
 *     authorization: `Bearer ${batch.restApiKey}`, 'x-batch-project': batch.projectKey,
 *     'content-type': 'application/json' }, body: JSON.stringify([...]) });
 *   batch.profiles(); await batch.close();
 *
 * `apiUrl` replaces `https://api.batch.com`: it has no version segment and no trailing slash.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRouter } from './router.js';
import { SandboxState } from './state.js';
import type { Clock } from './token-bucket.js';
import type { ConfigPatch, RequestLogEntry, SandboxConfig, SandboxStats, StoredProfile } from './types.js';

export type * from './types.js';
export { DOCUMENTED_LIMITS } from './config.js';

export interface BatchSandboxOptions extends ConfigPatch {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: a fresh random `project_…` key. */
  projectKey?: string;
  /** Default: a fresh random key. */
  restApiKey?: string;
  /** Seed of the fault draw, for reproducible runs. Default: random. */
  faultSeed?: number;
  /** Milliseconds clock for the token buckets (tests can drive refill by hand). Default performance.now. */
  clock?: Clock;
  /** Keep request bodies in the log (default true; turn off for very large runs). */
  logBodies?: boolean;
  /** Memory guard, default 128 MiB (Batch documents no byte limit). */
  maxBodyBytes?: number;
}

export interface BatchSandbox {
  /** e.g. http://127.0.0.1:41234 — append `/{version}/profiles/update`. */
  apiUrl: string;
  port: number;
  projectKey: string;
  restApiKey: string;
  profiles(): StoredProfile[];
  profile(customId: string): StoredProfile | undefined;
  /** Accepted events: total, distinct content keys and duplicates (the same event accepted again). */
  events(): { total: number; distinct: number; duplicates: number; duplicatedKeys: string[] };
  requests(sinceId?: number): RequestLogEntry[];
  stats(): SandboxStats;
  config(): SandboxConfig;
  /** Changes configuration at runtime; throws on an invalid patch (nothing changed then). */
  configure(patch: ConfigPatch): SandboxConfig;
  /** Forgets profiles, request log and counters, refills the rate buckets; keeps the configuration. */
  reset(): void;
  /** Stops listening and destroys open connections, including requests held by timeout faults. */
  close(): Promise<void>;
}

const randomKey = (length: number) => randomBytes(length).toString('base64url').replace(/[-_]/g, '').toLowerCase().slice(0, length);

export async function startBatchSandbox(options: BatchSandboxOptions = {}): Promise<BatchSandbox> {
  const { port = 0, host = '127.0.0.1', projectKey, restApiKey, faultSeed, clock, logBodies, maxBodyBytes, ...patch } = options;
  const state = new SandboxState({
    projectKey: projectKey ?? `project_${randomKey(32)}`,
    restApiKey: restApiKey ?? randomKey(32),
    config: patch,
    clock,
    faultSeed,
    logBodies,
  });
  const closing = new AbortController();
  const server = createServer(createRouter({ state, maxBodyBytes: maxBodyBytes ?? 128 * 1024 * 1024, signal: closing.signal }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;

  return {
    apiUrl: `http://${host}:${address.port}`,
    port: address.port,
    projectKey: state.projectKey,
    restApiKey: state.restApiKey,
    profiles: () => state.profiles.list(),
    profile: (customId) => state.profiles.get(customId),
    events: () => state.profiles.eventSummary(),
    requests: (sinceId) => state.requests(sinceId),
    stats: () => state.stats(),
    config: () => state.config,
    configure: (configPatch) => state.configure(configPatch),
    reset: () => state.reset(),
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** Everything the Batch sandbox remembers: config, rate buckets, profiles, request log and counters. */
import { applyConfigPatch, defaultConfig, drawFault, seededRandom } from './config.js';
import { ExportStore } from './export-store.js';
import { ProfileStore } from './profile-store.js';
import { TokenBucket, type Clock } from './token-bucket.js';
import { FAULT_KINDS, type Endpoint, type FaultKind, type RequestLogEntry, type SandboxConfig, type SandboxStats } from './types.js';

export interface StateOptions {
  projectKey: string;
  restApiKey: string;
  config?: unknown;
  clock?: Clock;
  faultSeed?: number;
  logBodies?: boolean;
}

const emptyEndpointStats = () => ({ requests: 0, accepted: 0, acceptedOperations: 0, partialErrors: 0 });

function emptyStats(): SandboxStats {
  return {
    update: emptyEndpointStats(),
    massUpdate: emptyEndpointStats(),
    rateLimited: 0,
    injectedFaults: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>,
  };
}

export class SandboxState {
  readonly projectKey: string;
  readonly restApiKey: string;
  readonly clock: Clock;
  readonly logBodies: boolean;
  readonly profiles = new ProfileStore();
  readonly exports: ExportStore;
  private currentConfig: SandboxConfig;
  private readonly buckets: Record<Endpoint, TokenBucket>;
  private requestLog: RequestLogEntry[] = [];
  private counters = emptyStats();
  private nextRequestId = 1;
  private readonly random: () => number;

  constructor(options: StateOptions) {
    this.projectKey = options.projectKey;
    this.restApiKey = options.restApiKey;
    this.clock = options.clock ?? (() => performance.now());
    this.exports = new ExportStore(this.clock);
    this.logBodies = options.logBodies ?? true;
    this.random = seededRandom(options.faultSeed ?? Math.floor(Math.random() * 2 ** 32));
    this.currentConfig = applyConfigPatch(defaultConfig(), options.config ?? {});
    this.buckets = {
      update: new TokenBucket(this.currentConfig.updateRate, this.currentConfig.updateBurst, this.clock),
      // "No burst" (§2.2): the bucket holds one second of refill, exactly one maximal call of 10 000.
      'mass-update': new TokenBucket(this.currentConfig.massRate, this.currentConfig.massRate, this.clock),
    };
  }

  get config(): SandboxConfig {
    return structuredClone(this.currentConfig);
  }

  configure(patch: unknown): SandboxConfig {
    this.currentConfig = applyConfigPatch(this.currentConfig, patch);
    this.buckets.update.reconfigure(this.currentConfig.updateRate, this.currentConfig.updateBurst);
    this.buckets['mass-update'].reconfigure(this.currentConfig.massRate, this.currentConfig.massRate);
    return this.config;
  }

  /** Clears profiles, request log and counters and refills the buckets; the configuration stays. */
  reset(): void {
    this.profiles.clear();
    this.exports.clear();
    this.requestLog = [];
    this.counters = emptyStats();
    this.buckets.update.refillCompletely();
    this.buckets['mass-update'].refillCompletely();
  }

  takeTokens(endpoint: Endpoint, count: number): boolean {
    const ok = this.buckets[endpoint].tryTake(count);
    if (!ok) this.counters.rateLimited += 1;
    return ok;
  }

  drawFault(): FaultKind | null {
    const fault = drawFault(this.currentConfig.faults, this.random);
    if (fault) this.counters.injectedFaults[fault] += 1;
    return fault;
  }

  /** Appends an entry that the caller keeps updating until the request ends. */
  logRequest(entry: Omit<RequestLogEntry, 'id'>): RequestLogEntry {
    const logged: RequestLogEntry = { id: this.nextRequestId++, ...entry };
    this.requestLog.push(logged);
    if (logged.endpoint) this.endpointStats(logged.endpoint).requests += 1;
    return logged;
  }

  recordAccepted(endpoint: Endpoint, operations: number, partialErrors: number): void {
    const stats = this.endpointStats(endpoint);
    stats.accepted += 1;
    stats.acceptedOperations += operations;
    stats.partialErrors += partialErrors;
  }

  requests(sinceId = 0): RequestLogEntry[] {
    return this.requestLog.filter((entry) => entry.id > sinceId).map((entry) => structuredClone(entry));
  }

  stats(): SandboxStats {
    return structuredClone(this.counters);
  }

  private endpointStats(endpoint: Endpoint) {
    return endpoint === 'update' ? this.counters.update : this.counters.massUpdate;
  }
}

/**
 * Sandbox configuration: documented defaults (batch-api.md §1.1, §2.2), validation of patches coming from
 * code or from `POST /_sandbox/config`, and the seeded random draw that decides fault injection.
 */
import { FAULT_KINDS, NON_APPLYING_FAULTS, type ConfigPatch, type FaultKind, type FaultRates, type SandboxConfig } from './types.js';

export const DOCUMENTED_LIMITS = {
  update: { maxOperations: 200, rate: 300, burst: 1000 },
  'mass-update': { maxOperations: 10_000, rate: 10_000 },
} as const;

export const noFaults = (): FaultRates => ({ serverError: 0, tooManyRequests: 0, timeout: 0, connectionReset: 0, timeoutAfterProcessing: 0 });

export function defaultConfig(): SandboxConfig {
  return {
    updateRate: DOCUMENTED_LIMITS.update.rate,
    updateBurst: DOCUMENTED_LIMITS.update.burst,
    massRate: DOCUMENTED_LIMITS['mass-update'].rate,
    latencyMs: 0,
    faults: noFaults(),
    retryAfterSeconds: null,
  };
}

export class ConfigError extends Error {}

const PATCH_KEYS = new Set(['updateRate', 'updateBurst', 'massRate', 'latencyMs', 'faultRate', 'faults', 'retryAfterSeconds']);

function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a number > 0`);
  return value;
}

function nonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ConfigError(`${name} must be a number ≥ 0`);
  return value;
}

function rate(name: string, value: unknown): number {
  const r = nonNegative(name, value);
  if (r > 1) throw new ConfigError(`${name} must be between 0 and 1`);
  return r;
}

/** Returns a new config; throws ConfigError (nothing changed) when the patch is invalid. */
export function applyConfigPatch(current: SandboxConfig, patch: unknown): SandboxConfig {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new ConfigError('config must be a JSON object');
  const unknownKey = Object.keys(patch).find((key) => !PATCH_KEYS.has(key));
  if (unknownKey !== undefined) throw new ConfigError(`unknown config key '${unknownKey}' (allowed: ${[...PATCH_KEYS].join(', ')})`);
  const p = patch as ConfigPatch;
  const next: SandboxConfig = { ...current, faults: { ...current.faults } };
  if (p.updateRate !== undefined) next.updateRate = positive('updateRate', p.updateRate);
  if (p.updateBurst !== undefined) next.updateBurst = positive('updateBurst', p.updateBurst);
  if (p.massRate !== undefined) next.massRate = positive('massRate', p.massRate);
  if (p.latencyMs !== undefined) next.latencyMs = nonNegative('latencyMs', p.latencyMs);
  if (p.retryAfterSeconds !== undefined) {
    next.retryAfterSeconds = p.retryAfterSeconds === null ? null : Math.ceil(nonNegative('retryAfterSeconds', p.retryAfterSeconds));
  }
  if (p.faultRate !== undefined) {
    const total = rate('faultRate', p.faultRate);
    next.faults = noFaults();
    for (const kind of NON_APPLYING_FAULTS) next.faults[kind] = total / NON_APPLYING_FAULTS.length;
  }
  if (p.faults !== undefined) {
    if (typeof p.faults !== 'object' || p.faults === null) throw new ConfigError('faults must be an object');
    for (const [kind, value] of Object.entries(p.faults)) {
      if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new ConfigError(`unknown fault '${kind}' (allowed: ${FAULT_KINDS.join(', ')})`);
      next.faults[kind as FaultKind] = rate(`faults.${kind}`, value);
    }
  }
  const sum = FAULT_KINDS.reduce((total, kind) => total + next.faults[kind], 0);
  if (sum > 1 + 1e-9) throw new ConfigError(`fault rates add up to ${sum}, more than 1`);
  return next;
}

/** mulberry32: small, seedable, good enough to spread faults reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One draw per API request: a fault kind with its configured probability, or null. */
export function drawFault(faults: FaultRates, random: () => number): FaultKind | null {
  const sum = FAULT_KINDS.reduce((total, kind) => total + faults[kind], 0);
  if (sum <= 0) return null;
  const draw = random();
  let cumulative = 0;
  for (const kind of FAULT_KINDS) {
    cumulative += faults[kind];
    if (faults[kind] > 0 && draw < cumulative) return kind;
  }
  return null;
}

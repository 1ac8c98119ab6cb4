/**
 * The sandbox's own check of events (independent of shared/events, so the worker's rules are tested
 * against a second reading of the docs). batch-api.md §3.8 (name `[a-z0-9_]` ≤ 30; last 24 h only, none in
 * the future: official for the MEP events API, UNCONFIRMED for profiles, the stricter reading), §3.3
 * (`$label`, `$tags` reserved) and §9.3 (SDK limits, UNCONFIRMED for REST, stricter: ≤ 20 attributes,
 * objects nested ≤ 3, `$label` ≤ 200, `$tags` ≤ 10 of ≤ 64, ≤ 25 000 bytes per event).
 * An event that breaks a rule is a partial error (category event); the rest of the call applies.
 */
import { createHash } from 'node:crypto';

const EVENT_NAME = /^[a-z0-9_]{1,30}$/;
const ATTRIBUTE_KEY = /^(?:[a-z0-9_]{1,30}|date\([a-z0-9_]{1,30}\)|url\([a-z0-9_]{1,30}\))$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
export const EVENT_MAX_AGE_MS = 24 * 3_600_000;
export const MAX_EVENT_ATTRIBUTES = 20;
export const MAX_EVENT_BYTES = 25_000;
const MAX_DEPTH = 3;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why Batch would refuse this event at `nowMs`, or null. */
export function eventProblem(event: unknown, nowMs: number): string | null {
  if (!isPlainObject(event)) return 'not an object';
  for (const key of Object.keys(event)) if (key !== 'name' && key !== 'time' && key !== 'attributes') return `unknown key '${key}'`;
  if (typeof event.name !== 'string' || !EVENT_NAME.test(event.name)) return 'name must be 1 to 30 characters among [a-z0-9_]';
  if (event.time !== undefined) {
    if (typeof event.time !== 'string' || !RFC3339.test(event.time) || Number.isNaN(Date.parse(event.time))) return 'time must be an RFC 3339 string';
    const time = Date.parse(event.time);
    if (time > nowMs) return 'time is in the future';
    if (nowMs - time > EVENT_MAX_AGE_MS) return 'time is older than 24 hours';
  }
  if (event.attributes !== undefined) {
    if (!isPlainObject(event.attributes)) return 'attributes must be an object';
    const problem = attributesProblem(event.attributes);
    if (problem) return problem;
  }
  if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES) return `event larger than ${MAX_EVENT_BYTES} bytes`;
  return null;
}

function attributesProblem(attributes: Record<string, unknown>): string | null {
  const keys = Object.keys(attributes);
  if (keys.length > MAX_EVENT_ATTRIBUTES) return `more than ${MAX_EVENT_ATTRIBUTES} attributes`;
  for (const key of keys) {
    const value = attributes[key];
    if (key === '$label') {
      if (typeof value !== 'string' || value.length === 0 || value.length > 200) return '$label must be a string of 1 to 200 characters';
    } else if (key === '$tags') {
      if (!Array.isArray(value) || value.length > 10 || value.some((t) => typeof t !== 'string' || t.length === 0 || t.length > 64)) return '$tags must be at most 10 strings of 1 to 64 characters';
    } else if (!ATTRIBUTE_KEY.test(key)) {
      return `attribute name '${key}' is invalid`;
    } else {
      const problem = valueProblem(value, 1);
      if (problem) return `attribute '${key}': ${problem}`;
    }
  }
  return null;
}

function valueProblem(value: unknown, depth: number): string | null {
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'not a finite number';
  if (typeof value === 'string') return value.length === 0 || value.length > 200 ? 'strings must be 1 to 200 characters' : null;
  if (Array.isArray(value)) {
    if (value.length > 25) return 'more than 25 items';
    if (value.every((v) => typeof v === 'string')) return value.some((v) => v.length === 0 || v.length > 200) ? 'array strings must be 1 to 200 characters' : null;
    if (!value.every(isPlainObject)) return 'arrays hold strings or objects, not both';
    for (const item of value) {
      const problem = valueProblem(item, depth);
      if (problem) return problem;
    }
    return null;
  }
  if (isPlainObject(value)) {
    if (depth > MAX_DEPTH) return `objects nested deeper than ${MAX_DEPTH}`;
    const keys = Object.keys(value);
    if (keys.length > MAX_EVENT_ATTRIBUTES) return `object with more than ${MAX_EVENT_ATTRIBUTES} keys`;
    for (const key of keys) {
      if (!ATTRIBUTE_KEY.test(key)) return `object key '${key}' is invalid`;
      const problem = valueProblem(value[key], depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  return 'unsupported value';
}

/**
 * Batch's API takes no event ID (none is documented), so the sandbox identifies an event by its content:
 * the profile, name, time and attributes (keys sorted). A resend after a crash carries the same content
 * and the same key; tests count keys seen more than once as duplicates.
 */
export function eventKey(customId: string, event: { name: string; time?: string; attributes?: unknown }): string {
  return createHash('sha256').update(JSON.stringify([customId, event.name, event.time ?? null, canonical(event.attributes ?? null)])).digest('hex').slice(0, 32);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isPlainObject(value)) return Object.keys(value).sort().map((k) => [k, canonical(value[k])]);
  return value;
}

/**
 * Request body → operations (batch-api.md §3, §4). Schema violations (not an array, an item without valid
 * `identifiers`, `attributes` not an object, unknown keys) reject the whole call with 400: the OpenAPI
 * schema is the contract and the docs say nothing of item-level schema errors, so we take the stricter
 * reading. Invalid attribute names/values and invalid events only become partial errors (§4).
 */
import { checkAttribute, type AttributeEdit } from './attributes.js';
import { eventProblem } from './events.js';
import type { Identifiers, PartialError } from './types.js';

/** [3RD-PARTY] S8/S9: 50 attributes per operation; unconfirmed officially, enforced as the stricter reading. */
export const MAX_ATTRIBUTES_PER_OPERATION = 50;
/** [3RD-PARTY] S9: 15 events per profile per call. */
export const MAX_EVENTS_PER_OPERATION = 15;
/** Android SDK CUSTOM_USER_ID_MAX_LENGTH (S6); REST limit UNCONFIRMED. */
export const CUSTOM_ID_MAX_LENGTH = 1024;
const OPERATION_KEYS = new Set(['identifiers', 'attributes', 'events']);

export interface ParsedEvent {
  name: string;
  time?: string;
  attributes?: unknown;
}

export interface ParsedOperation {
  index: number;
  identifiers: Identifiers;
  edits: AttributeEdit[];
  events: ParsedEvent[];
  errors: PartialError[];
}

export type ParseResult =
  | { ok: true; operations: ParsedOperation[] }
  | { ok: false; code: string; message: string };

class BodyError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `nowMs`: the wall clock the events' 24-hour window is checked against. */
export function parseOperations(body: unknown[], nowMs: number = Date.now()): ParseResult {
  try {
    return { ok: true, operations: body.map((item, index) => parseOperation(item, index, nowMs)) };
  } catch (error) {
    if (error instanceof BodyError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

function parseOperation(item: unknown, index: number, nowMs: number): ParsedOperation {
  if (!isPlainObject(item)) throw new BodyError('INVALID_PARAMETER', `operation ${index} is not an object`);
  for (const key in item) {
    if (!OPERATION_KEYS.has(key)) {
      throw new BodyError('INVALID_PARAMETER', `operation ${index}: unknown key '${key}' (allowed: identifiers, attributes, events)`);
    }
  }
  const operation: ParsedOperation = { index, identifiers: parseIdentifiers(item.identifiers, index), edits: [], events: [], errors: [] };
  if (item.attributes !== undefined) parseAttributes(item.attributes, operation);
  if (item.events !== undefined) parseEvents(item.events, operation, nowMs);
  return operation;
}

/** §3.2: "Exactly one of custom_id or installation must be provided." */
function parseIdentifiers(value: unknown, index: number): Identifiers {
  if (!isPlainObject(value)) throw new BodyError('MISSING_PARAMETER', `operation ${index}: 'identifiers' is required and must be an object`);
  const keys = Object.keys(value);
  if (keys.length !== 1 || (keys[0] !== 'custom_id' && keys[0] !== 'installation')) {
    throw new BodyError('INVALID_PARAMETER', `operation ${index}: identifiers must contain exactly one of custom_id or installation (got ${JSON.stringify(keys)})`);
  }
  const key = keys[0];
  const id = value[key];
  if (typeof id !== 'string' || id.trim().length === 0) {
    throw new BodyError('INVALID_PARAMETER', `operation ${index}: identifiers.${key} must be a non-empty string`);
  }
  if (key === 'custom_id') {
    if (id.length > CUSTOM_ID_MAX_LENGTH) throw new BodyError('INVALID_PARAMETER', `operation ${index}: custom_id longer than ${CUSTOM_ID_MAX_LENGTH} characters`);
    return { custom_id: id };
  }
  return { installation: id };
}

function parseAttributes(value: unknown, operation: ParsedOperation): void {
  if (!isPlainObject(value)) throw new BodyError('INVALID_PARAMETER', `operation ${operation.index}: 'attributes' must be an object`);
  const seen = new Set<string>();
  let count = 0;
  // Hot loop (10 000 operations per mass-update): no closures created per attribute.
  for (const key in value) {
    const reason = attributeProblem(key, value[key], ++count, seen, operation);
    if (reason !== null) operation.errors.push({ category: 'attribute', bulk_index: operation.index, attribute: key, reason });
  }
}

/** Records the edit of one attribute and returns null, or returns why it is rejected. */
function attributeProblem(key: string, value: unknown, position: number, seen: Set<string>, operation: ParsedOperation): string | null {
  if (position > MAX_ATTRIBUTES_PER_OPERATION) return `more than ${MAX_ATTRIBUTES_PER_OPERATION} attributes in one operation`;
  const check = checkAttribute(key, value);
  if (!check.ok) return check.reason;
  // `birthdate` and `date(birthdate)` name the same attribute: the second one in a call is ambiguous.
  if (seen.has(check.edit.name)) return `attribute '${check.edit.name}' given twice in one operation`;
  seen.add(check.edit.name);
  operation.edits.push(check.edit);
  return null;
}

/** Each event is checked alone (standins/batch/events.ts): a bad one is a partial error, the others apply. */
function parseEvents(value: unknown, operation: ParsedOperation, nowMs: number): void {
  if (!Array.isArray(value)) throw new BodyError('INVALID_PARAMETER', `operation ${operation.index}: 'events' must be an array`);
  value.forEach((event, position) => {
    const error = (reason: string) => operation.errors.push({ category: 'event', bulk_index: operation.index, reason: `event ${position}: ${reason}` });
    if (position >= MAX_EVENTS_PER_OPERATION) return error(`more than ${MAX_EVENTS_PER_OPERATION} events in one operation`);
    const problem = eventProblem(event, nowMs);
    if (problem) return error(problem);
    const e = event as ParsedEvent;
    operation.events.push({ name: e.name, time: e.time, attributes: e.attributes });
  });
}

/**
 * `POST /{version}/profiles/update|mass-update` (batch-api.md §1–§4). Order of checks: injected fault →
 * authentication → content type → JSON → shape and per-call limit → rate limit → apply. Only a call that
 * passes everything changes profiles (except the explicit timeoutAfterProcessing fault).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { DOCUMENTED_LIMITS } from './config.js';
import { isJsonContentType, sendError, sendJson, type JsonParse } from './http-util.js';
import { parseOperations } from './operations.js';
import type { SandboxState } from './state.js';
import type { Endpoint, PartialError, RequestLogEntry } from './types.js';

export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  endpoint: Endpoint;
  /** The body, parsed once by the router (it also goes to the request log). */
  parsed: JsonParse;
  entry: RequestLogEntry;
  /** Aborted when the sandbox closes. */
  signal: AbortSignal;
}

export async function handleApiRequest(state: SandboxState, request: ApiRequest): Promise<void> {
  const { req, res, entry } = request;
  const started = performance.now();
  const finish = (status: number | null) => {
    entry.status = status;
    entry.finished = true;
    entry.durationMs = Math.round(performance.now() - started);
  };
  const { latencyMs } = state.config;
  if (latencyMs > 0) {
    try {
      await delay(latencyMs, undefined, { signal: request.signal });
    } catch {
      return finish(null); // sandbox closing
    }
  }
  // A client that gave up during the latency never gets its call processed: Batch would not either
  // deterministically, and the explicit timeoutAfterProcessing fault covers the "applied, not answered" case.
  if (res.destroyed || req.socket.destroyed) return finish(null);

  const fault = state.drawFault();
  entry.fault = fault;
  if (fault === 'connectionReset') {
    req.socket.destroy();
    return finish(null);
  }
  if (fault === 'timeout') return finish(null); // held open; closed by the client or by close()
  if (fault === 'serverError') {
    // 500 and 503 alternate (by request id): both are documented as retryable by clients (§1.6).
    const status = entry.id % 2 === 0 ? 500 : 503;
    sendError(res, status, status === 500 ? 'INTERNAL_SERVER_ERROR' : 'SERVICE_UNAVAILABLE', 'injected server error (sandbox fault)');
    return finish(status);
  }
  if (fault === 'tooManyRequests') {
    sendTooManyRequests(state, res);
    return finish(429);
  }

  const { status, body, headers } = processCall(state, request);
  if (fault === 'timeoutAfterProcessing') return finish(null); // applied, never answered
  sendJson(res, status, body, headers);
  finish(status);
}

export interface CallResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const error = (status: number, code: string, message: string): CallResult => ({ status, body: { error_code: code, error_message: message } });

/** §1.4: Authorization: Bearer <REST API key>, X-Batch-Project: <project key> (required). Null when both pass. */
export function authenticationError(state: SandboxState, req: IncomingMessage): CallResult | null {
  const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  if (!bearer || bearer[1] !== state.restApiKey) {
    return error(401, 'AUTHENTICATION_INVALID', 'Missing or invalid REST API key: send "Authorization: Bearer <REST API key>"');
  }
  const project = req.headers['x-batch-project'];
  // The docs say only that the header is required; a missing project is treated as failed authentication
  // (401) and an unknown project as a key without access to it (403). Both are terminal for clients.
  if (typeof project !== 'string' || project.length === 0) {
    return error(401, 'AUTHENTICATION_INVALID', 'Missing X-Batch-Project header: send the project key');
  }
  if (project !== state.projectKey) {
    return error(403, 'PROJECT_ACCESS_DENIED', 'This REST API key has no access to the project given in X-Batch-Project');
  }
  return null;
}

function processCall(state: SandboxState, { req, endpoint, parsed, entry }: ApiRequest): CallResult {
  const refused = authenticationError(state, req);
  if (refused) return refused;
  // The documented example sends application/json; other types are rejected (stricter, docs silent).
  if (!isJsonContentType(req.headers['content-type'])) {
    return error(400, 'INVALID_CONTENT_TYPE', 'Content-Type must be application/json');
  }
  if (!parsed.ok) return error(400, 'MALFORMED_JSON', parsed.message);
  if (!Array.isArray(parsed.value)) return error(400, 'INVALID_PARAMETER', 'body must be a JSON array of profile operations');
  // An empty array is undocumented; rejected as the stricter reading.
  if (parsed.value.length === 0) return error(400, 'INVALID_PARAMETER', 'body must contain at least one operation');
  const limit = DOCUMENTED_LIMITS[endpoint].maxOperations;
  if (parsed.value.length > limit) {
    return error(400, 'TOO_MANY_OPERATIONS', `at most ${limit} operations per call to /profiles/${endpoint} (got ${parsed.value.length})`);
  }
  const operations = parseOperations(parsed.value);
  if (!operations.ok) return error(400, operations.code, operations.message);
  // §2.2: the budget is counted in custom IDs; each operation is one, duplicates included (stricter).
  if (!state.takeTokens(endpoint, operations.operations.length)) return tooManyRequests(state);

  const now = new Date();
  const errors: PartialError[] = [];
  for (const operation of operations.operations) {
    errors.push(...operation.errors, ...state.profiles.apply(operation, now));
  }
  errors.sort((a, b) => a.bulk_index - b.bulk_index);
  state.recordAccepted(endpoint, operations.operations.length, errors.length);
  return { status: 202, body: errors.length === 0 ? { code: 'SUCCESS' } : { code: 'SUCCESS_WITH_PARTIAL_ERRORS', errors } };
}

function tooManyRequests(state: SandboxState): CallResult {
  const { retryAfterSeconds } = state.config;
  return {
    status: 429,
    body: { error_code: 'TOO_MANY_REQUESTS', error_message: 'Rate limit exceeded: wait a few seconds before retrying' },
    headers: retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) },
  };
}

function sendTooManyRequests(state: SandboxState, res: ServerResponse): void {
  const { status, body, headers } = tooManyRequests(state);
  sendJson(res, status, body, headers);
}

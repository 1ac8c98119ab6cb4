/**
 * Sandbox-only routes under /_sandbox (not part of Batch's API, no authentication):
 *   GET  /_sandbox/profiles               all profiles, typed attributes
 *   GET  /_sandbox/profiles/<custom_id>   one profile or 404
 *   GET  /_sandbox/events                 accepted events: total, distinct keys, duplicates (resent copies)
 *   GET  /_sandbox/requests[?since=<id>]  request log (API calls only)
 *   GET  /_sandbox/stats                  accepted calls/operations per endpoint, 429s, injected faults
 *   GET  /_sandbox/config                 current configuration
 *   POST /_sandbox/config                 change it at runtime (JSON patch, see ConfigPatch)
 *   POST /_sandbox/reset                  forget profiles, log and counters, refill rate buckets
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from './config.js';
import { parseJson, readBody, sendError, sendJson } from './http-util.js';
import type { SandboxState } from './state.js';

export const INSPECTION_PREFIX = '/_sandbox/';
const MAX_CONFIG_BYTES = 64 * 1024;

export async function handleInspection(state: SandboxState, req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
  const route = path.slice(INSPECTION_PREFIX.length);
  const method = req.method ?? 'GET';
  const only = (allowed: string): boolean => {
    if (method === allowed) return true;
    sendError(res, 405, 'METHOD_NOT_ALLOWED', `${method} not allowed on ${path}`, { allow: allowed });
    return false;
  };

  if (route === 'profiles') {
    if (only('GET')) sendJson(res, 200, state.profiles.list());
  } else if (route.startsWith('profiles/')) {
    if (!only('GET')) return;
    const customId = decodeURIComponent(route.slice('profiles/'.length));
    const profile = state.profiles.get(customId);
    if (profile) sendJson(res, 200, profile);
    else sendError(res, 404, 'PROFILE_NOT_FOUND', `no profile with custom_id '${customId}'`);
  } else if (route === 'events') {
    if (only('GET')) sendJson(res, 200, state.profiles.eventSummary());
  } else if (route === 'requests') {
    if (!only('GET')) return;
    const since = Number(query.get('since') ?? '0');
    sendJson(res, 200, state.requests(Number.isFinite(since) ? since : 0));
  } else if (route === 'stats') {
    if (only('GET')) sendJson(res, 200, state.stats());
  } else if (route === 'reset') {
    if (!only('POST')) return;
    state.reset();
    sendJson(res, 200, { reset: true });
  } else if (route === 'config') {
    if (method === 'GET') return sendJson(res, 200, state.config);
    if (!only('POST')) return;
    const parsed = parseJson(await readBody(req, MAX_CONFIG_BYTES));
    if (!parsed.ok) return sendError(res, 400, 'MALFORMED_JSON', parsed.message);
    try {
      sendJson(res, 200, state.configure(parsed.value));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      sendError(res, 400, 'INVALID_CONFIG', error.message);
    }
  } else {
    sendError(res, 404, 'ROUTE_NOT_FOUND', `unknown sandbox route ${path}`);
  }
}

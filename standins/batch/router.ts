/** Request routing of the Batch sandbox: Batch's API paths, the /_sandbox inspection routes, 404/405. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleApiRequest } from './api-handler.js';
import { BodyTooLargeError, parseJson, readBody, sendError, splitUrl, type JsonParse } from './http-util.js';
import { EXPORT_FILES_PREFIX, EXPORT_PATH, handleExportFile, handleExportRoute } from './exports.js';
import { handleInspection, INSPECTION_PREFIX } from './inspection.js';
import type { SandboxState } from './state.js';
import type { Endpoint, RequestLogEntry } from './types.js';

/**
 * `/{version}/profiles/update|mass-update`. Any 2.x version is served with today's rules (§1.3: the current
 * version is unconfirmed; whether old versions keep old limits is too, so the stricter 200 applies to all).
 */
const API_PATH = /^\/2\.\d+\/profiles\/(update|mass-update)$/;

export interface RouterContext {
  state: SandboxState;
  maxBodyBytes: number;
  signal: AbortSignal;
}

export function createRouter(context: RouterContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    route(context, req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendError(res, 500, 'SANDBOX_ERROR', `sandbox bug: ${(error as Error).message}`);
      else res.destroy();
    });
  };
}

async function route({ state, maxBodyBytes, signal }: RouterContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { path, query } = splitUrl(req.url);
  if (path.startsWith(EXPORT_FILES_PREFIX)) return handleExportFile(state, res, path);
  if (EXPORT_PATH.test(path)) return handleExportRoute(state, req, res, path, query);
  if (path.startsWith(INSPECTION_PREFIX)) return handleInspection(state, req, res, path, query);

  const method = req.method ?? 'GET';
  const endpoint = (API_PATH.exec(path)?.[1] ?? null) as Endpoint | null;
  let parsed: JsonParse = { ok: false, text: null, message: 'body not read' };
  let tooLarge = false;
  if (endpoint && method === 'POST') {
    try {
      parsed = parseJson(await readBody(req, maxBodyBytes));
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      tooLarge = true;
    }
  }
  const entry: RequestLogEntry = state.logRequest({
    time: new Date().toISOString(),
    method,
    path,
    endpoint,
    status: null,
    operations: parsed.ok && Array.isArray(parsed.value) ? parsed.value.length : null,
    body: state.logBodies ? (parsed.ok ? parsed.value : parsed.text) : null,
    fault: null,
    finished: false,
    durationMs: 0,
  });
  const answer = (status: number, code: string, message: string, headers: Record<string, string> = {}) => {
    sendError(res, status, code, message, headers);
    entry.status = status;
    entry.finished = true;
  };
  if (!endpoint) return answer(404, 'ROUTE_NOT_FOUND', `no route for ${method} ${path} (expected POST /2.x/profiles/update or /2.x/profiles/mass-update)`);
  if (method !== 'POST') return answer(405, 'METHOD_NOT_ALLOWED', `${method} not allowed on ${path}`, { allow: 'POST' });
  // Batch documents no byte limit; this guard only protects the sandbox's memory.
  if (tooLarge) return answer(413, 'PAYLOAD_TOO_LARGE', `body larger than ${maxBodyBytes} bytes`, { connection: 'close' });
  await handleApiRequest(state, { req, res, endpoint, parsed, entry, signal });
}

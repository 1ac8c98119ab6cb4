/**
 * The export routes of the sandbox (shapes and sources: export-store.ts). Same authentication as the
 * profile writes (§1.4). The download answers 307 to a link under /_sandbox/export-files/, which needs no
 * key, like a pre-signed link; a client must not send its key there.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticationError, error, type CallResult } from './api-handler.js';
import type { ExportRequestBody } from './export-store.js';
import { isJsonContentType, parseJson, readBody, sendJson } from './http-util.js';
import type { SandboxState } from './state.js';

export const EXPORT_PATH = /^\/(2\.\d+)\/(profiles\/export|exports\/view|exports\/download)$/;
export const EXPORT_FILES_PREFIX = '/_sandbox/export-files/';
const MAX_EXPORT_BODY = 64 * 1024;

function origin(req: IncomingMessage): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

function parseRequest(value: unknown): ExportRequestBody | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'body must be a JSON object';
  const body = value as Record<string, unknown>;
  if (body.export_type !== 'ATTRIBUTES') return 'export_type must be "ATTRIBUTES" (the sandbox exports attributes only)';
  if (body.filter !== undefined) return 'filter: the sandbox has no segments (Batch filters exports by segment only)';
  const list = (key: string) => (body[key] === undefined ? [] : Array.isArray(body[key]) && (body[key] as unknown[]).every((v) => typeof v === 'string') ? (body[key] as string[]) : null);
  const attributes = list('attributes');
  const identifiers = list('identifiers');
  if (attributes === null || identifiers === null) return 'attributes and identifiers must be arrays of strings';
  // "You must specify at least one of attributes, identifiers or both in your export request."
  if (attributes.length === 0 && identifiers.length === 0) return 'specify at least one of attributes, identifiers or both';
  return { export_type: 'ATTRIBUTES', attributes, identifiers };
}

async function answer(state: SandboxState, req: IncomingMessage, version: string, route: string, query: URLSearchParams): Promise<CallResult & { headers?: Record<string, string> }> {
  const method = req.method ?? 'GET';
  const expected = route === 'profiles/export' ? 'POST' : 'GET';
  if (method !== expected) return error(405, 'METHOD_NOT_ALLOWED', `${method} not allowed on /${version}/${route}`);
  const refused = authenticationError(state, req);
  if (refused) return refused;
  if (route === 'profiles/export') {
    if (!isJsonContentType(req.headers['content-type'])) return error(400, 'INVALID_CONTENT_TYPE', 'Content-Type must be application/json');
    const parsed = parseJson(await readBody(req, MAX_EXPORT_BODY));
    if (!parsed.ok) return error(400, 'MALFORMED_JSON', `The request is malformed: ${parsed.message}`);
    const request = parseRequest(parsed.value);
    if (typeof request === 'string') return error(400, 'INVALID_PARAMETER', `The request is malformed: ${request}`);
    return { status: 202, body: { id: state.exports.create(request, state.profiles) } };
  }
  const id = query.get('id') ?? '';
  if (route === 'exports/view') {
    const view = state.exports.view(id, (fileId) => `${origin(req)}/${version}/exports/download?id=${fileId}`);
    return view ? { status: 200, body: view } : error(404, 'EXPORT_NOT_FOUND', `no export request with id '${id}'`);
  }
  const link = state.exports.link(id);
  if (!link) return error(404, 'FILE_NOT_FOUND', `no downloadable file with id '${id}' (the export must be SUCCESS)`);
  return { status: 307, body: {}, headers: { location: `${origin(req)}${EXPORT_FILES_PREFIX}${link}` } };
}

export async function handleExportRoute(state: SandboxState, req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
  const match = EXPORT_PATH.exec(path)!;
  const result = await answer(state, req, match[1]!, match[2]!, query);
  sendJson(res, result.status, result.body, result.headers ?? {});
}

/** The "pre-signed" link: no key, the file's JSON lines. */
export function handleExportFile(state: SandboxState, res: ServerResponse, path: string): void {
  const content = state.exports.fileByLink(path.slice(EXPORT_FILES_PREFIX.length));
  if (content === null) return sendJson(res, 403, { error_code: 'LINK_EXPIRED', error_message: 'unknown or expired link: call /exports/download again' });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(content) });
  res.end(content);
}

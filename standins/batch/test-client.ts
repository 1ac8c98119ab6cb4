/** A plain fetch client for the sandbox tests: sends exactly what it is given, nothing is mocked. */
import type { BatchSandbox } from './index.js';
import type { Endpoint } from './types.js';

export const API_VERSION = '2.11';

export interface CallOptions {
  /** Replaces the default headers (valid auth + JSON); a null value removes that header. */
  headers?: Record<string, string | null>;
  /** Raw body text instead of JSON.stringify(body). */
  rawBody?: string;
  signal?: AbortSignal;
  version?: string;
}

export interface CallResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON from the wire
  headers: Headers;
}

export async function callProfiles(sandbox: BatchSandbox, endpoint: Endpoint, body: unknown, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${sandbox.restApiKey}`,
    'x-batch-project': sandbox.projectKey,
    'content-type': 'application/json',
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  const response = await fetch(`${sandbox.apiUrl}/${options.version ?? API_VERSION}/profiles/${endpoint}`, {
    method: 'POST',
    headers,
    body: options.rawBody ?? JSON.stringify(body),
    signal: options.signal,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

export async function getJson(sandbox: BatchSandbox, path: string, init?: RequestInit): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${sandbox.apiUrl}${path}`, init);
  return { status: response.status, body: await response.json() };
}

/** `count` operations on custom IDs `${prefix}0…`, each setting one string attribute. */
export function operations(count: number, prefix = 'user_', attributes: Record<string, unknown> = { firstname: 'Jane' }) {
  return Array.from({ length: count }, (_, i) => ({ identifiers: { custom_id: `${prefix}${i}` }, attributes }));
}

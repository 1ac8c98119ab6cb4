/**
 * One harmless authenticated call to Batch, so a wrong REST API key or project key stops init before it
 * writes anything (issue 12 §2) instead of "Setup complete" and a first run failing with 401.
 * The call: POST /{version}/profiles/update with an empty array — no operation, so no profile can change.
 * Batch checks `Authorization: Bearer <REST API key>` and `X-Batch-Project` (batch-api.md §1.4) before the
 * body; an empty body is undocumented (the sandbox, modelling the stricter reading, answers 400 after
 * authenticating). So: 401 = key refused, 403 = key without access to the project, any other 4xx or a 2xx
 * = authenticated; 429/5xx = Batch could not tell now (said, not fatal); no answer = Batch unreachable.
 */
import { BATCH_API_VERSION } from '../../../worker/batch/constants.js';

export type KeyCheck =
  | { ok: true; status: number }
  | { ok: false; reason: 'key-refused' | 'project-refused' | 'unreachable' | 'unverified'; status: number | null; detail: string };

export interface VerifyKeyInput {
  /** Base URL, e.g. https://api.batch.com (no trailing slash). */
  apiUrl: string;
  restKey: string;
  projectKey: string;
  timeoutMs?: number;
}

async function errorText(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error_code?: unknown; error_message?: unknown } | null;
  return [body?.error_code, body?.error_message].filter((v) => typeof v === 'string').join(': ') || `HTTP ${response.status}`;
}

export async function verifyBatchKey(input: VerifyKeyInput): Promise<KeyCheck> {
  const url = `${input.apiUrl}/${BATCH_API_VERSION}/profiles/update`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${input.restKey}`, 'x-batch-project': input.projectKey, 'content-type': 'application/json' },
      body: '[]',
      signal: AbortSignal.timeout(input.timeoutMs ?? 15_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    return { ok: false, reason: 'unreachable', status: null, detail: `${url}: ${typeof cause === 'string' ? cause : (error as Error).message}` };
  }
  if (response.status === 401) return { ok: false, reason: 'key-refused', status: 401, detail: await errorText(response) };
  if (response.status === 403) return { ok: false, reason: 'project-refused', status: 403, detail: await errorText(response) };
  if (response.status === 429 || response.status >= 500) return { ok: false, reason: 'unverified', status: response.status, detail: await errorText(response) };
  await response.body?.cancel().catch(() => undefined);
  return { ok: true, status: response.status };
}

/**
 * Batch's profile export, asynchronous (batch-api.md §9.1; https://doc.batch.com/developer/api/cep/profiles/export,
 * https://doc.batch.com/developer/api/cep/exports/view, https://doc.batch.com/api/project-export/download):
 * POST /{version}/profiles/export {"export_type":"ATTRIBUTES","attributes":[…],"identifiers":["custom_id"]} →
 * 202 {"id"}; poll GET /{version}/exports/view?id= until SUCCESS (files[]) or ERROR; GET /exports/download?id=
 * answers 307 with the file's link in Location, fetched WITHOUT the key (it may point at another host).
 * Batch documents no per-ID filter, so the whole project's attributes are exported and the sample picked here.
 * The file's content is not documented in what we could read: JSON lines or one JSON array of
 * {identifiers:{custom_id}, attributes:{…}} are both read (UNCONFIRMED).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BATCH_API_VERSION } from '../../../shared/batch/constants.js';
import { UserError } from '../../../shared/errors.js';

export interface ExportInput {
  apiUrl: string;
  restKey: string;
  projectKey: string;
  attributes: string[];
  timeoutMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
}

export type ExportedProfiles = Map<string, Record<string, unknown>>;

function batchError(what: string, status: number, body: string): UserError {
  const fix = status === 401 || status === 403 ? 'Check BATCH_REST_API_KEY and the project key.' : 'Try again later; `--verbose` shows the calls.';
  return new UserError('batch', `BATCH_EXPORT_HTTP_${status}`, `Batch refused the ${what} (HTTP ${status}): ${body.slice(0, 300)}`, { suggestion: fix });
}

function parseFile(text: string, into: ExportedProfiles): void {
  const trimmed = text.trim();
  const items: unknown[] = trimmed.startsWith('[') ? (JSON.parse(trimmed) as unknown[]) : trimmed.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
  for (const item of items) {
    const p = item as { identifiers?: { custom_id?: unknown }; attributes?: Record<string, unknown> };
    if (p.identifiers?.custom_id !== undefined) into.set(String(p.identifiers.custom_id), p.attributes ?? {});
  }
}

export async function exportProfiles(input: ExportInput): Promise<ExportedProfiles> {
  const headers = { authorization: `Bearer ${input.restKey}`, 'x-batch-project': input.projectKey };
  const base = `${input.apiUrl}/${BATCH_API_VERSION}`;
  const created = await fetch(`${base}/profiles/export`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ export_type: 'ATTRIBUTES', attributes: input.attributes, identifiers: ['custom_id'] }),
    ...(input.signal ? { signal: input.signal } : {}),
  });
  if (created.status !== 202) throw batchError('export request', created.status, await created.text());
  const { id } = (await created.json()) as { id: string };
  const deadline = Date.now() + input.timeoutMs;
  for (;;) {
    const viewed = await fetch(`${base}/exports/view?id=${encodeURIComponent(id)}`, { headers, ...(input.signal ? { signal: input.signal } : {}) });
    if (viewed.status !== 200) throw batchError('export status request', viewed.status, await viewed.text());
    const view = (await viewed.json()) as { status: string; files?: Array<{ id: string; url: string }> };
    if (view.status === 'ERROR') throw new UserError('batch', 'BATCH_EXPORT_FAILED', `Batch's export ${id} ended with status ERROR.`, { suggestion: 'Run verify again; if it keeps failing, contact Batch support with the export id.' });
    if (view.status === 'SUCCESS') {
      const profiles: ExportedProfiles = new Map();
      for (const file of view.files ?? []) {
        const download = await fetch(`${base}/exports/download?id=${encodeURIComponent(file.id)}`, { headers, redirect: 'manual' });
        const location = download.headers.get('location');
        if (download.status !== 307 || !location) throw batchError('export download', download.status, await download.text());
        const content = await fetch(location); // no key: the link is self-authorising and may be another host
        if (!content.ok) throw batchError('export file', content.status, await content.text());
        parseFile(await content.text(), profiles);
      }
      return profiles;
    }
    if (Date.now() > deadline) throw new UserError('batch', 'BATCH_EXPORT_TIMEOUT', `Batch's export ${id} did not finish in ${Math.round(input.timeoutMs / 1000)} s (status ${view.status}).`, { suggestion: 'Run verify again with a longer --timeout.' });
    await sleep(input.pollIntervalMs, undefined, input.signal ? { signal: input.signal } : {});
  }
}

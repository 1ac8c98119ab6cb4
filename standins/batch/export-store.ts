/**
 * Profile exports of the sandbox (batch-api.md §9.1): `POST /{version}/profiles/export` creates a request
 * (202 `{"id": "export_…"}`), `GET /{version}/exports/view?id=` reports its status (CREATED, PENDING,
 * RUNNING, SUCCESS, ERROR) and, on SUCCESS, `files[]` of `{id, part, size, url}`; `GET
 * /{version}/exports/download?id=file_…` answers 307 with the file's link in `Location` (expires after
 * 20 minutes, per the download page). Sources: https://doc.batch.com/developer/api/cep/profiles/export,
 * https://doc.batch.com/developer/api/cep/exports/view, https://doc.batch.com/api/project-export/download.
 *
 * The data is a snapshot taken when the request is created. The file's content is not documented in what
 * we could read ("output JSON files", ≤ 100 MB each): the sandbox writes JSON lines, one profile per line,
 * `{"identifiers": {"custom_id": …}, "attributes": {name: value}}` with dates and URLs as strings
 * (UNCONFIRMED shape; the CLI's reader also accepts one JSON array). Batch documents no per-ID filter, only
 * `filter.segment`: the sandbox has no segments, so a filter is refused (stricter).
 */
import { randomBytes } from 'node:crypto';
import type { ProfileStore } from './profile-store.js';
import type { StoredProfile } from './types.js';

export type ExportStatus = 'CREATED' | 'PENDING' | 'RUNNING' | 'SUCCESS' | 'ERROR';

/** How long the sandbox's export "runs": long enough that a client must poll, short enough for tests. */
export const EXPORT_DURATION_MS = 300;
/** The download link's lifetime (download page: "The link to the file will expire after 20 minutes"). */
export const LINK_TTL_MS = 20 * 60 * 1000;

export interface ExportRequestBody {
  export_type: 'ATTRIBUTES';
  attributes?: string[];
  identifiers?: string[];
}

interface StoredExport {
  id: string;
  request: ExportRequestBody;
  requestedAt: Date;
  createdMs: number;
  fileId: string;
  content: string;
}

const token = (prefix: string) => `${prefix}_${randomBytes(16).toString('hex')}`;

function exported(profile: StoredProfile, request: ExportRequestBody): Record<string, unknown> | null {
  if (!('custom_id' in profile.identifiers)) return null;
  const attributes: Record<string, unknown> = {};
  for (const name of request.attributes ?? []) {
    const stored = profile.attributes[name];
    if (stored) attributes[name] = stored.value;
  }
  const identifiers = (request.identifiers ?? []).includes('custom_id') ? { custom_id: profile.identifiers.custom_id } : {};
  return { identifiers, attributes };
}

export class ExportStore {
  private readonly exports = new Map<string, StoredExport>();
  private readonly links = new Map<string, { fileId: string; expiresMs: number }>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  create(request: ExportRequestBody, profiles: ProfileStore): string {
    const lines = profiles.list().map((p) => exported(p, request)).filter((p): p is Record<string, unknown> => p !== null);
    const id = token('export');
    this.exports.set(id, { id, request, requestedAt: new Date(), createdMs: this.clock(), fileId: token('file'), content: lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length > 0 ? '\n' : '') });
    return id;
  }

  /** The view: status by elapsed time (CREATED → PENDING → RUNNING → SUCCESS), files once it succeeded. */
  view(id: string, fileUrl: (fileId: string) => string): Record<string, unknown> | null {
    const e = this.exports.get(id);
    if (!e) return null;
    const elapsed = this.clock() - e.createdMs;
    const status: ExportStatus = elapsed >= EXPORT_DURATION_MS ? 'SUCCESS' : elapsed >= EXPORT_DURATION_MS / 2 ? 'RUNNING' : elapsed >= EXPORT_DURATION_MS / 4 ? 'PENDING' : 'CREATED';
    const iso = (ms: number) => new Date(e.requestedAt.getTime() + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      id: e.id,
      request_date: iso(0),
      scope: 'PROFILE_ATTRIBUTES',
      status,
      request: e.request,
      ...(status === 'RUNNING' || status === 'SUCCESS' ? { start_date: iso(EXPORT_DURATION_MS / 2) } : {}),
      ...(status === 'SUCCESS' ? { completion_date: iso(EXPORT_DURATION_MS), files: [{ id: e.fileId, part: 1, size: Buffer.byteLength(e.content), url: fileUrl(e.fileId) }] } : { files: [] }),
    };
  }

  /** A fresh link token for a finished export's file (null: unknown file or export not finished). */
  link(fileId: string): string | null {
    const e = [...this.exports.values()].find((x) => x.fileId === fileId);
    if (!e || this.clock() - e.createdMs < EXPORT_DURATION_MS) return null;
    const linkId = token('link');
    this.links.set(linkId, { fileId, expiresMs: this.clock() + LINK_TTL_MS });
    return linkId;
  }

  /** The file behind a link (null: unknown or expired link). */
  fileByLink(linkId: string): string | null {
    const link = this.links.get(linkId);
    if (!link || this.clock() > link.expiresMs) return null;
    return [...this.exports.values()].find((x) => x.fileId === link.fileId)?.content ?? null;
  }

  clear(): void {
    this.exports.clear();
    this.links.clear();
  }
}

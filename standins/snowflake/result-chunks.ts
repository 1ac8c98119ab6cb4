/**
 * Large results: the first `chunkRows` rows go inline in `rowset`, the rest are served as gzip chunks
 * from the same server (reference §3.6). Chunk URLs carry an unguessable id and, like the pre-signed cloud
 * storage URLs Snowflake hands out, need no Authorization header.
 */
import { randomBytes } from 'node:crypto';

export type WireRow = Array<string | null>;

/** A result's wire rows by range: an array's, or a large result's converted only when a range is served. */
export interface WireRows {
  readonly count: number;
  slice(start: number, end: number): WireRow[];
}

export const wireRowsOf = (rows: WireRow[]): WireRows => ({ count: rows.length, slice: (start, end) => rows.slice(start, end) });

export interface ChunkRef {
  url: string;
  rowCount: number;
  uncompressedSize: number;
  compressedSize: number;
}

interface StoredResult {
  sessionKey: string;
  rows: WireRows;
  chunkRows: number;
}

/** How many chunked results a session keeps downloadable (older ones are dropped, oldest first). */
const RESULTS_KEPT_PER_SESSION = 8;

export class ResultChunkStore {
  private readonly results = new Map<string, StoredResult>();

  /** Splits `rows` into the inline rowset and chunk references served under `baseUrl`. */
  split(sessionKey: string, rows: WireRows, chunkRows: number, baseUrl: string): { rowset: WireRow[]; chunks: ChunkRef[] } {
    if (rows.count <= chunkRows) return { rowset: rows.slice(0, rows.count), chunks: [] };
    const id = randomBytes(16).toString('hex');
    this.results.set(id, { sessionKey, rows, chunkRows });
    this.evictOld(sessionKey);
    const chunks: ChunkRef[] = [];
    for (let start = chunkRows, index = 1; start < rows.count; start += chunkRows, index++) {
      const rowCount = Math.min(chunkRows, rows.count - start);
      chunks.push({ url: `${baseUrl}/_results/${id}/chunks/${index}`, rowCount, uncompressedSize: 0, compressedSize: 0 });
    }
    return { rowset: rows.slice(0, chunkRows), chunks };
  }

  /**
   * Chunk body: the rows as JSON arrays joined by commas, without the outer brackets (the driver does
   * `JSON.parse('[' + body + ']')`, chunk.js). Null when the result or chunk does not exist.
   */
  chunkBody(resultId: string, index: number): string | null {
    const result = this.results.get(resultId);
    if (!result || !Number.isInteger(index) || index < 1) return null;
    const start = index * result.chunkRows;
    if (start >= result.rows.count) return null;
    const text = JSON.stringify(result.rows.slice(start, start + result.chunkRows));
    return text.slice(1, -1);
  }

  /** Rows per chunk of a stored result (0 when unknown): chunk N starts at row N × this. */
  chunkRowsOf(resultId: string): number {
    return this.results.get(resultId)?.chunkRows ?? 0;
  }

  /** The session key a stored result belongs to, or null. */
  ownerOf(resultId: string): string | null {
    return this.results.get(resultId)?.sessionKey ?? null;
  }

  dropSession(sessionKey: string): void {
    for (const [id, result] of this.results) if (result.sessionKey === sessionKey) this.results.delete(id);
  }

  get size(): number {
    return this.results.size;
  }

  private evictOld(sessionKey: string): void {
    const ids = [...this.results].filter(([, r]) => r.sessionKey === sessionKey).map(([id]) => id);
    for (const id of ids.slice(0, Math.max(0, ids.length - RESULTS_KEPT_PER_SESSION))) this.results.delete(id);
  }
}

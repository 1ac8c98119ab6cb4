/** Small HTTP helpers shared by the Snowflake stand-in's routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as zlibConstants, gunzipSync, gzip } from 'node:zlib';

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Reads a request body as JSON. The driver starts an async gzip of every body and sets
 * `Content-Encoding: gzip` only when it finishes in time (reference §3.1), so the gzip magic bytes are
 * sniffed instead of trusting the header. An empty body yields `{}`.
 */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req) {
    const buf = part as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body larger than ${MAX_BODY_BYTES} bytes`);
    parts.push(buf);
  }
  let raw = Buffer.concat(parts);
  if (raw.length === 0) return {};
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  const parsed: unknown = JSON.parse(raw.toString('utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('request body is not a JSON object');
  return parsed as Record<string, unknown>;
}

/** The driver only JSON-parses bodies whose Content-Type contains application/json (reference §3.1). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Result chunks: gzip with a non-JSON content type, as cloud storage serves them (reference §3.6). Compressed
 * at the fastest level and off the event loop (zlib's thread pool): the format is what the driver expects
 * whatever the level, and a stand-in that spends its one thread compressing would slow every other session's
 * statements, which is not what a warehouse serving chunks from cloud storage does.
 */
export function sendGzipChunk(res: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve) => {
    gzip(Buffer.from(text, 'utf8'), { level: zlibConstants.Z_BEST_SPEED }, (error, body) => {
      if (error) {
        sendText(res, 500, 'InternalError');
      } else {
        res.writeHead(200, {
          'Content-Type': 'application/octet-stream',
          'Content-Encoding': 'gzip',
          'Content-Length': body.length,
        });
        res.end(body);
      }
      resolve();
    });
  });
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/** `Authorization: Snowflake Token="…"` → the token, or null. */
export function snowflakeToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? '';
  const match = /^Snowflake Token="([^"]*)"$/.exec(header.trim());
  return match?.[1] ?? null;
}

/** Success envelope used by every Snowflake REST answer. */
export function ok(data: unknown = null): { success: true; code: null; message: null; data: unknown } {
  return { success: true, code: null, message: null, data };
}

/** Failure envelope: HTTP 200 with success:false (reference §3.1, §3.5). */
export function failure(code: string, message: string, data: Record<string, unknown> = {}): Record<string, unknown> {
  return { success: false, code, message, data: { internalError: false, errorCode: code, age: 0, ...data }, headers: null };
}

export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

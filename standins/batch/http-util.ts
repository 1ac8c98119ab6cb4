/** Small HTTP helpers for the Batch sandbox (node:http, no framework). */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Batch's error body `{ error_code, error_message }` (batch-api.md §1.6, [3RD-PARTY] S9/S13). Only
 * AUTHENTICATION_INVALID and TOO_MANY_REQUESTS are attested; our other codes are descriptive inventions,
 * so clients should decide on the HTTP status, not on the code.
 */
export interface BatchErrorBody {
  error_code: string;
  error_message: string;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error_code: code, error_message: message } satisfies BatchErrorBody, headers);
}

export class BodyTooLargeError extends Error {}

/** Reads the whole body, refusing more than `maxBytes` (a memory guard: Batch documents no byte limit). */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) throw new BodyTooLargeError(`body larger than ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export type JsonParse = { ok: true; value: unknown } | { ok: false; text: string | null; message: string };

export function parseJson(body: Buffer): JsonParse {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    return { ok: false, text: null, message: 'body is not valid UTF-8' };
  }
  if (text.trim().length === 0) return { ok: false, text, message: 'body is empty' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, text, message: `body is not valid JSON: ${(error as Error).message}` };
  }
}

export function isJsonContentType(header: string | undefined): boolean {
  return header !== undefined && header.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** Path without query string, and the query parameters. */
export function splitUrl(rawUrl: string | undefined): { path: string; query: URLSearchParams } {
  const url = new URL(rawUrl ?? '/', 'http://sandbox.invalid');
  return { path: url.pathname, query: url.searchParams };
}

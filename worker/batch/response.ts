import type { ItemError, ProfileOperation } from './types.js';

const MAX_MESSAGE_CHARS = 500;

interface RawItemError {
  category?: unknown;
  bulk_index?: unknown;
  reason?: unknown;
  attribute?: unknown;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A 202 is either {"code":"SUCCESS"} or {"code":"SUCCESS_WITH_PARTIAL_ERRORS","errors":[…]} (§1.5, §4).
 * Each error's bulk_index points into the request array; map it back to the custom_id that was sent.
 */
export function parseAcceptedBody(
  text: string,
  sent: readonly ProfileOperation[] | (() => readonly ProfileOperation[]),
): ItemError[] {
  const body = parseJson(text) as { code?: unknown; errors?: unknown } | undefined;
  if (!body || !Array.isArray(body.errors) || body.errors.length === 0) return [];
  const operations = typeof sent === 'function' ? sent() : sent;
  return (body.errors as RawItemError[]).map((raw) => {
    const bulkIndex = typeof raw.bulk_index === 'number' ? raw.bulk_index : Number(raw.bulk_index ?? -1);
    const item: ItemError = {
      customId: operations[bulkIndex]?.identifiers.custom_id,
      bulkIndex,
      category: typeof raw.category === 'string' ? raw.category : 'unknown',
      reason: typeof raw.reason === 'string' ? raw.reason : JSON.stringify(raw.reason ?? 'unspecified'),
    };
    if (typeof raw.attribute === 'string') item.attribute = raw.attribute;
    return item;
  });
}

/** Error bodies are {"error_code","error_message"} per third-party notes (§1.6); fall back to raw text. */
export function parseErrorBody(text: string): { errorCode: string | undefined; message: string } {
  const body = parseJson(text) as { error_code?: unknown; error_message?: unknown } | undefined;
  const errorCode = typeof body?.error_code === 'string' ? body.error_code : undefined;
  const message =
    typeof body?.error_message === 'string' ? body.error_message : text.slice(0, MAX_MESSAGE_CHARS) || '(empty body)';
  return { errorCode, message: message.slice(0, MAX_MESSAGE_CHARS) };
}

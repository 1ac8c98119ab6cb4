/** Value excerpts for rejections: short enough for a log line or a table cell, never the whole value. */

export const EXCERPT_MAX = 100;

/** At most EXCERPT_MAX UTF-16 units (never splitting a surrogate pair), then "…" and the full length. */
export function valueExcerpt(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = render(value);
  if (text.length <= EXCERPT_MAX) return text;
  let head = text.slice(0, EXCERPT_MAX);
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return `${head}… (${text.length} chars)`;
}

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Buffer.isBuffer(value)) return `0x${value.subarray(0, EXCERPT_MAX).toString('hex').toUpperCase()}`;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

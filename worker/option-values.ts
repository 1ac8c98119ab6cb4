/** Small parsers for the worker's argument values: object names, column lists, the Batch base URL. */
import { usageError } from '../src/core/errors.js';
import { parseQualifiedName, renderQualifiedName } from '../src/sql/identifiers.js';
import type { QualifiedName } from './options-types.js';

export function fromParts(parts: readonly string[]): QualifiedName {
  return { parts: [...parts], sql: renderQualifiedName(parts), name: parts[parts.length - 1] ?? '' };
}

/** A Snowflake object name; it ends up interpolated in SQL, so it is parsed and re-rendered, never pasted. */
export function qualifiedName(input: string, flag: string, expectedParts: readonly number[]): QualifiedName {
  return fromParts(parseQualifiedName(input, `${flag} value`, expectedParts));
}

/**
 * "A, b ,C" → ['A', 'b', 'C']; empty or missing → []. Batch's job strips and compares case-insensitively; a
 * name written in double quotes ("Birth Date") is unquoted so that it matches the column as Snowflake names it.
 */
export function splitColumnList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => (item.length >= 2 && item.startsWith('"') && item.endsWith('"') ? item.slice(1, -1).replaceAll('""', '"') : item));
}

/** BATCH_API_URL (default https://api.batch.com), without a trailing slash; the sandbox is http://127.0.0.1:PORT. */
export function batchApiUrl(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return 'https://api.batch.com';
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    url = new URL('invalid:');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.host === '' || url.search !== '' || url.hash !== '') {
    throw usageError('BATCH_API_URL_INVALID', `BATCH_API_URL is not an http(s) base URL: ${JSON.stringify(value)}.`, {
      suggestion: 'Set BATCH_API_URL to https://api.batch.com (the default, or unset it) or to the sandbox, e.g. http://127.0.0.1:8080.',
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw usageError('BATCH_API_URL_INVALID', 'BATCH_API_URL must not contain credentials.', { suggestion: 'Put the REST API key in BATCH_REST_API_KEY instead.' });
  }
  return url.toString().replace(/\/+$/, '');
}

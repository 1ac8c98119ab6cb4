/**
 * URL attributes: `url(name)`, at most 2048 characters, format `scheme://[authority][path][?query][#fragment]`
 * (batch-api.md §3.5, SDK rule). Custom schemes are allowed (app deep links such as `myapp://product/12`).
 * Decision: javascript:, vbscript: and data: URLs are rejected even with `//`: these attributes end up as
 * links in messages, and a script URL there is never legitimate.
 */
import { EMPTY, describeType, isBlank, reject, type ValueResult } from './values.js';

export const URL_MAX = 2048;
const URL_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/[^\s\u0000-\u001f\u007f]+$/;
const FORBIDDEN_SCHEMES = new Set(['javascript', 'vbscript', 'data']);

export function urlValue(value: unknown): ValueResult {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value !== 'string') return reject('invalid_url', `Expected a URL string, got ${describeType(value)}.`);
  if (isBlank(value)) return EMPTY;
  if (value.length > URL_MAX) {
    return reject('url_too_long', `URL of ${value.length} characters; Batch accepts at most ${URL_MAX} (not truncated).`);
  }
  const match = URL_SHAPE.exec(value);
  if (!match) {
    return reject(
      'invalid_url',
      'Not a URL of the form scheme://…, or it contains spaces. Add the scheme in the view, e.g. ' +
        "'https://' || col.",
    );
  }
  const scheme = (match[1] ?? '').toLowerCase();
  if (FORBIDDEN_SCHEMES.has(scheme)) return reject('invalid_url', `${scheme}: URLs are not sent (unsafe in messages).`);
  return { kind: 'value', value };
}

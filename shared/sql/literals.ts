/**
 * Values inside SQL and inside the YAML service specification.
 *
 * SQL: Snowflake single-quoted string literals treat backslash as an escape character (SQL reference
 * "String & binary data types", escape sequences), so `'` AND `\` must both be escaped — escaping only the
 * quote lets a value ending in `\` swallow the closing quote.
 *
 * YAML: the specification travels inside a `$$ … $$` dollar-quoted string, which has no escapes at all: a
 * `$$` inside would end it early. YAML double-quoted scalars support `\xNN` escapes, so every `$` is written as
 * `\x24` and the rendered spec never contains `$$`; the YAML parser restores the exact value.
 */
import { usageError } from '../errors.js';

// eslint-disable-next-line no-control-regex
const DISALLOWED_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A Snowflake single-quoted string literal with the exact value. */
export function sqlLiteral(value: string): string {
  if (DISALLOWED_CONTROL.test(value)) {
    throw usageError('INVALID_VALUE', `The value ${JSON.stringify(value)} contains control characters.`, {
      suggestion: 'Remove control characters (other than newline and tab) from the value.',
    });
  }
  const escaped = value
    .replaceAll('\\', '\\\\')
    .replaceAll("'", "''")
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t');
  return `'${escaped}'`;
}

const YAML_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  $: '\\x24',
};

/** A YAML double-quoted scalar with the exact value; contains no `$`, no raw control or line-break character. */
export function yamlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    const mapped = YAML_ESCAPES[ch];
    if (mapped !== undefined) out += mapped;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    // NEL, line/paragraph separators and BOM are line breaks or invisible in YAML: escape them too.
    else if (code === 0x85 || code === 0x2028 || code === 0x2029 || code === 0xfeff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The text between `$$` delimiters must not contain `$$` (defence in depth after yamlString). */
export function assertDollarQuotable(text: string): string {
  if (text.includes('$$')) throw new Error('internal: a $$-quoted body would contain $$');
  return text;
}

/**
 * Attribute names: Batch accepts `[a-z0-9_]`, at most 30 characters (batch-api.md §3.3); we lowercase the
 * column name first, like Batch's SDKs and Batch's own job do. The 30-character limit applies to the bare
 * name inside `date(...)` / `url(...)`. Names starting with `$` are Batch's native attributes (§3.4).
 */

export const ATTRIBUTE_NAME_MAX = 30;
const ATTRIBUTE_NAME = /^[a-z0-9_]{1,30}$/;

/** Batch's native attributes (batch-api.md §3.4) and what they are. */
export const NATIVE_ATTRIBUTES = [
  '$email_address',
  '$email_marketing',
  '$phone_number',
  '$sms_marketing',
  '$language',
  '$region',
  '$timezone',
] as const;
export type NativeAttribute = (typeof NATIVE_ATTRIBUTES)[number];

export function isNativeAttribute(name: string): name is NativeAttribute {
  return (NATIVE_ATTRIBUTES as readonly string[]).includes(name);
}

/** Stream metadata columns (snowflake-spcs.md §1.4): METADATA$ACTION, METADATA$ISUPDATE, METADATA$ROW_ID. */
export function isMetadataColumn(column: string): boolean {
  return column.toUpperCase().startsWith('METADATA$');
}

/** Column names are matched case-insensitively, as Batch's own job does (it upper-cases both sides). */
export function sameColumn(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}

export function isValidAttributeName(name: string): boolean {
  return ATTRIBUTE_NAME.test(name);
}

/**
 * A valid attribute name close to the column name: accents stripped, other characters → '_', repeated
 * underscores collapsed, cut to 30 characters. Used in messages ("alias it in the view: … AS first_name").
 */
export function suggestAttributeName(column: string): string {
  const ascii = column
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const cleaned = ascii
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  const cut = cleaned.slice(0, ATTRIBUTE_NAME_MAX).replace(/_+$/, '');
  return cut === '' ? 'attribute' : cut;
}

/** Snowflake SQL text for a column reference: unquoted when it resolves to itself, quoted otherwise. */
export function sqlColumnReference(column: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(column) ? column : `"${column.replace(/"/g, '""')}"`;
}

/** Why a column name is not a valid attribute name, with the alias to use; null when it is valid. */
export function attributeNameProblem(column: string): { message: string; suggestedAlias: string } | null {
  const name = column.toLowerCase();
  if (isValidAttributeName(name)) return null;
  const alias = suggestAttributeName(column);
  const what =
    name.length > ATTRIBUTE_NAME_MAX
      ? `is ${name.length} characters long (Batch allows at most ${ATTRIBUTE_NAME_MAX})`
      : 'contains characters other than letters, digits and underscores';
  return {
    message:
      `Column ${JSON.stringify(column)} ${what}, so it is not a valid Batch attribute name. ` +
      `Alias it in the view: SELECT ${sqlColumnReference(column)} AS ${alias}`,
    suggestedAlias: alias,
  };
}

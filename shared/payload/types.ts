/**
 * Types of THE row → Batch profile operation transform, shared by the worker and the wizard's preview.
 * Rules and their sources: shared/reference/batch-api.md §3 (body, naming, values) and §4 (rejections).
 *
 * Input values: one row as the Snowflake driver returns it (object keyed by column name, see
 * shared/snowflake/types.ts ColumnInfo). Both the driver's native values (number, boolean, Date/SfDate, parsed
 * VARIANT/ARRAY, big-integer objects) and their string forms (`fetchAsString`, or values that went through a
 * VARIANT/OBJECT_CONSTRUCT round trip) are accepted; the column's `type` decides how a value is read.
 */

/** What a NULL (or an empty/blank string, or an empty array) does to the attribute. */
export type NullPolicy = 'skip' | 'delete';

export interface PayloadMapping {
  /** Column holding the Batch custom_id. Matched case-insensitively, like Batch's own job. */
  idColumn: string;
  /** Columns sent as `date(name)` with an RFC 3339 UTC value. Matched case-insensitively. */
  dateColumns: readonly string[];
  /** Columns sent as `url(name)`. Matched case-insensitively. */
  urlColumns: readonly string[];
  /** skip (default): attribute omitted, Batch keeps its value. delete: attribute sent as null (deleted). */
  nullPolicy: NullPolicy;
  /**
   * Extra columns never sent (case-insensitive), e.g. outbox bookkeeping columns. Stream metadata columns
   * (METADATA$ACTION, METADATA$ISUPDATE, METADATA$ROW_ID, any METADATA$*) are always ignored.
   */
  ignoreColumns?: readonly string[];
}

/** A value Batch accepts for a profile attribute (null deletes the attribute, batch-api.md §3.6). */
export type AttributeValue = string | number | boolean | string[] | null;

/** One element of the `/profiles/update` or `/profiles/mass-update` body (batch-api.md §3.1). */
export interface ProfileOperation {
  identifiers: { custom_id: string };
  attributes: Record<string, AttributeValue>;
}

export type RejectionReason =
  // row level: the whole row is not sent
  | 'missing_id'
  | 'invalid_id'
  // attribute name
  | 'invalid_name'
  | 'duplicate_name'
  | 'unknown_native'
  // attribute value
  | 'string_too_long'
  | 'invalid_number'
  | 'non_finite_number'
  | 'unsafe_integer'
  | 'invalid_date'
  | 'invalid_url'
  | 'url_too_long'
  | 'array_too_long'
  | 'invalid_array_item'
  | 'object_not_supported'
  | 'unsupported_type'
  | 'invalid_native_value'
  // events (shared/events): the whole event is not sent, except invalid_label / invalid_tags / invalid_json
  | 'missing_event_name'
  | 'invalid_event_name'
  | 'missing_event_time'
  | 'invalid_event_time'
  | 'too_old'
  | 'in_future'
  | 'event_too_large'
  | 'too_many_attributes'
  | 'invalid_json'
  | 'invalid_object'
  | 'invalid_label'
  | 'invalid_tags';

export interface Rejection {
  /** null when the ID itself is the problem. */
  customId: string | null;
  /** 'row' = nothing was sent for this row; 'attribute' = only this attribute was dropped. */
  scope: 'row' | 'attribute';
  /** Source column name, exactly as Snowflake returned it. */
  column: string;
  /** The Batch key that would have been sent (e.g. `date(birthdate)`), or the lowercased column name. */
  attribute: string;
  /** At most EXCERPT_MAX characters of the value (JSON for arrays/objects); null for a NULL value. */
  valueExcerpt: string | null;
  reason: RejectionReason;
  /** What is wrong and how to fix it (e.g. the alias to use in the view). Never contains secrets. */
  message: string;
}

export interface TransformResult {
  /** null when the row is rejected as a whole (see rejections). */
  operation: ProfileOperation | null;
  rejections: Rejection[];
}

/** How one column is sent, decided once per result set from its name, type and the mapping. */
export type ColumnRole = 'id' | 'ignored' | 'attribute' | 'date' | 'url' | 'native' | 'invalid';

export interface ColumnPlan {
  column: string;
  role: ColumnRole;
  /** Driver type name (fixed, text, timestamp_ntz, …). */
  type: string;
  scale: number | undefined;
  /** Batch key: `name`, `date(name)`, `url(name)` or `$native`; null for id/ignored/invalid columns. */
  key: string | null;
  /** For role 'invalid': why, and the fix. */
  problem?: { reason: RejectionReason; issue: ColumnIssueCode; message: string; suggestedAlias?: string };
}

export type ColumnIssueCode =
  | 'missing_id_column'
  | 'unknown_date_column'
  | 'unknown_url_column'
  | 'invalid_name'
  | 'duplicate_name'
  | 'unknown_native'
  | 'native_cannot_be_date_or_url'
  | 'date_column_type'
  | 'timestamp_not_in_date_columns'
  | 'object_column'
  | 'binary_column'
  | 'too_many_attributes';

export interface ColumnIssue {
  /** error: the column (or the whole mapping for missing_id_column) cannot be sent; warning: worth a look. */
  severity: 'error' | 'warning';
  code: ColumnIssueCode;
  column: string;
  message: string;
  /** A valid attribute name to alias the column to in the view (`SELECT "First Name" AS first_name`). */
  suggestedAlias?: string;
}

export interface ColumnReport {
  plan: ColumnPlan[];
  issues: ColumnIssue[];
  /**
   * False when the mapping itself is wrong (ID, date or URL column not in the view): the worker refuses to
   * start. Other 'error' issues only drop that column's attribute (each value is then rejected per row).
   */
  ok: boolean;
}

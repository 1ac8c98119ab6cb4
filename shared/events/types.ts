/**
 * Event syncs: one source row = one Batch event on the profile of its custom ID (batch-api.md §3.1, §3.8).
 * The wire form is `{identifiers: {custom_id}, events: [{name, time, attributes}]}`; `$label` and `$tags`
 * are reserved keys inside `attributes` (§3.1 example, §3.3).
 */
import type { Rejection } from '../payload/types.js';
import type { EventObject } from './values.js';

/** The event name: a column of the source, or one constant name for every row. */
export type EventNameSource = { column: string } | { constant: string };

export interface EventMapping {
  idColumn: string;
  eventName: EventNameSource;
  /** DATE / TIMESTAMP column: when the event happened (required: Batch keeps only the last 24 h). */
  timeColumn: string;
  /** Columns sent as attributes; undefined = every other column of the source. Case-insensitive. */
  attributeColumns?: readonly string[];
  dateColumns: readonly string[];
  urlColumns: readonly string[];
  /** Optional text column sent as `$label`. */
  labelColumn?: string;
  /** Optional ARRAY (or comma-separated text) column sent as `$tags`. */
  tagsColumn?: string;
  /** Columns never sent (e.g. outbox bookkeeping). METADATA$* are always ignored. */
  ignoreColumns?: readonly string[];
}

/** One event as Batch receives it. */
export interface BatchEvent {
  name: string;
  /** RFC 3339 UTC, seconds. */
  time: string;
  attributes?: EventObject;
}

/** A row turned into an event, before the time window (checked at send time). */
export interface EventRecord {
  customId: string;
  timeMs: number;
  event: BatchEvent;
}

export interface EventResult {
  /** null when the event is rejected whole (see rejections). */
  record: EventRecord | null;
  rejections: Rejection[];
}

/** The profile operation carrying events (no attributes: an event sync never edits profile attributes). */
export interface EventOperation {
  identifiers: { custom_id: string };
  events: BatchEvent[];
}

export type EventColumnIssueCode =
  | 'missing_id_column'
  | 'missing_time_column'
  | 'time_column_type'
  | 'missing_name_column'
  | 'invalid_event_name'
  | 'missing_label_column'
  | 'missing_tags_column'
  | 'missing_attribute_column'
  | 'invalid_attribute_name'
  | 'too_many_attributes'
  | 'binary_column';

export interface EventColumnIssue {
  severity: 'error' | 'warning';
  code: EventColumnIssueCode;
  column: string;
  message: string;
}

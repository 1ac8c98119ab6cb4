/**
 * Batch's event rules, enforced before sending (and mirrored, independently, by standins/batch/events.ts).
 * Sources (shared/reference/batch-api.md): §3.8 (event shape; name `[a-z0-9_]` ≤ 30 like attribute names;
 * only the last 24 h and nothing in the future, official for the MEP Trigger Events API, UNCONFIRMED for the
 * Profile API: applied as the stricter choice), §3.3 (`$` names are reserved: `$label`, `$tags`), §9.3
 * (Batch's SDK limits for event attributes: ≤ 20 attributes per object, objects nested ≤ 3 levels, strings
 * ≤ 200 in the docs, `$label` ≤ 200, `$tags` ≤ 10 of ≤ 64, ≤ 25 KB per event; UNCONFIRMED for REST, so the
 * stricter reading) and the issue's ≤ 15 events per profile per operation (third-party S9, UNCONFIRMED).
 */
import type { RejectionReason } from '../payload/types.js';

export const EVENT_NAME_MAX = 30;
const EVENT_NAME = /^[a-z0-9_]{1,30}$/;
/** Events per profile per operation (S9, unconfirmed): more are split into several operations, in time order. */
export const MAX_EVENTS_PER_OPERATION = 15;
/** Attributes per event, `$label` and `$tags` included (stricter: the SDK counts them per object). */
export const MAX_EVENT_ATTRIBUTES = 20;
/** 25 KB per event, read as 25 000 bytes of JSON (UTF-8): the stricter of 25 000 and 25 600. */
export const MAX_EVENT_BYTES = 25_000;
export const EVENT_STRING_MAX = 200;
export const LABEL_MAX = 200;
export const TAGS_MAX = 10;
export const TAG_MAX = 64;
export const OBJECT_DEPTH_MAX = 3;
export const EVENT_ARRAY_MAX = 25;
/** "You can track events that happened in the last 24 hours, and no events in the future" (§3.8). */
export const EVENT_MAX_AGE_MS = 24 * 3_600_000;

export interface RuleBreak {
  reason: RejectionReason;
  message: string;
}

/** Why a custom event name is refused (upper case, space, `$`, length), or null. Never lowercased for you. */
export function eventNameProblem(name: string): RuleBreak | null {
  if (EVENT_NAME.test(name)) return null;
  const what =
    name.length === 0
      ? 'is empty'
      : name.startsWith('$')
        ? 'starts with $ (reserved for Batch\'s own events)'
        : name.length > EVENT_NAME_MAX
          ? `is ${name.length} characters long (at most ${EVENT_NAME_MAX})`
          : /[A-Z]/.test(name)
            ? 'contains upper case letters'
            : 'contains characters other than a-z, 0-9 and _';
  return {
    reason: 'invalid_event_name',
    message: `Event name ${JSON.stringify(name.slice(0, 60))} ${what}; Batch event names are 1–${EVENT_NAME_MAX} characters among [a-z0-9_]. Fix it in the view, e.g. LOWER(REGEXP_REPLACE(name, '[^a-zA-Z0-9_]', '_')).`,
  };
}

/** The 24-hour window at `nowMs`: too_old beyond 24 h, in_future after now. */
export function timeWindowProblem(timeMs: number, nowMs: number): RuleBreak | null {
  if (timeMs > nowMs) {
    return { reason: 'in_future', message: `Event time is ${Math.ceil((timeMs - nowMs) / 1000)} s in the future; Batch accepts no event from the future.` };
  }
  if (nowMs - timeMs > EVENT_MAX_AGE_MS) {
    const hours = ((nowMs - timeMs) / 3_600_000).toFixed(1);
    return {
      reason: 'too_old',
      message: `Event is ${hours} h old at send time; Batch accepts only events from the last 24 h (events cannot be backfilled).`,
    };
  }
  return null;
}

/** UTF-8 size of the event's JSON as sent. */
export function eventBytes(event: unknown): number {
  return Buffer.byteLength(JSON.stringify(event), 'utf8');
}

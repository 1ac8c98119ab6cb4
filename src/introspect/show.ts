/**
 * Small helpers for SHOW / DESCRIBE introspection: exact-name lookups (SHOW … LIKE is a pattern and
 * case-insensitive, so rows are filtered to the exact name part afterwards) and the "statement not
 * available" test used by documented fallbacks.
 */
import { UserError } from '../../shared/errors.js';
import { renderQualifiedName, type NameParts } from '../../shared/sql/identifiers.js';
import { sqlLiteral } from '../../shared/sql/literals.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';

export type ShowRow = Record<string, unknown>;

export const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/**
 * `SHOW <what> LIKE '<name>' [IN SCHEMA db.schema]`, rows whose `name` is exactly the last part.
 * SHOW answers "does not exist" for a missing database/schema: that means the object is missing too.
 */
export async function showExact(session: SnowflakeSession, what: string, name: NameParts, inSchema: boolean): Promise<ShowRow[]> {
  const last = name[name.length - 1] as string;
  const scope = inSchema ? ` IN SCHEMA ${renderQualifiedName(name.slice(0, -1))}` : '';
  try {
    const { rows } = await session.query<ShowRow>(`SHOW ${what} LIKE ${sqlLiteral(last)}${scope}`);
    return rows.filter((row) => row.name === last);
  } catch (error) {
    if (errorCode(error) === '002003') return [];
    throw error;
  }
}

export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof UserError)) return undefined;
  const code = error.details?.snowflakeCode;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A documented statement the server does not understand (unsupported feature 002040 / syntax error 001003).
 * Snowflake itself supports every statement we send; this only happens against a partial stand-in or an
 * older deployment, and the caller falls back to what it knows (each fallback says so in its comment).
 */
export function isNotAvailable(error: unknown): boolean {
  const code = errorCode(error);
  return code === '002040' || code === '001003';
}

/** Splits SHOW/DESC list values such as `value_list` or `allowed_network_rules` ("a, b" or "[a,b]"). */
export function splitList(value: unknown): string[] {
  const raw = text(value) ?? '';
  return raw
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((item) => item.trim().replace(/^"|"$/g, '').replace(/^'|'$/g, ''))
    .filter((item) => item.length > 0);
}
